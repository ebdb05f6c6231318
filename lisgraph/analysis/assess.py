"""A place's strategy checked against the criteria of the Local Industrial Strategies policy.

The criteria are those of HM Government's *Local Industrial Strategies: policy prospectus*
(October 2018): Evidence, Focus, Collaboration, Prioritisation, Evaluation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..collaborations import pairs_of
from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..places import has_strategy, resolve
from ..view import DatedView, as_view
from .index import member_districts

__all__ = ["assess", "POLICY", "PRIORITY_RANGE"]

POLICY = {
    "publisher": "HM Government",
    "title": "Local Industrial Strategies: policy prospectus",
    "url": "https://www.gov.uk/government/publications/local-industrial-strategies-policy-prospectus",
    "vintage": "2018-10",
    "licence": "OGL-UK-3.0",
}
#: "specific, achievable" and "not exhaustive": a bounded number of headline priorities
PRIORITY_RANGE = (3, 8)
FOUNDATIONS = 5


def assess(graph: KnowledgeGraph | DatedView, place: str,
           as_of: date | None = None) -> dict[str, Any]:
    """Check PLACE's strategies against the five criteria; each gets pass, warn or fail.

    - Evidence: pass when an evidence base is recorded and the strategy cites sources; warn
      when only sources are recorded.
    - Focus: pass when priorities address all five foundations and at least one Grand
      Challenge; warn with three or four foundations or no Grand Challenge; fail otherwise.
    - Collaboration: pass with partners of two or more kinds including a university and a
      cross-boundary link (a pan-regional partnership or a collaboration with a body outside
      PLACE's area); warn with some of these; fail with none.
    - Prioritisation: pass with 3-8 priorities each tied to a sector or Grand Challenge;
      warn outside that range or when some priorities are foundation-only; fail with none.
    - Evaluation: pass when the strategy records an evaluation plan or metrics; warn when
      none is recorded in the data (absence of a record is not proof of absence).

    Returns
    -------
    ``{"code", "name", "type", "strategies": [{"code", "name", "status", "date",
    "criteria": [{"criterion", "result", "reason"}]}], "policy": POLICY}``; a place with no
    strategy gets an empty ``strategies`` list and a ``message``.
    """
    graph = as_view(graph, as_of)
    as_of = graph.as_of
    node = graph.require(resolve(graph, place, prefer=has_strategy(graph)))
    strategies = [graph.nodes[e.end] for e in graph.out_edges(node.id, ["published"])]
    if node.type == "strategy":
        strategies = [node]
    out: dict[str, Any] = {"code": node.id, "name": node.name, "type": node.type,
                           "strategies": [], "policy": POLICY}
    if not strategies:
        out["message"] = (f"{node.name} ({node.id}) has no strategy on {as_of.isoformat()}"
                          if as_of else
                          f"{node.name} ({node.id}) has no Local Industrial Strategy in the graph")
        return out
    for s in sorted(strategies, key=lambda s: s.id):
        bodies = [e.start for e in graph.in_edges(s.id, ["published"])]
        out["strategies"].append({
            "code": s.id, "name": s.name, "status": s.props.get("status"),
            "date": s.props["date"].isoformat() if isinstance(s.props.get("date"), date) else None,
            "criteria": [_evidence(graph, s), _focus(graph, s), _collaboration(graph, bodies, as_of),
                         _prioritisation(graph, s), _evaluation(s), *_data_checks(graph, s)],
        })
    return out


def _data_checks(graph: Any, s: Any) -> list[dict[str, str]]:
    """Evidence (data), Focus (data), Evaluation (change since): lisgraph.evidence.checks."""
    from ..evidence.checks import evidence_checks

    return evidence_checks(graph, s)


def _result(criterion: str, result: str, reason: str) -> dict[str, str]:
    return {"criterion": criterion, "result": result, "reason": reason}


def _themes(graph: KnowledgeGraph, strategy: Any) -> dict[str, set[str]]:
    """priority id -> theme ids."""
    return {hp.end: {a.end for a in graph.out_edges(hp.end, ["addresses"])}
            for hp in graph.out_edges(strategy.id, ["has_priority"])}


def _evidence(graph: KnowledgeGraph, s: Any) -> dict[str, str]:
    sources = len(s.sources)
    if s.props.get("evidence_url"):
        return _result("Evidence", "pass", f"evidence base recorded ({s.props['evidence_url']}); "
                       f"{sources} source(s) cited")
    if sources:
        return _result("Evidence", "warn", f"no separate evidence base recorded; {sources} source(s) cited")
    return _result("Evidence", "fail", "no evidence base or sources recorded")


def _focus(graph: KnowledgeGraph, s: Any) -> dict[str, str]:
    themes = set().union(*_themes(graph, s).values()) if _themes(graph, s) else set()
    schemes: dict[str, list[str]] = {}
    for t in sorted(themes):
        schemes.setdefault(str(graph.nodes[t].props.get("scheme")), []).append(graph.nodes[t].name)
    found, gcs = schemes.get("foundation", []), schemes.get("grand_challenge", [])
    missing = sorted({n.name for n in graph.nodes_of_type("theme")
                      if n.props.get("scheme") == "foundation"} - set(found))
    detail = (f"foundations {len(found)}/{FOUNDATIONS}" + (f" (missing {', '.join(missing)})" if missing else "")
              + f"; Grand Challenges: {', '.join(gcs) or 'none'}")
    if len(found) == FOUNDATIONS and gcs:
        return _result("Focus", "pass", detail)
    if len(found) >= 3 or (found and gcs):
        return _result("Focus", "warn", detail)
    return _result("Focus", "fail", detail)


def _collaboration(graph: KnowledgeGraph, bodies: list[str], as_of: date | None) -> dict[str, str]:
    partners: dict[str, str] = {}
    cross = set()
    area: set[str] = set()
    for b in bodies:
        area |= member_districts(graph, b, as_of)
    for b in bodies:
        for e in graph.out_edges(b, ["member_of"], as_of):
            cross.add(graph.nodes[e.end].name)
        linked = [e.end if e.start == b else e.start
                  for e in graph.out_edges(b, ["partner_of"], as_of) +
                  graph.in_edges(b, ["partner_of"], as_of)]
        for other in linked + [p.other(b) for p in pairs_of(graph, b, as_of)]:
            if other in bodies:
                continue
            partners[other] = graph.nodes[other].type
            if not member_districts(graph, other, as_of) <= area:
                cross.add(graph.nodes[other].name)
    kinds = sorted(set(partners.values()))
    has_uni = "provider" in kinds
    detail = (f"{len(partners)} partner(s) of {len(kinds)} kind(s) ({', '.join(kinds) or 'none'}); "
              f"university partner: {'yes' if has_uni else 'no'}; "
              f"cross-boundary links: {len(cross)}")
    if len(kinds) >= 2 and has_uni and cross:
        return _result("Collaboration", "pass", detail)
    if partners or cross:
        return _result("Collaboration", "warn", detail)
    return _result("Collaboration", "fail", detail)


def _prioritisation(graph: KnowledgeGraph, s: Any) -> dict[str, str]:
    themes = _themes(graph, s)
    n = len(themes)
    lo, hi = PRIORITY_RANGE
    broad = [graph.nodes[p].name for p, ts in themes.items()
             if not any(graph.nodes[t].props.get("scheme") in ("sector", "grand_challenge") for t in ts)]
    detail = f"{n} priorities (policy: specific and not exhaustive; lisgraph expects {lo}-{hi})"
    if broad:
        detail += f"; foundation-only: {', '.join(sorted(broad))}"
    if n == 0:
        return _result("Prioritisation", "fail", "no priorities recorded")
    if lo <= n <= hi and not broad:
        return _result("Prioritisation", "pass", detail)
    return _result("Prioritisation", "warn", detail)


def _evaluation(s: Any) -> dict[str, str]:
    if s.props.get("evaluation"):
        return _result("Evaluation", "pass", str(s.props["evaluation"]))
    return _result("Evaluation", "warn", "no evaluation plan or metrics recorded in the data")
