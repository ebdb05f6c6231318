"""A place's or body's figure for an indicator on a date: published for its own code, or
derived from its member districts where the measure is additive, or refused with the reason.

Members are the districts with a ``part_of`` edge into the body valid on the date. District
codes are mapped to the code ONS publishes now: a one-to-one recode (Sheffield E08000019 to
E08000039) is followed; districts merged into a new one (e.g. the seven North Yorkshire
districts into E06000065 in 2023) are replaced by the new district only when *all* of them are
members of the body on the date (then the old areas' union is the new area); otherwise the
figure is refused, because ONS publishes no figure that can be split back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..assets import loaders_dir
from .indicators import INDICATORS, UK_CODES, indicator
from .observations import EvidenceIndex, Observation, period_bounds, pick

__all__ = ["Figure", "CodeChanges", "code_changes", "members_on", "figure", "baseline",
           "uk_value", "MEMBER_TYPES"]

#: node types whose members are districts, through ``part_of`` edges
MEMBER_TYPES = ("lep", "combined_authority", "county", "region")


@dataclass
class Figure:
    """One answer: ``method`` is published, derived, suppressed, missing or refused."""

    area: str
    indicator: str
    method: str
    period: str | None = None
    value: float | None = None
    status: str = ""
    reason: str = ""
    sources: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    lci_95: float | None = None
    uci_95: float | None = None
    code: str | None = None  # the code the value is published under, when not the area's

    def as_dict(self) -> dict[str, Any]:
        ind = INDICATORS[self.indicator]
        return {"area": self.area, "indicator": self.indicator, "label": ind.label,
                "unit": ind.unit, "period": self.period, "value": self.value,
                "method": self.method, "status": self.status, "reason": self.reason,
                "lci_95": self.lci_95, "uci_95": self.uci_95,
                "members": list(self.members), "published_code": self.code,
                "sources": list(self.sources)}


@dataclass
class CodeChanges:
    """Old district codes: one-to-one recodes and merges (old code to the new one)."""

    recode: dict[str, str] = field(default_factory=dict)
    merged_into: dict[str, str] = field(default_factory=dict)
    merged_from: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def current(self, code: str) -> str:
        return self.recode.get(code, code)


@lru_cache(maxsize=1)
def code_changes() -> CodeChanges:
    """The bundled code changes (loaders/evidence/code_changes.csv)."""
    text = loaders_dir().joinpath("evidence").joinpath("code_changes.csv").read_text("utf-8")
    out = CodeChanges()
    for r in csv.DictReader(io.StringIO(text)):
        out.names[r["new"]] = r["new_name"]
        if r["kind"] == "recode":
            out.recode[r["old"]] = r["new"]
        else:
            out.merged_into[r["old"]] = r["new"]
            out.merged_from.setdefault(r["new"], set()).add(r["old"])
    return out


def members_on(graph: Any, body_id: str, as_of: date | None) -> list[str]:
    """The districts with a ``part_of`` edge into ``body_id`` valid on the date (sorted).

    The date is ``as_of``, else the view's date; undated, the body's last day (``valid_to``)
    or today: memberships of different periods are never joined into one sum."""
    from ..view import as_view, today

    day = as_of if as_of is not None else getattr(graph, "as_of", None)
    if day is None:
        end = graph.nodes[body_id].props.get("valid_to")
        day = end if isinstance(end, date) else today()
    view = as_view(graph, day)
    return sorted({e.start for e in view.in_edges(body_id, ["part_of"])
                   if view.graph.nodes[e.start].type == "district"})


def _evidence_codes(members: list[str], changes: CodeChanges) -> tuple[list[str], str]:
    """Member districts as the codes ONS publishes; ('', reason) when a merge cannot be used."""
    codes: set[str] = set()
    merged: dict[str, set[str]] = {}
    for m in members:
        if m in changes.merged_into:
            merged.setdefault(changes.merged_into[m], set()).add(m)
        else:
            codes.add(changes.current(m))
    for new, olds in sorted(merged.items()):
        missing = changes.merged_from[new] - olds
        if missing:
            return [], (f"{', '.join(sorted(olds))} were merged into {new} "
                        f"({changes.names.get(new, new)}) with {', '.join(sorted(missing))}, "
                        "which are not members: ONS publishes only the merged area's figure")
        codes.add(new)
    return sorted(codes), ""


def _published(index: EvidenceIndex, node_id: str, ind: str, as_of: date | None,
               changes: CodeChanges) -> Figure | None:
    code = changes.current(node_id)
    series = index.get(code, ind)
    if not series:
        return None
    o = pick(series, as_of)
    if o is None:
        return Figure(node_id, ind, "missing", reason=f"no period ends on or before {as_of}",
                      sources=(series[0].source,))
    method = "published" if o.value is not None else "suppressed"
    return Figure(node_id, ind, method, o.period, o.value, o.status,
                  "" if o.value is not None else f"suppressed or not available in the source "
                  f"(status '{o.status or 'empty'}'); never read as zero",
                  (o.source,), (), o.lci_95, o.uci_95, code if code != node_id else None)


def figure(index: EvidenceIndex, graph: Any, node: Any, indicator_id: str,
           as_of: date | None = None, changes: CodeChanges | None = None) -> Figure:
    """The figure answering ``as_of`` for ``node`` (a place or body of ``graph``).

    Examples
    --------
    >>> from lisgraph.model import Node, Edge
    >>> from lisgraph.graph import KnowledgeGraph
    >>> g = KnowledgeGraph()
    >>> for n in (Node("L", "lep", "L", ("s",)), Node("A", "district", "A", ("s",)),
    ...           Node("B", "district", "B", ("s",))):
    ...     g.add_node(n)
    >>> g.add_edge(Edge("A", "part_of", "L", ("s",))); g.add_edge(Edge("B", "part_of", "L", ("s",)))
    >>> idx = EvidenceIndex([Observation(a, i, "2023-01-01/P1Y", v, source="src") for a, i, v in
    ...     [("A", "gva", 10.0), ("B", "gva", 5.0), ("A", "gva-per-hour", 30.0),
    ...      ("B", "gva-per-hour", 40.0)]])
    >>> f = figure(idx, g, g.nodes["L"], "gva", changes=CodeChanges()); f.method, f.value
    ('derived', 15.0)
    >>> figure(idx, g, g.nodes["L"], "gva-per-hour", changes=CodeChanges()).method
    'refused'
    """
    ind = indicator(indicator_id)
    changes = changes or code_changes()
    if node.type == "district" and node.id in changes.merged_into:
        new = changes.merged_into[node.id]
        return Figure(node.id, ind.id, "missing",
                      reason=f"merged into {new} ({changes.names.get(new, new)}); ONS publishes "
                      "figures for the merged district only")
    if node.type != "lep":  # ONS publishes nothing for LEP codes (E37)
        found = _published(index, node.id, ind.id, as_of, changes)
        if found is not None:
            return found
    if node.type not in MEMBER_TYPES:
        return Figure(node.id, ind.id, "missing",
                      reason="no published value for this area in the evidence")
    members = members_on(graph, node.id, as_of)
    if not ind.additive:
        return Figure(node.id, ind.id, "refused", reason=f"no published value for {node.id}; "
                      f"not derived from its districts: {ind.refusal}", members=tuple(members))
    if not members:
        return Figure(node.id, ind.id, "missing", reason=f"no member districts on {as_of}"
                      if as_of else "no member districts recorded")
    codes, why = _evidence_codes(members, changes)
    if why:
        return Figure(node.id, ind.id, "refused", reason=why, members=tuple(members))
    return _sum(index, node.id, ind.id, codes, members, as_of)


def _sum(index: EvidenceIndex, area: str, ind: str, codes: list[str], members: list[str],
         as_of: date | None, period: str | None = None) -> Figure:
    series = {c: {o.period: o for o in index.get(c, ind)} for c in codes}
    absent = [c for c, s in series.items() if not s]
    if absent:
        return Figure(area, ind, "missing", reason=f"no {ind} figures for member district(s) "
                      f"{', '.join(absent)}; a sum with a missing part is not given",
                      members=tuple(members))
    common = set.intersection(*(set(s) for s in series.values()))
    if period is None:
        ends = [p for p in common if as_of is None or period_bounds(p)[1] <= as_of]
        if not ends:
            return Figure(area, ind, "missing", reason="no period common to all member districts"
                          + (f" ends on or before {as_of}" if as_of else ""),
                          members=tuple(members))
        period = max(ends, key=lambda p: period_bounds(p)[1])
    elif period not in common:
        return Figure(area, ind, "missing", period, members=tuple(members),
                      reason=f"not every member district has a figure for {period}")
    obs = [series[c][period] for c in codes]
    gaps = [o.area for o in obs if o.value is None]
    if gaps:
        return Figure(area, ind, "suppressed", period, members=tuple(members),
                      reason=f"suppressed for {', '.join(gaps)} in {period}; a sum with a "
                      "suppressed part is not given (never read as zero)",
                      sources=tuple(sorted({o.source for o in obs})))
    total = sum(o.value for o in obs)  # type: ignore[misc]
    return Figure(area, ind, "derived", period, total, "", f"sum of {len(codes)} member "
                  f"districts' published values ({INDICATORS[ind].kind}, additive)",
                  tuple(sorted({o.source for o in obs})), tuple(members))


def baseline(index: EvidenceIndex, graph: Any, node: Any, current: Figure,
             as_of: date | None = None, changes: CodeChanges | None = None) -> Figure | None:
    """The same figure for the indicator's baseline period (its first bundled year), with the
    same members as ``current`` (boundaries held fixed), or None when there is none."""
    if current.value is None or current.period is None:
        return None
    ind = INDICATORS[current.indicator]
    changes = changes or code_changes()
    if current.method == "derived":
        codes, _ = _evidence_codes(list(current.members), changes)
        first = sorted((o.period for o in index.get(codes[0], ind.id)),
                       key=lambda p: period_bounds(p)[0])
        period = next((p for p in first if period_bounds(p)[0].year >= ind.baseline_year), None)
        if period is None or period == current.period:
            return None
        base = _sum(index, node.id, ind.id, codes, list(current.members), None, period)
        return base if base.value is not None else None
    code = current.code or node.id
    series = sorted(index.get(code, ind.id), key=lambda o: period_bounds(o.period)[0])
    first = next((o for o in series if period_bounds(o.period)[0].year >= ind.baseline_year),
                 None)
    if first is None or first.period == current.period or first.value is None:
        return None
    return Figure(node.id, ind.id, "published", first.period, first.value, first.status,
                  sources=(first.source,), code=current.code)


def uk_value(index: EvidenceIndex, ind: str, period: str) -> Observation | None:
    """The UK comparator's published value for ``period`` (UK, else UK less extra-regio)."""
    for code in UK_CODES:
        for o in index.get(code, ind):
            if o.period == period and o.value is not None:
                return o
    return None
