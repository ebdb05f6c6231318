// title: Shared priority themes
// description: every other body whose strategy addresses a theme that PLACE's strategy addresses
// param: place place  the body with a strategy (name or code)
// columns: place, body, body_name, theme, theme_label, scheme
MATCH (p:Entity {code: $place})-[:PUBLISHED]->(:Strategy)-[:HAS_PRIORITY]->(:Priority)
      -[:ADDRESSES]->(t:Theme)
MATCH (b:Entity)-[:PUBLISHED]->(:Strategy)-[:HAS_PRIORITY]->(:Priority)-[:ADDRESSES]->(t)
WHERE b <> p AND t.scheme IS NOT NULL
RETURN DISTINCT $place AS place, b.code AS body, b.name AS body_name,
       t.code AS theme, t.name AS theme_label, t.scheme AS scheme
ORDER BY body, theme
