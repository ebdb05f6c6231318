"""Recorded collaborations as pairs: who collaborates with whom, derived from collaboration nodes.

A collaboration or deal is one ``collaboration`` node with a ``party_to`` edge from each party
(W3C ORG's ``OrganizationalCollaboration``), not a clique of pairwise edges: a ten-party deal is
one node and ten edges, not 45 edges that would distort paths and broker scores. Analyses that
need pairs derive them here. A ``collaborates_with`` edge given as such (a pairwise record in a
user's file) is a pair of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Protocol

from .model import Edge

__all__ = ["CollaborationPair", "collaboration_pairs", "pairs_of", "parties"]


class _Readable(Protocol):  # KnowledgeGraph or its dated view
    nodes: dict

    def in_edges(self, node_id: str, types: Iterable[str] | None = None,
                 as_of: date | None = None) -> list[Edge]: ...

    def nodes_of_type(self, *types: str, as_of: date | None = None) -> Iterator: ...


@dataclass(frozen=True)
class CollaborationPair:
    """Two parties to one collaboration, for the period both take part (inclusive dates)."""

    a: str
    b: str
    collaboration: str
    name: str
    themes: tuple[str, ...]
    valid_from: date | None
    valid_to: date | None
    sources: tuple[str, ...]

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return not ((self.valid_from and day < self.valid_from)
                    or (self.valid_to and day > self.valid_to))

    def other(self, node_id: str) -> str:
        """The party that is not ``node_id``."""
        return self.b if node_id == self.a else self.a


def _later(*days: object) -> date | None:
    known = [d for d in days if isinstance(d, date)]
    return max(known) if known else None


def _earlier(*days: object) -> date | None:
    known = [d for d in days if isinstance(d, date)]
    return min(known) if known else None


def parties(graph: _Readable, collaboration: str, as_of: date | None = None) -> list[Edge]:
    """The ``party_to`` edges of one collaboration (valid on ``as_of`` when given)."""
    return graph.in_edges(collaboration, ["party_to"], as_of)


def collaboration_pairs(graph: _Readable, as_of: date | None = None) -> list[CollaborationPair]:
    """Every pair of parties to a recorded collaboration, one per collaboration, sorted.

    A pair holds from the latest of the collaboration's start and both parties' starts to the
    earliest of their ends; with ``as_of`` only the pairs valid on that day are returned.

    Examples
    --------
    >>> from lisgraph.graph import KnowledgeGraph
    >>> from lisgraph.model import Node, Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "p", "t", "", "2020", "OGL-UK-3.0"))
    >>> g.add_node(Node("deal", "collaboration", "A deal", ("s",), {"themes": ["ideas"]}))
    >>> for org in "abc":
    ...     g.add_node(Node(org, "organisation", org.upper(), ("s",)))
    ...     g.add_edge(Edge(org, "party_to", "deal", ("s",)))
    >>> [(p.a, p.b, p.collaboration) for p in collaboration_pairs(g)]
    [('a', 'b', 'deal'), ('a', 'c', 'deal'), ('b', 'c', 'deal')]
    """
    out: list[CollaborationPair] = []
    for node in graph.nodes_of_type("collaboration"):
        themes = tuple(node.props.get("themes") or ())
        edges = sorted(graph.in_edges(node.id, ["party_to"]), key=lambda e: e.start)
        for x, y in combinations(edges, 2):
            if x.start == y.start:
                continue
            start = _later(node.props.get("valid_from"), x.valid_from, y.valid_from)
            end = _earlier(node.props.get("valid_to"), x.valid_to, y.valid_to)
            if start and end and end < start:
                continue
            a, b = sorted((x.start, y.start))
            out.append(CollaborationPair(a, b, node.id, node.name, themes, start, end,
                                         tuple(dict.fromkeys(node.sources + x.sources + y.sources))))
    for e in getattr(graph, "edges", ()):
        if e.type == "collaborates_with":
            a, b = sorted((e.start, e.end))
            out.append(CollaborationPair(a, b, str(e.props.get("collaboration", "")),
                                         str(e.props.get("collaboration_name", "")),
                                         tuple(e.props.get("themes") or ()),
                                         e.valid_from, e.valid_to, e.sources))
    out = sorted(set(out), key=lambda p: (p.a, p.b, p.collaboration, str(p.valid_from)))
    return [p for p in out if p.valid_on(as_of)]


def pairs_of(graph: _Readable, node_id: str, as_of: date | None = None) -> list[CollaborationPair]:
    """The collaboration pairs ``node_id`` takes part in (valid on ``as_of`` when given)."""
    index = graph.derived("collaboration-pairs", _index) if hasattr(graph, "derived") \
        else _index(graph)
    return [p for p in index.get(node_id, ()) if p.valid_on(as_of)]


def _index(graph: _Readable) -> dict[str, list[CollaborationPair]]:
    index: dict[str, list[CollaborationPair]] = {}
    for p in collaboration_pairs(graph):
        index.setdefault(p.a, []).append(p)
        index.setdefault(p.b, []).append(p)
    return index
