"""CLI start-up and `show` end to end, against `python -c "import typer"`, in one run.

Usage: python -m benchmarks.cli [--runs N]
Prints the median wall time of each command over N runs (after one warm-up) and the ratios
against the goals of issue 2: `lisgraph --help` <= 1.5x `import typer`; `show` <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def median_time(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of CMD over RUNS runs after one warm-up (ENV: extra variables)."""
    env = {**os.environ, **env} if env else None
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    runs = ap.parse_args().runs
    exe = shutil.which("lisgraph") or sys.exit("lisgraph is not installed: pip install -e .")
    typer_t = median_time([sys.executable, "-c", "import typer"], runs)
    help_t = median_time([exe, "--help"], runs)
    show_t = median_time([exe, "show", "Greater Manchester"], runs)
    info_t = median_time([exe, "info"], runs)
    rows = [
        ('python -c "import typer" (baseline)', typer_t, "1.00", ""),
        ("lisgraph --help", help_t, f"{help_t / typer_t:.2f}", "<= 1.5x baseline"),
        ('lisgraph show "Greater Manchester"', show_t, "", "<= 1.0 s"),
        ("lisgraph info", info_t, "", ""),
    ]
    print(f"{'measurement':40} {'median s':>9} {'ratio':>7}  goal")
    for name, t, ratio, goal in rows:
        print(f"{name:40} {t:9.3f} {ratio:>7}  {goal}")
    print(f"({runs} runs each, median; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
