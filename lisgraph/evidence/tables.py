"""Reading an evidence CSV strictly: the same file rules as the graph's CSV loader (a regular
file, not empty, UTF-8, every quote closed, every row as wide as the header, no invisible
characters, no huge cells), at the speed a 460,000-row national table needs (the csv module
parses, pandas checks whole columns). Errors are :class:`EvidenceError` lines naming the file,
line and field, and what to do.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..checks import FORBIDDEN, GSS, MAX_CELL, parse_number, show
from ..csvtable import _open_quote_line, label_of, read_bytes, read_text
from ..errors import InputError
from .observations import EvidenceError

__all__ = ["read_csv_table", "fail", "check_codes", "check_numbers", "check_years",
           "MAX_GZIP"]

#: the largest decompressed size of a ``.csv.gz`` (the national tidy table is 20 MB)
MAX_GZIP = 500_000_000
_LOWER_GSS = re.compile(r"[a-z][0-9]{8}", re.ASCII)
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
#: an ITL region code (``TLC``, ``TLC3``, ``TLC31``), which ONS uses beside GSS codes
ITL = re.compile(r"TL[A-Z]([0-9][0-9A-Z]{0,2})?", re.ASCII)


def fail(label: str, line: int | str | None, field: str | None, problem: str,
         fix: str) -> EvidenceError:
    """One line: ``file: line N: field 'f': problem — fix`` (``line`` may be a cell name)."""
    where = "" if line is None else (f" line {line}:" if isinstance(line, int) else f" {line}:")
    what = f" field '{field}':" if field else ""
    return EvidenceError(f"{label}:{where}{what} {problem} — {fix}")


class _Decompressed:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read_bytes(self) -> bytes:
        return self.data


def _text(path: Path, label: str) -> str:
    try:
        if not path.name.lower().endswith(".gz"):
            return read_text(path, label)
        raw = read_bytes(path, label)
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as z:
                data = z.read(MAX_GZIP + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise fail(label, None, None, f"is not a readable gzip file ({exc})",
                       "give the .csv.gz as downloaded, or the unpacked .csv") from None
        if len(data) > MAX_GZIP:
            raise fail(label, None, None, f"unpacks to more than {MAX_GZIP:,} bytes",
                       "give the unpacked .csv") from None
        return read_text(_Decompressed(data), label)  # type: ignore[arg-type]
    except InputError as exc:  # the graph loader's file rules, as an evidence error
        raise EvidenceError(str(exc)) from None


def read_csv_table(path: Path, required: Sequence[str], known: Sequence[str],
                   what: str) -> Any:
    """A CSV file as a DataFrame of stripped text, with a ``_line`` column (the line each row
    starts on); ``what`` names the layout in messages ("an Explore Local Statistics file").

    Refused with one line: anything the graph loader refuses about the file itself, a missing
    or repeated column, a row with more or fewer fields than the header, a value over
    :data:`~lisgraph.checks.MAX_CELL` characters or holding a control or bidi character, and a
    file with no data rows.
    """
    import pandas as pd

    label = label_of(path)
    text = _text(path, label)
    bad = FORBIDDEN.search(text.replace("\r", "").replace("\n", ""))
    if bad:  # the line it is on (line breaks are allowed only between rows)
        at = text.find(bad.group(0))
        line = text.count("\n", 0, at) + 1
        raise fail(label, line, None, f"holds the invisible character U+{ord(bad.group(0)):04X}",
                   "remove it (retype the value as plain text)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    line = 1
    try:
        for values in reader:
            first, line = line, reader.line_num + 1
            if any(v.strip() for v in values):
                rows.append(values)
                lines.append(first)
    except csv.Error as exc:
        opened = _open_quote_line(text)
        if opened is not None:
            raise fail(label, opened, None, "a quote opened on this line is never closed",
                       "close the quote, or double a quote inside a quoted value") from None
        if "field larger than field limit" in str(exc):
            raise fail(label, line, None, f"a value is over {csv.field_size_limit():,} "
                       f"characters (at most {MAX_CELL})", "shorten the value; is a quote "
                       "missing on an earlier line?") from None
        raise fail(label, line, None, f"not valid CSV ({exc})",
                   "check quotes and separators on that line") from None
    if not rows:
        raise fail(label, None, None, "file is empty", f"give {what}")
    header = [h.strip() for h in rows[0]]
    if max(map(len, header)) > MAX_CELL:
        raise fail(label, lines[0], None, f"a column name is over {MAX_CELL} characters",
                   "is this a CSV file with a header row?")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise fail(label, lines[0], dupes[0], "column appears twice", "keep one of them")
    for column in required:
        if column not in header:
            close = difflib.get_close_matches(column, header, n=1, cutoff=0.6)
            hint = f"; is {show(close[0])} meant to be it?" if close else ""
            raise fail(label, lines[0], None, f"column '{column}' is missing",
                       f"{what} has {', '.join(required)}{hint}")
    for values, at in zip(rows[1:], lines[1:]):
        if len(values) != len(header):
            raise fail(label, at, None, f"{len(values)} fields where the header has "
                       f"{len(header)}", "quote values that contain commas, and check for "
                       "missing or extra separators")
        if max(map(len, values)) > MAX_CELL:  # every column, read or not
            column = header[max(range(len(values)), key=lambda i: len(values[i]))]
            raise fail(label, at, column or None, f"a value is {max(map(len, values)):,} "
                       f"characters long (at most {MAX_CELL})",
                       "shorten the value; is a quote missing on an earlier line?")
    if len(rows) == 1:
        raise fail(label, None, None, "file has a header but no data rows", f"give {what}")
    keep = [i for i, h in enumerate(header) if h in known]
    frame = pd.DataFrame([[r[i].strip() for i in keep] for r in rows[1:]],
                         columns=[header[i] for i in keep])
    frame["_line"] = lines[1:]
    return frame


def _first(frame: Any, mask: Any) -> tuple[int, str, Any]:
    i = int(mask.to_numpy().nonzero()[0][0])
    return int(frame["_line"].iloc[i]), i, frame.iloc[i]


def check_codes(frame: Any, column: str, label: str, itl: bool = False) -> None:
    """Every value of ``column`` is a GSS code in ASCII capitals (``E08000039``), or with
    ``itl`` an ITL code (``TLC3``)."""
    codes = frame[column]
    ok = codes.map(lambda c: GSS.fullmatch(c) is not None
                   or (itl and ITL.fullmatch(c) is not None))
    if ok.all():
        return
    line, i, _ = _first(frame, ~ok)
    code = codes.iloc[i]
    fix = (f"write it in capitals ({code.upper()})" if _LOWER_GSS.fullmatch(code) else
           "write the area's 9-character GSS code (a capital letter and 8 ASCII digits)"
           + (" or its ITL code" if itl else ""))
    raise fail(label, line, column, f"{show(code)} is not a GSS code"
               + (" or an ITL code" if itl else ""), fix)


def check_numbers(frame: Any, column: str, label: str) -> Any:
    """``column`` as floats (NaN where empty): ASCII decimal numbers, finite, nothing else."""
    import pandas as pd

    text = frame[column]
    values = {v: parse_number(v) for v in text.unique() if v}
    bad = [v for v, x in values.items() if x is None]
    if bad:
        line, _, _ = _first(frame, text == bad[0])
        raise fail(label, line, column, f"{show(bad[0])} is not a number",
                   "write a decimal number (ASCII digits, '.' for the decimal point); leave a "
                   "suppressed cell empty and mark it in 'status'")
    return pd.to_numeric(text.map(lambda v: values.get(v) if v else None), errors="coerce")


def check_years(frame: Any, column: str, label: str) -> Any:
    """``column`` as ints: four ASCII digits, 1800-2100."""
    years = frame[column]
    ok = years.map(lambda y: _YEAR.fullmatch(y) is not None and 1800 <= int(y) <= 2100)
    if not ok.all():
        line, i, _ = _first(frame, ~ok)
        raise fail(label, line, column, f"{show(years.iloc[i])} is not a year",
                   "write the year as four digits (e.g. 2021)")
    return years.astype(int)
