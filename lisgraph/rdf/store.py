"""SPARQL on the embedded store: the RDF projection loaded into pyoxigraph.

Values from users are bound as parameters (pyoxigraph ``substitutions``), never spliced into
query text. Queries run offline: pyoxigraph would follow ``SERVICE <http://...>`` to the
network (it has no option to turn federation off), so a query that uses ``SERVICE`` is refused
before it runs (:func:`refuse_network`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import LisgraphError, MissingExtra
from ..graph import KnowledgeGraph
from .projection import triples
from ..output import iri_utf8_safe, utf8_safe
from .vocabulary import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["EmbeddedStore", "prefix_header", "refuse_network", "oxigraph_triples", "utf8_triples"]


def prefix_header() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


# SPARQL 1.1 applies \uXXXX and \UXXXXXXXX escapes to the query text before parsing it
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what can hold the word SERVICE without being the keyword: strings, IRIs, comments
_NOT_CODE = re.compile("|".join([
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)',      # long strings (to the end if unclosed)
    r"'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)",
    r'"(?:[^"\\\n]|\\.)*"?', r"'(?:[^'\\\n]|\\.)*'?",  # short strings
    r'<[^<>"{}|^`\\\s]*>',                        # IRIs (no spaces or "<" inside)
    r"\#[^\n]*",                                  # comments
    r"\\.",  # an escape outside strings (ex:a\' is a prefixed name, not the start of a string)
]), re.DOTALL)
# not part of a variable (?service) or a prefixed name (ex:SERVICE, SERVICE:x); anything else
# is taken for the keyword (a local name such as ex:a.service is refused too: safe side)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.IGNORECASE)


def _codepoint(m: re.Match[str]) -> str:
    try:
        return chr(int(m.group(1) or m.group(2), 16))
    except (ValueError, OverflowError):
        return m.group()


def refuse_network(query: str) -> None:
    """Refuse a query that would reach the network (``SERVICE``, federated query).

    >>> refuse_network('SELECT ?s WHERE { ?s rdfs:comment "a SERVICE note" }  # SERVICE')
    >>> refuse_network("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lisgraph.errors.LisgraphError: SPARQL: SERVICE (federated query) is not allowed — ...
    """
    # read with and without \u escapes applied, so that neither reading can hide SERVICE
    if any(_SERVICE.search(_NOT_CODE.sub(" ", text))
           for text in (query, _CODEPOINT.sub(_codepoint, query))):
        raise LisgraphError("SPARQL: SERVICE (federated query) is not allowed — lisgraph "
                            "queries only the embedded store, offline; load other data with "
                            "--data")


class EmbeddedStore:
    """The graph's RDF projection in an in-memory pyoxigraph store.

    Examples
    --------
    >>> from lisgraph.model import Node, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E12000002", "region", "North West", ("s",)))
    >>> EmbeddedStore(g).select("SELECT ?code ?name WHERE { ?r lis:code ?code ; rdfs:label ?name }",
    ...                         {"code": "E12000002"})
    [{'code': 'E12000002', 'name': 'North West'}]
    """

    def __init__(self, graph: KnowledgeGraph):
        try:
            import pyoxigraph as ox
        except ImportError:
            raise MissingExtra("pyoxigraph", "rdf") from None
        self._ox = ox
        self.store: pyoxigraph.Store = ox.Store()
        quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), self._term(o), ox.DefaultGraph())
                 for s, p, o in utf8_triples(triples(graph))]
        self.store.bulk_extend(quads)

    def _term(self, o: tuple) -> Any:
        ox = self._ox
        if o[0] == "iri":
            return ox.NamedNode(o[1])
        return ox.Literal(o[1], datatype=ox.NamedNode(o[2])) if o[2] else ox.Literal(o[1])

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str, params: Mapping[str, object] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query with the project prefixes predeclared; rows as plain dicts.

        ``params`` bind variables (``{"place": "E47000001"}`` binds ``?place``) to literals:
        strings, ints, floats, bools and dates become typed literals. A bound variable must
        appear in the SELECT clause (pyoxigraph applies bindings to the projection).
        """
        ox = self._ox
        refuse_network(query)
        subs = {ox.Variable(k): _literal(ox, v) for k, v in (params or {}).items()}
        header = prefix_header()
        try:
            result = self.store.query(header + query, substitutions=subs)
        except SyntaxError as exc:
            raise LisgraphError(f"SPARQL syntax error: {_shift_lines(str(exc).splitlines()[0], header)}"
                                " — check the query text") from None
        except RuntimeError as exc:  # e.g. a bound variable missing from the SELECT clause
            raise LisgraphError(f"SPARQL: {_first_line(exc)} — a bound parameter must "
                                "appear in the SELECT clause") from None
        except (OSError, ValueError) as exc:
            raise LisgraphError(f"SPARQL: the query failed: {_first_line(exc)} — check the "
                                "query text") from None
        if not isinstance(result, ox.QuerySolutions):
            raise LisgraphError("only SELECT queries return rows")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            rows.append({n: _python(solution[n]) for n in names})
        return rows


def _first_line(exc: BaseException) -> str:
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


def _shift_lines(message: str, header: str) -> str:
    """Report line numbers of the user's query, not of the query with the prefixes added."""
    offset = header.count("\n")
    return re.sub(r"(line |^)(\d+)(?=[:,. ])",
                  lambda m: f"{m.group(1)}{max(int(m.group(2)) - offset, 1)}", message)


def _literal(ox: Any, value: object) -> Any:
    import datetime

    xsd = PREFIXES["xsd"]
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "decimal"))
    if isinstance(value, datetime.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(xsd + "date"))
    return ox.Literal(str(value))


def _python(term: Any) -> object:
    import datetime

    if term is None:
        return None
    if not hasattr(term, "datatype"):
        return term.value
    dt = term.datatype.value if term.datatype else ""
    xsd = PREFIXES["xsd"]
    if dt in (xsd + "integer", xsd + "int", xsd + "long"):
        return int(term.value)
    if dt in (xsd + "decimal", xsd + "double", xsd + "float"):
        return float(term.value)
    if dt == xsd + "boolean":
        return term.value == "true"
    if dt == xsd + "date":
        return datetime.date.fromisoformat(term.value)
    return term.value


def oxigraph_triples(triples: Iterable[tuple[str, str, tuple]]) -> Iterator[Any]:
    """pyoxigraph ``Triple`` objects for lisgraph's (subject, predicate, term) triples."""
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingExtra("pyoxigraph", "rdf") from None
    nodes: dict[str, Any] = {}
    literals: dict[tuple, Any] = {}

    def named(v: str) -> Any:
        n = nodes.get(v)
        if n is None:
            n = nodes[v] = ox.NamedNode(v)
        return n

    for s, p, o in utf8_triples(triples):
        if o[0] == "iri":
            obj = named(o[1])
        else:
            obj = literals.get(o)
            if obj is None:
                obj = literals[o] = (ox.Literal(o[1], datatype=named(o[2])) if o[2]
                                     else ox.Literal(o[1]))
        yield ox.Triple(named(s), named(p), obj)


def utf8_triples(triples: Iterable[tuple[str, str, tuple]]) -> Iterator[tuple[str, str, tuple]]:
    """Triples whose text is valid Unicode (undecodable file-name bytes as ``\\xNN`` in
    literals, ``%NN`` in IRIs); triples that are already valid pass unchanged."""
    for s, p, o in triples:
        if not (s.isascii() and o[1].isascii()):
            s, o = _utf8_triple(s, o)
        yield s, p, o


def _utf8_triple(s: str, o: tuple) -> tuple[str, tuple]:
    return iri_utf8_safe(s), (o[0], iri_utf8_safe(o[1]) if o[0] == "iri" else utf8_safe(o[1]),
                              *o[2:])
