"""`overlaps(place)` (one sparse product) against a naive networkx scan of every body, in one run.

Usage: python -m benchmarks.overlaps [--bodies 10000] [--places 5]
Both start from the KnowledgeGraph, as a caller would: lisgraph builds its theme index, the
baseline builds a networkx projection and then compares PLACE's themes with every other
body's in Python. Both are first checked to give the same ranking on a small graph.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from typing import Any

from lisgraph.analysis.index import SCHEME_WEIGHT
from lisgraph.analysis.overlaps import overlaps

from .generator import synthetic_graph
from .opportunities import BODY_TYPES

__all__ = ["naive_overlaps", "same_ranking", "measure"]


def naive_overlaps(graph, place: str, nxg=None) -> list[tuple[str, float]]:
    """(body, weighted cosine of strategy themes) for every body sharing a theme with PLACE,
    best first, read from a networkx projection (built here unless ``nxg`` is given)."""
    nxg = graph.to_networkx() if nxg is None else nxg
    weight = {n: SCHEME_WEIGHT.get(str(d.get("scheme")), 1.0)
              for n, d in nxg.nodes(data=True) if d["type"] == "theme"}
    themes = {}
    for b, d in nxg.nodes(data=True):
        if d["type"] in BODY_TYPES:
            themes[b] = {t for s in nxg.successors(b) if nxg.nodes[s]["type"] == "strategy"
                         for p in nxg.successors(s) for t in nxg.successors(p) if t in weight}
    mine = themes[place]
    own = sum(weight[t] for t in mine)
    rows = []
    for other, theirs in themes.items():
        shared = mine & theirs
        if other != place and shared:
            score = sum(weight[t] for t in shared) / math.sqrt(own * sum(weight[t] for t in theirs))
            rows.append((other, round(score, 4)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def same_ranking(n_bodies: int = 300, places: int = 3, seed: int = 1) -> bool:
    """Whether both give the same bodies with the same scores for a few places."""
    g = synthetic_graph(n_bodies, seed=seed)
    for place in _places(g, places, seed):
        fast = sorted(((r["code"], r["score"]) for r in overlaps(g, place)),
                      key=lambda r: (-r[1], r[0]))
        if fast != naive_overlaps(g, place):
            return False
    return True


def _places(graph, k: int, seed: int) -> list[str]:
    bodies = sorted(e.start for e in graph.edges if e.type == "published")
    return random.Random(seed).sample(bodies, min(k, len(bodies)))


def measure(graph, places: int = 5) -> dict[str, Any]:
    """Median seconds over ``places`` random places of ``overlaps(graph, place)``, of the
    naive baseline (projection included: each answers from the KnowledgeGraph), and of the
    baseline's scan alone over a projection built beforehand (``scan_s``)."""
    fast, naive, scan = [], [], []
    chosen = _places(graph, places, 0)
    for place in chosen:
        t = time.perf_counter()
        overlaps(graph, place)
        fast.append(time.perf_counter() - t)
        t = time.perf_counter()
        naive_overlaps(graph, place)
        naive.append(time.perf_counter() - t)
    nxg = graph.to_networkx()
    for place in chosen:
        t = time.perf_counter()
        naive_overlaps(graph, place, nxg)
        scan.append(time.perf_counter() - t)
    return {"sparse_s": statistics.median(fast), "naive_s": statistics.median(naive),
            "scan_s": statistics.median(scan), "places": len(fast)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", type=int, default=10_000)
    ap.add_argument("--places", type=int, default=5)
    args = ap.parse_args()
    print(f"check on 300 bodies: {'same ranking' if same_ranking() else 'DIFFERENT'}")
    g = synthetic_graph(args.bodies)
    m = measure(g, args.places)
    print(f"overlaps(place), {len(g.nodes):,} nodes: {m['sparse_s']:.3f} s; naive networkx "
          f"scan {m['naive_s']:.3f} s; {m['naive_s'] / m['sparse_s']:.1f}x (median of "
          f"{m['places']} places); the scan alone over a prebuilt projection {m['scan_s']:.3f} s")


if __name__ == "__main__":
    main()
