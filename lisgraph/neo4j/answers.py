"""The analyst's questions answered on the server: overlaps and gaps (boundaries and path are
in :mod:`.boundaries` and :mod:`.path`).

Each function takes an open :class:`~lisgraph.neo4j.connection.Connection` where the embedded
function (:mod:`lisgraph.analysis`) takes a graph, and returns the same rows. The Cypher starts
from a code (the ``:Entity(code)`` constraint's index), walks out from there and returns only
the rows of the answer, or the small slice the ranking needs (the themes of the bodies that
share one with PLACE, the points of the partners on a theme). Time follows the dated view's
contract (:func:`~lisgraph.neo4j.lookup.time_filter`); values are always parameters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from ..analysis.gaps import PARTNER_TYPES
from ..analysis.index import SCHEME_WEIGHT, distance_km
from ..errors import LisgraphError
from .connection import Connection
from .lookup import require, resolve, time_filter

__all__ = ["districts_expr", "gaps", "no_strategy", "overlaps", "published_periods", "theme_rank"]

_SCHEME_ORDER = {"sector": 0, "grand_challenge": 1, "foundation": 2}
_BODY_RANK = {"combined_authority": 0, "lep": 1}
tf = time_filter


def theme_rank(code: str, scheme: Any) -> tuple[int, str]:
    """Most specific theme first (sector, Grand Challenge, foundation), then by id."""
    return _SCHEME_ORDER.get(str(scheme), 3), code


def _districts_of_body(m: str, n: int) -> str:
    """Cypher list of the districts that make up non-partnership ``m`` (a district is its own)."""
    d, r = f"d{n}", f"r{n}"
    return (f"CASE WHEN {m}:District THEN [x IN [{m}] WHERE {tf(m)}] "
            f"WHEN {m}:Provider OR {m}:Organisation THEN "
            f"[({m})-[{r}:LOCATED_IN]->({d}:District) WHERE {tf(r, d)} | {d}] "
            f"ELSE [({d}:District)-[{r}:PART_OF]->({m}) WHERE {tf(r, d)} | {d}] END")


def districts_expr(v: str) -> str:
    """Cypher list (with repeats) of the districts that make up ``v``'s area on ``$as_of``:
    :func:`lisgraph.analysis.index.member_districts` (a partnership: its members' districts)."""
    return (f"CASE WHEN {v}:Partnership THEN reduce(acc = [], mm IN "
            f"[(m2:Entity)-[rm:MEMBER_OF]->({v}) WHERE NOT m2:Partnership AND {tf('rm', 'm2')} "
            f"| m2] | acc + {_districts_of_body('mm', 1)}) "
            f"ELSE {_districts_of_body(v, 2)} END")


def _weight(scheme: Any) -> float:
    return SCHEME_WEIGHT.get(str(scheme), 1.0)


def _body_key(row: dict[str, Any]) -> tuple[int, str]:
    return _BODY_RANK.get(row["type"], 2), row["code"]


_PUBLISHED = ("[(X)-[rp:PUBLISHED]->(sp:Strategy) WHERE " + tf("rp", "X", "sp")
              + " | {from: rp.valid_from, to: rp.valid_to, code: sp.code, type: sp.type, "
              "valid_from: sp.valid_from, valid_to: sp.valid_to, date: sp.date}]")

_THEMES_OF = f"""
MATCH (p:Entity {{code: $code}})-[r1:PUBLISHED]->(s1:Strategy)-[r2:HAS_PRIORITY]->(p1:Priority)
      -[r3:ADDRESSES]->(t:Theme)
WHERE {tf('r1', 'r2', 'r3', 'p', 's1', 'p1', 't')}
WITH p, collect(DISTINCT t) AS mine
OPTIONAL MATCH (p)-[r0:PUBLISHED]->(s0:Strategy)
WHERE {tf('r0', 's0')}
WITH p, mine, collect(DISTINCT s0.code) AS own
UNWIND mine AS t
MATCH (t)<-[r4:ADDRESSES]-(p2:Priority)<-[r5:HAS_PRIORITY]-(s2:Strategy)<-[r6:PUBLISHED]-(o:Entity)
WHERE o <> p AND {tf('r4', 'r5', 'r6', 'p2', 's2', 'o')}
WITH DISTINCT p, [x IN mine | x.code] AS mine, own, o
MATCH (o)-[r7:PUBLISHED]->(s:Strategy)
WHERE {tf('r7', 's')}
WITH mine, own, o, collect(DISTINCT s) AS strategies
WHERE NOT all(x IN strategies WHERE x.code IN own)
CALL (o, mine) {{
  MATCH (o)-[r8:PUBLISHED]->(s3:Strategy)-[r9:HAS_PRIORITY]->(pr:Priority)-[r10:ADDRESSES]->(t:Theme)
  WHERE {tf('r8', 'r9', 'r10', 's3', 'pr', 't')}
  WITH t, collect(pr.name) AS priorities
  RETURN sum(coalesce($weights[coalesce(t.scheme, '')], 1.0)) AS norm,
         collect(CASE WHEN t.code IN mine THEN {{code: t.code, name: t.name, scheme: t.scheme,
                                                 priorities: priorities}} END) AS shared
}}
RETURN o.code AS code, o.name AS name, o.type AS type, o.valid_from AS valid_from,
       o.valid_to AS valid_to, norm, shared, [s IN strategies | s.code] AS strategies,
       reduce(acc = [], s IN strategies | acc + coalesce(s.sources, [])) AS sources,
       {_PUBLISHED.replace('X', 'o')} AS published
"""

_MINE = f"""
MATCH (p:Entity {{code: $code}})-[r1:PUBLISHED]->(s1:Strategy)-[r2:HAS_PRIORITY]->(p1:Priority)
      -[r3:ADDRESSES]->(t:Theme)
WHERE {tf('r1', 'r2', 'r3', 'p', 's1', 'p1', 't')}
RETURN DISTINCT t.code AS code, t.scheme AS scheme
"""

_OWN_MANY = f"""
UNWIND $codes AS code
MATCH (p:Entity {{code: code}})
RETURN p.code AS code, p.type AS type, p.valid_from AS valid_from, p.valid_to AS valid_to,
       {_PUBLISHED.replace('X', 'p')} AS published
"""

_OWN = f"""
MATCH (p:Entity {{code: $code}})
RETURN p.code AS code, p.type AS type, p.valid_from AS valid_from, p.valid_to AS valid_to,
       {_PUBLISHED.replace('X', 'p')} AS published
"""


def published_periods(body: dict[str, Any]) -> list[tuple[Any, Any, str]]:
    """:func:`lisgraph.view.period` of each strategy ``body`` published (fetched with its
    ``published`` list: the link's dates and the strategy's)."""
    from ..model import Edge, Node
    from ..view import period

    me = Node(body["code"], body["type"], "", (),
              {k: body[k] for k in ("valid_from", "valid_to") if body.get(k) is not None})
    out = []
    for p in body["published"]:
        strategy = Node(p["code"], p["type"], "", (), {k: p[k] for k in ("valid_from", "valid_to",
                                                                         "date") if p.get(k) is not None})
        holder = _Nodes({me.id: me, strategy.id: strategy})
        out.append(period(holder, Edge(me.id, "published", strategy.id, (), p["from"], p["to"])))
    return out


class _Nodes:
    """Just enough of a graph for :func:`lisgraph.view.period`: its ``nodes``."""

    def __init__(self, nodes: dict[str, Any]):
        self.nodes = nodes


def no_strategy(node: Any, as_of: date | None) -> LisgraphError:
    """:func:`lisgraph.analysis.overlaps.no_strategy` for a node found on the server."""
    if as_of is not None:
        return LisgraphError(f"{node.name} ({node.id}) has no strategy on {as_of.isoformat()}")
    return LisgraphError(f"{node.name} ({node.id}) has no strategy priorities in the graph; "
                         "try the LEP or combined authority whose strategy covers it")


def overlaps(conn: Connection, place: str, top: int | None = None,
             theme: str | None = None, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.overlaps` on the server: the same rows, in the same order.

    The server walks from PLACE's themes to the bodies whose strategies address them (on
    ``as_of``) and returns, per such body, the weight of all its themes (the norm), the shared
    ones and its strategies' dates; scores and common periods are computed here with the
    embedded formula and :mod:`lisgraph.view`'s rules.
    """
    from ..view import iso, overlap

    node = resolve(conn, place, as_of=as_of, prefer_strategy=True)
    require(_row_of(node), as_of)
    mine = conn.read(_MINE, {"code": node.id, "as_of": as_of})
    if not mine:
        raise no_strategy(node, as_of)
    if theme is not None and theme not in {m["code"] for m in mine}:
        return []
    own = sum(_weight(m["scheme"]) for m in mine)
    own_periods = published_periods(conn.read(_OWN, {"code": node.id, "as_of": as_of})[0])
    candidates = sorted(conn.read(_THEMES_OF, {"code": node.id, "weights": SCHEME_WEIGHT,
                                               "as_of": as_of}), key=_body_key)
    rows: list[dict[str, Any]] = []
    seen: dict[frozenset[str], dict[str, Any]] = {}
    for c in candidates:
        strategies = frozenset(c["strategies"])
        if strategies in seen:
            seen[strategies]["also"].append(f"{c['name']} ({c['code']})")
            continue
        shared = sorted(c["shared"], key=lambda t: theme_rank(t["code"], t["scheme"]))
        if theme is not None and theme not in {t["code"] for t in shared}:
            continue
        both = [q for q in (overlap(x, y) for x in own_periods for y in published_periods(c))
                if q is not None]
        if not both:
            continue  # their strategies never coexisted
        together = _span(both)
        norm = float(c["norm"])
        shared_w = sum(_weight(t["scheme"]) for t in shared)
        row = {
            "code": c["code"], "name": c["name"], "type": c["type"],
            "score": round(float(shared_w) / math.sqrt(own * norm), 4),
            "shared": len(shared),
            "shared_themes": [t["name"] for t in shared],
            "their_priorities": sorted({p for t in shared for p in t["priorities"]}),
            "also": [],
            "sources": sorted(set(c["sources"])),
            "valid_from": iso(together[0]), "valid_to": iso(together[1]),
            "date_status": together[2],
        }
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        seen[strategies] = row
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["shared"], r["name"], r["code"]))
    return rows[:top] if top else rows


def _span(spans: list[Any]) -> tuple[Any, Any, str]:
    """:func:`lisgraph.analysis.overlaps._span`: the span over several periods."""
    starts = [s[0] for s in spans]
    ends = [s[1] for s in spans]
    return (None if None in starts else min(starts), None if None in ends else max(ends),
            next((s[2] for s in spans if s[2]), ""))


def _row_of(node: Any) -> dict[str, Any]:
    return {"code": node.id, "name": node.name, "type": node.type, **node.props}


_GAP_THEMES = f"""
MATCH (p:Entity {{code: $code}})-[r:PUBLISHED]->(s:Strategy)-[:HAS_PRIORITY]->(pr:Priority)
      -[:ADDRESSES]->(t:Theme)
WHERE {tf('r', 'p', 's', 'pr', 't')}
RETURN t.code AS theme, t.name AS label, t.scheme AS scheme, collect(pr.name) AS priorities
"""

_AREA = f"""
MATCH (p:Entity {{code: $code}})
WITH p, {districts_expr('p')} AS ds
RETURN [p.lat, p.lon] AS own, [d IN ds | d.code] AS area,
       [d IN ds WHERE d.lat IS NOT NULL | [d.code, d.lat, d.lon]] AS points
"""

#: recorded pairs on themes: parties to one collaboration (its themes; the pair holds while
#: both take part, :func:`lisgraph.collaborations.collaboration_pairs`), pairwise
#: collaborations and partner links (their own themes)
_PAIRS_ON = """
CALL () {
  MATCH (x:Entity)-[rx:PARTY_TO]->(c:Collaboration)<-[ry:PARTY_TO]-(y:Entity)
  WHERE x <> y AND any(t IN c.themes WHERE t IN $themes) AND HOLDS_C
  WITH x, y, c, LATEST AS pair_start, EARLIEST AS pair_end
  WHERE pair_start IS NULL OR pair_end IS NULL OR pair_start <= pair_end
  RETURN x, y, c.themes AS themes
  UNION ALL
  MATCH (x:Entity)-[r:COLLABORATES_WITH|PARTNER_OF]->(y:Entity)
  WHERE any(t IN r.themes WHERE t IN $themes) AND HOLDS_R
  RETURN x, y, r.themes AS themes
}
"""

_ON_THEMES = (_PAIRS_ON.replace("HOLDS_C", tf("rx", "ry", "x", "y", "c"))
              .replace("HOLDS_R", tf("r", "x", "y"))
              .replace("LATEST", "reduce(m = null, v IN [v IN [c.valid_from, rx.valid_from, "
                       "ry.valid_from] WHERE v IS :: DATE NOT NULL] | CASE WHEN m IS NULL OR "
                       "v > m THEN v ELSE m END)")
              .replace("EARLIEST", "reduce(m = null, v IN [v IN [c.valid_to, rx.valid_to, "
                       "ry.valid_to] WHERE v IS :: DATE NOT NULL] | CASE WHEN m IS NULL OR "
                       "v < m THEN v ELSE m END)")
              + """
UNWIND [t IN themes WHERE t IN $themes] AS theme
UNWIND [[x, y], [y, x]] AS pair
WITH theme, pair[0] AS partner, collect(DISTINCT pair[1].code) AS withs
RETURN theme, partner.code AS code, partner.name AS name, partner.type AS type,
       $code IN withs AS with_place
""")

# the bodies whose area meets PLACE's: the area's districts, what is located in them or holds
# them (counties, regions, LEPs, authorities), and the partnerships those are members of
_IN_AREA = f"""
UNWIND $area AS code
MATCH (d:Entity {{code: code}})
CALL (d) {{
  RETURN d AS b
  UNION
  MATCH (b:Entity)-[r:LOCATED_IN]->(d) WHERE {tf('r', 'b')} RETURN b
  UNION
  MATCH (d)-[r:PART_OF]->(b:Entity) WHERE {tf('r', 'b')} RETURN b
}}
WITH DISTINCT b
CALL (b) {{
  RETURN b AS x
  UNION
  MATCH (b)-[r:MEMBER_OF]->(x:Partnership) WHERE {tf('r', 'x')} RETURN x
}}
RETURN DISTINCT x.code AS code
"""

_POINTS = f"""
UNWIND $codes AS code
MATCH (p:Entity {{code: code}})
WITH p, {districts_expr('p')} AS ds
RETURN p.code AS code, [p.lat, p.lon] AS own,
       [d IN ds WHERE d.lat IS NOT NULL | [d.code, d.lat, d.lon]] AS points
"""


def _point(own: list[Any], points: list[list[Any]]) -> tuple[float, float] | None:
    """The reference point: the body's own, else the mean of its districts' points."""
    if own[0] is not None and own[1] is not None:
        return float(own[0]), float(own[1])
    pts = list({p[0]: (float(p[1]), float(p[2])) for p in points}.values())
    if not pts:
        return None
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def gaps(conn: Connection, place: str, as_of: date | None = None,
         nearest: int = 3) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.gaps` on the server: the same rows.

    The server returns PLACE's themes and area, the partners recorded on those themes, the
    bodies that work in PLACE's area (walked from its districts), and the points of the
    partners that could fill a gap; the nearest are picked here.
    """
    node = resolve(conn, place, as_of=as_of, prefer_strategy=True)
    require(_row_of(node), as_of)
    mine = conn.read(_GAP_THEMES, {"code": node.id, "as_of": as_of})
    if not mine:
        raise no_strategy(node, as_of)
    area_row = conn.read(_AREA, {"code": node.id, "as_of": as_of})[0]
    area = sorted(set(area_row["area"]))
    origin = _point(area_row["own"], area_row["points"])
    themes = sorted({m["theme"] for m in mine})
    on_theme: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for p in conn.read(_ON_THEMES, {"themes": themes, "code": node.id, "as_of": as_of}):
        on_theme[p["theme"]][p["code"]] = p
    in_area = {r["code"] for r in conn.read(_IN_AREA, {"area": area, "as_of": as_of})}
    local_of = {t: sorted(c for c, p in here.items()
                          if c != node.id and (p["with_place"] or c in in_area))
                for t, here in on_theme.items()}
    wanted = sorted({c for t, here in on_theme.items() if not local_of[t]
                     for c, p in here.items() if c != node.id and p["type"] in PARTNER_TYPES})
    points: dict[str, tuple[float, float] | None] = {}
    if origin is not None and wanted:
        points = {r["code"]: _point(r["own"], r["points"])
                  for r in conn.read(_POINTS, {"codes": wanted, "as_of": as_of})}
    rows = []
    for m in sorted(mine, key=lambda m: theme_rank(m["theme"], m["scheme"])):
        here = on_theme.get(m["theme"], {})
        local = local_of.get(m["theme"], [])
        row: dict[str, Any] = {
            "theme": m["theme"], "label": m["label"], "scheme": m["scheme"],
            "status": "covered" if local else "gap",
            "priorities": sorted(set(m["priorities"])),
            "partners": [f"{here[c]['name']} ({c})" for c in local],
            "candidates": [],
        }
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        if not local and origin is not None:
            ranked = [(distance_km(origin, point), c) for c, p in here.items()
                      if c != node.id and p["type"] in PARTNER_TYPES
                      and (point := points.get(c)) is not None]
            row["candidates"] = [f"{here[c]['name']} ({c}), {km:.0f} km"
                                 for km, c in sorted(ranked)[:nearest]]
        rows.append(row)
    return rows
