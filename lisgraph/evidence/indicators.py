"""The indicators lisgraph bundles, and the rule that says how a body's figure may be made.

A body's figure is the value ONS publishes for its own code where there is one; otherwise it
is derived from its member districts only where the measure is *additive* (a total such as
GVA in £ million, or a count such as active businesses). Ratios per head, per hour or per job,
rates and medians are never averaged across districts: a median does not combine, and a
ratio or rate needs each member's denominator, which these files do not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Indicator", "INDICATORS", "ESS_NAMES", "UK_CODES", "indicator"]


@dataclass(frozen=True)
class Indicator:
    """One indicator: its id, label, unit, kind and where bundled values come from.

    ``kind`` is ``total`` or ``count`` (additive: a body's figure may be summed from its
    districts), ``ratio``, ``rate`` or ``median`` (never derived; ``refusal`` says why).
    """

    id: str
    label: str
    unit: str
    kind: str
    baseline_year: int
    source: str
    ess_file: str = ""
    ess_name: str = ""
    refusal: str = ""
    decimals: int = 1

    @property
    def additive(self) -> bool:
        return self.kind in ("total", "count")


_MEDIAN = ("a median does not combine: a body's median is not any average of its districts' "
           "medians")


def _needs(what: str) -> str:
    return (f"a ratio is not averaged: it needs each district's {what}, which the ONS files "
            "do not hold")


INDICATORS: dict[str, Indicator] = {i.id: i for i in (
    Indicator("gva-per-hour", "GVA per hour worked", "£", "ratio", 2017,
              "ons-ess-gva-productivity", "gross-value-added",
              "Gross value added per hour worked", _needs("hours worked")),
    Indicator("gva-per-job", "GVA per filled job", "£", "ratio", 2017,
              "ons-ess-gva-productivity", "gross-value-added",
              "Gross value added per filled job", _needs("filled jobs"), 0),
    Indicator("median-weekly-pay", "Median gross weekly pay", "£", "median", 2017,
              "ons-ess-median-pay", "gross-median-weekly-pay", "Gross median weekly pay",
              _MEDIAN),
    Indicator("employment-rate", "Employment rate, aged 16-64", "%", "rate", 2017,
              "ons-ess-employment-rate", "employment-rate", "Employment rate",
              _needs("population aged 16-64")),
    Indicator("rqf3-share", "Aged 16-64 with RQF3 or above", "%", "rate", 2022,
              "ons-ess-rqf3", "qualifications-level-3-or-above",
              "Level 3 or above qualifications (Great Britain)",
              _needs("population aged 16-64")),
    Indicator("business-births", "Business births, % of active businesses", "%", "rate", 2019,
              "ons-ess-business-demography", "business-demography", "Business births",
              _needs("count of active businesses and births")),
    Indicator("business-deaths", "Business deaths, % of active businesses", "%", "rate", 2019,
              "ons-ess-business-demography", "business-demography", "Business deaths",
              _needs("count of active businesses and deaths")),
    Indicator("high-growth-businesses", "High-growth businesses, % of businesses", "%",
              "rate", 2019, "ons-ess-business-demography", "business-demography",
              "High growth businesses", _needs("count of businesses with 10 or more employees")),
    Indicator("active-businesses", "Active businesses", "enterprises", "count", 2019,
              "ons-ess-business-demography", "business-demography", "Active businesses",
              decimals=0),
    Indicator("gdhi-per-head", "Gross disposable household income per head", "£", "ratio",
              2017, "ons-ess-gdhi", "gross-disposable-household-income-per-head",
              "Gross disposable household income", _needs("population"), 0),
    Indicator("gva", "GVA, current prices", "£ million", "total", 2017, "ons-rgva-lad-2025",
              decimals=0),
)}

#: the ONS Explore Local Statistics indicator names lisgraph recognises, to their ids
ESS_NAMES = {i.ess_name: i.id for i in INDICATORS.values() if i.ess_name}
#: the UK comparator for "UK = 100", in order of preference (ONS publishes GVA per hour and
#: per job for the UK less extra-regio, K99000002, not for K02000001)
UK_CODES = ("K02000001", "K99000002")


def indicator(indicator_id: str) -> Indicator:
    """The indicator with this id; unknown ids raise :class:`~lisgraph.errors.LisgraphError`."""
    from ..errors import LisgraphError

    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise LisgraphError(f"unknown indicator '{indicator_id}' — use one of "
                            f"{', '.join(INDICATORS)}") from None
