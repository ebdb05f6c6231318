"""Who shares priorities with a place: bodies ranked by weighted overlap of strategy themes."""

from __future__ import annotations

import math
from typing import Any

from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import resolve
from .index import theme_index

__all__ = ["overlaps", "shared_theme_rows"]


def strategies_of(graph: KnowledgeGraph, body: str) -> frozenset[str]:
    """The strategies a body published (from an index built once per version of the graph)."""
    return graph.derived("published_by", _published_by).get(body, frozenset())


def _published_by(graph: KnowledgeGraph) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.type == "published":
            out.setdefault(e.start, set()).add(e.end)
    return {b: frozenset(s) for b, s in out.items()}


def shared_theme_rows(graph: KnowledgeGraph, place: str) -> list[dict[str, Any]]:
    """Every (other body, theme) pair where another body's strategy shares a theme with PLACE's.

    The rows of the named query ``shared-themes`` (same columns, same order).
    """
    body = resolve(graph, place).id
    idx = theme_index(graph)
    if body not in idx.body_pos:
        return []
    mine = set(idx.matrix[idx.body_pos[body]].indices)
    rows = []
    for other in idx.bodies:
        if other == body:
            continue
        for t in sorted(mine & set(idx.matrix[idx.body_pos[other]].indices)):
            theme = graph.nodes[idx.themes[t]]
            rows.append({"place": body, "body": other, "body_name": graph.nodes[other].name,
                         "theme": theme.id, "theme_label": theme.name,
                         "scheme": theme.props.get("scheme")})
    return sorted(rows, key=lambda r: (r["body"], r["theme"]))


def overlaps(graph: KnowledgeGraph, place: str, top: int | None = None,
             theme: str | None = None) -> list[dict[str, Any]]:
    """Bodies whose strategy priorities overlap PLACE's, most similar first.

    Similarity is a weighted cosine over the themes each body's priorities address, a sector
    weighing 3, a Grand Challenge 2 and a foundation 1 (``index.SCHEME_WEIGHT``):
    ``sum(w[t] for shared t) / sqrt(sum(w[t] for PLACE's t) * sum(w[t] for other's t))``.

    Parameters
    ----------
    place : name or code of a body with a strategy
    top : keep the first N rows
    theme : only bodies sharing this theme id

    Returns
    -------
    rows with ``code``, ``name``, ``type``, ``score`` (0-1), ``shared`` (number of shared
    themes), ``shared_themes`` (labels, most specific first), ``their_priorities`` (the other
    body's priorities on those themes) and ``sources`` (its strategy sources) and ``also`` (co-publishers of the same strategy).
    Co-publishers of PLACE's own strategy are left out; bodies are visited in the order
    combined authority before LEP, so a joint strategy is listed under the authority.

    Complexity: one sparse matrix-vector product over all bodies (O(nnz)).

    Raises
    ------
    LisgraphError when PLACE has no strategy priorities in the graph.
    """
    import numpy as np

    node = resolve(graph, place)
    idx = theme_index(graph)
    if node.id not in idx.body_pos:
        raise LisgraphError(
            f"{node.name} ({node.id}) has no strategy priorities in the graph; "
            "try the LEP or combined authority whose strategy covers it")
    w = idx.weights
    weighted = idx.matrix.multiply(w).tocsr()
    mine = idx.matrix[idx.body_pos[node.id]].toarray().ravel()
    if theme is not None:
        if theme not in idx.theme_pos:
            raise LisgraphError(f"unknown theme '{theme}'")
        if not mine[idx.theme_pos[theme]]:
            return []
    shared_w = weighted @ mine
    norms = np.asarray(weighted.sum(axis=1)).ravel()
    own = float((mine * w).sum())
    rows = []
    order = {"sector": 0, "grand_challenge": 1, "foundation": 2}
    own_strategies = strategies_of(graph, node.id)
    seen: dict[frozenset[str], dict[str, Any]] = {}
    ptr, ind = idx.matrix.indptr, idx.matrix.indices  # row slices: far cheaper than matrix[i]
    for i in np.nonzero(shared_w)[0]:
        other = idx.bodies[i]
        strategies = strategies_of(graph, other)
        if other == node.id or strategies <= own_strategies:
            continue  # PLACE itself, or a co-publisher of PLACE's own strategy
        if strategies in seen:  # a joint strategy: one row, the other publishers alongside
            seen[strategies]["also"].append(f"{graph.nodes[other].name} ({other})")
            continue
        shared = [idx.themes[t] for t in ind[ptr[i]:ptr[i + 1]] if mine[t]]
        if theme is not None and theme not in shared:
            continue
        shared.sort(key=lambda t: (order.get(str(graph.nodes[t].props.get("scheme")), 3), t))
        o = graph.nodes[other]
        row = {
            "code": other, "name": o.name, "type": o.type,
            "score": round(float(shared_w[i]) / math.sqrt(own * norms[i]), 4),
            "shared": len(shared),
            "shared_themes": [graph.nodes[t].name for t in shared],
            "their_priorities": sorted({p for t in shared for p in idx.why[(other, t)]}),
            "also": [],
            "sources": sorted({s for st in strategies for s in graph.nodes[st].sources}),
        }
        seen[strategies] = row
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["shared"], r["name"], r["code"]))
    return rows[:top] if top else rows
