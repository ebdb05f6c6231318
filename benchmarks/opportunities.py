"""`opportunities` (sparse) against a naive pairwise networkx baseline, in one run.

Usage: python -m benchmarks.opportunities [--bodies 10000] [--sample-pairs 200000]
The naive baseline visits every pair of bodies (LEPs and combined authorities) in Python over
a networkx graph; at 10k LEP-like bodies (11k with the authorities) that is 60M pairs, so it is
timed on a random sample of pairs and extrapolated (said in the output). Both are first
checked to give the same pairs on a small graph.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from datetime import date
from typing import Any

from lisgraph.analysis.index import distance_km
from lisgraph.analysis.opportunities import DEFAULT_MAX_KM, opportunities
from lisgraph.collaborations import collaboration_pairs

from .generator import synthetic_graph

__all__ = ["naive_setup", "naive_pair", "same_pairs", "measure", "BODY_TYPES"]

#: the bodies whose strategies the analyses compare
BODY_TYPES = ("lep", "combined_authority")


def naive_setup(graph):
    """Per-body sets the naive baseline compares, read from a networkx projection."""
    nxg = graph.to_networkx()
    bodies = sorted(n for n, d in nxg.nodes(data=True) if d["type"] in BODY_TYPES)
    info = {}
    for b in bodies:
        themes = set()
        for s in nxg.successors(b):
            if nxg.nodes[s]["type"] == "strategy":
                for p in nxg.successors(s):
                    themes |= {t for t in nxg.successors(p) if nxg.nodes[t]["type"] == "theme"}
        districts = {d for d in nxg.predecessors(b) if nxg.nodes[d]["type"] == "district"}
        neighbours = set()
        for d in districts:
            neighbours |= {x for x in nxg.successors(d) if nxg.nodes[x]["type"] == "district"}
            neighbours |= {x for x in nxg.predecessors(d) if nxg.nodes[x]["type"] == "district"}
        regions = {r for d in districts for r in nxg.successors(d) if nxg.nodes[r]["type"] == "region"}
        partnerships = {p for p in nxg.successors(b) if nxg.nodes[p]["type"] == "partnership"}
        pts = [(nxg.nodes[d]["lat"], nxg.nodes[d]["lon"]) for d in districts]
        point = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        info[b] = [themes, districts, neighbours, regions, partnerships, point, {}]
    for pair in collaboration_pairs(graph):  # recorded collaborations cover their themes
        if pair.a in info and pair.b in info:
            for x, y in ((pair.a, pair.b), (pair.b, pair.a)):
                info[x][6].setdefault(y, set()).update(pair.themes or info[x][0])
    return bodies, info


def naive_pair(a, b, info):
    ta, da, na, ra, pa, pta, ca = info[a]
    tb, db, nb, rb, pb, ptb, _ = info[b]
    if not (ta & tb) - ca.get(b, set()):
        return False
    return bool(da & db or na & db or pa & pb or ra & rb or distance_km(pta, ptb) <= DEFAULT_MAX_KM)


def same_pairs(n_bodies: int = 300, seed: int = 1) -> tuple[int, int, bool]:
    """(sparse pairs, naive pairs, whether they are the same pairs) on a small graph."""
    small = synthetic_graph(n_bodies, seed=seed)
    bodies, info = naive_setup(small)
    naive = {(a, b) for i, a in enumerate(bodies) for b in bodies[i + 1:] if naive_pair(a, b, info)}
    fast = {tuple(sorted((r["a"], r["b"]))) for r in opportunities(small)}
    return len(fast), len(naive), fast == naive


def measure(graph, runs: int = 3, sample_pairs: int = 200_000) -> dict[str, Any]:
    """Seconds of ``opportunities(graph, top=100)`` (median of ``runs``), its peak traced
    memory (a separate run: tracing slows allocation-heavy code several-fold), and the naive
    baseline: its setup plus the time per pair, measured on ``sample_pairs`` random pairs,
    times the number of pairs."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        rows = opportunities(graph, top=100)
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    opportunities(graph, top=100)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    t = time.perf_counter()
    bodies, info = naive_setup(graph)
    setup_t = time.perf_counter() - t
    rng = random.Random(0)
    n = len(bodies)
    total_pairs = n * (n - 1) // 2
    sample = min(sample_pairs, total_pairs)
    pairs = [tuple(rng.sample(range(n), 2)) for _ in range(sample)]
    t = time.perf_counter()
    for i, j in pairs:
        naive_pair(bodies[i], bodies[j], info)
    per_pair = (time.perf_counter() - t) / sample
    return {"sparse_s": statistics.median(times), "peak_mb": peak, "rows": len(rows),
            "naive_s": setup_t + per_pair * total_pairs, "setup_s": setup_t,
            "per_pair_us": per_pair * 1e6, "pairs": total_pairs, "sampled": sample,
            "bodies": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", type=int, default=10_000)
    ap.add_argument("--sample-pairs", type=int, default=200_000)
    args = ap.parse_args()

    fast, naive, same = same_pairs()
    print(f"check on 300 bodies: sparse {fast} pairs, naive {naive} pairs, "
          f"{'same pairs' if same else 'DIFFERENT'}")
    t = time.perf_counter()
    g = synthetic_graph(args.bodies)
    build = time.perf_counter() - t
    print(f"synthetic graph: {args.bodies} LEP-like bodies, {len(g.nodes)} nodes, "
          f"{len(g.edges)} edges (built in {build:.1f} s)")
    m = measure(g, sample_pairs=args.sample_pairs)
    print(f"{'measurement':46} {'seconds':>9}")
    print(f"{'opportunities (sparse, all pairs, top 100)':46} {m['sparse_s']:9.2f}   "
          f"(median of 3; peak Python memory {m['peak_mb']:.0f} MB, traced run)")
    print(f"{'naive pairwise networkx baseline':46} {m['naive_s']:9.1f}   "
          f"(setup {m['setup_s']:.1f} s + {m['per_pair_us']:.2f} us/pair x {m['pairs']:,} "
          f"pairs, extrapolated from {m['sampled']:,} sampled pairs)")
    print(f"speed-up: {m['naive_s'] / m['sparse_s']:.0f}x (goal >= 20x); rows found: "
          f"{m['rows']}; run {date.today()}")


if __name__ == "__main__":
    main()
