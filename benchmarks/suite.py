"""The measurements of `python -m benchmarks`, one function per section, each giving table rows."""

from __future__ import annotations

import csv
import io
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .report import Row, seconds

__all__ = ["Sizes", "DEFAULT", "QUICK", "SECTIONS", "cli", "build", "analysis", "rdf", "neo4j",
           "viz", "evidence"]


@dataclass(frozen=True)
class Sizes:
    """How big and how often: ``runs`` is the number of timed runs of each figure."""

    runs: int = 3
    cli_runs: int = 15
    build_nodes: tuple[int, ...] = (1_000, 10_000, 100_000)
    bodies: int = 10_000
    check_bodies: int = 300
    sample_pairs: int = 200_000
    places: int = 5
    triples: int = 1_000_000
    rdflib_runs: int = 3
    neo4j_nodes: int = 20_000
    neo4j_answer_sizes: tuple[tuple[int, int], ...] = ((20_000, 200_000), (100_000, 1_000_000))
    viz_nodes: int = 5_000


DEFAULT = Sizes()
QUICK = Sizes(runs=1, cli_runs=1, build_nodes=(500, 1_000, 2_000), bodies=300, check_bodies=60,
              sample_pairs=20_000, places=2, triples=50_000, rdflib_runs=1, neo4j_nodes=1_000,
              neo4j_answer_sizes=((1_000, 10_000),), viz_nodes=500)


def _say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def _median(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- cli ----------------------------------------------------------------------------------------
def cli(sizes: Sizes) -> list[Row]:
    """Cold start: ``lisgraph --help`` against ``python -c "import typer"``; and ``show``."""
    from .cli import median_time

    here = Path(sys.executable).parent / "lisgraph"
    exe = str(here) if here.exists() else shutil.which("lisgraph")
    if exe is None:
        return [Row("cli", "lisgraph --help", None, note="skipped: lisgraph is not installed "
                    "(pip install -e .)")]
    runs = sizes.cli_runs
    typer_t = median_time([sys.executable, "-c", "import typer"], runs)
    help_t = median_time([exe, "--help"], runs)
    show_t = median_time([exe, "show", "Greater Manchester"], runs)
    dated_t = median_time([exe, "show", "Greater Manchester", "--as-of", "2019-12-31"], runs)
    lookup_t = median_time([exe, "lookup", "--as-of", "2018-12-31", "--format", "csv"], runs)
    note = f"median of {runs} after a warm-up"
    return [Row("cli", "`lisgraph --help`", help_t, baseline=typer_t,
                baseline_name='`python -c "import typer"`', goal="≤ 1.5×",
                met=help_t / typer_t <= 1.5, note=note),
            Row("cli", '`lisgraph show "Greater Manchester"` (loads and checks the bundled '
                "graph)", show_t, goal="≤ 1 s", met=show_t <= 1.0, note=note),
            Row("cli", '`lisgraph show "Greater Manchester" --as-of 2019-12-31` (through the '
                "dated view)", dated_t, goal="≤ 1 s", met=dated_t <= 1.0, note=note),
            Row("cli", "`lisgraph lookup --as-of 2018-12-31` (every district)", lookup_t,
                goal="≤ 1 s", met=lookup_t <= 1.0, note=note)]


# -- build --------------------------------------------------------------------------------------
def csv_floor(files: Iterable[Any]) -> tuple[float, int]:
    """(seconds, rows) to decode and csv.reader the files: what any CSV loader must pay."""
    start, rows = time.perf_counter(), 0
    for f in files:
        rows += sum(1 for _ in csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig"),
                                                      newline="")))
    return time.perf_counter() - start, rows


def _bundled_files() -> list[Any]:
    from lisgraph.assets import loaders_dir
    from lisgraph.ingest import bundled_manifests

    root = loaders_dir()
    return [root.joinpath(t.file) for m in bundled_manifests() for t in m.tables]


def growth_exponent(sizes: list[float], times: list[float]) -> float:
    """The slope of log(time) against log(size), by least squares.

    >>> round(growth_exponent([1e3, 1e4, 1e5], [0.01, 0.1, 1.0]), 2)
    1.0
    """
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
            / sum((x - mx) ** 2 for x in xs))


def build(sizes: Sizes) -> list[Row]:
    """``load_graph`` of the bundled graph, and of synthetic graphs written as lisgraph's own
    CSV tables, each against decoding and csv.reader-ing the same files."""
    from lisgraph import load_graph

    from .generator import graph_of_size
    from .tables import write_tables

    runs = sizes.runs
    g = load_graph()
    files = _bundled_files()
    floor = statistics.median(csv_floor(files)[0] for _ in range(max(runs, 3)))
    t = _median(load_graph, max(runs, 3))
    rows = [Row("build", f"`load_graph()`, bundled graph ({len(g.nodes):,} nodes, "
                f"{len(g.edges):,} edges)", t, baseline=floor,
                baseline_name="csv.reader over its files",
                note=f"median of {max(runs, 3)}; loads and checks the graph")]
    points = []
    with tempfile.TemporaryDirectory(prefix="lisgraph-bench-") as tmp:
        for n in sizes.build_nodes:
            _say(f"build: generating {n:,} nodes")
            g = graph_of_size(n)
            folder = Path(tmp, str(n))
            write_tables(g, folder)
            floor_t, n_rows = csv_floor(sorted(folder.glob("*.csv")))
            _say(f"build: loading {n:,} nodes")
            t = _median(lambda f=folder: load_graph([f], bundled=False), runs)
            points.append((len(g.nodes) + len(g.edges), t))
            rows.append(Row("build", f"`load_graph([folder], bundled=False)`, synthetic "
                            f"{len(g.nodes):,} nodes, {len(g.edges):,} edges ({n_rows:,} CSV "
                            "rows)", t, baseline=floor_t, baseline_name="csv.reader",
                            note=f"median of {runs}; {(len(g.nodes) + len(g.edges)) / t:,.0f} "
                            "nodes+edges/s"))
            del g
    k = growth_exponent(*zip(*points))
    rows.append(Row("build", f"growth of build time with size ({len(points)} synthetic sizes)",
                    k, unit="",
                    note="k in time ∝ (nodes + edges)^k, log-log least squares; 1 is linear"))
    return rows


# -- overlaps and opportunities -------------------------------------------------------------------
def analysis(sizes: Sizes) -> list[Row]:
    """opportunities (all pairs) and overlaps (one place) against naive networkx baselines."""
    from . import opportunities as opp
    from . import overlaps as ovl
    from .generator import synthetic_graph

    fast, naive, same = opp.same_pairs(sizes.check_bodies)
    same_rank = ovl.same_ranking(sizes.check_bodies)
    _say(f"analysis: generating {sizes.bodies:,} bodies")
    g = synthetic_graph(sizes.bodies)
    what = f"{sizes.bodies:,} LEP-like bodies ({len(g.nodes):,} nodes, {len(g.edges):,} edges)"
    _say("analysis: opportunities")
    m = opp.measure(g, max(sizes.runs, 1), sizes.sample_pairs)
    check = (f"same {fast:,} pairs as the baseline on {sizes.check_bodies} bodies" if same else
             f"DIFFERENT pairs on {sizes.check_bodies} bodies: sparse {fast}, naive {naive}")
    ratio = m["naive_s"] / m["sparse_s"]
    rows = [
        Row("analysis", f"`opportunities(top=100)`, {what}", m["sparse_s"], baseline=m["naive_s"],
            baseline_name="naive pairwise networkx", faster=True, goal="≥ 20× faster",
            met=ratio >= 20 and same,
            note=f"median of {max(sizes.runs, 1)}; baseline = setup {seconds(m['setup_s'])} "
                 f"+ {m['per_pair_us']:.2f} µs/pair × {m['pairs']:,} pairs, timed on "
                 f"{m['sampled']:,} sampled pairs; {check}"),
        Row("analysis", "peak Python memory of that `opportunities` run", m["peak_mb"], unit="MB",
            note="tracemalloc, a separate run"),
    ]
    _say("analysis: overlaps")
    o = ovl.measure(g, sizes.places)
    rows.append(Row(
        "analysis", "`overlaps(place)`, same graph", o["sparse_s"], baseline=o["naive_s"],
        baseline_name="naive networkx scan", faster=True, goal="≥ 20× faster",
        met=o["naive_s"] / o["sparse_s"] >= 20 and same_rank,
        note=f"median of {o['places']} places; both start from the KnowledgeGraph (the "
             f"baseline builds its networkx projection; its scan alone, over a projection "
             f"built beforehand, takes {seconds(o['scan_s'])}); "
             f"{'same ranking' if same_rank else 'DIFFERENT ranking'} on "
             f"{sizes.check_bodies} bodies"))
    return rows


# -- rdf ----------------------------------------------------------------------------------------
def rdf(sizes: Sizes) -> list[Row]:
    """lisgraph's Turtle export against rdflib's own Turtle serializer, same triples."""
    from .rdf import graph_for_triples, turtle_times

    _say(f"rdf: generating about {sizes.triples:,} triples")
    g = graph_for_triples(sizes.triples)
    _say("rdf: exporting")
    r = turtle_times(g, runs=sizes.runs, rdflib_runs=sizes.rdflib_runs)
    ours, theirs = r["ttl"], r["rdflib"]
    both = (theirs["build_s"] + theirs["s"]) / ours["s"]
    intact = ours["read_back"] == ours["triples"]
    return [Row("rdf", f"Turtle export, {ours['triples']:,} triples ({len(g.nodes):,} nodes, "
                f"{len(g.edges):,} edges)", ours["s"], baseline=theirs["s"],
                baseline_name="rdflib `Graph.serialize(format=\"turtle\")`", faster=True,
                goal="≥ 5× faster", met=ours["s"] * 5 <= theirs["s"] and intact,
                note=f"median of {sizes.runs} (rdflib: {sizes.rdflib_runs}); export end to end "
                     f"(triples from the graph, written atomically); {both:.1f}× counting "
                     f"rdflib building its graph; pyoxigraph reads back "
                     f"{ours['read_back']:,} triples")]


# -- neo4j --------------------------------------------------------------------------------------
NO_SERVER = "skipped: no Neo4j server (scripts/neo4j-server.sh start)"


def neo4j(sizes: Sizes) -> list[Row]:
    """lisgraph's batched push against one MERGE per row, when a server answers (it WIPES
    lisgraph's nodes there), through benchmarks/neo4j_push.py."""
    try:
        from lisgraph.neo4j.connection import Neo4jError, connect
        from lisgraph.neo4j.constraints import ensure_schema
        from lisgraph.neo4j.projection import project
        from lisgraph.neo4j.push import push_projection

        from .neo4j_push import measure
    except ImportError as exc:
        return [Row("neo4j", "push vs one MERGE per row", None, note=f"skipped: {exc}")]
    from lisgraph import load_graph
    from lisgraph.errors import LisgraphError

    from .generator import graph_of_size

    try:
        conn = connect(retry_seconds=5)
    except (Neo4jError, LisgraphError):
        return [Row("neo4j", "push vs one MERGE per row", None, goal="≥ 10× faster",
                    note=NO_SERVER)]
    from lisgraph.neo4j.backend import quiet_driver

    quiet_driver()  # retried deadlocks of the parallel writers are logged, not errors
    rows = []
    with conn:
        ensure_schema(conn)
        bundled = load_graph()
        push_projection(conn, project(bundled))  # warm the server's plan cache
        _say(f"neo4j: generating {sizes.neo4j_nodes:,} nodes")
        synthetic = graph_of_size(sizes.neo4j_nodes)
        for name, graph, sample in (("bundled", bundled, None), ("synthetic", synthetic, 3000)):
            _say(f"neo4j: pushing the {name} graph")
            m = measure(conn, name, graph, 5000, sample)
            rows.append(Row(
                "neo4j", f"push, {name} graph ({m['nodes']:,} nodes, {m['relationships']:,} "
                f"relationships)", m["push_s"], baseline=m["naive_s"],
                baseline_name="one MERGE per row", faster=True, goal="≥ 10× faster",
                met=m["ratio"] >= 10,
                note=f"one run; {m['push_rate']:,.0f} rows/s; baseline on "
                     f"{m['naive_measured_on']}; Neo4j {conn.server_version()}"))
        rows += neo4j_answers(conn, sizes)
    return rows


def neo4j_answers(conn: Any, sizes: Sizes) -> list[Row]:
    """At each size: push rate, overlaps/opportunities PLACE answered on the server (as CLI
    processes: time and client peak memory), the slices brokers/communities fetch, and
    neo4j-admin's import, through benchmarks/neo4j_answers.py."""
    from .neo4j_answers import measure

    rows = []
    for nodes, rels in sizes.neo4j_answer_sizes:
        _say(f"neo4j: {nodes:,} nodes / {rels:,} relationships, answered on the server")
        m = measure(conn, nodes, rels, sizes.runs)
        size = f"{m['nodes']:,} nodes / {m['relationships']:,} relationships"
        big = rels >= 1_000_000
        rows.append(Row("neo4j", f"push rate, synthetic {size}", m["push_rate"], unit="rows/s",
                        goal="≥ 30,000 rows/s", met=m["push_rate"] >= 30_000,
                        note=f"one run, {seconds(m['push_s'])} (projection, batches, removal "
                             "of stale records)"))
        for what, limit in (("overlaps", 2.0), ("opportunities", 5.0)):
            t, mb = m[f"{what}_s"], m[f"{what}_mb"]
            goal = f"≤ {limit:g} s" + (" and ≤ 250 MB" if what == "overlaps" else "")
            met = (t <= limit and (mb <= 250 or what != "overlaps")) if big else None
            rows.append(Row("neo4j", f"`{what} {m['place']} --backend neo4j`, {size}", t,
                            goal=goal if big else "", met=met,
                            note=f"median of {sizes.runs} CLI processes after a warm-up; client "
                                 f"peak {mb:.0f} MB"))
        for name, what in (("partner_slice", "brokers: partner network fetched"),
                           ("theme_slice", "communities: body x theme slice fetched")):
            s = m[name]
            rows.append(Row("neo4j", f"{what}, {size}", s["seconds"],
                            note=f"{s['nodes']:,} nodes, {s['relationships']:,} relationships"))
        if m["bulk"]:
            t, n = m["bulk"]
            rows.append(Row("neo4j", f"bulk: `neo4j-admin database import full`, {size}", t,
                            note=f"{n / t:,.0f} rows/s; one run; JVM start included"))
    return rows


# -- viz ----------------------------------------------------------------------------------------
def viz(sizes: Sizes) -> list[Row]:
    """The maps: page write, size and first drawing (the default page with areas and a
    synthetic view), and the force layout against networkx's (see benchmarks/viz.py)."""
    from .viz import rows

    _say(f"viz: bundled graph and {sizes.viz_nodes:,} synthetic nodes")
    return rows(sizes.runs, sizes.viz_nodes)


def evidence(sizes: Sizes) -> list[Row]:
    """Evidence load times, `show` with evidence, `strengths`, `--help` (benchmarks/evidence.py)."""
    from .evidence import figures

    return figures(max(1, min(sizes.cli_runs, 5)))


SECTIONS: dict[str, Callable[[Sizes], list[Row]]] = {
    "cli": cli, "build": build, "analysis": analysis, "rdf": rdf, "neo4j": neo4j, "viz": viz,
    "evidence": evidence}
