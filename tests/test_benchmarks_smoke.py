"""`python -m benchmarks --quick` runs end to end and gives a table of numeric figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECONDS = re.compile(r"^\d+(\.\d+)? s$")


def _markdown_rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split(" | ")]
    return [dict(zip(header, (c.strip() for c in line.strip("|").split(" | ")))) for line in
            lines[2:]]


@pytest.mark.slow
def test_quick_cli_and_build_give_numeric_figures(tmp_path):
    out = tmp_path / "bench.md"
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "cli,build",
                          "--markdown", str(out)], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    rows = _markdown_rows(out.read_text(encoding="utf-8"))
    assert {r["section"] for r in rows} == {"cli", "build"}
    by_name = {r["measurement"]: r for r in rows}
    cold = by_name["`lisgraph --help`"]
    assert SECONDS.match(cold["median"]) and SECONDS.match(cold["baseline"].split(" (")[0])
    assert re.match(r"^\d+(\.\d+)?×$", cold["ratio"]) and cold["goal"] == "≤ 1.5×"
    builds = [r for r in rows if r["measurement"].startswith("`load_graph")]
    assert len(builds) == 4  # the bundled graph and three synthetic sizes
    assert all(SECONDS.match(r["median"]) and r["ratio"].endswith("×") for r in builds)
    growth = next(r for r in rows if r["measurement"].startswith("growth"))
    float(growth["median"])  # the fitted exponent is a number
    assert "`lisgraph --help`" in run.stdout and "Machine:" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_unknown_section_is_a_usage_error():
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "cli,nosuch"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2 and "unknown section nosuch" in run.stderr
