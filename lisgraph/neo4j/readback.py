"""Read the graph back from Neo4j, so the analyst commands can run on the server's data."""

from __future__ import annotations

from collections.abc import Mapping

from ..graph import KnowledgeGraph
from ..model import Edge, Node, Source
from .connection import Connection
from .constraints import quoted
from .projection import ENTITY

__all__ = ["read_graph"]

_NODE_COMMON = ("code", "name", "type", "sources")
_EDGE_COMMON = ("key", "valid_from", "valid_to", "sources")


def read_graph(conn: Connection, sources: Mapping[str, Source] | None = None) -> KnowledgeGraph:
    """The canonical graph held by the server (what ``lisgraph neo4j push`` wrote).

    Nodes and relationships are matched with Cypher, labels and types mapped back through the
    schema's allow-list. Neo4j holds source ids, not the source registry: details come from
    ``sources`` (the local registry), and ids it lacks get a placeholder saying so. Nodes and
    edges are added in a sorted order, so results do not depend on the server's order.
    """
    g = KnowledgeGraph()
    by_label = {et.label: name for name, et in g.schema.edges.items()}
    e = quoted(ENTITY)
    node_rows = conn.read(f"MATCH (n:{e}) RETURN properties(n) AS p ORDER BY n.code")
    rel_rows = conn.read(f"MATCH (a:{e})-[r]->(b:{e}) RETURN type(r) AS t, a.code AS s, "
                         "b.code AS e, properties(r) AS p ORDER BY s, t, e, r.key")
    cited: set[str] = set()
    for row in node_rows:
        p = dict(row["p"])
        node_sources = tuple(p.get("sources") or ())
        cited.update(node_sources)
        g.add_node(Node(str(p["code"]), str(p["type"]), str(p["name"]), node_sources,
                        {k: v for k, v in p.items() if k not in _NODE_COMMON}))
    for row in rel_rows:
        edge_type = by_label.get(row["t"])
        if edge_type is None:
            continue  # not lisgraph's relationship type
        p = dict(row["p"])
        edge_sources = tuple(p.get("sources") or ())
        cited.update(edge_sources)
        g.add_edge(Edge(row["s"], edge_type, row["e"], edge_sources, p.get("valid_from"),
                        p.get("valid_to"), {k: v for k, v in p.items() if k not in _EDGE_COMMON}))
    known = dict(sources or {})
    for sid in sorted(cited):
        g.add_source(known.get(sid) or Source(sid, "unknown", f"source '{sid}' (read from Neo4j)",
                                               "", "unknown", "unknown",
                                               "not in the local source registry"))
    g.finalize()
    return g
