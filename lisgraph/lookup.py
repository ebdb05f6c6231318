"""A flat lookup for any date: each district with the areas and bodies that contain it.

The table ONS publishes one file per year for (district → county, region, LEP, combined
authority), for whatever day is asked, read through the dated view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .graph import KnowledgeGraph
from .view import DatedView, as_view, iso

__all__ = ["lookup", "COLUMNS", "CONTAINERS"]

#: the containing types with a column pair of their own, in column order
CONTAINERS = ("county", "region", "lep", "combined_authority")
COLUMNS = ["as_of", "district", "district_name",
           *[f"{t}_{k}" for t in CONTAINERS for k in ("code", "name")],
           "other", "sources"]


def lookup(graph: KnowledgeGraph | DatedView, as_of: date | str | None = None) -> list[dict[str, Any]]:
    """One row per district valid on the date, with its containing areas and bodies.

    Columns: ``as_of``, ``district``, ``district_name``, then for each of county, region, LEP
    and combined authority a ``_code`` and ``_name`` list (a district may sit in two LEPs;
    an empty list means none on that date), ``other`` (any other containing body the graph
    holds, as ``name (code, type)``) and ``sources`` of those memberships.

    Raises
    ------
    ValueError when the view has no date: a lookup is for one day.

    Examples
    --------
    >>> from lisgraph.model import Node, Edge, Source
    >>> g = KnowledgeGraph()
    >>> g.add_source(Source("s", "ONS", "t", "https://x", "2021", "OGL-UK-3.0"))
    >>> g.add_node(Node("E12000002", "region", "North West", ("s",)))
    >>> g.add_node(Node("E08000003", "district", "Manchester", ("s",)))
    >>> g.add_edge(Edge("E08000003", "part_of", "E12000002", ("s",)))
    >>> lookup(g, date(2020, 1, 1))[0]["region_name"]
    ['North West']
    """
    view = as_view(graph, as_of)
    if view.as_of is None:
        raise ValueError("a lookup is for one day: give a date")
    day = iso(view.as_of)
    rows = []
    for district in sorted(view.nodes_of_type("district"), key=lambda n: n.id):
        row: dict[str, Any] = {"as_of": day, "district": district.id,
                               "district_name": district.name}
        for t in CONTAINERS:
            row[f"{t}_code"], row[f"{t}_name"] = [], []
        other, sources = [], []
        for e in sorted(view.out_edges(district.id, ["part_of"]), key=lambda e: e.end):
            body = view.nodes[e.end]
            sources.extend(e.sources)
            if body.type in CONTAINERS:
                if body.id not in row[f"{body.type}_code"]:
                    row[f"{body.type}_code"].append(body.id)
                    row[f"{body.type}_name"].append(body.name)
            elif f"{body.name} ({body.id}, {body.type})" not in other:
                other.append(f"{body.name} ({body.id}, {body.type})")
        row["other"] = other
        row["sources"] = list(dict.fromkeys(sources))
        rows.append(row)
    return rows
