"""What the server-side answers share (:mod:`.overlaps`, :mod:`.opportunities`, :mod:`.gaps`,
:mod:`.boundaries`, :mod:`.path`): a body's districts in Cypher, its strategies' periods as
:func:`lisgraph.view.period` gives them, and the refusal for a place without a strategy.

Each answer takes an open :class:`~lisgraph.neo4j.connection.Connection` where the embedded
function (:mod:`lisgraph.analysis`) takes a graph, and returns the same rows. The Cypher starts
from a code (the ``:Entity(code)`` constraint's index), walks out from there and returns only
the rows of the answer, or the small slice the ranking needs. Time follows the dated view's
contract (:func:`~lisgraph.neo4j.lookup.time_filter`); values are always parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import LisgraphError
from .lookup import time_filter

__all__ = ["as_date", "day", "districts_expr", "no_strategy", "published_periods"]

tf = time_filter


def _districts_of_body(m: str, n: int) -> str:
    """Cypher list of the districts that make up non-partnership ``m`` (a district is its own)."""
    d, r = f"d{n}", f"r{n}"
    return (f"CASE WHEN {m}:District THEN [x IN [{m}] WHERE {tf(m)}] "
            f"WHEN {m}:Provider OR {m}:Organisation THEN "
            f"[({m})-[{r}:LOCATED_IN]->({d}:District) WHERE {tf(r, d)} | {d}] "
            f"ELSE [({d}:District)-[{r}:PART_OF]->({m}) WHERE {tf(r, d)} | {d}] END")


def districts_expr(v: str) -> str:
    """Cypher list (with repeats) of the districts that make up ``v``'s area on ``$as_of``:
    :func:`lisgraph.analysis.index.member_districts` (a partnership: its members' districts)."""
    return (f"CASE WHEN {v}:Partnership THEN reduce(acc = [], mm IN "
            f"[(m2:Entity)-[rm:MEMBER_OF]->({v}) WHERE NOT m2:Partnership AND {tf('rm', 'm2')} "
            f"| m2] | acc + {_districts_of_body('mm', 1)}) "
            f"ELSE {_districts_of_body(v, 2)} END")


_PUBLISHED = ("[(X)-[rp:PUBLISHED]->(sp:Strategy) WHERE " + tf("rp", "X", "sp")
              + " | {from: rp.valid_from, to: rp.valid_to, code: sp.code, type: sp.type, "
              "valid_from: sp.valid_from, valid_to: sp.valid_to, date: sp.date}]")

_OWN_MANY = f"""
UNWIND $codes AS code
MATCH (p:Entity {{code: code}})
RETURN p.code AS code, p.type AS type, p.valid_from AS valid_from, p.valid_to AS valid_to,
       {_PUBLISHED.replace('X', 'p')} AS published
"""

_OWN = f"""
MATCH (p:Entity {{code: $code}})
RETURN p.code AS code, p.type AS type, p.valid_from AS valid_from, p.valid_to AS valid_to,
       {_PUBLISHED.replace('X', 'p')} AS published
"""


def day(expr: str) -> str:
    """Cypher: a date as ``[year, month, day]`` (null when not a date), which the driver
    decodes far faster than its own date type; :func:`as_date` reads it back."""
    return f"CASE WHEN {expr} IS :: DATE NOT NULL THEN [{expr}.year, {expr}.month, {expr}.day] END"


def as_date(value: Any) -> Any:
    """A date sent as ``[year, month, day]`` by :func:`day` (other values unchanged)."""
    return date(*value) if type(value) is list else value


def published_periods(body: dict[str, Any]) -> list[tuple[Any, Any, str]]:
    """:func:`lisgraph.view.period` of each strategy ``body`` published (fetched with its
    ``published`` list: the link's dates and the strategy's; dates as dates or as
    :func:`day` sends them)."""
    from ..model import Edge, Node
    from ..view import period

    me = Node(body["code"], body["type"], "", (),
              {k: as_date(body[k]) for k in ("valid_from", "valid_to") if body.get(k) is not None})
    out = []
    for p in body["published"]:
        strategy = Node(p["code"], p["type"], "", (), {k: as_date(p[k]) for k in (
            "valid_from", "valid_to", "date") if p.get(k) is not None})
        holder = _Nodes({me.id: me, strategy.id: strategy})
        out.append(period(holder, Edge(me.id, "published", strategy.id, (), as_date(p["from"]),
                                       as_date(p["to"]))))
    return out


class _Nodes:
    """Just enough of a graph for :func:`lisgraph.view.period`: its ``nodes``."""

    def __init__(self, nodes: dict[str, Any]):
        self.nodes = nodes


def no_strategy(node: Any, as_of: date | None) -> LisgraphError:
    """:func:`lisgraph.analysis.overlaps.no_strategy` for a node found on the server."""
    if as_of is not None:
        return LisgraphError(f"{node.name} ({node.id}) has no strategy on {as_of.isoformat()}")
    return LisgraphError(f"{node.name} ({node.id}) has no strategy priorities in the graph; "
                         "try the LEP or combined authority whose strategy covers it")


def _span(spans: list[Any]) -> tuple[Any, Any, str]:
    """:func:`lisgraph.analysis.overlaps._span`: the span over several periods."""
    starts = [s[0] for s in spans]
    ends = [s[1] for s in spans]
    return (None if None in starts else min(starts), None if None in ends else max(ends),
            next((s[2] for s in spans if s[2]), ""))


def _row_of(node: Any) -> dict[str, Any]:
    return {"code": node.id, "name": node.name, "type": node.type, **node.props}
