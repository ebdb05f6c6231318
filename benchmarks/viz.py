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
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--window-size=1280,900"]


def synthetic_graph(n: int, seed: int = 1) -> KnowledgeGraph:
    """About ``n`` nodes shaped like the real graph: 9 regions, 40 LEPs, districts at random
    points in England's bounding box (each part of a region and a LEP, neighbouring its two
    nearest), and one university for every ten districts."""
    from scipy.spatial import cKDTree

    rng = random.Random(seed)
    g = KnowledgeGraph()
    g.add_source(Source("synthetic", "lisgraph", "Synthetic benchmark graph", "", "2024", "CC0"))
    s = ("synthetic",)
    regions = [f"E120000{i:02d}" for i in range(1, 10)]
    leps = [f"E370000{i:02d}" for i in range(1, 41)]
    for r in regions:
        g.add_node(Node(r, "region", f"Region {r[-2:]}", s))
    for code in leps:
        g.add_node(Node(code, "lep", f"LEP {code[-2:]}", s,
                        {"lat": rng.uniform(50.5, 55.0), "lon": rng.uniform(-4.0, 1.0)}))
    n_districts = max(2, round((n - len(regions) - len(leps)) / 1.1))
    points = [(rng.uniform(50.2, 55.6), rng.uniform(-5.2, 1.7)) for _ in range(n_districts)]
    districts = [f"E06{i:06d}" for i in range(n_districts)]
    for code, (lat, lon) in zip(districts, points, strict=True):
        g.add_node(Node(code, "district", f"District {code[-6:]}", s, {"lat": lat, "lon": lon}))
        g.add_edge(Edge(code, "part_of", rng.choice(regions), s))
        g.add_edge(Edge(code, "part_of", rng.choice(leps), s, date(2021, 4, 1)))
    _, nearest = cKDTree(points).query(points, k=3)
    for i, row in enumerate(nearest):
        for j in row[1:]:
            if i < j:
                g.add_edge(Edge(districts[i], "neighbours", districts[j], s))
    for i in range(n - len(g.nodes)):
        ukprn = f"1{i:07d}"
        g.add_node(Node(ukprn, "provider", f"University {i}", s))
        g.add_edge(Edge(ukprn, "located_in", rng.choice(districts), s))
    return g


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


def _cell(value: float | None, width: int) -> str:
    return f"{value:{width}.2f}" if value is not None else "-".rjust(width)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nodes", type=int, default=5000)
    args = ap.parse_args()
    from lisgraph import load_graph
    from lisgraph.viz import build_network, write_map

    bundled = load_graph()
    synthetic = synthetic_graph(args.nodes)
    cases = [("bundled graph, geo", bundled, "geo"), ("bundled graph, force", bundled, "force"),
             (f"synthetic {len(synthetic.nodes)} nodes, geo", synthetic, "geo")]
    browser = bool(shutil.which("chromedriver") and shutil.which("chromium"))
    print(f"{'map':34} {'nodes':>6} {'links':>6} {'MB':>5} {'write s':>8} {'render s':>9} "
          f"{'wall s':>7}")
    with tempfile.TemporaryDirectory(prefix="lisgraph-bench-") as tmp, ExitStack() as stack:
        out = Path(tmp)
        driver = stack.enter_context(chromium(out / "profile")) if browser else None
        for i, (name, graph, layout) in enumerate(cases):
            page = out / f"map{i}.html"

            def write(graph=graph, layout=layout, page=page):
                net = build_network(graph, layout=layout)
                write_map(net, page)
                return net

            t_write, net = median_time(write, args.runs)
            render, wall = render_times(driver, page, args.runs) if driver else (None, None)
            print(f"{name:34} {net.num_nodes():6d} {net.num_edges():6d} "
                  f"{page.stat().st_size / 1e6:5.1f} {t_write:8.2f} {_cell(render, 9)} "
                  f"{_cell(wall, 7)}")
    print(f"(median of {args.runs} runs; render = navigation start to vis.js' first drawing, "
          f"read in the page; Python {sys.version.split()[0]})")
    if not driver:
        print("render times need chromium and chromedriver: run .ci/install-chromium.sh")


if __name__ == "__main__":
    main()
