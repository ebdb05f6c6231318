// title: Members on a date
// description: what is part of, or a member of, PLACE on a date (districts of an area, bodies of a partnership)
// param: place place  the area, body or partnership (name or code)
// param: as_of date  the day to look at (YYYY-MM-DD)
// columns: code, name, type, valid_from, valid_to
MATCH (p:Entity {code: $place})<-[r:PART_OF|MEMBER_OF]-(m:Entity)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN DISTINCT m.code AS code, m.name AS name, m.type AS type,
       r.valid_from AS valid_from, r.valid_to AS valid_to
// SPARQL sorts an unbound valid_from first, Cypher a null last: sort on "is set" first
ORDER BY type, name, code, valid_from IS NOT NULL, valid_from, valid_to IS NOT NULL, valid_to
