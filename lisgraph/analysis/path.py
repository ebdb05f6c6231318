"""How two nodes are connected: the cheapest paths, preferring relationships (governance,
partnership, collaboration) over chains of neighbouring districts, each step with its link type
and source."""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any

from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import resolve
from ..view import DatedView, as_view, iso, overlap, period

__all__ = ["path", "LINK_COST", "DEFAULT_COST"]

#: what a step costs, by link type (lisgraph's heuristic): a relationship between bodies
#: (governance, partnership, collaboration, location) costs 1; a step into or out of a
#: statistical region 2 (a region is a boundary, not a relationship); a step between
#: neighbouring districts 3, so that one relationship is preferred to a short chain of
#: neighbours and a path of three relationships to one of two neighbour hops and more.
LINK_COST = {"neighbours": 3.0}
#: part_of into a region (or ITL area) costs this much
REGION_COST = 2.0
DEFAULT_COST = 1.0
#: how many shortest-path searches are made at most to find ``limit`` distinct routes
EXAMINED = 60


def _cost(graph: Any, e: Any) -> float:
    if e.type == "part_of" and graph.nodes[e.end].type in ("region", "itl_area"):
        return REGION_COST
    return LINK_COST.get(e.type, DEFAULT_COST)


def path(graph: KnowledgeGraph | DatedView, a: str, b: str, as_of: date | None = None, limit: int = 3,
         skip_types: tuple[str, ...] = ("theme",)) -> list[list[dict[str, Any]]]:
    """Up to ``limit`` cheapest paths between A and B over the links in the view.

    Links are followed in either direction; each step costs :data:`LINK_COST` by link type
    (relationships 1, a region 2, neighbouring districts 3). Paths come cheapest first (ties
    by the codes along them), and each differs from every earlier one in an intermediate body
    before the last hop: a path that only swaps the last body before B for another is not a
    new route, nor one that only passes through other districts of the same bodies. Theme nodes are skipped by default (every strategy reaches every other through
    "People"); pass ``skip_types=()`` to allow them.

    Time: read through the dated view. Without a date a path is kept only when all its steps
    held at one time: each step carries the period common to the whole path (``valid_from``,
    ``valid_to``), so a path never joins links that did not coexist.

    Returns
    -------
    a list of paths; each path is a list of steps with ``from``, ``from_name``, ``edge``
    (type, with ``<-`` when followed backwards), ``to``, ``to_name``, ``cost`` (the step's),
    ``sources``, ``valid_from`` and ``valid_to`` (the path's common period; ``as_of`` with a
    date).

    Raises
    ------
    LisgraphError when A and B are the same node or ``limit`` is below 1.
    """
    import networkx as nx

    if limit < 1:
        raise LisgraphError(f"limit must be at least 1 (got {limit})")
    graph = as_view(graph, as_of)
    as_of = graph.as_of
    start, end = graph.require(resolve(graph, a)), graph.require(resolve(graph, b))
    if start.id == end.id:
        raise LisgraphError("A and B are the same node")
    g = nx.Graph()
    alternatives: dict[frozenset[str], list[Any]] = {}
    for e in sorted(graph.edges, key=lambda e: (e.start, e.end, e.type, str(e.valid_from),
                                                str(e.valid_to), e.sources)):
        if (graph.nodes[e.start].type in skip_types or graph.nodes[e.end].type in skip_types) \
                and {e.start, e.end} & {start.id, end.id} == set():
            continue
        if e.start == e.end:
            continue
        key = frozenset((e.start, e.end))
        cost = _cost(graph, e)
        if not g.has_edge(e.start, e.end) or cost < g[e.start][e.end]["weight"]:
            g.add_edge(e.start, e.end, weight=cost)
        alternatives.setdefault(key, []).append(e)
    for links in alternatives.values():
        links.sort(key=lambda e: (_cost(graph, e), e.type, str(e.valid_from), e.sources))
    if start.id not in g or end.id not in g or not nx.has_path(g, start.id, end.id):
        return []
    return _rows(graph, _distinct_routes(graph, g, start.id, end.id, alternatives, limit), as_of)


def _rows(graph: Any, routes: list[tuple[list[str], list[Any], Any]],
          as_of: date | None) -> list[list[dict[str, Any]]]:
    """The steps of each route, as :func:`path` returns them."""
    out: list[list[dict[str, Any]]] = []
    for p, edges, common in routes:
        steps = []
        for (u, v), e in zip(zip(p, p[1:]), edges):
            arrow = e.type if e.start == u else "<-" + e.type
            step = {"from": u, "from_name": graph.nodes[u].name, "edge": arrow,
                    "to": v, "to_name": graph.nodes[v].name, "cost": _cost(graph, e),
                    "sources": list(e.sources),
                    "valid_from": iso(common[0]), "valid_to": iso(common[1])}
            if as_of is not None:
                step["as_of"] = as_of.isoformat()
            steps.append(step)
        out.append(steps)
    return out


#: area types: a path through another district of the same bodies is not another route
AREA_TYPES = frozenset({"district", "county", "region", "itl_area"})


def _route(graph: Any, p: list[str]) -> tuple[str, ...]:
    """What makes a path a route of its own: the bodies it passes through before its last
    hop (areas left out); a path with one intermediate is its own route."""
    middle = p[1:-1]
    if len(middle) <= 1:
        return tuple(middle)
    return tuple(n for n in middle[:-1] if graph.nodes[n].type not in AREA_TYPES)


def _cost_of(g: Any, p: list[str]) -> float:
    return sum(g[u][v]["weight"] for u, v in zip(p, p[1:]))


def _cheapest_avoiding(g: Any, a: str, b: str, avoid: frozenset[str]) -> list[str] | None:
    """The cheapest path from a to b through none of ``avoid``; among equally cheap ones the
    first in the order of the codes along them (up to 200 are compared)."""
    import networkx as nx

    def weight(u: str, v: str, data: dict[str, Any]) -> float | None:
        return None if u in avoid or v in avoid else data["weight"]  # None hides the link

    try:
        best = list(islice(nx.all_shortest_paths(g, a, b, weight=weight), 200))
    except nx.NetworkXNoPath:
        return None
    return min(best, key=lambda p: (len(p), p)) if best else None


def _distinct_routes(graph: Any, g: Any, a: str, b: str, alternatives: Any, limit: int,
                     cheapest: Any = None) -> list[tuple[list[str], list[Any], Any]]:
    """Up to ``limit`` paths, cheapest first, each a route of its own (:func:`_route`) whose
    steps held at one time. A Yen-like search on bodies: the next candidates are the cheapest
    paths that avoid one more body of an accepted route, so each differs from it in an
    intermediate body before the last hop. Cost: a few Dijkstra runs per route, O(limit x
    route length x E log V). ``cheapest(avoid)`` finds each candidate (by default
    :func:`_cheapest_avoiding` on ``g``; the Neo4j twin passes one that first fetches the part
    of the graph the search needs); ``alternatives[{u, v}]`` are the links of a step."""
    cheapest = cheapest or (lambda avoid: _cheapest_avoiding(g, a, b, avoid))
    pool: dict[tuple[str, ...], frozenset[str]] = {}
    seen_avoid: set[frozenset[str]] = set()

    def offer(avoid: frozenset[str]) -> None:
        if avoid in seen_avoid:
            return
        seen_avoid.add(avoid)
        p = cheapest(avoid)
        if p is not None:
            pool.setdefault(tuple(p), avoid)

    offer(frozenset())
    routes: set[tuple[str, ...]] = set()
    out: list[tuple[list[str], list[Any], Any]] = []
    tried: set[tuple[str, ...]] = set()
    while pool and len(out) < limit and len(seen_avoid) < EXAMINED:
        key = min((k for k in pool if k not in tried),
                  key=lambda k: (_cost_of(g, list(k)), len(k), k), default=None)
        if key is None:
            break
        tried.add(key)
        p, avoid = list(key), pool[key]
        route = _route(graph, p)
        for body in route or p[1:-1]:  # the next routes avoid one more of its bodies
            offer(avoid | {body})
        if route in routes:
            continue
        chosen = _coexisting(graph, [alternatives[frozenset((u, v))] for u, v in zip(p, p[1:])])
        if chosen is None:
            continue  # its steps never held at one time
        routes.add(route)
        out.append((p, *chosen))
    return out


def _coexisting(graph: DatedView, options: list[list[Any]]) -> tuple[list[Any], Any] | None:
    """One link per step such that all held at one time (the first such choice in link
    order), and their common period; None when no choice coexisted."""
    chosen: list[Any] = []
    common: Any = (None, None, "")
    for links in options:
        for e in links:
            together = overlap(common, period(graph, e))
            if together is not None:
                chosen.append(e)
                common = together
                break
        else:
            return None
    return chosen, common
