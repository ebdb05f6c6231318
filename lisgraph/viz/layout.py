"""Node positions computed in Python, so pages open settled: a map projection, or forces."""

from __future__ import annotations

import math
import zlib
from collections import defaultdict
from collections.abc import Iterable

from ..graph import KnowledgeGraph
from .selection import View

__all__ = ["project", "reference_points", "geo_positions", "force_positions", "separate", "LAT0",
           "LON0", "PX_PER_DEGREE", "ANCHORS", "OFF_MAP_TYPES", "COLUMNS", "on_map"]

#: projection centre (middle of England) and scale
LAT0, LON0 = 52.6, -1.5
PX_PER_DEGREE = 800.0

#: for a node without its own point: (edge type, direction) whose other ends give it one,
#: most telling first ("in" = edges ending at the node)
ANCHORS: dict[str, tuple[tuple[str, str], ...]] = {
    "district": (("succeeded_by", "out"), ("succeeded_by", "in"), ("neighbours", "both")),
    "county": (("part_of", "in"),),
    "region": (("part_of", "in"),),
    "lep": (("part_of", "in"), ("succeeded_by", "out")),
    "combined_authority": (("part_of", "in"), ("succeeded_by", "out")),
    "partnership": (("member_of", "in"),),
    "organisation": (("located_in", "out"), ("member_of", "out"), ("party_to", "out"),
                     ("collaborates_with", "both"), ("partner_of", "both")),
    "collaboration": (("party_to", "in"),),
    "itl_area": (("part_of", "in"),),
    "provider": (("located_in", "out"),),
    "strategy": (("published", "in"),),
    "priority": (("has_priority", "in"),),
    "theme": (("addresses", "in"), ("broader", "in")),
}


def project(lat: float, lon: float) -> tuple[float, float]:
    """Canvas (x, y) of a point: equirectangular scaled by cos(latitude), north up.

    >>> newcastle, london = project(54.97, -1.61), project(51.51, -0.13)
    >>> newcastle[1] < london[1] and newcastle[0] < london[0]
    True
    """
    x = PX_PER_DEGREE * (lon - LON0) * math.cos(math.radians(LAT0))
    return round(x, 1), round(-PX_PER_DEGREE * (lat - LAT0), 1)


def reference_points(graph: KnowledgeGraph) -> dict[str, tuple[float, float]]:
    """(lat, lon) of every node that has or can borrow one.

    A node's own ``lat``/``lon`` first; otherwise the mean point of the nodes it is anchored
    to (see :data:`ANCHORS`: an area body's member districts, a partnership's members, a
    strategy's publishers, a priority's strategy, a theme's priorities), repeated until no
    more nodes can be placed; then the mean of any placed neighbours.
    """
    points: dict[str, tuple[float, float]] = {}
    for n in graph.nodes.values():
        lat, lon = n.props.get("lat"), n.props.get("lon")
        if lat is not None and lon is not None:
            points[n.id] = (float(lat), float(lon))  # type: ignore[arg-type]
    for anchored in (True, False):
        progress = True
        while progress:
            found = {nid: p for nid in graph.nodes if nid not in points
                     for p in [_borrowed(graph, nid, points, anchored)] if p}
            points.update(found)
            progress = bool(found)
    return points


def _borrowed(graph: KnowledgeGraph, nid: str, points: dict[str, tuple[float, float]],
              anchored: bool) -> tuple[float, float] | None:
    rules: Iterable[tuple[str | None, str]] = (
        ANCHORS.get(graph.nodes[nid].type, ()) if anchored else ((None, "both"),))
    for etype, direction in rules:
        types = [etype] if etype else None
        others = []
        if direction in ("in", "both"):
            others += [e.start for e in graph.in_edges(nid, types)]
        if direction in ("out", "both"):
            others += [e.end for e in graph.out_edges(nid, types)]
        pts = [points[o] for o in dict.fromkeys(others) if o in points]
        if pts:
            return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    return None


#: node types drawn off the map, in columns east of it (abstract: no place of their own)
OFF_MAP_TYPES = ("organisation", "strategy", "priority", "theme")
#: column order, west to east; organisations with a located_in link stay on the map
COLUMNS = ("organisation", "strategy", "priority", "theme")
#: vertical gap between nodes in a column, and the width of one column (canvas units)
COLUMN_GAP = 44.0
COLUMN_WIDTH = 330.0
#: with nothing on the map, where the columns go: east of this longitude, between these
#: latitudes
MAP_EAST_LON = 2.2
MAP_NORTH_LAT, MAP_SOUTH_LAT = 55.9, 50.0


def on_map(graph: KnowledgeGraph, nid: str) -> bool:
    """Whether a node is drawn at a place: areas, bodies, providers, and organisations with
    their own point or a ``located_in`` link; not strategies, priorities or themes."""
    node = graph.nodes[nid]
    if node.type not in OFF_MAP_TYPES:
        return True
    if node.type == "organisation":
        return "lat" in node.props or bool(graph.out_edges(nid, ["located_in"]))
    return False


def geo_positions(graph: KnowledgeGraph, view: View) -> dict[str, tuple[float, float]]:
    """Canvas positions on a map of England for the view's nodes.

    Areas, bodies and providers sit at their reference points (nodes sharing a point are
    spread on a small ring around it, then nodes that would overlap are nudged apart, those
    placed by their own point least). Strategies, priorities, themes and organisations with
    no place are set in columns east of the map (see :data:`COLUMNS`), each column ordered
    north to south by where its linked nodes are, so links run across rather than tangle.
    """
    from .style import node_size

    points = reference_points(graph)
    pos: dict[str, tuple[float, float]] = {}
    off: list[str] = []
    for nid in view.nodes:
        if nid in points and on_map(graph, nid):
            pos[nid] = project(*points[nid])
        else:
            off.append(nid)
    _spread_coincident(pos, graph)
    degree = view.degree()
    own = {nid for nid in pos if "lat" in graph.nodes[nid].props}
    separate(pos, {nid: node_size(degree[nid]) for nid in pos}, pinned=own)
    _columns(graph, view, pos, off)
    return pos


def _columns(graph: KnowledgeGraph, view: View, pos: dict[str, tuple[float, float]],
             off: list[str]) -> None:
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in view.edges:
        neighbours[e.start].append(e.end)
        neighbours[e.end].append(e.start)
    # the columns run beside what is on the map (England, or the UK, or a place's
    # neighbourhood), from its north to its south
    if pos:
        top = min(p[1] for p in pos.values())
        bottom = max(top + COLUMN_GAP * 8, max(p[1] for p in pos.values()))
        x = max(p[0] for p in pos.values()) + COLUMN_WIDTH / 2
    else:
        top = project(MAP_NORTH_LAT, LON0)[1]
        bottom = project(MAP_SOUTH_LAT, LON0)[1]
        x = project(LAT0, MAP_EAST_LON)[0]
    per_column = max(1, int((bottom - top) // COLUMN_GAP) + 1)
    kinds = {t: [n for n in off if view.nodes[n].type == t] for t in COLUMNS}
    kinds[""] = [n for n in off if view.nodes[n].type not in COLUMNS]
    for kind in [*COLUMNS, ""]:
        members = kinds[kind]
        if not members:
            continue
        middle = (top + bottom) / 2

        def target(nid: str) -> float:
            ys = [pos[o][1] for o in neighbours[nid] if o in pos]
            return sum(ys) / len(ys) if ys else middle

        members.sort(key=lambda n: (target(n), view.nodes[n].name))
        for start in range(0, len(members), per_column):
            chunk = members[start:start + per_column]
            x += COLUMN_WIDTH
            span = (len(chunk) - 1) * COLUMN_GAP
            # centre a short column on where its links point, within the map's span
            first = min(max(sum(target(n) for n in chunk) / len(chunk) - span / 2, top),
                        bottom - span)
            for i, nid in enumerate(chunk):
                pos[nid] = (round(x, 1), round(first + i * COLUMN_GAP, 1))


def _spread_coincident(pos: dict[str, tuple[float, float]], graph: KnowledgeGraph) -> None:
    groups: dict[tuple[float, float], list[str]] = defaultdict(list)
    for nid, p in pos.items():
        groups[(round(p[0]), round(p[1]))].append(nid)
    for members in groups.values():
        if len(members) < 2:
            continue
        # nodes with their own point stay; the ones that borrowed it go round it
        members.sort(key=lambda n: ("lat" not in graph.nodes[n].props, graph.nodes[n].type, n))
        cx, cy = pos[members[0]]
        ring = members[1:]
        radius = 24.0 + 4.0 * len(ring)
        for i, nid in enumerate(ring):
            angle = 2 * math.pi * i / len(ring)
            pos[nid] = (round(cx + radius * math.cos(angle), 1),
                        round(cy + radius * math.sin(angle), 1))


def separate(pos: dict[str, tuple[float, float]], sizes: dict[str, float],
             pinned: set[str] = frozenset(), gap: float = 6.0, passes: int = 6) -> None:
    """Nudge overlapping markers apart in place (a few relaxation passes on a grid, so each
    pass is about linear in the number of nodes). Pinned nodes move a fifth as far.

    >>> pos = {"a": (0.0, 0.0), "b": (4.0, 0.0)}
    >>> separate(pos, {"a": 10.0, "b": 10.0}, pinned={"a"})
    >>> pos["b"][0] - pos["a"][0] >= 25.9
    True
    """
    if len(pos) < 2:
        return
    cell = 2 * max(sizes.values()) + gap
    ids = list(pos)
    xy = {nid: list(pos[nid]) for nid in ids}
    weight = {nid: 0.2 if nid in pinned else 1.0 for nid in ids}
    for _ in range(passes):
        grid: dict[tuple[int, int], list[str]] = defaultdict(list)
        for nid in ids:
            grid[(int(xy[nid][0] // cell), int(xy[nid][1] // cell))].append(nid)
        moved = False
        for (gx, gy), members in grid.items():
            near = [o for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for o in grid.get((gx + dx, gy + dy), ())]
            for a in members:
                for b in near:
                    if b <= a:
                        continue
                    dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
                    dist = math.hypot(dx, dy)
                    want = sizes[a] + sizes[b] + gap
                    if dist >= want:
                        continue
                    if dist < 1e-6:  # same point: split along a direction fixed by the ids
                        angle = (zlib.crc32(f"{a} {b}".encode()) % 360) * math.pi / 180
                        dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                    push = (want - dist) / dist
                    wa, wb = weight[a], weight[b]
                    share_a, share_b = wa / (wa + wb), wb / (wa + wb)
                    xy[a][0] -= dx * push * share_a
                    xy[a][1] -= dy * push * share_a
                    xy[b][0] += dx * push * share_b
                    xy[b][1] += dy * push * share_b
                    moved = True
        if not moved:
            break
    for nid in ids:
        pos[nid] = (round(xy[nid][0], 1), round(xy[nid][1], 1))


def force_positions(graph: KnowledgeGraph, view: View, iterations: int = 80,
                    seed: int = 7) -> dict[str, tuple[float, float]]:
    """Canvas positions from a Fruchterman–Reingold layout run in numpy, started from the
    map positions (so north stays roughly up and runs are repeatable).

    Not networkx's ``spring_layout``: on this graph it took about 4x as long (its sparse
    path, used from 500 nodes, loops over nodes in Python); ``python -m benchmarks.viz``
    prints both figures.

    Repulsion is computed in blocks of rows (memory O(block x n)); time is O(n^2) per
    iteration, which is why :data:`lisgraph.viz.FORCE_MAX_NODES` caps the view's size.
    """
    import numpy as np

    ids = list(view.nodes)
    n = len(ids)
    if n == 0:
        return {}
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    start = geo_positions(graph, view)
    xy = np.array([start[i] for i in ids], dtype=np.float64)
    xy -= xy.min(axis=0)
    xy /= max(float(xy.max()), 1.0)
    rng = np.random.default_rng(seed)
    pos = (xy + rng.normal(scale=0.01, size=xy.shape)).astype(np.float32)
    index = {nid: i for i, nid in enumerate(ids)}
    pairs = np.array(sorted({(index[e.start], index[e.end]) for e in view.edges
                             if e.start != e.end}), dtype=np.int64).reshape(-1, 2)
    k = np.float32(math.sqrt(1.0 / n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = max(1, 2_000_000 // n)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        for s in range(0, n, block):
            delta = pos[s:s + block, None, :] - pos[None, :, :]
            dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), np.float32(1e-6))
            disp[s:s + block] = np.einsum("ijk,ij->ik", delta, (k * k) / dist2)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            pull = delta * (np.sqrt((delta * delta).sum(axis=1)) / k)[:, None]
            np.add.at(disp, pairs[:, 0], -pull)
            np.add.at(disp, pairs[:, 1], pull)
        disp -= (pos - pos.mean(axis=0)) * np.float32(0.05 * n * k)  # weak gravity: no drift
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-3)[:, None]
        pos += disp * (np.minimum(length, temperature) / length)
        temperature -= cooling
    scale = 90.0 / float(k)  # ideal edge length of about 90 px
    pos = (pos - pos.mean(axis=0)) * scale
    return {nid: (round(float(x), 1), round(float(y), 1))
            for nid, (x, y) in zip(ids, pos, strict=True)}
