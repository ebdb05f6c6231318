"""The evidence loaders refuse bad files with one line and read the real ones (issue 17): one test
per defect the fuzz run found (UTF-16, empty files, huge fields and bad area codes were
accepted; most of ONS's own metadata files were refused)."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from lisgraph.evidence.loaders import load_evidence, read_ess, read_rgva_tidy
from lisgraph.evidence.observations import EvidenceError

from .conftest import FIXTURES

EVIDENCE = FIXTURES / "evidence"
ESS = (EVIDENCE / "gross-median-weekly-pay.csv").read_text(encoding="utf-8-sig")
HEADER, *ROWS = ESS.splitlines(keepends=True)
TIDY = (EVIDENCE / "rgva-lad-tidy.csv").read_text(encoding="utf-8")


def write(tmp_path, text, name="pay.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def refused(path, reader=read_ess):
    with pytest.raises(EvidenceError) as info:
        reader(path)
    message = str(info.value)
    assert "\n" not in message and path.stem in message  # the file (or its metadata) named
    return message


def test_the_fixture_reads_with_its_metadata_and_recodes():
    frame, source = read_ess(EVIDENCE / "gross-median-weekly-pay.csv")
    assert source.vintage == "2025-10-23" and source.url.startswith("https://")
    assert set(frame.area) == {"E08000003", "E06000063", "E08000039"}  # Sheffield recoded
    x = frame[frame.status == "x"]
    assert len(x) == 1 and x["value"].isna().all()


def test_utf16_file_is_refused(tmp_path):
    assert "UTF-16" in refused(write(tmp_path, ESS.encode("utf-16")))


def test_empty_and_header_only_files_are_refused(tmp_path):
    assert "file is empty" in refused(write(tmp_path, b""))
    assert "no data rows" in refused(write(tmp_path, HEADER))


def test_huge_field_is_refused_naming_line_and_field(tmp_path):
    for size in (6000, 200_000):
        message = refused(write(tmp_path, HEADER + ROWS[0].replace("Manchester", "x" * size)))
        assert "line 2" in message and ("areanm" in message or "over" in message)


@pytest.mark.parametrize("code,expect", [
    ("E0800003", "not a GSS code"), ("e08000003", "write it in capitals (E08000003)"),
    ("E08\u0660\u0660\u0660\u0660\u0660\u0663", "not a GSS code"), ("", "not a GSS code"),
    ("Manchester", "not a GSS code"),
])
def test_bad_area_codes_are_refused(tmp_path, code, expect):
    message = refused(write(tmp_path, HEADER + code + ROWS[0][len("E08000003"):]))
    assert "line 2: field 'areacd'" in message and expect in message


def test_itl_codes_are_read_and_uncoded_rows_skipped_with_a_warning(tmp_path, caplog):
    rows = (ROWS[0].replace("E08000003", "TLD3", 1) + ROWS[1].replace("E08000003", "TLN0A", 1)
            + ROWS[0].replace("E08000003", "na", 1).replace("2023-04-19", "2022-04-20"))
    frame, _ = read_ess(write(tmp_path, HEADER + rows))
    assert sorted(frame.area) == ["TLD3", "TLN0A"]
    assert "1 rows without an area code ('na') are not read" in caplog.text


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "1,234", "\u0665\u0663", "0x10"])
def test_values_must_be_finite_ascii_numbers(tmp_path, value):
    message = refused(write(tmp_path, HEADER + ROWS[0].replace("536.6", f'"{value}"')))
    assert "field 'observation'" in message and "not a number" in message


def test_an_empty_observation_needs_its_status(tmp_path):
    blank = ROWS[0].replace("536.6", "").replace("508.203128", "").replace("564.996872", "")
    assert "status says nothing" in refused(write(tmp_path, HEADER + blank))
    frame, _ = read_ess(write(tmp_path, HEADER + blank.replace(",,,\n", ",,x,\n")))
    assert frame["value"].isna().all() and frame["status"].tolist() == ["x"]


def test_an_upside_down_interval_is_refused(tmp_path):
    swapped = ROWS[0].replace("508.203128,564.996872", "564.996872,508.203128")
    assert "lower bound is above the upper" in refused(write(tmp_path, HEADER + swapped))


def test_periods_out_of_range_are_refused(tmp_path):
    for period in ("0023-04-19", "2023-02-30", "2023-01-01/P5Y"):
        message = refused(write(tmp_path, HEADER + ROWS[0].replace("2023-04-19", period)))
        assert "field 'period'" in message


def test_duplicates_merge_when_equal_and_are_refused_when_not(tmp_path):
    frame, _ = read_ess(write(tmp_path, HEADER + ROWS[0] + ROWS[0]))
    assert len(frame) == 1
    message = refused(write(tmp_path, HEADER + ROWS[0] + ROWS[0].replace("536.6", "537.0")))
    assert "line 3" in message and "first on line 2" in message


def test_unclosed_quote_names_the_line_it_opened_on(tmp_path):
    message = refused(write(tmp_path, HEADER + ROWS[0] + '"' + ROWS[1] + ROWS[2]))
    assert "line 3" in message and "never closed" in message


def test_single_indicator_metadata_is_read(shared):
    """ONS writes the source fields at the top level when a file holds one indicator."""
    frame, source = read_ess(shared / "evidence/ess/gigabit-capable-broadband.csv")
    assert source.publisher == "Ofcom" and source.vintage == "2026-05-13" and len(frame) > 100


def test_every_published_ess_file_reads(shared):
    for path in sorted((shared / "evidence/ess").glob("*.csv")):
        frame, source = read_ess(path)
        assert len(frame) > 0 and source.vintage != "unknown", path.name


def test_broken_or_dangling_metadata_is_one_line(tmp_path):
    csv_path = write(tmp_path, ESS)
    (tmp_path / "pay.json").write_text('{"ess-beta-metadata": [', encoding="utf-8")
    assert "not ONS Explore Local Statistics metadata" in refused(csv_path)
    (tmp_path / "pay.json").unlink()
    os.symlink(tmp_path / "nowhere.json", tmp_path / "pay.json")
    refused(csv_path)
    (tmp_path / "pay.json").unlink()
    deep = {"ess-beta-metadata": json.loads("[" * 50 + "]" * 50)}
    (tmp_path / "pay.json").write_text(json.dumps(deep), encoding="utf-8")
    refused(csv_path)


def test_tidy_gva_refuses_bad_years_codes_and_gzip(tmp_path):
    assert "field 'year'" in refused(write(tmp_path, TIDY.replace(",1998,", ",98,", 1), "g.csv"),
                                     read_rgva_tidy)
    assert "field 'LADCD'" in refused(write(tmp_path, TIDY.replace("E06000001", "E0600001", 1),
                                            "g.csv"), read_rgva_tidy)
    packed = gzip.compress(TIDY.encode())
    assert "gzip" in refused(write(tmp_path, packed[: len(packed) // 2], "g.csv.gz"),
                             read_rgva_tidy)
    frame, _ = read_rgva_tidy(write(tmp_path, packed, "g.csv.gz"))
    assert len(frame) == 5 and int(frame["value"].isna().sum()) == 2


# -- the workbook ---------------------------------------------------------------------------------

def workbook(tmp_path, change):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(EVIDENCE / "rgva-lad-northeast.xlsx")
    change(wb)
    path = tmp_path / "region.xlsx"
    wb.save(path)
    return path


def read_workbook(path):
    from lisgraph.evidence.workbook import read_rgva_workbook

    return read_rgva_workbook(path)


def test_workbook_fixture_reads(tmp_path):
    frame, source = read_workbook(workbook(tmp_path, lambda wb: None))
    assert len(frame) == 4 * 3 and source.title.startswith("Regional gross value added")
    assert frame[(frame.sic07 == "Total") & (frame.year == 2021)]["value"].tolist() == [1409]


def test_workbook_without_its_sheet_names_the_sheets_it_has(tmp_path):
    path = workbook(tmp_path, lambda wb: wb.remove(wb["Current Price"]))
    message = refused(path, read_workbook)
    assert "no sheet 'Current Price'" in message and "'CVM Index'" in message


def test_workbook_header_below_blank_and_merged_rows_is_found(tmp_path):
    def banner(wb):
        wb["Current Price"].insert_rows(2, 2)
        wb["Current Price"].merge_cells("A1:E3")

    frame, _ = read_workbook(workbook(tmp_path, banner))
    assert len(frame) == 12


def test_workbook_text_in_a_number_cell_names_the_cell_and_c_stays_missing(tmp_path):
    def text(wb):
        wb["Current Price"]["G4"] = "12a"

    message = refused(workbook(tmp_path, text), read_workbook)
    assert "sheet 'Current Price' cell G4" in message and "'12a' is not a number" in message

    def suppressed(wb):
        wb["Current Price"]["G4"] = "c"

    frame, _ = read_workbook(workbook(tmp_path, suppressed))
    assert int(frame["value"].isna().sum()) == 1


def test_workbook_bad_code_and_corrupt_zip_are_one_line(tmp_path):
    def bad(wb):
        wb["Current Price"]["B3"] = "E0600001"

    assert "cell B3" in refused(workbook(tmp_path, bad), read_workbook)
    path = workbook(tmp_path, lambda wb: None)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "not an Excel workbook" in refused(path, read_workbook)


def test_cli_refuses_a_utf16_evidence_file_with_one_line(cli, tmp_path):
    path = write(tmp_path, ESS.encode("utf-16"))
    code, _, err = cli("--data", str(path), "show", "E08000003")
    assert code == 1 and err.count("\n") == 1 and "UTF-16" in err


def test_load_evidence_keeps_the_user_row_and_the_bundled_rest(tmp_path):
    ev = load_evidence([write(tmp_path, HEADER + ROWS[0])], bundled=False)
    assert [o.value for o in ev.index.get("E08000003", "median-weekly-pay")] == [536.6]


def test_a_broken_gzip_is_one_line_not_a_zlib_traceback(cli, tmp_path):
    """Detection read a corrupt .csv.gz to its first line and raised zlib.error."""
    from lisgraph.evidence.detect import evidence_kind

    packed = bytearray(gzip.compress(TIDY.encode(), mtime=0))
    packed[12:20] = b"\xff" * 8  # the deflate stream, not the header
    path = write(tmp_path, bytes(packed), "g.csv.gz")
    assert evidence_kind(path) is None
    code, _, err = cli("--data", str(path), "show", "E08000003")
    assert code == 1 and err.count("\n") == 1 and "g.csv.gz" in err
