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
#: how many candidate paths are examined (cheapest first) to find ``limit`` distinct ones
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
    out: list[list[dict[str, Any]]] = []
    routes: set[tuple[str, ...]] = set()
    for p in _cheapest(g, start.id, end.id):
        route = _route(graph, p)
        if route in routes:
            continue  # the same route as an earlier path but for the last hop
        chosen = _coexisting(graph, [alternatives[frozenset((u, v))] for u, v in zip(p, p[1:])])
        if chosen is None:
            continue  # its steps never held at one time
        routes.add(route)
        edges, common = chosen
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
        if len(out) == limit:
            break
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


def _cheapest(g: Any, a: str, b: str) -> list[list[str]]:
    """Up to :data:`EXAMINED` simple paths, cheapest first; among equally cheap paths the
    order of the codes along them, so the answer does not depend on load order."""
    import networkx as nx

    found = list(islice(nx.shortest_simple_paths(g, a, b, weight="weight"), EXAMINED))
    cost = {tuple(p): sum(g[u][v]["weight"] for u, v in zip(p, p[1:])) for p in found}
    return sorted(found, key=lambda p: (cost[tuple(p)], len(p), p))


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
