"""How two nodes are connected: the shortest paths, each step with its edge type and source."""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any

from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import resolve

__all__ = ["path"]


def path(graph: KnowledgeGraph, a: str, b: str, as_of: date | None = None, limit: int = 3,
         skip_types: tuple[str, ...] = ("theme",)) -> list[list[dict[str, Any]]]:
    """Up to ``limit`` shortest paths between A and B over edges valid on ``as_of``.

    Edges are followed in either direction. Theme nodes are skipped by default (every
    strategy reaches every other through "People"); pass ``skip_types=()`` to allow them.

    Returns
    -------
    a list of paths; each path is a list of steps with ``from``, ``from_name``, ``edge``
    (type, with ``<-`` when followed backwards), ``to``, ``to_name`` and ``sources``.
    """
    import networkx as nx

    start, end = resolve(graph, a), resolve(graph, b)
    if start.id == end.id:
        raise LisgraphError("A and B are the same node")
    g = nx.Graph()
    edge_of: dict[frozenset[str], Any] = {}  # the edge shown for a step: the first by type, date
    for e in sorted(graph.edges, key=lambda e: (e.type, str(e.valid_from), str(e.valid_to),
                                                e.start, e.end, e.sources)):
        if not e.valid_on(as_of):
            continue
        if (graph.nodes[e.start].type in skip_types or graph.nodes[e.end].type in skip_types) \
                and {e.start, e.end} & {start.id, end.id} == set():
            continue
        g.add_edge(e.start, e.end)
        edge_of.setdefault(frozenset((e.start, e.end)), e)
    if start.id not in g or end.id not in g:
        return []
    try:  # enumerate up to 1,000 shortest paths and keep the first `limit` in code order,
        # so the answer does not depend on the order edges were loaded in
        paths = sorted(islice(nx.all_shortest_paths(g, start.id, end.id), 1000))[:limit]
    except nx.NetworkXNoPath:
        return []
    out = []
    for p in paths:
        steps = []
        for u, v in zip(p, p[1:]):
            e = edge_of[frozenset((u, v))]
            arrow = e.type if e.start == u else "<-" + e.type
            steps.append({"from": u, "from_name": graph.nodes[u].name, "edge": arrow,
                          "to": v, "to_name": graph.nodes[v].name, "sources": list(e.sources)})
        out.append(steps)
    return out
