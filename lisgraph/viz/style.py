"""How nodes and edges look: colour and shape by type, size by degree, text-only tooltips."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..graph import KnowledgeGraph
from ..model import Node
from .selection import OPPORTUNITY, DrawnEdge

__all__ = ["NodeStyle", "EdgeStyle", "NODE_STYLES", "EDGE_STYLES", "node_style", "edge_style",
           "node_size", "node_tooltip", "edge_tooltip", "legend", "GLYPHS"]


@dataclass(frozen=True)
class NodeStyle:
    color: str
    shape: str  # a vis.js shape drawn with its label outside, so size can show degree
    label: str  # for the legend


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    width: float = 1.0
    dashes: tuple[int, ...] = ()  # vis.js dash pattern (dash, gap, ...); () is solid


#: one entry per node type of schema/model.toml (a test keeps them in step)
NODE_STYLES: dict[str, NodeStyle] = {
    "region": NodeStyle("#9d9590", "square", "region"),
    "county": NodeStyle("#76b7b2", "square", "county"),
    "district": NodeStyle("#4e79a7", "dot", "district"),
    "lep": NodeStyle("#f28e2b", "diamond", "LEP"),
    "combined_authority": NodeStyle("#e15759", "star", "combined authority"),
    "greater_london_authority": NodeStyle("#c0392b", "star", "Greater London Authority"),
    "designation": NodeStyle("#bab0ac", "square", "designation (IZ, Freeport, ...)"),
    "partnership": NodeStyle("#59a14f", "hexagon", "partnership"),
    "collaboration": NodeStyle("#c03d3e", "hexagon", "collaboration / deal"),
    "itl_area": NodeStyle("#8cd17d", "square", "ITL area"),
    "organisation": NodeStyle("#9c755f", "triangleDown", "organisation"),
    "provider": NodeStyle("#d4a418", "triangle", "university / HE provider"),
    "strategy": NodeStyle("#b07aa1", "square", "strategy (LIS / LGP)"),
    "priority": NodeStyle("#ff9da7", "dot", "priority"),
    "theme": NodeStyle("#17a2b8", "hexagon", "theme"),
}
_OTHER_NODE = NodeStyle("#999999", "dot", "")

#: one entry per edge type of schema/model.toml, plus highlighted opportunities
EDGE_STYLES: dict[str, EdgeStyle] = {
    "part_of": EdgeStyle("#a9bfd8"),
    "member_of": EdgeStyle("#8cc084"),
    "located_in": EdgeStyle("#e3cf7a"),
    "published": EdgeStyle("#c49bbb"),
    "has_priority": EdgeStyle("#f4b6c2"),
    "addresses": EdgeStyle("#7fc8d4"),
    "broader": EdgeStyle("#3d8fa0"),
    "partner_of": EdgeStyle("#a0785a", 2.0),
    "collaborates_with": EdgeStyle("#c03d3e", 2.0),  # red, solid: recorded
    "party_to": EdgeStyle("#c03d3e", 1.5),
    "neighbours": EdgeStyle("#d0d0d0"),
    "succeeded_by": EdgeStyle("#707070", 1.5),
    "functions_transferred_to": EdgeStyle("#f28e2b", 1.5, dashes=(4, 4)),
    "hosted_by": EdgeStyle("#bab0ac"),
    "designated_for": EdgeStyle("#7fc8d4", dashes=(2, 4)),
    OPPORTUNITY: EdgeStyle("#6a3d9a", 2.5, dashes=(9, 6)),  # purple, dashed: not recorded
}
_OTHER_EDGE = EdgeStyle("#bbbbbb")

#: a character for each shape, for the legend
GLYPHS = {"dot": "●", "square": "■", "diamond": "◆", "star": "★", "hexagon": "⬢",
          "triangle": "▲", "triangleDown": "▼"}



def node_style(node_type: str) -> NodeStyle:
    return NODE_STYLES.get(node_type, _OTHER_NODE)


def edge_style(edge_type: str) -> EdgeStyle:
    return EDGE_STYLES.get(edge_type, _OTHER_EDGE)


def node_size(degree: int) -> float:
    """Marker size grows with the square root of degree, capped so hubs stay readable.

    >>> node_size(0), node_size(4), node_size(10_000)
    (8.0, 14.0, 40.0)
    """
    return min(8.0 + 3.0 * math.sqrt(degree), 40.0)


def node_tooltip(graph: KnowledgeGraph, node: Node) -> str:
    """Plain text (vis.js shows a string title as text): name, code, type, validity, and
    the sources' ids (the profile panel gives the full references).

    >>> from lisgraph.model import Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "Names and codes", "u", "2021", "OGL-UK-3.0"))
    >>> print(node_tooltip(g, Node("E08000003", "district", "Manchester", ("s",))))
    Manchester
    code: E08000003
    type: Local authority district (district)
    sources: s (click for the references)
    """
    lines = [node.name, f"code: {node.id}", f"type: {_type_title(graph, node.type)}"]
    start, end = node.props.get("valid_from"), node.props.get("valid_to")
    if start or end:
        lines.append(f"valid: {start or '…'} – {end or '…'}")
    if node.sources:
        lines.append("sources: " + ", ".join(node.sources) + " (click for the references)")
    return "\n".join(lines)


def edge_tooltip(graph: KnowledgeGraph, edge: DrawnEdge) -> str:
    """Plain text: the two ends, the relation, each recorded period and the sources' ids
    (a page has thousands of lines: the full references are in the ends' profiles)."""
    a, b = graph.nodes[edge.start].name, graph.nodes[edge.end].name
    arrow = "—" if edge.symmetric else "→"
    lines = [f"{a} {arrow} {b}", f"relation: {edge_label(edge.type)}"]
    if edge.type == OPPORTUNITY:
        d = edge.detail
        lines[1] = "relation: collaboration opportunity (no collaboration recorded)"
        lines.append(f"score: {d.get('score')}")
        if d.get("valid_from") or d.get("valid_to"):
            lines.append(f"holds: {d.get('valid_from') or '…'} – {d.get('valid_to') or '…'}")
        if d.get("shared_themes"):
            lines.append("shared themes: " + ", ".join(map(str, d["shared_themes"])))
        if d.get("reasons"):
            lines.append("why near: " + ", ".join(map(str, d["reasons"])))
        return "\n".join(lines)
    sources: list[str] = []
    for e in edge.edges:
        if e.valid_from or e.valid_to:
            lines.append(f"valid: {e.valid_from or '…'} – {e.valid_to or '…'}")
        name = e.props.get("collaboration_name")
        if name:
            lines.append(f"collaboration: {name}")
        sources += [s for s in e.sources if s not in sources]
    if sources:
        lines.append("sources: " + ", ".join(sources))
    return "\n".join(dict.fromkeys(lines))


def edge_label(edge_type: str) -> str:
    """The label drawn on a line.

    >>> edge_label("collaborates_with")
    'collaborates with'
    """
    return edge_type.replace("_", " ")


def legend(graph: KnowledgeGraph, node_types: set[str], edge_types: set[str]) -> dict[str, Any]:
    """The legend's rows for the types on the page, in schema order."""
    nodes = [{"label": node_style(t).label or t, "color": node_style(t).color,
              "glyph": GLYPHS.get(node_style(t).shape, "●"), "type": t}
             for t in [*graph.schema.nodes, *sorted(node_types - set(graph.schema.nodes))]
             if t in node_types]
    order = [*graph.schema.edges, OPPORTUNITY]
    edges = [{"label": "collaboration opportunity" if t == OPPORTUNITY else edge_label(t),
              "color": edge_style(t).color, "dashed": bool(edge_style(t).dashes), "type": t}
             for t in [*order, *sorted(edge_types - set(order))] if t in edge_types]
    return {"nodes": nodes, "edges": edges}


def _type_title(graph: KnowledgeGraph, node_type: str) -> str:
    nt = graph.schema.nodes.get(node_type)
    return f"{nt.title} ({node_type})" if nt else node_type
