"""RDF in lisgraph's vocabulary as input: the importer checks what the CSV loader checks, and
Turtle, N-Triples and JSON-LD exports load back through --data for every input kind."""

from __future__ import annotations

import pytest

from lisgraph import load_graph

from .conftest import FIXTURES
from .fuzz.harness import normalised
from .loader_inputs import COUNTIES, MANIFEST, MANIFEST_SOURCES, PARTNERSHIPS, load_error, write_set


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


# -- round trips: Turtle, N-Triples and JSON-LD exports load back (--data), per input kind --------

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
    assert normalised(again) == normalised(original)


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
