// title: Partners on a theme
// description: bodies that take part in a recorded collaboration or partnership link naming THEME, and with whom
// param: theme theme  a theme id or label
// columns: partner, partner_name, partner_type, with, with_name
MATCH (a:Entity)-[r]-(b:Entity)
WHERE $theme IN r.themes
RETURN DISTINCT a.code AS partner, a.name AS partner_name, a.type AS partner_type,
       b.code AS `with`, b.name AS with_name
ORDER BY partner, `with`
