"""The analyses on a toy graph whose right answers are worked out by hand (see toygraph.py)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from lisgraph.analysis import assess, boundaries, gaps, opportunities, overlaps, path
from lisgraph.errors import LisgraphError
from lisgraph.model import Edge

from .toygraph import toy_graph


@pytest.fixture
def toy():
    return toy_graph()


def test_overlaps_weight_sector_above_foundation(toy):
    rows = overlaps(toy, "Alpha")
    # A = {s1 (3), f1 (1)}; B = {s1 (3), g1 (2)}; C = {f1 (1)}
    assert [r["code"] for r in rows] == ["E37000002", "E37000003"]
    assert rows[0]["score"] == round(3 / math.sqrt(4 * 5), 4)
    assert rows[1]["score"] == round(1 / math.sqrt(4 * 1), 4)
    assert rows[0]["shared_themes"] == ["Sector one"]
    assert rows[0]["their_priorities"] == ["Beta sector"]


def test_overlaps_theme_filter_and_no_strategy(toy):
    assert [r["code"] for r in overlaps(toy, "Alpha", theme="f1")] == ["E37000003"]
    with pytest.raises(LisgraphError, match="no strategy priorities"):
        overlaps(toy, "D one")


def test_opportunities_by_hand(toy):
    rows = opportunities(toy, max_km=50)
    pairs = {(r["a_name"], r["b_name"]): r for r in rows}
    # A-B share s1; with no date both hold d4, d1 neighbours d2, both are in P and in R2;
    # the U-A collaboration on s1 does not involve B, so it does not cover the pair
    ab = pairs[("Alpha", "Beta")]
    assert (ab["theme_score"], ab["proximity"], ab["score"]) == (3.0, 1.0, 3.0)
    assert ab["reasons"] == ["areas overlap", "neighbouring areas", "both in Partnership P",
                             "same region: Region two", "6.7 km apart"]
    # A-C share f1 and the region R1 only (300 km apart): 1 x 0.5
    ac = pairs[("Alpha", "Gamma")]
    assert (ac["theme_score"], ac["proximity"], ac["score"]) == (1.0, 0.5, 0.5)
    assert ac["reasons"] == ["same region: Region one"]
    assert set(pairs) == {("Alpha", "Beta"), ("Alpha", "Gamma")}  # B-C share nothing
    assert [(r["a_name"], r["b_name"]) for r in opportunities(toy, "Gamma")] == [("Alpha", "Gamma")]
    assert opportunities(toy, "Gamma", theme="s1") == []


def test_a_recorded_collaboration_removes_the_theme(toy):
    toy.add_edge(Edge("E37000001", "collaborates_with", "E37000002", ("toy",),
                      props={"collaboration": "c3", "themes": ["s1"]}))
    assert all(r["b_name"] != "Beta" for r in opportunities(toy))


def test_gaps_by_hand(toy):
    rows = {r["theme"]: r for r in gaps(toy, "Alpha")}
    assert rows["s1"]["status"] == "covered"
    assert rows["s1"]["partners"] == ["University U (10000001)"]
    assert rows["f1"]["status"] == "gap"
    # Q and C work on f1; both sit at d3, 306 km from A's point (the mean of d1 and d4)
    assert rows["f1"]["candidates"] == ["Gamma (E37000003), 306 km", "Organisation Q (org-q), 306 km"]


def test_boundaries_follow_the_date(toy):
    before = boundaries(toy, date(2019, 6, 1))
    after = boundaries(toy, date(2020, 6, 1))
    assert [(r["kind"], r["code"]) for r in before if r["kind"] == "district in two LEPs"] == [
        ("district in two LEPs", "E06000004")]
    assert not [r for r in after if r["kind"] == "district in two LEPs"]
    spanning = {r["code"] for r in before if r["kind"] == "LEP spanning regions"}
    assert spanning == {"E37000001"}  # A has d1 (R1) and d4 (R2) in 2019


def test_path_steps_have_types_and_sources(toy):
    paths = path(toy, "University U", "Beta")
    assert [[s["edge"] for s in p] for p in paths] == [
        ["located_in", "neighbours", "part_of"],
        ["collaborates_with", "<-part_of", "part_of"],
        ["collaborates_with", "member_of", "<-member_of"],
    ]  # in order of the codes along each path: E06..., E37000001 then E06000004 < partnership-p
    assert all(s["sources"] == ["toy"] for p in paths for s in p)
    assert path(toy, "University U", "Gamma", skip_types=("theme", "region", "partnership")) == []


def test_assess_by_hand(toy):
    result = {c["criterion"]: c for c in assess(toy, "Alpha")["strategies"][0]["criteria"]}
    assert result["Evidence"]["result"] == "pass"
    assert result["Focus"]["result"] == "fail"  # one foundation, no Grand Challenge
    assert result["Collaboration"]["result"] == "warn"  # a university, but one kind only
    assert result["Prioritisation"]["result"] == "warn"  # 2 priorities, one foundation-only
    assert result["Evaluation"]["result"] == "warn"
    assert assess(toy, "D one")["strategies"] == []
