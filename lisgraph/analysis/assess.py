"""A place's strategy checked against the criteria of the Local Industrial Strategies policy.

The criteria are those of HM Government's *Local Industrial Strategies: policy prospectus*
(October 2018): Evidence, Focus, Collaboration, Prioritisation, Evaluation; and agreement with
Government, on which the prospectus makes growth funding depend.

The scale
---------
``pass``     the data records what the criterion asks for
``warn``     the data records something, and it falls short of the criterion
``fail``     the data records something that contradicts the criterion
``unknown``  the data holds no record, or only that a document exists ("recorded, not
             reviewed"): absence of a record is not evidence of absence, and a link or a chapter
             heading is not its content

Every result carries the ``threshold`` it applies: a quotation from the prospectus, or a rule
labelled as lisgraph's heuristic with its reason. The checks are a list
(:data:`CHECKS`) of functions of one :class:`Strategy`; other layers (the evidence layer's
declared-versus-evidenced strengths) append theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view
from .index import is_headline, member_districts, recorded_links

__all__ = ["assess", "POLICY", "CHECKS", "Strategy", "result", "RESULTS", "NOT_REVIEWED",
           "agreed_priority_range", "DATA_THRESHOLDS"]

POLICY = {
    "publisher": "HM Government",
    "title": "Local Industrial Strategies: policy prospectus",
    "url": "https://www.gov.uk/government/publications/local-industrial-strategies-policy-prospectus",
    "vintage": "2018-10",
    "licence": "OGL-UK-3.0",
}
RESULTS = ("pass", "warn", "fail", "unknown")
NOT_REVIEWED = "recorded, not reviewed"
#: themes that name a specific strength or challenge rather than a foundation
SPECIFIC_SCHEMES = ("sector", "grand_challenge", "frontier_industry")

QUOTES = {
    "Agreement": 'policy: "developed locally and agreed with Government"',
    "Evidence": 'policy: "Set out a robust and open evidence base"',
    "Focus": 'policy: "local strategies should identify priorities across Ideas, People, '
             'Infrastructure, Business Environment and Places"; "On specific '
             'distinctive local strengths"',
    "Collaboration": 'policy: "brought together partners to achieve shared ambitions within '
                     'and across boundaries"',
    "Prioritisation": 'policy: "priorities should relate to specific challenges and future '
                      'opportunities"; "should not set out to be exhaustive" (the policy '
                      'gives no number)',
    "Evaluation": 'policy: "specify what success looks like and build in a transparent '
                  'mechanism for monitoring"',
}


@dataclass
class Strategy:
    """What a check reads: one strategy in the view, its publishers and headline priorities."""

    graph: DatedView
    node: Any
    bodies: list[str]
    priorities: dict[str, set[str]] = field(default_factory=dict)  # priority id -> theme ids

    def scheme(self, theme: str) -> str:
        return str(self.graph.nodes[theme].props.get("scheme"))


def result(criterion: str, outcome: str, reason: str, threshold: str | None = None,
           basis: str = "") -> dict[str, str]:
    """One check's answer (``threshold`` defaults to the criterion's policy quotation)."""
    assert outcome in RESULTS, outcome
    return {"criterion": criterion, "result": outcome, "reason": reason,
            "threshold": threshold or QUOTES.get(criterion, ""), "basis": basis}


def _agreement(s: Strategy) -> dict[str, str]:
    status = str(s.node.props.get("status") or "")
    if status == "published":
        return result("Agreement", "pass", "published jointly with Government as agreed",
                      basis="strategy status recorded")
    if status in ("draft", "unpublished"):
        what = "a draft" if status == "draft" else "finalised locally but never published as agreed"
        return result("Agreement", "warn", f"{what}: not agreed with Government; the other "
                      "criteria are read from the draft", basis="strategy status recorded")
    return result("Agreement", "unknown", "no status recorded")


def _evidence(s: Strategy) -> dict[str, str]:
    url = s.node.props.get("evidence_url")
    if url:
        return result("Evidence", "unknown", f"an evidence base is recorded ({url}); its content "
                      "is not reviewed here", basis=NOT_REVIEWED)
    return result("Evidence", "unknown", "no evidence base recorded in the data",
                  basis="no record")


def _focus(s: Strategy) -> dict[str, str]:
    if not s.priorities:
        return result("Focus", "unknown", "no priorities recorded in the data", basis="no record")
    themes = set().union(*s.priorities.values())
    foundations = sorted(n.id for n in s.graph.nodes_of_type("theme")
                         if n.props.get("scheme") == "foundation")
    found = [t for t in foundations if t in themes]
    specific = sorted(s.graph.nodes[t].name for t in themes if s.scheme(t) in SPECIFIC_SCHEMES)
    missing = [s.graph.nodes[t].name for t in foundations if t not in themes]
    detail = (f"headline priorities address {len(found)}/{len(foundations)} foundations"
              + (f" (missing {', '.join(missing)})" if missing else "")
              + f"; specific strengths or challenges: {', '.join(specific) or 'none'}")
    basis = "lisgraph's mapping of headline priorities to themes"
    if len(found) == len(foundations) and specific:
        return result("Focus", "pass", detail, basis=basis)
    if found or specific:
        return result("Focus", "warn", detail, basis=basis)
    return result("Focus", "fail", detail, basis=basis)


def _collaboration(s: Strategy) -> dict[str, str]:
    graph, bodies = s.graph, s.bodies
    as_of = graph.as_of
    area: set[str] = set()
    for b in bodies:
        area |= member_districts(graph, b, as_of)
    within: set[str] = set()
    across: set[str] = set()
    for b in bodies:
        for e in graph.out_edges(b, ["member_of"]):
            across.add(f"{graph.nodes[e.end].name} (partnership)")
    kinds: set[str] = set()
    for link in recorded_links(graph):
        if not {link.a, link.b} & set(bodies):
            continue
        for other in {link.a, link.b} - set(bodies):
            kinds.add(graph.nodes[other].type)
            name = graph.nodes[other].name
            if member_districts(graph, other, as_of) <= area:
                within.add(name)
            else:
                across.add(name)
    detail = (f"within the area: {len(within)} recorded partner(s); across boundaries: "
              f"{len(across)} ({', '.join(sorted(across)[:4])}{'…' if len(across) > 4 else ''}); "
              f"kinds: {', '.join(sorted(kinds)) or 'none'}")
    basis = "recorded collaborations, partner links and partnership memberships"
    if within and across:
        return result("Collaboration", "pass", detail, basis=basis)
    if within or across:
        return result("Collaboration", "warn", detail, basis=basis)
    return result("Collaboration", "unknown", "no partner or partnership recorded in the data",
                  basis="no record")


def agreed_priority_range(graph: DatedView) -> tuple[int, int] | None:
    """The fewest and most headline priorities set out by the strategies agreed with
    Government in the view (None when there is none)."""
    counts = []
    for node in graph.nodes_of_type("strategy"):
        if node.props.get("status") == "published":
            n = sum(1 for e in graph.out_edges(node.id, ["has_priority"])
                    if is_headline(graph.nodes[e.end]))
            if n:
                counts.append(n)
    return (min(counts), max(counts)) if counts else None


def _prioritisation(s: Strategy) -> dict[str, str]:
    if not s.priorities:
        return result("Prioritisation", "unknown", "no priorities recorded in the data",
                      basis="no record")
    n = len(s.priorities)
    broad = sorted(s.graph.nodes[p].name for p, ts in s.priorities.items()
                   if not any(s.scheme(t) in SPECIFIC_SCHEMES for t in ts))
    agreed = s.graph.derived("agreed_priority_range", agreed_priority_range)
    threshold = QUOTES["Prioritisation"]
    detail = f"{n} headline priorities"
    if broad:
        detail += f"; not tied to a specific sector or challenge: {', '.join(broad)}"
    many = agreed is not None and n > agreed[1]
    if agreed is not None:
        threshold += (f"; lisgraph's heuristic: more than {agreed[1]} headline priorities, the "
                      f"most any strategy agreed with Government set out ({agreed[0]}-{agreed[1]}),"
                      " reads as exhaustive")
        if many:
            detail += f"; more than any agreed strategy ({agreed[1]})"
    basis = "lisgraph's mapping of headline priorities to themes"
    if not broad and not many:
        return result("Prioritisation", "pass", detail, threshold, basis)
    return result("Prioritisation", "warn", detail, threshold, basis)


#: words in a recorded evaluation note that say what success looks like or how it is monitored
_MEASURES = re.compile(r"\b(targets?|metrics?|indicators?|KPIs?)\b", re.I)


def _evaluation(s: Strategy) -> dict[str, str]:
    note = str(s.node.props.get("evaluation") or "")
    if not note:
        return result("Evaluation", "unknown", "no evaluation plan or metrics recorded in the data",
                      basis="no record")
    if "not reviewed" in note or not _MEASURES.search(note):
        return result("Evaluation", "unknown", note, basis=NOT_REVIEWED)
    return result("Evaluation", "pass", note,
                  basis="the record names the strategy's targets or metrics")


#: the thresholds the evidence layer's data checks apply (lisgraph.evidence.checks)
DATA_THRESHOLDS = {
    "Evidence (data)": QUOTES["Evidence"] + "; pass when official GVA by industry and a "
                       "productivity figure answer the strategy's date",
    "Focus (data)": QUOTES["Focus"] + "; lisgraph's heuristic: pass when at least half of the "
                    "sectoral themes are evidenced by a location quotient of at least 1.25 "
                    "(clearly more concentrated than in the UK; the crosswalk from themes to "
                    "industries is lisgraph's own)",
    "Evaluation (change since)": QUOTES["Evaluation"] + "; always unknown as a verdict: a "
                                 "change in the area is not attribution to the strategy",
}


def _data_checks(s: Strategy) -> list[dict[str, str]]:
    """The evidence layer's checks (Evidence (data), Focus (data), Evaluation (change
    since)): official indicators read against the strategy on its own date."""
    from ..evidence.checks import evidence_checks

    out = []
    for r in evidence_checks(s.graph, s.node):
        r = dict(r)
        r.setdefault("threshold", DATA_THRESHOLDS.get(r["criterion"], ""))
        r["basis"] = "official data (evidence layer)"
        out.append(r)
    return out


Check = Callable[[Strategy], "dict[str, str] | list[dict[str, str]]"]
#: the checks run on each strategy, in order; each returns one :func:`result` or a list
CHECKS: list[Check] = [
    _agreement, _evidence, _focus, _collaboration, _prioritisation, _evaluation, _data_checks]


def _run(ctx: Strategy) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for check in CHECKS:
        found = check(ctx)
        out.extend(found if isinstance(found, list) else [found])
    return out


def assess(graph: KnowledgeGraph | DatedView, place: str,
           as_of: date | None = None) -> dict[str, Any]:
    """Check PLACE's strategies against the policy's criteria (:data:`CHECKS`), each
    ``pass``, ``warn``, ``fail`` or ``unknown`` with its reason, threshold and basis.

    - Agreement: pass when published as agreed with Government; warn for a draft or a strategy
      never agreed (the other criteria are then read from the draft).
    - Evidence: unknown: an evidence base link is "recorded, not reviewed".
    - Focus: pass when the headline priorities address all five foundations and at least one
      specific strength (a sector or Grand Challenge); warn with some; fail with none;
      unknown when no priorities are recorded.
    - Collaboration: pass with recorded partners both within the area and across its
      boundaries (a pan-regional partnership or a partner outside the area); warn with one;
      unknown with none recorded.
    - Prioritisation: pass when every headline priority is tied to a specific sector or
      challenge and there are no more than the most any agreed strategy set out (lisgraph's
      heuristic; the policy gives no number); warn otherwise; unknown when none is recorded.
    - Evaluation: pass when the recorded note names targets or metrics; unknown when it only
      says a chapter exists ("recorded, not reviewed") or nothing is recorded.
    - Evidence (data), Focus (data), Evaluation (change since): the evidence layer's checks
      of official indicators on the strategy's date (:data:`DATA_THRESHOLDS`).

    Returns
    -------
    ``{"code", "name", "type", "strategies": [{"code", "name", "status", "agreed", "date",
    "criteria": [{"criterion", "result", "reason", "threshold", "basis"}]}], "policy"}``
    (``as_of`` with a date); a place with no strategy gets an empty ``strategies`` list and a
    ``message``.
    """
    graph = as_view(graph, as_of)
    as_of = graph.as_of
    node = graph.require(resolve(graph, place, prefer=has_strategy(graph)))
    strategies = [graph.nodes[e.end] for e in graph.out_edges(node.id, ["published"])]
    if node.type == "strategy":
        strategies = [node]
    out: dict[str, Any] = {"code": node.id, "name": node.name, "type": node.type,
                           "strategies": [], "policy": POLICY}
    if as_of is not None:
        out["as_of"] = as_of.isoformat()
    if not strategies:
        out["message"] = (f"{node.name} ({node.id}) has no strategy on {as_of.isoformat()}"
                          if as_of else
                          f"{node.name} ({node.id}) has no Local Industrial Strategy in the graph")
        return out
    for s in sorted(strategies, key=lambda s: s.id):
        bodies = sorted(e.start for e in graph.in_edges(s.id, ["published"]))
        prios = {hp.end: {a.end for a in graph.out_edges(hp.end, ["addresses"])}
                 for hp in graph.out_edges(s.id, ["has_priority"])
                 if is_headline(graph.nodes[hp.end])}
        ctx = Strategy(graph, s, bodies, prios)
        status = s.props.get("status")
        out["strategies"].append({
            "code": s.id, "name": s.name, "status": status,
            "agreed": status == "published" if status else None,
            "date": s.props["date"].isoformat() if isinstance(s.props.get("date"), date) else None,
            "criteria": _run(ctx),
        })
    return out
