"""Maps: time to write the page, and to its first drawing in headless Chromium.

Usage: python -m benchmarks.viz [--runs N] [--nodes N]
For the bundled graph (geo and force layouts) and a synthetic graph of N nodes (default
5,000; geo layout, drawn lean), prints the median over N runs (after one warm-up) of:
building the network and writing the page; and, in Chromium with the network off, the time
from navigation start to vis.js' first 'afterDrawing' (read in the page), plus the wall time
seen from Python. Goal: under 5 s to render the 5k-node graph. Needs chromium and
chromedriver (.ci/install-chromium.sh) for the render figures; without them only write times
are printed.
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
           "browser_available", "EDGES_PER_NODE"]

#: links per node of the synthetic map: as dense as the graph this benchmark used before
#: (5,000 nodes, 13,958 links: districts in a region and a LEP, neighbours, providers)
EDGES_PER_NODE = 2.8
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
    if not driver:
        print("render times need chromium and chromedriver: run .ci/install-chromium.sh")


if __name__ == "__main__":
    main()
