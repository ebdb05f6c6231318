"""How two nodes are connected, answered on the server: the Neo4j twin of
:func:`lisgraph.analysis.path`."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import LisgraphError
from .answers import _Nodes, _row_of
from .connection import Connection
from .lookup import require, resolve
from .lookup import time_filter as tf

__all__ = ["path"]


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
