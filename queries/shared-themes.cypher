// title: Shared priority themes
// description: every other body whose strategy addresses a theme that PLACE's strategy addresses, when the two strategies coexisted (each holds from its date, or its body's start, until its body or it ended)
// param: place place  the body with a strategy (name or code)
// columns: place, body, body_name, theme, theme_label, scheme
MATCH (p:Entity {code: $place})-[:PUBLISHED]->(s1:Strategy)-[:HAS_PRIORITY]->(:Priority)
      -[:ADDRESSES]->(t:Theme)
MATCH (b:Entity)-[:PUBLISHED]->(s2:Strategy)-[:HAS_PRIORITY]->(:Priority)-[:ADDRESSES]->(t)
WHERE b <> p AND t.scheme IS NOT NULL
  // the two never coexisted when a start of one comes after an end of the other
  AND all(x IN [s1.date, p.valid_from, s2.date, b.valid_from] WHERE x IS NULL OR
          all(y IN [p.valid_to, s1.valid_to, b.valid_to, s2.valid_to] WHERE y IS NULL OR x <= y))
RETURN DISTINCT $place AS place, b.code AS body, b.name AS body_name,
       t.code AS theme, t.name AS theme_label, t.scheme AS scheme
ORDER BY body, theme
