"""The `viz` command: write an interactive, self-contained HTML map of the graph."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import AsOfOpt, app, state


class Layout(str, Enum):
    geo = "geo"
    force = "force"


class Highlight(str, Enum):
    opportunities = "opportunities"


@app.command()
def viz(
    place: Optional[str] = typer.Argument(None, help="Centre the map on this place or body "
                                          "(code or name); omit for the whole graph."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write (only this file "
                             "is written)."),
    depth: Optional[int] = typer.Option(None, "--depth", "-d", min=0,
                                        help="Links to follow from PLACE [default: 1]."),
    type_: list[str] = typer.Option([], "--type", "-t", help="Only nodes of these types "
                                    "(repeatable), e.g. lep, district, combined_authority."),
    theme: Optional[str] = typer.Option(None, "--theme", help="Only what concerns this theme: "
                                        "its priorities, strategies, bodies, collaborations."),
    layout: Layout = typer.Option(Layout.geo, "--layout", help="geo: reference points on a "
                                  "map of England; force: a force-directed layout."),
    highlight: Optional[Highlight] = typer.Option(None, "--highlight", help="Draw "
                                                  "collaboration opportunities as dashed lines."),
    colour_by: Optional[str] = typer.Option(
        None, "--colour-by", metavar="WHAT", help="Fill the districts by: membership (strategic authority, "
        "or LEP before April 2024; membership:lep, membership:combined_authority), "
        "theme:NAME (declared priority) or indicator:NAME (evidence layer) "
        "[default: membership]."),
    areas: bool = typer.Option(True, "--areas/--no-areas", help="Draw district and body "
                               "areas under the network (geo layout)."),
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """Interactive map (pyvis): the whole graph, or PLACE's neighbourhood, as one HTML page
    that works offline."""
    from ..viz import build_network, write_map

    if depth is not None and place is None:
        raise typer.BadParameter("--depth needs a PLACE", param_hint="--depth")
    net = build_network(state.view(as_of), place, 1 if depth is None else depth, type_, theme,
                        layout.value, highlight.value if highlight else None,
                        colour_by=colour_by, areas=areas)
    path = write_map(net, out)
    print(f"wrote {path}: {net.num_nodes()} nodes, {net.num_edges()} links ({layout.value} layout)",
          file=sys.stderr)
