"""The dated view: the graph as it stood on one day — the only place lisgraph applies time.

``graph.at(day)`` returns a read-only :class:`DatedView` with the reading API of
:class:`~lisgraph.graph.KnowledgeGraph` (``nodes``, ``edges``, ``out_edges``, ``in_edges``,
``nodes_of_type``, ``sources``, ``schema``, ``canonical_id``, ``derived``). Every analysis,
profile, listing, lookup, projection and named query reads the graph through a view, so no
command can forget the date. ``graph.at(None)`` is the undated view: everything is visible and
answers must not combine records whose periods never overlapped (see :func:`period` and
:func:`overlap`).

The time contract
-----------------
====================================  =================================  ==========================
record                                empty ``valid_from`` means          empty ``valid_to`` means
====================================  =================================  ==========================
districts, counties, regions, ITL     existed before the graph's horizon  still exists
  areas (and themes, priorities)
LEPs, authorities, partnerships,      start unknown: shown with           still exists / end unknown
  providers, organisations, other     ``date_status = "start unknown"``
  bodies
memberships and other links           from the later of the two ends'     until either end ends
                                      starts, unless sourced
strategies                            dated by publication (a draft by    until its valid_to
                                      its draft date); undated ->         (superseded) where recorded
                                      ``date_status = "undated"``
collaborations (nodes and links)      from their start (a deal: its       as sourced
                                      signing date); undated ->
                                      ``date_status = "undated"``
====================================  =================================  ==========================

With a date, a record whose start is unknown or undated is included (it may have existed), and
its ``date_status`` says so wherever it is shown: never silently.

Examples
--------
>>> from lisgraph.model import Node, Edge, Source
>>> from lisgraph.graph import KnowledgeGraph
>>> g = KnowledgeGraph()
>>> g.add_source(Source("s", "ONS", "t", "https://x", "2021", "OGL-UK-3.0"))
>>> g.add_node(Node("E08000003", "district", "Manchester", ("s",)))
>>> g.add_node(Node("E47000001", "combined_authority", "Greater Manchester", ("s",),
...                 {"valid_from": date(2011, 4, 1)}))
>>> g.add_edge(Edge("E08000003", "part_of", "E47000001", ("s",)))
>>> [e.end for e in g.at(date(2010, 1, 1)).out_edges("E08000003")]
[]
>>> [e.end for e in g.at(date(2012, 1, 1)).out_edges("E08000003")]
['E47000001']
>>> period(g, g.edges[0])
(datetime.date(2011, 4, 1), None, '')
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import LisgraphError
from .model import Edge, Node

if TYPE_CHECKING:
    import networkx as nx

    from .graph import KnowledgeGraph

__all__ = ["DatedView", "period", "node_period", "overlap", "as_view", "parse_day", "today",
           "START_UNKNOWN", "UNDATED", "SUCCESSION_LINKS", "change_days", "over_time", "over_days", "OPEN_TYPES", "UNDATED_LINKS", "NotOnDate", "iso"]

T = TypeVar("T")

START_UNKNOWN = "start unknown"
UNDATED = "undated"
#: node types that existed before the graph's horizon when their start is empty
OPEN_TYPES = frozenset({"district", "county", "region", "itl_area", "theme", "priority"})
#: link types whose empty start means "undated" (a collaboration's start was not recorded)
UNDATED_LINKS = frozenset({"collaborates_with", "partner_of", "party_to"})
#: links from what ended to what took over: their ends never coexist, so a view of one day
#: never holds them (a snapshot has no dangling link); they are facts about identity that
#: profiles read from ``view.graph`` and date by the change itself
SUCCESSION_LINKS = frozenset({"succeeded_by", "functions_transferred_to"})

Period = tuple["date | None", "date | None", str]


class NotOnDate(LisgraphError):
    """Asked about a record on a date when it did not exist."""


def today() -> date:
    """Today's date; ``LISGRAPH_TODAY=YYYY-MM-DD`` fixes it (tests inject the clock so)."""
    fixed = os.environ.get("LISGRAPH_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def parse_day(value: str | date | None) -> date | None:
    """A date from ``YYYY-MM-DD``, ``today`` or a date; None stays None.

    >>> parse_day("2018-06-01")
    datetime.date(2018, 6, 1)
    >>> parse_day("yesterday")
    Traceback (most recent call last):
    ...
    ValueError: 'yesterday' is not a date: write YYYY-MM-DD or today
    """
    if value is None or isinstance(value, date):
        return value
    if value.strip().lower() == "today":
        return today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD or today") from None


def iso(day: object) -> str | None:
    return day.isoformat() if isinstance(day, date) else None


def node_period(node: Node) -> Period:
    """``(valid_from, valid_to, date_status)`` of a node under the time contract."""
    start, end = node.props.get("valid_from"), node.props.get("valid_to")
    if node.type in ("strategy", "collaboration"):  # dated by publication or signing
        start = start or node.props.get("date")
        status = "" if isinstance(start, date) else UNDATED
    elif node.type in OPEN_TYPES:
        status = ""
    else:
        status = "" if isinstance(start, date) else START_UNKNOWN
    return (start if isinstance(start, date) else None, end if isinstance(end, date) else None,
            status)


def period(graph: Any, record: Node | Edge) -> Period:
    """``(valid_from, valid_to, date_status)`` of a node or link.

    A link holds from the later of its own start and its two ends' starts until the earliest
    of their ends; its status is "undated" for a collaboration with no recorded start, else
    "start unknown" when no start is known and an end's start is unknown.
    """
    if isinstance(record, Node):
        return node_period(record)
    if record.type in SUCCESSION_LINKS:
        when = record.props.get("date") or record.valid_from
        return (when if isinstance(when, date) else None), None, ""
    nodes = graph.graph.nodes if isinstance(graph, DatedView) else graph.nodes
    a, b = node_period(nodes[record.start]), node_period(nodes[record.end])
    starts = [d for d in (record.valid_from, a[0], b[0]) if d is not None]
    ends = [d for d in (record.valid_to, a[1], b[1]) if d is not None]
    start = max(starts) if starts else None
    status = ""
    # a collaboration link is undated unless it, or (for a party) its collaboration, has a start
    dated_by_collaboration = record.type == "party_to" and b[0] is not None
    if record.type in UNDATED_LINKS and record.valid_from is None and not dated_by_collaboration:
        status, start = UNDATED, None  # its start is not known: no start is implied
    elif start is None and START_UNKNOWN in (a[2], b[2]):
        status = START_UNKNOWN
    elif a[2] == UNDATED or b[2] == UNDATED:
        status = UNDATED
    return start, (min(ends) if ends else None), status


def overlap(*periods: Period) -> Period | None:
    """The common part of periods, or None when they never coexisted.

    >>> overlap((date(2017, 4, 1), date(2020, 3, 31), ""), (date(2019, 1, 1), None, ""))
    (datetime.date(2019, 1, 1), datetime.date(2020, 3, 31), '')
    >>> overlap((date(2017, 4, 1), date(2020, 3, 31), ""), (date(2021, 4, 1), None, "")) is None
    True
    """
    starts = [p[0] for p in periods if p[0] is not None]
    ends = [p[1] for p in periods if p[1] is not None]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start is not None and end is not None and end < start:
        return None
    status = next((p[2] for p in periods if p[2]), "")
    return start, end, status


def _holds(p: Period, day: date | None) -> bool:
    return day is None or ((p[0] is None or p[0] <= day) and (p[1] is None or day <= p[1]))


class _VisibleNodes(Mapping[str, Node]):
    """The graph's nodes that the view shows (a live mapping, no copy)."""

    def __init__(self, nodes: dict[str, Node], visible: set[str]):
        self._nodes, self._visible = nodes, visible

    def __getitem__(self, key: str) -> Node:
        if key not in self._visible:
            raise KeyError(key)
        return self._nodes[key]

    def __contains__(self, key: object) -> bool:
        return key in self._visible

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._nodes if k in self._visible)

    def __len__(self) -> int:
        return len(self._visible)


class DatedView:
    """The graph on one day (or, with ``as_of=None``, the whole dated record).

    Build one with ``graph.at(day)``; views are cached per graph version and day.
    """

    def __init__(self, graph: KnowledgeGraph, as_of: date | None):
        self.graph, self.as_of = graph, as_of
        self.schema, self.sources = graph.schema, graph.sources
        self._derived: dict[str, tuple[int, object]] = {}
        if as_of is None:
            self._visible: set[str] | None = None
            self.nodes: Mapping[str, Node] = graph.nodes
            self.edges: list[Edge] = graph.edges
        else:
            self._visible = {k for k, n in graph.nodes.items() if _holds(node_period(n), as_of)}
            self.nodes = _VisibleNodes(graph.nodes, self._visible)
            self.edges = [e for e in graph.edges if self._edge_ok(e)]

    def _edge_ok(self, e: Edge) -> bool:
        vis = self._visible
        if vis is None:
            return True
        return e.start in vis and e.end in vis and e.valid_on(self.as_of)

    # -- the reading API of KnowledgeGraph -------------------------------------------------
    def out_edges(self, node_id: str, types: Iterable[str] | None = None,
                  as_of: date | None = None) -> list[Edge]:
        view = self._redate(as_of)
        return [e for e in view.graph.out_edges(node_id, types) if view._edge_ok(e)]

    def in_edges(self, node_id: str, types: Iterable[str] | None = None,
                 as_of: date | None = None) -> list[Edge]:
        view = self._redate(as_of)
        return [e for e in view.graph.in_edges(node_id, types) if view._edge_ok(e)]

    def nodes_of_type(self, *types: str, as_of: date | None = None) -> Iterator[Node]:
        for node in self._redate(as_of).nodes.values():
            if not types or node.type in types:
                yield node

    def canonical_id(self, code: str) -> str:
        return self.graph.canonical_id(code)

    def derived(self, name: str, build: Callable[[Any], T]) -> T:
        """An index computed from this view, built once and reused until the graph changes."""
        hit = self._derived.get(name)
        if hit is not None and hit[0] == self.graph._version:
            return hit[1]  # type: ignore[return-value]
        value = build(self)
        self._derived[name] = (self.graph._version, value)
        return value

    def count_by_type(self) -> tuple[Any, Any]:
        from collections import Counter

        return Counter(n.type for n in self.nodes.values()), Counter(e.type for e in self.edges)

    def to_networkx(self, as_of: date | None = None) -> nx.MultiDiGraph:
        """A networkx projection of the view (node attributes: type, name, properties)."""
        import networkx as nx

        view = self._redate(as_of)
        g = nx.MultiDiGraph()
        for n in view.nodes.values():
            g.add_node(n.id, type=n.type, name=n.name, **n.props)
        for e in view.edges:
            g.add_edge(e.start, e.end, type=e.type, sources=";".join(e.sources))
        return g

    def at(self, day: date | str | None) -> DatedView:
        return self.graph.at(day)

    # -- time --------------------------------------------------------------------------------
    def period(self, record: Node | Edge) -> Period:
        return period(self, record)

    def status(self, record: Node | Edge) -> str:
        """The record's date_status ("", "start unknown", "undated")."""
        return period(self, record)[2]

    def require(self, node: Node) -> Node:
        """The node, or :class:`NotOnDate` naming when it existed."""
        if self.as_of is None or node.id in self.nodes:
            return node
        start, end, _ = node_period(node)
        when = self.as_of.isoformat()
        if start is not None and self.as_of < start:
            verb = "was published" if node.type == "strategy" else "was established"
            if node.type in OPEN_TYPES:
                verb = "was created"
            raise NotOnDate(f"{node.name} ({node.id}) {verb} {start.isoformat()}: nothing to "
                            f"show on {when}")
        raise NotOnDate(f"{node.name} ({node.id}) ended {iso(end)}: nothing to show on {when}")

    def _redate(self, as_of: date | None) -> DatedView:
        return self if as_of is None or as_of == self.as_of else self.graph.at(as_of)

    def __repr__(self) -> str:
        return f"<DatedView of {len(self.nodes)} nodes on {iso(self.as_of) or 'any date'}>"


def as_view(graph: Any, as_of: date | str | None = None) -> DatedView:
    """The view an analysis reads: ``graph.at(as_of)`` for a graph; a view re-dated only when
    a different date is asked for."""
    day = parse_day(as_of) if isinstance(as_of, str) else as_of
    if isinstance(graph, DatedView):
        return graph if day is None or day == graph.as_of else graph.graph.at(day)
    return graph.at(day)


def change_days(graph: Any, types: Iterable[str]) -> list[date]:
    """The days on which a link of the given types (or an end of one) starts or stops holding."""
    from datetime import timedelta

    base = graph.graph if isinstance(graph, DatedView) else graph
    wanted = set(types)
    days: set[date] = set()
    for e in base.edges:
        if e.type in wanted:
            start, end, _ = period(base, e)
            if start is not None:
                days.add(start)
            if end is not None and end < date.max:
                days.add(end + timedelta(days=1))
    return sorted(days)


def over_time(graph: Any, types: Iterable[str], compute: Callable[[DatedView], list[dict[str, Any]]],
              key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
    """An undated answer that never joins records that did not coexist: ``compute`` is run on
    the view of each period in which the links of ``types`` do not change, and a row that holds
    in consecutive periods is given once with ``valid_from`` / ``valid_to`` (the span it held).
    """
    base = graph.graph if isinstance(graph, DatedView) else graph
    return over_days(change_days(base, types), lambda day: compute(base.at(day)), key)


def over_days(days: list[date], compute: Callable[[date], list[dict[str, Any]]],
              key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
    """:func:`over_time` with the change ``days`` given and ``compute(day)`` answering for one
    day (the Neo4j backend reads both from the server)."""
    from datetime import timedelta

    spans: list[tuple[date | None, date | None, date]] = []
    if days:
        spans.append((None, days[0] - timedelta(days=1), days[0] - timedelta(days=1)))
        for a, b in zip(days, days[1:]):
            spans.append((a, b - timedelta(days=1), a))
        spans.append((days[-1], None, days[-1]))
    else:
        spans.append((None, None, today()))
    open_rows: dict[Any, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for start, end, probe in spans:
        seen = set()
        for row in compute(probe):
            k = key(row)
            seen.add(k)
            if k in open_rows:
                open_rows[k]["valid_to"] = iso(end)
            else:
                row = dict(row, valid_from=iso(start), valid_to=iso(end))
                open_rows[k] = row
                out.append(row)
        for k in list(open_rows):
            if k not in seen:
                del open_rows[k]
    return out
