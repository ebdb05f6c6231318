// title: Local Industrial Strategies
// description: every strategy in the graph with its status, date and publishing bodies
// columns: strategy, name, status, date, body, body_name
MATCH (b:Entity)-[:PUBLISHED]->(s:Strategy)
WHERE s.status IS NOT NULL
RETURN s.code AS strategy, s.name AS name, s.status AS status, s.date AS `date`,
       b.code AS body, b.name AS body_name
ORDER BY strategy, body
