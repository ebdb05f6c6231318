"""The analyses on a toy graph whose right answers are worked out by hand (see toygraph.py)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from lisgraph.analysis import assess, boundaries, gaps, opportunities, overlaps, path
from lisgraph.analysis.index import distance_km
from lisgraph.errors import LisgraphError
from lisgraph.model import Edge

from .toygraph import toy_graph


@pytest.fixture
def toy():
    return toy_graph()


def test_overlaps_weight_sector_above_foundation(toy):
    rows = overlaps(toy, "Alpha")
    # A = {s1, f1}; B = {s1, g1}; C = {f1}. Three strategies: s1 and f1 are declared by two,
    # g1 by one, so distinctiveness is 1 + ln(4/3) for s1 and f1 and 1 + ln(4/2) for g1;
    # each is multiplied by the scheme weight (sector 3, Grand Challenge 2, foundation 1)
    common, rare = 1 + math.log(4 / 3), 1 + math.log(2)
    s1, f1, g1 = 3 * common, 1 * common, 2 * rare
    assert [r["code"] for r in rows] == ["E37000002", "E37000003"]
    assert rows[0]["score"] == round(s1 / math.sqrt((s1 + f1) * (s1 + g1)), 4)
    assert rows[1]["score"] == round(f1 / math.sqrt((s1 + f1) * f1), 4)
    assert rows[0]["shared_themes"] == ["Sector one"]
    assert rows[0]["their_priorities"] == ["Beta sector"]
    assert rows[0]["meets"] == [{"ours": "Alpha sector", "theirs": "Beta sector",
                                 "themes": ["Sector one"]}]


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
    assert rows["s1"]["status"] == "partnered"
    assert rows["s1"]["partners"] == ["University U (10000001)"]
    assert rows["f1"]["status"] == "no recorded partner"
    assert rows["f1"]["located"] == ["University U (10000001)"]  # in A, not recorded on f1
    # Q and C work on f1; both sit at d3, 306 km from A's point (the mean of d1 and d4):
    # beyond the default 50 km, so no candidate, and the note names the nearest (tie by code)
    assert rows["f1"]["candidates"] == []
    assert rows["f1"]["note"] == ("no body recorded on this theme within 50 km; the nearest is "
                                  "Gamma (E37000003), 306 km")
    far = {r["theme"]: r for r in gaps(toy, "Alpha", max_km=400)}
    km = round(distance_km((52.95, -1.95), (55.7, -2.0)), 1)  # A's mean point to d3
    assert [(c["code"], c["distance_km"]) for c in far["f1"]["candidates"]] == [
        ("E37000003", km), ("org-q", km)]
    assert far["f1"]["candidates"][1]["recorded_with"] == ["Gamma (E37000003)"]


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
    # cheapest first: U-A-d4-B costs 3 (relationships cost 1); U-A-P-B also costs 3 but
    # differs only at the last hop, so it is not another route; U-d1-d2-B costs 5 (a
    # neighbour step costs 3) and is the next route of its own
    assert [[s["edge"] for s in p] for p in paths] == [
        ["collaborates_with", "<-part_of", "part_of"],
        ["located_in", "neighbours", "part_of"],
    ]
    assert [sum(s["cost"] for s in p) for p in paths] == [3.0, 5.0]
    assert all(s["sources"] == ["toy"] for p in paths for s in p)
    with pytest.raises(LisgraphError, match="at least 1"):
        path(toy, "University U", "Beta", limit=0)
    assert path(toy, "University U", "Gamma", skip_types=("theme", "region", "partnership")) == []


def test_assess_by_hand(toy):
    result = {c["criterion"]: c for c in assess(toy, "Alpha")["strategies"][0]["criteria"]}
    assert result["Agreement"]["result"] == "pass"  # published
    assert result["Evidence"]["result"] == "unknown"  # a link: recorded, not reviewed
    assert result["Evidence"]["basis"] == "recorded, not reviewed"
    assert result["Focus"]["result"] == "pass"  # the toy's one foundation and a sector
    assert result["Collaboration"]["result"] == "pass"  # U within A's area, P across
    assert result["Prioritisation"]["result"] == "warn"  # 2 priorities, one foundation-only
    assert result["Evaluation"]["result"] == "unknown"  # nothing recorded
    beta = {c["criterion"]: c for c in assess(toy, "Beta")["strategies"][0]["criteria"]}
    assert beta["Agreement"]["result"] == "warn" and "not agreed" in beta["Agreement"]["reason"]
    assert assess(toy, "D one")["strategies"] == []
