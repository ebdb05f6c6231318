"""The CLI: JSON contracts, formats, --as-of, and errors as one line with exit 1."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES


def test_places_json_contract(cli):
    code, out, _ = cli("places", "--type", "lep", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 40
    assert all({"code", "name", "type"} <= set(r) for r in rows)
    assert {r["type"] for r in rows} == {"lep"}


def test_places_as_of_filters_abolished_bodies(cli):
    _, out, _ = cli("--as-of", "2022-01-01", "places", "--type", "lep", "--format", "json")
    assert len(json.loads(out)) == 38
    _, out, _ = cli("places", "--type", "lep", "--as-of", "2025-01-01", "--format", "json")
    assert [r["name"] for r in json.loads(out)] == ["Greater Lincolnshire"]  # ran to 31 Jan 2025
    _, out, _ = cli("places", "--type", "lep", "--as-of", "2025-02-01", "--format", "json")
    assert json.loads(out) == []


def test_show_json_contract(cli):
    code, out, _ = cli("show", "Greater Manchester", "--format", "json")
    p = json.loads(out)
    assert code == 0
    assert (p["code"], p["type"]) == ("E47000001", "combined_authority")
    assert {"code", "name", "type", "members", "member_of", "sources"} <= set(p)
    members = {m["name"] for m in p["members"]}
    assert {"Manchester", "Salford", "Wigan"} <= members and len(members) == 10
    for m in p["members"]:
        assert {"code", "name", "type", "valid_from", "valid_to"} <= set(m)
    assert p["sources"] and all({"id", "publisher", "vintage"} <= set(s) for s in p["sources"])


def test_show_as_of_changes_lep_members(cli):
    _, out, _ = cli("show", "Leeds City Region", "--format", "json", "--as-of", "2018-06-01")
    lis_period = {m["name"] for m in json.loads(out)["members"]}
    _, out, _ = cli("show", "Leeds City Region", "--format", "json", "--as-of", "2022-06-01")
    later = {m["name"] for m in json.loads(out)["members"]}
    # York, Harrogate, Craven, Selby and Barnsley left Leeds City Region in the 2020-21 changes
    assert later == {"Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"}
    assert {"York", "Harrogate", "Barnsley"} <= lis_period
    for m in json.loads(out)["members"]:
        assert m["valid_from"] <= "2022-06-01" <= (m["valid_to"] or "9999")


def test_show_district_member_of(cli):
    _, out, _ = cli("show", "cannock chase", "--format", "json", "--as-of", "2021-06-01")
    p = json.loads(out)
    assert {m["code"] for m in p["member_of"] if m["type"] == "lep"} == {"E37000012", "E37000032"}
    assert {m["code"] for m in p["member_of"] if m["type"] == "county"} == {"E10000028"}


def test_show_resolves_old_lep_code_and_case(cli):
    _, out, _ = cli("show", "e37000050", "--format", "json")
    assert json.loads(out)["code"] == "E37000062"  # Leeds City Region's 2020 code


def test_unknown_place_suggests_and_exits_1(cli):
    code, out, err = cli("show", "Greater Manchestr")
    assert code == 1 and out == ""
    assert "did you mean" in err and "Greater Manchester" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json"])
def test_every_format_renders_show_and_places(cli, fmt):
    code, out, _ = cli("show", "Oxfordshire", "--format", fmt)
    assert code == 0 and "Oxford" in out
    code, out, _ = cli("places", "--type", "region", "--format", fmt)
    assert code == 0 and "North West" in out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 9 and set(rows[0]) >= {"code", "name", "type"}


def test_info_counts(cli):
    _, out, _ = cli("info", "--format", "json")
    s = json.loads(out)
    assert s["nodes"]["lep"] == 40 and s["nodes"]["region"] == 9
    assert s["total_edges"] == sum(s["edges"].values())
    assert all(src["records"] > 0 for src in s["sources"])


def test_user_data_joins_bundled(cli):
    _, out, _ = cli("--data", str(FIXTURES / "user"), "show", "Example Robotics Ltd", "--format", "json")
    p = json.loads(out)
    assert [x["code"] for x in p["partners"]] == ["E47000001"]


def test_unknown_type_is_a_domain_error(cli):
    code, _, err = cli("places", "--type", "castle")
    assert code == 1 and "unknown type" in err


def test_bad_date_is_a_usage_error(cli):
    code, _, _ = cli("--as-of", "yesterday", "info")
    assert code == 2


#: commands that write a file or change a server instead of listing rows
NOT_LISTINGS = {"viz", "export", "validate"}


def test_every_command_has_help(cli):
    from lisgraph.cli import app

    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert command.callback.__doc__, name
        code, out, _ = cli(name, "--help")
        assert code == 0 and command.callback.__doc__.split()[0] in out, name
        if name not in NOT_LISTINGS:
            assert "--format" in out, name


@pytest.mark.slow
def test_bad_file_gives_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "districts.csv"
    bad.write_text("code,name,kind,lat,lon,valid_from,valid_to,source\nE0800003,X,k,,,,,s1\n")
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--data", str(bad), "info"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "districts.csv:2" in lines[0] and "Traceback" not in proc.stderr


def test_commands_run_with_the_cyclic_collector_paused_and_restore_it(monkeypatch):
    """The console entry point pauses the collector for the command (lisgraph.gcpause) and
    turns it back on afterwards, also when the command fails."""
    import gc

    import lisgraph.cli as cli
    from lisgraph.errors import LisgraphError

    seen = []

    def command() -> None:
        seen.append(gc.isenabled())
        raise LisgraphError("no such place")

    monkeypatch.setattr(cli, "app", command)
    assert gc.isenabled()
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1 and seen == [False] and gc.isenabled()
