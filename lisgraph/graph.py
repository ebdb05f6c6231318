"""The canonical graph: typed nodes and edges with provenance, indexed for lookups."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from .errors import DataIntegrityError
from .model import Edge, Node, Source
from .schema import Schema, load_schema

if TYPE_CHECKING:
    import networkx as nx

    from .view import DatedView

__all__ = ["KnowledgeGraph"]

T = TypeVar("T")


class KnowledgeGraph:
    """Nodes, edges and the sources they come from.

    Build one with :func:`lisgraph.load_graph`; a graph is complete and checked when returned
    (dangling references, types and sources are verified in :meth:`check`).

    Examples
    --------
    >>> from lisgraph.model import Node, Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E12000002", "region", "North West", ("s",)))
    >>> g.add_node(Node("E08000003", "district", "Manchester", ("s",)))
    >>> g.add_edge(Edge("E08000003", "part_of", "E12000002", ("s",)))
    >>> g.check()
    >>> [e.end for e in g.out_edges("E08000003")]
    ['E12000002']
    """

    def __init__(self, schema: Schema | None = None):
        self.schema = schema or load_schema()
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.sources: dict[str, Source] = {}
        self._edge_keys: dict[tuple, Edge] = {}
        self._out: dict[str, list[Edge]] = defaultdict(list)
        self._in: dict[str, list[Edge]] = defaultdict(list)
        self._alias: dict[str, str] = {}
        self._version = 0  # bumped on every change; derived indexes are rebuilt after one
        self._derived: dict[str, tuple[int, object]] = {}

    def derived(self, name: str, build: Callable[[KnowledgeGraph], T]) -> T:
        """An index computed from the graph, built once and reused until the graph changes."""
        hit = self._derived.get(name)
        if hit is not None and hit[0] == self._version:
            return hit[1]  # type: ignore[return-value]
        value = build(self)
        self._derived[name] = (self._version, value)
        return value

    # -- building -------------------------------------------------------------------------
    def add_source(self, source: Source) -> None:
        if source.id in self.sources and self.sources[source.id] != source:
            raise DataIntegrityError(f"source '{source.id}' is defined twice with different details")
        self.sources[source.id] = source

    def add_node(self, node: Node) -> None:
        if node.type not in self.schema.nodes:
            raise DataIntegrityError(f"{node.origin or node.id}: unknown node type '{node.type}'")
        if node.id in self.nodes:
            first = self.nodes[node.id].origin
            raise DataIntegrityError(
                f"{node.origin}: duplicate id '{node.id}' (first defined at {first}) — "
                "give each record its own id or remove the repeat"
            )
        self.nodes[node.id] = node
        self._version += 1
        for code in node.props.get("alt_codes", ()) or ():
            self._alias[str(code)] = node.id

    def add_edge(self, edge: Edge) -> None:
        self._version += 1
        known = self._edge_keys.get(edge.key)
        if known is not None:
            known.sources = tuple(dict.fromkeys(known.sources + edge.sources))
            return
        self._edge_keys[edge.key] = edge
        self.edges.append(edge)
        self._out[edge.start].append(edge)
        self._in[edge.end].append(edge)

    def finalize(self) -> None:
        """Point edges given by an alternative code at the node's id, merging repeats."""
        edges, self.edges = self.edges, []
        self._edge_keys.clear()
        self._out.clear()
        self._in.clear()
        for edge in edges:
            edge.start, edge.end = self.canonical_id(edge.start), self.canonical_id(edge.end)
            self.add_edge(edge)

    def canonical_id(self, code: str) -> str:
        """The node id for a code, following alternative codes (e.g. older LEP codes)."""
        return code if code in self.nodes else self._alias.get(code, code)

    # -- checking ---------------------------------------------------------------------------
    def check(self) -> None:
        """Raise :class:`DataIntegrityError` on the first inconsistency found."""
        for node in self.nodes.values():
            if not self.schema.check_node_id(node.type, node.id):
                rule = self.schema.nodes[node.type].id_rule
                raise DataIntegrityError(
                    f"{node.origin}: field 'id': '{node.id}' is not a valid {node.type} id "
                    f"({rule}) — correct the code"
                )
            self._check_sources(node.sources, node.origin, node.id)
        for edge in self.edges:
            et = self.schema.edges.get(edge.type)
            if et is None:
                raise DataIntegrityError(f"{edge.origin}: unknown edge type '{edge.type}'")
            for end, allowed, role in ((edge.start, et.sources, "start at"),
                                       (edge.end, et.targets, "end at")):
                node = self.nodes.get(end)
                if node is None:
                    raise DataIntegrityError(
                        f"{edge.origin}: unknown reference '{end}' — "
                        "add that record or correct the id"
                    )
                if node.type not in allowed:
                    raise DataIntegrityError(
                        f"{edge.origin}: {edge.type} cannot {role} a {node.type} ('{end}'); "
                        f"allowed: {', '.join(allowed)}"
                    )
            if edge.valid_from and edge.valid_to and edge.valid_to < edge.valid_from:
                raise DataIntegrityError(
                    f"{edge.origin}: valid_to {edge.valid_to} is before valid_from {edge.valid_from}"
                )
            self._check_sources(edge.sources, edge.origin, f"{edge.start}-{edge.type}-{edge.end}")

    def _check_sources(self, ids: tuple[str, ...], origin: object, what: str) -> None:
        if not ids:
            raise DataIntegrityError(f"{origin}: field 'source': {what} has no source — cite one")
        for sid in ids:
            if sid not in self.sources:
                raise DataIntegrityError(
                    f"{origin}: field 'source': unknown source '{sid}' — add it to a sources file"
                )

    # -- reading -----------------------------------------------------------------------------
    def at(self, day: date | str | None) -> DatedView:
        """The graph on ``day`` (``YYYY-MM-DD``, ``today`` or a date; None: the undated view).

        The only place time is applied: see :mod:`lisgraph.view` for the time contract.
        """
        from .view import DatedView, parse_day

        when = parse_day(day) if isinstance(day, str) else day
        return self.derived(f"view:{when}", lambda g: DatedView(g, when))

    def out_edges(self, node_id: str, types: Iterable[str] | None = None,
                  as_of: date | None = None) -> list[Edge]:
        if as_of is not None:
            return self.at(as_of).out_edges(node_id, types)
        return _select(self._out.get(node_id, ()), types)

    def in_edges(self, node_id: str, types: Iterable[str] | None = None,
                 as_of: date | None = None) -> list[Edge]:
        if as_of is not None:
            return self.at(as_of).in_edges(node_id, types)
        return _select(self._in.get(node_id, ()), types)

    def nodes_of_type(self, *types: str, as_of: date | None = None) -> Iterator[Node]:
        source = self.at(as_of).nodes.values() if as_of is not None else self.nodes.values()
        for node in source:
            if not types or node.type in types:
                yield node

    def count_by_type(self) -> tuple[Counter[str], Counter[str]]:
        return Counter(n.type for n in self.nodes.values()), Counter(e.type for e in self.edges)

    def to_networkx(self, as_of: date | None = None) -> nx.MultiDiGraph:
        """A networkx projection: node attributes are type, name and properties."""
        return self.at(as_of).to_networkx()


def _select(edges: Iterable[Edge], types: Iterable[str] | None) -> list[Edge]:
    if types is None:
        return list(edges)
    wanted = set(types)
    return [e for e in edges if e.type in wanted]
