// title: A place's priority themes
// description: the themes PLACE's strategy priorities address, with the priorities on each
// param: place place  the body with a strategy (name or code)
// columns: theme, theme_label, scheme, priority
MATCH (:Entity {code: $place})-[:PUBLISHED]->(:Strategy)-[:HAS_PRIORITY]->(pr:Priority)
      -[:ADDRESSES]->(t:Theme)
WHERE t.scheme IS NOT NULL
RETURN DISTINCT t.code AS theme, t.name AS theme_label, t.scheme AS scheme, pr.name AS priority
ORDER BY theme, priority
