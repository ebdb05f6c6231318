"""Neo4j push rate: lisgraph's batched push against a naive one-MERGE-per-row load, one run.

Usage: python -m benchmarks.neo4j_push [--relationships N] [--batch-size N] [--sample N]

Needs a server (scripts/neo4j-server.sh start; NEO4J_URI etc. as for `lisgraph neo4j`).
WIPES lisgraph's nodes on that server. For the bundled graph and for a seeded synthetic graph
of about N relationships (default 1,000,000) it prints the rate of `push` (nodes plus
relationships per second, wall time of the whole call: projection, digest, batches) and of the
naive baseline: one auto-commit MERGE per row, the same statements without UNWIND, with the
same constraints. The baseline runs over the whole bundled graph, and over a sample of the
synthetic graph's rows (``--sample`` nodes, then as many relationships once the nodes are
in), extrapolated to the full graph: the time per row of a naive load does not depend on the
graph's size (each row is one round trip and one commit).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

from lisgraph.graph import KnowledgeGraph
from lisgraph.neo4j.connection import Connection, Neo4jError, connect
from lisgraph.neo4j.constraints import ensure_schema, quoted
from lisgraph.neo4j.projection import ENTITY, Projection, project
from lisgraph.neo4j.push import push_projection, wipe


def naive_node(label: str) -> str:
    return (f"MERGE (n:{quoted(label)}:{quoted(ENTITY)} {{code: $props.code}}) SET n = $props")


def naive_relationship(rel_type: str) -> str:
    e = quoted(ENTITY)
    return (f"MATCH (a:{e} {{code: $start}}) MATCH (b:{e} {{code: $end}}) "
            f"MERGE (a)-[r:{quoted(rel_type)} {{key: $props.key}}]->(b) SET r = $props")


def naive_load(conn: Connection, nodes: list[tuple[str, dict]],
               rels: list[tuple[str, dict]]) -> tuple[float, float]:
    """Seconds for the node rows and for the relationship rows, one auto-commit each."""
    with conn.driver.session(database=conn.settings.database) as session:
        start = time.perf_counter()
        for label, props in nodes:
            session.run(naive_node(label), props=props).consume()
        mid = time.perf_counter()
        for rel_type, row in rels:
            session.run(naive_relationship(rel_type), **row).consume()
        return mid - start, time.perf_counter() - mid


def measure(conn: Connection, name: str, graph: KnowledgeGraph, batch_size: int,
            sample: int | None) -> dict[str, Any]:
    rows = project(graph)
    total = rows.node_count + rows.relationship_count
    wipe(conn)
    start = time.perf_counter()
    push_projection(conn, project(graph), batch_size=batch_size)  # projection inside the timing
    fast = time.perf_counter() - start
    nodes = [(label, p) for label, group in rows.nodes.items() for p in group]
    rels = [(t, r) for t, group in rows.relationships.items() for r in group]
    wipe(conn)
    if sample is None or sample >= len(nodes):
        node_s, rel_s = naive_load(conn, nodes, rels)
        naive, how = node_s + rel_s, "all rows"
    else:
        rng = random.Random(1)
        node_sample = rng.sample(nodes, sample)
        node_s, _ = naive_load(conn, node_sample, [])
        push_projection(conn, _without(rows, node_sample), batch_size=batch_size)
        _, rel_s = naive_load(conn, [], rng.sample(rels, sample))
        naive = node_s / sample * len(nodes) + rel_s / sample * len(rels)
        how = f"{sample:,} nodes + {sample:,} relationships, extrapolated"
    wipe(conn)
    return {"graph": name, "nodes": rows.node_count, "relationships": rows.relationship_count,
            "push_s": fast, "push_rate": total / fast, "naive_s": naive,
            "naive_rate": total / naive, "ratio": naive / fast, "naive_measured_on": how}


def _without(rows: Projection, present: list[tuple[str, dict]]) -> Projection:
    """The node rows not loaded yet, and no relationships (those are sampled)."""
    done = {p["code"] for _, p in present}
    return Projection({label: [p for p in group if p["code"] not in done]
                       for label, group in rows.nodes.items()}, {})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relationships", type=int, default=1_000_000)
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=3000)
    args = ap.parse_args()
    from lisgraph import load_graph

    from .generator import graph_of_size

    try:
        conn = connect(retry_seconds=30)
    except Neo4jError as exc:
        sys.exit(f"Error: {exc}")
    with conn:
        ensure_schema(conn)
        print(f"Neo4j {conn.server_version()} at {conn.settings.where}; batch size "
              f"{args.batch_size}", flush=True)
        bundled = load_graph()
        push_projection(conn, project(bundled))  # warm the server's plan cache and JIT
        results = [measure(conn, "bundled", bundled, args.batch_size, None)]
        t = time.perf_counter()
        synthetic = graph_of_size(args.relationships // 10, args.relationships)
        print(f"synthetic graph built in {time.perf_counter() - t:.1f} s", flush=True)
        results.append(measure(conn, "synthetic", synthetic, args.batch_size, args.sample))
    print(f"{'graph':10} {'nodes':>9} {'rels':>9} {'push s':>8} {'push rows/s':>12} "
          f"{'naive rows/s':>13} {'ratio':>7}  naive measured on")
    for r in results:
        print(f"{r['graph']:10} {r['nodes']:>9,} {r['relationships']:>9,} {r['push_s']:>8.1f} "
              f"{r['push_rate']:>12,.0f} {r['naive_rate']:>13,.0f} {r['ratio']:>6.1f}x  "
              f"{r['naive_measured_on']}")
    print("(goal: ratio >= 10x; rows = nodes + relationships; push time includes projection "
          "and digest)")


if __name__ == "__main__":
    main()
