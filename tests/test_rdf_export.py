"""RDF and graph-file exports: parse in rdflib and pyoxigraph, expand in pyld, load in networkx,
carry DCAT and provenance, round-trip through the importer, and write atomically."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

rdflib = pytest.importorskip("rdflib")
ox = pytest.importorskip("pyoxigraph")
from rdflib.compare import isomorphic  # noqa: E402

from lisgraph.rdf.export import ExportError, export, grouped, linked_triples  # noqa: E402

pytestmark = pytest.mark.filterwarnings(  # rdflib's own JSON-LD parser, not lisgraph
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ISSUED = date(2025, 1, 31)
RDF_FORMATS = ["ttl", "nt", "jsonld"]
OX_FORMAT = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}
EVIL = 'Evil " } ; DROP ALL ; # \\ name'


def toy_graph() -> KnowledgeGraph:
    """Twelve nodes covering every edge type, list/date/bool/float properties and hard text."""
    g = KnowledgeGraph()
    g.add_source(Source("ons", "ONS", 'Lookup "A"\nsecond line', "https://example.org/ons?a=1&b=2",
                        "2021-12", "OGL-UK-3.0", "note: ünïcode — and a tab\t"))
    g.add_source(Source("web", "A LEP", "Board page", "", "2019", "unknown"))
    s, w = ("ons",), ("ons", "web")
    nodes = [
        Node("E12000002", "region", "North West", s),
        Node("E08000003", "district", "Manchester", s,
             {"kind": "metropolitan borough", "lat": 53.4808, "lon": -2.2426}),
        Node("E08000006", "district", "Salford", s, {"valid_from": date(1974, 4, 1)}),
        Node("E07000001", "district", "Old District", s, {"valid_to": date(2009, 3, 31)}),
        Node("E37000051", "lep", "Greater Manchester LEP", w,
             {"alt_codes": ["E37000015"], "former_names": ["GM LEP", "Manchester LEP"],
              "valid_to": date(2024, 3, 31)}),
        Node("E47000001", "combined_authority", "Greater Manchester", s,
             {"mayoral": True, "valid_from": date(2011, 4, 1)}),
        Node("northern-powerhouse", "partnership", "Northern Powerhouse", w,
             {"kind": "pan-regional partnership", "url": "https://example.org/np"}),
        Node("10007798", "provider", "University of Manchester", s,
             {"groups": ["Russell Group"], "postcode": "M13 9PL", "lat": 53.46, "lon": -2.23}),
        Node("evil-org", "organisation", EVIL, w, {"kind": "business"}),
        Node("lis-gm", "strategy", "Greater Manchester LIS", s,
             {"status": "published", "date": date(2019, 6, 13)}),
        Node("lis-gm/health", "priority", "Health innovation", s),
        Node("ideas", "theme", "Ideas", s, {"scheme": "foundation",
                                            "alt_labels": ["innovation", "R&D"]}),
        Node("ai-data", "theme", "AI & data", s, {"scheme": "grand_challenge"}),
        Node("life-sciences", "theme", "Life sciences", s, {"scheme": "sector"}),
    ]
    for n in nodes:
        g.add_node(n)
    d = date
    for e in [
        Edge("E08000003", "part_of", "E12000002", s),
        Edge("E08000003", "part_of", "E37000051", s, d(2017, 4, 1), d(2020, 3, 31),
             {"area_code": "E37000015"}),
        Edge("E08000003", "part_of", "E37000051", w, d(2020, 4, 1), d(2024, 3, 31),
             {"area_code": "E37000051"}),
        Edge("E08000003", "part_of", "E47000001", s, d(2011, 4, 1)),
        Edge("E08000006", "part_of", "E47000001", s, d(2011, 4, 1)),
        Edge("E08000003", "neighbours", "E08000006", s),
        Edge("E07000001", "succeeded_by", "E08000003", s, props={"date": d(2009, 4, 1)}),
        Edge("E47000001", "member_of", "northern-powerhouse", w, d(2016, 1, 1)),
        Edge("10007798", "member_of", "northern-powerhouse", w),
        Edge("10007798", "located_in", "E08000003", s),
        Edge("E47000001", "published", "lis-gm", s),
        Edge("lis-gm", "has_priority", "lis-gm/health", s),
        Edge("lis-gm/health", "addresses", "ideas", s),
        Edge("lis-gm/health", "addresses", "ai-data", s),
        Edge("life-sciences", "broader", "ideas", s),
        Edge("E47000001", "collaborates_with", "10007798", w, d(2019, 1, 1), None,
             {"collaboration": "gm-health", "collaboration_name": "GM health deal",
              "themes": ["ideas", "ai-data"]}),
        Edge("evil-org", "partner_of", "E47000001", w, props={"themes": ["ai-data"]}),
    ]:
        g.add_edge(e)
    g.finalize()
    g.check()
    return g


def rdflib_graph(path: Path, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format={"ttl": "turtle", "nt": "nt",
                                              "jsonld": "json-ld"}[fmt])


def expected_graph(g: KnowledgeGraph) -> rdflib.Graph:
    """The triples the exports must hold, built without any serializer."""
    out, uri = rdflib.Graph(), rdflib.URIRef
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    for s, p, o in linked_triples(g, ISSUED):
        obj = uri(o[1]) if o[0] == "iri" else rdflib.Literal(
            o[1], datatype=uri(o[2]) if o[2] and o[2] != xsd_string else None)
        out.add((uri(s), uri(p), obj))
    return out


def normalised(g: KnowledgeGraph) -> tuple[set, set, set]:
    def props(p: dict) -> tuple:
        return tuple(sorted((k, tuple(sorted(map(str, v))) if isinstance(v, list) else v)
                            for k, v in p.items()))

    nodes = {(n.id, n.type, n.name, frozenset(n.sources), props(n.props))
             for n in g.nodes.values()}
    edges = {(e.start, e.type, e.end, e.valid_from, e.valid_to, frozenset(e.sources),
              props(e.props)) for e in g.edges}
    return nodes, edges, set(g.sources.values())


@pytest.fixture(scope="module")
def toy() -> KnowledgeGraph:
    return toy_graph()


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_parses_in_rdflib_and_pyoxigraph_with_the_same_triples(toy, tmp_path, fmt):
    out = tmp_path / f"toy.{fmt}"
    summary = export(toy, fmt, out, issued=ISSUED)
    expected = expected_graph(toy)
    via_rdflib = rdflib_graph(out, fmt)
    via_ox = rdflib.Graph().parse(data=ox.serialize(
        ox.parse(path=str(out), format=getattr(ox.RdfFormat, OX_FORMAT[fmt])),
        format=ox.RdfFormat.N_QUADS).decode(), format="nt")
    assert summary["triples"] == len(expected) == len(via_rdflib) == len(via_ox)
    assert isomorphic(via_rdflib, expected) and isomorphic(via_ox, expected)


def test_jsonld_expands_with_pyld_to_the_same_graph(toy, tmp_path):
    jsonld = pytest.importorskip("pyld.jsonld")
    out = tmp_path / "toy.jsonld"
    export(toy, "jsonld", out, issued=ISSUED)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "@context" in doc and doc["@context"]["partOf"] == {"@id": "lis:partOf", "@type": "@id"}
    manchester = next(n for n in doc["@graph"] if n["@id"] == "statgeo:E08000003")
    assert manchester["@type"] == "District" and manchester["lat"] == "53.4808"
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(rdflib.Graph().parse(data=nquads, format="nt"), expected_graph(toy))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_import_export_round_trip_is_isomorphic(toy, tmp_path, fmt):
    from lisgraph import load_graph

    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export(toy, fmt, first, issued=ISSUED)
    back = load_graph([first], bundled=False)
    assert normalised(back) == normalised(toy)
    export(back, fmt, second, issued=ISSUED)
    assert isomorphic(rdflib_graph(first, fmt), rdflib_graph(second, fmt))


def test_bundled_graph_round_trips_through_turtle(bundled, tmp_path):
    from lisgraph import load_graph

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    export(bundled, "ttl", first, issued=ISSUED)
    back = load_graph([first], bundled=False)
    assert normalised(back) == normalised(bundled)
    export(back, "ttl", second, issued=ISSUED)
    assert isomorphic(rdflib_graph(first, "ttl"), rdflib_graph(second, "ttl"))


def test_exports_are_deterministic(toy, tmp_path):
    for fmt in RDF_FORMATS:
        a, b = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        export(toy, fmt, a, issued=ISSUED)
        export(toy_graph(), fmt, b, issued=ISSUED)
        assert a.read_bytes() == b.read_bytes(), fmt


def _ask(path: Path, query: str) -> bool:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    from lisgraph.rdf.store import prefix_header

    return bool(store.query(prefix_header() + query))


def test_turtle_carries_dcat_description_and_provenance_of_every_fact(toy, tmp_path):
    out = tmp_path / "toy.ttl"
    export(toy, "ttl", out, issued=ISSUED)
    g = rdflib_graph(out, "ttl")
    ds = rdflib.URIRef("https://w3id.org/lisgraph/id/dataset")
    DCT, DCAT = rdflib.Namespace("http://purl.org/dc/terms/"), rdflib.Namespace(
        "http://www.w3.org/ns/dcat#")
    assert (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert str(g.value(ds, DCT.issued)) == "2025-01-31" and g.value(ds, DCT.title)
    assert str(g.value(ds, DCAT.version)) == __import__("lisgraph").__version__
    assert set(g.objects(ds, DCT.license)) == {rdflib.URIRef(
        "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")}
    assert len(set(g.objects(ds, DCT.source))) == len(toy.sources)
    # every node, link and governing body cites a source; every cited source is described
    assert not _ask(out, """ASK { ?x lis:nodeType|lis:linkType|lis:governs ?any
                                  FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s } }""")
    assert not _ask(out, """ASK { ?x prov:wasDerivedFrom ?s
                                  FILTER NOT EXISTS { ?s lis:vintage ?v ; dcterms:title ?t } }""")


def test_identifiers_areas_bodies_and_vocabularies(toy, tmp_path):
    out = tmp_path / "toy.ttl"
    export(toy, "ttl", out, issued=ISSUED)
    # the body governing an area is its own resource; ORG memberships; SKOS scheme
    np = "lisid:partnership\\/northern-powerhouse"
    assert _ask(out, f"""ASK {{ lisid:body\\/E47000001 lis:governs statgeo:E47000001 ;
                                a org:Organization ; org:memberOf {np} .
                                {np} a org:OrganizationalCollaboration }}""")
    assert _ask(out, """ASK { ?m a org:Membership ; org:member lisid:body\\/E08000003 ;
                              org:organization lisid:body\\/E37000051 ;
                              lis:validFrom "2017-04-01"^^xsd:date }""")
    assert _ask(out, """ASK { lisid:theme\\/ideas a skos:Concept ; skos:prefLabel "Ideas" ;
                              skos:altLabel "R&D" ; skos:topConceptOf ?scheme .
                              ?scheme a skos:ConceptScheme .
                              lisid:theme\\/life-sciences skos:broader lisid:theme\\/ideas }""")
    assert _ask(out, """ASK { ?c a org:OrganizationalCollaboration ; lis:code "gm-health" ;
                              org:hasMember lisid:body\\/E47000001, lisid:provider\\/10007798 }""")


def test_graphml_and_gexf_load_back_in_networkx(toy, tmp_path):
    nx = pytest.importorskip("networkx")
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"toy.{fmt}"
        summary = export(toy, fmt, out)
        back = read(out)
        assert back.number_of_nodes() == len(toy.nodes) == summary["nodes"]
        assert back.number_of_edges() == len(toy.edges) == summary["edges"]
        lep = back.nodes["E37000051"]
        assert lep["label"] == "Greater Manchester LEP" and lep["type"] == "lep"
        assert lep["former_names"] == "GM LEP;Manchester LEP" and lep["valid_to"] == "2024-03-31"
        kinds = {d.get("relation") for _, _, d in back.edges(data=True)}
        assert kinds == {e.type for e in toy.edges}
        dated = [d for _, _, d in back.edges(data=True) if d.get("valid_from") == "2017-04-01"]
        assert len(dated) == 1 and dated[0]["area_code"] == "E37000015"


def test_csv_zip_is_in_neo4j_admin_import_layout(toy, tmp_path):
    out = tmp_path / "neo4j.zip"
    export(toy, "csv", out)
    z = zipfile.ZipFile(out)
    names = set(z.namelist())
    assert {"nodes_District.csv", "relationships_PART_OF.csv", "sources.csv", "IMPORT.txt"} <= names

    def rows(name: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8"))))

    districts = rows("nodes_District.csv")
    assert list(districts[0])[:2] == ["code:ID", "name"] and list(districts[0])[-1] == ":LABEL"
    assert "lat:float" in districts[0] and "valid_from:date" in districts[0]
    assert {r["code:ID"] for r in districts} == {"E08000003", "E08000006", "E07000001"}
    lep = rows("nodes_LocalEnterprisePartnership.csv")[0]
    assert lep["former_names:string[]"] == "GM LEP;Manchester LEP"
    part_of = rows("relationships_PART_OF.csv")
    assert list(part_of[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert len(part_of) == 5 and {r[":TYPE"] for r in part_of} == {"PART_OF"}
    total = sum(len(rows(n)) for n in names if n.startswith("relationships_"))
    assert total == len(toy.edges)
    assert sum(len(rows(n)) for n in names if n.startswith("nodes_")) == len(toy.nodes)
    assert "--relationships=relationships_PART_OF.csv" in z.read("IMPORT.txt").decode()


def test_csv_folder_is_replaced_but_a_foreign_folder_is_refused(toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    (out / "nodes_District.csv").write_text("old")
    export(toy, "csv", out)  # an earlier export is replaced as a whole
    assert (out / "IMPORT.txt").is_file() and (out / "nodes_District.csv").read_text() != "old"
    (out / "stale.csv").write_text("mine")  # a file the export did not write: refused
    with pytest.raises(ExportError, match="'stale.csv', which the earlier lisgraph export"):
        export(toy, "csv", out)
    assert (out / "stale.csv").read_text() == "mine"
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="is not a lisgraph export"):
        export(toy, "csv", foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "neo4j"]


def test_failed_export_keeps_the_previous_file_and_leaves_no_temporary(toy, tmp_path, monkeypatch):
    import lisgraph.rdf.export as ex

    out = tmp_path / "graph.nt"
    out.write_text("previous export\n")

    def broken(data):
        yield "<http://e/a> <http://e/p> <http://e/b> .\n" * 50000
        raise OSError("disk full")

    monkeypatch.setattr(ex, "ntriples", broken)
    with pytest.raises(ExportError, match="graph.nt: cannot write: disk full"):
        export(toy, "nt", out)
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


@pytest.mark.slow
def test_killed_export_leaves_no_truncated_file(tmp_path):
    """A process killed mid-write (os._exit, no clean-up) leaves the old file whole."""
    out = tmp_path / "graph.nt"
    out.write_text("previous export\n")
    child = f"""
import os, lisgraph.rdf.export as ex
from tests.test_rdf_export import toy_graph
def dying(f, lines, chunk=1):
    f.write(b"<http://e/a> <http://e/p> <http://e/b> .\\n" * 1000)
    f.flush()
    os._exit(9)
ex._write_lines = dying
ex.export(toy_graph(), "nt", {str(out)!r})
"""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", child], cwd=root, capture_output=True,
                          check=False)
    assert proc.returncode == 9
    assert out.read_text() == "previous export\n"
    leftovers = [p for p in tmp_path.iterdir() if p.name != "graph.nt"]
    assert all(p.name.startswith(".graph.nt.") and p.name.endswith(".tmp") for p in leftovers)
    export(toy_graph(), "nt", out)  # the next export removes what the killed one left
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_export_errors_are_domain_errors(toy, tmp_path):
    with pytest.raises(ExportError, match="no such folder"):
        export(toy, "ttl", tmp_path / "missing" / "x.ttl")
    with pytest.raises(ExportError, match="unknown format"):
        export(toy, "xml", tmp_path / "x.xml")


def test_grouping_removes_repeated_direct_triples(toy):
    triples = list(linked_triples(toy, ISSUED))
    data = grouped(triples)
    assert sum(map(len, data.values())) == len(set(triples)) < len(triples)


def test_issued_date_honours_source_date_epoch(monkeypatch):
    from lisgraph.rdf.alignment import issued_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert issued_date() == date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert issued_date() == date.today()


def test_malformed_urls_are_encoded_or_refused(tmp_path):
    g = toy_graph()
    g.sources["web"] = Source("web", "A LEP", "Board page", "https://example.org/a page|x", "2019",
                              "unknown")
    out = tmp_path / "g.nt"
    export(g, "nt", out, issued=ISSUED)
    assert "<https://example.org/a%20page%7Cx>" in out.read_text(encoding="utf-8")
    g.sources["web"] = Source("web", "A LEP", "Board page", "www.example.org", "2019", "unknown")
    for fmt in RDF_FORMATS:
        with pytest.raises(ExportError, match="'www.example.org' is not an absolute IRI"):
            export(g, fmt, tmp_path / f"g2.{fmt}", issued=ISSUED)
        assert not (tmp_path / f"g2.{fmt}").exists()
