"""The linked-data commands: export, validate, sparql (bound parameters), and lazy imports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

pytest.importorskip("pyoxigraph")
pytest.importorskip("rdflib")

from lisgraph.rdf.export import export  # noqa: E402

from .test_rdf_export import EVIL, ISSUED, toy_graph  # noqa: E402
from .test_rdf_validate import BROKEN  # noqa: E402


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("toy") / "toy.ttl"
    export(toy_graph(), "ttl", path, issued=ISSUED)
    return path


@pytest.fixture
def toy_cli(cli, toy_file):
    """The CLI on the toy graph alone (--no-bundled --data toy.ttl)."""
    return lambda *args: cli("--no-bundled", "--data", str(toy_file), *args)


@pytest.mark.parametrize("fmt, name", [("ttl", "g.ttl"), ("nt", "g.nt"), ("jsonld", "g.jsonld"),
                                       ("graphml", "g.graphml"), ("gexf", "g.gexf"),
                                       ("csv", "g.zip")])
def test_export_writes_each_format(toy_cli, tmp_path, fmt, name):
    out = tmp_path / name
    code, stdout, stderr = toy_cli("export", "--format", fmt, "--out", str(out))
    assert code == 0 and stdout == "" and out.is_file() and out.stat().st_size > 0
    assert f"wrote {out} ({fmt}:" in stderr


def test_export_format_from_suffix_and_unknown_suffix(toy_cli, tmp_path):
    code, _, err = toy_cli("export", "--out", str(tmp_path / "g.nt"))
    assert code == 0 and "(nt:" in err
    code, _, err = toy_cli("export", "--out", str(tmp_path / "g.rdf"))
    assert code == 1 and "cannot tell the format" in err and not (tmp_path / "g.rdf").exists()


def test_export_csv_to_folder(toy_cli, tmp_path):
    code, _, _ = toy_cli("export", "-f", "csv", "-o", str(tmp_path / "neo4j"))
    assert code == 0 and (tmp_path / "neo4j" / "nodes_District.csv").is_file()


def test_validate_passes_on_the_graph_and_a_good_file(toy_cli, toy_file):
    code, out, err = toy_cli("validate", str(toy_file))
    assert code == 0 and out == "" and "conforms" in err


def test_validate_broken_file_lists_violations_and_exits_1(cli, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text(BROKEN, encoding="utf-8")
    code, out, err = cli("--no-bundled", "validate", str(bad))
    lines = out.strip().splitlines()
    assert code == 1 and len(lines) == 12 and all(line.startswith(f"{bad}: ") for line in lines)
    assert "12 violation(s)" in err
    code, out, _ = cli("--no-bundled", "validate", str(bad), "--format", "json")
    rows = json.loads(out)
    assert code == 1 and {"file", "node", "path", "message"} <= set(rows[0])


def test_validate_malformed_file_is_one_line(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n")
    code, out, err = cli("--no-bundled", "validate", str(bad))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "bad.ttl:1" in err


def test_sparql_select_with_prefixes_and_formats(toy_cli, tmp_path):
    query = ("SELECT ?code ?name WHERE { ?n a lis:District ; lis:code ?code ; rdfs:label ?name }"
             " ORDER BY ?code")
    code, out, _ = toy_cli("sparql", query, "--format", "json")
    assert code == 0 and [r["name"] for r in json.loads(out)] == [
        "Old District", "Manchester", "Salford"]
    rq = tmp_path / "bodies.rq"
    rq.write_text("# the governing bodies (alignment triples)\n"
                  "SELECT ?body WHERE { ?body lis:governs statgeo:E47000001 }\n")
    code, out, _ = toy_cli("sparql", f"@{rq}", "--format", "csv")
    assert code == 0 and list(csv.DictReader(io.StringIO(out))) == [
        {"body": "https://w3id.org/lisgraph/id/body/E47000001"}]


def test_sparql_parameters_are_bound_as_data_not_spliced(toy_cli):
    query = "SELECT ?name ?code WHERE { ?n rdfs:label ?name ; lis:code ?code }"
    code, out, _ = toy_cli("sparql", query, "-p", f"name={EVIL}", "-f", "json")
    assert code == 0 and json.loads(out) == [{"name": EVIL, "code": "evil-org"}]
    injection = 'x" } UNION { ?n rdfs:label ?name ; lis:code ?code } #'
    code, out, _ = toy_cli("sparql", query, "-p", f"name={injection}", "-f", "json")
    assert code == 0 and json.loads(out) == []
    dated = "SELECT ?as_of ?code WHERE { ?l lis:validFrom ?as_of ; lis:from ?f . ?f lis:code ?code }"
    code, out, _ = toy_cli("sparql", dated, "-p", "as_of=2017-04-01", "-f", "json")
    assert json.loads(out) == [{"as_of": "2017-04-01", "code": "E08000003"}]


def test_sparql_errors_are_one_line(toy_cli, tmp_path):
    code, _, err = toy_cli("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert code == 1 and err.startswith("Error: SPARQL syntax error")
    code, _, err = toy_cli("sparql", "SELECT ?name WHERE { ?n rdfs:label ?name }", "-p", "code=x")
    assert code == 1 and "SELECT clause" in err
    code, _, err = toy_cli("sparql", f"@{tmp_path / 'missing.rq'}")
    assert code == 1 and "no such query file" in err
    code, _, _ = toy_cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "-p", "no-equals")
    assert code == 2


@pytest.mark.slow
def test_cli_start_up_does_not_import_rdf_libraries():
    heavy = "('rdflib', 'pyoxigraph', 'pyshacl', 'pyld')"
    probe = f"import sys, lisgraph.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
