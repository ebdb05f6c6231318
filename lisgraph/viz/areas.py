"""Areas under the network: bundled district boundaries, and bodies as unions of districts.

The boundaries (``loaders/geo/districts.json``, derived from ONS files by
``scripts/derive_boundaries.py``) are already projected into the canvas units of
:func:`lisgraph.viz.layout.project`, so polygons and nodes share one coordinate system.
ONS boundaries are bundled for December 2022 and December 2024 only: a date before
2023-04-01 uses 2022, any later date (or no date) 2024; a district with no polygon in
that vintage (abolished, or given a new code) is drawn as its successor's area, or failing
that its predecessor's, and the page says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..analysis.index import member_districts
from ..assets import loaders_dir
from ..errors import LisgraphError, MissingExtra
from ..graph import KnowledgeGraph
from ..model import Node

__all__ = ["Boundaries", "AreaLayer", "boundaries", "vintage_for", "area_layer",
           "AREA_TYPES", "SWITCH_2024", "ATTRIBUTION"]

#: node types drawn as areas (a body's area is the union of its member districts)
AREA_TYPES = ("district", "county", "region", "lep", "combined_authority",
              "greater_london_authority", "partnership")
#: first day on which the December 2024 boundaries hold (the 2023 reorganisations)
SWITCH_2024 = date(2023, 4, 1)
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government "
               "Licence v3.0; Contains OS data © Crown copyright and database right")
#: holes and islands smaller than this (canvas units squared, 1 unit ~ 140 m) are dropped
#: from unions: slivers left by simplification, not geography
MIN_PART = 60.0


@dataclass(frozen=True)
class Boundaries:
    """One vintage of district polygons: code -> (name, polygons as delta-encoded rings)."""

    key: str
    title: str
    valid_from: str
    valid_to: str
    areas: dict[str, dict[str, Any]]


@dataclass
class AreaLayer:
    """What the page draws under the network.

    ``districts``: one row per polygon drawn (code, name, polygons, the view's node ids it
    stands for); ``bodies``: node id -> union polygons; ``notes``: what the legend must say.
    """

    vintage: Boundaries
    districts: list[dict[str, Any]] = field(default_factory=list)
    bodies: dict[str, list[list[list[int]]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stand_ins: dict[str, str] = field(default_factory=dict)  # node id -> code drawn for it


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    path = loaders_dir() / "geo" / "districts.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LisgraphError("the bundled boundaries (loaders/geo/districts.json) are missing: "
                            "reinstall lisgraph or run scripts/derive_boundaries.py") from None


def boundaries(key: str) -> Boundaries:
    """The bundled vintage ``key`` ("2022" or "2024")."""
    v = _raw()["vintages"][key]
    return Boundaries(key, v["title"], v["valid_from"], v["valid_to"], v["areas"])


def vintage_for(day: date | None) -> str:
    """Which bundled vintage draws a date.

    >>> vintage_for(date(2019, 6, 1)), vintage_for(date(2023, 4, 1)), vintage_for(None)
    ('2022', '2024', '2024')
    """
    return "2024" if day is None or day >= SWITCH_2024 else "2022"


def _stand_in(graph: KnowledgeGraph, nid: str, areas: dict[str, Any]) -> str | None:
    """The code whose polygon draws district ``nid``: itself, else the nearest successor
    (following succeeded_by forwards), else the nearest predecessor."""
    if nid in areas:
        return nid
    graph = getattr(graph, "graph", graph)  # succession links sit outside any dated view
    for direction in ("out", "in"):
        seen, todo = {nid}, [nid]
        while todo:
            nxt = []
            for cur in todo:
                edges = (graph.out_edges(cur, ["succeeded_by"]) if direction == "out"
                         else graph.in_edges(cur, ["succeeded_by"]))
                for e in edges:
                    other = e.end if direction == "out" else e.start
                    if other in areas:
                        return other
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
            todo = nxt
    return None


def _decode(ring: list[int]) -> list[tuple[int, int]]:
    x, y = ring[0], ring[1]
    pts = [(x, y)]
    for i in range(2, len(ring), 2):
        x, y = x + ring[i], y + ring[i + 1]
        pts.append((x, y))
    return pts


def _encode_geometry(geom: Any) -> list[list[list[int]]]:
    polygons = []
    parts = getattr(geom, "geoms", [geom])
    for poly in parts:
        if poly.geom_type != "Polygon" or poly.area < MIN_PART:
            continue
        rings = []
        for ring in (poly.exterior, *(r for r in poly.interiors
                                      if abs(_ring_area(r)) >= MIN_PART)):
            pts = [(round(x), round(y)) for x, y in list(ring.coords)[:-1]]
            flat = [pts[0][0], pts[0][1]]
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                flat += [x1 - x0, y1 - y0]
            rings.append(flat)
        polygons.append(rings)
    return polygons


def _ring_area(ring: Any) -> float:
    from shapely.geometry import Polygon

    return Polygon(ring).area


class _Unions:
    """Unions of districts of one vintage, decoded lazily and cached by member set."""

    def __init__(self, vintage: Boundaries) -> None:
        try:
            import shapely  # noqa: F401
        except ImportError:
            raise MissingExtra("shapely", "viz") from None
        self.vintage = vintage
        self._shapes: dict[str, Any] = {}
        self._unions: dict[frozenset[str], list[list[list[int]]]] = {}

    def shape(self, code: str) -> Any:
        if code not in self._shapes:
            import shapely
            from shapely.geometry import MultiPolygon, Polygon

            polys = [Polygon(_decode(p[0]), [_decode(h) for h in p[1:]])
                     for p in self.vintage.areas[code]["polygons"]]
            self._shapes[code] = shapely.make_valid(MultiPolygon(polys))
        return self._shapes[code]

    def union(self, codes: frozenset[str]) -> list[list[list[int]]]:
        if codes not in self._unions:
            import shapely

            merged = shapely.union_all([self.shape(c) for c in sorted(codes)])
            self._unions[codes] = _encode_geometry(_polygonal(merged))
        return self._unions[codes]


def _polygonal(geom: Any) -> Any:
    from shapely.geometry import MultiPolygon

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return MultiPolygon([p for g in getattr(geom, "geoms", []) for p in getattr(g, "geoms", [g])
                         if p.geom_type == "Polygon"])


def area_layer(graph: KnowledgeGraph, nodes: dict[str, Node], as_of: date | None,
               bodies: bool = True) -> AreaLayer:
    """The polygons for a view: every district of the vintage (the land, with its coast),
    each tagged with the view's district nodes it stands for, and the union of member
    districts of every area body in ``nodes`` on ``as_of``."""
    vintage = boundaries(vintage_for(as_of))
    layer = AreaLayer(vintage)
    drawn_for: dict[str, list[str]] = {}
    successors, missing = [], []
    for nid, node in nodes.items():
        if node.type != "district":
            continue
        code = _stand_in(graph, nid, vintage.areas)
        if code is None:
            missing.append(node.name)
            continue
        layer.stand_ins[nid] = code
        drawn_for.setdefault(code, []).append(nid)
        if code != nid:
            successors.append(node.name)
    for code, area in vintage.areas.items():
        layer.districts.append({"code": code, "name": area["name"], "polygons": area["polygons"],
                                "nodes": drawn_for.get(code, [])})
    when = as_of.isoformat() if as_of else "today (undated view)"
    layer.notes.append(f"Boundaries: ONS {vintage.title} (in force from {vintage.valid_from}"
                       f"{' to ' + vintage.valid_to if vintage.valid_to else ''}); drawn for "
                       f"{when}.")
    if successors:
        layer.notes.append(
            f"No boundaries are bundled for {len(successors)} district(s) of this date (e.g. "
            f"{', '.join(sorted(successors)[:3])}): their successor (or predecessor) areas "
            "are drawn instead.")
    if missing:
        layer.notes.append(f"{len(missing)} district(s) have no polygon at all (e.g. "
                           f"{', '.join(sorted(missing)[:3])}).")
    if bodies:
        unions = _Unions(vintage)
        for nid, node in nodes.items():
            if node.type not in AREA_TYPES or node.type == "district":
                continue
            codes = frozenset(c for d in member_districts(graph, nid, as_of)
                              for c in [_stand_in(graph, d, vintage.areas)] if c)
            if codes:
                layer.bodies[nid] = unions.union(codes)
    layer.notes.append(ATTRIBUTION + ".")
    return layer
