"""Derive the bundled district boundaries (loaders/geo/districts.json) from ONS files.

Usage: python scripts/derive_boundaries.py [--shared ../shared/data] [--tolerance 2.0]

Reads the ONS district boundaries of December 2022 and December 2024 (UK; GeoJSON, WGS84)
from ``<shared>/boundaries/``, projects them with lisgraph's map projection
(:func:`lisgraph.viz.layout.project`, so areas and nodes share one coordinate system),
simplifies each vintage as one coverage (shapely's ``coverage_simplify``: neighbouring
districts keep one shared border, so unions have no slivers), rounds to whole canvas units
and writes each ring delta-encoded. Needs shapely >= 2.1 (``pip install 'lisgraph[viz]'``).

Attribution (written into the file and shown on every map): Source: Office for National
Statistics licensed under the Open Government Licence v3.0; Contains OS data © Crown
copyright and database right.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "loaders" / "geo" / "districts.json"
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government "
               "Licence v3.0; Contains OS data © Crown copyright and database right")
#: (key, file, code field, name field, boundaries in force from, until, title)
VINTAGES = (
    ("2022", "LAD_Dec2022_UK_simplified.geojson", "LAD22CD", "LAD22NM", "2021-04-01",
     "2023-03-31", "Local Authority Districts (December 2022) Boundaries UK (generalised)"),
    ("2024", "LAD_Dec2024_UK_BUC.geojson", "LAD24CD", "LAD24NM", "2023-04-01", "",
     "Local Authority Districts (December 2024) Boundaries UK BUC"),
)


def project_geometry(geom):
    """The geometry in canvas units (the projection of lisgraph.viz.layout)."""
    import numpy as np
    import shapely

    from lisgraph.viz.layout import LAT0, LON0, PX_PER_DEGREE

    def xy(coords: np.ndarray) -> np.ndarray:
        x = PX_PER_DEGREE * (coords[:, 0] - LON0) * math.cos(math.radians(LAT0))
        y = -PX_PER_DEGREE * (coords[:, 1] - LAT0)
        return np.column_stack([x, y])

    return shapely.transform(geom, xy)


def polygonal(geom):
    """Only the polygons of a geometry (make_valid may return a collection with lines)."""
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return shapely.union_all([g for g in geom.geoms
                              if g.geom_type in ("Polygon", "MultiPolygon")])


def encode(geom) -> list[list[list[int]]]:
    """Polygons of a (multi)polygon, each a list of rings (exterior first, then holes), each
    ring [x0, y0, dx1, dy1, ...] in whole units with the closing point dropped; rings that
    collapse below three points are left out."""
    polygons = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            pts: list[tuple[int, int]] = []
            for x, y in list(ring.coords)[:-1]:
                p = (round(x), round(y))
                if not pts or p != pts[-1]:
                    pts.append(p)
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()
            if len(pts) < 3:
                if not rings:
                    break  # the exterior collapsed: drop the polygon
                continue
            flat = [pts[0][0], pts[0][1]]
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                flat += [x1 - x0, y1 - y0]
            rings.append(flat)
        if rings:
            polygons.append(rings)
    return polygons


def derive(shared: Path, tolerance: float) -> dict:
    import shapely
    from shapely.geometry import shape

    from lisgraph.viz.layout import LAT0, LON0, PX_PER_DEGREE

    out: dict = {"attribution": ATTRIBUTION, "licence": "OGL-UK-3.0",
                 "projection": {"lat0": LAT0, "lon0": LON0, "px_per_degree": PX_PER_DEGREE,
                                "units": "canvas units, y down; equirectangular scaled by "
                                         "cos(lat0)"},
                 "tolerance": tolerance, "encoding": "area: polygons; polygon: rings (exterior, holes); ring: [x0, y0, dx1, dy1, ...]",
                 "vintages": {}}
    for key, name, code_f, name_f, start, end, title in VINTAGES:
        features = json.loads((shared / "boundaries" / name).read_text(encoding="utf-8"))
        codes, names, geoms = [], [], []
        for f in features["features"]:
            codes.append(f["properties"][code_f])
            names.append(f["properties"][name_f])
            geoms.append(polygonal(shapely.make_valid(project_geometry(shape(f["geometry"])))))
        simple = shapely.coverage_simplify(geoms, tolerance)
        areas = {}
        for code, nm, g in zip(codes, names, simple, strict=True):
            polygons = encode(g)
            if polygons:
                areas[code] = {"name": nm, "polygons": polygons}
        out["vintages"][key] = {"title": title, "file": name, "valid_from": start,
                                "valid_to": end, "areas": dict(sorted(areas.items()))}
        points = sum(len(r) // 2 for a in areas.values() for p in a["polygons"] for r in p)
        print(f"{key}: {len(areas)} districts, {points} points", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tolerance", type=float, default=2.0,
                    help="simplification tolerance in canvas units (1 unit is about 140 m)")
    args = ap.parse_args()
    data = derive(args.shared, args.tolerance)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)


if __name__ == "__main__":
    main()
