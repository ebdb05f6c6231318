"""Industrial strengths from data, read against a place's declared priorities.

``strengths(graph, node, as_of, min_lq)`` ranks the published GVA industry groups by location
quotient for the place (a district, or a body as the sum of its member districts on the date),
with size (£ million) and change since the 2017 baseline, the IS-8 sectors whose SIC definition
is a union of published groups, and the comparison with what the place's strategies declare:
*declared and evidenced*, *declared, not evidenced*, *evidenced, not declared* (through
lisgraph's own theme ↔ industry-group crosswalk).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from .bodies import MEMBER_TYPES, _evidence_codes, code_changes, members_on
from .crosswalk import CROSSWALK_SOURCE, groups_for
from .industries import (
    NOT_STRENGTHS,
    gva_by_industry,
    industry_groups,
    is8_sectors,
    location_quotients,
    sector_groups,
    sector_lq,
)
from .observations import EvidenceError

__all__ = ["strengths", "area_codes", "industry_year", "declared_themes", "DEFAULT_MIN_LQ",
           "lq_profile"]

#: LQ at or above which a group counts as an evidenced strength (lisgraph's heuristic
#: default: 25 % above the UK share; many analyses use 1.2 or 1.25)
DEFAULT_MIN_LQ = 1.25
BASELINE_YEAR = 2017
SOURCE = "ons-rgva-lad-2025"


def area_codes(graph: Any, node: Any, as_of: date | None) -> tuple[list[str], list[str]]:
    """(evidence codes, member districts) that make up ``node`` on ``as_of``."""
    changes = code_changes()
    if node.type == "district":
        if node.id in changes.merged_into:
            raise EvidenceError(f"{node.name} ({node.id}) was merged into "
                                f"{changes.merged_into[node.id]}: ONS publishes GVA by industry "
                                "for the merged district only")
        return [changes.current(node.id)], [node.id]
    if node.type not in MEMBER_TYPES:
        raise EvidenceError(f"{node.name} ({node.id}) is a {node.type}: strengths are computed "
                            "for districts and for bodies made of districts")
    members = members_on(graph, node.id, as_of)
    if not members:
        raise EvidenceError(f"{node.name} ({node.id}) has no member districts"
                            + (f" on {as_of}" if as_of else ""))
    codes, why = _evidence_codes(members, changes)
    if why:
        raise EvidenceError(f"{node.name} ({node.id}): {why}")
    return codes, members


def industry_year(as_of: date | None, gva: Any = None) -> int:
    """The GVA-by-industry year answering ``as_of``: the latest ending on or before it."""
    frame = gva_by_industry() if gva is None else gva
    years = sorted(int(y) for y in frame["year"].unique())
    ok = [y for y in years if as_of is None or date(y, 12, 31) <= as_of]
    if not ok:
        raise EvidenceError(f"no GVA by industry year ends on or before {as_of} (bundled: "
                            f"{', '.join(map(str, years))})")
    return ok[-1]


def declared_themes(graph: Any, node: Any, as_of: date | None) -> dict[str, dict[str, Any]]:
    """Theme id -> {name, priorities, strategies} from the strategies ``node`` published
    (those dated on or before ``as_of`` when given)."""
    out: dict[str, dict[str, Any]] = {}
    for pub in graph.out_edges(node.id, ["published"]):
        s = graph.nodes[pub.end]
        when = s.props.get("date")
        if as_of is not None and isinstance(when, date) and when > as_of:
            continue
        for hp in graph.out_edges(s.id, ["has_priority"]):
            for ad in graph.out_edges(hp.end, ["addresses"]):
                row = out.setdefault(ad.end, {"name": graph.nodes[ad.end].name,
                                              "priorities": [], "strategies": []})
                row["priorities"].append(graph.nodes[hp.end].name)
                if s.id not in row["strategies"]:
                    row["strategies"].append(s.id)
    return out


def _num(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def lq_profile(graph: Any, node: Any, as_of: date | None, year: int | None = None) -> Any:
    """The place's LQs by group (pandas Series) for ``year`` (default: the year answering
    ``as_of``)."""
    codes, _ = area_codes(graph, node, as_of)
    lqs = location_quotients(gva_by_industry(), codes, year or industry_year(as_of))
    return lqs.set_index("sic07")["lq"]


def strengths(graph: Any, node: Any, as_of: date | None = None,
              min_lq: float = DEFAULT_MIN_LQ, gva: Any = None) -> dict[str, Any]:
    """Location quotients, IS-8 sectors and declared-vs-evidenced for ``node``.

    Returns a dict with ``code``, ``name``, ``type``, ``as_of``, ``year``, ``baseline_year``,
    ``members``, ``min_lq``, ``groups`` (every published group, ranked by LQ), ``sectors``,
    ``comparison`` (rows with ``category``, ``theme``, ``groups``, ``reason``) and ``sources``.
    ``gva`` replaces the bundled GVA by industry (a frame from
    :func:`~lisgraph.evidence.loaders.read_rgva_workbook` or ``read_rgva_tidy``).
    """
    codes, members = area_codes(graph, node, as_of)
    frame = gva_by_industry() if gva is None else gva
    gva_sources = [SOURCE] if gva is None else list(gva.attrs.get("source_ids", ["user file"]))
    year = industry_year(as_of, frame)
    now = location_quotients(frame, codes, year).set_index("sic07")
    has_base = year != BASELINE_YEAR and (frame["year"] == BASELINE_YEAR).any()
    base = (location_quotients(frame, codes, BASELINE_YEAR).set_index("sic07")
            if has_base else None)
    groups = industry_groups()
    labels = frame.attrs.get("labels", {})  # a user's workbook may publish other groups
    rows = []
    for code, r in now.iterrows():
        if code == "Total":
            continue
        b = base.loc[code] if base is not None else None
        lq, gva = _num(r["lq"]), _num(r["gva"])
        rows.append({
            "sic07": code,
            "label": groups[code].label if code in groups else labels.get(code, code),
            "level": groups[code].level if code in groups else "",
            "lq": lq, "gva_gbp_m": gva, "uk_share": _num(r["uk_share"]),
            "lq_baseline": _num(b["lq"]) if b is not None else None,
            "gva_change_gbp_m": (gva - _num(b["gva"]))  # type: ignore[operator]
            if b is not None and gva is not None and _num(b["gva"]) is not None else None,
            "strength": bool(lq is not None and lq >= min_lq and code not in NOT_STRENGTHS),
            "status": "" if lq is not None else "suppressed in a member district: unknown",
        })
    rows.sort(key=lambda r: (r["lq"] is None, -(r["lq"] or 0.0), r["sic07"]))
    sectors = []
    for name in is8_sectors():
        chosen, why = sector_groups(name)
        lq = sector_lq(now.reset_index(), chosen) if chosen else None
        sectors.append({"sector": name, "lq": lq, "groups": chosen or [], "reason": why})
    return {
        "code": node.id, "name": node.name, "type": node.type,
        "as_of": as_of.isoformat() if as_of else None, "year": year,
        "baseline_year": BASELINE_YEAR if base is not None else None,
        "members": members, "evidence_codes": codes, "min_lq": min_lq,
        "groups": rows, "sectors": sectors,
        "comparison": compare(graph, node, as_of, rows, min_lq),
        "comparator_districts": int(frame.loc[frame["year"] == year, "area"].nunique()),
        "method": ("LQ = area's share of GVA in the group / UK share (UK = sum of all "
                   f"{frame.loc[frame['year'] == year, 'area'].nunique()} districts in the table"
                   + (": the given files do not cover the UK, so this compares with their "
                      "area only" if gva is not None and
                      frame.loc[frame["year"] == year, "area"].nunique() < 350 else "")
                   + "); " + ("sum of member districts' GVA on the date" if node.type != "district"
                      else "the district's published GVA")),
        "sources": [*gva_sources, "govuk-is8-definitions", CROSSWALK_SOURCE],
    }


def compare(graph: Any, node: Any, as_of: date | None, rows: list[dict[str, Any]],
            min_lq: float) -> list[dict[str, Any]]:
    """Declared themes against evidenced strengths (crosswalk: lisgraph's own mapping)."""
    by_code = {r["sic07"]: r for r in rows}
    declared = declared_themes(graph, node, as_of)
    out, covered = [], set()

    def fmt(code: str) -> str:
        lq = by_code.get(code, {}).get("lq")
        return f"{code} {by_code.get(code, {}).get('label', '')} (LQ {lq:.2f})" if lq is not None \
            else f"{code} (LQ unknown)"

    for theme, d in sorted(declared.items()):
        mapped = groups_for(theme)
        covered.update(mapped)
        if not mapped:
            out.append({"category": "declared, no industry groups", "theme": theme,
                        "name": d["name"], "groups": [], "priorities": d["priorities"],
                        "reason": "a cross-cutting theme: lisgraph's crosswalk maps it to no "
                                  "industry group"})
            continue
        strong = [g for g in mapped if by_code.get(g, {}).get("strength")]
        out.append({"category": "declared and evidenced" if strong else "declared, not evidenced",
                    "theme": theme, "name": d["name"], "groups": [fmt(g) for g in mapped],
                    "priorities": d["priorities"],
                    "reason": (f"LQ ≥ {min_lq:g} in {', '.join(strong)}" if strong else
                               f"no mapped group reaches LQ {min_lq:g}")})
    for r in rows:
        if r["strength"] and r["sic07"] not in covered:
            out.append({"category": "evidenced, not declared", "theme": None, "name": None,
                        "groups": [fmt(r["sic07"])], "priorities": [],
                        "reason": f"LQ {r['lq']:.2f} ≥ {min_lq:g}; no declared theme maps to it"
                        + ("" if declared else " (no strategy recorded for this place)")})
    order = {"declared and evidenced": 0, "declared, not evidenced": 1,
             "evidenced, not declared": 2, "declared, no industry groups": 3}
    return sorted(out, key=lambda r: order[r["category"]])
