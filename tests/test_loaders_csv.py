"""The CSV loader (lisgraph's own format) on small hand-checkable fixtures: what it builds, and
every bad value refused with one line naming file, line and field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisgraph import load_graph
from lisgraph.errors import DataIntegrityError, InputError

from .conftest import FIXTURES
from .loader_inputs import (
    COUNTIES,
    DISTRICTS,
    PART_OF,
    PARTNERSHIPS,
    REGIONS,
    SOURCES,
    load_error,
    write_set,
)


def test_own_format_builds_expected_graph(tmp_path):
    g = load_graph([write_set(tmp_path)], bundled=False)
    assert sorted(g.nodes) == ["E08000003", "E08000006", "E12000002"]
    assert [e.start for e in g.in_edges("E12000002")] == ["E08000003", "E08000006"]
    assert [e.start for e in g.in_edges("E12000002", as_of=date(2021, 6, 1))] == ["E08000003"]
    assert g.nodes["E08000003"].props["lat"] == 53.47


def test_user_partners_and_collaborations_join_bundled(bundled):
    g = load_graph([FIXTURES / "user"])
    partners = [e for e in g.out_edges("E37000015", ["partner_of"])]
    assert [e.end for e in partners] == ["10007798"]
    collab = g.out_edges("E47000001", ["party_to"])
    assert "robotics-pilot" in {e.end for e in collab}
    assert g.nodes["robotics-pilot"].type == "collaboration"
    assert len(g.nodes) == len(bundled.nodes) + 2  # their organisation and their collaboration


# -- bad input: one clear error naming file, line, field ------------------------------------------

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


# -- properties -----------------------------------------------------------------------------------

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


# -- issue 17: every crash class of the loaders is one clear line ---------------------------------

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


# -- unknown columns: a warning naming the closest known column -----------------------------------

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
