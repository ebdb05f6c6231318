"""Exports: Turtle, JSON-LD, N-Triples, GraphML, GEXF and CSV for neo4j-admin, written atomically.

The RDF formats carry the whole graph: the projection, the alignment triples and a DCAT
description of the dataset. N-Triples is written directly; Turtle goes through pyoxigraph's
serializer (Rust), which is many times faster than rdflib's. JSON-LD is compact, with
lisgraph's context (``schema/context.jsonld``) inline so that it expands offline.

GraphML and GEXF (networkx) carry nodes and edges with flat attributes (lists joined with
``;``, dates as ISO text). ``csv`` writes node and relationship files in neo4j-admin's import
layout into a ``.zip`` archive, or into a folder when ``--out`` has no ``.zip`` suffix; each
holds ``IMPORT.txt`` with the ``neo4j-admin database import full`` command.

Files are written through :mod:`lisgraph.files`: atomically (a temporary file beside the
target, then one rename), never through links or onto devices, and a CSV folder only over an
empty folder or an earlier lisgraph export (its ``.lisgraph-export`` marker lists what it
wrote) unless ``force``. Text that is not valid Unicode (a non-UTF-8 file name carried into a
source's title) is written with its undecodable bytes as ``\\xNN``, so every export is valid
UTF-8.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import MissingExtra
from ..files import OutputError, atomic_write, check_target, write_folder
from ..graph import KnowledgeGraph
from ..output import csv_line, iri_utf8_safe, utf8_safe
from . import alignment, projection
from .store import _utf8_triple, oxigraph_triples, utf8_triples  # noqa: F401  (re-exported)
from .vocabulary import LISID, PREFIXES, link_iri

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS", "RDF_FORMATS", "TURTLE_PREFIXES", "ExportError", "format_for", "export",
    "linked_triples", "utf8_triples", "grouped", "ntriples", "jsonld_document", "to_networkx",
    "neo4j_files", "atomic_write", "oxigraph_triples",
]

FORMATS = ("ttl", "jsonld", "nt", "graphml", "gexf", "csv")
RDF_FORMATS = ("ttl", "jsonld", "nt")
_SUFFIXES = {".ttl": "ttl", ".jsonld": "jsonld", ".json-ld": "jsonld", ".json": "jsonld",
             ".nt": "nt", ".graphml": "graphml", ".gexf": "gexf", ".zip": "csv"}
XSD_STRING = PREFIXES["xsd"] + "string"
#: Turtle exports also abbreviate lisgraph's id sub-namespaces (``link:``, ``source:`` ...)
TURTLE_PREFIXES = {**PREFIXES, **{k: f"{LISID}{k}/" for k in (
    "source", "link", "body", "partnership", "organisation", "provider", "strategy", "priority",
    "theme", "collaboration")}}
RDF_TYPE = PREFIXES["rdf"] + "type"

Grouped = dict[str, dict[tuple[str, tuple], None]]


#: An export cannot be written where asked (the same class as :class:`lisgraph.files.OutputError`)
ExportError = OutputError


def format_for(path: Path) -> str:
    """The export format a file name implies.

    >>> format_for(Path("graph.ttl")), format_for(Path("neo4j.zip"))
    ('ttl', 'csv')
    """
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"{path}: cannot tell the format from '{path.suffix}' — give --format "
                          f"({', '.join(FORMATS)})")
    return fmt


def linked_triples(graph: KnowledgeGraph, issued: date | None = None,
                   dataset: bool = True) -> Iterator[tuple[str, str, tuple]]:
    """The projection, the alignment triples and (``dataset``) the DCAT description."""
    parts = [projection.triples(graph), alignment.triples(graph)]
    if dataset:
        parts.append(alignment.dataset_triples(graph, issued))
    return chain.from_iterable(parts)


def grouped(triples: Iterable[tuple[str, str, tuple]]) -> Grouped:
    """Triples by subject, in first-seen order, without repeats (text made valid Unicode)."""
    out: Grouped = {}
    for s, p, o in triples:
        if not (s.isascii() and o[1].isascii()):  # inline: this loop sees every triple
            s, o = _utf8_triple(s, o)
        po = out.get(s)
        if po is None:
            po = out[s] = {}
        po[(p, o)] = None
    return out


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _iri(value: str) -> str:
    if not _SCHEME.match(value):
        raise ExportError(f"'{value}' is not an absolute IRI (e.g. a source url without "
                          "https://) — correct it in the data")
    if _BAD_IRI.search(value):  # a malformed URL in user data: percent-encode, keep the rest
        value = _BAD_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), value)
    return f"<{value}>"


def ntriples(data: Grouped) -> Iterator[str]:
    """N-Triples lines for grouped triples.

    >>> list(ntriples({"http://e/a": {("http://e/p", ("lit", 'say "hi"', None)): None}}))
    ['<http://e/a> <http://e/p> "say \\\\"hi\\\\"" .\\n']
    """
    iris: dict[str, str] = {}
    for s, pos in data.items():
        s_text = iris.get(s) or iris.setdefault(s, _iri(s))
        for p, o in pos:
            p_text = iris.get(p) or iris.setdefault(p, _iri(p))
            if o[0] == "iri":
                o_text = iris.get(o[1]) or iris.setdefault(o[1], _iri(o[1]))
            elif o[2] is None or o[2] == XSD_STRING:
                o_text = f'"{o[1].translate(_ESCAPES)}"'
            else:
                o_text = f'"{o[1].translate(_ESCAPES)}"^^{iris.get(o[2]) or _iri(o[2])}'
            yield f"{s_text} {p_text} {o_text} .\n"


def _write_lines(f: IO[bytes], lines: Iterable[str], chunk: int = 20000) -> None:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= chunk:
            f.write("".join(buf).encode("utf-8"))
            buf.clear()
    f.write("".join(buf).encode("utf-8"))


def _context_terms(ctx: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """IRI -> (term, coercion) for every term of a context (coercion: '@id', a datatype IRI
    or None for plain strings)."""
    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES else curie

    terms: dict[str, tuple[str, str | None]] = {}
    for term, d in ctx.items():
        if term in PREFIXES or term.startswith("@"):
            continue
        if isinstance(d, str):
            terms[expand(d)] = (term, None)
        else:
            coerce = d.get("@type")
            terms[expand(d["@id"])] = (term, coerce if coerce in (None, "@id") else expand(coerce))
    return terms


def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, ns in namespaces:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    _iri(iri)  # refuses relative IRIs, as the other formats do
    return iri


def jsonld_document(data: Grouped, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """A compact JSON-LD document (``@context`` inline, one object per subject in ``@graph``).

    Values use a context term where the term's coercion fits the value exactly and explicit
    value objects otherwise, so expanding the document gives back exactly these triples.

    >>> doc = jsonld_document({"http://statistics.data.gov.uk/id/statistical-geography/"
    ...   "E12000002": {("http://www.w3.org/2000/01/rdf-schema#label", ("lit", "North West",
    ...   None)): None}})
    >>> doc["@graph"]
    [{'@id': 'statgeo:E12000002', 'name': 'North West'}]
    """
    from .ontology import jsonld_context

    ctx = context or jsonld_context()
    terms = _context_terms(ctx)
    sets = {t for t, d in ctx.items() if isinstance(d, dict) and d.get("@container") == "@set"}
    class_terms = {iri: t for iri, (t, c) in terms.items() if t[:1].isupper()}
    namespaces = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    nodes = []
    for s, pos in data.items():
        obj: dict[str, Any] = {"@id": _compact(s, namespaces)}
        for p, o in pos:
            if p == RDF_TYPE and o[0] == "iri":
                obj.setdefault("@type", []).append(class_terms.get(o[1]) or
                                                   _compact(o[1], namespaces))
                continue
            term, coerce = terms.get(p) or (_compact(p, namespaces), None)
            if o[0] == "iri":
                value: Any = (_compact(o[1], namespaces) if coerce == "@id"
                              else {"@id": _compact(o[1], namespaces)})
            elif (o[2] or XSD_STRING) == (coerce or XSD_STRING):
                value = o[1]
            elif o[2] is None or o[2] == XSD_STRING:
                value = {"@value": o[1]}
            else:
                value = {"@value": o[1], "@type": _compact(o[2], namespaces)}
            obj.setdefault(term, []).append(value)
        for key, values in obj.items():
            if isinstance(values, list) and len(values) == 1 and key not in sets:
                obj[key] = values[0]
        nodes.append(obj)
    return {"@context": ctx, "@graph": nodes}




def _flat(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return utf8_safe(";".join(str(v) for v in value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return utf8_safe(value)
    return value


def _attrs(items: Iterable[tuple[str, object]]) -> dict[str, object]:
    return {k: _flat(v) for k, v in items if v is not None and v != [] and v != ()}


def _link_id(e: Any) -> str:
    iri = link_iri(e.start, e.type, e.end, e.valid_from, e.valid_to,
                   str(e.props.get("collaboration", "")))
    return iri.rsplit("/", 1)[1]


def to_networkx(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """A networkx graph with flat attributes (GraphML and GEXF take no lists or dates):
    nodes carry ``label`` (the name), ``type``, ``sources`` and their properties; edges
    carry ``id``, ``relation`` (the edge type; GEXF reserves ``type`` for directedness),
    ``label`` (the relationship name), validity, sources and properties."""
    import networkx as nx

    g = nx.MultiDiGraph(name="lisgraph")
    for node_id in sorted(graph.nodes):
        n = graph.nodes[node_id]
        g.add_node(n.id, **_attrs([("label", n.name), ("type", n.type),
                                   ("sources", n.sources), *sorted(n.props.items())]))
    for e in _sorted_edges(graph):
        key = _link_id(e)
        g.add_edge(e.start, e.end, key=key, **_attrs([
            ("id", key), ("relation", e.type), ("label", graph.schema.edges[e.type].label),
            ("valid_from", e.valid_from), ("valid_to", e.valid_to), ("sources", e.sources),
            *sorted(e.props.items())]))
    return g


def _sorted_edges(graph: KnowledgeGraph) -> list[Any]:
    return sorted(graph.edges, key=lambda e: (e.start, e.type, e.end, str(e.valid_from),
                                              str(e.valid_to), str(e.props)))


_NEO4J_TYPES = {"string": "", "decimal": ":float", "boolean": ":boolean", "date": ":date",
                "integer": ":long"}


def _neo4j_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(_flat(value))


def _neo4j_header(props: Iterable[str]) -> list[str]:
    from .ontology import PROPERTY_TYPES

    header = []
    for p in props:
        dtype, multi, _ = PROPERTY_TYPES.get(p, ("string", False, ""))
        suffix = _NEO4J_TYPES.get(dtype, "")
        if multi:
            suffix = (suffix or ":string") + "[]"
        header.append(p + suffix)
    return header


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> bytes:
    text = csv_line(header) + "".join(csv_line(row) for row in rows)
    return utf8_safe(text).encode("utf-8")


def neo4j_files(graph: KnowledgeGraph) -> dict[str, bytes]:
    """File name -> content: ``nodes_<Label>.csv`` per node type, ``relationships_<TYPE>.csv``
    per edge type, ``sources.csv`` (label ``Source``, own id space) and ``IMPORT.txt``."""
    files: dict[str, bytes] = {}
    for name, nt in graph.schema.nodes.items():
        nodes = [graph.nodes[k] for k in sorted(graph.nodes) if graph.nodes[k].type == name]
        if not nodes:
            continue
        props = list(dict.fromkeys([*nt.properties, *sorted({k for n in nodes for k in n.props})]))
        header = ["code:ID", "name", *_neo4j_header(props), "sources:string[]", ":LABEL"]
        rows = ([n.id, n.name, *(_neo4j_value(n.props.get(p)) for p in props),
                 ";".join(n.sources), nt.label] for n in nodes)
        files[f"nodes_{nt.label}.csv"] = _csv_text(header, rows)
    edges = _sorted_edges(graph)
    for name, et in graph.schema.edges.items():
        mine = [e for e in edges if e.type == name]
        if not mine:
            continue
        props = sorted({k for e in mine for k in e.props})
        header = [":START_ID", ":END_ID", ":TYPE", "id", "valid_from:date", "valid_to:date",
                  "sources:string[]", *_neo4j_header(props)]
        rows = ([e.start, e.end, et.label, _link_id(e), _neo4j_value(e.valid_from),
                 _neo4j_value(e.valid_to), ";".join(e.sources),
                 *(_neo4j_value(e.props.get(p)) for p in props)] for e in mine)
        files[f"relationships_{et.label}.csv"] = _csv_text(header, rows)
    src = [graph.sources[k] for k in sorted(graph.sources)]
    files["sources.csv"] = _csv_text(
        ["id:ID(Source)", "publisher", "title", "url", "vintage", "licence", "note", ":LABEL"],
        ([s.id, s.publisher, s.title, s.url, s.vintage, s.licence, s.note, "Source"] for s in src))
    args = [f"  --nodes={n}" for n in files if n.startswith("nodes_") or n == "sources.csv"]
    args += [f"  --relationships={n}" for n in files if n.startswith("relationships_")]
    files["IMPORT.txt"] = (
        "lisgraph export for neo4j-admin (Neo4j 5). From this folder, into an empty database:\n\n"
        "neo4j-admin database import full --array-delimiter=';' --multiline-fields=true \\\n"
        + " \\\n".join(args) + " \\\n  neo4j\n\n"
        "Node ids (code:ID) are GSS codes, UKPRNs or slugs, unique across node files; sources "
        "have their own id space. Each node's and relationship's `sources` lists the ids of "
        "the Source nodes it is derived from.\n").encode("utf-8")
    return files


def _write_zip(files: dict[str, bytes], out: Path) -> None:
    with atomic_write(out) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)


def export(graph: KnowledgeGraph, fmt: str, out: Path, issued: date | None = None,
           force: bool = False, extra: Iterable[tuple[str, str, tuple]] = ()) -> dict:
    """Write ``graph`` to ``out`` in ``fmt`` (one of :data:`FORMATS`); returns what was written.

    Parameters
    ----------
    graph : the graph to export
    fmt : ``ttl``, ``jsonld``, ``nt``, ``graphml``, ``gexf`` or ``csv``
    out : the file (for ``csv``: a ``.zip`` file, or a folder)
    issued : the dataset's ``dcterms:issued`` date (default: today, or ``SOURCE_DATE_EPOCH``)
    force : for a ``csv`` folder: replace ``out`` even when it is not empty and not an
        earlier lisgraph export
    extra : more triples for the RDF formats (e.g. :func:`lisgraph.rdf.datacube.datacube_triples`)

    Returns
    -------
    dict with ``format``, ``path`` and counts (``triples`` for RDF, ``nodes``/``edges``
    otherwise).
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}' — use one of {', '.join(FORMATS)}")
    summary: dict[str, Any] = {"format": fmt, "path": str(out)}
    check_target(out, folder=fmt == "csv" and out.suffix.lower() != ".zip")
    if fmt in RDF_FORMATS:
        data = grouped(chain(linked_triples(graph, issued), extra))
        summary["triples"] = sum(len(v) for v in data.values())
        with atomic_write(out) as f:
            if fmt == "nt":
                _write_lines(f, ntriples(data))
            elif fmt == "jsonld":
                f.write(json.dumps(jsonld_document(data), ensure_ascii=False, indent=1)
                        .encode("utf-8"))
            else:
                _write_turtle(data, f)
        return summary
    summary.update(nodes=len(graph.nodes), edges=len(graph.edges))
    if fmt == "csv":
        files = neo4j_files(graph)
        if out.suffix.lower() == ".zip":
            _write_zip(files, out)
        else:
            write_folder(out, files, force=force, generator="lisgraph export --format csv")
        summary["files"] = len(files)
        return summary
    import networkx as nx

    g = to_networkx(graph)
    with atomic_write(out) as f:
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, f)
    return summary


def _write_turtle(data: Grouped, f: IO[bytes]) -> None:
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingExtra("pyoxigraph", "rdf") from None
    nt = "".join(ntriples(data)).encode("utf-8")
    # lenient: the N-Triples are our own and their IRIs were checked by _iri
    ox.serialize(ox.parse(nt, ox.RdfFormat.N_TRIPLES, lenient=True), f, ox.RdfFormat.TURTLE,
                 prefixes=TURTLE_PREFIXES)
