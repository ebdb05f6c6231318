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


# -- issue 17: every crash class of the loaders is one clear line ---------------------------

COUNTIES = "code,name,valid_from,valid_to,source\nE10000002,Buckinghamshire,1974-04-01,2020-03-31,s1\n"
PARTNERSHIPS = ("id,name,kind,established,ended,url,source\n"
                "northern-powerhouse,Northern Powerhouse,pan-regional,2014-06-23,,https://example.org/np,s1\n")
MANIFEST = """id = "test"
title = "Test data"
publisher = "ONS"
licence = "OGL-UK-3.0"
vintage = "2021"
url = "https://example.org"
format = "csv"

[[tables]]
kind = "regions"
file = "regions.csv"
"""
MANIFEST_SOURCES = '\n[[tables]]\nkind = "sources"\nfile = "sources.csv"\n'


def load_error(paths, bundled=False) -> str:
    """The one-line message a load fails with."""
    with pytest.raises((InputError, DataIntegrityError)) as info:
        load_graph(paths, bundled=bundled)
    message = str(info.value)
    assert "\n" not in message and " — " in message, message
    return message


@pytest.mark.parametrize("name,content,expect", [
    # ids match ASCII patterns only: Arabic-Indic digits are digits to `\d`
    ("districts_csv", DISTRICTS.replace("E08000006", "E08\u0660\u0660\u0660\u0660\u0660\u0666"),
     ["districts.csv:3", "'code'", "not a valid district id"]),
    ("part_of_csv", PART_OF.replace("2019-01-01", "\u0662\u0660\u0661\u0669-01-01"),
     ["part_of.csv:3", "'valid_from'", "not a date"]),
    ("districts_csv", DISTRICTS.replace("53.47", "\u0665\u0663.47"), ["districts.csv:2", "'lat'"]),
    ("districts_csv", DISTRICTS.replace("E08000006", "e08000006"),
     ["districts.csv:3", "looks like a GSS code in lower case", "E08000006"]),
    # out-of-range dates and numbers
    ("part_of_csv", PART_OF.replace("2019-01-01", "0019-01-01"), ["part_of.csv:3", "outside 1800-2100"]),
    ("part_of_csv", PART_OF.replace("2020-12-31", "9999-12-31"), ["part_of.csv:3", "'valid_to'", "outside"]),
    ("districts_csv", DISTRICTS.replace("53.47", "nan"), ["districts.csv:2", "'lat'", "not a number"]),
    ("districts_csv", DISTRICTS.replace("53.47", "inf"), ["districts.csv:2", "'lat'"]),
    ("districts_csv", DISTRICTS.replace("53.47", "1e400"), ["districts.csv:2", "'lat'"]),
    ("districts_csv", DISTRICTS.replace("53.47", "91"), ["districts.csv:2", "'lat'", "outside -90..90"]),
    ("districts_csv", DISTRICTS.replace("-2.23", "-181"), ["districts.csv:2", "'lon'", "outside -180..180"]),
    # reversed dates: on links and now on nodes too
    ("part_of_csv", PART_OF.replace("2019-01-01,2020-12-31", "2020-12-31,2019-01-01"),
     ["part_of.csv:3", "'valid_to'", "before it starts"]),
    ("districts_csv", DISTRICTS.replace("-2.29,,", "-2.29,2020-01-01,2019-01-01"),
     ["districts.csv:3", "'valid_to'", "before it starts"]),
    ("counties_csv", COUNTIES.replace("1974-04-01,2020-03-31", "2020-03-31,1974-04-01"),
     ["counties.csv:2", "'valid_to'", "before it starts"]),
    ("partnerships_csv", PARTNERSHIPS.replace("2014-06-23,", "2014-06-23,2010-01-01"),
     ["partnerships.csv:2", "'ended'", "before it starts"]),
    # URLs: http(s) only
    ("sources_csv", SOURCES.replace("https://example.org", "javascript:alert(1)"),
     ["sources.csv:2", "'url'", "not an http(s) address"]),
    ("partnerships_csv", PARTNERSHIPS.replace("https://example.org/np", "file:///etc/passwd"),
     ["partnerships.csv:2", "'url'", "http(s)"]),
    # control and bidi characters in names
    ("districts_csv", DISTRICTS.replace("Salford", "Sal\u202eford"),
     ["districts.csv:3", "'name'", "U+202E"]),
    ("districts_csv", DISTRICTS.replace("Salford", "\x1b[31mSalford"), ["districts.csv:3", "U+001B"]),
    ("districts_csv", DISTRICTS.replace("Salford", '"Sal\nford"'), ["districts.csv:3", "line break"]),
    ("regions_csv", REGIONS.replace("North West", "North\u2066West"), ["regions.csv:2", "U+2066"]),
    # an unclosed quote is an error naming the line where it opened, not a silent partial load
    ("districts_csv", DISTRICTS.replace("E08000006,Salford", 'E08000006,"Salford'),
     ["districts.csv:3", "never closed"]),
    ("part_of_csv", PART_OF.replace("E08000003,E12000002", 'E08000003,"E12000002'),
     ["part_of.csv:2", "never closed"]),
    # huge fields
    ("districts_csv", DISTRICTS.replace("Salford", "S" * 6000), ["districts.csv:3", "6000 characters"]),
    ("districts_csv", DISTRICTS.replace("Salford", "S" * 200_000), ["districts.csv:3"]),
    # source ids
    ("sources_csv", SOURCES.replace("s1,ONS", "s 1,ONS"), ["sources.csv:2", "'id'", "not a source id"]),
])
def test_issue17_bad_values_are_refused(tmp_path, name, content, expect):
    extra = {"counties_csv": COUNTIES} if name == "counties_csv" else {}
    extra |= {"partnerships_csv": PARTNERSHIPS} if name == "partnerships_csv" else {}
    folder = write_set(tmp_path, **(extra | {name: content}))
    message = load_error([folder])
    for fragment in expect:
        assert fragment in message, message


def test_unclosed_quote_names_the_opening_line_not_the_last(tmp_path):
    rows = "".join(f"E07{n:06d},District {n},x,,,,,s1\n" for n in range(1, 40))
    text = "code,name,kind,lat,lon,valid_from,valid_to,source\n" + rows
    text = text.replace("E07000005,District 5", 'E07000005,"District 5')
    message = load_error([write_set(tmp_path, districts_csv=text)])
    assert message.startswith(f"{tmp_path}/districts.csv:6:"), message


def test_valid_points_dates_and_quotes_still_load(tmp_path):
    quoted = DISTRICTS.replace("E08000006,Salford", 'E08000006,"Salford, City of"')
    g = load_graph([write_set(tmp_path, districts_csv=quoted)], bundled=False)
    assert g.nodes["E08000006"].name == "Salford, City of"
    assert g.nodes["E08000003"].props["lon"] == -2.23


# -- files that are not regular files, and empty inputs --------------------------------------

def test_symlink_loop_and_dangling_link_are_one_line(tmp_path):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    assert "symbolic link loop" in load_error([loop])
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert "symbolic link to nothing" in load_error([dangling])


def test_link_loop_inside_a_data_folder_is_refused(tmp_path):
    folder = write_set(tmp_path)
    (folder / "partners.csv").symlink_to(folder / "partners.csv")
    message = load_error([folder])
    assert "partners.csv" in message and "loop" in message


def test_folder_named_like_a_csv_file_is_refused(tmp_path):
    folder = write_set(tmp_path)
    (folder / "extra.csv").mkdir()
    assert "extra.csv: is a folder, not a file" in load_error([folder])


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes (POSIX)")
def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "districts.csv"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    assert "is a named pipe, not a regular file" in load_error([fifo])
    (tmp_path / "set").mkdir()
    folder = write_set(tmp_path / "set")
    os.unlink(folder / "regions.csv")
    os.mkfifo(folder / "regions.csv")
    assert "regions.csv: is a named pipe" in load_error([folder])


def test_device_is_refused(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")  # reading it would never end
    assert "is a device, not a regular file" in load_error([link])


def test_empty_inputs_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "folder holds no CSV files or manifests" in load_error([tmp_path / "empty"])
    (tmp_path / "blank.csv").write_text("\n\n  \n", encoding="utf-8")
    assert "file is empty" in load_error([tmp_path / "blank.csv"])
    (tmp_path / "only.toml").write_text("", encoding="utf-8")
    assert "file is empty" in load_error([tmp_path / "only.toml"])


# -- manifests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("manifest,expect", [
    (MANIFEST.encode("utf-8").replace(b"Test data", b"Test d\xe4ta"), ["data.toml:2", "not UTF-8"]),
    (MANIFEST.encode("utf-16"), ["data.toml:1", "UTF-16"]),
    (MANIFEST.replace('vintage = "2021"', "vintage = [2021]"), ["'vintage'", "is a list, not text"]),
    (MANIFEST.replace('title = "Test data"', "title = 5"), ["'title'", "is a number, not text"]),
    (MANIFEST.replace("[[tables]]", "tables = 3\n[other]"), ["'tables'", "not a list of tables"]),
    (MANIFEST.replace('kind = "regions"', "kind = 7"), ["'tables[1].kind'", "unknown table kind"]),
    (MANIFEST.replace('file = "regions.csv"', "file = 1"), ["'tables[1].file'", "not text"]),
    (MANIFEST + "columns = 5\n", ["'tables[1].columns'", "not a table of column names"]),
    (MANIFEST + "[tables.columns]\nnmae = \"NAME\"\n", ["'tables[1].columns.nmae'", "not a column"]),
    (MANIFEST.replace('url = "https://example.org"', 'url = "ftp://example.org"'),
     ["'url'", "http(s)"]),
    (MANIFEST + "deep = " + "[" * 5000 + "]" * 5000 + "\n", ["data.toml", "nested too deeply"]),
    (MANIFEST.replace('file = "regions.csv"', 'file = "."'), ["'tables[1].file'", "is a folder"]),
    (MANIFEST.replace('file = "regions.csv"', 'file = "missing.csv"'),
     ["'tables[1].file'", "no such file"]),
    (MANIFEST.replace("[[tables]]", "[tables]"), ["'tables'", "not a list of tables"]),
])
def test_bad_manifests_are_one_line(tmp_path, manifest, expect):
    write_set(tmp_path)
    path = tmp_path / "data.toml"
    path.write_bytes(manifest if isinstance(manifest, bytes) else manifest.encode("utf-8"))
    message = load_error([path])
    for fragment in expect:
        assert fragment in message, message


def test_manifest_renames_columns(tmp_path):
    write_set(tmp_path, regions_csv="GSS,NAME,source\nE12000002,North West,s1\n")
    (tmp_path / "data.toml").write_text(MANIFEST + '[tables.columns]\ncode = "GSS"\nname = "NAME"\n',
                                        encoding="utf-8")
    g = load_graph([tmp_path], bundled=False)
    assert g.nodes["E12000002"].name == "North West"


# -- unknown columns: a warning naming the closest known column ------------------------------

LATTITUDE = DISTRICTS.replace("kind,lat", "kind,lattitude,lat").replace("borough,53", "borough,,53")


def test_unknown_column_is_a_warning_naming_the_closest_column(tmp_path, caplog):
    g = load_graph([write_set(tmp_path, districts_csv=LATTITUDE)], bundled=False)
    assert g.nodes["E08000003"].props["lat"] == 53.47  # the file still loads
    assert [r.getMessage() for r in caplog.records] == [
        f"Warning: {tmp_path}/districts.csv:1: column 'lattitude' is not read — did you mean 'lat'?"]


def test_no_warning_for_optional_columns_or_the_bundled_data(tmp_path, caplog):
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")  # has the optional `note`
    load_graph([tmp_path / "sources.csv"])
    assert caplog.records == []


def test_warnings_are_held_back_when_the_load_fails(tmp_path, caplog):
    load_error([write_set(tmp_path, districts_csv=LATTITUDE.replace("E08000006", "E0800006"))])
    assert caplog.records == []  # the CLI prints exactly one line: the error


@pytest.mark.slow
def test_cli_prints_the_warning_on_stderr_and_the_answer_on_stdout(tmp_path):
    import subprocess
    import sys

    folder = write_set(tmp_path, districts_csv=LATTITUDE)
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--no-bundled", "--data", str(folder),
                           "places", "--type", "region", "-f", "csv"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and "E12000002" in proc.stdout
    assert proc.stderr.splitlines() == [
        f"Warning: {folder}/districts.csv:1: column 'lattitude' is not read — did you mean 'lat'?"]


# -- the command line: one line on stderr, exit 1, never a hang ------------------------------

@pytest.mark.slow
def test_cli_refuses_a_fifo_with_one_line_and_exit_1(tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "partners.csv"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--data", str(fifo), "info"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"Error: {fifo}: is a named pipe, not a regular file — save the data to a file and give that"]


def test_control_characters_in_a_file_name_stay_on_one_line(tmp_path):
    path = tmp_path / "bad\nname.csv"
    path.write_text("", encoding="utf-8")
    message = load_error([path])
    assert "bad\\nname.csv" in message


# -- RDF: the importer checks what the CSV loader checks --------------------------------------

RDF_HEAD = """@prefix lis: <https://w3id.org/lisgraph/def#> .
@prefix statgeo: <http://statistics.data.gov.uk/id/statistical-geography/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/lisgraph/id/source/s> lis:code "s" ; lis:vintage "2021" ; dcterms:title "t" ;
    dcterms:publisher "ONS" ; dcterms:license "OGL-UK-3.0" .
"""
RDF_NODE = """statgeo:{code} lis:code "{code}" ; lis:nodeType "district" ; rdfs:label "{name}" ;
    {extra} prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
"""


def rdf_file(tmp_path, code="E08000003", name="Manchester", extra="", tail=""):
    path = tmp_path / "data.ttl"
    path.write_text(RDF_HEAD + RDF_NODE.format(code=code, name=name, extra=extra) + tail,
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("kwargs,expect", [
    ({"code": "E08\u0660\u0660\u0660\u0660\u0660\u0663"}, ["lis:code", "not a valid district id"]),
    ({"code": "E0800003"}, ["lis:code", "not a valid district id"]),
    ({"name": "Man\u202echester"}, ["rdfs:label", "U+202E"]),
    ({"name": "Man\\u001bchester"}, ["rdfs:label", "U+001B"]),
    ({"name": ""}, ["rdfs:label", "is empty"]),
    ({"extra": 'lis:lat "91"^^xsd:decimal ;'}, ["lis:lat", "outside -90..90"]),
    ({"extra": 'lis:lat "NaN"^^xsd:double ;'}, ["lat", "not a valid double"]),
    ({"extra": 'lis:lon "-2.2" ;'}, ["lis:lon", "not an xsd:decimal"]),
    ({"extra": 'lis:validFrom "2020-01-01" ;'}, ["lis:validFrom", "not an xsd:date"]),
    ({"extra": 'lis:validFrom "0020-01-01"^^xsd:date ;'}, ["valid_from", "outside 1800-2100"]),
    ({"extra": 'lis:validFrom "20200101"^^xsd:date ;'}, ["'20200101' is not a valid date"]),
    ({"extra": 'lis:validFrom "2020-01-01"^^xsd:date ; lis:validTo "2019-01-01"^^xsd:date ;'},
     ["lis:validTo", "before it starts"]),
    ({"tail": '<https://w3id.org/lisgraph/id/source/t> lis:code "t" ; lis:vintage "2021" ; '
              'dcterms:title "t" ; dcterms:publisher "ONS" ; dcterms:license "OGL" ; '
              'dcat:landingPage <javascript:alert(1)> .\n'},
     ["dcat:landingPage", "not an http(s) address"]),
    ({"tail": '<https://w3id.org/lisgraph/id/source/t> lis:code "t" ; lis:vintage "last year" ; '
              'dcterms:title "t" ; dcterms:publisher "ONS" ; dcterms:license "OGL" .\n'},
     ["lis:vintage", "not a vintage"]),
    ({"tail": '<https://example.org/l> a lis:Link ; lis:from statgeo:E08000003 ; '
              'lis:to statgeo:E12000002 ; lis:linkType "part_of" ; '
              'lis:validFrom "2021-01-01"^^xsd:date ; lis:validTo "2020-01-01"^^xsd:date ; '
              'prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .\n'},
     ["lis:validTo", "before it starts"]),
    ({"tail": '<https://example.org/l> a lis:Link ; lis:from statgeo:E08000003 ; '
              'lis:to <https://w3id.org/lisgraph/id/organisation/a%0Ab> ; '
              'lis:linkType "located_in" .\n'}, ["lis:from/lis:to", "not a node of lisgraph"]),
])
def test_rdf_importer_refuses_what_the_csv_loader_refuses(tmp_path, kwargs, expect):
    pytest.importorskip("pyoxigraph")
    message = load_error([rdf_file(tmp_path, **kwargs)])
    for fragment in expect:
        assert fragment in message, message


def test_rdf_empty_or_foreign_files_are_refused(tmp_path):
    pytest.importorskip("pyoxigraph")
    (tmp_path / "empty.ttl").write_text("", encoding="utf-8")
    assert "file is empty" in load_error([tmp_path / "empty.ttl"])
    (tmp_path / "foaf.ttl").write_text('<http://e/a> <http://xmlns.com/foaf/0.1/name> "A" .\n',
                                       encoding="utf-8")
    assert "holds no lisgraph records" in load_error([tmp_path / "foaf.ttl"])
    fifo = tmp_path / "pipe.ttl"
    __import__("os").mkfifo(fifo)
    assert "is a named pipe" in load_error([fifo])


# -- round trips: Turtle, N-Triples and JSON-LD exports load back (--data), per input kind -----

def _normalised(g):
    def props(p):
        return tuple(sorted((k, tuple(sorted(map(str, v))) if isinstance(v, list) else v)
                            for k, v in p.items()))

    return ({(n.id, n.type, n.name, frozenset(n.sources), props(n.props)) for n in g.nodes.values()},
            {(e.start, e.type, e.end, e.valid_from, e.valid_to, frozenset(e.sources), props(e.props))
             for e in g.edges},
            set(g.sources.values()))


def _own_format(tmp_path):
    return [write_set(tmp_path, counties_csv=COUNTIES, partnerships_csv=PARTNERSHIPS)]


def _manifest(tmp_path):
    write_set(tmp_path)
    (tmp_path / "data.toml").write_text(MANIFEST + MANIFEST_SOURCES, encoding="utf-8")
    return [tmp_path / "data.toml"]


INPUT_KINDS = {
    "own CSV format": _own_format,
    "manifest": _manifest,
    "ONS LEP lookup": lambda tmp: [FIXTURES / "LAD21_LEP21_EN_LU.csv"],
    "ONS CA lookup": lambda tmp: [FIXTURES / "LAD24_CAUTH24_EN_LU.csv"],
    "ONS region lookup": lambda tmp: [FIXTURES / "LAD18_RGN18_EN_LU.csv"],
    "user partners": lambda tmp: [FIXTURES / "user"],
}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
@pytest.mark.parametrize("kind", sorted(INPUT_KINDS))
def test_rdf_exports_round_trip_through_data(tmp_path, kind, fmt):
    pytest.importorskip("pyoxigraph")
    from lisgraph.rdf.export import export

    bundled = kind == "user partners"  # the user's partners refer to bundled bodies
    original = load_graph(INPUT_KINDS[kind](tmp_path), bundled=bundled)
    out = tmp_path / f"export.{fmt}"
    export(original, fmt, out)
    again = load_graph([out], bundled=False)
    assert _normalised(again) == _normalised(original)


def test_ons_lookup_exported_to_turtle_loads_back(tmp_path):
    """Issue 17: `lis:vintage` on the lookup's links was taken for a source."""
    pytest.importorskip("pyoxigraph")
    from lisgraph.rdf.export import export

    g = load_graph([FIXTURES / "LAD21_LEP21_EN_LU.csv"], bundled=False)
    out = tmp_path / "lookup.ttl"
    export(g, "ttl", out)
    again = load_graph([out], bundled=False)
    assert list(again.sources) == ["file-lad21-lep21-en-lu-csv"]
    assert {e.props["vintage"] for e in again.edges} == {"2021"}
    assert sorted(e.end for e in again.out_edges("E07000192")) == ["E37000012", "E37000032"]


def test_a_file_name_that_is_not_utf8_is_shown_as_bytes(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.csv")
    (tmp_path / name).write_text("", encoding="utf-8")
    message = load_error([tmp_path / name])
    assert "caf\\xe9.csv: file is empty" in message
    message.encode("utf-8")  # printable on any terminal: no lone surrogates


@pytest.mark.parametrize("link,expect", [
    ('lis:from statgeo:E08000003 ; lis:to statgeo:E08000003 ; lis:linkType "neighbours" ;',
     "to itself"),
    (('lis:from statgeo:E08000003 ; lis:to statgeo:E12000002 ; '
      'lis:linkType "collaborates_with" ; lis:themes "no-such-theme" ;'),
     "unknown theme 'no-such-theme'"),
])
def test_rdf_links_are_checked_like_csv_rows(tmp_path, link, expect):
    pytest.importorskip("pyoxigraph")
    tail = (f"<https://example.org/l> a lis:Link ; {link} "
            "prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .\n")
    assert expect in load_error([rdf_file(tmp_path, tail=tail)])


def test_rdf_record_properties_on_an_undescribed_resource_are_refused(tmp_path):
    """A mistyped subject IRI would otherwise drop the property silently."""
    pytest.importorskip("pyoxigraph")
    tail = 'statgeo:E08000033 lis:lat "53.4"^^xsd:decimal .\n'
    message = load_error([rdf_file(tmp_path, tail=tail)])
    assert "E08000033> is not described as a source, node or link" in message


def test_ons_lookup_codes_must_be_gss_codes(tmp_path):
    """A combined authority may have a slug id, but an ONS lookup's code column holds GSS codes."""
    lookup = tmp_path / "LAD24_CAUTH24_EN_LU.csv"
    lookup.write_text("LAD24CD,LAD24NM,CAUTH24CD,CAUTH24NM\nE08000001,Bolton,e47000001,GM\n"
                      "E08000002,Bury,greater-manchester,GM\n", encoding="utf-8")
    assert "LAD24_CAUTH24_EN_LU.csv:2: field 'CAUTH24CD'" in load_error([lookup])
    lookup.write_text(lookup.read_text().replace("e47000001", "E47000001"), encoding="utf-8")
    assert ":3: field 'CAUTH24CD': 'greater-manchester' is not a GSS code" in load_error([lookup])
