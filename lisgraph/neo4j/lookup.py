"""Names, codes and themes resolved on the server (no local graph): the Neo4j twin of
:func:`lisgraph.places.resolve` and :func:`lisgraph.analysis.index.resolve_theme`.

Codes are looked up through the ``:Entity(code)`` uniqueness constraint, names through the
TEXT index on ``name_key`` (the name as :func:`lisgraph.places.normalise` writes it); former
names and alternative labels (``alt_keys``) are searched only among the labels whose schema
properties include them.
"""

from __future__ import annotations

import difflib
from datetime import date

from ..errors import AmbiguousPlace, LisgraphError, PlaceNotFound
from ..model import Node
from ..places import _PRIORITY
from ..schema import load_schema
from .connection import Connection
from .constraints import quoted
from .projection import ENTITY, KEY_CHARS, name_key

__all__ = ["node_period_of", "require", "resolve", "resolve_theme", "time_filter"]

_E = quoted(ENTITY)
_FIELDS = "n.code AS code, n.type AS type, n.name AS name"
_CANDIDATE = (_FIELDS + ", n.valid_from AS valid_from, n.valid_to AS valid_to, n.date AS date, "
              "EXISTS { MATCH (n)-[r:PUBLISHED]->(s:Strategy) WHERE " + "{holds}" + " } "
              "AS has_strategy")


def time_filter(*items: str, day: str = "$as_of") -> str:
    """A Cypher condition: every node or relationship variable in ``items`` holds on ``day``
    under the dated view's contract (:mod:`lisgraph.view`), or ``day`` is null (undated).

    Variables whose name starts with ``r`` are relationships (their own ``valid_from`` /
    ``valid_to``); others are nodes, which hold by their period: ``valid_from`` (a strategy's
    publication or a collaboration's signing ``date`` when it has none) to ``valid_to``; only
    date values count. A link is visible on a day iff it holds and both its ends do: name all
    three.

    >>> time_filter("r")
    '($as_of IS NULL OR ((r.valid_from IS NULL OR NOT r.valid_from IS :: DATE NOT NULL OR r.valid_from <= $as_of) AND (r.valid_to IS NULL OR NOT r.valid_to IS :: DATE NOT NULL OR r.valid_to >= $as_of)))'
    """
    parts = []
    for v in items:
        start = f"({v}.valid_from IS NULL OR NOT {v}.valid_from IS :: DATE NOT NULL OR {v}.valid_from <= {day})"
        if not v.startswith("r"):
            start = (f"(CASE WHEN {v}.valid_from IS :: DATE NOT NULL THEN {v}.valid_from <= {day} "
                     f"WHEN ({v}:Strategy OR {v}:Collaboration) AND {v}.date IS :: DATE NOT NULL "
                     f"THEN {v}.date <= {day} "
                     "ELSE true END)")
        end = f"({v}.valid_to IS NULL OR NOT {v}.valid_to IS :: DATE NOT NULL OR {v}.valid_to >= {day})"
        parts.append(f"{start} AND {end}")
    return f"({day} IS NULL OR ({' AND '.join(parts)}))"


def node_period_of(row: dict) -> tuple:
    """:func:`lisgraph.view.node_period` of a node fetched as ``{type, valid_from, valid_to,
    date}``."""
    from ..view import node_period

    props = {k: row.get(k) for k in ("valid_from", "valid_to", "date") if row.get(k) is not None}
    return node_period(Node(str(row.get("code", "")), str(row["type"]), "", (), props))


def require(node_row: dict, as_of: date | None) -> None:
    """:meth:`lisgraph.view.DatedView.require` for a node fetched from the server: raise
    :class:`~lisgraph.view.NotOnDate` when it did not exist on ``as_of``."""
    from ..view import OPEN_TYPES, NotOnDate, iso

    if as_of is None:
        return
    start, end, _ = node_period_of(node_row)
    if (start is None or start <= as_of) and (end is None or as_of <= end):
        return
    when = as_of.isoformat()
    name, code, node_type = node_row["name"], node_row["code"], node_row["type"]
    if start is not None and as_of < start:
        verb = "was published" if node_type == "strategy" else "was established"
        if node_type in OPEN_TYPES:
            verb = "was created"
        raise NotOnDate(f"{name} ({code}) {verb} {start.isoformat()}: nothing to show on {when}")
    raise NotOnDate(f"{name} ({code}) ended {iso(end)}: nothing to show on {when}")


def _rank(node_type: str) -> int:
    return _PRIORITY.index(node_type) if node_type in _PRIORITY else len(_PRIORITY)


def _node(row: dict) -> Node:
    props = {k: row[k] for k in ("valid_from", "valid_to", "date") if row.get(k) is not None}
    return Node(str(row["code"]), str(row["type"]), str(row["name"]), (), props)


def _labels_with(*props: str) -> list[str]:
    return [nt.label for nt in load_schema().nodes.values() if set(props) & set(nt.properties)]


def _by_code(conn: Connection, code: str) -> list[Node]:
    fields = _FIELDS + ", n.valid_from AS valid_from, n.valid_to AS valid_to, n.date AS date"
    rows = conn.read(f"MATCH (n:{_E} {{code: $code}}) RETURN {fields}", {"code": code})
    if not rows:
        alias = " OR ".join(f"n:{quoted(lb)}" for lb in _labels_with("alt_codes")) or "false"
        rows = conn.read(f"MATCH (n:{_E}) WHERE ({alias}) AND $code IN n.alt_codes "
                         f"RETURN {fields} ORDER BY code", {"code": code})
    return [_node(r) for r in rows]


def _by_name(conn: Connection, key: str, as_of: date | None) -> list[dict]:
    fields = _CANDIDATE.replace("{holds}", time_filter("r", "n", "s"))
    rows = conn.read(f"MATCH (n:{_E}) WHERE n.name_key = $key RETURN {fields}",
                     {"key": key[:KEY_CHARS], "as_of": as_of})
    if len(key) >= KEY_CHARS:  # the index holds a prefix of long names: check the whole name
        rows = [r for r in rows if name_key(str(r["name"])) == key]
    named = " OR ".join(f"n:{quoted(lb)}" for lb in _labels_with("former_names", "alt_labels"))
    if named:
        rows += conn.read(f"MATCH (n:{_E}) WHERE ({named}) AND $key IN n.alt_keys "
                          f"RETURN {fields}", {"key": key, "as_of": as_of})
    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(str(r["code"]), r)
    return sorted(seen.values(), key=lambda r: r["code"])


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


def resolve(conn: Connection, query: str, types: tuple[str, ...] = (),
            as_of: date | None = None, prefer_strategy: bool = False) -> Node:
    """The node a user means, found on the server (code, older code, name, former name).

    The rules of :func:`lisgraph.places.resolve`: a code matches exactly (any case); among
    several name matches, one with a strategy (``prefer_strategy``) first, then one valid on
    ``as_of`` (today when None), then the governing body. The node returned carries code,
    type, name and its dates. Raises PlaceNotFound (with suggestions) or AmbiguousPlace.
    """
    from ..view import today

    q = query.strip()
    for code in dict.fromkeys((q, q.upper(), q.lower())):
        if code:
            hits = [n for n in _by_code(conn, code) if not types or n.type in types]
            if hits:
                return hits[0]
    exact = [r for r in _by_name(conn, name_key(q), as_of) if not types or r["type"] in types]
    if not exact:
        raise PlaceNotFound(q, _suggest(conn, name_key(q), types))
    day = as_of or today()

    def key(r: dict) -> tuple:
        start, end, _ = node_period_of(r)
        valid = (start is None or start <= day) and (end is None or day <= end)
        return (prefer_strategy and not r["has_strategy"], not valid, _rank(r["type"]))

    exact.sort(key=lambda r: (key(r), r["code"]))
    best = [r for r in exact if key(r) == key(exact[0])]
    if len(best) > 1:
        raise AmbiguousPlace(q, [f"{r['name']} ({r['code']}, {r['type']})" for r in best])
    return _node(best[0])


def resolve_theme(conn: Connection, text: str) -> str:
    """A theme's id from its id, label or alternative label (case-insensitive), on the server."""
    theme = quoted(load_schema().nodes["theme"].label)
    rows = conn.read(f"MATCH (n:{_E} {{code: $code}}) WHERE n:{theme} RETURN n.code AS code "
                     f"UNION MATCH (n:{_E}) WHERE n.name_key = $key AND n:{theme} "
                     "RETURN n.code AS code", {"code": text, "key": name_key(text)[:KEY_CHARS]})
    if not rows:
        rows = conn.read(f"MATCH (n:{theme}) WHERE $key IN n.alt_keys RETURN n.code AS code "
                         "ORDER BY code", {"key": name_key(text)})
    if rows:
        return str(sorted(r["code"] for r in rows)[0])
    hints = _suggest(conn, name_key(text), ("theme",))
    raise LisgraphError(f"no theme matches '{text}'" + (f"; did you mean {', '.join(hints)}?"
                                                        if hints else ""))
