"""The evidence observations in Neo4j: one ``:Observation`` node per (area, indicator, period),
linked to its area by ``OF_AREA``.

Nodes, not properties of the area: an observation has its own period, value, 95% interval,
status (a suppressed cell keeps its status and has no value: Neo4j stores no nulls, and a list
property cannot hold a gap) and source, as a W3C Data Cube ``qb:Observation`` has in the RDF
export; one node each keeps that shape and lets Cypher ask "areas whose value on a period is
above X" through the area's relationships. Observation nodes also carry ``:Entity`` (a code
of their own, ``obs/<indicator>/<area>/<period>``) so that the push's constraint, its
CREATE/MERGE plan, the sweep of records no longer local and the digest cover them like any
other record; they have no name, so names never resolve to them. An area the graph does not
hold keeps its code in ``area`` with no link.

Label and type are fixed names (like the meta node's), not from the data.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OBSERVATION", "OF_AREA", "observation_code", "observation_rows"]

#: the label of observation nodes and the type of their link to the area
OBSERVATION = "Observation"
OF_AREA = "OF_AREA"


def observation_code(area: str, indicator: str, period: str) -> str:
    """The code of an observation node.

    >>> observation_code("E06000001", "gva", "2022-01-01/P1Y")
    'obs/gva/E06000001/2022-01-01/P1Y'
    """
    return f"obs/{indicator}/{area}/{period}"


def observation_rows(index: Any, node_codes: Any) -> tuple[list[dict[str, Any]],
                                                           list[dict[str, Any]]]:
    """Node rows and ``OF_AREA`` rows for every observation in ``index`` (an
    :class:`~lisgraph.evidence.observations.EvidenceIndex`), in code order; a later
    observation of the same area, indicator and period replaces an earlier one (a user's
    file replaces the bundled figure). ``node_codes``: the graph's node ids (links only to
    those)."""
    from ..evidence.observations import period_bounds

    nodes: dict[str, dict[str, Any]] = {}
    for area, indicator in list(index.series):
        for o in index.get(area, indicator):
            code = observation_code(o.area, o.indicator, o.period)
            start, end = period_bounds(o.period)
            row: dict[str, Any] = {"code": code, "type": "observation", "area": o.area,
                                   "indicator": o.indicator, "period": o.period,
                                   "period_start": start, "period_end": end}
            for key in ("value", "lci_95", "uci_95"):
                value = getattr(o, key)
                if value is not None:
                    row[key] = float(value)
            if o.status:
                row["status"] = o.status
            if o.source:
                row["sources"] = [o.source]
            nodes[code] = row
    out = [nodes[c] for c in sorted(nodes)]
    links = [{"start": r["code"], "end": r["area"], "props": {"key": r["code"]}}
             for r in out if r["area"] in node_codes]
    return out, links
