"""`lisgraph strengths`, the evidence section of `show`, and the evidence loaders (ONS tidy
CSV with metadata JSON, GVA by industry workbooks and tidy table), including bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lisgraph.evidence.loaders import load_evidence, read_ess, read_rgva_tidy, read_rgva_workbook
from lisgraph.evidence.observations import EvidenceError

ESS_HEADER = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"


# -- strengths ------------------------------------------------------------------------------

def test_strengths_sheffield(cli):
    code, out, _ = cli("strengths", "Sheffield", "--format", "json")
    assert code == 0
    r = json.loads(out)
    assert (r["code"], r["year"], r["baseline_year"]) == ("E08000039", 2023, 2017)
    edu = next(g for g in r["groups"] if g["sic07"] == "P (85)")
    assert round(edu["lq"], 2) == 2.08 and edu["strength"] and edu["gva_gbp_m"] == 2235.0
    fin = next(s for s in r["sectors"] if s["sector"] == "Financial Services")
    assert fin["groups"] == ["K (64-66)"] and fin["lq"] is not None
    life = next(s for s in r["sectors"] if s["sector"] == "Life Sciences")
    assert life["lq"] is None and "not computable" in life["reason"]


def test_strengths_greater_manchester_compares_declared_priorities(cli):
    code, out, _ = cli("strengths", "Greater Manchester", "--format", "json")
    assert code == 0
    r = json.loads(out)
    assert r["type"] == "combined_authority" and len(r["members"]) == 10
    cats = {c["category"] for c in r["comparison"]}
    assert "declared, not evidenced" in cats and "evidenced, not declared" in cats
    adv = next(c for c in r["comparison"] if c["theme"] == "advanced-manufacturing")
    assert adv["category"] == "declared, not evidenced"
    assert "lisgraph-evidence-crosswalk" in r["sources"]


def test_strengths_min_lq_changes_what_counts(cli):
    _, low, _ = cli("strengths", "E08000039", "--min-lq", "1.0", "--format", "json")
    _, high, _ = cli("strengths", "E08000039", "--min-lq", "3.0", "--format", "json")
    n_low = sum(g["strength"] for g in json.loads(low)["groups"])
    n_high = sum(g["strength"] for g in json.loads(high)["groups"])
    assert n_high == 1 and n_low > n_high  # only metals (CH) is above 3


def test_strengths_as_of_uses_the_year_ending_before_the_date(cli):
    _, out, _ = cli("strengths", "E08000019", "--as-of", "2019-06-01", "--format", "json")
    r = json.loads(out)
    assert r["year"] == 2017 and r["baseline_year"] is None and r["as_of"] == "2019-06-01"
    code, _, err = cli("strengths", "E08000019", "--as-of", "2016-06-01")
    assert code == 1 and "no GVA by industry year ends on or before 2016-06-01" in err


def test_strengths_of_a_partnership_is_a_clear_error(cli):
    code, _, err = cli("strengths", "northern-powerhouse")
    assert code == 1 and "strengths are computed for districts and for bodies" in err


def test_strengths_table_output(cli):
    code, out, _ = cli("strengths", "Sheffield")
    assert code == 0
    assert "P (85) Education" in out and "2.08" in out and "Open Government Licence" in out


# -- show -----------------------------------------------------------------------------------

def test_show_has_an_evidence_section(cli):
    code, out, _ = cli("show", "E47000001", "--format", "json")
    assert code == 0
    rows = {r["indicator"]: r for r in json.loads(out)["evidence"]["rows"]}
    gph = rows["gva-per-hour"]
    assert gph["period"] == "2023-01-01/P1Y" and round(gph["value"], 1) == 39.8
    assert gph["uk_index"] == pytest.approx(100 * gph["value"] / 41.87, abs=0.05)
    assert gph["rank"] >= 1 and gph["peers"] >= gph["rank"]
    assert gph["baseline_period"] == "2017-01-01/P1Y" and gph["change"] > 0
    assert rows["business-births"]["method"] == "refused"
    assert rows["gva"]["method"] == "derived"
    code, out, _ = cli("show", "E47000001")
    assert "GVA per hour worked" in out and "not attribution" in out


def test_show_evidence_follows_as_of(cli):
    code, out, _ = cli("show", "E47000001", "--as-of", "2019-06-01", "--format", "json")
    rows = {r["indicator"]: r for r in json.loads(out)["evidence"]["rows"]}
    assert rows["gva-per-hour"]["period"] == "2018-01-01/P1Y"
    # ONS publishes Greater Manchester's median pay from 2023 only: no answer for 2019
    pay = rows["median-weekly-pay"]
    assert pay["value"] is None and "no period ends on or before 2019-06-01" in pay["reason"]
    _, out, _ = cli("show", "E08000003", "--as-of", "2019-06-01", "--format", "json")
    rows = {r["indicator"]: r for r in json.loads(out)["evidence"]["rows"]}
    assert rows["median-weekly-pay"]["period"].startswith("2019-04-")  # ASHE reference date


def test_show_strategy_has_no_evidence_section(cli):
    code, out, _ = cli("show", "lis-greater-manchester", "--format", "json")
    assert code == 0 and json.loads(out)["evidence"] is None


# -- loaders --------------------------------------------------------------------------------

def test_read_ess_recodes_and_keeps_suppressed_missing(shared):
    frame, source = read_ess(shared / "evidence/ess/gross-value-added.csv")
    assert source.vintage == "2025-06-19" and source.url.startswith("https://www.ons.gov.uk/")
    sheff = frame[(frame.area == "E08000039") & (frame.indicator == "gva-per-hour")
                  & (frame.period == "2023-01-01/P1Y")]
    assert sheff["value"].tolist() == [36.08]
    assert not (frame.area == "E08000019").any()
    sup = frame[frame.status == "x"]
    assert len(sup) > 0 and sup["value"].isna().all()


def test_user_ess_file_replaces_bundled_value(tmp_path):
    f = tmp_path / "my-indicator.csv"
    f.write_text(ESS_HEADER + "E47000001,Greater Manchester,Combined Authority,Gross value added "
                 "per hour worked,2023-01-01/P1Y,40.5,Pounds,£,,,,\n", encoding="utf-8")
    ev = load_evidence([tmp_path])
    values = {o.period: o.value for o in ev.index.get("E47000001", "gva-per-hour")}
    assert values["2023-01-01/P1Y"] == 40.5 and values["2017-01-01/P1Y"] is not None
    assert ev.sources[0].id == "ess-my-indicator"


def test_bad_ess_value_is_one_clear_line(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(ESS_HEADER + "E08000039,Sheffield,LAD,Employment rate,2023-01-01/P1Y,"
                 "seventy,Percentage,%,,,,\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"bad.csv: line 2: field 'observation': 'seventy' is not a number"):
        read_ess(f)


def test_ess_file_missing_a_column(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("areacd,indicator,period\nE08000039,x,2023-01-01/P1Y\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="line 1: column 'observation' is missing"):
        read_ess(f)


def test_cli_bad_evidence_file_exits_1(cli, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(ESS_HEADER + "E08000039,Sheffield,LAD,Employment rate,2023-01-01/P1Y,"
                 "seventy,Percentage,%,,,,\n", encoding="utf-8")
    code, _, err = cli("--data", str(f), "strengths", "E08000039")
    assert code == 1 and "line 2" in err and "seventy" in err


def test_read_rgva_workbook_matches_the_sheet(shared):
    openpyxl = pytest.importorskip("openpyxl")
    path = next((shared / "evidence/rgva_lad").glob("*northwest.xlsx"))
    frame, source = read_rgva_workbook(path)
    assert "North West" in source.title and "current prices" in source.title
    ws = openpyxl.load_workbook(path, read_only=True)["Current Price"]
    rows = ws.iter_rows(min_row=2, values_only=True)
    header = next(rows)
    first = next(rows)
    col = header.index("2021")
    got = frame[(frame.area == first[1]) & (frame.sic07 == first[3]) & (frame.year == 2021)]
    assert got["value"].tolist() == [first[col]]
    # suppressed cells ('c') in any workbook stay missing
    c_cells = 0
    for p in sorted((shared / "evidence/rgva_lad").glob("*.xlsx")):
        wb = openpyxl.load_workbook(p, read_only=True)
        if any(v == "c" for r in wb["Current Price"].iter_rows(min_row=3, values_only=True)
               for v in r[5:]):
            f, _ = read_rgva_workbook(p)
            c_cells = int(f["value"].isna().sum())
            break
    assert c_cells > 0


def test_read_rgva_tidy_keeps_empty_cells_missing_and_recodes(shared):
    frame, _ = read_rgva_tidy(shared / "evidence/rgva_lad/rgva_lad_current_prices_1998_2023.csv.gz")
    assert int(frame["value"].isna().sum()) == 3432  # the empty cells of the source
    assert (frame.area == "E08000039").any() and not (frame.area == "E08000019").any()


def test_strengths_with_a_user_workbook_says_what_it_compares_with(cli, shared):
    pytest.importorskip("openpyxl")
    path = next((shared / "evidence/rgva_lad").glob("*northeast.xlsx"))
    code, out, _ = cli("--data", str(path), "strengths", "E06000001", "--format", "json")
    r = json.loads(out)
    assert code == 0 and r["year"] == 2021 and r["comparator_districts"] == 12
    assert "do not cover the UK" in r["method"]


def test_evidence_files_do_not_reach_the_graph_loader(shared):
    from lisgraph import load_graph

    g = load_graph([shared / "evidence/ess/gross-value-added.csv"])
    assert "E47000001" in g.nodes  # loaded; the indicator file was left to lisgraph.evidence


def test_evidence_today_is_not_before_the_data():
    assert date.today() >= date(2025, 4, 30)  # the latest bundled period ends by then


# -- evidence in overlaps, opportunities and assess -------------------------------------------

def test_overlaps_basis_evidenced_and_both(cli):
    code, out, _ = cli("overlaps", "E47000001", "--basis", "evidenced", "--as-of", "2022-06-01",
                       "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["code"] == "E37000015" and rows[0]["similarity"] == 1.0
    code, out, _ = cli("overlaps", "E47000001", "--basis", "both", "--format", "json")
    both = json.loads(out)
    _, out, _ = cli("overlaps", "E47000001", "--format", "json")
    declared = json.loads(out)
    assert [r["code"] for r in both] == [r["code"] for r in declared]  # declared ranking kept
    assert all("similarity" in r for r in both) and "similarity" not in declared[0]
    code, _, err = cli("overlaps", "E47000001", "--basis", "guess")
    assert code == 2 and "use declared, evidenced, both" in err


def test_opportunities_basis(cli):
    code, out, _ = cli("opportunities", "E47000001", "--basis", "evidenced", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["a"] == "E47000001" for r in rows)
    assert all("proximity not applied" in r["reasons"] for r in rows)
    assert all(r["b"] != "E37000015" for r in rows)  # the same area is not a partner
    code, out, _ = cli("opportunities", "E47000001", "--basis", "both", "--format", "json")
    assert code == 0 and all("similarity" in r for r in json.loads(out))


def test_opportunities_evidenced_leaves_out_recorded_collaborators(cli):
    """A recorded collaboration is a collaboration node with party_to edges (issue 12): its
    parties are partners already, so they are not offered as opportunities."""
    from lisgraph import load_graph
    from lisgraph.collaborations import pairs_of

    view = load_graph().at("2022-06-01")
    partners = {p.other("E47000007") for p in pairs_of(view, "E47000007", view.as_of)}
    code, out, _ = cli("opportunities", "E47000007", "--basis", "evidenced", "--as-of",
                       "2022-06-01", "--format", "json")
    offered = {r["b"] for r in json.loads(out)}
    assert code == 0 and partners and offered  # the West Midlands LIS partners are recorded
    assert not offered & partners


def test_assess_gains_data_checks(cli):
    code, out, _ = cli("assess", "E47000001", "--format", "json")
    crit = {c["criterion"]: c for c in json.loads(out)["strategies"][0]["criteria"]}
    assert code == 0 and "Evidence" in crit  # assess's own check is kept beside the data's
    assert crit["Evidence (data)"]["result"] == "pass"
    assert crit["Focus (data)"]["result"] in ("pass", "warn", "fail")
    assert "not attribution" in crit["Evaluation (change since)"]["reason"]


def test_bundled_evidence_fits_the_wheel_budget():
    """≤ 3 MB in the wheel: the evidence files deflated as a wheel (zip) stores them."""
    import io
    import zipfile

    from lisgraph.assets import loaders_dir

    buf = io.BytesIO()
    root = loaders_dir().joinpath("evidence")
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".csv"))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, root.joinpath(n).read_bytes())
    assert {"observations.csv", "gva_industry.csv", "sources.csv"} <= set(names)
    assert buf.tell() <= 3_000_000


def test_bad_period_is_one_clear_line(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(ESS_HEADER + "E08000039,Sheffield,LAD,Employment rate,2023-01-01/P1Y,70,,,,,,\n"
                 "E08000039,Sheffield,LAD,Employment rate,last year,71,,,,,,\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"bad.csv: line 3: field 'period': 'last year' is not a period"):
        read_ess(f)


def test_show_reads_user_evidence_files(cli, tmp_path):
    f = tmp_path / "my-indicator.csv"
    f.write_text(ESS_HEADER + "E47000001,Greater Manchester,Combined Authority,Gross value added "
                 "per hour worked,2024-01-01/P1Y,41.25,Pounds,£,,,,\n", encoding="utf-8")
    code, out, _ = cli("--data", str(f), "show", "E47000001", "--format", "json")
    rows = {r["indicator"]: r for r in json.loads(out)["evidence"]["rows"]}
    assert code == 0 and rows["gva-per-hour"]["value"] == 41.25
    assert rows["gva-per-hour"]["sources"] == ["ess-my-indicator"]


def test_ess_loader_property_values_kept_and_blanks_never_zero(tmp_path):
    """Any mix of published and suppressed cells: values come back exactly, blanks as missing."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cell = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False,
                                           allow_infinity=False))

    @settings(max_examples=30, deadline=None)
    @given(st.lists(cell, min_size=1, max_size=12))
    def check(values):
        f = tmp_path / "prop.csv"
        lines = [f"E0600000{i % 10},X,LAD,Employment rate,{2000 + i}-01-01/P1Y,"
                 f"{'' if v is None else repr(v)},Percentage,%,,,{'x' if v is None else ''},\n"
                 for i, v in enumerate(values)]
        f.write_text(ESS_HEADER + "".join(lines), encoding="utf-8")
        frame, _ = read_ess(f)
        got = frame["value"].tolist()
        assert len(got) == len(values)
        for v, g in zip(values, got):
            assert (g != g) if v is None else g == v  # NaN for a blank, the value otherwise

    check()


def test_evidence_detection_never_opens_pipes_or_devices(tmp_path):
    import os

    from lisgraph.evidence.detect import evidence_kind

    fifo = tmp_path / "gross-value-added.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    assert evidence_kind(fifo) is None and evidence_kind(zero) is None
