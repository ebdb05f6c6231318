"""The Neo4j projection of the canonical graph: node and relationship rows, and their digest.

Every node becomes a node with two labels, its type's label from schema/model.toml (e.g.
``:District``) and ``:Entity`` (lisgraph's nodes, whatever their type), and the properties
``code``, ``name``, ``type``, ``sources`` (a list) and its own properties (lists stay lists,
dates become Neo4j dates). Every edge becomes a relationship of its type's label (e.g.
``:PART_OF``) with ``key`` (its identity among the relationships of that type between the same
two nodes: the hash of the RDF projection's ``lis:Link`` IRI), ``valid_from``/``valid_to``
when dated, ``sources`` and its own properties.

The digest is an order-independent hash of the rows; the same function applied to the rows
read back from the server tells whether the server holds exactly the local graph.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..graph import KnowledgeGraph
from ..model import Edge, Node
from ..rdf.vocabulary import link_iri

__all__ = ["ENTITY", "Projection", "digest", "neo4j_value", "node_properties", "project",
           "relationship_properties"]

#: the label every lisgraph node carries besides its type's (a fixed name, not from data)
ENTITY = "Entity"


@dataclass
class Projection:
    """Rows grouped the way they are written: nodes by label (each row the node's
    properties), relationships by type (rows of ``{start, end, props}``)."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Rows by node label and by relationship type."""
        return ({k: len(v) for k, v in self.nodes.items()},
                {k: len(v) for k, v in self.relationships.items()})

    def digest(self) -> str:
        nodes = (props for rows in self.nodes.values() for props in rows)
        rels = ((rel, r["start"], r["end"], r["props"])
                for rel, rows in self.relationships.items() for r in rows)
        return digest(nodes, rels)


_SCALARS = frozenset({str, int, float, bool, date, datetime})


def neo4j_value(value: Any) -> Any:
    """A property value Neo4j can store: tuples as lists, mixed lists as lists of text.

    Returns None for values to leave out (None, empty lists: Neo4j stores no nulls and an
    empty list has no element type).

    >>> neo4j_value(("a", "b")), neo4j_value([]), neo4j_value([1, "x"])
    (['a', 'b'], None, ['1', 'x'])
    """
    if type(value) in _SCALARS:
        return value
    if isinstance(value, (list, tuple)):
        items = [v for v in value if v is not None]
        if not items:
            return None
        kinds = {type(v) for v in items}
        if len(kinds) > 1 or not kinds <= _SCALARS:
            return [v if isinstance(v, str) else json.dumps(v, default=str) for v in items]
        return items
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _props(out: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``out`` without its None values, plus ``extra`` (the common properties win: the
    loaders never set them in props)."""
    for key in [k for k, v in out.items() if v is None]:
        del out[key]
    for key, value in extra.items():
        if key not in out:
            v = neo4j_value(value)
            if v is not None:
                out[key] = v
    return out


def node_properties(node: Node) -> dict[str, Any]:
    """The properties of a node in Neo4j."""
    return _props({"code": node.id, "name": node.name, "type": node.type,
                   "sources": list(node.sources)}, node.props)


def relationship_key(edge: Edge) -> str:
    """The identity of an edge among those of its type between the same two nodes."""
    iri = link_iri(edge.start, edge.type, edge.end, edge.valid_from, edge.valid_to,
                   str(edge.props.get("collaboration", "")))
    return iri.rsplit("/", 1)[1]


def relationship_properties(edge: Edge) -> dict[str, Any]:
    """The properties of a relationship in Neo4j (``key`` first)."""
    return _props({"key": relationship_key(edge), "valid_from": edge.valid_from,
                   "valid_to": edge.valid_to, "sources": list(edge.sources)}, edge.props)


def project(graph: KnowledgeGraph) -> Projection:
    """The rows to write for ``graph``, in a deterministic order."""
    schema = graph.schema
    p = Projection()
    with _gc_paused():
        for node_id in sorted(graph.nodes):
            node = graph.nodes[node_id]
            p.nodes.setdefault(schema.nodes[node.type].label, []).append(node_properties(node))
        for edge in graph.edges:
            p.relationships.setdefault(schema.edges[edge.type].label, []).append(
                {"start": edge.start, "end": edge.end, "props": relationship_properties(edge)})
    return p


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic rows: its passes
    over the growing heap would otherwise double the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tagged(v: Any) -> Any:
    """How json.dumps writes what JSON has no type for (Neo4j stores no maps, so a tagged
    map cannot clash with a property)."""
    if isinstance(v, datetime):
        return {"$datetime": v.isoformat()}
    if isinstance(v, date):
        return {"$date": v.isoformat()}
    return {"$repr": repr(v)}


def digest(nodes: Iterable[Mapping[str, Any]],
           relationships: Iterable[tuple[str, str, str, Mapping[str, Any]]]) -> str:
    """A hash of node property maps and (type, start code, end code, properties) tuples,
    independent of their order; dates, floats and ints keep their types.

    Each row is hashed (SHA-256) on its own and the hashes are added modulo 2**256, so rows
    read back in any order give the same digest, and no sort is needed.

    >>> a = digest([{"code": "x", "n": 1}], [("R", "x", "x", {"key": "k"})])
    >>> a == digest([{"n": 1, "code": "x"}], [("R", "x", "x", {"key": "k"})])
    True
    >>> a == digest([{"code": "x", "n": 1.0}], [("R", "x", "x", {"key": "k"})])
    False
    """
    total = 0
    sha = hashlib.sha256
    dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_tagged).encode
    for n in nodes:
        total += int.from_bytes(sha(dumps(n).encode()).digest(), "big")
    for row in relationships:
        total += int.from_bytes(sha(dumps(row).encode()).digest(), "big")
    return f"{total % (1 << 256):064x}"
