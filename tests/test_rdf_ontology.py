"""The ontology, SHACL shapes and JSON-LD context in schema/ are generated from model.toml."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lisgraph.assets import schema_dir
from lisgraph.errors import DataIntegrityError
from lisgraph.rdf import ontology
from lisgraph.rdf.vocabulary import LIS, PREFIXES, camel, property_name
from lisgraph.schema import load_schema

rdflib = pytest.importorskip("rdflib")


def test_generated_files_are_up_to_date_with_model_toml():
    stale = ontology.stale_files()
    assert stale == [], f"run: python -m lisgraph.rdf.ontology --write (stale: {stale})"
    for name in ontology.generated_files():
        text = schema_dir().joinpath(name).read_text(encoding="utf-8")
        assert "generated from schema/model.toml" in text and "do not" in text.lower()


def test_write_and_check_from_the_command_line(tmp_path, capsys):
    assert ontology.stale_files(tmp_path) == sorted(ontology.generated_files())
    assert sorted(ontology.write(tmp_path)) == sorted(ontology.generated_files())
    assert ontology.stale_files(tmp_path) == [] and ontology.write(tmp_path) == []
    assert ontology.main([]) == 0


def test_a_property_without_a_datatype_is_refused():
    schema = load_schema()
    district = replace(schema.nodes["district"], properties=("kind", "population"))
    broken = replace(schema, nodes={**schema.nodes, "district": district})
    with pytest.raises(DataIntegrityError, match="'population' has no datatype"):
        ontology.ontology_ttl(broken)


def _graph(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=schema_dir().joinpath(name).read_text(encoding="utf-8"),
                                format="turtle")


def test_ontology_declares_every_class_and_property_and_aligns_them():
    g, schema = _graph("ontology.ttl"), load_schema()
    RDF, RDFS, OWL = rdflib.RDF, rdflib.RDFS, rdflib.OWL
    lis = rdflib.Namespace(LIS)
    for nt in schema.nodes.values():
        assert (lis[nt.label], RDF.type, OWL.Class) in g
    for edge in schema.edges:
        assert (lis[property_name(edge)], RDF.type, OWL.ObjectProperty) in g
    for prop in ontology.PROPERTY_TYPES:
        assert (lis[camel(prop)], RDF.type, OWL.DatatypeProperty) in g
    org, skos = rdflib.Namespace(PREFIXES["org"]), rdflib.Namespace(PREFIXES["skos"])
    assert (lis.Partnership, RDFS.subClassOf, org.OrganizationalCollaboration) in g
    assert (lis.Theme, RDFS.subClassOf, skos.Concept) in g
    assert (lis.broader, RDFS.subPropertyOf, skos.broader) in g
    assert (lis.neighbours, RDF.type, OWL.SymmetricProperty) in g


def test_ontology_covers_every_lisgraph_term_an_export_uses(bundled):
    from lisgraph.rdf.export import linked_triples

    declared = {str(s) for s in _graph("ontology.ttl").subjects()}
    used = set()
    for _, p, o in linked_triples(bundled):
        used.add(p)
        if p == PREFIXES["rdf"] + "type":
            used.add(o[1])
    assert sorted(t for t in used if t.startswith(LIS) and t not in declared) == []


def test_shapes_target_every_node_type_and_every_edge_end():
    g, schema = _graph("shapes.ttl"), load_schema()
    SH = rdflib.Namespace(PREFIXES["sh"])
    targets = {str(o) for o in g.objects(None, SH.targetClass)}
    assert targets == {LIS + nt.label for nt in schema.nodes.values()} | {LIS + "Link"}
    ends = {str(o) for o in g.objects(None, SH.targetSubjectsOf)}
    assert ends == {LIS + property_name(e) for e in schema.edges}


def test_context_has_a_term_for_every_class_edge_and_property_and_expands():
    jsonld = pytest.importorskip("pyld.jsonld")
    ctx = json.loads(schema_dir().joinpath("context.jsonld").read_text(encoding="utf-8"))
    assert ctx["@context"] == ontology.jsonld_context()
    terms = ctx["@context"]
    schema = load_schema()
    assert {nt.label for nt in schema.nodes.values()} <= set(terms)
    assert {property_name(e) for e in schema.edges} <= set(terms)
    assert {camel(p) for p in ontology.PROPERTY_TYPES} <= set(terms)
    doc = {"@context": terms, "@id": "statgeo:E37000051", "@type": "LocalEnterprisePartnership",
           "altCodes": ["E37000015"], "validTo": "2024-03-31", "partOf": "statgeo:E12000002"}
    expanded = jsonld.expand(doc)[0]
    assert expanded["@id"].endswith("/E37000051")
    assert expanded[LIS + "validTo"] == [{"@value": "2024-03-31",
                                          "@type": PREFIXES["xsd"] + "date"}]
    assert expanded[LIS + "partOf"] == [{"@id": PREFIXES["statgeo"] + "E12000002"}]
