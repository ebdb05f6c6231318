"""Collaboration opportunities: bodies that share a priority theme, are near, and have no
recorded collaboration on it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..collaborations import collaboration_pairs
from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view, iso
from ..view import overlap as coexist
from .index import distance_km, member_districts, theme_index

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = ["opportunities", "PROXIMITY", "DEFAULT_MAX_KM", "Groups", "strategy_groups"]

#: proximity factor of each kind of nearness (the strongest one counts)
PROXIMITY = {"neighbouring": 1.0, "overlapping": 1.0, "shared partnership": 0.75,
             "same region": 0.5, "within distance": 0.5}
DEFAULT_MAX_KM = 50.0


@dataclass
class Groups:
    """Bodies grouped by the strategies they published (a joint strategy is one group)."""

    reps: list[str]
    members: list[list[str]]
    theme_rows: list[int]  # row of each group's representative in the theme index


def strategy_groups(graph: KnowledgeGraph, bodies: list[str]) -> Groups:
    by_set: dict[frozenset[str], list[str]] = {}
    for b in bodies:  # bodies come combined authority first, so a CA represents its group
        key = frozenset(e.end for e in graph.out_edges(b, ["published"]))
        by_set.setdefault(key, []).append(b)
    members = list(by_set.values())
    pos = {b: i for i, b in enumerate(bodies)}
    return Groups([m[0] for m in members], members, [pos[m[0]] for m in members])


def _indicator(pairs: dict[int, set[Any]], n: int, keys: dict[Any, int]) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    rows, cols = [], []
    for i, items in pairs.items():
        for item in items:
            rows.append(i)
            cols.append(keys.setdefault(item, len(keys)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(keys), 1)))


def opportunities(graph: KnowledgeGraph | DatedView, place: str | None = None, theme: str | None = None,
                  top: int | None = None, as_of: date | None = None,
                  max_km: float = DEFAULT_MAX_KM) -> list[dict[str, Any]]:
    """Pairs of bodies that share a priority theme, are near, and have not recorded a
    collaboration on it, ranked by ``score = theme_score * proximity``.

    ``theme_score`` sums the weights of the shared, uncovered themes (sector 3, Grand
    Challenge 2, foundation 1). ``proximity`` is the strongest nearness: neighbouring or
    overlapping areas 1.0, a shared partnership 0.75, the same region 0.5, reference points
    within ``max_km`` 0.5. A recorded collaboration or partnership link between the two covers
    the themes it names (all themes when it names none); covered themes do not count.

    All pairwise work is sparse: candidate pairs come from sparse products of area, adjacency,
    partnership and region indicator matrices and a k-d tree of reference points, never from a
    loop over all pairs.

    Time: read through the dated view (``as_of`` or a view of a date): bodies and links not
    alive on the date take no part. Without a date a pair is formed only when the two
    bodies' strategy periods overlap, and the row gives that common period.

    Returns
    -------
    rows with ``a``, ``a_name``, ``b``, ``b_name``, ``score``, ``theme_score``, ``proximity``,
    ``shared_themes`` (labels), ``reasons`` (each nearness found), ``distance_km``,
    ``valid_from``, ``valid_to``, ``date_status`` (and ``as_of`` with a date).
    """
    import numpy as np
    from scipy import sparse
    from scipy.spatial import cKDTree

    from .overlaps import strategy_period

    graph = as_view(graph, as_of)
    as_of = graph.as_of
    idx = theme_index(graph)
    groups = strategy_groups(graph, idx.bodies)
    n = len(groups.reps)
    if n < 2:
        return []
    M = idx.matrix[groups.theme_rows]
    if theme is not None:
        keep = np.zeros(len(idx.themes))
        keep[idx.theme_pos[theme]] = 1
        M = M.multiply(keep).tocsr()
        M.eliminate_zeros()  # the other themes would otherwise still count as shared
    Mw = M.multiply(idx.weights).tocsr()

    districts = {i: set().union(*(member_districts(graph, b, as_of) for b in groups.members[i]))
                 for i in range(n)}
    dkeys: dict[Any, int] = {}
    D = _indicator(districts, n, dkeys)
    nd = D.shape[1]
    adj_r, adj_c = [], []
    for e in graph.edges:
        if e.type == "neighbours" and e.start in dkeys and e.end in dkeys:
            adj_r += [dkeys[e.start], dkeys[e.end]]
            adj_c += [dkeys[e.end], dkeys[e.start]]
    A = sparse.csr_matrix((np.ones(len(adj_r)), (adj_r, adj_c)), shape=(nd, nd))
    overlap = (D @ D.T).tocsr()
    neighbour = (D @ A @ D.T).tocsr()
    partnerships = {i: {e.end for b in groups.members[i] for e in graph.out_edges(b, ["member_of"], as_of)}
                    for i in range(n)}
    P = _indicator(partnerships, n, {})
    shared_p = (P @ P.T).tocsr()
    regions = {i: {e.end for d in districts[i] for e in graph.out_edges(d, ["part_of"], as_of)
                   if graph.nodes[e.end].type == "region"} for i in range(n)}
    rkeys: dict[Any, int] = {}
    R = _indicator(regions, n, rkeys)
    same_r = (R @ R.T).tocsr()
    points = np.array([_mean_point(graph, districts[i]) for i in range(n)])
    has_pt = ~np.isnan(points[:, 0])
    lat0 = np.radians(np.nanmean(points[:, 0])) if has_pt.any() else 0.0
    xy = np.column_stack([points[:, 1] * 111.32 * np.cos(lat0), points[:, 0] * 110.57])
    near_pairs = cKDTree(xy[has_pt]).query_pairs(max_km, output_type="ndarray") if has_pt.sum() > 1 \
        else np.empty((0, 2), int)
    where = np.nonzero(has_pt)[0]
    within = sparse.csr_matrix((np.ones(len(near_pairs)), (where[near_pairs[:, 0]], where[near_pairs[:, 1]])),
                               shape=(n, n)) if len(near_pairs) else sparse.csr_matrix((n, n))
    within = within + within.T

    near = (overlap + neighbour + shared_p + same_r + within).tocoo()
    I, J = near.row, near.col
    mask = I < J
    spans = [_group_period(graph, strategy_period, m) for m in groups.members]
    if as_of is None and len(I):  # never pair bodies whose strategies did not coexist
        lo = np.array([s[0].toordinal() if s and s[0] else 0 for s in spans])
        hi = np.array([s[1].toordinal() if s and s[1] else 10**7 for s in spans])
        mask &= np.maximum(lo[I], lo[J]) <= np.minimum(hi[I], hi[J])
    if place is not None:
        body = graph.require(resolve(graph, place, prefer=has_strategy(graph))).id
        g = next((k for k, m in enumerate(groups.members) if body in m), None)
        if g is None:
            return []
        mask &= (I == g) | (J == g)
    I, J = I[mask], J[mask]
    theme_score = np.asarray(Mw[I].multiply(M[J]).sum(axis=1)).ravel()
    I, J, theme_score = I[theme_score > 0], J[theme_score > 0], theme_score[theme_score > 0]
    if len(I) == 0:
        return []

    signals = {
        "overlapping": np.asarray(overlap[I, J]).ravel() > 0,
        "neighbouring": np.asarray(neighbour[I, J]).ravel() > 0,
        "shared partnership": np.asarray(shared_p[I, J]).ravel() > 0,
        "same region": np.asarray(same_r[I, J]).ravel() > 0,
        "within distance": np.asarray(within[I, J]).ravel() > 0,
    }
    proximity = np.max(np.vstack([signals[k] * PROXIMITY[k] for k in signals]), axis=0)
    # recorded collaborations are few: correct their pairs' theme scores one by one
    covered = _covered_themes(graph, groups, as_of, idx.theme_pos)
    if covered:
        keys = I.astype(np.int64) * n + J
        wanted = np.array([i * n + j for i, j in covered], dtype=np.int64)
        hits = np.nonzero(np.isin(keys, wanted))[0]
        where_pair = {(int(I[k]), int(J[k])): int(k) for k in hits}
        for pair, k in where_pair.items():
            cover = covered[pair]
            shared = set(M[pair[0]].indices) & set(M[pair[1]].indices)
            theme_score[k] = 0.0 if "*" in cover else float(sum(idx.weights[t] for t in shared - cover))
    score = theme_score * proximity
    keep = np.nonzero(score > 0)[0]
    if top and len(keep) > top:
        # only the best rows are built: every row scoring at least the top-th score (all of a
        # tie at the cut, less a rounding margin), then the exact sort picks the first `top`
        cut = -np.partition(-score[keep], top - 1)[top - 1]
        keep = keep[score[keep] >= cut - 1e-4]
    rows = []
    for k in keep:
        i, j = int(I[k]), int(J[k])
        shared = set(M[i].indices) & set(M[j].indices)
        cover = covered.get((i, j), set())
        row = _row(graph, groups, idx, i, j, shared - cover, float(theme_score[k]),
                   float(proximity[k]), {s: bool(v[k]) for s, v in signals.items()},
                   partnerships, regions, points)
        together = coexist(spans[i], spans[j]) if spans[i] and spans[j] else None
        row.update(valid_from=iso(together and together[0]), valid_to=iso(together and together[1]),
                   date_status=together[2] if together else "")
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], r["a"], r["b"]))
    return rows[:top] if top else rows


def _group_period(graph: DatedView, strategy_period: Any, members: list[str]) -> Any:
    spans = [p for p in (strategy_period(graph, b) for b in members) if p is not None]
    if not spans:
        return None
    return coexist(*spans) or spans[0]


def _mean_point(graph: KnowledgeGraph, districts: set[str]) -> tuple[float, float]:
    pts = [(float(graph.nodes[d].props["lat"]), float(graph.nodes[d].props["lon"]))  # type: ignore[arg-type]
           for d in districts if "lat" in graph.nodes[d].props]
    if not pts:
        return (float("nan"), float("nan"))
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def _covered_themes(graph: KnowledgeGraph, groups: Groups, as_of: date | None,
                    theme_pos: dict[str, int]) -> dict[tuple[int, int], set[Any]]:
    group_of = {b: g for g, ms in enumerate(groups.members) for b in ms}
    covered: dict[tuple[int, int], set[Any]] = defaultdict(set)
    links = [(p.a, p.b, p.themes) for p in collaboration_pairs(graph, as_of)]
    links += [(e.start, e.end, e.props.get("themes") or []) for e in graph.edges
              if e.type == "partner_of" and e.valid_on(as_of)]
    for start, end, themes in links:
        a, b = group_of.get(start), group_of.get(end)
        if a is None or b is None or a == b:
            continue
        covered[(min(a, b), max(a, b))] |= {theme_pos[t] for t in themes} if themes else {"*"}
    return covered


def _row(graph: KnowledgeGraph, groups: Groups, idx: Any, i: int, j: int, shared: set[int],
         theme_score: float, proximity: float, signals: dict[str, bool],
         partnerships: dict[int, set[str]], regions: dict[int, set[str]], points: Any) -> dict[str, Any]:
    import math

    a, b = groups.reps[i], groups.reps[j]
    reasons = []
    if signals["overlapping"]:
        reasons.append("areas overlap")
    if signals["neighbouring"]:
        reasons.append("neighbouring areas")
    for p in sorted(partnerships[i] & partnerships[j]):
        reasons.append(f"both in {graph.nodes[p].name}")
    if signals["same region"]:
        reasons.append("same region: " + ", ".join(sorted(graph.nodes[r].name for r in regions[i] & regions[j])))
    km = None
    if not math.isnan(points[i][0]) and not math.isnan(points[j][0]):
        km = round(distance_km(tuple(points[i]), tuple(points[j])), 1)
    if signals["within distance"]:
        reasons.append(f"{km} km apart")
    order = {"sector": 0, "grand_challenge": 1, "foundation": 2}
    labels = sorted(shared, key=lambda t: (order.get(str(graph.nodes[idx.themes[t]].props.get("scheme")), 3),
                                           idx.themes[t]))
    return {
        "a": a, "a_name": graph.nodes[a].name, "b": b, "b_name": graph.nodes[b].name,
        "score": round(theme_score * proximity, 4), "theme_score": theme_score,
        "proximity": proximity, "shared_themes": [graph.nodes[idx.themes[t]].name for t in labels],
        "reasons": reasons, "distance_km": km,
    }
