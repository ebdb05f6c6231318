"""Names, codes and themes resolved on the server (no local graph): the Neo4j twin of
:func:`lisgraph.places.resolve` and :func:`lisgraph.analysis.index.resolve_theme`.

Codes are looked up through the ``:Entity(code)`` uniqueness constraint, names through the
TEXT index on ``name_key`` (the name as :func:`lisgraph.places.normalise` writes it); former
names and alternative labels (``alt_keys``) are searched only among the labels whose schema
properties include them.
"""

from __future__ import annotations

import difflib

from ..errors import AmbiguousPlace, LisgraphError, PlaceNotFound
from ..model import Node
from ..places import _PRIORITY, normalise
from ..schema import load_schema
from .connection import Connection
from .constraints import quoted
from .projection import ENTITY, KEY_CHARS

__all__ = ["resolve", "resolve_theme", "time_filter"]

_E = quoted(ENTITY)
_FIELDS = "n.code AS code, n.type AS type, n.name AS name"


def time_filter(*items: str, day: str = "$as_of") -> str:
    """A Cypher condition: every node or relationship variable in ``items`` holds on ``day``
    (the dated view's contract: an edge holds iff its own dates and both ends' dates hold),
    or ``day`` is null (the undated view).

    >>> time_filter("r")
    '($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of) AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))'
    """
    parts = [f"({v}.valid_from IS NULL OR {v}.valid_from <= {day}) AND "
             f"({v}.valid_to IS NULL OR {v}.valid_to >= {day})" for v in items]
    return f"({day} IS NULL OR ({' AND '.join(parts)}))"


def _rank(node_type: str) -> int:
    return _PRIORITY.index(node_type) if node_type in _PRIORITY else len(_PRIORITY)


def _node(row: dict) -> Node:
    return Node(str(row["code"]), str(row["type"]), str(row["name"]), ())


def _labels_with(*props: str) -> list[str]:
    return [nt.label for nt in load_schema().nodes.values() if set(props) & set(nt.properties)]


def _by_code(conn: Connection, code: str) -> list[Node]:
    rows = conn.read(f"MATCH (n:{_E} {{code: $code}}) RETURN {_FIELDS}", {"code": code})
    if not rows:
        alias = " OR ".join(f"n:{quoted(lb)}" for lb in _labels_with("alt_codes")) or "false"
        rows = conn.read(f"MATCH (n:{_E}) WHERE ({alias}) AND $code IN n.alt_codes "
                         f"RETURN {_FIELDS} ORDER BY code", {"code": code})
    return [_node(r) for r in rows]


def _by_name(conn: Connection, key: str) -> list[Node]:
    rows = conn.read(f"MATCH (n:{_E}) WHERE n.name_key = $key RETURN {_FIELDS}",
                     {"key": key[:KEY_CHARS]})
    if len(key) >= KEY_CHARS:  # the index holds a prefix of long names: check the whole name
        rows = [r for r in rows if normalise(str(r["name"])) == key]
    named = " OR ".join(f"n:{quoted(lb)}" for lb in _labels_with("former_names", "alt_labels"))
    if named:
        rows += conn.read(f"MATCH (n:{_E}) WHERE ({named}) AND $key IN n.alt_keys "
                          f"RETURN {_FIELDS}", {"key": key})
    seen: dict[str, Node] = {}
    for r in rows:
        seen.setdefault(str(r["code"]), _node(r))
    return sorted(seen.values(), key=lambda n: n.id)


def _suggest(conn: Connection, wanted: str, types: tuple[str, ...], n: int = 3) -> list[str]:
    """Up to ``n`` close names, from candidates the TEXT index finds (same prefix, or
    containing the longest word), ranked as :func:`lisgraph.places.suggest` ranks them."""
    if not wanted:
        return []
    word = max(wanted.split(), key=len)[:KEY_CHARS]
    wanted = wanted[:KEY_CHARS]
    rows = conn.read(f"MATCH (n:{_E}) WHERE n.name_key STARTS WITH $prefix "
                     f"RETURN {_FIELDS}, n.name_key AS k LIMIT 5000 UNION "
                     f"MATCH (n:{_E}) WHERE n.name_key CONTAINS $word "
                     f"RETURN {_FIELDS}, n.name_key AS k LIMIT 5000",
                     {"prefix": wanted[:2], "word": word})
    by_key: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (_rank(r["type"]), r["code"])):
        if not types or r["type"] in types:
            by_key.setdefault(r["k"], r)
    close = difflib.get_close_matches(wanted, sorted(by_key), n=n, cutoff=0.6)
    if not close:
        close = [k for k in sorted(by_key) if wanted in k][:n]
    return [f"{by_key[k]['name']} ({by_key[k]['code']})" for k in close]


def resolve(conn: Connection, query: str, types: tuple[str, ...] = ()) -> Node:
    """The node a user means, found on the server (code, older code, name, former name).

    Same rules as :func:`lisgraph.places.resolve`; the node returned carries code, type and
    name only. Raises PlaceNotFound (with suggestions) or AmbiguousPlace.
    """
    q = query.strip()
    for code in dict.fromkeys((q, q.upper())):
        if code:
            hits = [n for n in _by_code(conn, code) if not types or n.type in types]
            if hits:
                return hits[0]
    exact = [n for n in _by_name(conn, normalise(q)) if not types or n.type in types]
    if exact:
        best_rank = min(_rank(n.type) for n in exact)
        best = [n for n in exact if _rank(n.type) == best_rank]
        if len(best) > 1:
            raise AmbiguousPlace(q, [f"{n.name} ({n.id}, {n.type})" for n in best])
        return best[0]
    raise PlaceNotFound(q, _suggest(conn, normalise(q), types))


def resolve_theme(conn: Connection, text: str) -> str:
    """A theme's id from its id, label or alternative label (case-insensitive), on the server."""
    theme = quoted(load_schema().nodes["theme"].label)
    rows = conn.read(f"MATCH (n:{_E} {{code: $code}}) WHERE n:{theme} RETURN n.code AS code "
                     f"UNION MATCH (n:{_E}) WHERE n.name_key = $key AND n:{theme} "
                     "RETURN n.code AS code", {"code": text, "key": normalise(text)[:KEY_CHARS]})
    if not rows:
        rows = conn.read(f"MATCH (n:{theme}) WHERE $key IN n.alt_keys RETURN n.code AS code "
                         "ORDER BY code", {"key": normalise(text)})
    if rows:
        return str(sorted(r["code"] for r in rows)[0])
    hints = _suggest(conn, normalise(text), ("theme",))
    raise LisgraphError(f"no theme matches '{text}'" + (f"; did you mean {', '.join(hints)}?"
                                                        if hints else ""))
