"""Triples that align the RDF projection with W3C ORG, SKOS, PROV, WGS84 and DCAT.

:func:`triples` adds, for the same graph, what users of those vocabularies expect, without
touching the projection's own triples (:mod:`lisgraph.rdf.projection`):

- the body that governs an area (district, county, LEP, combined authority) as its own
  resource ``lisid:body/<GSS>``, an ``org:Organization`` that ``lis:governs`` the area;
- memberships as W3C ORG: the qualified ``lis:Link`` of a ``member_of`` edge (and of a
  district's ``part_of`` a LEP or combined authority) is also an ``org:Membership`` with
  ``org:member`` and ``org:organization``; the member's body ``org:memberOf`` the body;
- each recorded collaboration (a ``collaboration`` node, or the ``collaboration`` named on
  pairwise ``collaborates_with`` edges) as an ``org:OrganizationalCollaboration`` with its
  members (``org:hasMember``) and themes (``dcterms:subject``);
- the themes as a SKOS concept scheme (``skos:prefLabel``, ``skos:altLabel``,
  ``skos:broader``, top concepts and one ``skos:Collection`` per theme scheme);
- points as WGS84 ``geo:lat``/``geo:long``, a source's note as ``rdfs:comment``.

:func:`dataset_triples` describes an export as a ``dcat:Dataset``. Both are deterministic:
the same graph gives the same IRIs and triples (only the dataset's ``issued`` date varies,
and it can be pinned with ``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import quote

from ..graph import KnowledgeGraph
from ..model import Edge, Node
from .projection import _lit
from .vocabulary import LIS, LISID, PREFIXES, STATGEO, link_iri, node_iri, source_iri

__all__ = [
    "GOVERNED", "AGENTS", "NODE_CLASSES", "THEMES", "SCHEME_TITLES", "DATASET", "AGENT",
    "LICENCE_IRIS", "body_iri", "collaboration_iri", "triples", "dataset_triples", "issued_date",
    "linked_store",
]

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS, ORG, SKOS = PREFIXES["rdfs"], PREFIXES["org"], PREFIXES["skos"]
PROV, DCT, DCAT = PREFIXES["prov"], PREFIXES["dcterms"], PREFIXES["dcat"]
GEO, OWL, XSD = PREFIXES["geo"], PREFIXES["owl"], PREFIXES["xsd"]
DERIVED = PROV + "wasDerivedFrom"

#: node types whose area has a governing body of its own (English regions have had none
#: since the regional bodies were abolished in 2010-12)
GOVERNED = ("district", "county", "lep", "combined_authority", "greater_london_authority")
#: node types that are agents themselves (they can be members of an organisation)
AGENTS = ("partnership", "collaboration", "organisation", "provider")
#: standard classes a node type's resources also carry, for consumers without a reasoner
NODE_CLASSES: dict[str, tuple[str, ...]] = {
    "partnership": (ORG + "OrganizationalCollaboration",),
    "collaboration": (ORG + "OrganizationalCollaboration",),
    "organisation": (ORG + "Organization",),
    "provider": (ORG + "FormalOrganization",),
    "strategy": (PROV + "Entity",),
    "theme": (SKOS + "Concept",),
}
#: edge types whose links are W3C ORG memberships, with the end types that make them one
#: (a district in a county or region is geography, not membership)
MEMBERSHIPS: dict[str, tuple[str, ...]] = {
    "member_of": ("partnership",),
    "party_to": ("collaboration",),
    "part_of": ("lep", "combined_authority", "greater_london_authority"),
}
THEMES = LISID + "scheme/themes"
SCHEME_TITLES = {
    "foundation": "Foundations of productivity",
    "grand_challenge": "Grand Challenges",
    "sector": "Sectors",
    "frontier_industry": "Frontier industries (Industrial Strategy 2025)",
}
DATASET = LISID + "dataset"
AGENT = LISID + "agent/lisgraph"
ENGLAND = STATGEO + "E92000001"
#: licences named in source registries that have a canonical IRI
LICENCE_IRIS = {
    "OGL-UK-3.0": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "Open Parliament Licence v3.0":
        "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}

Triple = tuple[str, str, tuple]


def body_iri(code: str) -> str:
    """The IRI of the body that governs the area with this GSS code.

    >>> body_iri("E47000001")
    'https://w3id.org/lisgraph/id/body/E47000001'
    """
    return f"{LISID}body/{code}"


def collaboration_iri(collaboration_id: str) -> str:
    return f"{LISID}collaboration/{quote(collaboration_id, safe='/-')}"


def _agent(node: Node) -> str | None:
    if node.type in GOVERNED:
        return body_iri(node.id)
    if node.type in AGENTS:
        return node_iri(node.type, node.id)
    return None


def _values(value: object) -> list[object]:
    """A property's values: a list or tuple as is, one value as a list of one, None as []."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _iri(value: str) -> tuple:
    return ("iri", value)


def triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    """Yield the alignment triples for ``graph``, deterministically and without repeats.

    Examples
    --------
    >>> from lisgraph.model import Node, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E47000001", "combined_authority", "Greater Manchester", ("s",)))
    >>> [p.split("#")[-1] + " " + o[1].split("#")[-1] for s, p, o in triples(g)
    ...  if s == body_iri("E47000001")]  # doctest: +NORMALIZE_WHITESPACE
    ['type Organization', 'type GoverningBody', 'label Greater Manchester',
     'governs http://statistics.data.gov.uk/id/statistical-geography/E47000001',
     'wasDerivedFrom https://w3id.org/lisgraph/id/source/s']
    """
    for sid in sorted(graph.sources):
        if graph.sources[sid].note:
            yield source_iri(sid), RDFS + "comment", _lit(graph.sources[sid].note)
    nodes = [graph.nodes[k] for k in sorted(graph.nodes)]
    for n in nodes:
        yield from _node_triples(graph, n)
    themes = [n for n in nodes if n.type == "theme"]
    if themes:
        yield from _scheme_triples(graph, themes)
    yield from _edge_triples(graph)


def _node_triples(graph: KnowledgeGraph, n: Node) -> Iterator[Triple]:
    iri = node_iri(n.type, n.id)
    body = _agent(n) if n.type in GOVERNED else None
    if body:
        yield body, RDF_TYPE, _iri(ORG + "Organization")
        yield body, RDF_TYPE, _iri(LIS + "GoverningBody")
        yield body, RDFS + "label", _lit(n.name)
        yield body, LIS + "governs", _iri(iri)
        for sid in n.sources:
            yield body, DERIVED, _iri(source_iri(sid))
    for cls in NODE_CLASSES.get(n.type, ()):
        yield iri, RDF_TYPE, _iri(cls)
    if n.props.get("lat") is not None and n.props.get("lon") is not None:
        yield iri, GEO + "lat", _lit(n.props["lat"])
        yield iri, GEO + "long", _lit(n.props["lon"])
    if n.type == "collaboration":
        for t in sorted({str(t) for t in _values(n.props.get("themes"))}):
            yield iri, DCT + "subject", _iri(node_iri("theme", t))
    if n.type == "theme":
        yield iri, SKOS + "prefLabel", _lit(n.name)
        for alt in sorted({str(a) for a in _values(n.props.get("alt_labels"))}):
            yield iri, SKOS + "altLabel", _lit(alt)
        yield iri, SKOS + "inScheme", _iri(THEMES)
        broader = sorted({e.end for e in graph.out_edges(n.id, ["broader"])})
        for b in broader:
            yield iri, SKOS + "broader", _iri(node_iri("theme", b))
        if not broader:
            yield iri, SKOS + "topConceptOf", _iri(THEMES)


def _scheme_triples(graph: KnowledgeGraph, themes: list[Node]) -> Iterator[Triple]:
    yield THEMES, RDF_TYPE, _iri(SKOS + "ConceptScheme")
    yield THEMES, SKOS + "prefLabel", _lit(
        "Industrial Strategy themes: foundations of productivity, Grand Challenges and sectors")
    for n in themes:
        if not graph.out_edges(n.id, ["broader"]):
            yield THEMES, SKOS + "hasTopConcept", _iri(node_iri("theme", n.id))
    schemes = sorted({str(n.props["scheme"]) for n in themes if n.props.get("scheme")})
    for scheme in schemes:
        coll = f"{THEMES}/{quote(scheme, safe='-_')}"
        yield coll, RDF_TYPE, _iri(SKOS + "Collection")
        yield coll, SKOS + "prefLabel", _lit(SCHEME_TITLES.get(scheme, scheme))
        for n in themes:
            if n.props.get("scheme") == scheme:
                yield coll, SKOS + "member", _iri(node_iri("theme", n.id))


def _sorted_edges(graph: KnowledgeGraph) -> list[Edge]:
    return sorted(graph.edges, key=lambda e: (e.start, e.type, e.end, str(e.valid_from),
                                              str(e.valid_to), str(e.props)))


def _edge_triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    seen: set[tuple[str, str, str]] = set()
    collaborations: dict[str, dict] = {}
    for e in _sorted_edges(graph):
        start, end = graph.nodes[e.start], graph.nodes[e.end]
        if e.type in MEMBERSHIPS and end.type in MEMBERSHIPS[e.type]:
            member, org = _agent(start), _agent(end)
            if member and org:
                link = link_iri(e.start, e.type, e.end, e.valid_from, e.valid_to,
                                str(e.props.get("collaboration", "")))
                yield link, RDF_TYPE, _iri(ORG + "Membership")
                yield link, ORG + "member", _iri(member)
                yield link, ORG + "organization", _iri(org)
                direct = (member, ORG + "memberOf", org)
                if direct not in seen:
                    seen.add(direct)
                    yield member, ORG + "memberOf", _iri(org)
                    if e.type == "party_to":
                        yield org, ORG + "hasMember", _iri(member)
        elif e.type == "published":
            direct = (node_iri(end.type, end.id), DCT + "publisher", body_iri(start.id))
            if direct not in seen:
                seen.add(direct)
                yield direct[0], direct[1], _iri(direct[2])
        elif e.type == "addresses":
            yield node_iri(start.type, start.id), DCT + "subject", _iri(node_iri(end.type, end.id))
        elif e.type == "collaborates_with" and e.props.get("collaboration"):
            c = collaborations.setdefault(str(e.props["collaboration"]), {
                "name": e.props.get("collaboration_name"), "members": set(), "themes": set(),
                "sources": set()})
            c["members"] |= {a for a in (_agent(start), _agent(end)) if a}
            c["themes"] |= {str(t) for t in _values(e.props.get("themes"))}
            c["sources"] |= set(e.sources)
    for cid in sorted(collaborations):
        c, iri = collaborations[cid], collaboration_iri(cid)
        yield iri, RDF_TYPE, _iri(ORG + "OrganizationalCollaboration")
        yield iri, LIS + "code", _lit(cid)
        if c["name"]:
            yield iri, RDFS + "label", _lit(c["name"])
        for m in sorted(c["members"]):
            yield iri, ORG + "hasMember", _iri(m)
        for t in sorted(c["themes"]):
            yield iri, DCT + "subject", _iri(node_iri("theme", t))
        for sid in sorted(c["sources"]):
            yield iri, DERIVED, _iri(source_iri(sid))


def issued_date() -> date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible exports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def dataset_triples(graph: KnowledgeGraph, issued: date | None = None,
                    version: str | None = None) -> Iterator[Triple]:
    """Describe an export of ``graph`` as a ``dcat:Dataset``: title, version, issued date,
    licences (those of its sources), the sources themselves and what produced it.

    Examples
    --------
    >>> from lisgraph.model import Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "", "2021", "OGL-UK-3.0"))
    >>> ds = list(dataset_triples(g, date(2025, 1, 31), "1.0"))
    >>> [o[1] for s, p, o in ds if p.endswith("issued")]
    ['2025-01-31']
    """
    if version is None:
        from .. import __version__ as version
    issued = issued or issued_date()
    licences = sorted({s.licence for s in graph.sources.values()})
    yield DATASET, RDF_TYPE, _iri(DCAT + "Dataset")
    yield DATASET, RDF_TYPE, _iri(PROV + "Entity")
    yield DATASET, DCT + "title", _lit(
        "lisgraph: England's places, the bodies that govern them, their partners and their "
        "Local Industrial Strategies")
    yield DATASET, DCT + "description", _lit(
        f"{len(graph.nodes)} nodes and {len(graph.edges)} edges, each derived from one or more "
        f"of {len(graph.sources)} sources (prov:wasDerivedFrom); memberships carry the dates "
        "they were valid (lis:validFrom, lis:validTo).")
    yield DATASET, DCAT + "version", _lit(str(version))
    yield DATASET, OWL + "versionInfo", _lit(str(version))
    yield DATASET, DCT + "issued", _lit(issued)
    yield DATASET, DCT + "conformsTo", _iri(LIS.rstrip("#"))
    yield DATASET, DCT + "spatial", _iri(ENGLAND)
    for kw in ("Local Industrial Strategies", "local enterprise partnerships",
               "combined authorities", "local government", "England"):
        yield DATASET, DCAT + "keyword", _lit(kw)
    for lic in licences:
        if lic in LICENCE_IRIS:
            yield DATASET, DCT + "license", _iri(LICENCE_IRIS[lic])
    yield DATASET, DCT + "rights", _lit(
        "Each fact keeps the licence of the sources it is derived from (prov:wasDerivedFrom; "
        "dcterms:license on each source). Licences among the sources: " + ", ".join(licences))
    for sid in sorted(graph.sources):
        yield DATASET, DCT + "source", _iri(source_iri(sid))
        yield DATASET, DERIVED, _iri(source_iri(sid))
    yield DATASET, PROV + "wasAttributedTo", _iri(AGENT)
    yield AGENT, RDF_TYPE, _iri(PROV + "SoftwareAgent")
    yield AGENT, RDFS + "label", _lit(f"lisgraph {version}")
    yield AGENT, OWL + "versionInfo", _lit(str(version))


def linked_store(graph: KnowledgeGraph) -> Any:
    """An :class:`~lisgraph.rdf.store.EmbeddedStore` of the projection plus these alignment
    triples (so SPARQL can use ORG, SKOS and the governing bodies)."""
    from .store import EmbeddedStore, oxigraph_triples

    store = EmbeddedStore(graph)  # raises MissingExtra without pyoxigraph
    import pyoxigraph as ox

    store.store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                             for t in oxigraph_triples(triples(graph))])
    return store
