// title: Shared priority themes
// description: every other body whose strategy addresses a theme that PLACE's strategy addresses, when the two bodies' strategy periods overlap (a body's period runs from its first strategy, or the body's start if later, to when the body or its last strategy ended; an unknown end stays open)
// param: place place  the body with a strategy (name or code)
// columns: place, body, body_name, theme, theme_label, scheme
MATCH (p:Entity {code: $place})-[:PUBLISHED]->(:Strategy)-[:HAS_PRIORITY]->(:Priority)
      -[:ADDRESSES]->(t:Theme)
MATCH (b:Entity)-[:PUBLISHED]->(:Strategy)-[:HAS_PRIORITY]->(:Priority)-[:ADDRESSES]->(t)
WHERE b <> p AND t.scheme IS NOT NULL
WITH DISTINCT p, b, t
CALL (p) {
  MATCH (p)-[:PUBLISHED]->(s:Strategy)
  WITH p, s, coalesce(s.valid_from, s.date) AS ss
  WITH CASE WHEN p.valid_from IS NULL THEN ss WHEN ss IS NULL THEN p.valid_from
            WHEN p.valid_from > ss THEN p.valid_from ELSE ss END AS st,
       CASE WHEN p.valid_to IS NULL THEN s.valid_to WHEN s.valid_to IS NULL THEN p.valid_to
            WHEN p.valid_to < s.valid_to THEN p.valid_to ELSE s.valid_to END AS en
  RETURN min(st) AS pStart, max(en) AS pEnd,
         sum(CASE WHEN st IS NULL THEN 1 ELSE 0 END) AS pOpenStart,
         sum(CASE WHEN en IS NULL THEN 1 ELSE 0 END) AS pOpenEnd
}
CALL (b) {
  MATCH (b)-[:PUBLISHED]->(s:Strategy)
  WITH b, s, coalesce(s.valid_from, s.date) AS ss
  WITH CASE WHEN b.valid_from IS NULL THEN ss WHEN ss IS NULL THEN b.valid_from
            WHEN b.valid_from > ss THEN b.valid_from ELSE ss END AS st,
       CASE WHEN b.valid_to IS NULL THEN s.valid_to WHEN s.valid_to IS NULL THEN b.valid_to
            WHEN b.valid_to < s.valid_to THEN b.valid_to ELSE s.valid_to END AS en
  RETURN min(st) AS bStart, max(en) AS bEnd,
         sum(CASE WHEN st IS NULL THEN 1 ELSE 0 END) AS bOpenStart,
         sum(CASE WHEN en IS NULL THEN 1 ELSE 0 END) AS bOpenEnd
}
WITH p, b, t, pStart, pEnd, pOpenStart, pOpenEnd, bStart, bEnd, bOpenStart, bOpenEnd
WHERE NOT ((pOpenEnd = 0 AND bOpenStart = 0 AND pEnd < bStart)
           OR (bOpenEnd = 0 AND pOpenStart = 0 AND bEnd < pStart))
RETURN DISTINCT $place AS place, b.code AS body, b.name AS body_name,
       t.code AS theme, t.name AS theme_label, t.scheme AS scheme
ORDER BY body, theme
