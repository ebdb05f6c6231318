"""Indexes the analyses share: each body's themes, member districts, regions and location."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import LisgraphError
from ..graph import KnowledgeGraph

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = ["SCHEME_WEIGHT", "ThemeIndex", "theme_index", "headline", "member_districts", "reference_point",
           "distance_km", "themes_of", "resolve_theme"]

#: how much a shared theme counts: a shared sector says more than a shared foundation
SCHEME_WEIGHT = {"sector": 3.0, "grand_challenge": 2.0, "foundation": 1.0}


def headline(priority: Any) -> bool:
    """Whether a priority counts as a headline priority (an empty role means headline; a
    strategy's overall aim or a cross-cutting theme is not compared with other strategies)."""
    return priority.props.get("role", "headline") in ("", "headline")


def themes_of(graph: KnowledgeGraph, body: str) -> dict[str, list[str]]:
    """Theme id -> names of the body's priorities that address it (via its strategies)."""
    out: dict[str, list[str]] = defaultdict(list)
    for pub in graph.out_edges(body, ["published"]):
        for hp in graph.out_edges(pub.end, ["has_priority"]):
            if not headline(graph.nodes[hp.end]):
                continue
            for ad in graph.out_edges(hp.end, ["addresses"]):
                out[ad.end].append(graph.nodes[hp.end].name)
    return dict(out)


@dataclass
class ThemeIndex:
    """Bodies with strategy priorities x themes, as a sparse 0/1 matrix with theme weights."""

    bodies: list[str]
    themes: list[str]
    matrix: sparse.csr_matrix
    weights: np.ndarray
    why: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.body_pos = {b: i for i, b in enumerate(self.bodies)}
        self.theme_pos = {t: i for i, t in enumerate(self.themes)}


def theme_index(graph: KnowledgeGraph) -> ThemeIndex:
    """The body x theme matrix from published strategies and their priorities (built once per
    version of the graph)."""
    return graph.derived("theme_index", _build_theme_index)


def _build_theme_index(graph: KnowledgeGraph) -> ThemeIndex:
    import numpy as np
    from scipy import sparse

    why: dict[tuple[str, str], list[str]] = {}
    for e in graph.edges:
        if e.type != "published":
            continue
        for hp in graph.out_edges(e.end, ["has_priority"]):
            if not headline(graph.nodes[hp.end]):
                continue
            for ad in graph.out_edges(hp.end, ["addresses"]):
                why.setdefault((e.start, ad.end), []).append(graph.nodes[hp.end].name)
    rank = {"combined_authority": 0, "lep": 1}
    bodies = sorted({b for b, _ in why}, key=lambda b: (rank.get(graph.nodes[b].type, 2), b))
    themes = sorted(n.id for n in graph.nodes_of_type("theme"))
    bpos = {b: i for i, b in enumerate(bodies)}
    tpos = {t: i for i, t in enumerate(themes)}
    rows = [bpos[b] for b, _ in why]
    cols = [tpos[t] for _, t in why]
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bodies), len(themes)))
    weights = np.array([SCHEME_WEIGHT.get(str(graph.nodes[t].props.get("scheme")), 1.0)
                        for t in themes])
    return ThemeIndex(bodies, themes, matrix, weights, why)


def resolve_theme(graph: KnowledgeGraph, text: str) -> str:
    """A theme id from an id, label or alternative label (case-insensitive)."""
    from ..places import normalise, suggest

    themes = list(graph.nodes_of_type("theme"))
    wanted = normalise(text)
    for t in themes:
        if t.id == text or normalise(t.name) == wanted:
            return t.id
    for t in themes:
        if wanted in {normalise(str(a)) for a in t.props.get("alt_labels", ()) or ()}:
            return t.id
    hints = suggest(themes, wanted)
    raise LisgraphError(f"no theme matches '{text}'" + (f"; did you mean {', '.join(hints)}?"
                                                        if hints else ""))


def member_districts(graph: KnowledgeGraph, body: str, as_of: date | None = None) -> set[str]:
    """The districts that make up a body's area (a district is its own area)."""
    node = graph.nodes[body]
    if node.type == "district":
        return {body}
    if node.type in ("provider", "organisation"):
        return {e.end for e in graph.out_edges(body, ["located_in"], as_of)}
    if node.type == "partnership":
        out: set[str] = set()
        for e in graph.in_edges(body, ["member_of"], as_of):
            if graph.nodes[e.start].type != "partnership":
                out |= member_districts(graph, e.start, as_of)
        return out
    return {e.start for e in graph.in_edges(body, ["part_of"], as_of)
            if graph.nodes[e.start].type == "district"}


def reference_point(graph: KnowledgeGraph, body: str,
                    as_of: date | None = None) -> tuple[float, float] | None:
    """(lat, lon): the body's own point, else the mean of its member districts' points."""
    node = graph.nodes[body]
    if "lat" in node.props and "lon" in node.props:
        return float(node.props["lat"]), float(node.props["lon"])  # type: ignore[arg-type]
    pts = [(graph.nodes[d].props["lat"], graph.nodes[d].props["lon"])
           for d in member_districts(graph, body, as_of)
           if "lat" in graph.nodes[d].props]
    if not pts:
        return None
    return (sum(float(p[0]) for p in pts) / len(pts),  # type: ignore[arg-type]
            sum(float(p[1]) for p in pts) / len(pts))  # type: ignore[arg-type]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km.

    >>> round(distance_km((53.48, -2.24), (51.51, -0.13)))  # Manchester to London
    261
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
