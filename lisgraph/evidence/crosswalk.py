"""lisgraph's own crosswalk from themes (the priority taxonomy) to published GVA industry
groups: which groups stand for a theme when declared priorities are read against location
quotients. It is a heuristic of this project, not an official classification (source id
``lisgraph-evidence-crosswalk``); themes absent here (Places, Infrastructure, Business
Environment) are cross-cutting and are reported as "no industry groups"."""

from __future__ import annotations

__all__ = ["THEME_GROUPS", "CROSSWALK_SOURCE", "groups_for"]

CROSSWALK_SOURCE = "lisgraph-evidence-crosswalk"

THEME_GROUPS: dict[str, tuple[str, ...]] = {
    "ideas": ("72-75",),
    "people": ("P (85)",),
    "ai-and-data": ("61-63",),
    "artificial-intelligence": ("61-63",),
    "ageing-society": ("Q (86-88)",),
    "clean-growth": ("DE (35-39)",),
    "clean-energy-industries": ("DE (35-39)",),
    "offshore-wind": ("DE (35-39)",),
    "nuclear": ("DE (35-39)",),
    "future-of-mobility": ("CI-CL (26-30)", "49-51"),
    "automotive": ("CI-CL (26-30)",),
    "aerospace": ("CI-CL (26-30)",),
    "rail": ("CI-CL (26-30)", "49-51"),
    "space": ("CI-CL (26-30)",),
    "defence": ("CH (24-25)", "CI-CL (26-30)"),
    "advanced-manufacturing": ("C (10-33)", "CI-CL (26-30)"),
    "life-sciences": ("CD-CG (19-23)", "72-75"),
    "construction": ("F (41-43)",),
    "creative-industries": ("58-60", "R (90-93)"),
    "digital-and-technologies": ("J (58-63)", "61-63"),
    "financial-services": ("K (64-66)",),
    "professional-and-business-services": ("M (69-75)", "N (77-82)"),
    "tourism": ("I (55-56)", "R (90-93)"),
    "logistics": ("H (49-53)", "52-53"),
    "agri-food": ("AB (1-9)", "CA-CB (10-15)"),
    "geo-resources": ("AB (1-9)",),
}


def groups_for(theme_id: str) -> tuple[str, ...]:
    """The published groups lisgraph reads a theme as (empty: cross-cutting theme).

    >>> groups_for("financial-services"), groups_for("places")
    (('K (64-66)',), ())
    """
    return THEME_GROUPS.get(theme_id, ())
