"""The RDF projection of the canonical graph (a pure function of it).

Every node becomes a resource typed with its class (``lis:District``) carrying ``lis:code``,
``rdfs:label``, ``lis:nodeType`` and its properties; every edge becomes a direct triple
(``?district lis:partOf ?lep``) and a qualified ``lis:Link`` resource with ``lis:from``,
``lis:to``, ``lis:linkType``, ``lis:validFrom``/``lis:validTo`` and ``prov:wasDerivedFrom``
(so SPARQL can ask what held on a date). Provenance of nodes is ``prov:wasDerivedFrom``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from ..graph import KnowledgeGraph
from .vocabulary import LIS, PREFIXES, camel, link_iri, node_iri, property_name, source_iri

if TYPE_CHECKING:
    import rdflib

__all__ = ["triples", "to_rdflib"]

RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL = PREFIXES["rdfs"] + "label"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
XSD = PREFIXES["xsd"]

#: a term is ("iri", value) or ("lit", value, datatype or None)
Term = tuple


def _lit(value: object) -> Term:
    if isinstance(value, bool):
        return ("lit", "true" if value else "false", XSD + "boolean")
    if isinstance(value, date):
        return ("lit", value.isoformat(), XSD + "date")
    if isinstance(value, int):
        return ("lit", str(value), XSD + "integer")
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:  # xsd:decimal has no exponent form
            text = f"{value:.15f}".rstrip("0").rstrip(".")
        return ("lit", text, XSD + "decimal")
    return ("lit", str(value), None)


def _described(iri: str, props: dict[str, object],
               sources: tuple[str, ...]) -> Iterator[tuple[str, str, Term]]:
    """A resource's properties (one triple per list item, in key order) and its sources."""
    for key in sorted(props):
        value = props[key]
        for v in value if isinstance(value, (list, tuple)) else [value]:
            yield iri, LIS + camel(key), _lit(v)
    for sid in sources:
        yield iri, DERIVED, ("iri", source_iri(sid))


def triples(graph: KnowledgeGraph) -> Iterator[tuple[str, str, Term]]:
    """Yield (subject IRI, predicate IRI, object term) for the whole graph, deterministically."""
    schema = graph.schema
    for sid in sorted(graph.sources):
        s = graph.sources[sid]
        iri = source_iri(sid)
        yield iri, RDF_TYPE, ("iri", PREFIXES["prov"] + "Entity")
        yield iri, LIS + "code", _lit(sid)
        yield iri, PREFIXES["dcterms"] + "title", _lit(s.title)
        yield iri, PREFIXES["dcterms"] + "publisher", _lit(s.publisher)
        yield iri, LIS + "vintage", _lit(s.vintage)
        yield iri, PREFIXES["dcterms"] + "license", _lit(s.licence)
        if s.url:
            yield iri, PREFIXES["dcat"] + "landingPage", ("iri", s.url)
    for node_id in sorted(graph.nodes):
        n = graph.nodes[node_id]
        iri = node_iri(n.type, n.id)
        yield iri, RDF_TYPE, ("iri", LIS + schema.nodes[n.type].label)
        yield iri, LIS + "code", _lit(n.id)
        yield iri, LIS + "nodeType", _lit(n.type)
        yield iri, LABEL, _lit(n.name)
        yield from _described(iri, n.props, n.sources)
    for e in sorted(graph.edges, key=lambda e: (e.start, e.type, e.end, str(e.valid_from),
                                                str(e.valid_to), str(e.props))):
        s_iri = node_iri(graph.nodes[e.start].type, e.start)
        o_iri = node_iri(graph.nodes[e.end].type, e.end)
        yield s_iri, LIS + property_name(e.type), ("iri", o_iri)
        link = link_iri(e.start, e.type, e.end, e.valid_from, e.valid_to,
                        str(e.props.get("collaboration", "")))
        yield link, RDF_TYPE, ("iri", LIS + "Link")
        yield link, LIS + "from", ("iri", s_iri)
        yield link, LIS + "to", ("iri", o_iri)
        yield link, LIS + "linkType", _lit(e.type)
        if e.valid_from:
            yield link, LIS + "validFrom", _lit(e.valid_from)
        if e.valid_to:
            yield link, LIS + "validTo", _lit(e.valid_to)
        yield from _described(link, e.props, e.sources)


def to_rdflib(graph: KnowledgeGraph) -> rdflib.Graph:
    """The projection as an rdflib Graph with lisgraph's prefixes bound."""
    try:
        import rdflib
    except ImportError:
        from ..errors import MissingExtra

        raise MissingExtra("rdflib", "rdf") from None
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    uri = rdflib.URIRef
    for s, p, o in triples(graph):
        obj = uri(o[1]) if o[0] == "iri" else rdflib.Literal(
            o[1], datatype=uri(o[2]) if o[2] else None)
        g.add((uri(s), uri(p), obj))
    return g
