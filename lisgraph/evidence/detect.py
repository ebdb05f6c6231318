"""Recognise evidence files among the user's ``--data`` paths (stdlib only, no pandas), so
the graph loader leaves them to :mod:`lisgraph.evidence.loaders`."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["ESS_HEADER", "RGVA_TIDY_HEADER", "evidence_kind", "is_evidence_file",
           "evidence_files"]

#: ONS Explore Local Statistics tidy layout (the columns lisgraph needs)
ESS_HEADER = ("areacd", "indicator", "period", "observation")
#: the tidy GVA by industry layout (as repackaged from the ONS workbooks)
RGVA_TIDY_HEADER = ("LADCD", "SIC07", "year", "gva_current_prices_gbp_m")


def _regular(path: Path) -> bool:
    """A regular file (following links): never open a named pipe or a device, which would
    block or never end (the graph loader refuses those with one line)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _first_line(path: Path) -> str:
    if not _regular(path):
        return ""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", errors="replace") as f:  # type: ignore[operator]
            return f.readline(4096).strip()
    except (OSError, EOFError, zlib.error):  # a broken .gz is the loader's to refuse
        return ""


def evidence_kind(path: Path) -> str | None:
    """``ess``, ``ess-metadata``, ``rgva-tidy``, ``rgva-workbook`` or None (not evidence)."""
    name = path.name.lower()
    if not _regular(path):
        return None
    if name.endswith(".xlsx"):
        return "rgva-workbook"
    if name.endswith(".json"):
        return "ess-metadata" if path.with_suffix(".csv").exists() else None
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        return None
    if not path.is_file():  # a FIFO or device is never opened here (the loaders refuse it)
        return None
    header = [c.strip().strip('"') for c in _first_line(path).split(",")]
    if set(ESS_HEADER) <= set(header):
        return "ess"
    if set(RGVA_TIDY_HEADER) <= set(header):
        return "rgva-tidy"
    return None


def is_evidence_file(path: Path) -> bool:
    return evidence_kind(Path(path)) is not None


def evidence_files(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """(kind, path) for every evidence file in ``paths`` (files or folders), sorted."""
    out = []
    for p in map(Path, paths):
        candidates = sorted(q for q in p.rglob("*") if _regular(q)) if p.is_dir() else [p]
        for q in candidates:
            kind = evidence_kind(q)
            if kind and kind != "ess-metadata":
                out.append((kind, q))
    return out
