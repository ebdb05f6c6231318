"""Neo4j at size: push rate, the questions answered on the server, the bulk importer.

Usage: python -m benchmarks.neo4j_answers [--sizes 20000:200000,100000:1000000] [--runs N]

Needs a server (scripts/neo4j-server.sh start; NEO4J_URI etc. as for `lisgraph neo4j`). WIPES
lisgraph's nodes on it. For each size (nodes:relationships) a seeded synthetic graph
(benchmarks/generator.py) is pushed (rows/s against the 30,000 target), then
``lisgraph overlaps PLACE --backend neo4j`` and ``lisgraph opportunities PLACE --backend
neo4j`` run as separate processes (wall time and the client's peak resident memory, as an
analyst sees them: start-up, connection, dataset check, the answer), the slices that brokers and
communities fetch are measured, and the graph's import files are loaded by
``neo4j-admin database import full`` into a scratch database in a temporary home (never the
server's).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["measure", "client_run", "bulk_import_seconds", "JARS"]

JARS = Path.home() / ".cache" / "lisgraph-neo4j" / os.environ.get("LISGRAPH_NEO4J_VERSION",
                                                                  "5.26.30") / "lib"


def _lisgraph() -> str:
    here = Path(sys.executable).parent / "lisgraph"
    return str(here) if here.exists() else (shutil.which("lisgraph") or "lisgraph")


_PEAK = ("import atexit, sys\n"
         "def peak():\n"
         "    for line in open('/proc/self/status'):\n"
         "        if line.startswith('VmHWM:'):\n"
         "            sys.stderr.write('\\nLISGRAPH_PEAK_KB ' + line.split()[1] + '\\n')\n"
         "atexit.register(peak)\n"
         "sys.argv = ['lisgraph'] + sys.argv[1:]\n"
         "from lisgraph.cli import main\n"
         "main()\n")


def client_run(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak resident MB, exit code) of one ``lisgraph ARGS`` process.

    The peak is the process's own high-water mark (``VmHWM``, read as it exits): a child's
    ``ru_maxrss`` would include the pages of this process it was forked from."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _PEAK, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    marks = [line for line in proc.stderr.splitlines() if line.startswith("LISGRAPH_PEAK_KB ")]
    peak = int(marks[-1].split()[1]) / 1024 if marks else float("nan")
    return seconds, peak, proc.returncode


def _median_run(args: list[str], runs: int) -> tuple[float, float]:
    client_run(args)  # warm: the server's plan cache, the OS's file cache
    results = [client_run(args) for _ in range(runs)]
    if any(code != 0 for _, _, code in results):
        raise RuntimeError(f"lisgraph {' '.join(args)} failed")
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def bulk_import_seconds(rows: Any) -> tuple[float, int] | None:
    """Seconds for neo4j-admin to import ``rows``' files into a scratch home; None without
    the jars or java."""
    from lisgraph.neo4j.bulk import write_import_files

    if not (JARS / ".complete").is_file() or shutil.which("java") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lisgraph-bulk-") as tmp:
        home = Path(tmp)
        (home / "conf").mkdir()
        (home / "conf" / "neo4j.conf").write_text("server.memory.pagecache.size=512m\n")
        files = home / "import"
        write_import_files(rows, files)
        start = time.perf_counter()
        subprocess.run(["java", "-Xmx1g", "-cp", f"{JARS}/*", "org.neo4j.cli.AdminTool",
                        "database", "import", "full", "@import.args", "neo4j"], cwd=files,
                       env=dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf")),
                       check=False, capture_output=True, text=True, timeout=3600)
        return time.perf_counter() - start, rows.node_count + rows.relationship_count + 1


def measure(conn: Any, nodes: int, relationships: int, runs: int = 3) -> dict[str, Any]:
    """Every figure for one size (see the module's docstring)."""
    from lisgraph.neo4j import network
    from lisgraph.neo4j.projection import project, project_in_stages
    from lisgraph.neo4j.push import push_projection, wipe

    from .generator import graph_of_size

    graph = graph_of_size(nodes, relationships)
    rows = project(graph)
    total = rows.node_count + rows.relationship_count
    wipe(conn)
    start = time.perf_counter()
    staged, pending = project_in_stages(graph)  # projection and digest inside the timing,
    push_projection(conn, staged, pending=pending)  # the relationships' during the node writes
    push_s = time.perf_counter() - start
    place = sorted(n.id for n in graph.nodes_of_type("combined_authority"))[0]
    out: dict[str, Any] = {"nodes": rows.node_count, "relationships": rows.relationship_count,
                           "push_s": push_s, "push_rate": total / push_s, "place": place}
    out["overlaps_s"], out["overlaps_mb"] = _median_run(["overlaps", place, "--backend", "neo4j"],
                                                        runs)
    out["opportunities_s"], out["opportunities_mb"] = _median_run(
        ["opportunities", place, "--backend", "neo4j"], runs)
    del graph
    network.partner_slice(conn)
    out["partner_slice"] = dict(network.LAST_SLICE)
    network.theme_slice(conn)
    out["theme_slice"] = dict(network.LAST_SLICE)
    out["bulk"] = bulk_import_seconds(rows)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="20000:200000,100000:1000000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from lisgraph.neo4j.backend import quiet_driver
    from lisgraph.neo4j.connection import Neo4jError, connect

    quiet_driver()
    try:
        conn = connect(retry_seconds=30)
    except Neo4jError as exc:
        sys.exit(f"Error: {exc}")
    with conn:
        print(f"Neo4j {conn.server_version()} at {conn.settings.where}", flush=True)
        for size in args.sizes.split(","):
            n, r = (int(x) for x in size.split(":"))
            m = measure(conn, n, r, args.runs)
            bulk = m["bulk"]
            print(f"{m['nodes']:,} nodes / {m['relationships']:,} relationships (PLACE {m['place']})")
            print(f"  push: {m['push_s']:.1f} s, {m['push_rate']:,.0f} rows/s (target 30,000)")
            print(f"  overlaps PLACE --backend neo4j: {m['overlaps_s']:.2f} s, "
                  f"{m['overlaps_mb']:.0f} MB client peak (goal <= 2 s, <= 250 MB)")
            print(f"  opportunities PLACE --backend neo4j: {m['opportunities_s']:.2f} s, "
                  f"{m['opportunities_mb']:.0f} MB client peak (goal <= 5 s)")
            for name in ("partner_slice", "theme_slice"):
                s = m[name]
                print(f"  {name}: {s['nodes']:,} nodes, {s['relationships']:,} relationships "
                      f"fetched in {s['seconds']:.2f} s")
            if bulk:
                print(f"  neo4j-admin import: {bulk[0]:.1f} s for {bulk[1]:,} rows "
                      f"({bulk[1] / bulk[0]:,.0f} rows/s)")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
