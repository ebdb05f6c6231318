"""Collaboration gaps: a place's priority themes with no partner on them, and who could fill them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..collaborations import collaboration_pairs
from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view
from .index import distance_km, member_districts, reference_point, themes_of

__all__ = ["gaps", "theme_partners"]

PARTNER_TYPES = ("provider", "organisation", "lep", "combined_authority", "partnership",
                 "district", "county")


def theme_partners(graph: KnowledgeGraph | DatedView,
                   as_of: date | None = None) -> dict[str, dict[str, set[str]]]:
    """theme id -> partner id -> ids of the bodies it is recorded with on that theme.

    A partner is on a theme when a recorded collaboration or partnership link it takes part in
    names the theme (the collaborating bodies are each other's partners on it).
    """
    graph = as_view(graph, as_of)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    links = [(p.a, p.b, p.themes) for p in collaboration_pairs(graph)]
    links += [(e.start, e.end, e.props.get("themes") or []) for e in graph.edges
              if e.type == "partner_of"]
    for start, end, themes in links:
        for theme in themes:
            out[theme][start].add(end)
            out[theme][end].add(start)
    return out


def gaps(graph: KnowledgeGraph | DatedView, place: str, as_of: date | None = None,
         nearest: int = 3) -> list[dict[str, Any]]:
    """PLACE's priority themes and, for each, its partners on that theme or the nearest
    candidates elsewhere.

    A theme is *covered* when a partner located in PLACE's area, or recorded with PLACE (a
    collaboration or partnership link naming the theme), works on it; otherwise it is a *gap*
    and the ``nearest`` partners on that theme elsewhere are listed, nearest first by distance
    between reference points.

    Returns
    -------
    rows with ``theme``, ``label``, ``scheme``, ``status`` (``covered``/``gap``),
    ``priorities`` (PLACE's priorities on the theme), ``partners`` (local or recorded, for
    covered themes) and ``candidates`` (``name (code), N km`` for gaps).
    """
    from .overlaps import no_strategy

    graph = as_view(graph, as_of)
    as_of = graph.as_of
    node = graph.require(resolve(graph, place, prefer=has_strategy(graph)))
    mine = themes_of(graph, node.id)
    if not mine:
        raise no_strategy(graph, node)
    area = member_districts(graph, node.id, as_of)
    origin = reference_point(graph, node.id, as_of)
    partners = theme_partners(graph, as_of)
    order = {"sector": 0, "grand_challenge": 1, "foundation": 2}
    rows = []
    for theme in sorted(mine, key=lambda t: (order.get(str(graph.nodes[t].props.get("scheme")), 3), t)):
        on_theme = partners.get(theme, {})
        local = sorted(p for p, withs in on_theme.items() if p != node.id and (
            node.id in withs or member_districts(graph, p, as_of) & area))
        row: dict[str, Any] = {
            "theme": theme, "label": graph.nodes[theme].name,
            "scheme": graph.nodes[theme].props.get("scheme"),
            "status": "covered" if local else "gap",
            "priorities": sorted(set(mine[theme])),
            "partners": [f"{graph.nodes[p].name} ({p})" for p in local],
            "candidates": [],
        }
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        if not local and origin is not None:
            ranked = []
            for p in on_theme:
                if p == node.id or graph.nodes[p].type not in PARTNER_TYPES:
                    continue
                point = reference_point(graph, p, as_of)
                if point is not None:
                    ranked.append((distance_km(origin, point), p))
            row["candidates"] = [f"{graph.nodes[p].name} ({p}), {km:.0f} km"
                                 for km, p in sorted(ranked)[:nearest]]
        rows.append(row)
    return rows
