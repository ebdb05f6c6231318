"""Collaboration gaps: a place's priority themes with no recorded partner, what capability the
place holds on them, and who nearby could fill them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view, node_period, overlap
from .index import SCHEME_ORDER, distance_km, member_districts, recorded_links, reference_point, themes_of

__all__ = ["gaps", "theme_partners", "CAPABILITY_CHECKS", "DEFAULT_MAX_KM", "PARTNER_TYPES",
           "local_capability"]

PARTNER_TYPES = ("provider", "organisation", "lep", "combined_authority", "partnership",
                 "district", "county", "collaboration")
DEFAULT_MAX_KM = 50.0
#: what sits in a place: providers and organisations located in its districts
LOCATED_TYPES = ("provider", "organisation")


def theme_partners(graph: KnowledgeGraph | DatedView,
                   as_of: date | None = None) -> dict[str, dict[str, set[str]]]:
    """theme id -> partner id -> ids of the bodies it is recorded with on that theme.

    A partner is on a theme when a recorded collaboration or partnership link it takes part in
    names the theme (the collaborating bodies are each other's partners on it).
    """
    graph = as_view(graph, as_of)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for link in recorded_links(graph):
        for theme in link.themes:
            out[theme][link.a].add(link.b)
            out[theme][link.b].add(link.a)
    return out


def _inside(graph: DatedView, area: set[str]) -> set[str]:
    """Providers and organisations located in the area, its districts, and the counties
    whose districts all lie in it."""
    inside = {e.start for d in area for e in graph.in_edges(d, ["located_in"])
              if graph.nodes[e.start].type in LOCATED_TYPES} | set(area)
    for d in area:
        for e in graph.out_edges(d, ["part_of"]):
            if graph.nodes[e.end].type == "county" and \
                    member_districts(graph, e.end, graph.as_of) <= area:
                inside.add(e.end)
    return inside


def _recorded_capability(graph: DatedView, body: str, area: set[str],
                         themes: set[str]) -> dict[str, list[dict[str, Any]]]:
    """theme -> providers and organisations located in the area, and councils inside it,
    that are recorded in a collaboration on the theme (with the collaborations' names)."""
    located = _inside(graph, area)
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for link in recorded_links(graph):
        for who in {link.a, link.b} & located:
            for t in set(link.themes) & themes:
                found[t][who].add(link.name or "a recorded link")
    return {t: [{"code": p, "name": graph.nodes[p].name, "type": graph.nodes[p].type,
                 "basis": "located here; recorded on the theme in " + "; ".join(sorted(names))}
                for p, names in sorted(by.items())] for t, by in found.items()}


#: capability checks: each ``check(view, body, districts, themes)`` returns theme -> capability
#: records (``code``, ``name``, ``type``, ``basis``). The evidence layer appends its own (an
#: evidenced strength of the place's economy on the theme).
CAPABILITY_CHECKS: list[Callable[[DatedView, str, set[str], set[str]],
                                 dict[str, list[dict[str, Any]]]]] = [_recorded_capability]


def local_capability(graph: DatedView, body: str, area: set[str],
                     themes: set[str]) -> dict[str, list[dict[str, Any]]]:
    """theme -> capability located in the place on the view's date, from every check in
    :data:`CAPABILITY_CHECKS`."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for check in CAPABILITY_CHECKS:
        for t, records in check(graph, body, area, themes).items():
            out[t].extend(records)
    return out


def gaps(graph: KnowledgeGraph | DatedView, place: str, as_of: date | None = None,
         max_km: float = DEFAULT_MAX_KM, nearest: int = 5) -> list[dict[str, Any]]:
    """PLACE's priority themes with no recorded partner: for each theme, who PLACE is recorded
    with on it, what capability is located in PLACE, and otherwise who nearby could fill it.

    For each theme of PLACE's headline priorities (most specific first):

    - ``partnered``: a recorded collaboration or partner link of PLACE (or a co-publisher of
      its strategy) names the theme; ``partners`` lists them.
    - ``local capability``: no such link, but capability on the theme is located in PLACE on
      the date (:data:`CAPABILITY_CHECKS`: providers and organisations located in its
      districts, and its own councils, recorded in a collaboration on the theme);
      ``capability`` lists it.
    - ``no recorded partner``: neither. ``candidates`` are the bodies recorded on the theme
      elsewhere, alive on the date, whose reference point lies within ``max_km`` of PLACE's,
      nearest first (at most ``nearest``); when none is that near, ``note`` says so and names
      the nearest beyond. Absence of a record is not evidence of absence: the providers and
      organisations located in PLACE with no record on the theme are listed in ``located``.

    Returns
    -------
    rows with ``theme``, ``label``, ``scheme``, ``status``, ``priorities`` (PLACE's priorities
    on the theme), ``partners``, ``capability``, ``located`` and ``candidates`` (objects with
    ``code``, ``name``, ``type``, ``distance_km``, ``recorded_with``, ``also``), ``note``, and
    ``as_of`` with a date.
    """
    from .overlaps import no_strategy, strategies_of, strategy_period

    graph = as_view(graph, as_of)
    as_of = graph.as_of
    node = graph.require(resolve(graph, place, prefer=has_strategy(graph)))
    mine = themes_of(graph, node.id)
    if not mine:
        raise no_strategy(graph, node)
    own = strategies_of(graph, node.id)
    us = {e.start for s in own for e in graph.in_edges(s, ["published"])} | {node.id}
    area = set().union(*(member_districts(graph, b, as_of) for b in us))
    origin = reference_point(graph, node.id, as_of)
    span = strategy_period(graph, node.id)
    partners = theme_partners(graph)
    capability = local_capability(graph, node.id, area, set(mine))
    located = sorted({e.start for d in area for e in graph.in_edges(d, ["located_in"])
                      if graph.nodes[e.start].type in LOCATED_TYPES})
    rows = []
    for theme in sorted(mine, key=lambda t: (SCHEME_ORDER.get(str(graph.nodes[t].props.get("scheme")), 3), t)):
        on_theme = partners.get(theme, {})
        ours = sorted({p for b in us for p, withs in on_theme.items() if b in withs} - us)
        local = capability.get(theme, [])
        status = "partnered" if ours else "local capability" if local else "no recorded partner"
        row: dict[str, Any] = {
            "theme": theme, "label": graph.nodes[theme].name,
            "scheme": graph.nodes[theme].props.get("scheme"), "status": status,
            "priorities": sorted(set(mine[theme])),
            "partners": [f"{graph.nodes[p].name} ({p})" for p in ours],
            "capability": local, "located": [], "candidates": [], "note": "",
        }
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        if status == "no recorded partner":
            row["located"] = [f"{graph.nodes[p].name} ({p})" for p in located]
            ranked = _candidates(graph, on_theme, us | _inside(graph, area), origin, span)
            row["candidates"] = [c for c in ranked if c["distance_km"] <= max_km][:nearest]
            if origin is None:
                row["note"] = f"{node.name} has no reference point: distances unknown"
            elif not ranked:
                row["note"] = "no body is recorded on this theme"
            elif not row["candidates"]:
                far = ranked[0]
                row["note"] = (f"no body recorded on this theme within {max_km:g} km; the nearest "
                               f"is {far['name']} ({far['code']}), {far['distance_km']:.0f} km")
        rows.append(row)
    return rows


def _candidates(graph: DatedView, on_theme: dict[str, set[str]], us: set[str],
                origin: tuple[float, float] | None, span: Any) -> list[dict[str, Any]]:
    """Bodies recorded on the theme, alive when PLACE's strategy was, nearest first (ties by
    code); co-publishers of one strategy are one candidate (the nearest, the others in
    ``also``)."""
    from .overlaps import strategies_of

    if origin is None:
        return []
    out = []
    for p, withs in on_theme.items():
        if p in us or graph.nodes[p].type not in PARTNER_TYPES:
            continue
        if span is not None and overlap(span, node_period(graph.nodes[p])) is None:
            continue  # not alive while PLACE's strategy was (the view does this on a date)
        point = reference_point(graph, p, graph.as_of)
        if point is None:
            continue
        out.append({"code": p, "name": graph.nodes[p].name, "type": graph.nodes[p].type,
                    "distance_km": round(distance_km(origin, point), 1),
                    "recorded_with": [f"{graph.nodes[w].name} ({w})" for w in sorted(withs)],
                    "also": []})
    out.sort(key=lambda c: (c["distance_km"], c["code"]))
    first: dict[frozenset[str], dict[str, Any]] = {}
    kept = []
    for c in out:
        joint = strategies_of(graph, c["code"])
        if joint and joint in first:
            first[joint]["also"].append(f"{c['name']} ({c['code']})")
            continue
        if joint:
            first[joint] = c
        kept.append(c)
    return kept
