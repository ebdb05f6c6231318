"""Reading RDF back (--data file.ttl|.nt|.jsonld): what is read, and bad files as one line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

pytest.importorskip("pyoxigraph")
pytest.importorskip("rdflib")

from lisgraph import load_graph  # noqa: E402
from lisgraph.errors import InputError  # noqa: E402
from lisgraph.rdf.export import export  # noqa: E402
from lisgraph.rdf.importer import load_rdf  # noqa: E402

from .test_rdf_export import ISSUED, normalised, toy_graph  # noqa: E402

TTL_HEADER = """@prefix lis: <https://w3id.org/lisgraph/def#> .
@prefix lisid: <https://w3id.org/lisgraph/id/> .
@prefix statgeo: <http://statistics.data.gov.uk/id/statistical-geography/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
PREFIXES = TTL_HEADER + """<https://w3id.org/lisgraph/id/source/s> lis:code "s" ; lis:vintage "2021" ; dcterms:title "t" ;
    dcterms:publisher "ONS" ; dcterms:license "OGL-UK-3.0" .
"""
HEAD = PREFIXES + """statgeo:E12000002 lis:code "E12000002" ; lis:nodeType "region" ;
    rdfs:label "North West" ; prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
"""


LINK = "<https://example.org/l> a lis:Link ; lis:from statgeo:E12000002 ; lis:to statgeo:E12000002 ;"


def write(tmp_path, text, name="data.ttl"):
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_minimal_file_reads_sources_nodes_and_links(tmp_path):
    path = write(tmp_path, """
statgeo:E08000003 lis:code "E08000003" ; lis:nodeType "district" ; rdfs:label "Manchester" ;
    lis:lat "53.48"^^xsd:decimal ; prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
<https://example.org/l1> a lis:Link ; lis:from statgeo:E08000003 ; lis:to statgeo:E12000002 ;
    lis:linkType "part_of" ; lis:validFrom "2020-01-01"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
""")
    g = load_rdf(path)
    assert g.nodes["E08000003"].props == {"lat": 53.48}
    (edge,) = g.edges
    assert (edge.start, edge.type, edge.end, edge.valid_from) == (
        "E08000003", "part_of", "E12000002", date(2020, 1, 1))
    assert g.sources["s"].licence == "OGL-UK-3.0"


def test_links_may_point_at_already_loaded_nodes_and_be_blank_nodes(tmp_path):
    path = tmp_path / "partner.ttl"
    path.write_text(PREFIXES + """
lisid:organisation\\/acme lis:code "acme" ; lis:nodeType "organisation" ; rdfs:label "Acme" ;
    prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
[] a lis:Link ; lis:from lisid:organisation\\/acme ; lis:to statgeo:E47000001 ;
    lis:linkType "partner_of" ; prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
""", encoding="utf-8")
    g = load_graph([path])  # with the bundled data: E47000001 is Greater Manchester
    assert [e.end for e in g.out_edges("acme", ["partner_of"])] == ["E47000001"]
    assert g.out_edges("acme")[0].sources == ("s",)


def test_export_of_bundled_data_loads_on_top_of_bundled_data(bundled, tmp_path):
    out = tmp_path / "bundled.nt"
    export(bundled, "nt", out, issued=ISSUED)
    g = load_graph([out])
    assert normalised(g) == normalised(bundled)


def test_conflicting_record_is_refused_with_the_fix(tmp_path):
    toy = toy_graph()
    out = tmp_path / "toy.ttl"
    export(toy, "ttl", out, issued=ISSUED)
    edited = out.read_text(encoding="utf-8").replace('"Salford"', '"Salford City"')
    out.write_text(edited, encoding="utf-8")
    original = tmp_path / "original.ttl"
    export(toy, "ttl", original, issued=ISSUED)
    with pytest.raises(InputError, match="differs from the one already loaded.*--no-bundled"):
        load_graph([original, out], bundled=False)


@pytest.mark.parametrize("text, match", [
    ('statgeo:E08000003 lis:code "E08000003" ; lis:nodeType "castle" .', "not a node type"),
    ('statgeo:E08000003 lis:code "E08000003" ; lis:nodeType "district" .', "rdfs:label.*none"),
    (LINK + ' lis:linkType "part_of" ; lis:validFrom "soon"^^xsd:date .',
     "'soon' is not a valid date"),
    ('statgeo:E12000002 lis:lattitude "53"^^xsd:decimal .', "lis:lattitude.*not a property"),
    (LINK + ' lis:linkType "owns" .', "'owns' is not an edge type"),
    ('<https://example.org/l> a lis:Link ; lis:to statgeo:E12000002 ; lis:linkType "part_of" .',
     "lis:from.*has none"),
])
def test_incomplete_records_name_file_resource_and_fix(tmp_path, text, match):
    path = write(tmp_path, text + "\n")
    with pytest.raises(InputError, match=match) as info:
        load_rdf(path)
    assert str(path) in str(info.value) and " — " in str(info.value)


@pytest.mark.parametrize("name, text, line", [
    ("bad.ttl", HEAD + "statgeo:E1 lis:code <not an iri> .\nstatgeo:E2 lis:code \"y\" .\n", 12),
    ("bad.nt", '<http://e/a> <http://e/b> "c" .\n<http://e/a> <http://e/b> oops .\n', 2),
    ("bad.jsonld", '{"@context": {"x": "http://e/"}, "@id": "http://e/a", "x:p": [}', 1),
])
def test_malformed_rdf_is_one_input_error_with_file_and_line(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_graph([path], bundled=False)
    assert info.value.path == str(path) and info.value.line == line
    assert "\n" not in str(info.value)


@pytest.mark.slow
def test_malformed_rdf_on_the_command_line_is_one_line_exit_1(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix lis: <https://w3id.org/lisgraph/def#> .\nlis:a lis:b .\n")
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--data", str(bad), "info"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.ttl:2" in lines[0] and "Traceback" not in proc.stderr


def test_other_suffixes_are_still_refused(tmp_path):
    path = tmp_path / "graph.xml"
    path.write_text("<rdf/>")
    with pytest.raises(InputError, match="RDF"):
        load_graph([path], bundled=False)
