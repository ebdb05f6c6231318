"""The evidence section of `lisgraph show`: headline indicators for one place or body, each
with its period, UK = 100, rank among peers of its type and change since the baseline.

No pandas on this path: the bundled observations are read with the csv module, once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .bodies import Figure, baseline, code_changes, figure, uk_value
from .indicators import INDICATORS
from .observations import EvidenceError, EvidenceIndex, bundled_index, evidence_sources

__all__ = ["evidence_section", "section_rows", "HEADLINE"]

#: the indicators `show` lists, in order
HEADLINE = ("gva-per-hour", "gva-per-job", "gva", "median-weekly-pay", "employment-rate",
            "rqf3-share", "gdhi-per-head", "active-businesses", "business-births",
            "business-deaths", "high-growth-businesses")
#: node types `show` gives evidence for
EVIDENCE_TYPES = ("district", "county", "region", "lep", "combined_authority")


def _peer_rank(index: EvidenceIndex, graph: Any, node: Any, f: Figure,
               as_of: date | None) -> tuple[int, int] | None:
    """(rank, of) among nodes of the same type with a published value for the same period
    (highest first); derived figures are ranked only among districts' sums (not computed)."""
    if f.method != "published" or f.value is None:
        return None
    changes = code_changes()
    published = index.period_values(f.indicator, f.period or "")
    values = []
    seen = set()
    for n in graph.nodes_of_type(node.type):
        if as_of is not None and not n.valid_on(as_of):
            continue
        code = changes.current(n.id)
        if code in seen:
            continue
        seen.add(code)
        if code in published:
            values.append(published[code])
    if f.value not in values:
        return None
    return 1 + sum(v > f.value for v in values), len(values)


def evidence_section(graph: Any, node: Any, as_of: date | None = None,
                     index: EvidenceIndex | None = None) -> dict[str, Any] | None:
    """Headline indicators for ``node`` on ``as_of`` (latest period ending on or before it;
    without a date, the latest). None for node types that hold no area (strategies, ...).

    Returns ``{"as_of", "rows": [...], "sources": [...], "note"}``; each row has indicator,
    label, unit, period, value, method (published / derived / suppressed / missing /
    refused), uk_index (UK = 100), rank and peers, baseline_period, change, reason, sources.
    """
    if node.type not in EVIDENCE_TYPES:
        return None
    if index is None:
        from .. import evidence as package  # the CLI's hook: lisgraph.evidence.index_provider

        provider = package.index_provider
        index = provider() if provider is not None else bundled_index()
    rows, sources = [], set()
    for ind_id in HEADLINE:
        ind = INDICATORS[ind_id]
        try:
            f = figure(index, graph, node, ind_id, as_of)
        except EvidenceError as exc:
            f = Figure(node.id, ind_id, "missing", reason=str(exc))
        row: dict[str, Any] = {**f.as_dict(), "uk_index": None, "rank": None, "peers": None,
                               "baseline_period": None, "change": None}
        if f.value is not None and f.period and not ind.additive:
            uk = uk_value(index, ind_id, f.period)
            if uk is not None and uk.value:
                row["uk_index"] = round(100 * f.value / uk.value, 1)
                row["uk_code"] = uk.area
        ranked = _peer_rank(index, graph, node, f, as_of)
        if ranked:
            row["rank"], row["peers"] = ranked
        base = baseline(index, graph, node, f, as_of)
        if base is not None and base.value is not None and f.value is not None:
            row["baseline_period"], row["change"] = base.period, f.value - base.value
        sources.update(f.sources)
        rows.append(row)
    return {"as_of": as_of.isoformat() if as_of else None, "rows": rows,
            "sources": sorted(sources),
            "source_details": [evidence_sources().get(s, {"id": s}) for s in sorted(sources)],
            "note": "Source: Office for National Statistics licensed under the Open Government "
                    "Licence v3.0. Change since the baseline is not attribution."}


def section_rows(section: dict[str, Any]) -> list[dict[str, str]]:
    """Display rows for `show` (indicator, period, value, UK = 100, rank, change, how)."""
    out = []
    for r in section["rows"]:
        ind = INDICATORS[r["indicator"]]
        value = ("" if r["value"] is None else
                 f"{r['value']:,.{ind.decimals}f}" + ("" if ind.unit in ("£",) else f" {ind.unit}"))
        if ind.unit == "£" and r["value"] is not None:
            value = "£" + value
        # words, not a sign: output hardening quotes cells that start with + or -
        change = "" if r["change"] is None else (
            f"{'up' if r['change'] >= 0 else 'down'} {abs(r['change']):,.{ind.decimals}f} "
            f"since {r['baseline_period'][:4]}")
        out.append({"indicator": ind.label, "period": r["period"] or "", "value": value or "—",
                    "UK=100": "" if r["uk_index"] is None else f"{r['uk_index']:.1f}",
                    "rank": f"{r['rank']}/{r['peers']}" if r["rank"] else "",
                    "change": change,
                    "how": r["method"] + (f": {r['reason']}" if r["reason"] else "")})
    return out
