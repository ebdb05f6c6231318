"""SHACL validation (pySHACL, shapes in schema/shapes.ttl) of the graph and of RDF files.

Each violation is one :class:`Violation`: the resource (focus node), the property path and the
shape's message, printed as one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assets import schema_dir
from ..errors import MissingExtra
from ..graph import KnowledgeGraph
from .export import linked_triples
from .importer import parse_file
from .ontology import LISSH
from .vocabulary import PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = ["Violation", "shapes_graph", "validate_graph", "parse_files", "validate_files",
           "short"]

XSD_STRING = PREFIXES["xsd"] + "string"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: where (file, node, path) and what is wrong."""

    file: str
    node: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}{self.node} {self.path or '-'}: {self.message}{value}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def short(iri: str) -> str:
    """An IRI with lisgraph's prefixes.

    >>> short("http://statistics.data.gov.uk/id/statistical-geography/E08000003")
    'statgeo:E08000003'
    """
    for prefix, ns in sorted({**PREFIXES, "lissh": LISSH}.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>" if "://" in iri else iri


def _rdflib() -> Any:
    try:
        import pyshacl  # noqa: F401
        import rdflib
    except ImportError:
        raise MissingExtra("pyshacl", "rdf") from None
    return rdflib


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes shipped in schema/shapes.ttl."""
    rdflib = _rdflib()
    text = schema_dir().joinpath("shapes.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def _to_rdflib(triples: Iterable[tuple[Any, str, tuple]], into: rdflib.Graph) -> set:
    """Add lisgraph/importer triples to an rdflib graph; returns the resources they mention
    (subjects and non-literal objects)."""
    rdflib = _rdflib()
    uri, mentioned = rdflib.URIRef, set()

    def term(t: tuple) -> Any:
        if t[0] == "iri":
            return uri(t[1])
        if t[0] == "bnode":
            return rdflib.BNode(t[1])
        dtype = t[2] if len(t) > 2 and t[2] != XSD_STRING else None
        return rdflib.Literal(t[1], datatype=uri(dtype) if dtype else None)

    for s, p, o in triples:
        subject, obj = term(s) if isinstance(s, tuple) else uri(s), term(o)
        mentioned.add(subject)
        if o[0] != "lit":
            mentioned.add(obj)
        into.add((subject, uri(p), obj))
    return mentioned


def _violations(data: rdflib.Graph, file: str = "", focus: set | None = None) -> list[Violation]:
    import pyshacl
    from rdflib.namespace import RDF, SH

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                    abort_on_first=False, allow_warnings=True, meta_shacl=False,
                                    advanced=False, debug=False)
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(r, SH.focusNode)
        if focus is not None and node not in focus:
            continue
        path, value = report.value(r, SH.resultPath), report.value(r, SH.value)
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        severity = report.value(r, SH.resultSeverity)
        out.append(Violation(
            file, short(str(node)), short(str(path)) if path is not None else "",
            messages[0] if messages else "does not conform to its shape",
            str(value) if value is not None and value != node else "",
            short(str(severity)).split(":")[-1] if severity is not None else "Violation"))
    return sorted(set(out))


def validate_graph(graph: KnowledgeGraph) -> list[Violation]:
    """Validate the graph's RDF projection (with the alignment triples) against the shapes.

    Examples
    --------
    >>> from lisgraph.model import Node, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E12000002", "region", "North West", ("s",)))
    >>> validate_graph(g)
    []
    >>> g.add_node(Node("E1200000", "region", "Too short", ("s",)))
    >>> [str(v) for v in validate_graph(g)]  # doctest: +NORMALIZE_WHITESPACE
    ['statgeo:E1200000 lis:code: needs exactly one lis:code, a region id (gss:E12)
      (value: E1200000)']
    """
    data = _rdflib().Graph()
    _to_rdflib(linked_triples(graph, dataset=False), data)
    return _violations(data)


def parse_files(paths: Iterable[Path | str]) -> dict[Path, list]:
    """Parse RDF files before anything else is checked (a missing or malformed file is reported
    at once, not after validating the graph); path -> triples.

    Raises
    ------
    InputError : a file is missing or is not valid RDF (one line: file, line, what to do).
    """
    return {path: parse_file(path) for path in map(Path, paths)}


def validate_files(paths: Iterable[Path | str], context: KnowledgeGraph | None = None,
                   parsed: dict[Path, list] | None = None) -> list[Violation]:
    """Validate RDF files, each on its own or on top of ``context`` (e.g. the bundled graph, so
    that links to its nodes resolve); only resources the file mentions are reported.
    ``parsed`` holds files already read by :func:`parse_files`.

    Raises
    ------
    InputError : a file is not valid RDF (one line: file, line, what to do).
    """
    parsed = dict(parsed or {})
    rdflib = _rdflib()
    base = None
    if context is not None:
        base = rdflib.Graph()
        _to_rdflib(linked_triples(context, dataset=False), base)
    out: list[Violation] = []
    for path in map(Path, paths):
        triples = parsed[path] if path in parsed else parse_file(path)
        data = rdflib.Graph()
        if base is not None:
            data += base
        mentioned = _to_rdflib(triples, data)
        out += _violations(data, str(path), mentioned)
    return out
