"""RDF export throughput against rdflib's Turtle serializer, and SPARQL latency, in one run.

Usage: python -m benchmarks.rdf [--triples 1000000] [--runs 5] [--skip-rdflib]

1. Builds a seeded synthetic graph (benchmarks/generator.py) whose export has about
   ``--triples`` triples, then times lisgraph's exports end to end (triples generated from
   the graph, alignment and DCAT description, serialized, written atomically) and rdflib's
   Turtle serializer on the same triples: once counting only ``Graph.serialize`` (rdflib's
   graph already built), once counting the build too. Goal (issue 5): lisgraph's Turtle
   export >= 5x rdflib's.
2. Times the named SPARQL queries (queries/*.rq) and two alignment queries on the bundled
   data through the embedded store (median of ``--runs``, after one warm-up).
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lisgraph.graph import KnowledgeGraph

from .generator import graph_of_size

__all__ = ["graph_for_triples", "rdflib_graph", "turtle_times", "export_figures",
           "sparql_figures"]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def graph_for_triples(target: int, seed: int = 7) -> KnowledgeGraph:
    """A synthetic graph (benchmarks/generator.py, default shape) whose RDF export has about
    ``target`` triples (within a few per cent): from a 2,000-node probe, at most two
    corrections of the node count (triples grow a little faster than nodes: the exponent is
    fitted in log-log from the graphs tried)."""
    from lisgraph.rdf.export import grouped, linked_triples

    def triples(g: KnowledgeGraph) -> int:
        return sum(map(len, grouped(linked_triples(g)).values()))

    tried: list[tuple[float, float]] = []
    nodes = 2000
    for _ in range(3):
        g = graph_of_size(nodes, seed=seed)
        found = triples(g)
        if abs(found - target) <= 0.02 * target:
            break
        tried.append((math.log(len(g.nodes)), math.log(found)))
        (x0, y0), (x1, y1) = tried[-2:] if len(tried) > 1 else ((0.0, 0.0), tried[-1])
        k = (y1 - y0) / (x1 - x0) if len(tried) > 1 and x1 != x0 and y1 != y0 else 1.0
        step = max(200, round(len(g.nodes) * (target / found) ** (1 / k)))
        if step == nodes:
            break
        nodes = step
    return g


def rdflib_graph(g: KnowledgeGraph) -> Any:
    """rdflib's in-memory graph of the same triples lisgraph exports."""
    import rdflib

    from lisgraph.rdf.export import linked_triples

    rg = rdflib.Graph()
    uri, lit = rdflib.URIRef, rdflib.Literal
    for s, p, o in linked_triples(g):
        rg.add((uri(s), uri(p), uri(o[1]) if o[0] == "iri" else
                lit(o[1], datatype=uri(o[2]) if o[2] else None)))
    return rg


def turtle_times(g: KnowledgeGraph, runs: int = 1, rdflib_runs: int = 1,
                 formats: tuple[str, ...] = ("ttl",)) -> dict[str, Any]:
    """Seconds (median of ``runs``) of lisgraph's export end to end in each format (triples
    generated from the graph, alignment and DCAT description, serialized, written
    atomically); and (``rdflib_runs`` > 0) of rdflib building its graph of the same triples
    (once) and of ``Graph.serialize(format="turtle")`` (median of ``rdflib_runs``). The
    Turtle file is read back with pyoxigraph (``read_back``: its number of triples)."""
    from lisgraph.rdf.export import export

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            path = Path(tmp, f"graph.{fmt}")
            times = []
            for _ in range(runs):
                t, summary = _timed(lambda f=fmt, o=path: export(g, f, o))
                times.append(t)
            out[fmt] = {"s": statistics.median(times), "triples": summary["triples"],
                        "bytes": path.stat().st_size}
        if "ttl" in formats:  # the file is Turtle with every triple in it
            import pyoxigraph as ox

            out["ttl"]["read_back"] = sum(1 for _ in ox.parse(
                path=str(Path(tmp, "graph.ttl")), format=ox.RdfFormat.TURTLE))
        if rdflib_runs:
            build_t, rg = _timed(lambda: rdflib_graph(g))
            path = Path(tmp, "rdflib.ttl")
            times = [_timed(lambda: rg.serialize(destination=str(path), format="turtle"))[0]
                     for _ in range(rdflib_runs)]
            out["rdflib"] = {"build_s": build_t, "s": statistics.median(times),
                             "triples": len(rg), "bytes": path.stat().st_size}
    return out


def export_figures(target: int, skip_rdflib: bool) -> None:
    build_t, g = _timed(lambda: graph_for_triples(target))
    print(f"synthetic graph: {len(g.nodes)} nodes, {len(g.edges)} edges, "
          f"{len(g.sources)} sources (built in {build_t:.1f} s)")
    r = turtle_times(g, rdflib_runs=0 if skip_rdflib else 1, formats=("ttl", "nt", "jsonld"))
    print(f"triples exported: {r['ttl']['triples']} (pyoxigraph reads back "
          f"{r['ttl']['read_back']} from the Turtle file)")
    rows = [(f"lisgraph export --format {f}", r[f]["s"], r[f]["triples"], r[f]["bytes"])
            for f in ("ttl", "nt", "jsonld")]
    if not skip_rdflib:
        rl = r["rdflib"]
        rows.append(("rdflib Graph.serialize(turtle) only", rl["s"], rl["triples"], rl["bytes"]))
        rows.append(("rdflib build graph + serialize(turtle)", rl["build_s"] + rl["s"],
                     rl["triples"], rl["bytes"]))
    print(f"\n{'export':44} {'seconds':>8} {'triples/s':>11} {'MB':>7}")
    for name, t, n, size in rows:
        print(f"{name:44} {t:8.2f} {n / t:11,.0f} {size / 1e6:7.1f}")
    if not skip_rdflib:
        ours = rows[0][1]
        print(f"\nlisgraph Turtle export vs rdflib serialize only: {rows[3][1] / ours:.1f}x; "
              f"vs rdflib build + serialize: {rows[4][1] / ours:.1f}x (goal >= 5x)")


NAMED = {
    "members": {"place": "E47000001", "as_of": "2018-06-01"},
    "districts-in-two-leps": {"as_of": "2018-06-01"},
    "place-themes": {"place": "E47000001"},
    "shared-themes": {"place": "E47000001"},
    "strategies": {},
    "theme-partners": {"theme": "clean-growth"},
}
ALIGNED = {
    "ORG: bodies a combined authority's members belong to (org:memberOf)": """
        SELECT ?code ?org (COUNT(?m) AS ?n) WHERE {
          ?area lis:code ?code . ?body lis:governs ?area .
          ?m org:memberOf ?body . ?m org:memberOf ?org . FILTER (?org != ?body)
        } GROUP BY ?code ?org""",
    "SKOS: priorities per top concept (skos:broader*)": """
        SELECT ?top (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?p dcterms:subject ?t . ?t skos:broader* ?top . ?top skos:topConceptOf ?s
        } GROUP BY ?top""",
}


def sparql_figures(runs: int) -> None:
    from lisgraph import load_graph
    from lisgraph.named import list_queries, run_query
    from lisgraph.rdf.alignment import linked_store
    from lisgraph.rdf.store import EmbeddedStore

    g = load_graph()
    load_t, store = _timed(lambda: EmbeddedStore(g))
    linked_t, linked = _timed(lambda: linked_store(g))
    print(f"\nbundled data: {len(store)} triples in the embedded store (loaded in "
          f"{load_t * 1000:.0f} ms); {len(linked)} with the alignment triples "
          f"({linked_t * 1000:.0f} ms)")
    print(f"{'SPARQL query (bundled data)':70} {'rows':>5} {'median ms':>10}")
    available = {q.name for q in list_queries()}
    jobs: list[tuple[str, Callable[[], list]]] = []
    for name, params in NAMED.items():
        if name in available:
            jobs.append((f"named: {name} {params or ''}",
                         lambda n=name, p=params: run_query(g, n, p, store=store)[1]))
    for name, text in ALIGNED.items():
        jobs.append((name, lambda t=text: linked.select(t)))
    for name, job in jobs:
        job()
        times = []
        for _ in range(runs):
            t, rows = _timed(job)
            times.append(t)
        print(f"{name[:70]:70} {len(rows):5} {statistics.median(times) * 1000:10.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-rdflib", action="store_true", help="leave out rdflib (slow)")
    args = ap.parse_args()
    export_figures(args.triples, args.skip_rdflib)
    sparql_figures(args.runs)
    print(f"(Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
