"""Named queries: the files in queries/, their headers, parameters, and running them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .assets import queries_dir
from .errors import LisgraphError
from .graph import KnowledgeGraph

__all__ = ["NamedQuery", "Param", "QUERY_NAME", "list_queries", "load_query", "bind_params",
           "run_query"]

PARAM_TYPES = ("text", "date", "int", "place", "theme")
_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sparql: str
    cypher: str | None


def _parse(name: str, text: str, path: str) -> tuple[dict[str, str], list[Param], str]:
    meta: dict[str, str] = {}
    params: list[Param] = []
    for i, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if not m:
            if line.startswith("#") or not line.strip():
                continue
            break
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise LisgraphError(f"{path}:{i}: param needs 'NAME TYPE description' with TYPE one "
                                    f"of {', '.join(PARAM_TYPES)}")
            params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        else:
            meta[key] = value
    for key in ("title", "columns"):
        if key not in meta:
            raise LisgraphError(f"{path}: header has no '# {key}:' line — add it")
    return meta, params, text


#: a named query's name: the file name in queries/ without .rq (no paths, ASCII only)
QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def load_query(name: str) -> NamedQuery:
    """Read queries/NAME.rq (and NAME.cypher when present).

    Only files in the queries folder are named queries: a name with a path, ``..`` or a
    suffix is refused (run a query file of your own with ``lisgraph sparql @FILE``).

    Raises
    ------
    LisgraphError : no such named query (with suggestions) or not a query name.
    """
    if not QUERY_NAME.fullmatch(name):
        raise LisgraphError(f"'{name}' is not a named query: names are the files in queries/ "
                            "without .rq (list them with `lisgraph query`); run a query file "
                            "of your own with `lisgraph sparql @FILE`")
    root = queries_dir()
    rq = root / f"{name}.rq"
    if not rq.is_file():
        names = [q.name for q in list_queries()]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; queries: {', '.join(names)}"
        raise LisgraphError(f"no named query '{name}'{hint}")
    meta, params, text = _parse(name, rq.read_text(encoding="utf-8"), f"queries/{name}.rq")
    cy = root / f"{name}.cypher"
    return NamedQuery(name, meta["title"], meta.get("description", ""), tuple(params),
                      tuple(c.strip() for c in meta["columns"].split(",")), text,
                      cy.read_text(encoding="utf-8") if cy.is_file() else None)


def list_queries() -> list[NamedQuery]:
    names = sorted(p.name[:-3] for p in queries_dir().iterdir()
                   if p.name.endswith(".rq") and QUERY_NAME.fullmatch(p.name[:-3]))
    return [load_query(n) for n in names]


def bind_params(graph: KnowledgeGraph, query: NamedQuery, given: dict[str, str]) -> dict[str, Any]:
    """Check and convert ``-p key=value`` pairs to typed values for the query's parameters."""
    from .analysis.index import resolve_theme
    from .places import resolve

    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise LisgraphError(f"query '{query.name}' has no parameter '{unknown[0]}'; "
                            f"parameters: {', '.join(known) or 'none'}")
    out: dict[str, Any] = {}
    for p in query.params:
        if p.name not in given:
            raise LisgraphError(f"query '{query.name}' needs -p {p.name}=... ({p.type}: {p.description})")
        value = given[p.name]
        if p.type == "date":
            from .view import parse_day

            try:
                out[p.name] = parse_day(value)
            except ValueError:
                raise LisgraphError(f"-p {p.name}: '{value}' is not a date (YYYY-MM-DD or today)") from None
        elif p.type == "int":
            try:
                out[p.name] = int(value)
            except ValueError:
                raise LisgraphError(f"-p {p.name}: '{value}' is not a whole number") from None
        elif p.type == "place":
            out[p.name] = resolve(graph, value).id
        elif p.type == "theme":
            out[p.name] = resolve_theme(graph, value)
        else:
            out[p.name] = value
    return out


def run_query(graph: KnowledgeGraph, name: str, params: dict[str, str] | None = None,
              store: Any = None, as_of: date | None = None) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Run a named SPARQL query on the embedded store; rows keep only the declared columns.

    Time goes through the dated view: a query's ``as_of`` parameter, when not given, takes
    ``as_of`` (the global date); an explicit ``-p as_of`` wins. The store then holds the
    view of that date (a snapshot), so the query sees only what was valid then.
    """
    from .rdf.store import EmbeddedStore

    query = load_query(name)
    given = dict(params or {})
    if as_of is not None and "as_of" not in given and any(p.name == "as_of" for p in query.params):
        given["as_of"] = as_of.isoformat()
    values = bind_params(graph, query, given)
    day = values.get("as_of") if isinstance(values.get("as_of"), date) else as_of
    store = store or EmbeddedStore(graph.at(day))
    rows = store.select(query.sparql, values)
    return query.columns, [{c: r.get(c) for c in query.columns} for r in rows]
