"""Table kinds for England now: the GLA, LEP functions' successors and place-based designations.

See loaders/FORMAT.md. A designation (Investment Zone, Freeport, Innovation Accelerator,
cluster) is a node with dated ``hosted_by`` links to councils or authorities and
``designated_for`` links to themes: it is not a collaboration, so it never marks a theme as
covered between two bodies.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..csvtable import Row, split_list
from ..graph import KnowledgeGraph
from ..model import Edge
from .registry import EDGES, NODES, table_kind
from .tables import _day_before, _edge, _flag, _float, _node, _origin, _sources

__all__: list[str] = []

DESIGNATION_KINDS = ("cluster", "freeport", "innovation accelerator", "investment zone")


@table_kind("greater_london_authority", "code,name,mayoral,established,source", NODES,
            "abolished,first_mayoral_election,kind,lat,lon,tier,url,alt_codes")
def read_greater_london_authority(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """The Greater London Authority (E61), London's strategic authority."""
    for row in rows:
        _node(row, g, "greater_london_authority", "code", mayoral=_flag(row, "mayoral"),
              valid_from=row.date("established"),
              valid_to=_day_before(row.date("abolished")) if "abolished" in row.values else None,
              first_mayoral_election=row.date("first_mayoral_election")
              if "first_mayoral_election" in row.values else None,
              kind=row.get("kind") if "kind" in row.values else None,
              tier=row.get("tier") if "tier" in row.values else None,
              lat=_float(row, "lat") if "lat" in row.values else None,
              lon=_float(row, "lon") if "lon" in row.values else None)


@table_kind("lep_successors", "lep,body,valid_from,source", EDGES,
            "valid_to,note")
def read_lep_successors(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """A LEP's functions passed to a council or strategic authority from ``valid_from``."""
    for row in rows:
        _edge(row, g, row.require("lep"), "functions_transferred_to",
              row.require("body", "the id of the council or authority"))


@table_kind("designations", "id,name,kind,valid_from,valid_to,url,source", NODES,
            "themes")
def read_designations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Place-based designations, with the themes they are aimed at (optional `themes`)."""
    for row in rows:
        kind = row.require("kind")
        if kind not in DESIGNATION_KINDS:
            raise row.error("kind", f"'{kind}' is not a designation kind",
                            f"use one of {', '.join(DESIGNATION_KINDS)}")
        node = _node(row, g, "designation", "id", kind=kind, url=row.get("url"),
                     valid_from=row.date("valid_from"), valid_to=row.date("valid_to"))
        for theme in split_list(row.get("themes")) if "themes" in row.values else []:
            g.add_edge(Edge(node.id, "designated_for", theme, _sources(row), None, None, {},
                            _origin(row)))


@table_kind("designation_hosts", "designation,host,valid_from,valid_to,source", EDGES)
def read_designation_hosts(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """The councils or authorities that host a designation, between dates."""
    for row in rows:
        _edge(row, g, row.require("designation"), "hosted_by", row.require("host"))
