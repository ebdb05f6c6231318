"""ONS lookups (LAD to LEP, combined authority, region) read as they are published."""

from __future__ import annotations

import pytest

from lisgraph import load_graph
from lisgraph.ingest.ons import detect_ons_layout

from .conftest import FIXTURES
from .loader_inputs import load_error


def test_ons_lep_lookup_with_two_leps(tmp_path):
    g = load_graph([FIXTURES / "LAD21_LEP21_EN_LU.csv"], bundled=False)
    cannock = sorted(e.end for e in g.out_edges("E07000192", ["part_of"]))
    assert cannock == ["E37000012", "E37000032"]
    assert g.nodes["E37000032"].name == "Stoke-on-Trent and Staffordshire"
    assert g.nodes["E37000032"].type == "lep"
    (source,) = g.sources.values()
    assert (source.publisher, source.vintage) == ("Office for National Statistics", "2021")


def test_ons_ca_lookup_with_bom_and_crlf():
    g = load_graph([FIXTURES / "LAD24_CAUTH24_EN_LU.csv"], bundled=False)
    assert [e.end for e in g.out_edges("E06000065")] == ["E47000012"]
    assert g.nodes["E47000012"].type == "combined_authority"


def test_ons_lookup_onto_bundled_maps_old_lep_codes(bundled):
    g = load_graph([FIXTURES / "LAD21_LEP21_EN_LU.csv"])
    # the user's rows merge with the bundled edges instead of creating new LEP nodes
    assert len([n for n in g.nodes.values() if n.type == "lep"]) == len(
        [n for n in bundled.nodes.values() if n.type == "lep"])


@pytest.mark.parametrize("header,expected", [
    (["LAD19CD", "LAD19NM", "CAUTH19CD", "CAUTH19NM"], ("combined_authority", ("CAUTH19CD",))),
    (["LAD18CD", "RGN18CD"], ("region", ("RGN18CD",))),
    (["LAD20CD", "LEP20CD1", "LEP20CD2"], ("lep", ("LEP20CD1", "LEP20CD2"))),
    (["LSOA11CD", "LEP14CD1"], None),
])
def test_detect_ons_layout(header, expected):
    layout = detect_ons_layout(header)
    assert (None if layout is None else (layout.target_type, layout.target_cols)) == expected


def test_ons_lookup_codes_must_be_gss_codes(tmp_path):
    """A combined authority may have a slug id, but an ONS lookup's code column holds GSS codes."""
    lookup = tmp_path / "LAD24_CAUTH24_EN_LU.csv"
    lookup.write_text("LAD24CD,LAD24NM,CAUTH24CD,CAUTH24NM\nE08000001,Bolton,e47000001,GM\n"
                      "E08000002,Bury,greater-manchester,GM\n", encoding="utf-8")
    assert "LAD24_CAUTH24_EN_LU.csv:2: field 'CAUTH24CD'" in load_error([lookup])
    lookup.write_text(lookup.read_text().replace("e47000001", "E47000001"), encoding="utf-8")
    assert ":3: field 'CAUTH24CD': 'greater-manchester' is not a GSS code" in load_error([lookup])
