"""What lisgraph knows about one place or body: the data behind `lisgraph show`."""

from __future__ import annotations

from datetime import date
from typing import Any

from .graph import KnowledgeGraph
from .model import Edge, Node

__all__ = ["profile", "summary", "list_places"]

#: what is part of a place (incoming) and what a place is part of (outgoing)
MEMBERSHIP = ("part_of", "member_of")


def _link(graph: KnowledgeGraph, edge: Edge, other: str) -> dict[str, Any]:
    node = graph.nodes[other]
    row: dict[str, Any] = {
        "code": node.id,
        "name": node.name,
        "type": node.type,
        "relation": edge.type,
        "valid_from": edge.valid_from.isoformat() if edge.valid_from else None,
        "valid_to": edge.valid_to.isoformat() if edge.valid_to else None,
        "sources": list(edge.sources),
    }
    if "area_code" in edge.props:
        row["area_code"] = edge.props["area_code"]
    return row


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["type"], r["valid_from"] or "", r["name"], r["code"]))


def profile(graph: KnowledgeGraph, node: Node, as_of: date | None = None) -> dict[str, Any]:
    """A place's profile: its members, memberships, strategies, partners and sources.

    With ``as_of``, only links valid on that date are listed.

    Examples
    --------
    >>> from lisgraph.model import Node, Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    >>> for n in (Node("E37000015", "lep", "Greater Manchester", ("s",)),
    ...           Node("E08000003", "district", "Manchester", ("s",))):
    ...     g.add_node(n)
    >>> g.add_edge(Edge("E08000003", "part_of", "E37000015", ("s",), date(2021, 4, 1)))
    >>> [m["name"] for m in profile(g, g.nodes["E37000015"])["members"]]
    ['Manchester']
    >>> profile(g, g.nodes["E37000015"], as_of=date(2020, 1, 1))["members"]
    []
    """
    out_edges = graph.out_edges(node.id, as_of=as_of)
    in_edges = graph.in_edges(node.id, as_of=as_of)
    members = [_link(graph, e, e.start) for e in in_edges if e.type in MEMBERSHIP]
    member_of = [_link(graph, e, e.end) for e in out_edges if e.type in MEMBERSHIP]
    located = [_link(graph, e, e.end) for e in out_edges if e.type == "located_in"]
    hosts = [_link(graph, e, e.start) for e in in_edges if e.type == "located_in"]
    neighbours = [_link(graph, e, e.end if e.start == node.id else e.start)
                  for e in out_edges + in_edges if e.type == "neighbours"]
    partners = [dict(_link(graph, e, e.end if e.start == node.id else e.start),
                     collaboration=e.props.get("collaboration_name"))
                for e in out_edges + in_edges if e.type in ("partner_of", "collaborates_with")]
    successors = [dict(_link(graph, e, e.end), date=_iso(e.props.get("date")))
                  for e in out_edges if e.type == "succeeded_by"]
    predecessors = [dict(_link(graph, e, e.start), date=_iso(e.props.get("date")))
                    for e in in_edges if e.type == "succeeded_by"]
    strategies = [_strategy(graph, graph.nodes[e.end]) for e in out_edges if e.type == "published"]
    if node.type == "strategy":
        strategies = [_strategy(graph, node)]
    source_ids = set(node.sources)
    for e in out_edges + in_edges:
        source_ids.update(e.sources)
    for s in strategies:
        source_ids.update(s["sources"])
    from .evidence.section import evidence_section

    return {
        "code": node.id,
        "name": node.name,
        "type": node.type,
        "properties": {k: _plain(v) for k, v in node.props.items()},
        "as_of": as_of.isoformat() if as_of else None,
        "members": _sorted(members),
        "member_of": _sorted(member_of),
        "located_in": _sorted(located),
        "located_here": _sorted(hosts),
        "neighbours": _sorted(neighbours),
        "partners": _sorted(partners),
        "predecessors": _sorted(predecessors),
        "successors": _sorted(successors),
        "strategies": strategies,
        "sources": [graph.sources[s].as_dict() for s in sorted(source_ids)],
        "evidence": evidence_section(graph, node, as_of),
    }


def _strategy(graph: KnowledgeGraph, strategy: Node) -> dict[str, Any]:
    priorities = []
    sources = set(strategy.sources)
    for e in graph.out_edges(strategy.id, ["has_priority"]):
        p = graph.nodes[e.end]
        sources.update(p.sources)
        themes = [graph.nodes[t.end] for t in graph.out_edges(p.id, ["addresses"])]
        priorities.append({"code": p.id, "name": p.name,
                           "themes": [{"code": t.id, "name": t.name, "scheme": t.props.get("scheme")}
                                      for t in themes]})
    return {"code": strategy.id, "name": strategy.name,
            **{k: _plain(v) for k, v in strategy.props.items()},
            "priorities": priorities, "sources": sorted(sources)}


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def summary(graph: KnowledgeGraph) -> dict[str, Any]:
    """Counts by node and edge type, and the sources with their vintages."""
    nodes, edges = graph.count_by_type()
    used: dict[str, int] = {}
    for item in list(graph.nodes.values()) + graph.edges:
        for s in item.sources:
            used[s] = used.get(s, 0) + 1
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "total_nodes": len(graph.nodes),
        "total_edges": len(graph.edges),
        "sources": [dict(s.as_dict(), records=used.get(s.id, 0))
                    for s in sorted(graph.sources.values(), key=lambda s: s.id)],
    }


def list_places(graph: KnowledgeGraph, types: tuple[str, ...] = (),
                as_of: date | None = None) -> list[dict[str, Any]]:
    """Nodes of the given types (all when empty) valid on ``as_of``, sorted by type and name."""
    rows = []
    for n in graph.nodes_of_type(*types, as_of=as_of):
        rows.append({"code": n.id, "name": n.name, "type": n.type,
                     "valid_from": _iso(n.props.get("valid_from")),
                     "valid_to": _iso(n.props.get("valid_to")),
                     "sources": ";".join(n.sources)})
    return sorted(rows, key=lambda r: (r["type"], r["name"], r["code"]))
