"""The UK beyond England: council areas, ITL areas, City and Growth Deals, collaborations as nodes."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from lisgraph import load_graph
from lisgraph.collaborations import collaboration_pairs, pairs_of
from lisgraph.errors import LisgraphError
from lisgraph.rdf.vocabulary import node_iri

COUNTRY = {"S12": "Scotland", "W06": "Wales", "N09": "Northern Ireland"}


def _lookup(shared):
    path = shared / "geography_uk" / "lad24_itl25_uk.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_uk_districts_by_country_match_the_ons_lookup(bundled, shared):
    lookup = _lookup(shared)
    codes = {r["LAD24CD"] for r in lookup if r["LAD24CD"][:3] in COUNTRY}
    ours = {n.id for n in bundled.nodes_of_type("district") if n.id[:3] in COUNTRY}
    assert Counter(COUNTRY[c[:3]] for c in ours) == {"Scotland": 32, "Wales": 22,
                                                    "Northern Ireland": 11}
    assert ours == codes  # 100 % of the lookup's codes, nothing else
    for code in ours:
        node = bundled.nodes[code]
        assert 49.8 < node.props["lat"] < 61.0 and -8.3 < node.props["lon"] < -0.7, node


def test_every_uk_district_is_in_its_itl1_itl2_itl3_of_january_2025(bundled, shared):
    day = date(2025, 2, 1)  # in force from 1 January 2025; Sheffield's code changed in April
    for r in _lookup(shared):
        lad = bundled.canonical_id(r["LAD24CD"])
        bodies = {e.end for e in bundled.out_edges(lad, ["part_of"], day)}
        assert {r["itl1"], r["itl2"], r["itl3"]} <= bodies, r["LAD24NM"]
    sheffield_now = {e.end for e in bundled.out_edges("E08000039", ["part_of"], date(2025, 6, 1))}
    assert {"TLE", "TLE3", "TLE32"} <= sheffield_now
    itl = Counter(n.props["level"] for n in bundled.nodes_of_type("itl_area"))
    assert itl == {1: 12, 2: 46, 3: 182}
    # ITL codes are not GSS codes: lisgraph's own IRIs
    assert node_iri("itl_area", "TLM").startswith("https://w3id.org/lisgraph/id/itl_area/")
    assert not bundled.out_edges("S12000049", ["part_of"], date(2024, 6, 1))  # not before 2025


def test_north_ayrshire_sits_in_two_itl3_areas(bundled):
    itl3 = {e.end for e in bundled.out_edges("S12000021", ["part_of"])
            if bundled.nodes[e.end].props.get("level") == 3}
    assert itl3 == {"TLM20", "TLM93"}  # Arran and Cumbrae is in Highlands and Islands


def test_old_council_slugs_still_resolve_to_the_districts(bundled):
    assert bundled.canonical_id("cardiff-council") == "W06000015"
    assert bundled.canonical_id("scottish-borders-council") == "S12000026"
    assert bundled.nodes["W06000015"].type == "district"
    assert "cardiff-council" not in bundled.nodes


def test_a_user_file_naming_an_old_slug_loads(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "id,publisher,title,url,vintage,licence\nmine,Me,My survey,,2024,CC0-1.0\n", encoding="utf-8")
    (tmp_path / "partners.csv").write_text(
        "body,partner,valid_from,valid_to,source\nE37000037,newport-city-council,,,mine\n",
        encoding="utf-8")
    g = load_graph([tmp_path])
    assert [e.end for e in g.out_edges("E37000037", ["partner_of"])] == ["W06000022"]


def _family(g, node):
    if node.props.get("kind") in ("city_region_deal", "regional_growth_deal"):
        return "Scotland"
    if node.props.get("kind") not in ("city_deal", "growth_deal"):
        return None
    prefixes = {e.start[:3] for e in g.in_edges(node.id, ["party_to"])}
    for prefix, country in COUNTRY.items():
        if prefix in prefixes:
            return country
    return "England"


def test_deal_families_uk_wide(bundled):
    deals = [n for n in bundled.nodes_of_type("collaboration") if _family(bundled, n)]
    families = Counter(_family(bundled, n) for n in deals)
    assert families["Scotland"] == 12  # six City Region Deals and six Regional Growth Deals
    assert families["Wales"] == 4
    assert families["Northern Ireland"] == 4
    english = [n for n in deals if _family(bundled, n) == "England"]
    assert len(english) == 28  # waves 1 (8) and 2 (20) as sourced
    for n in deals:
        assert n.sources and len(bundled.in_edges(n.id, ["party_to"])) >= 1, n.id


def test_deal_dates_and_partners_as_sourced(bundled):
    belfast = bundled.nodes["belfast-region-city-deal"]
    assert belfast.props["date"] == date(2021, 12, 15)
    assert belfast.props["valid_from"] == date(2019, 3, 26)
    parties = {e.start for e in bundled.in_edges(belfast.id, ["party_to"])}
    assert {"N09000003", "10005343", "10007807"} <= parties and len(parties) == 8
    ayrshire = {e.start for e in bundled.in_edges("ayrshire-growth-deal", ["party_to"])}
    assert ayrshire == {"S12000008", "S12000021", "S12000028"}


def test_a_ten_partner_deal_is_one_node_not_45_edges(bundled):
    deal = bundled.nodes["cardiff-capital-region-city-deal"]
    assert deal.type == "collaboration"
    parties = bundled.in_edges(deal.id, ["party_to"])
    assert len(parties) == 10
    assert not [e for e in bundled.edges if e.type == "collaborates_with"]
    pairs = [p for p in collaboration_pairs(bundled) if p.collaboration == deal.id]
    assert len(pairs) == 45  # derived where an analysis needs pairs, not stored
    assert all(p.name == deal.name for p in pairs)


def test_pairs_hold_only_while_both_parties_exist(bundled):
    # Bournemouth and Poole were replaced on 1 April 2019: their deal pair ends the day before
    (pair,) = [p for p in collaboration_pairs(bundled)
               if p.collaboration == "bournemouth-poole-city-deal"]
    assert pair.valid_to == date(2019, 3, 31)
    assert not [p for p in pairs_of(bundled, "E06000028", date(2020, 1, 1))]


def test_profile_lists_deal_partners_through_the_deal(bundled):
    from lisgraph.profiles import profile

    rows = profile(bundled, bundled.nodes["W06000015"])["partners"]
    via = {r["code"]: r["collaboration"] for r in rows}
    assert via["W06000022"] in ("Cardiff Capital Region City Deal",
                                "Great Western Cities (Cardiff, Newport and Bristol joint programme)")


def test_collaborations_table_refuses_an_unknown_theme(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "id,publisher,title,url,vintage,licence\nmine,Me,My survey,,2024,CC0-1.0\n", encoding="utf-8")
    (tmp_path / "collaborations.csv").write_text(
        "id,name,members,themes,valid_from,valid_to,source\n"
        "x,X,E37000037;E37000012,not-a-theme,,,mine\n", encoding="utf-8")
    with pytest.raises(LisgraphError, match="unknown theme 'not-a-theme'"):
        load_graph([tmp_path])


def test_neighbours_cross_the_borders(bundled):
    def near(code):
        return {e.end if e.start == code else e.start
                for e in bundled.out_edges(code, ["neighbours"]) + bundled.in_edges(code, ["neighbours"])}

    assert "S12000026" in near("E06000057")  # Northumberland - Scottish Borders
    assert {"E06000019", "E07000080"} <= near("W06000021")  # Monmouthshire - Herefordshire, Forest of Dean
    assert near("N09000003") == {"N09000001", "N09000007", "N09000011"}  # Belfast
    assert near("S12000027") == set()  # Shetland: an island
