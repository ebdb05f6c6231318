"""Cross-boundary structure answered on the server: the Neo4j twin of
:func:`lisgraph.analysis.boundaries` (districts in two LEPs, bodies spanning regions or
authorities), on a date or, undated, over the periods in which memberships do not change."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import LisgraphError
from .connection import Connection
from ..view import over_days as over_time
from .lookup import time_filter as tf

__all__ = ["boundaries", "change_days", "over_time"]


_TWO_LEPS = f"""
MATCH (d:District)-[r1:PART_OF]->(a:LocalEnterprisePartnership)
MATCH (d)-[r2:PART_OF]->(b:LocalEnterprisePartnership)
WHERE a.code < b.code AND {tf('r1', 'r2', 'd', 'a', 'b')}
RETURN DISTINCT d.code AS district, d.name AS district_name, a.code AS lep1,
       a.name AS lep1_name, b.code AS lep2, b.name AS lep2_name
ORDER BY district, lep1, lep2
"""

_SPANNING = """
MATCH (d:District)-[r:PART_OF]->(b:{body})
WHERE {holds}
WITH DISTINCT b, d
OPTIONAL MATCH (d)-[r2:PART_OF]->(x:{across})
WHERE {holds2}
WITH b, d, collect(DISTINCT x) AS xs
UNWIND CASE WHEN size(xs) = 0 THEN [null] ELSE xs END AS x
WITH b, x, count(d) AS n
WITH b, collect(CASE WHEN x IS NOT NULL THEN [x.code, x.name, n] END) AS spans,
     sum(CASE WHEN x IS NULL THEN n ELSE 0 END) AS outside
WHERE size(spans) > 1 OR ($with_outside AND size(spans) > 0 AND outside > 0)
RETURN b.code AS code, b.name AS name, spans, outside
ORDER BY code
"""

_SPANS = (("lep", "LocalEnterprisePartnership", "region", "Region", "LEP spanning regions"),
          ("combined_authority", "CombinedAuthority", "region", "Region",
           "combined authority spanning regions"),
          ("lep", "LocalEnterprisePartnership", "combined_authority", "CombinedAuthority",
           "LEP spanning combined authorities"),
          ("combined_authority", "CombinedAuthority", "lep", "LocalEnterprisePartnership",
           "combined authority spanning LEPs"))


def boundaries(conn: Connection, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.boundaries` on the server: the same rows, in the same order;
    the server aggregates (districts per body and per area across) and returns only the
    bodies that span. Undated, the structure is computed for each period in which no
    membership changes (the days come from the server) and each row is given once with the
    span it held, as :func:`lisgraph.view.over_time` does."""
    from ..analysis.boundaries import _KINDS
    from ..view import iso

    if as_of is not None:
        day = iso(as_of)
        return [dict(r, valid_from=day, valid_to=day, as_of=day) for r in _on_day(conn, as_of)]
    rows = over_time(change_days(conn, "PART_OF"), lambda day: _on_day(conn, day),
                     key=lambda r: (r["kind"], r["code"], tuple(r["detail"])))
    return sorted(rows, key=lambda r: (_KINDS.index(r["kind"]), r["name"], r["code"],
                                       r["valid_from"] or ""))


def _on_day(conn: Connection, as_of: date | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in conn.read(_TWO_LEPS, {"as_of": as_of}):
        rows.append({"kind": "district in two LEPs", "code": r["district"],
                     "name": r["district_name"],
                     "detail": [f"{r['lep1_name']} ({r['lep1']})", f"{r['lep2_name']} ({r['lep2']})"]})
    for _, body, across, across_label, kind in _SPANS:
        statement = _SPANNING.format(body=body, across=across_label,
                                     holds=tf("r", "d", "b"), holds2=tf("r2", "x"))
        with_outside = across == "combined_authority"
        for r in conn.read(statement, {"as_of": as_of, "with_outside": with_outside}):
            parts = [f"{name} ({n})" for _, name, n in sorted(r["spans"])]
            if r["outside"] and with_outside:
                parts.append(f"no combined authority ({r['outside']})")
            rows.append({"kind": kind, "code": r["code"], "name": r["name"], "detail": parts})
    return rows


def _latest(items: str) -> str:
    return (f"reduce(m = null, x IN [x IN [{items}] WHERE x IS :: DATE NOT NULL] | "
            "CASE WHEN m IS NULL OR x > m THEN x ELSE m END)")


def _earliest(items: str) -> str:
    return (f"reduce(m = null, x IN [x IN [{items}] WHERE x IS :: DATE NOT NULL] | "
            "CASE WHEN m IS NULL OR x < m THEN x ELSE m END)")


def change_days(conn: Connection, rel_type: str) -> list[date]:
    """:func:`lisgraph.view.change_days` on the server: the days a link of ``rel_type`` (a
    schema relationship type) starts or stops holding, by its period (its own dates and its
    ends')."""
    from datetime import timedelta

    from .constraints import quoted, relationship_types

    if rel_type not in relationship_types().values():
        raise LisgraphError(f"'{rel_type}' is not a relationship type in schema/model.toml")
    start_a = "CASE WHEN a:Strategy THEN coalesce(a.valid_from, a.date) ELSE a.valid_from END"
    start_b = "CASE WHEN b:Strategy THEN coalesce(b.valid_from, b.date) ELSE b.valid_from END"
    rows = conn.read(
        f"MATCH (a:Entity)-[r:{quoted(rel_type)}]->(b:Entity) "
        f"WITH {_latest(f'r.valid_from, {start_a}, {start_b}')} AS s, "
        f"{_earliest('r.valid_to, a.valid_to, b.valid_to')} AS e "
        "RETURN collect(DISTINCT s) AS starts, collect(DISTINCT e) AS ends")
    days = set(rows[0]["starts"]) if rows else set()
    if rows:
        days |= {e + timedelta(days=1) for e in rows[0]["ends"] if e < date.max}
    return sorted(days)

