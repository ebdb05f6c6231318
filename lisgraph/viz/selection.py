"""Which nodes and edges a map draws: the whole graph, a place's neighbourhood, types, a theme."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..collaborations import collaboration_pairs
from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..model import Edge, Node
from ..places import normalise_types

__all__ = ["View", "DrawnEdge", "select", "add_opportunities", "OPPORTUNITY"]

#: the drawn-edge type of a highlighted collaboration opportunity (not a schema edge type)
OPPORTUNITY = "opportunity"

@dataclass
class DrawnEdge:
    """One line on the map: the graph's edges of one type between two nodes, merged.

    A membership recorded for several vintages is one line whose tooltip lists each period;
    symmetric types (neighbours, collaborates_with) are drawn once per pair.
    """

    start: str
    type: str
    end: str
    edges: list[Edge] = field(default_factory=list)
    symmetric: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class View:
    """The nodes and merged edges to draw, and what was asked for (for the page's title)."""

    nodes: dict[str, Node]
    edges: list[DrawnEdge]
    place: Node | None = None
    depth: int | None = None
    theme: Node | None = None
    types: tuple[str, ...] = ()
    as_of: date | None = None

    def degree(self) -> dict[str, int]:
        deg = dict.fromkeys(self.nodes, 0)
        for e in self.edges:
            deg[e.start] += 1
            deg[e.end] += 1
        return deg


def select(graph: KnowledgeGraph, place: str | Node | None = None, depth: int = 1,
           types: Iterable[str] = (), theme: str | Node | None = None,
           as_of: date | None = None) -> View:
    """Choose what to draw.

    Without ``place``: every node (valid on ``as_of``) that passes the filters. With
    ``place``: the nodes within ``depth`` links of it, walking only through nodes that pass
    the filters (so the view stays connected); the place itself is always drawn.

    Filters: ``types`` keeps nodes of those types. ``theme`` keeps the theme and its narrower
    themes, the priorities addressing them, the strategies setting those priorities, the
    bodies that published the strategies, and the bodies whose recorded collaborations name
    one of the themes.

    Edges: every edge valid on ``as_of`` between two drawn nodes, merged per (start, type, end).

    Examples
    --------
    >>> from lisgraph.model import Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    >>> for n in (Node("E12000002", "region", "North West", ("s",)),
    ...           Node("E08000003", "district", "Manchester", ("s",)),
    ...           Node("E08000006", "district", "Salford", ("s",))):
    ...     g.add_node(n)
    >>> for a, t, b in (("E08000003", "part_of", "E12000002"),
    ...                 ("E08000006", "part_of", "E12000002"),
    ...                 ("E08000003", "neighbours", "E08000006")):
    ...     g.add_edge(Edge(a, t, b, ("s",)))
    >>> v = select(g, "Salford", depth=1, types=["district"])
    >>> sorted(v.nodes), [(e.start, e.type, e.end) for e in v.edges]
    (['E08000003', 'E08000006'], [('E08000003', 'neighbours', 'E08000006')])
    >>> len(select(g).edges)
    3
    """
    from ..analysis.index import resolve_theme
    from ..places import resolve
    from ..view import as_view

    graph = as_view(graph, as_of)  # type: ignore[assignment]
    as_of = graph.as_of
    wanted = normalise_types(graph, types)
    center = resolve(graph, place) if isinstance(place, str) else place
    theme_node = graph.nodes[resolve_theme(graph, theme)] if isinstance(theme, str) else theme
    if depth < 0:
        raise LisgraphError(f"depth must be 0 or more, not {depth}")

    allowed = {n.id for n in graph.nodes_of_type(*wanted, as_of=as_of)}
    if theme_node is not None:
        allowed &= theme_members(graph, theme_node.id, as_of)
    if center is not None:
        graph.require(center)  # type: ignore[attr-defined]  # says when it existed
        allowed = _neighbourhood(graph, center.id, depth, allowed | {center.id}, as_of)
    nodes = {nid: graph.nodes[nid] for nid in graph.nodes if nid in allowed}
    return View(nodes, _edges_between(graph, nodes, as_of), center,
                depth if center is not None else None, theme_node, wanted, as_of)


def theme_members(graph: KnowledgeGraph, theme_id: str, as_of: date | None = None) -> set[str]:
    """The ids a theme filter keeps (see :func:`select`)."""
    themes, todo = {theme_id}, [theme_id]
    while todo:  # narrower themes point at broader ones
        for e in graph.in_edges(todo.pop(), ["broader"], as_of):
            if e.start not in themes:
                themes.add(e.start)
                todo.append(e.start)
    priorities = {e.start for t in themes for e in graph.in_edges(t, ["addresses"], as_of)}
    strategies = {e.start for p in priorities for e in graph.in_edges(p, ["has_priority"], as_of)}
    bodies = {e.start for s in strategies for e in graph.in_edges(s, ["published"], as_of)}
    collaborators = {end for p in collaboration_pairs(graph, as_of) if themes & set(p.themes)
                     for end in (p.a, p.b, p.collaboration) if end}
    return themes | priorities | strategies | bodies | collaborators


def _neighbourhood(graph: KnowledgeGraph, start: str, depth: int, allowed: set[str],
                   as_of: date | None) -> set[str]:
    seen, queue = {start}, deque([(start, 0)])
    while queue:
        nid, d = queue.popleft()
        if d == depth:
            continue
        for e in graph.out_edges(nid, as_of=as_of) + graph.in_edges(nid, as_of=as_of):
            other = e.end if e.start == nid else e.start
            if other in allowed and other not in seen:
                seen.add(other)
                queue.append((other, d + 1))
    return seen


def _edges_between(graph: KnowledgeGraph, nodes: dict[str, Node],
                   as_of: date | None) -> list[DrawnEdge]:
    merged: dict[tuple[str, str, str], DrawnEdge] = {}
    for e in graph.edges:
        if e.start not in nodes or e.end not in nodes or not e.valid_on(as_of):
            continue
        symmetric = graph.schema.edges[e.type].symmetric
        a, b = sorted((e.start, e.end)) if symmetric else (e.start, e.end)
        drawn = merged.setdefault((a, e.type, b), DrawnEdge(a, e.type, b, symmetric=symmetric))
        drawn.edges.append(e)
    return list(merged.values())


def add_opportunities(graph: KnowledgeGraph, view: View, rows: Iterable[dict[str, Any]]) -> int:
    """Draw collaboration opportunities (rows with ``a``, ``b``, ``score``, ``shared_themes``)
    as extra edges; bodies not yet drawn are added when they pass the view's type filter.

    Returns how many opportunity edges were added.
    """
    added = 0
    for row in rows:
        a, b = str(row["a"]), str(row["b"])
        ends = [graph.nodes.get(a), graph.nodes.get(b)]
        if any(n is None or (view.types and n.type not in view.types) for n in ends):
            continue
        for n in ends:
            view.nodes.setdefault(n.id, n)  # type: ignore[union-attr]
        view.edges.append(DrawnEdge(a, OPPORTUNITY, b, symmetric=True, detail=dict(row)))
        added += 1
    return added
