"""Collaboration opportunities answered on the server: the Neo4j twin of
:func:`lisgraph.analysis.opportunities`, the same rows in the same order.

1. The server lists the bodies with headline priority themes on the date, with their themes
   and strategies (codes only); the joint-strategy groups are formed here from them, as
   :func:`~lisgraph.analysis.opportunities.strategy_groups` does.
2. One statement, given the groups, works out on the server each group's area twice (its
   first publisher's own, and all its publishers' together): districts, neighbouring
   districts, partnerships, regions and mean point; finds candidate pairs by shared tokens (a
   district or a neighbouring one, a partnership, a region, a grid cell of ``max_km``) so that
   no two groups are compared unless they can be near; checks each kind of nearness exactly
   for both areas (the embedded planar distance, with the same reference latitudes); and
   returns only the pairs that are near and share a theme, with the recorded collaborations
   between them.
3. Scores, reasons (``via`` a co-publisher where a nearness holds only through one, fetched
   for those pairs only), common periods and the order are computed here, as embedded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..analysis.index import SCHEME_ORDER, SCHEME_WEIGHT, distance_km
from ..analysis.opportunities import (DEFAULT_MAX_KM, PROXIMITY, VIA_FACTOR,
                                      joined_by_strategies)
from .answers import _OWN_MANY, _row_of, _span, districts_expr, published_periods
from .boundaries import _earliest, _latest
from .connection import Connection
from .lookup import require, resolve, time_filter
from .overlaps import headline

__all__ = ["opportunities", "OPPORTUNITIES", "BODIES"]

tf = time_filter
_BODY_RANK = {"combined_authority": 0, "lep": 1}

#: the bodies of the theme index on the date: headline themes and strategies (codes)
BODIES = f"""
MATCH (b:Entity)-[r0:PUBLISHED]->(s:Strategy)-[r1:HAS_PRIORITY]->(p:Priority)
      -[r2:ADDRESSES]->(t:Theme)
WHERE {headline('p')} AND {tf('r0', 'r1', 'r2', 'b', 's', 'p', 't')}
WITH b, collect(DISTINCT t.code) AS themes
RETURN b.code AS code, b.type AS type, themes,
       [(b)-[r:PUBLISHED]->(s:Strategy) WHERE {tf('r', 's')} | s.code] AS strategies
"""


def _distinct(expr: str) -> str:
    return f"reduce(acc = [], x IN {expr} | CASE WHEN x IN acc THEN acc ELSE acc + x END)"


def _facts(v: str, many: str | None = None) -> tuple[str, str]:
    """Cypher lists (without repeats) of the districts and the partnerships of node ``v``'s
    area, or of the areas of every node in list ``many`` together."""
    if many is None:
        ds = _distinct(districts_expr(v))
        ps = _distinct(f"[({v})-[rp:MEMBER_OF]->(q:Entity) WHERE {tf('rp', 'q')} | q.code]")
    else:
        ds = _distinct(f"reduce(a2 = [], m IN {many} | a2 + {districts_expr('m')})")
        ps = _distinct(f"reduce(a2 = [], m IN {many} | a2 + "
                       f"[(m)-[rp:MEMBER_OF]->(q:Entity) WHERE {tf('rp', 'q')} | q.code])")
    return ds, ps


_AREA = """
WITH __G__, __DS__ AS ds, __PS__ AS ps
WITH __G__, ds, ps, [d IN ds WHERE d.lat IS NOT NULL] AS located
RETURN [d IN ds | d.code] AS ds, ps,
       __NBRS__ AS nbrs, __RS__ AS rs,
       CASE WHEN size(located) = 0 THEN null
            ELSE reduce(acc = 0.0, d IN located | acc + d.lat) / size(located) END AS lat,
       CASE WHEN size(located) = 0 THEN null
            ELSE reduce(acc = 0.0, d IN located | acc + d.lon) / size(located) END AS lon
"""


def _area(g: str, ds: str, ps: str, nbrs_when: str = "true") -> str:
    """The area's columns ``ds, ps, nbrs, rs, lat, lon``; the neighbouring districts only when
    ``nbrs_when`` holds (for one PLACE, only its group's are needed: adjacency is symmetric)."""
    nbrs = _distinct(f"reduce(acc2 = [], d IN ds | acc2 + [(d)-[rn:NEIGHBOURS]-(n:District) "
                     f"WHERE {tf('rn', 'n')} | n.code])")
    rs = _distinct(f"reduce(acc2 = [], d IN ds | acc2 + [(d)-[rr:PART_OF]->(x:Region) "
                   f"WHERE {tf('rr', 'x')} | x.code])")
    return (_AREA.replace("__G__", g).replace("__DS__", ds).replace("__PS__", ps)
            .replace("__NBRS__", f"CASE WHEN {nbrs_when} THEN {nbrs} ELSE [] END")
            .replace("__RS__", rs))


_OWN_DS, _OWN_PS = _facts("rep")
_NBRS_WHEN = "$place IS NULL OR g0.i = $place"
_ALL_DS, _ALL_PS = _facts("m", "ms")

def _nearness(part: str, lat: str) -> str:
    """A Cypher map: which kinds of nearness (:data:`PROXIMITY`) hold between groups g1 and g2,
    on their ``part`` area (``own``: the named bodies'; ``whole``: all their publishers');
    ``lat`` names the latitude the distance's longitude scale uses."""
    a, b = f"g1.{part}", f"g2.{part}"
    return (f"{{overlapping: any(x IN {a}.ds WHERE x IN {b}.ds),\n"
            f"       neighbouring: any(x IN {a}.nbrs WHERE x IN {b}.ds)\n"
            f"                     OR any(x IN {b}.nbrs WHERE x IN {a}.ds),\n"
            f"       `shared partnership`: any(x IN {a}.ps WHERE x IN {b}.ps),\n"
            f"       `same region`: any(x IN {a}.rs WHERE x IN {b}.rs),\n"
            f"       `within distance`: {a}.lat IS NOT NULL AND {b}.lat IS NOT NULL AND\n"
            f"         sqrt((({a}.lon - {b}.lon) * 111.32 * cos({lat})) ^ 2\n"
            f"              + (({a}.lat - {b}.lat) * 110.57) ^ 2) <= $max_km}}")


#: the statement (parameters: as_of, groups [{i, members, themes}], place (a group index or
#: null), max_km)
OPPORTUNITIES = f"""
UNWIND $groups AS g0
CALL (g0) {{
  UNWIND g0.members AS mc
  MATCH (m:Entity {{code: mc}})
  RETURN collect(m) AS ms
}}
WITH g0, ms, ms[0] AS rep
CALL (g0, rep) {{
  {_area('g0, rep', _OWN_DS, _OWN_PS, _NBRS_WHEN)}
}}
WITH g0, ms, {{ds: ds, ps: ps, nbrs: nbrs, rs: rs, lat: lat, lon: lon}} AS own
CALL (g0, ms, own) {{
  WITH own WHERE size(ms) = 1
  RETURN own.ds AS ds, own.ps AS ps, own.nbrs AS nbrs, own.rs AS rs, own.lat AS lat,
         own.lon AS lon
  UNION ALL
  WITH g0, ms WHERE size(ms) > 1
  {_area('g0, ms', _ALL_DS, _ALL_PS, _NBRS_WHEN)}
}}
WITH g0, own, {{ds: ds, ps: ps, nbrs: nbrs, rs: rs, lat: lat, lon: lon}} AS whole
ORDER BY g0.i
WITH collect({{i: g0.i, members: g0.members, themes: g0.themes, own: own, whole: whole}}) AS gs
WITH gs, [g IN gs WHERE g.own.lat IS NOT NULL | g.own.lat] AS olats,
     [g IN gs WHERE g.whole.lat IS NOT NULL | g.whole.lat] AS alats
WITH gs,
     CASE WHEN size(olats) = 0 THEN 0.0
          ELSE radians(reduce(acc = 0.0, x IN olats | acc + x) / size(olats)) END AS lat0,
     CASE WHEN size(alats) = 0 THEN 0.0
          ELSE radians(reduce(acc = 0.0, x IN alats | acc + x) / size(alats)) END AS alat0
WITH gs, lat0, alat0,
     [g IN gs WHERE size(g.themes) > 0 |
      [g.i, [t IN g.whole.ds + g.whole.nbrs | 'd' + t] + [t IN g.whole.ps | 'p' + t]
            + [t IN g.whole.rs | 'r' + t]
            + CASE WHEN g.whole.lat IS NULL THEN [] ELSE
                [c IN [x IN range(0, 8) | [x / 3 - 1, x % 3 - 1]] |
                 'c' + toString(toInteger(floor(g.whole.lon * 111.32 * cos(alat0) / $max_km)) + c[0])
                 + ':' + toString(toInteger(floor(g.whole.lat * 110.57 / $max_km)) + c[1])] END]]
     AS tokens
CALL (tokens) {{
  UNWIND tokens AS it
  UNWIND it[1] AS k
  WITH k, collect(it[0]) AS near
  UNWIND near AS i
  WITH near, i WHERE $place IS NULL OR i = $place
  UNWIND near AS j
  WITH i, j WHERE i <> j AND ($place IS NOT NULL OR i < j)
  RETURN DISTINCT i, j
}}
WITH lat0, alat0, gs[i] AS g1, gs[j] AS g2
WITH lat0, alat0, g1, g2, [t IN g1.themes WHERE t IN g2.themes] AS shared,
     {_nearness('whole', 'alat0')} AS anyone
WHERE size(shared) > 0 AND any(k IN keys(anyone) WHERE anyone[k])
WITH g1, g2, shared, anyone,
     {_nearness('own', 'lat0')} AS own
CALL (g1, g2) {{
  UNWIND g1.members AS m1
  MATCH (x:Entity {{code: m1}})
  CALL (x, g2) {{
    MATCH (x)-[rx:PARTY_TO]->(c:Collaboration)<-[ry:PARTY_TO]-(y:Entity)
    WHERE y.code IN g2.members AND x <> y AND {tf('rx', 'ry', 'x', 'y', 'c')}
    WITH c, {_latest('c.valid_from, rx.valid_from, ry.valid_from')} AS pair_start,
         {_earliest('c.valid_to, rx.valid_to, ry.valid_to')} AS pair_end
    WHERE pair_start IS NULL OR pair_end IS NULL OR pair_start <= pair_end
    RETURN CASE WHEN size(coalesce(c.themes, [])) = 0 THEN ['*'] ELSE c.themes END AS cover
    UNION ALL
    MATCH (x)-[rc:COLLABORATES_WITH|PARTNER_OF]-(y:Entity)
    WHERE y.code IN g2.members AND {tf('rc', 'x', 'y')}
    RETURN CASE WHEN size(coalesce(rc.themes, [])) = 0 THEN ['*'] ELSE rc.themes END AS cover
  }}
  RETURN collect(cover) AS covers
}}
RETURN {{i: g1.i, members: g1.members, own: {{ps: g1.own.ps, rs: g1.own.rs, lat: g1.own.lat,
        lon: g1.own.lon}}, whole: {{ps: g1.whole.ps, rs: g1.whole.rs}}}} AS g1,
       {{i: g2.i, members: g2.members, own: {{ps: g2.own.ps, rs: g2.own.rs, lat: g2.own.lat,
        lon: g2.own.lon}}, whole: {{ps: g2.whole.ps, rs: g2.whole.rs}}}} AS g2,
       shared, covers, own, anyone
"""

#: each body's own area (for the reasons that hold only through a co-publisher)
_MEMBERS = f"""
UNWIND $codes AS code
MATCH (rep:Entity {{code: code}})
CALL (rep) {{
  {_area('rep', _OWN_DS, _OWN_PS)}
}}
RETURN rep.code AS code, ds, ps, nbrs, rs, lat, lon
"""

_NAMES = ("UNWIND $codes AS code MATCH (n:Entity {code: code}) "
          "RETURN n.code AS code, n.name AS name, n.scheme AS scheme")


def groups_of(rows: list[dict[str, Any]]) -> list[list[str]]:
    """:func:`lisgraph.analysis.opportunities.strategy_groups`' members, from the bodies'
    rows (``code``, ``type``, ``strategies``): bodies joined by the strategies they published
    together, in order (combined authority first, then LEP, then by code)."""
    types = {r["code"]: r["type"] for r in rows}
    bodies = sorted(types, key=lambda b: (_BODY_RANK.get(types[b], 2), b))
    strategies = {r["code"]: r["strategies"] for r in rows}
    return list(joined_by_strategies(bodies, strategies.__getitem__).values())


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
    rows_b = conn.read(BODIES, {"as_of": as_of})
    members = groups_of(rows_b)
    if len(members) < 2:
        return []
    themes_of = {r["code"]: r["themes"] for r in rows_b}
    groups = []
    for i, ms in enumerate(members):
        ts = sorted(themes_of[ms[0]])
        if theme is not None:
            ts = [t for t in ts if t == theme]
        groups.append({"i": i, "members": ms, "themes": ts})
    g_place = None
    if body is not None:
        g_place = next((i for i, ms in enumerate(members) if body in ms), None)
        if g_place is None:
            return []
    pairs = conn.read(OPPORTUNITIES, {"as_of": as_of, "groups": groups, "place": g_place,
                                      "max_km": float(max_km)})
    if not pairs:
        return []
    involved = sorted({m for p in pairs for g in (p["g1"], p["g2"]) for m in g["members"]})
    periods = {r["code"]: _span(pp) if (pp := published_periods(r)) else None
               for r in conn.read(_OWN_MANY, {"codes": involved, "as_of": as_of})}
    spans: dict[int, Any] = {}
    for p in pairs:
        for g in (p["g1"], p["g2"]):
            got = [periods[m] for m in g["members"] if periods[m] is not None]
            spans[g["i"]] = (coexist(*got) or got[0]) if got else None
    codes = sorted({c for p in pairs for g in (p["g1"], p["g2"])
                    for c in g["whole"]["ps"] + g["whole"]["rs"]} | set(involved)
                   | {t for p in pairs for t in p["shared"]})
    named = {r["code"]: r for r in conn.read(_NAMES, {"codes": codes})}
    scored = []
    for p in pairs:
        g1, g2 = p["g1"], p["g2"]
        if g2["i"] < g1["i"]:
            g1, g2 = g2, g1
        s1, s2 = spans[g1["i"]], spans[g2["i"]]
        if as_of is None and not _meet(s1, s2):
            continue  # their strategies never coexisted
        shared = sorted(p["shared"])
        cover = set().union(*map(set, p["covers"])) if p["covers"] else set()
        if "*" in cover:
            continue
        left = [t for t in shared if t not in cover]
        theme_score = float(sum(SCHEME_WEIGHT.get(str(named[t]["scheme"]), 1.0) for t in left))
        signals = {k: 1.0 if p["own"][k] else VIA_FACTOR if p["anyone"][k] else 0.0
                   for k in PROXIMITY}
        proximity = max(signals[k] * PROXIMITY[k] for k in PROXIMITY)
        if round(theme_score * proximity, 4) <= 0:
            continue
        scored.append((g1, g2, left, theme_score, proximity, signals))
    scored.sort(key=lambda x: (-round(x[3] * x[4], 4), x[0]["members"][0], x[1]["members"][0]))
    if top:
        scored = scored[:top]
    facts = _member_facts(conn, scored, as_of)
    rows = []
    for g1, g2, left, theme_score, proximity, signals in scored:
        row = _row(g1, g2, left, theme_score, proximity, signals, named, facts, max_km, as_of)
        s1, s2 = spans[g1["i"]], spans[g2["i"]]
        together = coexist(s1, s2) if s1 and s2 else None
        row.update(valid_from=iso(together and together[0]), valid_to=iso(together and together[1]),
                   date_status=together[2] if together else "")
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        rows.append(row)
    return rows


def _meet(a: Any, b: Any) -> bool:
    """The embedded test of two strategy spans: the later start is not after the earlier end
    (a group without a span meets every other)."""
    lo = max(a[0].toordinal() if a and a[0] else 0, b[0].toordinal() if b and b[0] else 0)
    hi = min(a[1].toordinal() if a and a[1] else 10**7, b[1].toordinal() if b and b[1] else 10**7)
    return lo <= hi


def _member_facts(conn: Connection, scored: list[Any],
                  as_of: date | None) -> dict[str, dict[str, Any]]:
    """Each publisher's own area, for the pairs with a nearness that holds only through a
    co-publisher (or with a shared partnership, whose reason names who holds it)."""
    codes = sorted({m for g1, g2, _, _, _, signals in scored
                    if len(g1["members"]) + len(g2["members"]) > 2
                    and (VIA_FACTOR in signals.values() or set(g1["whole"]["ps"]) & set(g2["whole"]["ps"]))
                    for m in g1["members"] + g2["members"]})
    if not codes:
        return {}
    return {r["code"]: r for r in conn.read(_MEMBERS, {"codes": codes, "as_of": as_of})}


def _row(g1: dict[str, Any], g2: dict[str, Any], shared: list[str], theme_score: float,
         proximity: float, signals: dict[str, float], named: dict[str, dict[str, Any]],
         facts: dict[str, dict[str, Any]], max_km: float, as_of: date | None) -> dict[str, Any]:
    """:func:`lisgraph.analysis.opportunities._row` from the server's facts."""
    a, b = g1["members"][0], g2["members"][0]

    def who(holds: Any) -> list[str]:
        if holds(a, b):
            return []
        out: list[str] = []
        for x in g1["members"]:
            for y in g2["members"]:
                if (x, y) != (a, b) and holds(x, y):
                    out += [m for m in (x, y) if m not in (a, b)]
        return [f"{named[m]['name']} ({m})" for m in dict.fromkeys(out)]

    def fact(m: str, key: str) -> set[str]:
        return set(facts[m][key]) if m in facts else set()

    def lazy(factor: float, holds: Any) -> list[str]:
        return who(holds) if factor < 1.0 else []

    reasons = []
    if signals["overlapping"]:
        reasons.append(_via("areas overlap", signals["overlapping"], lazy(
            signals["overlapping"], lambda x, y: bool(fact(x, "ds") & fact(y, "ds")))))
    if signals["neighbouring"]:
        reasons.append(_via("neighbouring areas", signals["neighbouring"], lazy(
            signals["neighbouring"], lambda x, y: bool(fact(x, "nbrs") & fact(y, "ds"))
            or bool(fact(y, "nbrs") & fact(x, "ds")))))
    for q in sorted(set(g1["whole"]["ps"]) & set(g2["whole"]["ps"])):
        own = q in g1["own"]["ps"] and q in g2["own"]["ps"]
        reasons.append(_via(f"both in {named[q]['name']}", 1.0 if own else VIA_FACTOR, lazy(
            1.0 if own else VIA_FACTOR, lambda x, y, q=q: q in fact(x, "ps") and q in fact(y, "ps"))))
    if signals["same region"]:
        regs = set(g1["own"]["rs"]) & set(g2["own"]["rs"]) or set(g1["whole"]["rs"]) & set(g2["whole"]["rs"])
        reasons.append(_via("same region: " + ", ".join(sorted(named[r]["name"] for r in regs)),
                            signals["same region"], lazy(
                                signals["same region"],
                                lambda x, y: bool(fact(x, "rs") & fact(y, "rs")))))
    km = None
    if g1["own"]["lat"] is not None and g2["own"]["lat"] is not None:
        km = round(distance_km((g1["own"]["lat"], g1["own"]["lon"]),
                               (g2["own"]["lat"], g2["own"]["lon"])), 1)
    if signals["within distance"]:
        if signals["within distance"] == 1.0:
            reasons.append(f"{km} km apart")
        else:
            def close(x: str, y: str) -> bool:
                p, q = facts.get(x), facts.get(y)
                return bool(p and q and p["lat"] is not None and q["lat"] is not None
                            and distance_km((p["lat"], p["lon"]), (q["lat"], q["lon"])) <= max_km)
            reasons.append(_via(f"within {max_km:g} km", VIA_FACTOR, who(close)))
    labels = sorted(shared, key=lambda t: (SCHEME_ORDER.get(str(named[t]["scheme"]), 3), t))
    also = [f"{named[m]['name']} ({m})" for m in g1["members"][1:] + g2["members"][1:]]
    return {
        "a": a, "a_name": named[a]["name"], "b": b, "b_name": named[b]["name"],
        "score": round(theme_score * proximity, 4), "theme_score": theme_score,
        "proximity": proximity, "shared_themes": [named[t]["name"] for t in labels],
        "reasons": reasons, "distance_km": km, "also": also,
    }


def _via(reason: str, factor: float, via: list[str]) -> str:
    from ..analysis.opportunities import _via as embedded

    return embedded(reason, factor, via)
