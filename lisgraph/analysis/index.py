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

__all__ = ["SCHEME_WEIGHT", "ThemeIndex", "theme_index", "member_districts", "reference_point",
           "distance_km", "themes_of", "resolve_theme", "is_headline", "distinctiveness",
           "recorded_links", "RecordedLink", "SCHEME_ORDER"]

#: how much a shared theme counts: a shared sector (or one of the 2025 frontier industries)
#: says more than a shared Grand Challenge, which says more than a shared foundation
SCHEME_WEIGHT = {"frontier_industry": 3.0, "sector": 3.0, "grand_challenge": 2.0, "foundation": 1.0}
#: the order themes are listed in: most specific first
SCHEME_ORDER = {"frontier_industry": 0, "sector": 0, "grand_challenge": 1, "foundation": 2}


def is_headline(priority: Any) -> bool:
    """Whether a priority is one of its strategy's headline priorities (a missing ``role`` is
    read as headline: the bundled strategies list only their headline priorities)."""
    role = priority.props.get("role")
    return not role or str(role).strip().lower() == "headline"


def themes_of(graph: KnowledgeGraph, body: str) -> dict[str, list[str]]:
    """Theme id -> names of the body's headline priorities that address it (via its
    strategies)."""
    out: dict[str, list[str]] = defaultdict(list)
    for pub in graph.out_edges(body, ["published"]):
        for hp in graph.out_edges(pub.end, ["has_priority"]):
            if not is_headline(graph.nodes[hp.end]):
                continue
            for ad in graph.out_edges(hp.end, ["addresses"]):
                out[ad.end].append(graph.nodes[hp.end].name)
    return dict(out)


@dataclass(frozen=True)
class RecordedLink:
    """Two bodies recorded as working together (a collaboration or a partner link)."""

    a: str
    b: str
    themes: tuple[str, ...]
    name: str
    kind: str  # "collaboration" or "partner"


def recorded_links(graph: Any) -> list[RecordedLink]:
    """Every recorded collaboration pair and partner link visible in the view (the one place
    the analyses read who already works with whom).

    Collaborations come from :func:`lisgraph.collaborations.collaboration_pairs`
    (collaborations as nodes with dated ``party_to`` links, and pairwise ``collaborates_with``
    links), read through the view so that only pairs alive on its date count.
    """
    from ..collaborations import collaboration_pairs

    out = [RecordedLink(p.a, p.b, tuple(p.themes), p.name or p.collaboration, "collaboration")
           for p in collaboration_pairs(graph, graph.as_of)]
    for e in graph.edges:
        if e.type == "partner_of":
            out.append(RecordedLink(e.start, e.end, tuple(e.props.get("themes") or ()),
                                    "", "partner"))
    return out


@dataclass
class ThemeIndex:
    """Bodies with strategy priorities x themes, as a sparse 0/1 matrix with theme weights."""

    bodies: list[str]
    themes: list[str]
    matrix: sparse.csr_matrix
    weights: np.ndarray
    why: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: (body, theme) -> ids of the body's headline priorities on the theme
    priorities: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: how many strategies (in the view) declare each theme, and how many strategies there are
    strategy_counts: np.ndarray | None = None
    n_strategies: int = 0

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
    prios: dict[tuple[str, str], list[str]] = {}
    declared: dict[str, set[str]] = {}  # strategy -> themes of its headline priorities
    for e in graph.edges:
        if e.type != "published":
            continue
        for hp in graph.out_edges(e.end, ["has_priority"]):
            if not is_headline(graph.nodes[hp.end]):
                continue
            for ad in graph.out_edges(hp.end, ["addresses"]):
                why.setdefault((e.start, ad.end), []).append(graph.nodes[hp.end].name)
                prios.setdefault((e.start, ad.end), []).append(hp.end)
                declared.setdefault(e.end, set()).add(ad.end)
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
    counts = np.zeros(len(themes))
    for ts in declared.values():
        for t in ts:
            counts[tpos[t]] += 1
    return ThemeIndex(bodies, themes, matrix, weights, why, prios, counts, len(declared))


def distinctiveness(idx: ThemeIndex) -> np.ndarray:
    """How distinctive each theme is among the strategies in the view: a smoothed inverse
    document frequency, ``1 + ln((1 + N) / (1 + n_t))`` for N strategies of which n_t declare
    the theme (a theme every strategy declares weighs 1; one declared by a single strategy of
    28 weighs 1 + ln(29 / 2) = 3.67).

    >>> import numpy as np
    >>> idx = ThemeIndex([], ["a", "b"], None, np.ones(2), strategy_counts=np.array([28.0, 1.0]),
    ...                  n_strategies=28)
    >>> [round(float(x), 2) for x in distinctiveness(idx)]
    [1.0, 3.67]
    """
    import numpy as np

    counts = idx.strategy_counts if idx.strategy_counts is not None else np.zeros(len(idx.themes))
    return 1.0 + np.log((1.0 + idx.n_strategies) / (1.0 + counts))


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
