"""Collaboration opportunities answered on the server: the Neo4j twin of
:func:`lisgraph.analysis.opportunities`, the same rows in the same order.

One Cypher statement builds the strategy groups (bodies that published the same strategies,
represented by the first in combined-authority-then-LEP, code order) with their districts,
partnerships, regions and mean point on the date; finds candidate pairs by shared tokens (a
district or a neighbouring district, a partnership, a region, a grid cell of ``max_km``), so
no pair of groups is compared unless it can be near; checks each candidate's nearness exactly
(the embedded planar distance, with the same reference latitude) and its shared themes, and
returns only the pairs that are near and share a theme, with the recorded collaborations that
cover some of their themes. The scores, reasons and order are computed here, as embedded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..analysis.index import SCHEME_WEIGHT, distance_km
from ..analysis.opportunities import DEFAULT_MAX_KM, PROXIMITY
from .answers import _OWN_MANY, _row_of, _span, districts_expr, published_periods, theme_rank
from .boundaries import _earliest, _latest
from .connection import Connection
from .lookup import require, resolve, time_filter

__all__ = ["opportunities", "OPPORTUNITIES"]

tf = time_filter

#: the statement (parameters: as_of, theme, place, max_km)
OPPORTUNITIES = f"""
MATCH (b:Entity)-[r0:PUBLISHED]->(s0:Strategy)-[r1:HAS_PRIORITY]->(pr:Priority)
      -[r2:ADDRESSES]->(t:Theme)
WHERE {tf('r0', 'r1', 'r2', 'b', 's0', 'pr', 't')}
WITH b, collect(DISTINCT t.code) AS themes
MATCH (b)-[r3:PUBLISHED]->(s:Strategy)
WHERE {tf('r3', 's')}
WITH b, themes, s ORDER BY s.code
WITH b, themes, collect(DISTINCT s.code) AS strats
ORDER BY CASE b.type WHEN 'combined_authority' THEN 0 WHEN 'lep' THEN 1 ELSE 2 END, b.code
WITH strats, collect(b) AS members, head(collect(themes)) AS themes
WITH strats, members, themes,
     reduce(acc = [], m IN members | acc + {districts_expr('m')}) AS ds0,
     reduce(acc = [], m IN members |
            acc + [(m)-[rp:MEMBER_OF]->(q:Partnership) WHERE {tf('rp', 'q')} | q.code]) AS ps
UNWIND CASE WHEN size(ds0) = 0 THEN [null] ELSE ds0 END AS d
WITH strats, members, themes, ps, collect(DISTINCT d) AS ds
WITH strats, members, themes, ps, ds, [d IN ds WHERE d.lat IS NOT NULL] AS located
WITH {{rep: members[0].code, name: members[0].name, type: members[0].type,
       members: [m IN members | m.code], themes: themes, ps: ps,
       ds: [d IN ds | d.code],
       nbrs: reduce(acc = [], d IN ds | acc + [(d)-[:NEIGHBOURS]-(n:District) | n.code]),
       rs: reduce(acc = [], d IN ds |
                  acc + [(d)-[rr:PART_OF]->(g:Region) WHERE {tf('rr', 'g')} | g.code]),
       lat: CASE WHEN size(located) = 0 THEN null
                 ELSE reduce(acc = 0.0, d IN located | acc + d.lat) / size(located) END,
       lon: CASE WHEN size(located) = 0 THEN null
                 ELSE reduce(acc = 0.0, d IN located | acc + d.lon) / size(located) END}} AS g
WITH collect(g) AS gs
WITH gs, [g IN gs WHERE g.lat IS NOT NULL | g.lat] AS lats
WITH gs, CASE WHEN size(lats) = 0 THEN 0.0
              ELSE radians(reduce(acc = 0.0, x IN lats | acc + x) / size(lats)) END AS lat0
UNWIND gs AS g
WITH lat0, g, CASE WHEN g.lat IS NULL THEN [] ELSE
       [di IN [-1, 0, 1] | [dj IN [-1, 0, 1] |
        'c' + toString(toInteger(floor(g.lon * 111.32 * cos(lat0) / $max_km)) + di) + ':'
            + toString(toInteger(floor(g.lat * 110.57 / $max_km)) + dj)]] END AS cells
WITH lat0, g, [t IN g.ds + g.nbrs | 'd' + t] + [t IN g.ps | 'p' + t] + [t IN g.rs | 'r' + t]
              + reduce(acc = [], c IN cells | acc + c) AS tokens
WHERE $theme IS NULL OR $theme IN g.themes
UNWIND tokens AS k
WITH lat0, k, collect(g) AS near
UNWIND near AS g1
WITH lat0, near, g1 WHERE $place IS NULL OR $place IN g1.members
UNWIND near AS g2
WITH lat0, g1, g2 WHERE g1.rep <> g2.rep AND ($place IS NOT NULL OR g1.rep < g2.rep)
WITH DISTINCT lat0, g1, g2
WITH lat0, g1, g2,
     [t IN g1.themes WHERE t IN g2.themes AND ($theme IS NULL OR t = $theme)] AS shared,
     any(x IN g1.ds WHERE x IN g2.ds) AS overlapping,
     any(x IN g1.nbrs WHERE x IN g2.ds) OR any(x IN g2.nbrs WHERE x IN g1.ds) AS neighbouring,
     any(x IN g1.ps WHERE x IN g2.ps) AS shared_partnership,
     any(x IN g1.rs WHERE x IN g2.rs) AS same_region,
     g1.lat IS NOT NULL AND g2.lat IS NOT NULL AND
       sqrt(((g1.lon - g2.lon) * 111.32 * cos(lat0)) ^ 2
            + ((g1.lat - g2.lat) * 110.57) ^ 2) <= $max_km AS within
WHERE size(shared) > 0 AND (overlapping OR neighbouring OR shared_partnership OR same_region
                            OR within)
CALL (g1, g2) {{
  UNWIND g1.members AS m1
  MATCH (x:Entity {{code: m1}})
  CALL (x, g2) {{
    MATCH (x)-[rx:PARTY_TO]->(c:Collaboration)<-[ry:PARTY_TO]-(y:Entity)
    WHERE y.code IN g2.members AND x <> y AND {tf('rx', 'ry', 'x', 'y', 'c')}
    WITH c, {_latest('c.valid_from, rx.valid_from, ry.valid_from')} AS pair_start,
         {_earliest('c.valid_to, rx.valid_to, ry.valid_to')} AS pair_end
    WHERE pair_start IS NULL OR pair_end IS NULL OR pair_start <= pair_end
    RETURN coalesce(c.themes, ['*']) AS cover
    UNION ALL
    MATCH (x)-[rc:COLLABORATES_WITH|PARTNER_OF]-(y:Entity)
    WHERE y.code IN g2.members AND {tf('rc', 'x', 'y')}
    RETURN coalesce(rc.themes, ['*']) AS cover
  }}
  RETURN collect(cover) AS covers
}}
RETURN g1 {{.rep, .name, .type, .members, .ps, .rs, .lat, .lon}} AS g1,
       g2 {{.rep, .name, .type, .members, .ps, .rs, .lat, .lon}} AS g2, shared, covers,
       {{overlapping: overlapping, neighbouring: neighbouring,
         `shared partnership`: shared_partnership, `same region`: same_region,
         `within distance`: within}} AS signals
"""

_NAMES = "UNWIND $codes AS code MATCH (n:Entity {code: code}) RETURN n.code AS code, n.name AS name"
_THEMES = ("UNWIND $codes AS code MATCH (t:Entity {code: code}) "
           "RETURN t.code AS code, t.name AS name, t.scheme AS scheme")
_BODY_RANK = {"combined_authority": 0, "lep": 1}


def opportunities(conn: Connection, place: str | None = None, theme: str | None = None,
                  top: int | None = None, as_of: date | None = None,
                  max_km: float = DEFAULT_MAX_KM) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.opportunities` on the server: the same rows, same order
    (score, then the two codes: ties are broken by code)."""
    from ..view import iso
    from ..view import overlap as coexist

    body = None
    if place is not None:
        node = resolve(conn, place, as_of=as_of, prefer_strategy=True)
        require(_row_of(node), as_of)
        body = node.id
    pairs = conn.read(OPPORTUNITIES, {"as_of": as_of, "theme": theme, "place": body,
                                      "max_km": float(max_km)})
    if not pairs:
        return []
    members = sorted({m for p in pairs for g in (p["g1"], p["g2"]) for m in g["members"]})
    periods = {r["code"]: _span(pp) if (pp := published_periods(r)) else None
               for r in conn.read(_OWN_MANY, {"codes": members, "as_of": as_of})}
    spans = {}
    for p in pairs:
        for g in (p["g1"], p["g2"]):
            got = [periods[m] for m in g["members"] if periods[m] is not None]
            spans[g["rep"]] = (coexist(*got) or got[0]) if got else None
    codes = sorted({c for p in pairs for g in (p["g1"], p["g2"]) for c in g["ps"] + g["rs"]})
    names = {r["code"]: r["name"] for r in conn.read(_NAMES, {"codes": codes})}
    theme_codes = sorted({t for p in pairs for t in p["shared"]})
    themes = {r["code"]: r for r in conn.read(_THEMES, {"codes": theme_codes})}
    rows = []
    for p in pairs:
        g1, g2 = p["g1"], p["g2"]
        if (_BODY_RANK.get(g2["type"], 2), g2["rep"]) < (_BODY_RANK.get(g1["type"], 2), g1["rep"]):
            g1, g2 = g2, g1
        s1, s2 = spans[g1["rep"]], spans[g2["rep"]]
        if as_of is None and s1 and s2 and not _meet(s1, s2):
            continue  # their strategies never coexisted
        shared = set(p["shared"])
        cover: set[str] = set().union(*map(set, p["covers"])) if p["covers"] else set()
        if "*" in cover:
            continue
        left = shared - cover
        theme_score = float(sum(SCHEME_WEIGHT.get(str(themes[t]["scheme"]), 1.0) for t in left))
        signals = p["signals"]
        proximity = max(PROXIMITY[k] * bool(v) for k, v in signals.items())
        if theme_score * proximity <= 0:
            continue
        row = _row(g1, g2, left, theme_score, proximity, signals, names, themes)
        together = coexist(s1, s2) if s1 and s2 else None
        row.update(valid_from=iso(together and together[0]), valid_to=iso(together and together[1]),
                   date_status=together[2] if together else "")
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], r["a"], r["b"]))
    return rows[:top] if top else rows


def _meet(a: Any, b: Any) -> bool:
    """The embedded test of two strategy spans: the later start is not after the earlier end."""
    lo = max(a[0].toordinal() if a[0] else 0, b[0].toordinal() if b[0] else 0)
    hi = min(a[1].toordinal() if a[1] else 10**7, b[1].toordinal() if b[1] else 10**7)
    return lo <= hi


def _row(g1: dict[str, Any], g2: dict[str, Any], shared: set[str], theme_score: float,
         proximity: float, signals: dict[str, bool], names: dict[str, str],
         themes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    reasons = []
    if signals["overlapping"]:
        reasons.append("areas overlap")
    if signals["neighbouring"]:
        reasons.append("neighbouring areas")
    for q in sorted(set(g1["ps"]) & set(g2["ps"])):
        reasons.append(f"both in {names[q]}")
    if signals["same region"]:
        reasons.append("same region: " + ", ".join(sorted(names[r] for r in
                                                          set(g1["rs"]) & set(g2["rs"]))))
    km = None
    if g1["lat"] is not None and g2["lat"] is not None:
        km = round(distance_km((g1["lat"], g1["lon"]), (g2["lat"], g2["lon"])), 1)
    if signals["within distance"]:
        reasons.append(f"{km} km apart")
    ordered = sorted(shared, key=lambda t: theme_rank(t, themes[t]["scheme"]))
    return {
        "a": g1["rep"], "a_name": g1["name"], "b": g2["rep"], "b_name": g2["name"],
        "score": round(theme_score * proximity, 4), "theme_score": theme_score,
        "proximity": proximity, "shared_themes": [themes[t]["name"] for t in ordered],
        "reasons": reasons, "distance_km": km,
    }
