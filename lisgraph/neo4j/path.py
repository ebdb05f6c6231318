"""How two nodes are connected, answered from the server: the Neo4j twin of
:func:`lisgraph.analysis.path`.

Cheapest paths with link costs (1 / 2 / 3) need Dijkstra, which Community Cypher does not
offer, so the search runs here on a sparse slice fetched as it grows: a bidirectional Dijkstra
from A and B asks the server for the links of the nodes it is about to settle (a batch per
round trip, time rules applied in Cypher, codes and types only) and stops once every node
within half the cheapest cost of either end is settled. The search of the embedded engine (:func:`lisgraph.analysis.path._distinct_routes`)
then runs on that slice, built in the embedded engine's link order, so its shortest paths, their
ties and the routes chosen are the embedded ones; the links of the steps of a chosen path (dates,
sources) are fetched last. :data:`LAST_SLICE` records the slice's size and the time taken.
"""

from __future__ import annotations

import heapq
import time
from datetime import date
from typing import Any

from ..errors import LisgraphError
from ..model import Edge, Node
from .answers import _row_of
from .connection import Connection
from .lookup import require, resolve
from .lookup import time_filter as tf

__all__ = ["LAST_SLICE", "path"]

#: what the last call fetched: {"nodes": n, "relationships": m, "seconds": s, "round_trips": k}
LAST_SLICE: dict[str, float] = {}
#: at most this many nodes' links are asked for in one round trip
BATCH = 2000

_LINKS = """
UNWIND $codes AS code
MATCH (n:Entity {code: code})-[r:TYPES]-(m:Entity)
WHERE HOLDS
RETURN code, m.code AS other, m.type AS other_type, type(r) AS t, startNode(r) = n AS out
"""

_STEPS = f"""
UNWIND $pairs AS pair
MATCH (u:Entity {{code: pair[0]}})-[r]-(v:Entity {{code: pair[1]}})
WHERE {tf('r', 'u', 'v')}
RETURN DISTINCT type(r) AS t, r.valid_from AS valid_from, r.valid_to AS valid_to,
       startNode(r).code AS start, endNode(r).code AS end, r.sources AS sources, r.date AS date,
       elementId(r) AS id
"""

_NODES = """
UNWIND $codes AS code
MATCH (n:Entity {code: code})
RETURN n.code AS code, n.name AS name, n.type AS type, n.valid_from AS valid_from,
       n.valid_to AS valid_to, n.date AS date
"""


class _Slice:
    """The part of the graph the search has fetched: links of settled nodes, as the embedded
    engine's networkx graph would hold them (same order, same weights)."""

    def __init__(self, conn: Connection, a: str, b: str, types: dict[str, str],
                 as_of: date | None, skip: tuple[str, ...], kinds: dict[str, str]):
        import networkx as nx

        from ..schema import load_schema

        self.conn, self.a, self.b, self.as_of, self.skip = conn, a, b, as_of, skip
        self.kind = dict(kinds)  # code -> node type
        self.name_of = {et.label: k for k, et in load_schema().edges.items()}
        self.statement = _LINKS.replace("TYPES", "|".join(sorted(types))).replace(
            "HOLDS", tf("r", "n", "m"))
        self.loaded: set[str] = set()
        #: {u, v} -> [first (start, end) in the embedded edge order, cheapest cost]
        self.pairs: dict[frozenset[str], list[Any]] = {}
        self.adj: dict[str, dict[str, float]] = {}
        self.g = nx.Graph()
        self.built = -1
        self.nodes: dict[str, Node] = {}
        self.steps: dict[frozenset[str], list[Edge]] = {}
        self.trips = 0
        self.rows = 0
        self.seconds = 0.0

    def cost(self, edge_type: str, end: str) -> float:
        from ..analysis.path import DEFAULT_COST, LINK_COST, REGION_COST

        if edge_type == "part_of" and self.kind.get(end) in ("region", "itl_area"):
            return REGION_COST
        return LINK_COST.get(edge_type, DEFAULT_COST)

    def fetch(self, codes: list[str]) -> None:
        start = time.perf_counter()
        rows = self.conn.read(self.statement, {"codes": codes, "as_of": self.as_of})
        self.trips += 1
        self.rows += len(rows)
        self.loaded.update(codes)
        for r in rows:
            self.kind.setdefault(r["other"], r["other_type"])
        ends = {self.a, self.b}
        for r in rows:
            u, v = r["code"], r["other"]
            if u == v:
                continue
            if (self.kind[u] in self.skip or self.kind[v] in self.skip) and not {u, v} & ends:
                continue
            edge_type = self.name_of.get(r["t"])
            if edge_type is None:
                continue
            s, e = (u, v) if r["out"] else (v, u)
            w = self.cost(edge_type, e)
            pair = self.pairs.get(frozenset((u, v)))
            if pair is None:
                self.pairs[frozenset((u, v))] = [(s, e), w]
            else:
                pair[0], pair[1] = min(pair[0], (s, e)), min(pair[1], w)
            for x, y in ((u, v), (v, u)):
                near = self.adj.setdefault(x, {})
                near[y] = min(w, near.get(y, w))
        self.seconds += time.perf_counter() - start

    def settle(self, avoid: frozenset[str]) -> None:
        """Fetch the links of every node within half the cheapest cost D of A-B from A, and of
        every node within D/2 from B (a bidirectional Dijkstra avoiding ``avoid``, then both
        balls completed to D/2). Every node on a cheapest path is within D/2 of one end, so its
        links are fetched: a shortest-path search from A on the slice finds what it finds on
        the graph, in the same order."""
        inf = float("inf")
        sides = [({self.a: 0.0}, [(0.0, self.a)], set()), ({self.b: 0.0}, [(0.0, self.b)], set())]

        def top(side: int) -> float:
            dist, heap, done = sides[side]
            while heap and (heap[0][1] in done or heap[0][0] > dist.get(heap[0][1], inf)):
                heapq.heappop(heap)
            return heap[0][0] if heap else inf

        best = inf

        def expand(side: int) -> None:
            nonlocal best
            dist, heap, done = sides[side]
            other = sides[1 - side][0]
            d, u = heapq.heappop(heap)
            done.add(u)
            if u not in self.loaded:  # fetch u and the nodes about to be settled with it
                batch = [u] + sorted({x for dx, x in heap if dx < d + 1 and x not in self.loaded
                                      and x not in done and x != u})[:BATCH - 1]
                self.fetch(batch)
            if u in other:
                best = min(best, d + other[u])
            for v, w in self.adj.get(u, {}).items():
                if v in avoid or v in done:
                    continue
                if d + w < dist.get(v, inf):
                    dist[v] = d + w
                    heapq.heappush(heap, (d + w, v))
                if v in other:
                    best = min(best, d + w + other[v])

        while True:
            ta, tb = top(0), top(1)
            if ta == inf and tb == inf or ta + tb >= best:
                break
            expand(0 if ta <= tb else 1)
        if best == inf:
            return  # no path: one side's component is settled in full
        for side in (0, 1):
            while top(side) <= best / 2:
                expand(side)

    def graph(self) -> Any:
        """The slice as the embedded engine's networkx graph (links added in its order)."""
        if self.built != len(self.pairs):
            self.g.clear()
            for (s, e), w in sorted(self.pairs.values(), key=lambda x: x[0]):
                self.g.add_edge(s, e, weight=w)
            self.built = len(self.pairs)
        return self.g

    def need_nodes(self, codes: list[str]) -> None:
        wanted = sorted(set(codes) - set(self.nodes))
        if not wanted:
            return
        for r in self.conn.read(_NODES, {"codes": wanted}):
            self.nodes[r["code"]] = Node(r["code"], r["type"], r["name"], (),
                                         {k: r[k] for k in ("valid_from", "valid_to", "date")
                                          if r.get(k) is not None})

    def __getitem__(self, pair: frozenset[str]) -> list[Edge]:
        """The links of one step, in the embedded order (cost, type, start date, sources)."""
        if pair not in self.steps:
            u, v = sorted(pair)
            self.need_nodes([u, v])
            links = []
            for r in self.conn.read(_STEPS, {"pairs": [[u, v]], "as_of": self.as_of}):
                edge_type = self.name_of.get(r["t"])
                if edge_type is None or r["start"] == r["end"]:
                    continue
                props = {"date": r["date"]} if r.get("date") is not None else {}
                links.append(Edge(r["start"], edge_type, r["end"], tuple(r["sources"] or ()),
                                  r["valid_from"], r["valid_to"], props))
            links.sort(key=lambda e: (self.cost(e.type, e.end), e.type, str(e.valid_from),
                                      e.sources, e.start, e.end, str(e.valid_to)))
            self.steps[pair] = links
        return self.steps[pair]


def path(conn: Connection, a: str, b: str, as_of: date | None = None, limit: int = 3,
         skip_types: tuple[str, ...] = ("theme",)) -> list[list[dict[str, Any]]]:
    """:func:`lisgraph.analysis.path` from the server: the same paths, steps and periods."""
    from ..analysis.path import _cheapest_avoiding, _distinct_routes, _rows
    from ..schema import load_schema

    if limit < 1:
        raise LisgraphError(f"limit must be at least 1 (got {limit})")
    start, end = resolve(conn, a, as_of=as_of), resolve(conn, b, as_of=as_of)
    require(_row_of(start), as_of)
    require(_row_of(end), as_of)
    if start.id == end.id:
        raise LisgraphError("A and B are the same node")
    began = time.perf_counter()
    types = {et.label: k for k, et in load_schema().edges.items()}
    part = _Slice(conn, start.id, end.id, types, as_of, tuple(skip_types),
                  {start.id: start.type, end.id: end.type})

    def cheapest(avoid: frozenset[str]) -> list[str] | None:
        part.settle(avoid)
        g = part.graph()
        if start.id not in g or end.id not in g:
            return None
        found = _cheapest_avoiding(g, start.id, end.id, avoid)
        if found is not None:
            part.need_nodes(found)
        return found

    holder = _Holder(part)
    routes = _distinct_routes(holder, part.g, start.id, end.id, part, limit, cheapest)
    LAST_SLICE.clear()
    LAST_SLICE.update(nodes=len(part.loaded), relationships=len(part.pairs),
                      round_trips=part.trips, seconds=time.perf_counter() - began)
    return _rows(holder, routes, as_of)


class _Holder:
    """Just enough of a graph for the embedded search and :func:`lisgraph.view.period`: the
    nodes of the paths found (fetched with them)."""

    def __init__(self, part: _Slice):
        self.nodes = part.nodes
