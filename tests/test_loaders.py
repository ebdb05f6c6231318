"""Loaders on small hand-checkable fixtures: lisgraph's own format and the ONS layouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisgraph import load_graph
from lisgraph.errors import DataIntegrityError, InputError
from lisgraph.ingest.ons import detect_ons_layout

from .conftest import FIXTURES

SOURCES = "id,publisher,title,url,vintage,licence,note\ns1,ONS,Test lookup,https://example.org,2021,OGL-UK-3.0,\n"
REGIONS = "code,name,source\nE12000002,North West,s1\n"
DISTRICTS = (
    "code,name,kind,lat,lon,valid_from,valid_to,source\n"
    "E08000003,Manchester,metropolitan borough,53.47,-2.23,,,s1\n"
    "E08000006,Salford,metropolitan borough,53.48,-2.29,,,s1\n"
)
PART_OF = (
    "member,body,valid_from,valid_to,source\n"
    "E08000003,E12000002,,,s1\n"
    "E08000006,E12000002,2019-01-01,2020-12-31,s1\n"
)


def write_set(folder: Path, **overrides: str | bytes) -> Path:
    files = {"sources.csv": SOURCES, "regions.csv": REGIONS, "districts.csv": DISTRICTS,
             "part_of.csv": PART_OF}
    files.update({k.replace("_csv", ".csv"): v for k, v in overrides.items()})
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def test_own_format_builds_expected_graph(tmp_path):
    g = load_graph([write_set(tmp_path)], bundled=False)
    assert sorted(g.nodes) == ["E08000003", "E08000006", "E12000002"]
    assert [e.start for e in g.in_edges("E12000002")] == ["E08000003", "E08000006"]
    assert [e.start for e in g.in_edges("E12000002", as_of=date(2021, 6, 1))] == ["E08000003"]
    assert g.nodes["E08000003"].props["lat"] == 53.47


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


def test_user_partners_and_collaborations_join_bundled(bundled):
    g = load_graph([FIXTURES / "user"])
    partners = [e for e in g.out_edges("E37000015", ["partner_of"])]
    assert [e.end for e in partners] == ["10007798"]
    collab = g.out_edges("E47000001", ["party_to"])
    assert "robotics-pilot" in {e.end for e in collab}
    assert g.nodes["robotics-pilot"].type == "collaboration"
    assert len(g.nodes) == len(bundled.nodes) + 2  # their organisation and their collaboration


# -- bad input: one clear error naming file, line, field ------------------------------------

@pytest.mark.parametrize("name,content,expect", [
    ("districts_csv", DISTRICTS.replace("kind,", ""), ["districts.csv:1", "'kind'", "missing column"]),
    ("districts_csv", DISTRICTS.replace("E08000006,Salford", "E0800006,Salford"),
     ["districts.csv:3", "'code'", "not a valid district id"]),
    ("part_of_csv", PART_OF + "E08000003,E47000099,,,s1\n", ["part_of.csv:4", "unknown reference 'E47000099'"]),
    ("districts_csv", DISTRICTS + "E08000003,Manchester again,metropolitan borough,,,,,s1\n",
     ["districts.csv:4", "duplicate id 'E08000003'"]),
    ("districts_csv", DISTRICTS.replace(",,,s1\nE08000006", ",,,\nE08000006"),
     ["districts.csv:2", "'source'", "is empty"]),
    ("districts_csv", DISTRICTS.replace(",,,s1\nE08000006", ",,,s9\nE08000006"),
     ["districts.csv:2", "unknown source 's9'"]),
    ("part_of_csv", PART_OF.replace("2019-01-01", "01/01/2019"), ["part_of.csv:3", "'valid_from'", "YYYY-MM-DD"]),
    ("districts_csv", "", ["districts.csv", "file is empty"]),
    ("districts_csv", "code,name,kind,lat,lon,valid_from,valid_to,source\n", ["districts.csv", "no data rows"]),
    ("districts_csv", DISTRICTS.encode("utf-16"), ["districts.csv:1", "UTF-16"]),
    ("districts_csv", DISTRICTS.replace("Salford", "Salford Quays").encode("utf-8").replace(b"Quays", b"Qu\xe4ys"),
     ["districts.csv:3", "not UTF-8"]),
    ("districts_csv", DISTRICTS + "E08000007,Stockport,x,1,2\n", ["districts.csv:4", "5 fields"]),
    ("districts_csv", DISTRICTS.replace("53.47", "north"), ["districts.csv:2", "'lat'", "not a number"]),
    ("sources_csv", SOURCES.replace(",2021,", ",last year,"), ["sources.csv:2", "'vintage'", "YYYY"]),
    ("sources_csv", SOURCES.replace("https://example.org", "www.example.org"), ["sources.csv:2", "'url'", "https://"]),
])
def test_bad_input_is_one_clear_error(tmp_path, name, content, expect):
    folder = write_set(tmp_path, **{name: content})
    with pytest.raises((InputError, DataIntegrityError)) as info:
        load_graph([folder], bundled=False)
    message = str(info.value)
    assert "\n" not in message
    for fragment in expect:
        assert fragment in message, message


def test_utf8_bom_is_accepted(tmp_path):
    folder = write_set(tmp_path, districts_csv=b"\xef\xbb\xbf" + DISTRICTS.encode())
    assert "E08000003" in load_graph([folder], bundled=False).nodes


def test_unknown_file_kind_says_what_it_needs(tmp_path):
    (tmp_path / "mystery.csv").write_text("alpha,beta\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="mystery.csv:1.*missing column"):
        load_graph([tmp_path / "mystery.csv"], bundled=False)


# -- properties ------------------------------------------------------------------------------

codes = st.integers(min_value=1, max_value=999_999).map(lambda n: f"E07{n:06d}")


@settings(max_examples=40, deadline=None)
@given(st.lists(codes, min_size=1, max_size=30, unique=True))
def test_any_set_of_districts_loads_with_one_region_edge_each(tmp_path_factory, district_codes):
    folder = tmp_path_factory.mktemp("prop")
    districts = "code,name,kind,lat,lon,valid_from,valid_to,source\n" + "".join(
        f"{c},District {c},non-metropolitan district,,,,,s1\n" for c in district_codes)
    part_of = "member,body,valid_from,valid_to,source\n" + "".join(
        f"{c},E12000002,,,s1\n" for c in district_codes)
    g = load_graph([write_set(folder, districts_csv=districts, part_of_csv=part_of)], bundled=False)
    assert len(g.in_edges("E12000002")) == len(district_codes)
    assert all(len(g.out_edges(c)) == 1 for c in district_codes)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path_factory, blob):
    folder = write_set(tmp_path_factory.mktemp("fuzz"), regions_csv=blob)
    try:
        load_graph([folder], bundled=False)
    except (InputError, DataIntegrityError) as exc:
        assert "\n" not in str(exc)
