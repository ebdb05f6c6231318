"""Read RDF files (Turtle, N-Triples, JSON-LD) in lisgraph's vocabulary back into a graph.

What is read is what the projection writes: sources (resources with ``lis:vintage``), nodes
(resources with ``lis:nodeType``) and edges (``lis:Link`` resources with ``lis:from``,
``lis:to`` and ``lis:linkType``). Derived triples (the direct edge triples, ORG, SKOS, DCAT)
are regenerated on export, so they are not read; other vocabularies are ignored. An export
read back and exported again gives the same RDF graph.

With ``--data``, a record that is already loaded (e.g. an export of the bundled data read
on top of the bundled data) is skipped when identical and refused when it differs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import InputError, MissingExtra
from ..graph import KnowledgeGraph
from ..model import Edge, Node, Origin, Source
from .vocabulary import LIS, LISID, PREFIXES, STATGEO, property_name

__all__ = ["RDF_SUFFIXES", "parse_file", "read_rdf", "load_rdf", "rdf_table_kind"]

RDF_SUFFIXES = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".json-ld": "JSON_LD"}
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
DCT = PREFIXES["dcterms"]
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
LABEL = PREFIXES["rdfs"] + "label"
_LINK_TERMS = {"from", "to", "linkType"}

#: a term as read: ("iri", value), ("lit", value, datatype IRI) or ("bnode", id)
Term = tuple


def parse_file(path: Path) -> list[tuple[Term, str, Term]]:
    """Parse an RDF file with pyoxigraph; a syntax error becomes one :class:`InputError`
    naming the file and line."""
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingExtra("pyoxigraph", "rdf") from None
    path = Path(path)
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, None, None, f"cannot read '{path.suffix}' files as RDF",
                         f"give {', '.join(sorted(RDF_SUFFIXES))} files")
    if not path.is_file():
        raise InputError(path, None, None, "no such file", "check the path")
    try:
        quads = list(ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt),
                              base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(exc.msg or exc))
        raise InputError(path, line, None, f"not valid {fmt.replace('_', '-').title()}: "
                         f"{message.splitlines()[0] if message else 'syntax error'}",
                         "correct the file (or export it again)") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, None, None, f"cannot read: {exc}", "check the file") from None
    return [(_term(q.subject), q.predicate.value, _term(q.object)) for q in quads]


def _term(t: Any) -> Term:
    kind = type(t).__name__
    if kind == "NamedNode":
        return ("iri", t.value)
    if kind == "BlankNode":
        return ("bnode", t.value)
    if kind == "Literal":
        return ("lit", t.value, t.datatype.value if t.datatype else XSD + "string")
    return ("other", str(t))


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


class _Reader:
    """Turns the triples of one file into sources, nodes and edges."""

    def __init__(self, path: Path, triples: list[tuple[Term, str, Term]], graph: KnowledgeGraph):
        self.path, self.graph = path, graph
        self.subjects: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:  # blank nodes are keyed "_:id", as lis:from/lis:to give them
            self.subjects[s[1] if s[0] == "iri" else f"_:{s[1]}"][p].append(
                ("iri", f"_:{o[1]}") if o[0] == "bnode" else o)
        self.origin = Origin(str(path))

    def error(self, iri: str, field: str, problem: str, fix: str) -> InputError:
        name = iri if iri.startswith("_:") else f"<{iri}>"
        return InputError(self.path, None, field, f"{name} {problem}", fix)

    def one(self, iri: str, pred: str, field: str, required: bool = True) -> Term | None:
        values = self.subjects[iri].get(pred, [])
        if len(values) > 1:
            raise self.error(iri, field, f"has {len(values)} values", "keep exactly one")
        if not values:
            if required:
                raise self.error(iri, field, "has none", f"add its {field}")
            return None
        return values[0]

    def text(self, iri: str, pred: str, field: str, required: bool = True) -> str:
        term = self.one(iri, pred, field, required)
        if term is None:
            return ""
        if term[0] != "lit":
            raise self.error(iri, field, "is not a literal", "write the value as text")
        return term[1]

    def value(self, iri: str, field: str, term: Term) -> object:
        if term[0] != "lit":
            raise self.error(iri, field, "is not a literal", "write the value as a literal")
        lexical, dtype = term[1], term[2]
        try:
            if dtype == XSD + "date":
                return date.fromisoformat(lexical)
            if dtype == XSD + "boolean":
                if lexical not in ("true", "false", "1", "0"):
                    raise ValueError(lexical)
                return lexical in ("true", "1")
            if dtype in (XSD + "integer", XSD + "int", XSD + "long"):
                return int(lexical)
            if dtype in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(lexical)
        except ValueError:
            raise self.error(iri, field, f"'{lexical}' is not a valid {dtype.rsplit('#')[-1]}",
                             "correct the value") from None
        return lexical

    def source_ids(self, iri: str) -> tuple[str, ...]:
        ids = []
        for term in self.subjects[iri].get(DERIVED, []):
            if term[0] != "iri":
                raise self.error(iri, "prov:wasDerivedFrom", "is not an IRI", "cite a source IRI")
            code = self.subjects.get(term[1], {}).get(LIS + "code")
            if code and code[0][0] == "lit":
                ids.append(code[0][1])
            elif term[1].startswith(LISID + "source/"):
                ids.append(unquote(term[1][len(LISID + "source/"):]))
            else:
                raise self.error(iri, "prov:wasDerivedFrom", f"cites <{term[1]}>, which is not "
                                 "a described source", "describe it with lis:code and lis:vintage")
        return tuple(sorted(set(ids)))

    def props(self, iri: str, allowed: set[str] | None, skip: set[str]) -> dict[str, object]:
        from .ontology import PROPERTY_TYPES

        out: dict[str, object] = {}
        for pred, terms in sorted(self.subjects[iri].items()):
            if not pred.startswith(LIS) or pred[len(LIS):] in skip:
                continue
            name = _snake(pred[len(LIS):])
            if allowed is not None and name not in allowed:
                raise self.error(iri, f"lis:{pred[len(LIS):]}", "is not a property of this type",
                                 "see schema/model.toml for the properties each type has")
            values = [self.value(iri, name, t) for t in terms]
            multi = PROPERTY_TYPES.get(name, ("", len(values) > 1, ""))[1]
            if not multi and len(values) > 1:
                raise self.error(iri, name, f"has {len(values)} values", "keep exactly one")
            out[name] = sorted(values, key=str) if multi else values[0]
        return out

    def node_id(self, iri: str, nodes: dict[str, str]) -> str:
        if iri in nodes:
            return nodes[iri]
        if iri.startswith(STATGEO):
            return iri[len(STATGEO):]
        if iri.startswith(LISID) and iri.count("/") > LISID.count("/"):
            return unquote(iri[len(LISID):].split("/", 1)[1])
        raise self.error(iri, "lis:from/lis:to", "is not a node of lisgraph",
                         "link nodes described in this file or in the data already loaded")

    def read(self) -> None:
        g, schema = self.graph, self.graph.schema
        for iri in sorted(s for s, po in self.subjects.items() if LIS + "vintage" in po):
            landing = self.one(iri, PREFIXES["dcat"] + "landingPage", "dcat:landingPage", False)
            src = Source(
                self.text(iri, LIS + "code", "lis:code"),
                self.text(iri, DCT + "publisher", "dcterms:publisher"),
                self.text(iri, DCT + "title", "dcterms:title"),
                landing[1] if landing else "",
                self.text(iri, LIS + "vintage", "lis:vintage"),
                self.text(iri, DCT + "license", "dcterms:license"),
                self.text(iri, PREFIXES["rdfs"] + "comment", "rdfs:comment", False))
            known = g.sources.get(src.id)
            if known is not None and known != src:
                raise self.error(iri, "lis:code", f"source '{src.id}' differs from the one already "
                                 "loaded", "give it another id, or load the file with --no-bundled")
            g.add_source(src)
        edge_terms = {property_name(e) for e in schema.edges}
        nodes: dict[str, str] = {}
        for iri in sorted(s for s, po in self.subjects.items() if LIS + "nodeType" in po):
            node_type = self.text(iri, LIS + "nodeType", "lis:nodeType")
            if node_type not in schema.nodes:
                raise self.error(iri, "lis:nodeType", f"'{node_type}' is not a node type",
                                 f"use one of {', '.join(schema.nodes)}")
            allowed = set(schema.nodes[node_type].properties)
            node = Node(self.text(iri, LIS + "code", "lis:code"), node_type,
                        self.text(iri, LABEL, "rdfs:label"), self.source_ids(iri),
                        self.props(iri, allowed, {"code", "nodeType"} | edge_terms), self.origin)
            nodes[iri] = node.id
            self._add_node(iri, node)
        links = [s for s, po in self.subjects.items()
                 if ("iri", LIS + "Link") in po.get(RDF_TYPE, [])]
        for iri in sorted(links):
            ends = []
            for field in ("from", "to"):
                term = self.one(iri, LIS + field, f"lis:{field}")
                if term is None or term[0] != "iri":
                    raise self.error(iri, f"lis:{field}", "is not an IRI", "link two node IRIs")
                ends.append(self.node_id(term[1], nodes))
            edge_type = self.text(iri, LIS + "linkType", "lis:linkType")
            if edge_type not in schema.edges:
                raise self.error(iri, "lis:linkType", f"'{edge_type}' is not an edge type",
                                 f"use one of {', '.join(schema.edges)}")
            props = self.props(iri, None, _LINK_TERMS)
            dates = []
            for field, key in (("lis:validFrom", "valid_from"), ("lis:validTo", "valid_to")):
                value = props.pop(key, None)
                if value is not None and not isinstance(value, date):
                    raise self.error(iri, field, "is not an xsd:date", "write YYYY-MM-DD^^xsd:date")
                dates.append(value)
            g.add_edge(Edge(ends[0], edge_type, ends[1], self.source_ids(iri), dates[0],
                            dates[1], props, self.origin))

    def _add_node(self, iri: str, node: Node) -> None:
        known = self.graph.nodes.get(node.id)
        if known is None:
            self.graph.add_node(node)
            return

        def norm(n: Node) -> tuple:
            props = {k: sorted(map(str, v)) if isinstance(v, (list, tuple)) else v
                     for k, v in n.props.items()}
            return n.type, n.name, set(n.sources), props

        if norm(known) != norm(node):
            raise self.error(iri, "lis:code", f"node '{node.id}' differs from the one already "
                             f"loaded ({known.origin})", "load the file with --no-bundled, or "
                             "give the node another id")


def read_rdf(path: Path, graph: KnowledgeGraph) -> None:
    """Add the sources, nodes and edges of an RDF file to ``graph`` (not yet checked).

    Raises
    ------
    InputError : the file is not valid RDF, or a record in it is incomplete or conflicts with
        one already loaded; one line naming the file, the resource and what to do.
    """
    path = Path(path)
    _Reader(path, parse_file(path), graph).read()


def load_rdf(*paths: Path | str) -> KnowledgeGraph:
    """A checked graph from RDF files alone (as ``load_graph(paths, bundled=False)``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ttl = '''@prefix lis: <https://w3id.org/lisgraph/def#> .
    ... @prefix prov: <http://www.w3.org/ns/prov#> .
    ... @prefix dcterms: <http://purl.org/dc/terms/> .
    ... <https://w3id.org/lisgraph/id/source/s> lis:code "s" ; lis:vintage "2021" ;
    ...     dcterms:title "t" ; dcterms:publisher "ONS" ; dcterms:license "OGL-UK-3.0" .
    ... <http://statistics.data.gov.uk/id/statistical-geography/E12000002> lis:code "E12000002" ;
    ...     lis:nodeType "region" ; <http://www.w3.org/2000/01/rdf-schema#label> "North West" ;
    ...     prov:wasDerivedFrom <https://w3id.org/lisgraph/id/source/s> .
    ... '''
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "nw.ttl")
    ...     _ = p.write_text(ttl)
    ...     g = load_rdf(p)
    >>> g.nodes["E12000002"].name
    'North West'
    """
    g = KnowledgeGraph()
    for p in paths:
        read_rdf(Path(p), g)
    g.finalize()
    g.check()
    return g


def rdf_table_kind(path: Path) -> Any:
    """A loader job kind for ``--data`` that reads one RDF file (after the CSV tables, so that
    records identical to already loaded ones can be recognised)."""
    from ..ingest.registry import EDGES, TableKind

    def reader(rows: Any, graph: KnowledgeGraph) -> None:
        read_rdf(Path(path), graph)

    return TableKind("rdf", (), EDGES, reader, "RDF in lisgraph's vocabulary")
