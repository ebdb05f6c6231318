"""SHACL validation: the bundled graph conforms; a deliberately broken file shows each fault."""

from __future__ import annotations

import pytest

pytest.importorskip("pyshacl")

from lisgraph.errors import InputError  # noqa: E402
from lisgraph.rdf.export import export  # noqa: E402
from lisgraph.rdf.validate import validate_files, validate_graph  # noqa: E402

from .test_rdf_export import ISSUED, toy_graph  # noqa: E402
from .test_rdf_import import TTL_HEADER  # noqa: E402

# One fault per resource, each named in the comment; the source and North West are fine.
BROKEN = TTL_HEADER + """lisid:source\\/s lis:code "s" ; lis:vintage "2021" ; dcterms:title "t" ;
    dcterms:publisher "ONS" ; dcterms:license "OGL-UK-3.0" .
statgeo:E12000002 a lis:Region ; lis:code "E12000002" ; lis:nodeType "region" ;
    rdfs:label "North West" ; prov:wasDerivedFrom lisid:source\\/s .
# code does not match the district rule
statgeo:E0800003 a lis:District ; lis:code "E0800003" ; lis:nodeType "district" ;
    rdfs:label "Short code" ; prov:wasDerivedFrom lisid:source\\/s .
# no name, latitude out of range
statgeo:E08000006 a lis:District ; lis:code "E08000006" ; lis:nodeType "district" ;
    lis:lat "123.0"^^xsd:decimal ; prov:wasDerivedFrom lisid:source\\/s .
# a region cannot be part of anything; no source
statgeo:E12000003 a lis:Region ; lis:code "E12000003" ; lis:nodeType "region" ;
    rdfs:label "Yorkshire" ; lis:partOf statgeo:E12000002 .
# status outside its list; cites a source that is not described
lisid:strategy\\/x a lis:Strategy ; lis:code "x" ; lis:nodeType "strategy" ; rdfs:label "X" ;
    lis:status "lost" ; prov:wasDerivedFrom lisid:source\\/nowhere .
# valid from after valid to
<https://example.org/link> a lis:Link ; lis:from statgeo:E08000006 ; lis:to statgeo:E12000002 ;
    lis:linkType "part_of" ; lis:validFrom "2020-01-01"^^xsd:date ;
    lis:validTo "2019-01-01"^^xsd:date ; prov:wasDerivedFrom lisid:source\\/s .
"""


def test_bundled_graph_conforms(bundled):
    assert validate_graph(bundled) == []


def test_toy_graph_and_its_export_conform(tmp_path):
    toy = toy_graph()
    assert validate_graph(toy) == []
    out = tmp_path / "toy.jsonld"
    export(toy, "jsonld", out, issued=ISSUED)
    assert validate_files([out]) == []


def test_broken_file_shows_each_violation_as_one_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    found = {(v.node, v.path) for v in validate_files([path])}
    assert found == {
        ("statgeo:E0800003", "lis:code"),
        ("statgeo:E08000006", "rdfs:label"),
        ("statgeo:E08000006", "lis:lat"),
        ("statgeo:E12000003", ""),  # part_of cannot start at a region
        ("statgeo:E12000003", "prov:wasDerivedFrom"),
        ("lisid:strategy/x", "lis:status"),
        ("<https://example.org/link>", "lis:validFrom"),
    } | {("lisid:source/nowhere", p) for p in (
        "lis:code", "dcterms:title", "dcterms:publisher", "lis:vintage", "dcterms:license")}
    lines = [str(v) for v in validate_files([path])]
    assert all("\n" not in line and line.startswith(f"{path}: ") for line in lines)
    assert any("part_of can only start at: district" in line for line in lines)
    assert any("(value: E0800003)" in line for line in lines)


def test_file_is_checked_against_the_graph_it_joins(bundled, tmp_path):
    """A partner file linking to a bundled body resolves against the bundled graph."""
    path = tmp_path / "partner.ttl"
    path.write_text(BROKEN.split("# code does")[0] + """
lisid:organisation\\/acme a lis:Organisation ; lis:code "acme" ; lis:nodeType "organisation" ;
    rdfs:label "Acme" ; prov:wasDerivedFrom lisid:source\\/s ;
    lis:partnerOf statgeo:E47000001 .
""", encoding="utf-8")
    alone = {(v.node, v.path) for v in validate_files([path])}
    assert alone == {("statgeo:E47000001", "")}  # partner_of's end is not described alone
    assert validate_files([path], context=bundled) == []


def test_malformed_file_is_an_input_error(tmp_path):
    path = tmp_path / "bad.nt"
    path.write_text("<http://e/a> <http://e/b> .\n")
    with pytest.raises(InputError, match=r"bad.nt:1: not valid N-Triples"):
        validate_files([path])
