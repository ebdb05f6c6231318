// title: Districts in two LEPs
// description: districts that sat in more than one local enterprise partnership on a date
// param: as_of date  the day to look at (YYYY-MM-DD), e.g. 2018-06-01 or 2022-06-01
// columns: district, district_name, lep1, lep1_name, lep2, lep2_name
MATCH (d:District)-[r1:PART_OF]->(e1:LocalEnterprisePartnership)
MATCH (d)-[r2:PART_OF]->(e2:LocalEnterprisePartnership)
WHERE e1.code < e2.code
  AND (r1.valid_from IS NULL OR r1.valid_from <= $as_of)
  AND (r1.valid_to IS NULL OR r1.valid_to >= $as_of)
  AND (r2.valid_from IS NULL OR r2.valid_from <= $as_of)
  AND (r2.valid_to IS NULL OR r2.valid_to >= $as_of)
RETURN DISTINCT d.code AS district, d.name AS district_name,
       e1.code AS lep1, e1.name AS lep1_name, e2.code AS lep2, e2.name AS lep2_name
ORDER BY district, lep1, lep2
