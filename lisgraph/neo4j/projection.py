"""The Neo4j projection of the canonical graph: node and relationship rows, and their digest.

Every node becomes a node with two labels, its type's label from schema/model.toml (e.g.
``:District``) and ``:Entity`` (lisgraph's nodes, whatever their type), and the properties
``code``, ``name``, ``type``, ``sources`` (a list) and its own properties (lists stay lists,
dates become Neo4j dates). Every edge becomes a relationship of its type's label (e.g.
``:PART_OF``) with ``key`` (its identity, without its dates, so that a corrected date updates
the relationship instead of adding a second one: see :func:`relationship_keys`),
``valid_from``/``valid_to`` when dated, ``sources`` and its own properties. Nodes also carry
``name_key`` (the name as :func:`lisgraph.places.normalise` writes it, cut to
``KEY_CHARS`` characters, so that names resolve on the server through a TEXT index, which
refuses values over 32 kB) and, when they have former names or alternative labels,
``alt_keys``.

The digest is an order-independent hash of the rows; the same function applied to the rows
read back from the server tells whether the server holds exactly the local graph.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..gcpause import gc_paused
from ..graph import KnowledgeGraph
from ..model import Edge, Node
from ..places import _bare, normalise

__all__ = ["ENTITY", "FORMAT", "KEY_CHARS", "name_key", "PendingRelationships", "Projection",
           "relationship_keys", "schema_version", "digest", "neo4j_value", "node_properties",
           "project", "project_in_stages", "relationship_properties"]

#: the label every lisgraph node carries besides its type's (a fixed name, not from data)
ENTITY = "Entity"
#: the length ``name_key`` is cut to: at most 4 bytes a character, far inside the TEXT index's
#: 32 kB limit (a longer name still pushes; lookups confirm the full name)
KEY_CHARS = 1000
#: the version of this projection's layout (keys, derived properties); part of the schema version
FORMAT = 3


def schema_version(schema: Any = None) -> str:
    """``FORMAT`` and a hash of the schema's labels, types and properties: what a reader needs
    the server's dataset to have been written with (recorded on the meta node by a push).

    >>> schema_version().startswith(f"{FORMAT}:")
    True
    """
    from ..schema import load_schema

    schema = schema or load_schema()
    shape = ([(k, n.label, sorted(n.properties)) for k, n in sorted(schema.nodes.items())],
             [(k, e.label, sorted(e.sources), sorted(e.targets), sorted(e.properties))
              for k, e in sorted(schema.edges.items())])
    return f"{FORMAT}:" + hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


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


def name_key(name: str) -> str:
    """How names are matched: :func:`lisgraph.places.normalise`, a leading "the" dropped.

    >>> name_key("The  North-East & Tees")
    'north east and tees'
    """
    return _bare(normalise(name))


def node_properties(node: Node) -> dict[str, Any]:
    """The properties of a node in Neo4j."""
    key = name_key(node.name)
    out = _props({"code": node.id, "name": node.name, "type": node.type,
                  "sources": list(node.sources), "name_key": key[:KEY_CHARS]}, node.props)
    alt = sorted({name_key(str(x)) for k in ("former_names", "alt_labels")
                  for x in node.props.get(k, ()) or ()} - {key})
    if alt:
        out["alt_keys"] = alt
    return out


def relationship_keys(edges: Iterable[Edge]) -> dict[int, str]:
    """``id(edge)`` -> key: a hash of start, type, end and collaboration (no dates), with
    ``#2``, ``#3``... for the later periods of a link recorded for several periods (ordered
    by their dates), so that correcting a date keeps the key.

    >>> from lisgraph.model import Edge
    >>> from datetime import date
    >>> a = Edge("x", "member_of", "p", ("s",), date(2011, 1, 1), date(2014, 1, 1))
    >>> b = Edge("x", "member_of", "p", ("s",), date(2016, 1, 1))
    >>> keys = relationship_keys([b, a])
    >>> keys[id(b)] == keys[id(a)] + "#2"
    True
    """
    edges = list(edges)
    return {id(e): key for e, key in zip(edges, _keys(edges))}


def _keys(edges: list[Edge]) -> list[str]:
    """The key of each edge (:func:`relationship_keys`), in the edges' order."""
    sha = hashlib.sha256
    keys = [sha("\x1f".join((e.start, e.type, e.end, str(e.props.get("collaboration", ""))))
                .encode()).hexdigest()[:24] for e in edges]
    repeated = {k for k, n in Counter(keys).items() if n > 1}
    if not repeated:
        return keys
    groups: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k in repeated:
            groups[k].append(i)
    for ident, group in groups.items():
        group.sort(key=lambda i: (edges[i].valid_from is not None, edges[i].valid_from or date.min,
                                  edges[i].valid_to is None, edges[i].valid_to or date.max))
        for n, i in enumerate(group[1:], start=2):
            keys[i] = f"{ident}#{n}"
    return keys


def relationship_properties(edge: Edge, key: str) -> dict[str, Any]:
    """The properties of a relationship in Neo4j (``key`` first)."""
    out: dict[str, Any] = {"key": key}
    if edge.valid_from is not None:
        out["valid_from"] = edge.valid_from
    if edge.valid_to is not None:
        out["valid_to"] = edge.valid_to
    out["sources"] = list(edge.sources)
    return _props(out, edge.props) if edge.props else out


def project(graph: KnowledgeGraph, evidence: Any = None) -> Projection:
    """The rows to write for ``graph``, in a deterministic order; with ``evidence`` (an
    :class:`~lisgraph.evidence.observations.EvidenceIndex`), also its observations
    (:mod:`lisgraph.neo4j.evidence`)."""
    p, rest = project_in_stages(graph, evidence)
    rest.run()
    return p


def project_in_stages(graph: KnowledgeGraph,
                      evidence: Any = None) -> tuple[Projection, PendingRelationships]:
    """:func:`project` in two steps: the nodes (and the observations with their links) now,
    and the graph's relationships when :meth:`PendingRelationships.run` (or ``start`` and
    ``wait``) adds them, in the order :func:`project` gives."""
    schema = graph.schema
    p = Projection()
    with gc_paused():
        for node_id in sorted(graph.nodes):
            node = graph.nodes[node_id]
            p.nodes.setdefault(schema.nodes[node.type].label, []).append(node_properties(node))
        if evidence is not None:
            from .evidence import OBSERVATION, OF_AREA, observation_rows

            nodes, links = observation_rows(evidence, graph.nodes)
            if nodes:
                p.nodes[OBSERVATION] = nodes
            if links:
                p.relationships[OF_AREA] = links
    return p, PendingRelationships(p, graph)


class PendingRelationships:
    """The relationship rows of a graph, still to be added to its :class:`Projection`: by
    :meth:`run`, or on a thread (:meth:`start`, then :meth:`wait`) while the nodes are written."""

    def __init__(self, projection: Projection, graph: KnowledgeGraph):
        self.projection, self.graph = projection, graph
        #: how many rows will be added
        self.count = len(graph.edges)
        self._thread: Any = None
        self._failed: list[BaseException] = []

    def run(self) -> None:
        graph, out = self.graph, self.projection.relationships
        label = {name: et.label for name, et in graph.schema.edges.items()}
        added: dict[str, list[dict[str, Any]]] = {}
        with gc_paused():
            for edge, key in zip(graph.edges, _keys(graph.edges)):
                group = added.get(label[edge.type])
                if group is None:
                    group = added[label[edge.type]] = []
                group.append({"start": edge.start, "end": edge.end,
                              "props": relationship_properties(edge, key)})
        # the graph's types first, in the order met (as project() always gave), then the rest
        rest = {k: v for k, v in out.items() if k not in added}
        out.clear()
        out.update(added)
        out.update(rest)

    def start(self) -> None:
        import threading

        def work() -> None:
            try:
                self.run()
            except BaseException as exc:  # raised by wait(), in the caller's thread
                self._failed.append(exc)

        self._thread = threading.Thread(target=work, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._failed:
            raise self._failed[0]


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
