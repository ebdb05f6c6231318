"""Maps: time to write the page, its size, and its first drawing in headless Chromium.

Usage: python -m benchmarks.viz [--runs N] [--nodes N]
For the bundled graph (the default page of `lisgraph viz --out FILE`: geo layout with
district areas; and the force layout) and a synthetic graph of N nodes (default 5,000; geo
layout, drawn lean), prints the median over N runs (after one warm-up) of: building the
network and writing the page; and, in Chromium with the network off, the time from
navigation start to vis.js' first 'afterDrawing' (read in the page), plus the wall time
seen from Python. Then the force layout's two candidates on the bundled graph: the
hand-written numpy Fruchterman–Reingold and networkx's spring_layout (same start, seed and
iterations). Goals: the default page with areas at most 4 MB and drawn within 2 s; the
5k-node graph under 5 s. Needs chromium and chromedriver (.ci/install-chromium.sh) for the
render figures; without them only write times are printed. `python -m benchmarks` runs the
same figures through :func:`rows`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from lisgraph.graph import KnowledgeGraph

from .generator import graph_of_size

__all__ = ["map_graph", "median_time", "chromium", "render_times", "map_times",
           "browser_available", "layout_times", "rows", "EDGES_PER_NODE", "PAGE_MB", "FIRST_DRAW_S",
           "SYNTHETIC_S"]

#: links per node of the synthetic map: as dense as the graph this benchmark used before
#: (5,000 nodes, 13,958 links: districts in a region and a LEP, neighbours, providers)
EDGES_PER_NODE = 2.8
#: budgets (issue 15): the default whole-graph page with areas, and the 5k-node view
PAGE_MB, FIRST_DRAW_S, SYNTHETIC_S = 4.0, 2.0, 5.0
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--window-size=1280,900"]


def map_graph(n: int, seed: int = 1) -> KnowledgeGraph:
    """About ``n`` nodes from benchmarks/generator.py, with ``EDGES_PER_NODE`` links per node."""
    return graph_of_size(n, edges=round(EDGES_PER_NODE * n), seed=seed)


def median_time(action, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Headless Chromium with a fresh profile in ``profile`` and the network off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        yield driver
    finally:
        driver.quit()


def render_times(driver, page: Path, runs: int, timeout: float = 60.0) -> tuple[float, float]:
    """Median (in-page seconds to first drawing, wall seconds) over ``runs`` loads, after one
    warm-up load."""
    in_page, wall = [], []
    for _ in range(runs + 1):
        driver.get("about:blank")
        start = time.perf_counter()
        driver.get(page.resolve().as_uri())
        while True:
            drawn = driver.execute_script("return document.body.getAttribute('data-rendered')")
            if drawn or time.perf_counter() - start > timeout:
                break
            time.sleep(0.01)
        wall.append(time.perf_counter() - start)
        in_page.append(float(drawn) / 1000 if drawn else float("nan"))
    return statistics.median(in_page[1:]), statistics.median(wall[1:])


def browser_available() -> bool:
    return bool(shutil.which("chromedriver") and shutil.which("chromium"))


def map_times(graph: KnowledgeGraph, layout: str, page: Path, runs: int,
              driver: Any | None) -> tuple[float, float | None, float | None, Any]:
    """(median seconds to build the network and write the page, median in-page seconds to
    the first drawing, median wall seconds to it, the network); render times are None
    without a browser."""
    from lisgraph.viz import build_network, write_map

    def write() -> Any:
        net = build_network(graph, layout=layout)
        write_map(net, page)
        return net

    t_write, net = median_time(write, runs)
    render, wall = render_times(driver, page, runs) if driver else (None, None)
    return t_write, render, wall, net


def spring_positions(graph: KnowledgeGraph, view: Any, iterations: int = 80,
                     seed: int = 7) -> dict[str, tuple[float, float]]:
    """networkx's spring_layout from the same start as lisgraph's force layout (the
    candidate it was measured against)."""
    import networkx as nx

    from lisgraph.viz.layout import geo_positions

    start = geo_positions(graph, view)
    g = nx.Graph()
    g.add_nodes_from(view.nodes)
    g.add_edges_from((e.start, e.end) for e in view.edges if e.start != e.end)
    xs, ys = [p[0] for p in start.values()], [p[1] for p in start.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    initial = {n: ((p[0] - min(xs)) / span, (p[1] - min(ys)) / span) for n, p in start.items()}
    found = nx.spring_layout(g, pos=initial, iterations=iterations, seed=seed)
    return {n: (float(p[0]), float(p[1])) for n, p in found.items()}


def layout_times(graph: KnowledgeGraph, runs: int) -> tuple[float, float, int]:
    """(median seconds of lisgraph's force layout, of networkx's spring_layout, nodes)."""
    from lisgraph.viz.layout import force_positions
    from lisgraph.viz.selection import select

    view = select(graph)
    own, _ = median_time(lambda: force_positions(graph, view), runs)
    nx_time, _ = median_time(lambda: spring_positions(graph, view), runs)
    return own, nx_time, len(view.nodes)


def rows(runs: int = 3, nodes: int = 5000) -> list[Any]:
    """The figures as rows of `python -m benchmarks`' table (benchmarks/report.py)."""
    from lisgraph import load_graph

    from .report import Row

    bundled = load_graph()
    synthetic = map_graph(nodes)
    out: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="lisgraph-bench-") as tmp, ExitStack() as stack:
        driver = (stack.enter_context(chromium(Path(tmp) / "profile"))
                  if browser_available() else None)
        for name, graph, goal in (("default whole-graph page with areas", bundled, FIRST_DRAW_S),
                                  ("synthetic graph", synthetic,
                                   SYNTHETIC_S)):
            page = Path(tmp) / "map.html"
            write, render, wall, net = map_times(graph, "geo", page, runs, driver)
            size = page.stat().st_size / 1e6
            what = f"{name}, {net.num_nodes():,} nodes, {net.num_edges():,} links, geo layout"
            out.append(Row("viz", f"page write (`build_network` + `write_map`), {what}", write,
                           goal="< 5 s", met=write < 5, note=f"median of {runs}"))
            if graph is bundled:
                out.append(Row("viz", f"page size, {what}", size, unit="MB file",
                               goal=f"≤ {PAGE_MB:g} MB", met=size <= PAGE_MB))
            out.append(Row("viz", f"first drawing in headless Chromium, {what}", render,
                           goal=f"≤ {goal:g} s", met=None if render is None else render <= goal,
                           note="skipped: no chromium/chromedriver" if render is None else
                           f"median of {runs} after a warm-up; navigation start to the first "
                           f"drawing, read in the page (wall from Python {wall:.2f} s)"))
    own, nx_time, n = layout_times(bundled, runs)
    out.append(Row("viz", f"force layout, bundled graph ({n} nodes): hand-written numpy "
                   "Fruchterman–Reingold", own, baseline=nx_time,
                   baseline_name="networkx spring_layout", faster=True,
                   note="same start, seed and 80 iterations; why the map keeps its own"))
    return out


def _cell(value: float | None, width: int) -> str:
    return f"{value:{width}.2f}" if value is not None else "-".rjust(width)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nodes", type=int, default=5000)
    args = ap.parse_args()
    from lisgraph import load_graph

    bundled = load_graph()
    synthetic = map_graph(args.nodes)
    cases = [("bundled graph, geo", bundled, "geo"), ("bundled graph, force", bundled, "force"),
             (f"synthetic {len(synthetic.nodes)} nodes, geo", synthetic, "geo")]
    browser = browser_available()
    print(f"{'map':34} {'nodes':>6} {'links':>6} {'MB':>5} {'write s':>8} {'render s':>9} "
          f"{'wall s':>7}")
    with tempfile.TemporaryDirectory(prefix="lisgraph-bench-") as tmp, ExitStack() as stack:
        out = Path(tmp)
        driver = stack.enter_context(chromium(out / "profile")) if browser else None
        for i, (name, graph, layout) in enumerate(cases):
            page = out / f"map{i}.html"
            t_write, render, wall, net = map_times(graph, layout, page, args.runs, driver)
            print(f"{name:34} {net.num_nodes():6d} {net.num_edges():6d} "
                  f"{page.stat().st_size / 1e6:5.1f} {t_write:8.2f} {_cell(render, 9)} "
                  f"{_cell(wall, 7)}")
    print(f"(median of {args.runs} runs; render = navigation start to vis.js' first drawing, "
          f"read in the page; Python {sys.version.split()[0]})")
    own, nx_time, n = layout_times(bundled, args.runs)
    print(f"force layout, bundled graph ({n} nodes): hand-written numpy {own:.2f} s, "
          f"networkx spring_layout {nx_time:.2f} s ({nx_time / own:.1f}x)")
    if not driver:
        print("render times need chromium and chromedriver: run .ci/install-chromium.sh")


if __name__ == "__main__":
    main()
