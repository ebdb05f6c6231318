"""Evidenced strength of each district in a theme, for ``--colour-by theme:NAME``.

A district is evidently strong in a theme when its location quotient (its share of GVA in an
industry group over the UK's share) reaches the evidence layer's threshold in one of the
groups lisgraph's crosswalk reads the theme as (``lisgraph.evidence.crosswalk``). One table
for all districts (areas x groups) keeps this to one vectorised step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["Evidenced", "evidenced_districts"]


@dataclass
class Evidenced:
    """``strong``: district id -> True / False (None: no figure); the year, the threshold,
    the groups read and the sources, for the legend."""

    strong: dict[str, bool | None] = field(default_factory=dict)
    year: int = 0
    min_lq: float = 0.0
    groups: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def evidenced_districts(districts: Iterable[Any], as_of: date | None,
                        themes: Iterable[str]) -> Evidenced | str:
    """The districts' evidenced strength in ``themes`` on ``as_of``, or a sentence saying
    why there is none (no evidence layer, no industry groups for the theme, no year)."""
    try:
        from ..evidence.bodies import code_changes
        from ..evidence.crosswalk import CROSSWALK_SOURCE, groups_for
        from ..evidence.industries import NOT_STRENGTHS, gva_by_industry
        from ..evidence.observations import EvidenceError
        from ..evidence.strengths import DEFAULT_MIN_LQ, SOURCE, industry_year
    except ImportError:
        return "evidenced strength needs the evidence layer (lisgraph.evidence)"
    groups = tuple(sorted({g for t in themes for g in groups_for(t)} - set(NOT_STRENGTHS)))
    if not groups:
        return "the theme is cross-cutting: no industry groups stand for it"
    frame = gva_by_industry()
    try:
        year = industry_year(as_of, frame)
    except EvidenceError as exc:
        return str(exc)
    wide = frame[frame["year"] == year].pivot_table(index="area", columns="sic07",
                                                    values="value", aggfunc="sum")
    uk_share = wide.sum(axis=0, skipna=True) / wide.sum(axis=0, skipna=True)["Total"]
    present = [g for g in groups if g in wide.columns]
    lq = wide[present].div(wide["Total"], axis=0).div(uk_share[present], axis=1)
    best = lq.max(axis=1, skipna=True)
    changes = code_changes()
    out = Evidenced(year=year, min_lq=DEFAULT_MIN_LQ, groups=groups,
                    sources=(SOURCE, CROSSWALK_SOURCE))
    for d in districts:
        code = changes.current(d.id)
        value = best.get(code) if code not in changes.merged_into else None
        out.strong[d.id] = None if value is None or value != value else bool(
            value >= DEFAULT_MIN_LQ)
    return out
