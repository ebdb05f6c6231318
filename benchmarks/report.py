"""The benchmark table: one row per figure, the machine it ran on, as text or Markdown."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["Row", "machine", "text_table", "markdown_table", "seconds"]

COLUMNS = ("section", "measurement", "median", "baseline", "ratio", "goal", "met", "note")


@dataclass
class Row:
    """One figure: ``value`` (None when skipped) in ``unit``, and where there is one, the
    ``baseline`` measured in the same run and the ratio between them.

    ``faster`` says which way the ratio goes: True for baseline / value ("66x faster"),
    False for value / baseline ("1.33x" the baseline's time)."""

    section: str
    measurement: str
    value: float | None
    unit: str = "s"
    baseline: float | None = None
    baseline_name: str = ""
    faster: bool = False
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or not self.value or not self.baseline:
            return None
        return self.baseline / self.value if self.faster else self.value / self.baseline

    def cells(self) -> list[str]:
        ratio = self.ratio
        base = ""
        if self.baseline is not None:
            base = _fmt(self.baseline, self.unit)
            base = f"{base} ({self.baseline_name})" if self.baseline_name else base
        return [
            self.section, self.measurement,
            "-" if self.value is None else _fmt(self.value, self.unit), base,
            "" if ratio is None else f"{ratio:.{2 if ratio < 10 else 0}f}×"
                                     + (" faster" if self.faster else ""),
            self.goal, {True: "yes", False: "NO", None: ""}[self.met], self.note,
        ]


def seconds(value: float) -> str:
    """Seconds with precision that suits their size.

    >>> seconds(0.06512), seconds(4.123), seconds(108.4)
    ('0.065 s', '4.12 s', '108 s')
    """
    if value < 1:
        return f"{value:.3f} s"
    return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return seconds(value)
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.2f}{(' ' + unit) if unit else ''}"


def machine() -> str:
    """CPU model, cores, memory, Python, OS, date and the checkout's commit, in one line."""
    cpu, mem = platform.processor() or platform.machine(), ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                   if line.startswith("model name"))
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        mem = f", {kb / 2**20:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    commit = ""
    try:
        here = Path(__file__).resolve().parent
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, text=True,
                             capture_output=True, timeout=5, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=here, text=True,
                               capture_output=True, timeout=5, check=False).stdout.strip()
        commit = f", commit {sha}{' with local changes' if dirty else ''}" if sha else ""
    except (OSError, subprocess.SubprocessError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; Python {sys.version.split()[0]} on "
            f"{platform.system()} {platform.release()}; {date.today().isoformat()}{commit}")


def text_table(rows: list[Row]) -> str:
    """Aligned plain-text columns (the note last, unpadded)."""
    cells = [list(COLUMNS)] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join(c[i].ljust(widths[i]) for i in range(len(widths))) + "  " + c[-1]
                     for c in cells).rstrip() + "\n"


def markdown_table(rows: list[Row], where: str, wall: float, command: str) -> str:
    """The same table in Markdown, with the machine and the run's total wall time."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [line(list(COLUMNS)), line(["---"] * len(COLUMNS))]
    out += [line(r.cells()) for r in rows]
    return ("\n".join(out) + f"\n\nMachine: {where}.  \n`{command}` took {seconds(wall)} in "
            "all (each figure is the median of the runs it names).\n")
