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

from ..csvtable import label_of, read_bytes
from ..errors import InputError, MissingExtra
from ..graph import KnowledgeGraph
from ..checks import (
    FREE_TEXT,
    bad_text,
    check_coordinates,
    check_day,
    check_node_id,
    check_period,
    check_source_id,
    check_url,
    check_vintage,
    parse_number,
    show,
)
from ..model import Edge, Node, Origin, Source
from .vocabulary import LIS, LISID, PREFIXES, STATGEO, property_name

__all__ = ["RDF_SUFFIXES", "load_rdf", "parse_file", "rdf_table_kind", "read_rdf"]

RDF_SUFFIXES = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".json-ld": "JSON_LD"}
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
DCT = PREFIXES["dcterms"]
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
LABEL = PREFIXES["rdfs"] + "label"
_LINK_TERMS = {"from", "to", "linkType"}

#: a term as read: ("iri", value), ("lit", value, datatype IRI) or ("bnode", id)
Term = tuple


def rdf_reader(path: Path | str) -> tuple[Any, Path, Any]:
    """pyoxigraph, the path and its RDF format from the file's suffix; one clear error when the
    extra is missing or the suffix is not an RDF one."""
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingExtra("pyoxigraph", "rdf") from None
    path = Path(path)
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, None, None, f"cannot read '{path.suffix}' files as RDF",
                         f"give {', '.join(sorted(RDF_SUFFIXES))} files")
    return ox, path, fmt


def parse_file(path: Path) -> list[tuple[Term, str, Term]]:
    """Parse an RDF file with pyoxigraph; a syntax error becomes one :class:`InputError`
    naming the file and line."""
    ox, path, fmt = rdf_reader(path)
    label = label_of(path)
    data = read_bytes(path, label)  # a FIFO, a device, a folder or a link loop is refused unopened
    if not data.strip():
        raise InputError(label, None, None, "file is empty",
                         "export the graph again, or give a file with lisgraph records")
    try:
        quads = list(ox.parse(input=data, format=getattr(ox.RdfFormat, fmt),
                              base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(exc.msg or exc))
        first = message.splitlines()[0] if message else "syntax error"
        raise InputError(label, line, None, f"not valid {fmt.replace('_', '-').title()}: "
                         f"{show(first, 120)[1:-1]}",
                         "correct the file (or export it again)") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(label, None, None, f"cannot read: {show(exc, 120)[1:-1]}",
                         "check the file") from None
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


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)


class _Reader:
    """Turns the triples of one file into sources, nodes and edges."""

    def __init__(self, path: Path, triples: list[tuple[Term, str, Term]], graph: KnowledgeGraph):
        self.path, self.graph, self.label = path, graph, label_of(path)
        self.subjects: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:  # blank nodes are keyed "_:id", as lis:from/lis:to give them
            self.subjects[s[1] if s[0] == "iri" else f"_:{s[1]}"][p].append(
                ("iri", f"_:{o[1]}") if o[0] == "bnode" else o)
        self.origin = Origin(str(path))

    def error(self, iri: str, field: str, problem: str, fix: str) -> InputError:
        name = show(iri, 120)[1:-1]
        name = name if iri.startswith("_:") else f"<{name}>"
        return InputError(self.label, None, field, f"{name} {problem}", fix)

    def checked(self, iri: str, field: str, problem: tuple[str, str] | None) -> None:
        if problem:
            raise self.error(iri, field, *problem)

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
        self.checked(iri, field, bad_text(term[1], field in FREE_TEXT))
        if required and not term[1].strip():
            raise self.error(iri, field, "is empty", f"fill in its {field}")
        return term[1]

    def value(self, iri: str, field: str, term: Term) -> object:
        if term[0] != "lit":
            raise self.error(iri, field, "is not a literal", "write the value as a literal")
        lexical, dtype = term[1], term[2]
        self.checked(iri, field, bad_text(lexical, field in FREE_TEXT))
        try:
            if dtype == XSD + "date":
                if not _DATE.fullmatch(lexical):
                    raise ValueError(lexical)
                day = date.fromisoformat(lexical)
                self.checked(iri, field, check_day(day))
                return day
            if dtype == XSD + "boolean":
                if lexical not in ("true", "false", "1", "0"):
                    raise ValueError(lexical)
                return lexical in ("true", "1")
            if dtype in (XSD + "integer", XSD + "int", XSD + "long"):
                if not _INTEGER.fullmatch(lexical):
                    raise ValueError(lexical)
                return int(lexical)
            if dtype in (XSD + "decimal", XSD + "double", XSD + "float"):
                number = parse_number(lexical)
                if number is None:
                    raise ValueError(lexical)
                return number
        except ValueError:
            raise self.error(iri, field, f"{show(lexical)} is not a valid "
                             f"{dtype.rsplit('#')[-1]}", "correct the value") from None
        return lexical

    def typed(self, iri: str, owner: str, name: str, value: object) -> None:
        """A property's value has the type the schema gives it (what the CSV loader checks)."""
        from .ontology import ENUMS, PROPERTY_TYPES

        expected = PROPERTY_TYPES.get(name, ("string", False, ""))[0]
        kinds = {"date": (date,), "decimal": (float, int), "boolean": (bool,), "string": (str,)}
        ok = isinstance(value, kinds.get(expected, (object,)))
        if ok and expected == "decimal" and isinstance(value, bool):
            ok = False
        if not ok:
            raise self.error(iri, f"lis:{_camel(name)}", f"{show(value)} is not an xsd:{expected}",
                             f"write it as \"...\"^^xsd:{expected}")
        field = f"lis:{_camel(name)}"
        if name in ("url", "evidence_url"):
            self.checked(iri, field, check_url(str(value)))
        if name == "vintage":
            self.checked(iri, field, check_vintage(str(value)))
        allowed = ENUMS.get((owner, name))
        if allowed and value not in allowed:
            raise self.error(iri, field, f"{show(value)} is not a {owner} {name}",
                             f"use one of {', '.join(allowed)}")

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
                raise self.error(iri, "prov:wasDerivedFrom", f"cites <{show(term[1], 120)[1:-1]}>"
                                 ", which is not a described source",
                                 "describe it with lis:code and lis:vintage")
            self.checked(iri, "prov:wasDerivedFrom", check_source_id(ids[-1]))
        return tuple(sorted(set(ids)))

    def props(self, iri: str, allowed: set[str] | None, skip: set[str],
              owner: str = "") -> dict[str, object]:
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
            for v in values:
                self.typed(iri, owner, name, v)
            multi = PROPERTY_TYPES.get(name, ("", len(values) > 1, ""))[1]
            if not multi and len(values) > 1:
                raise self.error(iri, name, f"has {len(values)} values", "keep exactly one")
            out[name] = sorted(values, key=str) if multi else values[0]
        return out

    def node_id(self, iri: str, nodes: dict[str, str]) -> str:
        if iri in nodes:
            return nodes[iri]
        code = None
        if iri.startswith(STATGEO):
            code = iri[len(STATGEO):]
        elif iri.startswith(LISID) and iri.count("/") > LISID.count("/"):
            code = unquote(iri[len(LISID):].split("/", 1)[1])
        if code is not None and code.isascii() and not bad_text(code):
            return code
        raise self.error(iri, "lis:from/lis:to", "is not a node of lisgraph",
                         "link nodes described in this file or in the data already loaded")

    def read(self) -> None:
        links = sorted(s for s, po in self.subjects.items()
                       if ("iri", LIS + "Link") in po.get(RDF_TYPE, []))
        nodes_iris = sorted(s for s, po in self.subjects.items() if LIS + "nodeType" in po)
        # a source is described with lis:vintage; links carry lis:vintage too (the vintage of
        # an ONS lookup row), so links and nodes are never taken for sources
        not_sources = set(links) | set(nodes_iris)
        source_iris = sorted(s for s, po in self.subjects.items()
                             if LIS + "vintage" in po and s not in not_sources)
        self._refuse_strays(set(source_iris) | not_sources)
        if not (links or nodes_iris or source_iris):
            raise InputError(self.label, None, None, "holds no lisgraph records (no sources, "
                             "nodes or links in lisgraph's vocabulary)",
                             "give an export of lisgraph (see lisgraph export --help)")
        for iri in source_iris:
            self._read_source(iri)
        nodes: dict[str, str] = {}
        for iri in nodes_iris:
            node = self._read_node(iri)
            nodes[iri] = node.id
            self._add_node(iri, node)
        for iri in links:
            self._read_link(iri, nodes)

    def _refuse_strays(self, described: set[str]) -> None:
        """A resource with a record's properties (lis:lat, lis:validFrom, lis:from…) that is
        not a source, node or link is a mistyped IRI: refused rather than silently dropped."""
        from .ontology import PROPERTY_TYPES

        # lis:code is left out: derived resources (a collaboration) carry one too
        record_terms = {LIS + _camel(p) for p in PROPERTY_TYPES} | {
            LIS + t for t in ("nodeType", "linkType", "from", "to")}
        for iri in sorted(set(self.subjects) - described):
            stray = sorted(record_terms & set(self.subjects[iri]))
            if stray:
                raise self.error(iri, f"lis:{stray[0][len(LIS):]}", "is not described as a "
                                 "source, node or link", "give it lis:nodeType (a node), "
                                 "a lis:Link type, or lis:vintage (a source); or correct its IRI")

    def _read_source(self, iri: str) -> None:
        g = self.graph
        landing = self.one(iri, PREFIXES["dcat"] + "landingPage", "dcat:landingPage", False)
        if landing is not None:
            self.checked(iri, "dcat:landingPage", check_url(landing[1]))
        src = Source(
            self.text(iri, LIS + "code", "lis:code"),
            self.text(iri, DCT + "publisher", "dcterms:publisher"),
            self.text(iri, DCT + "title", "dcterms:title"),
            landing[1] if landing else "",
            self.text(iri, LIS + "vintage", "lis:vintage"),
            self.text(iri, DCT + "license", "dcterms:license"),
            self.text(iri, PREFIXES["rdfs"] + "comment", "rdfs:comment", False))
        self.checked(iri, "lis:code", check_source_id(src.id))
        self.checked(iri, "lis:vintage", check_vintage(src.vintage))
        known = g.sources.get(src.id)
        if known is not None and known != src:
            raise self.error(iri, "lis:code", f"source '{src.id}' differs from the one already "
                             "loaded", "give it another id, or load the file with --no-bundled")
        g.add_source(src)

    def _read_node(self, iri: str) -> Node:
        schema = self.graph.schema
        edge_terms = {property_name(e) for e in schema.edges}
        node_type = self.text(iri, LIS + "nodeType", "lis:nodeType")
        if node_type not in schema.nodes:
            raise self.error(iri, "lis:nodeType", f"{show(node_type)} is not a node type",
                             f"use one of {', '.join(schema.nodes)}")
        code = self.text(iri, LIS + "code", "lis:code")
        self.checked(iri, "lis:code", check_node_id(schema, node_type, code))
        allowed = set(schema.nodes[node_type].properties)
        props = self.props(iri, allowed, {"code", "nodeType"} | edge_terms, node_type)
        point = check_coordinates(props.get("lat"), props.get("lon"))
        if point:
            raise self.error(iri, f"lis:{point[0]}", point[1], point[2])
        self.checked(iri, "lis:validTo", check_period(props.get("valid_from"),
                                                       props.get("valid_to")))
        return Node(code, node_type, self.text(iri, LABEL, "rdfs:label"), self.source_ids(iri),
                    props, self.origin)

    def _read_link(self, iri: str, nodes: dict[str, str]) -> None:
        schema = self.graph.schema
        ends = []
        for field in ("from", "to"):
            term = self.one(iri, LIS + field, f"lis:{field}")
            if term is None or term[0] != "iri":
                raise self.error(iri, f"lis:{field}", "is not an IRI", "link two node IRIs")
            ends.append(self.node_id(term[1], nodes))
        edge_type = self.text(iri, LIS + "linkType", "lis:linkType")
        if edge_type not in schema.edges:
            raise self.error(iri, "lis:linkType", f"{show(edge_type)} is not an edge type",
                             f"use one of {', '.join(schema.edges)}")
        allowed = set(schema.edges[edge_type].properties) | {"valid_from", "valid_to"}
        props = self.props(iri, allowed, _LINK_TERMS, edge_type)
        if ends[0] == ends[1] and edge_type in ("neighbours", "collaborates_with"):
            raise self.error(iri, "lis:to", f"links '{ends[0]}' to itself",
                             "a neighbour or collaborator is another node")
        for theme in props.get("themes", ()) if edge_type == "collaborates_with" else ():
            if theme not in self.graph.nodes:
                raise self.error(iri, "lis:themes", f"names unknown theme {show(theme)}",
                                 "use a theme id from the taxonomy")
        dates = [props.pop(key, None) for key in ("valid_from", "valid_to")]
        self.checked(iri, "lis:validTo", check_period(*dates))
        self.graph.add_edge(Edge(ends[0], edge_type, ends[1], self.source_ids(iri), dates[0],
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
