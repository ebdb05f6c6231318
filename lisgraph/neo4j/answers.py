"""The analyst's questions answered on the server: overlaps, gaps, boundaries, path.

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

__all__ = ["boundaries", "change_days", "districts_expr", "over_time", "gaps", "overlaps", "path", "theme_rank"]

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


_TWO_LEPS = f"""
MATCH (d:District)-[r1:PART_OF]->(a:LocalEnterprisePartnership)
MATCH (d)-[r2:PART_OF]->(b:LocalEnterprisePartnership)
WHERE a.code < b.code AND {tf('r1', 'r2', 'd', 'a', 'b')}
RETURN DISTINCT d.code AS district, d.name AS district_name, a.code AS lep1,
       a.name AS lep1_name, b.code AS lep2, b.name AS lep2_name
ORDER BY district, lep1, lep2
"""

_SPANNING = """
MATCH (d:District)-[r:PART_OF]->(b:{body})
WHERE {holds}
WITH DISTINCT b, d
OPTIONAL MATCH (d)-[r2:PART_OF]->(x:{across})
WHERE {holds2}
WITH b, d, collect(DISTINCT x) AS xs
UNWIND CASE WHEN size(xs) = 0 THEN [null] ELSE xs END AS x
WITH b, x, count(d) AS n
WITH b, collect(CASE WHEN x IS NOT NULL THEN [x.code, x.name, n] END) AS spans,
     sum(CASE WHEN x IS NULL THEN n ELSE 0 END) AS outside
WHERE size(spans) > 1 OR ($with_outside AND size(spans) > 0 AND outside > 0)
RETURN b.code AS code, b.name AS name, spans, outside
ORDER BY code
"""

_SPANS = (("lep", "LocalEnterprisePartnership", "region", "Region", "LEP spanning regions"),
          ("combined_authority", "CombinedAuthority", "region", "Region",
           "combined authority spanning regions"),
          ("lep", "LocalEnterprisePartnership", "combined_authority", "CombinedAuthority",
           "LEP spanning combined authorities"),
          ("combined_authority", "CombinedAuthority", "lep", "LocalEnterprisePartnership",
           "combined authority spanning LEPs"))


def boundaries(conn: Connection, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.boundaries` on the server: the same rows, in the same order;
    the server aggregates (districts per body and per area across) and returns only the
    bodies that span. Undated, the structure is computed for each period in which no
    membership changes (the days come from the server) and each row is given once with the
    span it held, as :func:`lisgraph.view.over_time` does."""
    from ..analysis.boundaries import _KINDS
    from ..view import iso

    if as_of is not None:
        day = iso(as_of)
        return [dict(r, valid_from=day, valid_to=day, as_of=day) for r in _on_day(conn, as_of)]
    rows = over_time(change_days(conn, "PART_OF"), lambda day: _on_day(conn, day),
                     key=lambda r: (r["kind"], r["code"], tuple(r["detail"])))
    return sorted(rows, key=lambda r: (_KINDS.index(r["kind"]), r["name"], r["code"],
                                       r["valid_from"] or ""))


def _on_day(conn: Connection, as_of: date | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in conn.read(_TWO_LEPS, {"as_of": as_of}):
        rows.append({"kind": "district in two LEPs", "code": r["district"],
                     "name": r["district_name"],
                     "detail": [f"{r['lep1_name']} ({r['lep1']})", f"{r['lep2_name']} ({r['lep2']})"]})
    for _, body, across, across_label, kind in _SPANS:
        statement = _SPANNING.format(body=body, across=across_label,
                                     holds=tf("r", "d", "b"), holds2=tf("r2", "x"))
        with_outside = across == "combined_authority"
        for r in conn.read(statement, {"as_of": as_of, "with_outside": with_outside}):
            parts = [f"{name} ({n})" for _, name, n in sorted(r["spans"])]
            if r["outside"] and with_outside:
                parts.append(f"no combined authority ({r['outside']})")
            rows.append({"kind": kind, "code": r["code"], "name": r["name"], "detail": parts})
    return rows


def _latest(items: str) -> str:
    return (f"reduce(m = null, x IN [x IN [{items}] WHERE x IS :: DATE NOT NULL] | "
            "CASE WHEN m IS NULL OR x > m THEN x ELSE m END)")


def _earliest(items: str) -> str:
    return (f"reduce(m = null, x IN [x IN [{items}] WHERE x IS :: DATE NOT NULL] | "
            "CASE WHEN m IS NULL OR x < m THEN x ELSE m END)")


def change_days(conn: Connection, rel_type: str) -> list[date]:
    """:func:`lisgraph.view.change_days` on the server: the days a link of ``rel_type`` (a
    schema relationship type) starts or stops holding, by its period (its own dates and its
    ends')."""
    from datetime import timedelta

    from .constraints import quoted, relationship_types

    if rel_type not in relationship_types().values():
        raise LisgraphError(f"'{rel_type}' is not a relationship type in schema/model.toml")
    start_a = "CASE WHEN a:Strategy THEN coalesce(a.valid_from, a.date) ELSE a.valid_from END"
    start_b = "CASE WHEN b:Strategy THEN coalesce(b.valid_from, b.date) ELSE b.valid_from END"
    rows = conn.read(
        f"MATCH (a:Entity)-[r:{quoted(rel_type)}]->(b:Entity) "
        f"WITH {_latest(f'r.valid_from, {start_a}, {start_b}')} AS s, "
        f"{_earliest('r.valid_to, a.valid_to, b.valid_to')} AS e "
        "RETURN collect(DISTINCT s) AS starts, collect(DISTINCT e) AS ends")
    days = set(rows[0]["starts"]) if rows else set()
    if rows:
        days |= {e + timedelta(days=1) for e in rows[0]["ends"] if e < date.max}
    return sorted(days)


def over_time(days: list[date], compute: Any, key: Any) -> list[dict[str, Any]]:
    """:func:`lisgraph.view.over_time` with the change days given and ``compute(day)``
    answering for one day."""
    from datetime import timedelta

    from ..view import iso, today

    spans: list[tuple[date | None, date | None, date]] = []
    if days:
        spans.append((None, days[0] - timedelta(days=1), days[0] - timedelta(days=1)))
        for a, b in zip(days, days[1:]):
            spans.append((a, b - timedelta(days=1), a))
        spans.append((days[-1], None, days[-1]))
    else:
        spans.append((None, None, today()))
    open_rows: dict[Any, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for start, end, probe in spans:
        seen = set()
        for row in compute(probe):
            k = key(row)
            seen.add(k)
            if k in open_rows:
                open_rows[k]["valid_to"] = iso(end)
            else:
                row = dict(row, valid_from=iso(start), valid_to=iso(end))
                open_rows[k] = row
                out.append(row)
        for k in list(open_rows):
            if k not in seen:
                del open_rows[k]
    return out


_PATHS = """
MATCH (a:Entity {code: $a}), (b:Entity {code: $b})
MATCH p = ALL SHORTEST (a) ((x)-[r]-(y) WHERE HOLDS AND (NOT SKIP OR x = a OR y = a OR x = b
                                                         OR y = b))+ (b)
WITH DISTINCT [n IN nodes(p) | n.code] AS codes
ORDER BY codes
LIMIT 1000
RETURN codes
"""

_STEPS = f"""
UNWIND $pairs AS pair
MATCH (u:Entity {{code: pair[0]}})-[r]-(v:Entity {{code: pair[1]}})
WHERE {tf('r', 'u', 'v')}
RETURN pair[0] AS u, pair[1] AS v, type(r) AS t, r.valid_from AS valid_from,
       r.valid_to AS valid_to, startNode(r).code AS start, endNode(r).code AS end,
       r.sources AS sources, r.date AS date
"""

_NODES = """
UNWIND $codes AS code
MATCH (n:Entity {code: code})
RETURN n.code AS code, n.name AS name, n.type AS type, n.valid_from AS valid_from,
       n.valid_to AS valid_to, n.date AS date
"""


def path(conn: Connection, a: str, b: str, as_of: date | None = None, limit: int = 3,
         skip_types: tuple[str, ...] = ("theme",)) -> list[list[dict[str, Any]]]:
    """:func:`lisgraph.analysis.path` on the server: the shortest paths (``ALL SHORTEST``,
    predicates checked during the search) in code order, each step's links and their ends'
    dates fetched, and the first choice of links that held at one time kept (undated, a path
    whose steps never coexisted is dropped), the first ``limit`` such paths."""
    from ..model import Edge, Node
    from ..schema import load_schema
    from ..view import iso, overlap, period

    schema = load_schema()
    start, end = resolve(conn, a, as_of=as_of), resolve(conn, b, as_of=as_of)
    require(_row_of(start), as_of)
    require(_row_of(end), as_of)
    if start.id == end.id:
        raise LisgraphError("A and B are the same node")
    types = "|".join(sorted(et.label for et in schema.edges.values()))
    skip = " OR ".join(f"x:{schema.nodes[t].label} OR y:{schema.nodes[t].label}"
                       for t in skip_types) or "false"
    statement = _PATHS.replace("HOLDS", tf("r", "x", "y")).replace("SKIP", f"({skip})")
    statement = statement.replace("-[r]-(y)", f"-[r:{types}]-(y)")
    found = [f["codes"] for f in conn.read(statement, {"a": start.id, "b": end.id,
                                                        "as_of": as_of})]
    if not found:
        return []
    pairs = sorted({(p[i], p[i + 1]) for p in found for i in range(len(p) - 1)})
    codes = sorted({c for p in found for c in p})
    nodes = {r["code"]: Node(r["code"], r["type"], r["name"], (),
                             {k: r[k] for k in ("valid_from", "valid_to", "date")
                              if r.get(k) is not None})
             for r in conn.read(_NODES, {"codes": codes})}
    name_of = {et.label: k for k, et in schema.edges.items()}
    alternatives: dict[frozenset[str], list[Edge]] = {}
    for r in conn.read(_STEPS, {"pairs": [list(p) for p in pairs], "as_of": as_of}):
        edge_type = name_of.get(r["t"])
        if edge_type is None:
            continue
        props = {"date": r["date"]} if r.get("date") is not None else {}
        e = Edge(r["start"], edge_type, r["end"], tuple(r["sources"] or ()), r["valid_from"],
                 r["valid_to"], props)
        alternatives.setdefault(frozenset((r["u"], r["v"])), []).append(e)
    for links in alternatives.values():  # the embedded order: type, dates, ends, sources
        links[:] = sorted({id(e): e for e in links}.values(),
                          key=lambda e: (e.type, str(e.valid_from), str(e.valid_to), e.start,
                                         e.end, e.sources))
        seen: set[tuple] = set()
        links[:] = [e for e in links if not ((e.start, e.end, e.type, e.valid_from, e.valid_to,
                                               e.sources) in seen
                                              or seen.add((e.start, e.end, e.type, e.valid_from,
                                                           e.valid_to, e.sources)))]
    holder = _Nodes(nodes)
    out = []
    for p in found:
        chosen: list[Edge] = []
        common: Any = (None, None, "")
        for u, v in zip(p, p[1:]):
            for e in alternatives.get(frozenset((u, v)), []):
                together = overlap(common, period(holder, e))
                if together is not None:
                    chosen.append(e)
                    common = together
                    break
            else:
                break
        if len(chosen) != len(p) - 1:
            continue  # its steps never held at one time
        steps = []
        for (u, v), e in zip(zip(p, p[1:]), chosen):
            arrow = e.type if e.start == u else "<-" + e.type
            step = {"from": u, "from_name": nodes[u].name, "edge": arrow, "to": v,
                    "to_name": nodes[v].name, "sources": list(e.sources),
                    "valid_from": iso(common[0]), "valid_to": iso(common[1])}
            if as_of is not None:
                step["as_of"] = as_of.isoformat()
            steps.append(step)
        out.append(steps)
        if len(out) == limit:
            break
    return out
