"""The bundled data: integrity, provenance and the facts an analyst would check."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

GSS = re.compile(r"^(E(06|07|08|09|10|12|37|47)|S12|W06|N09)\d{6}$")


def lep_members(g, day):
    return [e for e in g.edges if e.type == "part_of" and g.nodes[e.end].type == "lep" and e.valid_on(day)]


def test_every_node_and_edge_has_a_known_source(bundled):
    for item in list(bundled.nodes.values()) + bundled.edges:
        assert item.sources and all(s in bundled.sources for s in item.sources)


def test_every_source_says_publisher_vintage_and_licence(bundled):
    for s in bundled.sources.values():
        assert s.publisher and s.title and s.licence
        # a date, or a year range where the source itself is undated
        assert re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}-\d{4}$", s.vintage), s


def test_area_codes_are_valid_gss(bundled):
    areas = [n for n in bundled.nodes.values()
             if n.type in ("district", "county", "region", "lep", "combined_authority")]
    assert len(areas) > 400
    # a strategic authority established by order before ONS published its code has a slug
    # (issue 11); every body of 2025 or earlier has its GSS code
    awaiting_code = [n for n in areas if not GSS.match(n.id)]
    assert all(n.type == "combined_authority" and n.props["valid_from"].year >= 2026
               for n in awaiting_code), awaiting_code


def test_no_dangling_edges(bundled):
    assert all(e.start in bundled.nodes and e.end in bundled.nodes for e in bundled.edges)


@pytest.mark.parametrize("day", [date(2017, 4, 1), date(2018, 6, 1), date(2020, 3, 31),
                                 date(2020, 6, 1), date(2021, 6, 1), date(2024, 3, 31)])
def test_38_leps_on_every_day_they_existed(bundled, day):
    assert len({e.end for e in lep_members(bundled, day)}) == 38


def test_leps_closed_in_2024_except_greater_lincolnshire_which_ran_to_january_2025(bundled):
    # core funding ended 31 March 2024; Greater Lincolnshire's board and councils kept it until
    # its functions passed to the combined county authority on 1 February 2025 (its own pages)
    assert {e.end for e in lep_members(bundled, date(2024, 4, 1))} == {"E37000060"}
    assert len(lep_members(bundled, date(2024, 4, 1))) == 10
    assert lep_members(bundled, date(2025, 2, 1)) == []
    leps = [n for n in bundled.nodes.values() if n.type == "lep" and n.props.get("valid_to")]
    assert sum(n.props["valid_to"] == date(2024, 3, 31) for n in leps) == 37
    assert bundled.nodes["E37000060"].props["valid_to"] == date(2025, 1, 31)


def test_seven_districts_in_two_leps_in_2021_all_with_birmingham(bundled):
    counts = Counter(e.start for e in lep_members(bundled, date(2021, 6, 1)))
    doubles = {d for d, n in counts.items() if n == 2}
    assert len(doubles) == 7
    for d in doubles:
        assert "E37000012" in {e.end for e in bundled.out_edges(d, ["part_of"], date(2021, 6, 1))}


def test_more_overlaps_during_the_lis_period(bundled):
    counts = Counter(e.start for e in lep_members(bundled, date(2018, 6, 1)))
    doubles = {bundled.nodes[d].name for d, n in counts.items() if n == 2}
    assert len(doubles) > 7
    # Croydon sat in both London and Coast to Capital; Cherwell in Oxfordshire and SEMLEP
    assert {"Croydon", "Cherwell", "Cannock Chase"} <= doubles


def test_northamptonshire_lep_merged_into_semlep(bundled):
    (merge,) = bundled.out_edges("E37000026", ["succeeded_by"])
    assert merge.end == "E37000057"
    northampton = {e.end for e in bundled.out_edges("E07000154", ["part_of"], date(2018, 6, 1))}
    assert "E37000057" in northampton and "E37000026" not in northampton


def test_every_2021_district_has_region_and_reference_point(bundled):
    current = [n for n in bundled.nodes_of_type("district", as_of=date(2021, 6, 1))
               if n.id.startswith("E")]
    assert len(current) == 309
    for d in current:
        regions = [e for e in bundled.out_edges(d.id, ["part_of"]) if bundled.nodes[e.end].type == "region"]
        assert len(regions) == 1, d
        assert 49.8 < d.props["lat"] < 55.9 and -6.5 < d.props["lon"] < 1.8, d


def test_all_providers_are_located(bundled):
    providers = list(bundled.nodes_of_type("provider"))
    assert len(providers) == 182  # the shared list's 166 (England 133, Scotland 18, Wales 11,
    # NI 4) and 16 English degree-awarding providers missing from it (DfE list)
    for p in providers:
        locations = bundled.out_edges(p.id, ["located_in"])
        assert locations and all(bundled.nodes[e.end].type == "district" for e in locations)


def test_combined_authorities_2017_to_2025(bundled):
    cas = {n.id: n for n in bundled.nodes_of_type("combined_authority")
           if n.props["valid_from"].year <= 2025}
    assert len(cas) == 18
    gm = cas["E47000001"]
    assert gm.props["mayoral"] is True and gm.props["valid_from"] == date(2011, 4, 1)
    members_2025 = bundled.in_edges("E47000018", ["part_of"], date(2025, 5, 31))
    assert len(members_2025) == 14  # Lancashire CCA


def test_neighbours_are_symmetric_pairs_of_districts(bundled):
    pairs = [(e.start, e.end) for e in bundled.edges if e.type == "neighbours"]
    assert len(pairs) == len(set(pairs)) > 700
    manchester = {e.end if e.start == "E08000003" else e.start
                  for e in bundled.edges if e.type == "neighbours" and "E08000003" in (e.start, e.end)}
    assert {"E08000006", "E08000009", "E08000007"} <= manchester  # Salford, Trafford, Stockport
