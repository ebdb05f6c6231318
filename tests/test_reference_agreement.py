"""The bundled memberships agree 100 % with the ONS reference lookups in ../shared/data."""

from __future__ import annotations

import csv
from datetime import date

import pytest

CA_FILES = {
    "ons/LAD17_CAUTH17_EN_LU.csv": date(2017, 3, 31),
    "ons/LAD18_CAUTH18_EN_LU.csv": date(2018, 12, 31),
    "ons/LAD19_CAUTH19_EN_LU.csv": date(2019, 12, 31),
    "derived/lad21_cauth21.csv": date(2021, 12, 31),
    "derived/lad23_cauth23.csv": date(2023, 12, 31),
    "derived/lad24_cauth24.csv": date(2024, 5, 31),
    "derived/lad25_cauth25.csv": date(2025, 5, 31),
    "ons/Local_Authority_District_to_Combined_Authority_(May_2024)_Lookup_in_EN.csv": date(2024, 5, 31),
    "ons/Local_Authority_District_to_Combined_Authority_(May_2025)_Lookup_in_EN.csv": date(2025, 5, 31),
}


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def col(row, prefix, suffix="CD"):
    return next(v for k, v in row.items() if k.startswith(prefix) and k.endswith(suffix))


def graph_pairs(g, body_type, day):
    v = g.at(day)
    return {(e.start, e.end) for e in v.edges
            if e.type == "part_of" and v.nodes[e.end].type == body_type}


#: ONS's December 2023 file predates the York and North Yorkshire order (in force 20 December
#: 2023); the graph dates the membership by the order
LATE = {"derived/lad23_cauth23.csv": {("E06000014", "E47000012"), ("E06000065", "E47000012")}}


@pytest.mark.parametrize("name,day", CA_FILES.items())
def test_combined_authority_members_match_ons(bundled, shared, name, day):
    expected = {(col(r, "LAD"), col(r, "CAUTH")) for r in read(shared / name)}
    assert graph_pairs(bundled, "combined_authority", day) == expected | LATE.get(name, set())


def test_lep_2021_members_match_ons(bundled, shared):
    expected = set()
    for r in read(shared / "derived/lad21_lep21.csv"):
        expected |= {(r["LAD21CD"], r[c]) for c in ("LEP21CD1", "LEP21CD2") if r[c]}
    assert graph_pairs(bundled, "lep", date(2021, 6, 1)) == expected


def test_lep_2020_first_leps_match_ons(bundled, shared):
    got = graph_pairs(bundled, "lep", date(2020, 6, 1))
    for r in read(shared / "derived/lad20_lep20_bestfit.csv"):
        assert (r["LAD20CD"], bundled.canonical_id(r["LEP20CD1"])) in got


def test_lis_period_districts_in_two_leps_match_lsoa_lookup(bundled, shared):
    """Every district whose LSOAs all carry a second LEP in the 2014 lookup is in two LEPs."""
    by_district: dict[str, set[tuple[str, str]]] = {}
    lsoa_lad = {r["LSOA11CD"]: r["LAD20CD"] for r in read(shared / "ons/LSOA11_CCG20_LAD20_EN_LU.csv")}
    for r in read(shared / "ons/LSOA11_LEP14_EN_LU.csv"):
        by_district.setdefault(lsoa_lad[r["LSOA11CD"]], set()).add((r["LEP14CD1"], r["LEP14CD2"]))
    fully_double = {d for d, pairs in by_district.items() if all(p[1] for p in pairs)}
    day = date(2018, 6, 1)
    for d in fully_double:
        if d in bundled.nodes and bundled.nodes[d].valid_on(day):
            assert len(bundled.out_edges(d, ["part_of"], day)) >= 3, d  # region + two LEPs


def test_regions_match_ons(bundled, shared):
    for r in read(shared / "derived/lad21_rgn21.csv"):
        regions = {e.end for e in bundled.out_edges(r["LAD21CD"], ["part_of"])
                   if bundled.nodes[e.end].type == "region"}
        assert regions == {r["RGN21CD"]}
