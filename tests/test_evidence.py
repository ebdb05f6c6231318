"""The evidence layer: figures equal the ONS files, bodies' figures follow the rules, location
quotients, and the reference figures of issue 13."""

from __future__ import annotations

import csv
import gzip
from datetime import date

import pytest

from lisgraph.evidence.bodies import CodeChanges, figure, members_on
from lisgraph.evidence.industries import (
    gva_by_industry,
    location_quotients,
    sector_groups,
    sector_lq,
)
from lisgraph.evidence.observations import (
    EvidenceIndex,
    Observation,
    bundled_index,
    period_bounds,
    pick,
)
from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source


def _ess_value(shared, name, area, indicator, period):
    with open(shared / "evidence/ess" / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if (r["areacd"], r["indicator"], r["period"]) == (area, indicator, period):
                return r
    raise AssertionError(f"{area} {indicator} {period} not in {name}.csv")


def _rgva(shared, year):
    out = {}
    path = shared / "evidence/rgva_lad/rgva_lad_current_prices_1998_2023.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] == str(year):
                out[(r["LADCD"], r["SIC07"])] = r["gva_current_prices_gbp_m"]
    return out


# -- three areas equal the source files exactly -------------------------------------------

def test_district_value_equals_source_after_recode(bundled, shared):
    """Sheffield: ONS publishes GVA per hour under the obsolete code E08000019; lisgraph gives
    it for the current code E08000039 (one-to-one recode), value unchanged."""
    row = _ess_value(shared, "gross-value-added", "E08000019",
                     "Gross value added per hour worked", "2023-01-01/P1Y")
    assert "replaced by E08000039" in row["notes"]
    f = figure(bundled_index(), bundled, bundled.nodes["E08000039"], "gva-per-hour")
    assert (f.method, f.period) == ("published", "2023-01-01/P1Y")
    assert f.value == float(row["observation"])
    # the node for the old code answers with the same published figure
    old = figure(bundled_index(), bundled, bundled.nodes["E08000019"], "gva-per-hour",
                 date(2024, 1, 1))
    assert old.value == float(row["observation"]) and old.code == "E08000039"


def test_combined_authority_published_value_equals_source(bundled, shared):
    row = _ess_value(shared, "gross-value-added", "E47000001",
                     "Gross value added per hour worked", "2023-01-01/P1Y")
    f = figure(bundled_index(), bundled, bundled.nodes["E47000001"], "gva-per-hour")
    assert f.method == "published" and f.value == float(row["observation"])
    assert f.sources == ("ons-ess-gva-productivity",)


def test_lep_gva_is_the_sum_of_its_districts_on_the_date(bundled, shared):
    day = date(2022, 6, 1)
    lep = bundled.nodes["E37000015"]  # Greater Manchester LEP
    members = members_on(bundled, lep.id, day)
    assert len(members) == 10
    source = _rgva(shared, 2021)
    expected = sum(float(source[(m, "Total")]) for m in members)
    f = figure(bundled_index(), bundled, lep, "gva", day)
    assert (f.method, f.period) == ("derived", "2021-01-01/P1Y")
    assert f.value == expected and set(f.members) == set(members)


# -- suppressed cells, refusals -------------------------------------------------------------

def test_suppressed_cell_stays_missing(bundled, shared):
    # Isles of Scilly's employment rate is suppressed ('x') in the ONS file
    row = _ess_value(shared, "employment-rate", "E06000053", "Employment rate", "2019-01-01/P1Y")
    assert row["observation"] == "" and row["status"] == "x"
    f = figure(bundled_index(), bundled, bundled.nodes["E06000053"], "employment-rate",
               date(2020, 1, 1))
    assert f.period == "2019-01-01/P1Y" and f.value is None and f.method == "suppressed"
    assert f.status == "x"


def _toy(suppressed: bool = False):
    g = KnowledgeGraph()
    g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    for n in (Node("L", "lep", "L", ("s",)), Node("A", "district", "A", ("s",)),
              Node("B", "district", "B", ("s",))):
        g.add_node(n)
    g.add_edge(Edge("A", "part_of", "L", ("s",), date(2015, 1, 1)))
    g.add_edge(Edge("B", "part_of", "L", ("s",), date(2015, 1, 1), date(2020, 12, 31)))
    obs = [Observation("A", "gva", "2019-01-01/P1Y", 10.0, source="x"),
           Observation("B", "gva", "2019-01-01/P1Y", None if suppressed else 5.0, status="c"
                       if suppressed else "", source="x"),
           Observation("A", "gva", "2023-01-01/P1Y", 12.0, source="x"),
           Observation("B", "gva", "2023-01-01/P1Y", 6.0, source="x")]
    return g, EvidenceIndex(obs)


def test_sum_with_a_suppressed_member_is_not_given():
    g, idx = _toy(suppressed=True)
    f = figure(idx, g, g.nodes["L"], "gva", date(2020, 6, 1), CodeChanges())
    assert f.method == "suppressed" and f.value is None and "B" in f.reason


def test_members_follow_the_date():
    g, idx = _toy()
    assert figure(idx, g, g.nodes["L"], "gva", date(2020, 6, 1), CodeChanges()).value == 15.0
    later = figure(idx, g, g.nodes["L"], "gva", date(2024, 6, 1), CodeChanges())
    assert (later.value, later.members) == (12.0, ("A",))


def test_lep_gva_per_hour_is_refused_with_the_reason(bundled):
    f = figure(bundled_index(), bundled, bundled.nodes["E37000015"], "gva-per-hour",
               date(2022, 6, 1))
    assert f.method == "refused" and f.value is None and "hours worked" in f.reason


def test_median_is_never_averaged(bundled):
    f = figure(bundled_index(), bundled, bundled.nodes["E37000015"], "median-weekly-pay",
               date(2022, 6, 1))
    assert f.method == "refused" and "median does not combine" in f.reason


def test_merged_districts_are_used_only_when_all_are_members():
    g = KnowledgeGraph()
    g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    for n in ("L1", "L2"):
        g.add_node(Node(n, "lep", n, ("s",)))
    for n in ("O1", "O2", "N"):
        g.add_node(Node(n, "district", n, ("s",)))
    g.add_edge(Edge("O1", "part_of", "L1", ("s",)))
    g.add_edge(Edge("O2", "part_of", "L1", ("s",)))
    g.add_edge(Edge("O1", "part_of", "L2", ("s",)))
    changes = CodeChanges(merged_into={"O1": "N", "O2": "N"}, merged_from={"N": {"O1", "O2"}})
    idx = EvidenceIndex([Observation("N", "gva", "2023-01-01/P1Y", 7.0, source="x")])
    whole = figure(idx, g, g.nodes["L1"], "gva", date(2024, 6, 1), changes)
    assert (whole.method, whole.value) == ("derived", 7.0)
    part = figure(idx, g, g.nodes["L2"], "gva", date(2024, 6, 1), changes)
    assert part.method == "refused" and "O2" in part.reason


# -- periods --------------------------------------------------------------------------------

def test_period_answering_a_date():
    s = [Observation("A", "x", p, 1.0) for p in ("2017-04-19", "2019-04-17", "2023-01-01/P1Y")]
    assert pick(s, date(2019, 4, 16)).period == "2017-04-19"
    assert pick(s, date(2019, 4, 17)).period == "2019-04-17"
    assert pick(s, date(2023, 12, 30)).period == "2019-04-17"
    assert pick(s, None).period == "2023-01-01/P1Y"
    assert period_bounds("2023-01-01/P1Y")[1] == date(2023, 12, 31)


# -- location quotients ---------------------------------------------------------------------

def test_location_quotients_of_a_toy_economy():
    import pandas as pd

    # three districts, industries X and Y; Total is the sum. UK: X 50, Y 150, Total 200
    rows = [("A", "Total", 2023, 40.0), ("A", "X", 2023, 20.0), ("A", "Y", 2023, 20.0),
            ("B", "Total", 2023, 60.0), ("B", "X", 2023, 0.0), ("B", "Y", 2023, 60.0),
            ("C", "Total", 2023, 100.0), ("C", "X", 2023, 30.0), ("C", "Y", 2023, 70.0)]
    toy = pd.DataFrame(rows, columns=["area", "sic07", "year", "value"])
    a = location_quotients(toy, ["A"], 2023).set_index("sic07")
    assert a.loc["X", "lq"] == pytest.approx((20 / 40) / (50 / 200))  # 2.0
    assert a.loc["Y", "lq"] == pytest.approx((20 / 40) / (150 / 200))  # 0.667
    ab = location_quotients(toy, ["A", "B"], 2023).set_index("sic07")
    assert ab.loc["X", "lq"] == pytest.approx((20 / 100) / (50 / 200))  # 0.8
    assert ab.loc["X", "gva"] == 20.0


def test_suppressed_industry_cell_gives_an_unknown_lq_not_zero():
    import pandas as pd

    rows = [("A", "Total", 2023, 40.0), ("A", "X", 2023, None), ("B", "Total", 2023, 60.0),
            ("B", "X", 2023, 6.0)]
    toy = pd.DataFrame(rows, columns=["area", "sic07", "year", "value"])
    lq = location_quotients(toy, ["A", "B"], 2023).set_index("sic07")
    assert pd.isna(lq.loc["X", "lq"]) and pd.isna(lq.loc["X", "gva"])


def test_sheffield_education_lq_reference():
    lq = location_quotients(gva_by_industry(), ["E08000039"], 2023).set_index("sic07")
    assert round(float(lq.loc["P (85)", "lq"]), 2) == 2.08


def test_greater_manchester_gva_per_hour_reference(bundled):
    f = figure(bundled_index(), bundled, bundled.nodes["E47000001"], "gva-per-hour")
    assert f.period == "2023-01-01/P1Y" and round(f.value, 1) == 39.8


def test_is8_sector_only_where_a_union_of_published_groups():
    assert sector_groups("Financial Services")[0] == ["K (64-66)"]
    groups, why = sector_groups("Professional and Business Services")
    assert groups is None and "not computable from published GVA groups" in why
    lqs = location_quotients(gva_by_industry(), ["E09000001"], 2023)  # City of London
    k = lqs.set_index("sic07").loc["K (64-66)", "lq"]
    assert sector_lq(lqs, ["K (64-66)"]) == pytest.approx(float(k))


# -- evidence in the questions --------------------------------------------------------------

def test_lq_profile_similarity_is_the_cosine_of_centred_profiles():
    from lisgraph.evidence.industries import lq_profile_similarity

    names, m = lq_profile_similarity({"A": {"C (10-33)": 2.0, "K (64-66)": 0.5},
                                      "B": {"C (10-33)": 3.0, "K (64-66)": 0.0},
                                      "C": {"C (10-33)": 1.0, "K (64-66)": 1.0}})
    assert names == ["A", "B", "C"]
    # A - 1 = (1, -0.5), B - 1 = (2, -1): same direction -> 1; C is the UK structure -> 0
    assert m[0][1] == pytest.approx(1.0) and m[0][2] == 0.0


def test_evidenced_similarity_ranks_bodies_by_profile(bundled):
    from lisgraph.evidence.checks import evidenced_similarity

    rows = evidenced_similarity(bundled.at(date(2022, 6, 1)), bundled.nodes["E47000001"],
                                date(2022, 6, 1))
    top = rows[0]
    # the Greater Manchester LEP covers the same ten districts: identical profile
    assert top["code"] == "E37000015" and top["similarity"] == pytest.approx(1.0)
    assert all(-1.0 <= r["similarity"] <= 1.0 for r in rows)
    assert rows == sorted(rows, key=lambda r: (-r["similarity"], r["code"]))
    assert {r["year"] for r in rows} == {2017}


def test_evidence_checks_of_a_strategy(bundled):
    from lisgraph.evidence.checks import evidence_checks

    checks = {c["criterion"].split(" (")[0]: c for c in evidence_checks(bundled, bundled.nodes[
        "lis-greater-manchester"])}
    assert checks["Evidence"]["result"] == "pass" and "2019-06-13" in checks["Evidence"]["reason"]
    focus = checks["Focus"]
    assert focus["result"] in ("pass", "warn", "fail") and "GVA 2017" in focus["reason"]
    assert checks["Evaluation"]["result"] == "unknown"
    assert "not attribution" in checks["Evaluation"]["reason"]
    assert "(2018-01-01/P1Y) → 39.8 (2023-01-01/P1Y)" in checks["Evaluation"]["reason"]
