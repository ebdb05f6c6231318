// title: Partners on a theme
// description: bodies that are parties to a recorded collaboration naming THEME (or linked to each other by a partner or collaboration link naming it), and with whom
// param: theme theme  a theme id or label
// columns: partner, partner_name, partner_type, with, with_name
CALL {
  MATCH (a:Entity)-[r]-(b:Entity)
  WHERE $theme IN r.themes
  RETURN a, b
  UNION
  MATCH (a:Entity)-[:PARTY_TO]->(c:Collaboration)<-[:PARTY_TO]-(b:Entity)
  WHERE $theme IN c.themes AND a <> b
  RETURN a, b
}
RETURN DISTINCT a.code AS partner, a.name AS partner_name, a.type AS partner_type,
       b.code AS `with`, b.name AS with_name
ORDER BY partner, `with`
