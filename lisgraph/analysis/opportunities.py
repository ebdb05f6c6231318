"""Collaboration opportunities: bodies that share a priority theme, are near, and have no
recorded collaboration on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view, iso
from ..view import overlap as coexist
from .index import SCHEME_ORDER, distance_km, member_districts, recorded_links, theme_index

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["opportunities", "PROXIMITY", "VIA_FACTOR", "DEFAULT_MAX_KM", "Groups",
           "strategy_groups", "joined_by_strategies"]

#: proximity factor of each kind of nearness (the strongest one counts)
PROXIMITY = {"neighbouring": 1.0, "overlapping": 1.0, "shared partnership": 0.75,
             "same region": 0.5, "within distance": 0.5}
DEFAULT_MAX_KM = 50.0
#: a nearness that holds only through a co-publisher of a joint strategy counts this much of
#: the named body's own (lisgraph's heuristic: the co-publisher is near, the body is not)
VIA_FACTOR = 0.5


@dataclass
class Groups:
    """Bodies grouped by the strategies they published (a joint strategy is one group)."""

    reps: list[str]
    members: list[list[str]]
    theme_rows: list[int]  # row of each group's representative in the theme index


def joined_by_strategies(bodies: Sequence[str],
                         published: Callable[[str], Iterable[str]]) -> dict[str, list[str]]:
    """Bodies joined by the strategies they published together, as ``{representative:
    members}`` in the order of ``bodies``: the earliest body of a group represents it.
    ``published(body)`` gives the codes of the strategies a body published. The embedded
    engine and its Neo4j twins (which read the strategies from the server) share this rule."""
    pos = {b: i for i, b in enumerate(bodies)}
    parent = {b: b for b in bodies}

    def root(b: str) -> str:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    first: dict[str, str] = {}
    for b in bodies:
        for s in published(b):
            if s not in first:
                first[s] = b
                continue
            x, y = root(first[s]), root(b)
            if x != y:  # the earlier body stays the root
                parent[max(x, y, key=pos.__getitem__)] = min(x, y, key=pos.__getitem__)
    by_root: dict[str, list[str]] = {}
    for b in bodies:
        by_root.setdefault(root(b), []).append(b)
    return by_root


def strategy_groups(graph: KnowledgeGraph, bodies: list[str]) -> Groups:
    """Bodies joined by the strategies they published together (a combined authority and the
    LEPs that co-published its strategy are one group, even when the authority later
    published another strategy alone); the first body (combined authority first) represents
    the group."""
    pos = {b: i for i, b in enumerate(bodies)}
    # bodies come combined authority first, so a CA represents its group
    members = list(joined_by_strategies(
        bodies, lambda b: (e.end for e in graph.out_edges(b, ["published"]))).values())
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


def _nearness(graph: Any, groups: Groups, districts: dict[int, set[str]],
              partnerships: dict[int, set[str]], regions: dict[int, set[str]],
              points: Any, max_km: float) -> dict[str, Any]:
    """The sparse group x group matrix of each kind of nearness."""
    import numpy as np
    from scipy import sparse
    from scipy.spatial import cKDTree

    n = len(groups.reps)
    dkeys: dict[Any, int] = {}
    D = _indicator(districts, n, dkeys)
    nd = D.shape[1]
    adj_r, adj_c = [], []
    for e in graph.edges:
        if e.type == "neighbours" and e.start in dkeys and e.end in dkeys:
            adj_r += [dkeys[e.start], dkeys[e.end]]
            adj_c += [dkeys[e.end], dkeys[e.start]]
    A = sparse.csr_matrix((np.ones(len(adj_r)), (adj_r, adj_c)), shape=(nd, nd))
    P = _indicator(partnerships, n, {})
    R = _indicator(regions, n, {})
    has_pt = ~np.isnan(points[:, 0])
    lat0 = np.radians(np.nanmean(points[:, 0])) if has_pt.any() else 0.0
    xy = np.column_stack([points[:, 1] * 111.32 * np.cos(lat0), points[:, 0] * 110.57])
    near_pairs = cKDTree(xy[has_pt]).query_pairs(max_km, output_type="ndarray") if has_pt.sum() > 1 \
        else np.empty((0, 2), int)
    where = np.nonzero(has_pt)[0]
    within = sparse.csr_matrix((np.ones(len(near_pairs)), (where[near_pairs[:, 0]], where[near_pairs[:, 1]])),
                               shape=(n, n)) if len(near_pairs) else sparse.csr_matrix((n, n))
    return {"overlapping": (D @ D.T).tocsr(), "neighbouring": (D @ A @ D.T).tocsr(),
            "shared partnership": (P @ P.T).tocsr(), "same region": (R @ R.T).tocsr(),
            "within distance": (within + within.T).tocsr()}


def opportunities(graph: KnowledgeGraph | DatedView, place: str | None = None, theme: str | None = None,
                  top: int | None = None, as_of: date | None = None,
                  max_km: float = DEFAULT_MAX_KM) -> list[dict[str, Any]]:
    """Pairs of bodies that share a priority theme, are near, and have not recorded a
    collaboration on it, ranked by ``score = theme_score * proximity``.

    ``theme_score`` sums the weights of the shared, uncovered themes (sector 3, Grand
    Challenge 2, foundation 1); with ``theme`` only that theme counts (score, shared themes
    and coverage). ``proximity`` is the strongest nearness: neighbouring or overlapping areas
    1.0, a shared partnership 0.75, the same region 0.5, reference points within ``max_km``
    0.5. A joint strategy is one row under its first publisher (the combined authority), its
    co-publishers in ``also``; a nearness that holds only through a co-publisher (say the
    co-publishing LEP neighbours the other body, the authority itself does not) counts half
    (:data:`VIA_FACTOR`) and its reason names the co-publisher (``via ...``). A recorded
    collaboration or partnership link between the two covers the themes it names (all themes
    when it names none); covered themes do not count.

    All pairwise work is sparse: candidate pairs come from sparse products of area, adjacency,
    partnership and region indicator matrices and a k-d tree of reference points, never from a
    loop over all pairs.

    Time: read through the dated view (``as_of`` or a view of a date): bodies and links not
    alive on the date take no part. Without a date a pair is formed only when the two
    bodies' strategy periods overlap, and the row gives that common period.

    Returns
    -------
    rows with ``a``, ``a_name``, ``b``, ``b_name``, ``score``, ``theme_score``, ``proximity``,
    ``shared_themes`` (labels), ``reasons`` (each nearness found, with ``via`` a
    co-publisher where it holds only through one), ``distance_km`` (between the two named
    bodies' own reference points), ``also`` (co-publishers of either strategy),
    ``valid_from``, ``valid_to``, ``date_status`` (and ``as_of`` with a date). Ties are broken
    by the codes ``a`` then ``b``.
    """
    import numpy as np

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

    own_d = {i: member_districts(graph, groups.reps[i], as_of) for i in range(n)}
    all_d = {i: set().union(*(member_districts(graph, b, as_of) for b in groups.members[i]))
             for i in range(n)}
    own_p = {i: {e.end for e in graph.out_edges(groups.reps[i], ["member_of"], as_of)} for i in range(n)}
    all_p = {i: {e.end for b in groups.members[i] for e in graph.out_edges(b, ["member_of"], as_of)}
             for i in range(n)}
    own_r = {i: _regions(graph, own_d[i], as_of) for i in range(n)}
    all_r = {i: _regions(graph, all_d[i], as_of) for i in range(n)}
    own_pts = np.array([_mean_point(graph, own_d[i]) for i in range(n)])
    all_pts = np.array([_mean_point(graph, all_d[i]) for i in range(n)])
    own = _nearness(graph, groups, own_d, own_p, own_r, own_pts, max_km)
    anyone = _nearness(graph, groups, all_d, all_p, all_r, all_pts, max_km)
    if any(len(m) > 1 for m in groups.members):  # a co-publisher's own point may be near too
        member_pts = {b: _mean_point(graph, member_districts(graph, b, as_of))
                      for m in groups.members for b in m}
    else:
        member_pts = {}

    near = sum(anyone.values()).tocoo()  # type: ignore[union-attr]
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

    # each kind of nearness: 1 where the named bodies hold it, VIA_FACTOR where only a
    # co-publisher does, 0 where neither
    signals = {k: np.where(np.asarray(own[k][I, J]).ravel() > 0, 1.0,
                           np.where(np.asarray(anyone[k][I, J]).ravel() > 0, VIA_FACTOR, 0.0))
               for k in PROXIMITY}
    proximity = np.max(np.vstack([signals[k] * PROXIMITY[k] for k in PROXIMITY]), axis=0)
    # recorded collaborations are few: correct their pairs' theme scores one by one
    covered = _covered_themes(graph, groups, idx.theme_pos)
    if covered:
        keys = I.astype(np.int64) * n + J
        wanted = np.array([i * n + j for i, j in covered], dtype=np.int64)
        hits = np.nonzero(np.isin(keys, wanted))[0]
        for k in hits:
            cover = covered[(int(I[k]), int(J[k]))]
            shared = set(M[I[k]].indices) & set(M[J[k]].indices)
            theme_score[k] = 0.0 if "*" in cover else float(sum(idx.weights[t] for t in shared - cover))
    score = np.round(theme_score * proximity, 4)
    keep = np.nonzero(score > 0)[0]
    if top and len(keep) > top:
        # only the best rows are built: every row scoring at least the top-th score (all of a
        # tie at the cut), then the exact sort (ties by code) picks the first `top`
        cut = -np.partition(-score[keep], top - 1)[top - 1]
        keep = keep[score[keep] >= cut]
    ctx = _Context(graph, groups, idx, own_d, all_d, own_p, all_p, own_r, all_r, own_pts,
                   member_pts, max_km)
    rows = []
    for k in keep:
        i, j = int(I[k]), int(J[k])
        shared = set(M[i].indices) & set(M[j].indices)
        cover = covered.get((i, j), set())
        row = _row(ctx, i, j, shared - cover, float(theme_score[k]), float(proximity[k]),
                   {s: float(v[k]) for s, v in signals.items()})
        together = coexist(spans[i], spans[j]) if spans[i] and spans[j] else None
        row.update(valid_from=iso(together and together[0]), valid_to=iso(together and together[1]),
                   date_status=together[2] if together else "")
        if as_of is not None:
            row["as_of"] = as_of.isoformat()
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], r["a"], r["b"]))
    return rows[:top] if top else rows


def _regions(graph: Any, districts: set[str], as_of: date | None) -> set[str]:
    return {e.end for d in districts for e in graph.out_edges(d, ["part_of"], as_of)
            if graph.nodes[e.end].type == "region"}


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


def _covered_themes(graph: Any, groups: Groups,
                    theme_pos: dict[str, int]) -> dict[tuple[int, int], set[Any]]:
    group_of = {b: g for g, ms in enumerate(groups.members) for b in ms}
    covered: dict[tuple[int, int], set[Any]] = defaultdict(set)
    for link in recorded_links(graph):
        a, b = group_of.get(link.a), group_of.get(link.b)
        if a is None or b is None or a == b:
            continue
        themes = [t for t in link.themes if t in theme_pos]
        covered[(min(a, b), max(a, b))] |= {theme_pos[t] for t in themes} if link.themes else {"*"}
    return covered


@dataclass
class _Context:
    """What a row's reasons are worked out from."""

    graph: Any
    groups: Groups
    idx: Any
    own_d: dict[int, set[str]]
    all_d: dict[int, set[str]]
    own_p: dict[int, set[str]]
    all_p: dict[int, set[str]]
    own_r: dict[int, set[str]]
    all_r: dict[int, set[str]]
    own_pts: Any
    member_pts: dict[str, tuple[float, float]]
    max_km: float


def _row(ctx: _Context, i: int, j: int, shared: set[int], theme_score: float,
         proximity: float, signals: dict[str, float]) -> dict[str, Any]:
    import math

    graph, groups, idx = ctx.graph, ctx.groups, ctx.idx
    a, b = groups.reps[i], groups.reps[j]
    reasons = []
    if signals["overlapping"]:
        reasons.append(_via("areas overlap", signals["overlapping"],
                            _who(ctx, i, j, lambda x, y: _dist(ctx, x) & _dist(ctx, y))))
    if signals["neighbouring"]:
        reasons.append(_via("neighbouring areas", signals["neighbouring"],
                            _who(ctx, i, j, lambda x, y: _adjacent(graph, _dist(ctx, x), _dist(ctx, y)))))
    for p in sorted(ctx.all_p[i] & ctx.all_p[j]):
        own = p in ctx.own_p[i] and p in ctx.own_p[j]
        reasons.append(_via(f"both in {graph.nodes[p].name}", 1.0 if own else VIA_FACTOR,
                            _who(ctx, i, j, lambda x, y, p=p: p in _parts(graph, x) and p in _parts(graph, y))))
    if signals["same region"]:
        regs = ctx.own_r[i] & ctx.own_r[j] or ctx.all_r[i] & ctx.all_r[j]
        reasons.append(_via("same region: " + ", ".join(sorted(graph.nodes[r].name for r in regs)),
                            signals["same region"],
                            _who(ctx, i, j, lambda x, y: bool(_regions(graph, _dist(ctx, x), graph.as_of)
                                                              & _regions(graph, _dist(ctx, y), graph.as_of)))))
    km = None
    pi, pj = ctx.own_pts[i], ctx.own_pts[j]
    if not math.isnan(pi[0]) and not math.isnan(pj[0]):
        km = round(distance_km(tuple(pi), tuple(pj)), 1)
    if signals["within distance"]:
        if signals["within distance"] == 1.0:
            reasons.append(f"{km} km apart")
        else:
            def close(x: str, y: str) -> bool:
                p, q = ctx.member_pts.get(x), ctx.member_pts.get(y)
                return bool(p and q and not math.isnan(p[0]) and not math.isnan(q[0])
                            and distance_km(p, q) <= ctx.max_km)
            reasons.append(_via(f"within {ctx.max_km:g} km", VIA_FACTOR, _who(ctx, i, j, close)))
    labels = sorted(shared, key=lambda t: (SCHEME_ORDER.get(str(graph.nodes[idx.themes[t]].props.get("scheme")), 3),
                                           idx.themes[t]))
    also = [f"{graph.nodes[m].name} ({m})" for m in groups.members[i][1:] + groups.members[j][1:]]
    return {
        "a": a, "a_name": graph.nodes[a].name, "b": b, "b_name": graph.nodes[b].name,
        "score": round(theme_score * proximity, 4), "theme_score": theme_score,
        "proximity": proximity, "shared_themes": [graph.nodes[idx.themes[t]].name for t in labels],
        "reasons": reasons, "distance_km": km, "also": also,
    }


def _dist(ctx: _Context, body: str) -> set[str]:
    return member_districts(ctx.graph, body, ctx.graph.as_of)


def _parts(graph: Any, body: str) -> set[str]:
    return {e.end for e in graph.out_edges(body, ["member_of"])}


def _adjacent(graph: Any, xs: set[str], ys: set[str]) -> bool:
    return any(e.end in ys for d in xs for e in graph.out_edges(d, ["neighbours"])) or \
        any(e.start in ys for d in xs for e in graph.in_edges(d, ["neighbours"]))


def _who(ctx: _Context, i: int, j: int, holds: Callable[[str, str], bool]) -> list[str]:
    """The co-publishers through which a nearness holds when the named bodies do not hold
    it themselves (empty when they do)."""
    a, b = ctx.groups.reps[i], ctx.groups.reps[j]
    if holds(a, b):
        return []
    out = []
    for x in ctx.groups.members[i]:
        for y in ctx.groups.members[j]:
            if (x, y) != (a, b) and holds(x, y):
                out += [m for m in (x, y) if m not in (a, b)]
    return [f"{ctx.graph.nodes[m].name} ({m})" for m in dict.fromkeys(out)]


def _via(reason: str, factor: float, via: list[str]) -> str:
    if factor >= 1.0:
        return reason
    if not via:  # holds for the joint strategy's combined area, not for one co-publisher
        return f"{reason} (via the co-publishers' combined area: counts half)"
    return f"{reason} (via {', '.join(via)}: counts half)"
