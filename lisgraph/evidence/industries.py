"""Published GVA industry groups, location quotients and IS-8 sectors built from them.

A location quotient (LQ) is an area's share of GVA in an industry group divided by the UK's
share, where the UK is the sum of all districts in the table:

    LQ(area, g) = (GVA(area, g) / GVA(area, total)) / (sum_d GVA(d, g) / sum_d GVA(d, total))

A body's GVA is the sum of its member districts (GVA in £ million is additive). A group with a
suppressed cell in any member has no LQ (unknown, never zero); the UK sums leave suppressed
cells out. pandas is imported inside the functions.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..assets import loaders_dir
from .observations import EvidenceError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["IndustryGroup", "industry_groups", "gva_by_industry", "location_quotients",
           "is8_sectors", "sector_groups", "sector_lq", "lq_profile_similarity", "SECTIONS",
           "NOT_STRENGTHS"]

#: groups that partition the economy (the SIC 2007 sections as ONS publishes them)
SECTIONS = ("AB (1-9)", "C (10-33)", "DE (35-39)", "F (41-43)", "G (45-47)", "H (49-53)",
            "I (55-56)", "J (58-63)", "K (64-66)", "L (68)", "M (69-75)", "N (77-82)",
            "O (84)", "P (85)", "Q (86-88)", "R (90-93)", "S (94-96)", "T (97-98)")
#: groups never read as a strength: the whole economy, its production/services halves, and
#: owner-occupiers' imputed rent (housing, not an industry) — lisgraph's choice
NOT_STRENGTHS = ("Total", "A-E", "G-T", "68IMP", "L (68)", "68")
_RANGE = re.compile(r"(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class IndustryGroup:
    code: str
    label: str
    level: str  # total, sector, section, subsection, division
    divisions: frozenset[int]  # SIC 2007 divisions it covers exactly (empty: partial)


def _divisions(code: str) -> tuple[str, frozenset[int]]:
    if code == "Total":
        return "total", frozenset(range(1, 100))
    if code in ("A-E", "G-T"):
        return "sector", frozenset(range(1, 40)) if code == "A-E" else frozenset(range(45, 99))
    if code in ("68", "68IMP"):
        return "division", frozenset()  # part of division 68 only
    inner = code[code.index("(") + 1:-1] if "(" in code else code
    m = _RANGE.match(inner.strip())
    if not m:
        return "division", frozenset()
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if "(" not in code:
        return "division", frozenset(range(lo, hi + 1))
    return ("section" if code in SECTIONS else "subsection"), frozenset(range(lo, hi + 1))


@lru_cache(maxsize=1)
def industry_groups() -> dict[str, IndustryGroup]:
    """The 49 published groups, by code, with ONS's labels."""
    text = loaders_dir().joinpath("evidence").joinpath("industry_groups.csv").read_text("utf-8")
    out = {}
    for r in csv.DictReader(io.StringIO(text)):
        level, divs = _divisions(r["sic07"])
        out[r["sic07"]] = IndustryGroup(r["sic07"], r["label"], level, divs)
    return out


@lru_cache(maxsize=1)
def gva_by_industry() -> pd.DataFrame:
    """The bundled GVA by industry (area, sic07, year, value; £ million, current prices)."""
    import pandas as pd

    f = loaders_dir().joinpath("evidence").joinpath("gva_industry.csv")
    with f.open("rb") as fh:
        frame = pd.read_csv(fh, dtype={"area": str, "sic07": str, "year": int,
                                       "value": float})
    return frame


def location_quotients(frame: pd.DataFrame, codes: list[str], year: int) -> pd.DataFrame:
    """LQs of the area made of district ``codes`` in ``year``, one row per group.

    Columns: sic07, gva (£m, NaN where a member's cell is suppressed), share, uk_share, lq.

    Examples
    --------
    A toy economy of two districts and two industries (X, Y) besides the total:

    >>> import pandas as pd
    >>> toy = pd.DataFrame([("A", "Total", 2023, 100.0), ("A", "X", 2023, 60.0),
    ...     ("A", "Y", 2023, 40.0), ("B", "Total", 2023, 300.0), ("B", "X", 2023, 60.0),
    ...     ("B", "Y", 2023, 240.0)], columns=["area", "sic07", "year", "value"])
    >>> lq = location_quotients(toy, ["A"], 2023).set_index("sic07")["lq"]
    >>> round(float(lq["X"]), 4), round(float(lq["Y"]), 4)   # (60/100)/(120/400), (40/100)/(280/400)
    (2.0, 0.5714)
    """
    wide = _wide(frame, year)
    missing = [c for c in codes if c not in wide.index]
    if missing:
        raise EvidenceError(f"no GVA by industry for {', '.join(missing)} in {year}")
    uk = wide.sum(axis=0, skipna=True)
    uk_share = uk / uk["Total"]
    part = wide.loc[codes]
    gva = part.sum(axis=0, skipna=False)  # NaN where any member is suppressed
    share = gva / gva["Total"]
    out = (share / uk_share).rename("lq").to_frame()
    out["gva"], out["share"], out["uk_share"] = gva, share, uk_share
    out.index.name = "sic07"
    return out.reset_index()[["sic07", "gva", "share", "uk_share", "lq"]]


_WIDE: dict[tuple[int, int], tuple[Any, Any]] = {}


def _wide(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Areas x groups for one year (cached per frame and year: strengths and similarity ask
    for many areas of the same table)."""
    key = (id(frame), year)
    hit = _WIDE.get(key)
    if hit is not None and hit[0] is frame:
        return hit[1]
    year_rows = frame[frame["year"] == year]
    if year_rows.empty:
        raise EvidenceError(f"no GVA by industry for {year}")
    wide = year_rows.set_index(["area", "sic07"])["value"].unstack("sic07")
    if len(_WIDE) > 8:
        _WIDE.clear()
    _WIDE[key] = (frame, wide)
    return wide


@lru_cache(maxsize=1)
def is8_sectors() -> dict[str, dict[str, list[str]]]:
    """IS-8 sectors (and the foundational industries) with their SIC codes by tier."""
    text = loaders_dir().joinpath("evidence").joinpath("is8_sectors.csv").read_text("utf-8")
    out: dict[str, dict[str, list[str]]] = {}
    for r in csv.DictReader(io.StringIO(text)):
        tiers = out.setdefault(r["sector"], {})
        tiers.setdefault(r["tier"], [])
        if r["sic_code"]:
            tiers[r["tier"]].append(r["sic_code"])
    return out


def sector_groups(sector: str) -> tuple[list[str] | None, str]:
    """The published groups whose union is ``sector``'s SIC definition, or (None, why).

    A sector qualifies only when every SIC code government lists for it (core and frontier)
    lies in whole 2-digit divisions of the sector, and those divisions are exactly a union of
    published groups.

    >>> sector_groups("Financial Services")[0]
    ['K (64-66)']
    >>> sector_groups("Life Sciences")[0] is None
    True
    """
    tiers = is8_sectors().get(sector)
    if tiers is None:
        raise EvidenceError(f"unknown IS-8 sector '{sector}' — use one of "
                            f"{', '.join(is8_sectors())}")
    codes = [c for t in tiers.values() for c in t]
    if not codes:
        return None, "not computable from published GVA groups: government gives no SIC codes"
    divisions = {int(c) for c in codes if len(c) == 2}
    partial = sorted(c for c in codes if len(c) > 2 and int(c[:2]) not in divisions)
    if partial:
        return None, ("not computable from published GVA groups: defined partly by SIC "
                      f"classes below division level ({', '.join(partial[:4])}"
                      f"{'…' if len(partial) > 4 else ''})")
    remaining, chosen = set(divisions), []
    groups = sorted((g for g in industry_groups().values()
                     if g.level in ("section", "subsection", "division") and g.divisions),
                    key=lambda g: -len(g.divisions))
    for g in groups:
        if g.divisions <= remaining:
            chosen.append(g.code)
            remaining -= g.divisions
    if remaining:
        return None, ("not computable from published GVA groups: divisions "
                      f"{', '.join(str(d) for d in sorted(remaining))} are published only "
                      "within wider groups")
    return sorted(chosen), "union of published groups " + ", ".join(sorted(chosen))


def sector_lq(lqs: pd.DataFrame, groups: list[str]) -> float | None:
    """An IS-8 sector's LQ from a :func:`location_quotients` frame and its groups."""
    rows = lqs.set_index("sic07").loc[groups]
    if rows["gva"].isna().any():
        return None
    total = lqs.set_index("sic07").loc["Total"]
    share = rows["gva"].sum() / total["gva"]
    uk = rows["uk_share"].sum()
    return float(share / uk)


def lq_profile_similarity(profiles: dict[str, Any]) -> tuple[list[str], Any]:
    """Cosine similarity of LQ profiles: ``(areas, matrix)``.

    ``profiles`` maps an area to its LQs by section (a mapping or pandas Series over
    :data:`SECTIONS`). Each profile is centred on the UK (LQ − 1) before the cosine, since raw
    LQ vectors all lie near (1, …, 1) and would look alike; sections with an unknown LQ in
    either area are left out of that pair's cosine.

    >>> names, m = lq_profile_similarity({"A": {"C (10-33)": 2.0, "K (64-66)": 0.5},
    ...     "B": {"C (10-33)": 1.5, "K (64-66)": 0.8}, "C": {"C (10-33)": 0.5, "K (64-66)": 2.0}})
    >>> names, round(float(m[0][1]), 3), round(float(m[0][2]), 3)
    (['A', 'B', 'C'], 0.997, -0.8)
    """
    import numpy as np

    names = sorted(profiles)
    keys = sorted({k for p in profiles.values() for k in dict(p)})
    x = np.array([[float(dict(profiles[n]).get(k, np.nan)) for k in keys] for n in names]) - 1.0
    known = ~np.isnan(x)
    x0 = np.where(known, x, 0.0)
    n = len(names)
    out = np.zeros((n, n))
    for i in range(n):  # pairwise masks: bodies are few (tens), a dense loop over rows suffices
        both = known & known[i]
        num = (x0 * x0[i]).sum(axis=1)
        den = np.sqrt(((x0 ** 2) * both).sum(axis=1) * ((x0[i] ** 2) * both).sum(axis=1))
        out[i] = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    return names, out
