"""Write a KnowledgeGraph as CSV tables in lisgraph's own format (loaders/FORMAT.md)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node

__all__ = ["write_tables"]

#: node type -> (table kind, header); the id column comes first, ``source`` is filled in
NODE_TABLES = {
    "region": ("regions", "code,name,source"),
    "county": ("counties", "code,name,valid_from,valid_to,source"),
    "district": ("districts", "code,name,kind,lat,lon,valid_from,valid_to,source"),
    "lep": ("leps", "code,name,alt_codes,former_names,lat,lon,valid_from,valid_to,source"),
    "combined_authority": ("combined_authorities", ("code,name,mayoral,established,abolished,"
                                                    "source,first_mayoral_election,lat,lon")),
    "partnership": ("partnerships", "id,name,kind,established,ended,url,source"),
    "organisation": ("organisations", "id,name,kind,url,source,district"),
    "provider": ("providers", "ukprn,name,district,lat,lon,source,postcode,groups"),
    "theme": ("themes", "id,scheme,label,alt_labels,broader,source"),
    "strategy": ("strategies", "id,name,body,status,date,url,source,evidence_url,evaluation"),
    "priority": ("priorities", "id,strategy,name,themes,source"),
    "collaboration": ("collaborations", "id,name,members,themes,valid_from,valid_to,source"),
}
#: edges a node's own row carries (they take that row's sources)
IMPLIED = {"located_in", "published", "has_priority", "addresses", "broader", "party_to"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _node_row(g: KnowledgeGraph, n: Node, columns: list[str]) -> list[str]:
    """One node's row: its id, name, properties under the table's column names, and the
    ends of the edges the row implies."""
    p = n.props
    abolished = p.get("valid_to")
    values: dict[str, object] = {
        **p, "name": n.name, "label": n.name, "source": n.sources,
        "established": p.get("valid_from"), "ended": p.get("valid_to"),
        "district": [e.end for e in g.out_edges(n.id, ["located_in"])],
        "broader": [e.end for e in g.out_edges(n.id, ["broader"])],
        "body": [e.start for e in g.in_edges(n.id, ["published"])],
        "strategy": [e.start for e in g.in_edges(n.id, ["has_priority"])],
        "themes": [e.end for e in g.out_edges(n.id, ["addresses"])] or p.get("themes"),
        "members": sorted(e.start for e in g.in_edges(n.id, ["party_to"])),
    }
    if n.type == "combined_authority":  # the table names the day the change took effect
        values["abolished"] = abolished + timedelta(days=1) if isinstance(abolished, date) else None
    return [n.id] + [_cell(values.get(c)) for c in columns[1:]]


def _edge_tables(g: KnowledgeGraph) -> dict[str, tuple[str, list[list[str]]]]:
    rows: dict[str, list[list[str]]] = defaultdict(list)
    for e in g.edges:
        dates = [_cell(e.valid_from), _cell(e.valid_to)]
        src = _cell(e.sources)
        if e.type == "part_of":
            rows["part_of"].append([e.start, e.end, *dates, src, _cell(e.props.get("area_code"))])
        elif e.type == "member_of":
            rows["partnership_members"].append([e.end, e.start, *dates, src])
        elif e.type == "partner_of":
            rows["partners"].append([e.start, e.end, *dates, src, _cell(e.props.get("themes"))])
        elif e.type == "neighbours":
            rows["neighbours"].append([e.start, e.end, src])
        elif e.type == "succeeded_by":
            rows["reorganisations"].append([e.start, e.end, _cell(e.props.get("date")), src])
        elif e.type not in IMPLIED:
            raise ValueError(f"no table carries {e.type} edges")
    headers = {
        "part_of": "member,body,valid_from,valid_to,source,area_code",
        "partnership_members": "partnership,member,valid_from,valid_to,source",
        "partners": "body,partner,valid_from,valid_to,source,themes",
        "neighbours": "a,b,source",
        "reorganisations": "old,new,date,source",
    }
    return {kind: (headers[kind], r) for kind, r in rows.items()}


def write_tables(graph: KnowledgeGraph, folder: Path) -> dict[str, int]:
    """Write ``graph`` as one CSV per table kind into ``folder``; returns rows per file.

    ``load_graph([folder], bundled=False)`` reads it back (each file is recognised by its
    name). Tables carry what loaders/FORMAT.md allows, so a graph round-trips when its shape
    fits: e.g. one ``located_in`` per provider, a collaboration's parties undated and citing
    the collaboration's sources, and the edges a node's row implies citing that
    node's sources (the synthetic generator's graphs do).

    Raises ValueError for an edge type no table carries.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, tuple[str, list[list[str]]]] = {
        "sources": ("id,publisher,title,url,vintage,licence,note",
                    [[s.id, s.publisher, s.title, s.url, s.vintage, s.licence, s.note]
                     for s in graph.sources.values()])}
    by_type: dict[str, list[Node]] = defaultdict(list)
    for n in graph.nodes.values():
        by_type[n.type].append(n)
    for node_type, nodes in by_type.items():
        kind, header = NODE_TABLES[node_type]
        columns = header.split(",")
        tables[kind] = (header, [_node_row(graph, n, columns) for n in nodes])
    tables.update(_edge_tables(graph))
    counts = {}
    for kind, (header, rows) in tables.items():
        if not rows:  # the loader refuses a table with no data rows
            continue
        with open(folder / f"{kind}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header.split(","))
            w.writerows(rows)
        counts[f"{kind}.csv"] = len(rows)
    return counts
