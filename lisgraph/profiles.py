"""What lisgraph knows about one place or body: the data behind `lisgraph show`."""

from __future__ import annotations

from datetime import date
from typing import Any

from .collaborations import CollaborationPair, pairs_of
from .graph import KnowledgeGraph
from .model import Edge, Node
from .view import DatedView, as_view, iso, period

__all__ = ["profile", "summary", "list_places", "functions_held_by", "designation_links"]

#: what is part of a place (incoming) and what a place is part of (outgoing)
MEMBERSHIP = ("part_of", "member_of", "party_to")


def _link(graph: DatedView, edge: Edge, other: str) -> dict[str, Any]:
    node = graph.graph.nodes[other]  # a successor may lie outside the date
    start, end, status = period(graph, edge)
    row: dict[str, Any] = {
        "code": node.id,
        "name": node.name,
        "type": node.type,
        "relation": edge.type,
        "valid_from": iso(start),
        "valid_to": iso(end),
        "date_status": status,
        "sources": list(edge.sources),
    }
    if "area_code" in edge.props:
        row["area_code"] = edge.props["area_code"]
    return row


def _merged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per linked node and relation, with the period(s) it held (not one per vintage).

    Consecutive or overlapping periods join; ``periods`` lists each separate one as
    ``FROM..TO`` (an empty end is open).
    """
    from datetime import date, timedelta

    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["code"], r["relation"], str(r.get("collaboration") or "")), []).append(r)
    out = []
    for parts in groups.values():
        parts.sort(key=lambda r: (r["valid_from"] or "", r["valid_to"] or "9999"))
        spans: list[list[Any]] = []
        for r in parts:
            if spans:
                last_end = spans[-1][1]
                touching = last_end is None or r["valid_from"] is None or (
                    date.fromisoformat(r["valid_from"])
                    <= date.fromisoformat(last_end) + timedelta(days=1))
                if touching:
                    if last_end is not None and (r["valid_to"] is None or r["valid_to"] > last_end):
                        spans[-1][1] = r["valid_to"]
                    continue
            spans.append([r["valid_from"], r["valid_to"]])
        row = dict(parts[0])
        row["valid_from"], row["valid_to"] = spans[0][0], spans[-1][1]
        row["periods"] = [f"{a or ''}..{b or ''}" for a, b in spans]
        row["sources"] = list(dict.fromkeys(s for r in parts for s in r["sources"]))
        codes = [r["area_code"] for r in parts if r.get("area_code")]
        if codes:
            row["area_code"] = ";".join(dict.fromkeys(codes))
        out.append(row)
    return out


def _pair(graph: DatedView, pair: CollaborationPair, node_id: str) -> dict[str, Any]:
    """A collaboration partner as a partner row (relation collaborates_with, through which
    collaboration)."""
    node = graph.graph.nodes[pair.other(node_id)]
    return {"code": node.id, "name": node.name, "type": node.type, "relation": "collaborates_with",
            "valid_from": pair.valid_from.isoformat() if pair.valid_from else None,
            "valid_to": pair.valid_to.isoformat() if pair.valid_to else None,
            "date_status": "" if pair.valid_from else "undated",
            "sources": list(pair.sources), "collaboration": pair.name}


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(_merged(rows),
                  key=lambda r: (r["type"], r["valid_from"] or "", r["name"], r["code"]))


def profile(graph: KnowledgeGraph | DatedView, node: Node,
            as_of: date | None = None) -> dict[str, Any]:
    """A place's profile: its members, memberships, strategies, partners and sources.

    Read through the dated view: with ``as_of`` (or a view of a date), only what was valid on
    that date is listed, and a node that did not exist then raises
    :class:`~lisgraph.view.NotOnDate`. Each member or membership is one row with the
    period(s) it held (``valid_from``, ``valid_to``, ``periods``, ``date_status``).

    Examples
    --------
    >>> from lisgraph.model import Node, Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "u", "2021", "OGL-UK-3.0"))
    >>> for n in (Node("E37000015", "lep", "Greater Manchester", ("s",)),
    ...           Node("E08000003", "district", "Manchester", ("s",))):
    ...     g.add_node(n)
    >>> g.add_edge(Edge("E08000003", "part_of", "E37000015", ("s",), date(2021, 4, 1)))
    >>> [m["name"] for m in profile(g, g.nodes["E37000015"])["members"]]
    ['Manchester']
    >>> profile(g, g.nodes["E37000015"], as_of=date(2020, 1, 1))["members"]
    []
    """
    graph = as_view(graph, as_of)
    as_of = graph.as_of
    graph.require(node)
    out_edges = graph.out_edges(node.id)
    in_edges = graph.in_edges(node.id)
    members = [_link(graph, e, e.start) for e in in_edges if e.type in MEMBERSHIP]
    member_of = [_link(graph, e, e.end) for e in out_edges if e.type in MEMBERSHIP]
    located = [_link(graph, e, e.end) for e in out_edges if e.type == "located_in"]
    hosts = [_link(graph, e, e.start) for e in in_edges if e.type == "located_in"]
    neighbours = [_link(graph, e, e.end if e.start == node.id else e.start)
                  for e in out_edges + in_edges if e.type == "neighbours"]
    partners = [dict(_link(graph, e, e.end if e.start == node.id else e.start),
                     collaboration=None)
                for e in out_edges + in_edges if e.type == "partner_of"]
    partners += [_pair(graph, p, node.id) for p in pairs_of(graph, node.id)]
    # successions link what ended to what followed: never both on one day, so read unfiltered
    successors = [dict(_link(graph, e, e.end), date=_iso(e.props.get("date")))
                  for e in graph.graph.out_edges(node.id, ["succeeded_by"])]
    predecessors = [dict(_link(graph, e, e.start), date=_iso(e.props.get("date")))
                    for e in graph.graph.in_edges(node.id, ["succeeded_by"])]
    strategies = [_strategy(graph, graph.nodes[e.end]) for e in out_edges if e.type == "published"]
    if node.type == "strategy":
        strategies = [_strategy(graph, node)]
    source_ids = set(node.sources)
    for e in out_edges + in_edges:
        source_ids.update(e.sources)
    for r in successors + predecessors:
        source_ids.update(r["sources"])
    for s in strategies:
        source_ids.update(s["sources"])
    from .evidence.section import evidence_section

    start, end, status = period(graph, node)
    return {
        "code": node.id,
        "name": node.name,
        "type": node.type,
        "properties": {k: _plain(v) for k, v in node.props.items()},
        "as_of": as_of.isoformat() if as_of else None,
        "valid_from": iso(start),
        "valid_to": iso(end),
        "date_status": status,
        "members": _sorted(members),
        "member_of": _sorted(member_of),
        "located_in": _sorted(located),
        "located_here": _sorted(hosts),
        "neighbours": _sorted(neighbours),
        "partners": _sorted(partners),
        "predecessors": _sorted(predecessors),
        "successors": _sorted(successors),
        "strategies": strategies,
        "functions_now_held_by": (held := functions_held_by(graph, node, as_of)),
        "designation_links": (hosting := designation_links(graph, node)),
        "sources": [graph.sources[s].as_dict()
                    for s in sorted(source_ids.union(*(r["sources"] for r in held + hosting)))],
        "evidence": evidence_section(graph, node, as_of),
    }


def functions_held_by(graph: KnowledgeGraph | DatedView, node: Node,
                      as_of: date | None = None) -> list[dict[str, Any]]:
    """Which bodies took on the functions of a LEP, or of the LEPs a district sat in.

    For a LEP: every ``functions_transferred_to`` link (in force on the view's date when it
    has one). For a district: the links of each LEP it was ever part of whose body is the
    district itself or an area the district is part of (on the date, when given), so a
    district in two LEPs or a LEP split between councils answers with the body that covers
    this district. A transfer links a LEP that ended to a body that took over: the two never
    coexist, so the links are read from the whole graph and dated by the transfer.
    """
    view = as_view(graph, as_of)
    raw = view.graph
    if node.type == "lep":
        leps = [node.id]
        covers = None
    elif node.type == "district":
        leps = sorted({e.end for e in raw.out_edges(node.id, ["part_of"])
                       if raw.nodes[e.end].type == "lep"})
        covers = {node.id} | {e.end for e in (view.out_edges(node.id, ["part_of"])
                                              if view.as_of else raw.out_edges(node.id, ["part_of"]))}
    else:
        return []
    rows = []
    for lep in leps:
        for e in raw.out_edges(lep, ["functions_transferred_to"]):
            if e.valid_on(view.as_of) and (covers is None or e.end in covers):
                rows.append(dict(_link(view, e, e.end), lep=lep, lep_name=raw.nodes[lep].name))
    return _sorted(rows)


def designation_links(graph: DatedView, node: Node) -> list[dict[str, Any]]:
    """A designation's hosts, or the designations a council or authority hosts (on the view's
    date). Hosting is not a collaboration: it never marks a theme as covered."""
    if node.type == "designation":
        rows = [_link(graph, e, e.end) for e in graph.out_edges(node.id, ["hosted_by"])]
    else:
        rows = [dict(_link(graph, e, e.start), kind=graph.graph.nodes[e.start].props.get("kind"))
                for e in graph.in_edges(node.id, ["hosted_by"])]
    return _sorted(rows)


def _strategy(graph: DatedView, strategy: Node) -> dict[str, Any]:
    priorities = []
    sources = set(strategy.sources)
    for e in graph.out_edges(strategy.id, ["has_priority"]):
        p = graph.nodes[e.end]
        sources.update(p.sources)
        themes = [graph.nodes[t.end] for t in graph.out_edges(p.id, ["addresses"])]
        priorities.append({"code": p.id, "name": p.name, "role": p.props.get("role") or "headline",
                           "themes": [{"code": t.id, "name": t.name, "scheme": t.props.get("scheme")}
                                      for t in themes]})
    start, end, status = period(graph, strategy)
    return {"code": strategy.id, "name": strategy.name,
            **{k: _plain(v) for k, v in strategy.props.items()},
            "valid_from": iso(start), "valid_to": iso(end), "date_status": status,
            "priorities": priorities, "sources": sorted(sources)}


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def summary(graph: KnowledgeGraph | DatedView, as_of: date | None = None) -> dict[str, Any]:
    """Counts by node and edge type (of the view on ``as_of``), and the sources with their
    vintages."""
    graph = as_view(graph, as_of)
    nodes, edges = graph.count_by_type()
    used: dict[str, int] = {}
    for item in list(graph.nodes.values()) + graph.edges:
        for s in item.sources:
            used[s] = used.get(s, 0) + 1
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "total_nodes": len(graph.nodes),
        "total_edges": len(graph.edges),
        "as_of": iso(graph.as_of),
        "sources": [dict(s.as_dict(), records=used.get(s.id, 0))
                    for s in sorted(graph.sources.values(), key=lambda s: s.id)],
    }


def list_places(graph: KnowledgeGraph | DatedView, types: tuple[str, ...] = (),
                as_of: date | None = None) -> list[dict[str, Any]]:
    """Nodes of the given types (all when empty) valid on ``as_of``, sorted by type and name;
    each with its period and ``date_status`` (and ``as_of`` when a date was given)."""
    graph = as_view(graph, as_of)
    rows = []
    for n in graph.nodes_of_type(*types):
        start, end, status = period(graph, n)
        row = {"code": n.id, "name": n.name, "type": n.type, "valid_from": iso(start),
               "valid_to": iso(end), "date_status": status, "sources": ";".join(n.sources)}
        if graph.as_of is not None:
            row["as_of"] = graph.as_of.isoformat()
        rows.append(row)
    return sorted(rows, key=lambda r: (r["type"], r["name"], r["code"]))
