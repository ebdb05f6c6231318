"""Evidence for the questions: LQ-profile similarity between bodies (`overlaps` and
`opportunities` with ``--basis evidenced``) and data-based checks of a strategy for `assess`
(Evidence, Focus, Evaluation). Results use assess's scale: pass / warn / fail / unknown."""

from __future__ import annotations

from datetime import date
from typing import Any

from .bodies import figure
from .crosswalk import groups_for
from .indicators import INDICATORS
from .industries import SECTIONS, gva_by_industry, location_quotients
from .observations import EvidenceError, EvidenceIndex, bundled_index
from .strengths import DEFAULT_MIN_LQ, area_codes, industry_year

__all__ = ["section_profiles", "evidenced_similarity", "evidence_checks", "BODY_TYPES",
           "CHANGE_INDICATORS", "NAMES", "with_similarity"]

#: bodies compared on evidence
BODY_TYPES = ("lep", "combined_authority")
#: indicators whose change since a strategy's date `assess` reports
CHANGE_INDICATORS = ("gva-per-hour", "gva", "median-weekly-pay", "employment-rate",
                     "gdhi-per-head")


def section_profiles(graph: Any, nodes: list[Any], as_of: date | None,
                     gva: Any = None) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """LQ by SIC section for each node that has evidence: ``(profiles, skipped)`` where
    ``skipped`` maps a node id to why it has none (e.g. a merged district not all members)."""
    frame = gva_by_industry() if gva is None else gva
    year = industry_year(as_of, frame)
    profiles, skipped = {}, {}
    for node in nodes:
        try:
            codes, _ = area_codes(graph, node, as_of)
            lq = location_quotients(frame, codes, year).set_index("sic07")["lq"]
        except EvidenceError as exc:
            skipped[node.id] = str(exc)
            continue
        profiles[node.id] = {s: float(lq[s]) for s in SECTIONS
                             if s in lq.index and lq[s] == lq[s]}  # NaN: unknown, left out
    return profiles, skipped


def evidenced_similarity(graph: Any, node: Any, as_of: date | None = None,
                         types: tuple[str, ...] = BODY_TYPES) -> list[dict[str, Any]]:
    """Bodies ranked by cosine similarity of their LQ profiles (by SIC section, centred on the
    UK) with ``node``'s: rows with code, name, type, similarity, shared (sections where both
    have LQ ≥ 1.25), year and reason. Bodies without evidence are left out (see
    :func:`section_profiles`)."""
    from .industries import lq_profile_similarity

    others = [n for n in graph.nodes_of_type(*types) if n.id != node.id
              and (as_of is None or n.valid_on(as_of))]
    profiles, _ = section_profiles(graph, [node, *others], as_of)
    if node.id not in profiles:
        raise EvidenceError(f"{node.name} ({node.id}) has no GVA-by-industry evidence"
                            + (f" on {as_of}" if as_of else ""))
    names, matrix = lq_profile_similarity(profiles)
    i = names.index(node.id)
    year = industry_year(as_of)
    rows = []
    for j, other in enumerate(names):
        if other == node.id:
            continue
        shared = sorted(s for s in SECTIONS if profiles[node.id].get(s, 0) >= DEFAULT_MIN_LQ
                        and profiles[other].get(s, 0) >= DEFAULT_MIN_LQ)
        n = graph.nodes[other]
        rows.append({"code": other, "name": n.name, "type": n.type,
                     "similarity": round(float(matrix[i][j]), 4), "shared": shared,
                     "year": year, "reason": f"cosine of LQ profiles by SIC section (LQ − 1), "
                     f"GVA {year}" + (f"; both specialised in {', '.join(shared)}" if shared
                                      else "")})
    return sorted(rows, key=lambda r: (-r["similarity"], r["code"]))


#: the names of the data-based checks (beside assess's own Evidence, Focus, Evaluation)
NAMES = {"Evidence": "Evidence (data)", "Focus": "Focus (data)",
         "Evaluation": "Evaluation (change since)"}


def _result(criterion: str, result: str, reason: str) -> dict[str, str]:
    return {"criterion": NAMES[criterion], "result": result, "reason": reason,
            "basis": "evidence"}


def _body_of(graph: Any, strategy: Any) -> Any | None:
    bodies = [graph.nodes[e.start] for e in graph.in_edges(strategy.id, ["published"])]
    for kind in ("combined_authority", "lep"):
        for b in sorted(bodies, key=lambda b: b.id):
            if b.type == kind:
                return b
    return None


def evidence_checks(graph: Any, strategy: Any, index: EvidenceIndex | None = None,
                    min_lq: float = DEFAULT_MIN_LQ, latest: date | None = None
                    ) -> list[dict[str, str]]:
    """Data-based Evidence, Focus and Evaluation checks of ``strategy`` on its own date.

    - Evidence (data): pass when GVA by industry and a productivity figure for the body's area
      answer the strategy's date; warn when only one does; unknown when neither (with why).
    - Focus (data): of the strategy's themes that lisgraph's crosswalk maps to industry groups,
      the share with a group at LQ ≥ ``min_lq`` in the year answering the strategy's date:
      pass ≥ 1/2, warn > 0, fail 0; unknown without mappable themes or LQs.
    - Evaluation (change since): the change in headline indicators from the strategy's date to
      ``latest`` (default: the latest period); always ``unknown`` as a verdict — a change in
      the area is not attribution to the strategy.
    """
    index = index or bundled_index()
    when = strategy.props.get("date")
    body = _body_of(graph, strategy)
    if body is None or not isinstance(when, date):
        why = "no publishing LEP or combined authority" if body is None else "undated strategy"
        return [_result(c, "unknown", f"{why}: evidence cannot be dated or placed")
                for c in ("Evidence", "Focus", "Evaluation")]
    out = []
    try:
        codes, members = area_codes(graph, body, when)
        year = industry_year(when)
        lq = location_quotients(gva_by_industry(), codes, year).set_index("sic07")["lq"]
    except EvidenceError as exc:
        lq, year, why_lq = None, None, str(exc)
    productivity = figure(index, graph, body, "gva-per-hour", when)
    has_prod = productivity.value is not None
    detail = (f"GVA by industry {year} for {len(members)} districts" if lq is not None
              else f"no GVA by industry ({why_lq})")
    detail += ("; GVA per hour " + f"£{productivity.value:.1f} ({productivity.period})" if has_prod
               else f"; GVA per hour: {productivity.reason or productivity.method}")
    result = "pass" if lq is not None and has_prod else "warn" if lq is not None or has_prod \
        else "unknown"
    out.append(_result("Evidence", result, f"official data answering {when}: {detail}"))
    themes = {a.end for hp in graph.out_edges(strategy.id, ["has_priority"])
              for a in graph.out_edges(hp.end, ["addresses"])}
    mapped = {t: groups_for(t) for t in sorted(themes) if groups_for(t)}
    if lq is None or not mapped:
        out.append(_result("Focus", "unknown", "no location quotients" if lq is None else
                           "no declared theme maps to industry groups (lisgraph's crosswalk)"))
    else:
        hit = sorted(t for t, gs in mapped.items()
                     if any(g in lq.index and lq[g] >= min_lq for g in gs))
        share = len(hit) / len(mapped)
        verdict = "pass" if share >= 0.5 else "warn" if hit else "fail"
        out.append(_result("Focus", verdict, f"{len(hit)}/{len(mapped)} sectoral themes "
                           f"evidenced at LQ ≥ {min_lq:g} (GVA {year})"
                           + (f": {', '.join(hit)}" if hit else "")
                           + "; crosswalk: lisgraph's own mapping"))
    changes = []
    for ind_id in CHANGE_INDICATORS:
        before = figure(index, graph, body, ind_id, when)
        after = figure(index, graph, body, ind_id, latest)
        if before.value is not None and after.value is not None and before.period != after.period:
            ind = INDICATORS[ind_id]
            changes.append(f"{ind.label} ({ind.unit}) {before.value:,.{ind.decimals}f} "
                           f"({before.period}) → {after.value:,.{ind.decimals}f} "
                           f"({after.period})")
    out.append(_result("Evaluation", "unknown",
                       ("change since the strategy's date (not attribution: the strategy is "
                        "one influence among many): " + "; ".join(changes)) if changes else
                       "no indicator has figures both before and after the strategy's date"))
    return out


def with_similarity(rows: list[dict[str, Any]], graph: Any, as_of: date | None,
                    pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """``rows`` (one per pair in ``pairs``) with ``similarity``: the cosine of the two bodies'
    LQ profiles, None (unknown) where either has no evidence. For ``--basis both``."""
    from .industries import lq_profile_similarity

    codes = sorted({c for p in pairs for c in p if c in graph.nodes})
    profiles, _ = section_profiles(graph, [graph.nodes[c] for c in codes], as_of)
    names, matrix = lq_profile_similarity(profiles) if profiles else ([], [])
    pos = {n: i for i, n in enumerate(names)}
    out = []
    for row, (a, b) in zip(rows, pairs):
        sim = (round(float(matrix[pos[a]][pos[b]]), 4) if a in pos and b in pos else None)
        out.append(dict(row, similarity=sim))
    return out
