"""Interactive maps of the graph: a pyvis Network for notebooks, a self-contained HTML page."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LisgraphError, MissingExtra
from ..graph import KnowledgeGraph
from ..model import Node
from .selection import View, add_opportunities, select

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["build_network", "write_map", "ViewTooLarge", "MAX_NODES", "LARGE_NODES",
           "LARGE_EDGES", "FORCE_MAX_NODES", "LAYOUTS", "HIGHLIGHTS", "HIDDEN_EDGE_TYPES"]

#: above this many nodes a view is refused: the page would be slow and unreadable
MAX_NODES = 10_000
#: above this many nodes or edges the page is drawn lean: straight lines, no edge labels,
#: lines hidden while dragging or zooming (positions are precomputed and physics is always off)
LARGE_NODES = 1_000
LARGE_EDGES = 4_000
#: the force layout costs O(n^2) per iteration in Python; above this use the geo layout
FORCE_MAX_NODES = 1_500
LAYOUTS = ("geo", "force")
HIGHLIGHTS = ("opportunities",)
#: link types hidden (toggle to show) on whole-graph maps, where the areas already show them
HIDDEN_EDGE_TYPES = ("part_of", "neighbours", "succeeded_by")


class ViewTooLarge(LisgraphError):
    """The chosen view has more nodes than can be drawn usefully."""


def build_network(graph: KnowledgeGraph, place: str | Node | None = None, depth: int = 1,
                  types: Iterable[str] = (), theme: str | Node | None = None,
                  layout: str = "geo", highlight: str | None = None,
                  as_of: date | None = None, max_nodes: int = MAX_NODES,
                  colour_by: str | None = None, areas: bool = True) -> Network:
    """A pyvis ``Network`` of the graph, or of PLACE's neighbourhood, ready to show.

    Nodes are coloured and shaped by type and sized by degree; tooltips give name, code,
    type and sources; the page labels the most important nodes that fit without overlap.
    Positions are computed here (``layout`` "geo": areas and bodies at their places on a map,
    strategies, priorities, themes and unplaced organisations in columns east of it;
    "force": a force-directed layout) and physics is off, so the page opens settled.
    With the geo layout and ``areas``, district polygons are drawn under the network,
    filled by ``colour_by`` (see :mod:`lisgraph.viz.colour`), and each area body's union of
    member districts on the date is outlined or highlighted when selected.
    ``highlight="opportunities"`` adds the collaboration opportunities of
    :func:`lisgraph.analysis.opportunities` as dashed lines.
    See :func:`lisgraph.viz.selection.select` for ``place``, ``depth``, ``types`` and ``theme``.

    ``net.generate_html()`` gives the self-contained page; :func:`write_map` writes it; in a
    notebook, ``net.show("map.html")`` writes it and displays it in a frame.

    Raises
    ------
    ViewTooLarge above ``max_nodes`` nodes (or :data:`FORCE_MAX_NODES` for "force");
    LisgraphError for an unknown place, theme, type, layout or highlight, or an empty view.

    Examples
    --------
    >>> from lisgraph.model import Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E12000002", "region", "North West", ("s",)))
    >>> g.add_node(Node("E08000003", "district", "Manchester", ("s",),
    ...                 {"lat": 53.48, "lon": -2.24}))
    >>> g.add_edge(Edge("E08000003", "part_of", "E12000002", ("s",)))
    >>> net = build_network(g)
    >>> net.num_nodes(), net.num_edges(), net.get_node("E08000003")["name"]
    (2, 1, 'Manchester')
    """
    if layout not in LAYOUTS:
        raise LisgraphError(f"unknown layout '{layout}'; layouts are: {', '.join(LAYOUTS)}")
    if highlight is not None and highlight not in HIGHLIGHTS:
        raise LisgraphError(f"unknown highlight '{highlight}'; choose: {', '.join(HIGHLIGHTS)}")
    try:
        from pyvis.network import Network
    except ImportError:
        raise MissingExtra("pyvis", "viz") from None

    from ..view import as_view

    graph = as_view(graph, as_of)  # type: ignore[assignment]  # time is applied here, once
    as_of = graph.as_of
    view = select(graph, place, depth, types, theme, as_of)
    found = None
    if highlight == "opportunities":
        from ..analysis import opportunities

        rows = opportunities(graph, place=view.place.id if view.place else None,
                             theme=view.theme.id if view.theme else None, as_of=as_of)
        found = add_opportunities(graph, view, rows)
    n = len(view.nodes)
    if n == 0:
        raise LisgraphError("nothing to draw: no node passes those filters")
    limit = min(max_nodes, FORCE_MAX_NODES) if layout == "force" else max_nodes
    if n > limit:
        hint = ", or use --layout geo" if layout == "force" and n <= max_nodes else ""
        raise ViewTooLarge(
            f"the view has {n} nodes, more than the {layout} layout draws ({limit}): give a "
            f"PLACE with --depth, or filter with --type or --theme{hint}")

    from .colour import parse_colour_by

    parse_colour_by(colour_by)  # a bad value fails before any work
    large = n > LARGE_NODES or len(view.edges) > LARGE_EDGES
    # the page fills its window; height and width size the frame of pyvis' notebook display
    net = Network(height="750px", width="100%", directed=True, cdn_resources="in_line")
    net.options = _options(large)
    hidden = HIDDEN_EDGE_TYPES if view.place is None and view.theme is None else ()
    _add_items(net, graph, view, layout, hidden)
    from .page import page_data

    data = page_data(graph, view, net, layout == "geo" and areas, colour_by, hidden)
    _attach_page(net, graph, view, layout, large, found, data, hidden)
    return net


def write_map(net: Network, out: str | os.PathLike[str]) -> Path:
    """Write the network's self-contained page to ``out`` (atomically; nothing else)."""
    from .page import page_html, write_page

    return write_page(page_html(net), out)


def _options(large: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True,
                        "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "nodes": {"borderWidth": 1},
        "edges": {"smooth": {"enabled": not large, "type": "continuous", "roundness": 0.3},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
    }


def _add_items(net: Network, graph: KnowledgeGraph, view: View, layout: str,
               hidden: tuple[str, ...]) -> None:
    from pyvis.edge import Edge as VisEdge

    from .layout import force_positions, geo_positions
    from .style import edge_style, edge_tooltip, node_size, node_style, node_tooltip

    pos = force_positions(graph, view) if layout == "force" else geo_positions(graph, view)
    degree = view.degree()
    for nid, node in view.nodes.items():
        style = node_style(node.type)
        x, y = pos[nid]
        # the page draws labels itself (by importance, never overlapping): no vis.js label
        net.add_node(nid, label=node.name, title=node_tooltip(graph, node), shape=style.shape,
                     color=style.color, size=round(node_size(degree[nid]), 1), x=x, y=y,
                     type=node.type,
                     name=node.name)
        del net.nodes[-1]["label"]
    # Network.add_edge checks both ends by scanning the node list (quadratic on big views);
    # the view's edges only join its own nodes, so the records are appended directly.
    for e in view.edges:
        style = edge_style(e.type)
        extra = {"hidden": True} if e.type in hidden else {}
        net.edges.append(VisEdge(e.start, e.end, True, title=edge_tooltip(graph, e),
                                 color=style.color, width=style.width,
                                 dashes=list(style.dashes) if style.dashes else False,
                                 type=e.type, arrows="" if e.symmetric else "to",
                                 **extra).options)


def _attach_page(net: Network, graph: KnowledgeGraph, view: View, layout: str, large: bool,
                 opportunities: int | None, data: dict[str, Any],
                 hidden: tuple[str, ...]) -> None:
    from .page import use_page_template
    from .style import legend

    when = f"on {view.as_of.isoformat()}" if view.as_of else "all dates (undated view)"
    if view.place is not None:
        title = f"lisgraph: {view.place.name} ({view.place.id}), depth {view.depth}, {when}"
    elif view.theme is not None:
        title = f"lisgraph: who works on {view.theme.name}, {when}"
    else:
        title = f"lisgraph: places, bodies and partners, {when}"
    facts = [f"{net.num_nodes()} nodes", f"{net.num_edges()} links", f"{layout} layout"]
    if view.theme is not None:
        facts.append(f"theme: {view.theme.name}")
    if view.types:
        facts.append("types: " + ", ".join(view.types))
    if opportunities is not None:
        facts.append(f"{opportunities} collaboration opportunities (dashed)")
    notes = ["Size shows the number of links. Hover for name, code, type and sources; click "
             "for the profile. Labels: the most important that fit; zoom in for more."]
    if layout == "geo":
        notes.append("Strategies, priorities, themes and organisations with no place are in "
                     "columns east of the map, linked to their bodies.")
    if hidden:
        notes.append("Hidden at first (tick to show): " + ", ".join(
            t.replace("_", " ") for t in hidden) + " links.")
    if large:
        notes.append("Large view: straight lines (hover a line for its type).")
    keys = legend(graph, {n.type for n in view.nodes.values()}, {e.type for e in view.edges})
    for row in keys["edges"]:
        row["hidden"] = row["type"] in hidden
    use_page_template(net, title, " · ".join(facts), keys, notes, data)
