"""`opportunities` (sparse) against a naive pairwise networkx baseline, in one run.

Usage: python -m benchmarks.opportunities [--bodies 10000] [--sample-pairs 200000]
The naive baseline visits every pair of bodies in Python over a networkx graph; at 10k bodies
that is 50M pairs, so it is timed on a random sample of pairs and extrapolated (said in the
output). Both are first checked to give the same pairs on a small graph.
"""

from __future__ import annotations

import argparse
import math
import random
import time
import tracemalloc
from datetime import date

from lisgraph.analysis.index import distance_km
from lisgraph.analysis.opportunities import DEFAULT_MAX_KM, opportunities

from .generator import synthetic_graph


def naive_setup(graph):
    """Per-body sets the naive baseline compares, read from a networkx projection."""
    nxg = graph.to_networkx()
    bodies = sorted(n for n, d in nxg.nodes(data=True) if d["type"] == "lep")
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
    for e in graph.edges:  # recorded collaborations cover the themes they name
        if e.type == "collaborates_with" and e.start in info and e.end in info:
            for x, y in ((e.start, e.end), (e.end, e.start)):
                info[x][6].setdefault(y, set()).update(e.props.get("themes") or info[x][0])
    return bodies, info


def naive_pair(a, b, info):
    ta, da, na, ra, pa, pta, ca = info[a]
    tb, db, nb, rb, pb, ptb, _ = info[b]
    if not (ta & tb) - ca.get(b, set()):
        return False
    return bool(da & db or na & db or pa & pb or ra & rb or distance_km(pta, ptb) <= DEFAULT_MAX_KM)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", type=int, default=10_000)
    ap.add_argument("--sample-pairs", type=int, default=200_000)
    args = ap.parse_args()

    small = synthetic_graph(300, seed=1)
    bodies, info = naive_setup(small)
    naive = {(a, b) for i, a in enumerate(bodies) for b in bodies[i + 1:] if naive_pair(a, b, info)}
    fast = {(r["a"], r["b"]) for r in opportunities(small)}
    fast = {tuple(sorted(p)) for p in fast}
    print(f"check on 300 bodies: sparse {len(fast)} pairs, naive {len(naive)} pairs, "
          f"{'same pairs' if fast == naive else 'DIFFERENT'}")

    t = time.perf_counter()
    g = synthetic_graph(args.bodies)
    build = time.perf_counter() - t
    print(f"synthetic graph: {args.bodies} bodies, {len(g.nodes)} nodes, {len(g.edges)} edges "
          f"(built in {build:.1f} s)")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        rows = opportunities(g, top=100)
        times.append(time.perf_counter() - t)
    sparse_t = sorted(times)[1]
    tracemalloc.start()  # a separate run: tracing slows allocation-heavy code several-fold
    opportunities(g, top=100)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    t = time.perf_counter()
    bodies, info = naive_setup(g)
    setup_t = time.perf_counter() - t
    rng = random.Random(0)
    n = len(bodies)
    total_pairs = n * (n - 1) // 2
    sample = min(args.sample_pairs, total_pairs)
    pairs = [tuple(rng.sample(range(n), 2)) for _ in range(sample)]
    t = time.perf_counter()
    for i, j in pairs:
        naive_pair(bodies[i], bodies[j], info)
    per_pair = (time.perf_counter() - t) / sample
    naive_t = setup_t + per_pair * total_pairs
    print(f"{'measurement':46} {'seconds':>9}")
    print(f"{'opportunities (sparse, all pairs, top 100)':46} {sparse_t:9.2f}   "
          f"(median of 3; peak Python memory {peak:.0f} MB, traced run)")
    print(f"{'naive pairwise networkx baseline':46} {naive_t:9.1f}   "
          f"(setup {setup_t:.1f} s + {per_pair * 1e6:.2f} us/pair x {total_pairs:,} pairs, "
          f"extrapolated from {sample:,} sampled pairs)")
    print(f"speed-up: {naive_t / sparse_t:.0f}x (goal >= 20x); rows found: {len(rows)}; "
          f"run {date.today()}")


if __name__ == "__main__":
    main()
