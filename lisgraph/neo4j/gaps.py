"""Collaboration gaps answered on the server: the Neo4j twin of :func:`lisgraph.analysis.gaps`.

The server returns the slice a place's gaps are worked out from, walked out from its code and
its themes on the date (:func:`~lisgraph.neo4j.lookup.time_filter`): the place's strategies,
priorities and themes and the strategies' other publishers; the districts that make up their
area and what is located in them (and the counties inside it); the recorded collaborations and
partner links that name one of the place's themes, with their parties; and, for each party,
its own area and strategies (its reference point and joint strategy). The embedded function
runs on that small graph (:func:`~lisgraph.neo4j.slice.mini_graph`), so the rows are the
embedded ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..analysis.gaps import DEFAULT_MAX_KM
from .answers import _row_of, districts_expr, no_strategy
from .connection import Connection
from .lookup import require, resolve, time_filter
from .overlaps import headline
from .slice import REL_ROW, mini_graph

__all__ = ["gaps", "gaps_slice"]

tf = time_filter

_STRATEGY_LAYER = f"""
MATCH (x:Entity {{code: $code}})-[r:PUBLISHED]->(y:Strategy) WHERE {tf('r', 'y')}
RETURN {REL_ROW}
UNION ALL
MATCH (:Entity {{code: $code}})-[r0:PUBLISHED]->(x:Strategy)-[r:HAS_PRIORITY]->(y:Priority)
WHERE {tf('r0', 'x', 'r', 'y')}
RETURN {REL_ROW}
UNION ALL
MATCH (:Entity {{code: $code}})-[r0:PUBLISHED]->(s:Strategy)-[r1:HAS_PRIORITY]->(x:Priority)
      -[r:ADDRESSES]->(y:Theme)
WHERE {tf('r0', 's', 'r1', 'x', 'r', 'y')}
RETURN {REL_ROW}
UNION ALL
MATCH (:Entity {{code: $code}})-[r0:PUBLISHED]->(y:Strategy)<-[r:PUBLISHED]-(x:Entity)
WHERE {tf('r0', 'y', 'r', 'x')}
RETURN {REL_ROW}
"""


def _around(codes: str, var: str, *parts: str, distinct: bool = False) -> str:
    """Cypher: for each code in ``$codes``, the node ``var`` and the link rows of ``parts``
    (subqueries over ``var``, each returning :data:`~lisgraph.neo4j.slice.REL_ROW`)."""
    union = "\n  UNION ALL\n  ".join(parts)
    return (f"\nUNWIND ${codes} AS code\nMATCH ({var}:Entity {{code: code}})\nCALL ({var}) {{\n"
            f"  {union}\n}}\nRETURN {'DISTINCT ' if distinct else ''}a, t, b, props\n")


#: the links that make up the areas of $codes (lisgraph.analysis.index.member_districts)
_AREAS = _around(
    "codes", "m",
    f"MATCH (x:District)-[r:PART_OF]->(y) WHERE y = m AND {tf('r', 'x')} RETURN {REL_ROW}",
    f"MATCH (x)-[r:LOCATED_IN]->(y:Entity) WHERE x = m AND {tf('r', 'y')} RETURN {REL_ROW}",
    "MATCH (x:Entity)-[r:MEMBER_OF]->(y:Partnership) WHERE y = m AND NOT x:Partnership\n"
    f"        AND {tf('r', 'x')} RETURN {REL_ROW}")

#: what lies in the area's districts: located bodies, and the counties they are part of
#: (with all of those counties' districts, to tell whether a county lies inside)
_INSIDE = _around(
    "area", "d",
    f"MATCH (x:Entity)-[r:LOCATED_IN]->(y) WHERE y = d AND {tf('r', 'x')} RETURN {REL_ROW}",
    f"MATCH (x)-[r:PART_OF]->(y:County) WHERE x = d AND {tf('r', 'y')} RETURN {REL_ROW}",
    "MATCH (d)-[r0:PART_OF]->(c:County)<-[r:PART_OF]-(x:District)\n"
    f"  WHERE {tf('r0', 'c', 'r', 'x')} WITH x, r, c AS y RETURN {REL_ROW}",
    distinct=True)

#: recorded collaborations (all their parties) and partner links that name one of $themes
_LINKS = f"""
MATCH (c:Collaboration) WHERE any(t IN c.themes WHERE t IN $themes) AND {tf('c')}
MATCH (x:Entity)-[r:PARTY_TO]->(y) WHERE y = c AND {tf('r', 'x')}
RETURN {REL_ROW}
UNION ALL
MATCH (x:Entity)-[r:PARTNER_OF|COLLABORATES_WITH]->(y:Entity)
WHERE any(t IN r.themes WHERE t IN $themes) AND {tf('r', 'x', 'y')}
RETURN {REL_ROW}
"""

_DISTRICTS = f"""
UNWIND $codes AS code
MATCH (v:Entity {{code: code}})
RETURN [d IN {districts_expr('v')} | d.code] AS area
"""

_PUBLISHED = f"""
UNWIND $codes AS code
MATCH (x:Entity {{code: code}})-[r:PUBLISHED]->(y:Strategy) WHERE {tf('r', 'y')}
RETURN {REL_ROW}
"""

_HAS_THEMES = f"""
MATCH (o:Entity {{code: $code}})-[r0:PUBLISHED]->(s:Strategy)-[r1:HAS_PRIORITY]->(p:Priority)
      -[r2:ADDRESSES]->(t:Theme)
WHERE {headline('p')} AND {tf('r0', 'r1', 'r2', 's', 'p', 't')}
RETURN collect(DISTINCT t.code) AS themes
"""


def _areas(conn: Connection, codes: set[str], as_of: date | None) -> list[dict[str, Any]]:
    """The area links of ``codes`` and, for partnerships, of their members (recursively)."""
    out: list[dict[str, Any]] = []
    done: set[str] = set()
    todo = set(codes)
    while todo:
        rows = conn.read(_AREAS, {"codes": sorted(todo), "as_of": as_of})
        out += rows
        done |= todo
        todo = {r["a"] for r in rows if r["t"] == "MEMBER_OF"} - done
    return out


def gaps_slice(conn: Connection, code: str, themes: list[str], as_of: date | None) -> Any:
    """The small graph PLACE's gaps on ``themes`` are worked out from."""
    params = {"code": code, "as_of": as_of, "themes": themes}
    rels = conn.read(_STRATEGY_LAYER, params)
    us = {code} | {r["a"] for r in rels if r["t"] == "PUBLISHED"}
    area_rels = _areas(conn, us, as_of)
    area = sorted({d for r in conn.read(_DISTRICTS, {"codes": sorted(us), "as_of": as_of})
                   for d in r["area"]})
    rels += area_rels
    links = conn.read(_LINKS, params)
    parties = {r["a"] for r in links} | {r["b"] for r in links if r["t"] != "PARTY_TO"}
    rels += links
    rels += conn.read(_INSIDE, {"area": area, "as_of": as_of})
    rels += _areas(conn, parties - us, as_of)
    rels += conn.read(_PUBLISHED, {"codes": sorted(parties - us), "as_of": as_of})
    return mini_graph(conn, rels, [code])


def gaps(conn: Connection, place: str, as_of: date | None = None,
         max_km: float = DEFAULT_MAX_KM, nearest: int = 5) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.gaps` on the slice fetched from the server: the same rows."""
    from ..analysis.gaps import gaps as run

    node = resolve(conn, place, as_of=as_of, prefer_strategy=True)
    require(_row_of(node), as_of)
    themes = conn.read(_HAS_THEMES, {"code": node.id, "as_of": as_of})[0]["themes"]
    if not themes:
        raise no_strategy(node, as_of)
    graph = gaps_slice(conn, node.id, sorted(themes), as_of)
    return run(graph, node.id, as_of=as_of, max_km=max_km, nearest=nearest)
