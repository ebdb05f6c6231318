"""How two nodes are connected: the shortest paths, each step with its edge type and source."""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any

from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import resolve
from ..view import DatedView, as_view, iso, overlap, period

__all__ = ["path"]


def path(graph: KnowledgeGraph | DatedView, a: str, b: str, as_of: date | None = None, limit: int = 3,
         skip_types: tuple[str, ...] = ("theme",)) -> list[list[dict[str, Any]]]:
    """Up to ``limit`` shortest paths between A and B over edges valid on ``as_of``.

    Edges are followed in either direction. Theme nodes are skipped by default (every
    strategy reaches every other through "People"); pass ``skip_types=()`` to allow them.

    Time: read through the dated view. Without a date a path is kept only when all its steps
    held at one time: each step carries the period common to the whole path (``valid_from``,
    ``valid_to``), so a path never joins links that did not coexist.

    Returns
    -------
    a list of paths; each path is a list of steps with ``from``, ``from_name``, ``edge``
    (type, with ``<-`` when followed backwards), ``to``, ``to_name``, ``sources``,
    ``valid_from`` and ``valid_to`` (the path's common period; ``as_of`` with a date).
    """
    import networkx as nx

    graph = as_view(graph, as_of)
    as_of = graph.as_of
    start, end = graph.require(resolve(graph, a)), graph.require(resolve(graph, b))
    if start.id == end.id:
        raise LisgraphError("A and B are the same node")
    g = nx.Graph()
    edge_of: dict[frozenset[str], Any] = {}  # the edge shown for a step: the first by type, date
    alternatives: dict[frozenset[str], list[Any]] = {}
    for e in sorted(graph.edges, key=lambda e: (e.type, str(e.valid_from), str(e.valid_to),
                                                e.start, e.end, e.sources)):
        if (graph.nodes[e.start].type in skip_types or graph.nodes[e.end].type in skip_types) \
                and {e.start, e.end} & {start.id, end.id} == set():
            continue
        g.add_edge(e.start, e.end)
        edge_of.setdefault(frozenset((e.start, e.end)), e)
        alternatives.setdefault(frozenset((e.start, e.end)), []).append(e)
    if start.id not in g or end.id not in g:
        return []
    try:  # enumerate up to 1,000 shortest paths and keep the first `limit` in code order,
        # so the answer does not depend on the order edges were loaded in
        candidates = sorted(islice(nx.all_shortest_paths(g, start.id, end.id), 1000))
    except nx.NetworkXNoPath:
        return []
    out = []
    for p in candidates:
        chosen = _coexisting(graph, [alternatives[frozenset((u, v))] for u, v in zip(p, p[1:])])
        if chosen is None:
            continue  # its steps never held at one time
        edges, common = chosen
        steps = []
        for (u, v), e in zip(zip(p, p[1:]), edges):
            arrow = e.type if e.start == u else "<-" + e.type
            step = {"from": u, "from_name": graph.nodes[u].name, "edge": arrow,
                    "to": v, "to_name": graph.nodes[v].name, "sources": list(e.sources),
                    "valid_from": iso(common[0]), "valid_to": iso(common[1])}
            if as_of is not None:
                step["as_of"] = as_of.isoformat()
            steps.append(step)
        out.append(steps)
        if len(out) == limit:
            break
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
