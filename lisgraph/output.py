"""Render rows and records as table, JSON, CSV or Markdown (data on stdout only)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render_rows", "render_json", "cell"]

FORMATS = ("table", "json", "csv", "md")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return value.get("name") or json.dumps(value, ensure_ascii=False)
    return str(value)


def render_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render a list of records with the given columns in one of :data:`FORMATS`.

    >>> print(render_rows([{"code": "E12000002", "name": "North West"}], ["code", "name"], "md"))
    | code | name |
    |---|---|
    | E12000002 | North West |
    <BLANKLINE>
    """
    if fmt == "json":
        return render_json(list(rows))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([cell(r.get(c)) for c in columns])
        return buf.getvalue()
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    if fmt == "md":
        esc = [[v.replace("|", "\\|") for v in row] for row in cells]
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(row) + " |" for row in esc]
        return "\n".join(lines) + "\n"
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 60) for w in widths]
    fit = lambda v, w: v if len(v) <= w else v[: w - 1] + "…"  # noqa: E731
    lines = ["  ".join(fit(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(fit(v, w).ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"
