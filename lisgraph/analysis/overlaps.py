"""Who shares priorities with a place: bodies ranked by weighted overlap of strategy themes."""

from __future__ import annotations

import math
from typing import Any

from ..errors import LisgraphError
from datetime import date

from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view, iso, overlap, period
from .index import theme_index

__all__ = ["overlaps", "shared_theme_rows"]


def strategies_of(graph: KnowledgeGraph | DatedView, body: str) -> frozenset[str]:
    """The strategies a body published (from an index built once per version of the graph)."""
    return graph.derived("published_by", _published_by).get(body, frozenset())


def _published_by(graph: KnowledgeGraph | DatedView) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.type == "published":
            out.setdefault(e.start, set()).add(e.end)
    return {b: frozenset(s) for b, s in out.items()}


def strategy_period(graph: DatedView, body: str) -> tuple[Any, Any, str] | None:
    """The span in which the body had a strategy in the view: from its first strategy's date
    until the body (or its last strategy) ended; None when it has none."""
    spans = [period(graph, e) for e in graph.out_edges(body, ["published"])]
    return _span(spans) if spans else None


def _span(spans: list[Any]) -> tuple[Any, Any, str]:
    starts = [s[0] for s in spans]
    ends = [s[1] for s in spans]
    return (None if None in starts else min(starts), None if None in ends else max(ends),
            next((s[2] for s in spans if s[2]), ""))


def coexisted(graph: DatedView, a: str, b: str) -> tuple[Any, Any, str] | None:
    """When a strategy of ``a`` and one of ``b`` both held (the span over every such pair), or
    None when no two of their strategies ever coexisted (the rule the named query
    ``shared-themes`` applies too)."""
    mine = [period(graph, e) for e in graph.out_edges(a, ["published"])]
    theirs = [period(graph, e) for e in graph.out_edges(b, ["published"])]
    both = [p for p in (overlap(x, y) for x in mine for y in theirs) if p is not None]
    return _span(both) if both else None


def no_strategy(graph: DatedView, node: Any) -> LisgraphError:
    """The error for a place with no strategy priorities (on the view's date)."""
    if graph.as_of is not None:
        return LisgraphError(f"{node.name} ({node.id}) has no strategy on "
                             f"{graph.as_of.isoformat()}")
    return LisgraphError(
        f"{node.name} ({node.id}) has no strategy priorities in the graph; "
        "try the LEP or combined authority whose strategy covers it")


def shared_theme_rows(graph: KnowledgeGraph | DatedView, place: str,
                      as_of: date | None = None) -> list[dict[str, Any]]:
    """Every (other body, theme) pair where a strategy of another body shares a theme with a
    strategy of PLACE's that coexisted with it (a 2025 Local Growth Plan does not share with a
    2019 strategy of a LEP that ended in 2024, even when the bodies' other strategies did).

    The rows of the named query ``shared-themes`` (same columns, same order).
    """
    graph = as_view(graph, as_of)
    body = resolve(graph, place, prefer=has_strategy(graph)).id
    idx = theme_index(graph)
    if body not in idx.body_pos:
        return []
    mine = [(period(graph, e), _strategy_themes(graph, e.end))
            for e in graph.out_edges(body, ["published"])]
    rows = []
    for other in idx.bodies:
        if other == body:
            continue
        shared: set[str] = set()
        for e in graph.out_edges(other, ["published"]):
            when, themes = period(graph, e), _strategy_themes(graph, e.end)
            for my_when, my_themes in mine:
                if overlap(my_when, when) is not None:
                    shared |= my_themes & themes
        for theme_id in shared:
            theme = graph.nodes[theme_id]
            rows.append({"place": body, "body": other, "body_name": graph.nodes[other].name,
                         "theme": theme.id, "theme_label": theme.name,
                         "scheme": theme.props.get("scheme")})
    return sorted(rows, key=lambda r: (r["body"], r["theme"]))


def _coexisting_themes(graph: DatedView, a: str, b: str) -> set[str]:
    """The themes a strategy of ``a`` shares with a strategy of ``b`` that coexisted with it."""
    out: set[str] = set()
    theirs = [(period(graph, e), _strategy_themes(graph, e.end))
              for e in graph.out_edges(b, ["published"])]
    for e in graph.out_edges(a, ["published"]):
        when, themes = period(graph, e), _strategy_themes(graph, e.end)
        for other_when, other_themes in theirs:
            if overlap(when, other_when) is not None:
                out |= themes & other_themes
    return out


def _strategy_themes(graph: DatedView, strategy: str) -> set[str]:
    return {a.end for p in graph.out_edges(strategy, ["has_priority"])
            for a in graph.out_edges(p.end, ["addresses"])
            if graph.nodes[a.end].props.get("scheme") is not None}


def overlaps(graph: KnowledgeGraph | DatedView, place: str, top: int | None = None,
             theme: str | None = None, as_of: date | None = None) -> list[dict[str, Any]]:
    """Bodies whose headline strategy priorities overlap PLACE's, most similar first.

    Each theme weighs ``w[t] = scheme weight x distinctiveness``: a sector 3, a Grand Challenge
    2, a foundation 1 (``index.SCHEME_WEIGHT``), times the theme's inverse document frequency
    among the strategies in the view (``index.distinctiveness``: a theme nearly every
    strategy declares counts little). The score is a weighted cosine,
    ``sum(w[t] for shared t) / sqrt(sum(w[t] for PLACE's t) * sum(w[t] for other's t))``.
    With ``theme`` only that theme is scored: ``w[theme] / sqrt(...)``, the share of the two
    strategies' weight that the theme carries, and only that theme is shown.

    Only headline priorities count (a priority whose ``role`` is missing is headline).

    Parameters
    ----------
    place : name or code of a body with a strategy
    top : keep the first N rows
    theme : only bodies sharing this theme id, scored on it alone

    Returns
    -------
    rows with ``code``, ``name``, ``type``, ``score`` (0-1), ``shared`` (number of shared
    themes), ``shared_themes`` (labels, heaviest first), ``meets`` (which of PLACE's
    priorities meets which of theirs, and on which themes: ``{"ours", "theirs", "themes"}``),
    ``their_priorities``, ``also`` (co-publishers of the same strategy) and ``sources``.
    Co-publishers of PLACE's own strategy are left out; a joint strategy is listed under its
    combined authority. Ties are broken by name, then code.

    Complexity: one sparse matrix-vector product over all bodies (O(nnz)).

    Time: read through the dated view. On a date only strategies valid then count (each row
    echoes ``as_of``) and distinctiveness is counted among them; without one, a body is
    compared only when its strategy period overlaps PLACE's, and each row gives that common
    period (``valid_from``, ``valid_to``, ``date_status``).

    Raises
    ------
    LisgraphError when PLACE has no strategy priorities in the graph (on the date).
    """
    import numpy as np

    from .index import SCHEME_ORDER, distinctiveness

    graph = as_view(graph, as_of)
    node = graph.require(resolve(graph, place, prefer=has_strategy(graph)))
    idx = theme_index(graph)
    if node.id not in idx.body_pos:
        raise no_strategy(graph, node)
    w = idx.weights * distinctiveness(idx)
    weighted = idx.matrix.multiply(w).tocsr()
    mine = idx.matrix[idx.body_pos[node.id]].toarray().ravel()
    if theme is not None:
        if theme not in idx.theme_pos:
            raise LisgraphError(f"unknown theme '{theme}'")
        if not mine[idx.theme_pos[theme]]:
            return []
        only = np.zeros(len(idx.themes))
        only[idx.theme_pos[theme]] = 1.0
        shared_w = weighted @ (mine * only)
    else:
        shared_w = weighted @ mine
    norms = np.asarray(weighted.sum(axis=1)).ravel()
    own = float((mine * w).sum())
    rows = []
    from .opportunities import strategy_groups

    group_of = {b: k for k, ms in enumerate(strategy_groups(graph, idx.bodies).members) for b in ms}
    seen: dict[int, dict[str, Any]] = {}
    ptr, ind = idx.matrix.indptr, idx.matrix.indices  # row slices: far cheaper than matrix[i]
    for i in np.nonzero(shared_w)[0]:
        other = idx.bodies[i]
        strategies = strategies_of(graph, other)
        group = group_of[other]
        if group == group_of[node.id]:
            continue  # PLACE itself, or a co-publisher of a strategy of PLACE's
        if group in seen:  # a joint strategy: one row, the other publishers alongside
            seen[group]["also"].append(f"{graph.nodes[other].name} ({other})")
            continue
        shared = [idx.themes[t] for t in ind[ptr[i]:ptr[i + 1]] if mine[t]]
        if theme is not None:
            shared = [t for t in shared if t == theme]
        if not shared:
            continue
        together = coexisted(graph, node.id, other)
        if together is None:
            continue  # their strategies never coexisted
        if graph.as_of is None:  # only themes shared by strategies that coexisted
            allowed = _coexisting_themes(graph, node.id, other)
            shared = [t for t in shared if t in allowed]
            if not shared:
                continue
        numerator = float(sum(w[idx.theme_pos[t]] for t in shared))
        shared.sort(key=lambda t: (-w[idx.theme_pos[t]],
                                   SCHEME_ORDER.get(str(graph.nodes[t].props.get("scheme")), 3), t))
        o = graph.nodes[other]
        row = {
            "code": other, "name": o.name, "type": o.type,
            "score": round(numerator / math.sqrt(own * norms[i]), 4),
            "shared": len(shared),
            "shared_themes": [graph.nodes[t].name for t in shared],
            "meets": _meets(graph, idx, node.id, other, shared),
            "their_priorities": sorted({p for t in shared for p in idx.why[(other, t)]}),
            "also": [],
            "sources": sorted({s for st in strategies for s in graph.nodes[st].sources}),
            "valid_from": iso(together[0]), "valid_to": iso(together[1]),
            "date_status": together[2],
        }
        if graph.as_of is not None:
            row["as_of"] = graph.as_of.isoformat()
        seen[group] = row
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["shared"], r["name"], r["code"]))
    return rows[:top] if top else rows


def _meets(graph: Any, idx: Any, ours: str, theirs: str, shared: list[str]) -> list[dict[str, Any]]:
    """Which of our priorities meets which of theirs, on which of the shared themes (in the
    order of ``shared``: heaviest theme first)."""
    def named(body: str) -> dict[str, list[tuple[str, str]]]:
        return {t: [(p, graph.nodes[p].name) for p in idx.priorities.get((body, t), ())]
                for t in shared}

    return meets(named(ours), named(theirs), shared, {t: graph.nodes[t].name for t in shared})


def meets(ours: Any, theirs: Any, shared: list[str], theme_names: Any) -> list[dict[str, Any]]:
    """:func:`_meets` on named priorities: ``ours`` and ``theirs`` map a theme to its
    ``(priority id, name)`` pairs, ``theme_names`` a theme to its name.

    Pairs of priorities are kept in the order met (themes in the order of ``shared``), each
    with the shared themes it meets on; then sorted by its heaviest theme's place in
    ``shared``, more themes first, then by the two names.

    >>> meets({"t1": [("p1", "Ours")], "t2": [("p1", "Ours")]}, {"t1": [("q", "Theirs")],
    ...       "t2": [("q", "Theirs")]}, ["t2", "t1"], {"t1": "One", "t2": "Two"})
    [{'ours': 'Ours', 'theirs': 'Theirs', 'themes': ['Two', 'One']}]
    """
    pairs: dict[tuple[str, str], list[Any]] = {}
    for t in shared:
        for a, a_name in ours.get(t, ()):
            for b, b_name in theirs.get(t, ()):
                met = pairs.get((a, b))
                if met is None:
                    pairs[(a, b)] = [a_name, b_name, t]
                else:
                    met.append(t)
    order = {t: k for k, t in enumerate(shared)}
    out = []
    pos: dict[tuple[str, str], int] = {}
    for a_name, b_name, *ts in pairs.values():
        pos[(a_name, b_name)] = order[ts[0]]  # themes were met in shared's order
        out.append({"ours": a_name, "theirs": b_name, "themes": [theme_names[t] for t in ts]})
    if len(out) > 1:
        out.sort(key=lambda m: (pos[(m["ours"], m["theirs"])], -len(m["themes"]), m["ours"],
                                m["theirs"]))
    return out
