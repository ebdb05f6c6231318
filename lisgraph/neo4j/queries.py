"""Named queries on Neo4j: the Cypher twin (``queries/NAME.cypher``) of each ``NAME.rq``.

A twin starts with the same header as its SPARQL file, with ``//`` comments::

    // title: Districts in two LEPs
    // param: as_of date  the day to look at (YYYY-MM-DD)
    // columns: district, district_name, lep1, lep1_name, lep2, lep2_name

and returns the same rows in the same order. Parameters are passed to the server as values
(``$as_of``), never pasted into the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..errors import LisgraphError
from ..named import NamedQuery, Param, list_queries, load_query
from .connection import Connection, connect

__all__ = ["bind", "cypher_header", "resolve_params", "run_named", "with_cypher"]


def cypher_header(text: str) -> dict[str, Any]:
    """The ``//`` header of a Cypher twin: title, description, params, columns.

    >>> text = "// title: T\\n// param: as_of date  the day\\n// columns: a, b\\nRETURN 1"
    >>> h = cypher_header(text)
    >>> h["title"], h["params"], h["columns"]
    ('T', (('as_of', 'date'),), ('a', 'b'))
    """
    head: dict[str, Any] = {"title": "", "description": "", "params": (), "columns": ()}
    params: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break
            continue
        key, sep, value = stripped[2:].strip().partition(":")
        if not sep:
            continue
        if key.strip() == "param":
            parts = value.split(None, 2)
            params.append((parts[0], parts[1] if len(parts) > 1 else ""))
        elif key.strip() == "columns":
            head["columns"] = tuple(c.strip() for c in value.split(",") if c.strip())
        else:
            head[key.strip()] = value.strip()
    head["params"] = tuple(params)
    return head


def with_cypher() -> list[NamedQuery]:
    """The named queries that have a Cypher twin."""
    return [q for q in list_queries() if q.cypher is not None]


def _load(name: str) -> NamedQuery:
    query = load_query(name)
    if query.cypher is None:
        names = ", ".join(q.name for q in with_cypher()) or "none"
        raise LisgraphError(f"query '{name}' has no Cypher twin (queries/{name}.cypher); "
                            f"queries on Neo4j: {names}")
    return query


def _convert(query: NamedQuery, p: Param, value: Any) -> Any:
    if value is None:
        return None
    try:
        if p.type == "date":
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if p.type == "int":
            return int(value)
    except ValueError:
        raise LisgraphError(f"query '{query.name}': parameter '{p.name}' is a {p.type}, "
                            f"not '{value}'") from None
    return str(value)


def bind(query: NamedQuery, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check and convert values for the query's parameters: dates (``datetime.date`` or
    ``YYYY-MM-DD``), ints; ``place`` and ``theme`` values must be codes already
    (:func:`lisgraph.named.bind_params` resolves names against the local graph).
    Every declared parameter must be given (None binds null); unknown ones raise."""
    given = dict(params or {})
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise LisgraphError(f"query '{query.name}' has no parameter '{unknown[0]}'; "
                            f"parameters: {', '.join(declared) or 'none'}")
    missing = [p for p in query.params if p.name not in given]
    if missing:
        p = missing[0]
        raise LisgraphError(f"query '{query.name}' needs -p {p.name}=... ({p.type}: "
                            f"{p.description})")
    return {p.name: _convert(query, p, given[p.name]) for p in query.params}


def resolve_params(conn: Connection, query: NamedQuery,
                   given: Mapping[str, str]) -> dict[str, Any]:
    """``-p key=value`` text to values, with places and themes resolved on the server (by code,
    name, former name or label: :mod:`lisgraph.neo4j.lookup`), not against local files."""
    from .lookup import resolve, resolve_theme

    kinds = {p.name: p.type for p in query.params}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if kinds.get(key) == "place":
            out[key] = resolve(conn, value).id
        elif kinds.get(key) == "theme":
            out[key] = resolve_theme(conn, value)
        else:
            out[key] = value
    return bind(query, out)


def run_named(name: str, params: Mapping[str, Any] | None = None,
              conn: Connection | None = None) -> list[dict[str, Any]]:
    """Run the Cypher twin of named query NAME on Neo4j.

    Returns the rows as dicts with the header's columns, in order, with plain Python values
    (dates as ``datetime.date``): the same rows as the SPARQL query on the embedded store.
    ``conn`` defaults to a connection from the ``NEO4J_*`` variables (closed afterwards).
    """
    query = _load(name)
    bound = bind(query, params)
    own = conn is None
    conn = conn or connect()
    try:
        rows = conn.read(query.cypher or "", bound)
    finally:
        if own:
            conn.close()
    if rows:
        missing = [c for c in query.columns if c not in rows[0]]
        if missing:
            raise LisgraphError(f"queries/{name}.cypher returns no column '{missing[0]}' "
                                "named in the header")
    return [{c: r[c] for c in query.columns} for r in rows]
