"""Bodies with member councils and LEPs beyond England's combined authorities (issue #12 items 1
and 5): Welsh corporate joint committees, Scottish regional economic partnerships, NP11; and
the dates checked against legislation."""

from __future__ import annotations

from collections import Counter
from datetime import date


def _members(g, body):
    return {e.start for e in g.in_edges(body, ["member_of"])}


def test_welsh_corporate_joint_committees_cover_every_welsh_council_once(bundled):
    cjcs = [p for p in bundled.nodes_of_type("partnership")
            if p.props.get("kind") == "corporate joint committee"]
    sizes = {p.id: len(_members(bundled, p.id)) for p in cjcs}
    # the four establishment regulations of 2021: North 6, Mid 2, South West 4, South East 10
    assert sizes == {"north-wales-cjc": 6, "mid-wales-cjc": 2,
                     "south-west-wales-cjc": 4, "south-east-wales-cjc": 10}
    assert {p.props["valid_from"] for p in cjcs} == {date(2021, 4, 1)}
    seen = Counter(m for p in cjcs for m in _members(bundled, p.id))
    welsh = {d.id for d in bundled.nodes_of_type("district") if d.id.startswith("W06")}
    assert set(seen) == welsh and set(seen.values()) == {1}
    assert all(bundled.nodes[m].type == "district" for m in seen)


def test_welsh_councils_are_in_their_joint_committee_on_a_date_and_not_before(bundled):
    cardiff = [e.end for e in bundled.out_edges("W06000015", ["member_of"], date(2022, 1, 1))]
    assert "south-east-wales-cjc" in cardiff
    before = [e.end for e in bundled.out_edges("W06000015", ["member_of"], date(2021, 3, 31))]
    assert "south-east-wales-cjc" not in before


def test_scottish_regional_economic_partnerships_have_scottish_council_members(bundled):
    reps = {p.id: _members(bundled, p.id) for p in bundled.nodes_of_type("partnership")
            if p.props.get("kind") == "regional economic partnership"}
    assert {k: len(v) for k, v in reps.items()} == {"glasgow-city-region-rep": 8, "ayrshire-rep": 3,
                                                    "south-of-scotland-rep": 2}
    assert all(m.startswith("S12") and bundled.nodes[m].type == "district"
               for v in reps.values() for m in v)
    assert "S12000049" in reps["glasgow-city-region-rep"]           # Glasgow City


def test_np11_members_are_northern_leps_as_sourced(bundled):
    members = _members(bundled, "np11")
    assert all(bundled.nodes[m].type == "lep" for m in members)
    # four of the eleven are named by the pages read (Leeds City Region, Cheshire and
    # Warrington, Lancashire, Cumbria); never more than eleven
    assert {"E37000062", "E37000003", "E37000019", "E37000007"} <= members
    assert 4 <= len(members) <= 11


def test_york_and_north_yorkshire_established_when_its_order_came_into_force(bundled):
    ca = bundled.nodes["E47000012"]
    assert ca.props["valid_from"] == date(2023, 12, 20)
    assert "off-hansard-ynyca-2023" in ca.sources
