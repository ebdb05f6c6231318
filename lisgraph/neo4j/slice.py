"""A small local graph from relationships fetched from the server: the slice an embedded
analysis needs, never the whole graph.

Each slice query returns relationship rows ``{a, t, b, props}`` (start code, Neo4j type, end
code, the relationship's properties); :func:`mini_graph` fetches the properties of the nodes
they touch and builds a :class:`~lisgraph.graph.KnowledgeGraph` from them, so that the
embedded analysis runs on it unchanged (the rows are the embedded ones by construction).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..graph import KnowledgeGraph
from ..model import Edge, Node
from .connection import Connection

__all__ = ["mini_graph", "REL_ROW"]

#: how a slice query returns a relationship ``r`` from ``x`` to ``y``
REL_ROW = "x.code AS a, type(r) AS t, y.code AS b, properties(r) AS props"

_NODES = ("UNWIND $codes AS code MATCH (n:Entity {code: code}) "
          "RETURN n.code AS code, properties(n) AS props")
#: properties of the projection that are not the node's own (lisgraph.neo4j.projection)
_DERIVED = {"code", "name", "type", "sources", "name_key", "alt_keys"}
_EDGE_OWN = {"key", "sources", "valid_from", "valid_to"}


def mini_graph(conn: Connection, rels: Iterable[dict[str, Any]],
               codes: Iterable[str] = ()) -> KnowledgeGraph:
    """The graph of ``rels`` (rows ``{a, t, b, props}``) and of the nodes they touch, plus
    ``codes``, with every property as pushed."""
    from ..schema import load_schema

    schema = load_schema()
    edge_type = {e.label: k for k, e in schema.edges.items()}
    rels = list(rels)
    wanted = sorted({r["a"] for r in rels} | {r["b"] for r in rels} | set(codes))
    g = KnowledgeGraph(schema)
    for row in conn.read(_NODES, {"codes": wanted}):
        p = row["props"]
        g.add_node(Node(p["code"], p["type"], p.get("name", ""), tuple(p.get("sources") or ()),
                        {k: v for k, v in p.items() if k not in _DERIVED}))
    seen = set()
    for r in rels:
        p = r["props"]
        key = (r["a"], r["t"], r["b"], p.get("key"))
        if key in seen:
            continue
        seen.add(key)
        g.add_edge(Edge(r["a"], edge_type[r["t"]], r["b"], tuple(p.get("sources") or ()),
                        p.get("valid_from"), p.get("valid_to"),
                        {k: v for k, v in p.items() if k not in _EDGE_OWN}))
    return g
