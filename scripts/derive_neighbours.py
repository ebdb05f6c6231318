"""Derive which English local authority districts share a boundary -> loaders/data/neighbours.csv.

Maintainer tool, not part of the package. It needs shapely (>= 2.0), which lisgraph itself
does not depend on; run it from a throwaway environment, e.g.::

    python3 -m venv /tmp/nbvenv && /tmp/nbvenv/bin/pip install shapely
    /tmp/nbvenv/bin/python scripts/derive_neighbours.py \\
        --boundaries LAD_Dec2022_UK_simplified.geojson --out loaders/data/neighbours.csv

Input: the ONS "Local Authority Districts (December 2022) UK" boundaries as GeoJSON in WGS84
(property ``LAD22CD``), generalised and clipped to the coastline. Output: ``a,b,source`` with
``a < b``, sorted, every row citing ``--source`` (default ``ons-lad-dec2022-bgc``). By default
only England (codes ``E...``) is kept; ``--prefixes E,S,W,N --skip-within E`` writes the
Scottish, Welsh and Northern Irish pairs and the cross-border ones (loaders/data/neighbours_uk.csv).

Method and the choices behind it
--------------------------------
* Coordinates are projected to metres with a sinusoidal projection centred on 2°W (the
  British National Grid meridian). pyproj is deliberately not needed; over England the
  scale error of this projection is a few percent, which is irrelevant for the tolerances
  below, and it lets tolerances and lengths be stated in metres rather than degrees.
* Invalid rings (a handful of self-intersections and degenerate slivers from the
  generalisation) are repaired with ``make_valid``; only the polygonal parts are kept.
* Two districts are neighbours when the *line* they have in common is at least
  ``--min-shared`` metres long (default 10 m). The common line is measured after snapping
  one boundary onto the other with ``--tolerance`` metres (default 2 m), which only absorbs
  floating-point noise: the ONS generalised set is topologically consistent (neighbouring
  polygons reuse the same vertices, no overlaps, no slivers), so common edges coincide
  exactly. A contact at a single point (a "corner touch") has zero length and never counts.
* Why not buffer each polygon (e.g. by 0.0008°, ~55 m E-W / ~90 m N-S) and threshold the
  overlap? On this file it is unnecessary and fragile: the shortest genuine border, North
  Northamptonshire / South Kesteven (the ~19 m Northamptonshire-Lincolnshire county boundary
  on the Welland), has 17 m of common edge, whereas Rutland and Peterborough, which do not
  touch, are 17 m apart after generalisation. With a 0.0008° buffer these become ~230 m
  and ~100 m of apparent common boundary, so the threshold would have to be tuned between
  them; exact common edges separate them cleanly (17 m vs none). Gaps the generalisation
  opened are therefore not bridged; the script prints near misses (districts closer than
  ``--report-gap`` metres without a common edge) and common edges under 100 m so that a
  maintainer can review them. On the Dec 2022 file the result is the same for any
  tolerance from 0 to 25 m and any minimum length from just above 0 to 16 m.
* Rivers and estuaries follow the source. In this file the boundaries are clipped to the
  coastline only where the water is wide (estuaries); elsewhere they run along the river
  centre-line. So districts facing each other across the Thames in central London, the
  Tyne at Newcastle or the upper Severn share an edge and count as neighbours, while those
  across an estuary (Humber, Mersey below Runcorn, the Severn below Lydney, the Thames from
  about Deptford downstream, Tamar, Exe) do not, whatever bridges or tunnels connect them.
  Where the clip starts, two districts can meet in mid-channel (Forest of Dean / South
  Gloucestershire: 149 m); such edges are kept like any other. Islands (Isles of Scilly,
  Isle of Wight) get no neighbours.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from itertools import combinations
from pathlib import Path

EARTH_RADIUS_M = 6_371_008.8
CENTRAL_MERIDIAN = -2.0


def load_districts(path: Path, prefix: str | tuple[str, ...] = "E") -> dict[str, object]:
    """GSS code -> repaired (Multi)Polygon in metres, for codes starting with ``prefix``
    (one prefix or a tuple of them)."""
    import numpy as np
    from shapely import get_parts, make_valid, transform
    from shapely.geometry import MultiPolygon, shape

    def to_metres(xy):
        lon, lat = np.radians(xy[:, 0] - CENTRAL_MERIDIAN), np.radians(xy[:, 1])
        return np.column_stack([EARTH_RADIUS_M * lon * np.cos(lat), EARTH_RADIUS_M * lat])

    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        props = feature["properties"]
        code = props.get("LAD22CD") or next(v for k, v in props.items() if k.upper().endswith("CD"))
        if not code.startswith(prefix):
            continue
        geom = make_valid(transform(shape(feature["geometry"]), to_metres))
        polygons = [p for part in get_parts(geom) if part.geom_type in ("Polygon", "MultiPolygon")
                    for p in get_parts(part)]
        out[code] = MultiPolygon(polygons)
    return out


def derive(districts: dict[str, object], tolerance: float, min_shared: float,
           report_gap: float) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    """Return (neighbour pairs with common-edge length, near misses with gap), both in metres."""
    from shapely import STRtree, snap

    codes = sorted(districts)
    geoms = [districts[c] for c in codes]
    tree = STRtree(geoms)
    pairs, near = [], []
    for i, j in sorted({tuple(sorted((i, int(j)))) for i, g in enumerate(geoms)
                        for j in tree.query(g.buffer(max(report_gap, tolerance)))
                        if int(j) != i}):
        a, b = geoms[i], geoms[j]
        line_a, line_b = a.boundary, b.boundary
        shared = snap(line_a, line_b, tolerance).intersection(line_b).length
        if shared >= min_shared:
            pairs.append((codes[i], codes[j], shared))
        else:
            gap = a.distance(b)
            if gap < report_gap:
                near.append((codes[i], codes[j], gap))
    return pairs, near


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", type=Path, required=True, help="LAD GeoJSON (WGS84)")
    parser.add_argument("--out", type=Path, required=True, help="neighbours.csv to write")
    parser.add_argument("--source", default="ons-lad-dec2022-bgc", help="source id for every row")
    parser.add_argument("--tolerance", type=float, default=2.0,
                        help="snapping tolerance in metres (default 2)")
    parser.add_argument("--min-shared", type=float, default=10.0,
                        help="minimum common boundary in metres (default 10)")
    parser.add_argument("--report-gap", type=float, default=250.0,
                        help="report non-neighbours closer than this many metres (default 250)")
    parser.add_argument("--prefixes", default="E",
                        help="comma-separated code prefixes to keep (default E; E,S,W,N for the UK)")
    parser.add_argument("--skip-within", default="",
                        help="leave out pairs whose codes both start with this prefix (E: write "
                             "only the pairs the English file lacks)")
    args = parser.parse_args(argv)
    try:
        import shapely  # noqa: F401
    except ImportError:
        parser.error("shapely is required: pip install shapely (maintainer tool, see docstring)")

    districts = load_districts(args.boundaries, tuple(args.prefixes.split(",")))
    pairs, near = derive(districts, args.tolerance, args.min_shared, args.report_gap)
    if args.skip_within:
        pairs = [p for p in pairs if not (p[0].startswith(args.skip_within)
                                          and p[1].startswith(args.skip_within))]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["a", "b", "source"])
        writer.writerows((a, b, args.source) for a, b, _ in sorted(pairs))

    degree = {c: 0 for c in districts}
    for a, b, _ in pairs:
        degree[a] += 1
        degree[b] += 1
    isolated = sorted(c for c, d in degree.items() if d == 0)
    log = sys.stderr
    print(f"{len(districts)} districts, {len(pairs)} pairs, mean degree "
          f"{2 * len(pairs) / len(districts):.2f}, max {max(degree.values())}, "
          f"no neighbours: {', '.join(isolated) or 'none'}", file=log)
    for a, b, shared in sorted(pairs, key=lambda p: p[2]):
        if shared < 100:
            print(f"short common edge: {a} {b} {shared:.0f} m", file=log)
    for a, b, gap in sorted(near, key=lambda p: p[2]):
        print(f"near miss (not neighbours): {a} {b} gap {gap:.0f} m", file=log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
