"""RDF export throughput against rdflib's Turtle serializer, and SPARQL latency, in one run.

Usage: python -m benchmarks.rdf [--triples 1000000] [--runs 5] [--skip-rdflib]

1. Builds a seeded synthetic graph (benchmarks/synthetic.py) whose export has about
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
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def export_figures(target: int, skip_rdflib: bool) -> None:
    import pyoxigraph as ox

    from benchmarks.synthetic import graph_for_triples
    from lisgraph.rdf.export import export, linked_triples

    build_t, g = _timed(lambda: graph_for_triples(target))
    print(f"synthetic graph: {len(g.nodes)} nodes, {len(g.edges)} edges, "
          f"{len(g.sources)} sources (built in {build_t:.1f} s)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("ttl", "nt", "jsonld"):
            out = Path(tmp, f"graph.{fmt}")
            t, summary = _timed(lambda f=fmt, o=out: export(g, f, o))
            n = summary["triples"]
            rows.append((f"lisgraph export --format {fmt}", t, n, out.stat().st_size))
        ttl = Path(tmp, "graph.ttl")
        parsed = sum(1 for _ in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
        print(f"triples exported: {n} (pyoxigraph reads back {parsed} from the Turtle file)")
        if not skip_rdflib:
            import rdflib

            def build() -> rdflib.Graph:
                rg = rdflib.Graph()
                uri, lit = rdflib.URIRef, rdflib.Literal
                for s, p, o in linked_triples(g):
                    rg.add((uri(s), uri(p), uri(o[1]) if o[0] == "iri" else
                            lit(o[1], datatype=uri(o[2]) if o[2] else None)))
                return rg

            build_t, rg = _timed(build)
            out = Path(tmp, "rdflib.ttl")
            ser_t, _ = _timed(lambda: rg.serialize(destination=str(out), format="turtle"))
            rows.append(("rdflib Graph.serialize(turtle) only", ser_t, len(rg), out.stat().st_size))
            rows.append(("rdflib build graph + serialize(turtle)", build_t + ser_t, len(rg),
                         out.stat().st_size))
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
