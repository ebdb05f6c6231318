"""Strict CSV reading: every problem becomes an InputError naming file, line and field."""

from __future__ import annotations

import csv
import difflib
import io
import logging
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from .errors import InputError
from .checks import FORBIDDEN, FREE_TEXT, bad_text, check_day, show

__all__ = [
    "Row",
    "file_problem",
    "label_of",
    "log",
    "parse_date",
    "read_bytes",
    "read_header",
    "read_rows",
    "read_text",
    "split_list",
]

#: warnings (e.g. a column that is not read) go to this logger: without logging set up,
#: Python prints them on stderr as one line each
log = logging.getLogger("lisgraph")


class Readable(Protocol):
    def read_bytes(self) -> bytes: ...


@dataclass(frozen=True)
class Row:
    """One data row: its values by column, and where it came from."""

    path: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def require(self, column: str, what: str = "a value") -> str:
        value = self.get(column)
        if not value:
            raise InputError(self.path, self.line, column, "is empty", f"fill in {what}")
        return value

    def date(self, column: str) -> date | None:
        return parse_date(self.get(column), self.path, self.line, column)

    def error(self, column: str | None, problem: str, fix: str) -> InputError:
        return InputError(self.path, self.line, column, problem, fix)


def label_of(path: object) -> str:
    """A path as it may appear in a one-line message (control characters escaped)."""
    text = str(path)
    if not text.isascii():  # a name that is not UTF-8 arrives with surrogates: show its bytes
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return show(text, 300)[1:-1] if FORBIDDEN.search(text) else text


def file_problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as a data file, without opening it (so a FIFO or a device
    never blocks): missing, a dangling or looping symbolic link, a folder, not a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return "is a symbolic link to nothing", "point the link at a file or remove it"
        return "no such file", "check the path"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "is a symbolic link loop", "point the link at a file"
        return f"cannot be read ({exc.strerror})", "check the path and its permissions"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file", "give a file here (a folder is read with --data DIR)"
    if not stat.S_ISREG(st.st_mode):
        what = "a named pipe" if stat.S_ISFIFO(st.st_mode) else (
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a socket")
        return f"is {what}, not a regular file", "save the data to a file and give that"
    return None


def read_bytes(source: Path | Readable, label: str | None = None) -> bytes:
    """The bytes of a file; a path is checked to be a regular file before it is opened."""
    label = label or label_of(source)
    if not isinstance(source, os.PathLike):
        return source.read_bytes()
    problem = file_problem(Path(source))
    if problem:
        raise InputError(label, None, None, *problem)
    try:  # O_NONBLOCK: should the file be swapped for a FIFO after the check, never wait
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(label, None, None, f"cannot be read ({exc.strerror})",
                         "check the file's permissions") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(label, None, None, "is not a regular file", "give a file")
        try:
            return f.read()
        except OSError as exc:
            raise InputError(label, None, None, f"cannot be read ({exc.strerror})",
                             "check the file") from None


def read_text(source: Path | Readable, label: str | None = None, what: str = "data rows") -> str:
    """Decode a file as UTF-8 (a UTF-8 byte-order mark is accepted and dropped)."""
    label = label or label_of(source)
    data = read_bytes(source, label)
    if not data.strip():
        raise InputError(label, None, None, "file is empty", f"add a header row and {what}")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(label, 1, None, "file is UTF-16", "save it as UTF-8 (CSV UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            label, line, None, f"byte 0x{data[exc.start]:02x} is not UTF-8",
            "save the file as UTF-8 (CSV UTF-8)",
        ) from None


def _reader(text: str) -> Iterator[list[str]]:
    # strict: a quote left open runs to the end of the file; that is an error, not a long cell
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def _csv_error(label: str, text: str, line: int, exc: csv.Error) -> InputError:
    if "unexpected end of data" in str(exc) or "new-line character seen" in str(exc):
        opened = _open_quote_line(text)
        if opened is not None:
            return InputError(label, opened, None, "a quote opened on this line is never closed",
                              "close the quote, or double a quote inside a quoted value (\"\")")
    return InputError(label, line, None, f"not valid CSV ({exc})",
                      "check quotes and separators on that line")


def _open_quote_line(text: str) -> int | None:
    """The line on which the quote still open at the end of ``text`` was opened."""
    line, opened, in_quote, field_start, i = 1, None, False, True, 0
    while i < len(text):
        c = text[i]
        if in_quote:
            if c == '"':
                if text[i + 1:i + 2] == '"':
                    i += 1
                else:
                    in_quote = False
        elif c == '"' and field_start:
            in_quote, opened = True, line
        if c == "\n" or (c == "\r" and text[i + 1:i + 2] != "\n"):
            line += 1
        field_start = not in_quote and c in ",\r\n"
        i += 1
    return opened if in_quote else None


def read_header(text: str, label: str) -> list[str]:
    """The first row of a decoded CSV file, stripped."""
    try:
        header = [h.strip() for h in next(_reader(text), [])]
    except csv.Error as exc:
        raise _csv_error(label, text, 1, exc) from None
    for h in header:
        bad = bad_text(h)
        if bad:
            raise InputError(label, 1, None, f"a column name {bad[0]}", bad[1])
    return header


def _warn_unknown(label: str, header: list[str], known: Sequence[str]) -> None:
    for column in header:
        if column in known:
            continue
        close = difflib.get_close_matches(column.lower(), known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
        name = f"column {show(column)}" if column else "an unnamed column"
        log.warning(f"Warning: {label}:1: {name} is not read — {hint}")


def read_rows(source: Path | Readable, required: Sequence[str], label: str | None = None,
              rename: dict[str, str] | None = None,
              optional: Sequence[str] | None = None) -> Iterator[Row]:
    """Yield the rows of a CSV file after checking its header has the required columns.

    ``rename`` maps canonical column names to the names used in the file (a manifest's
    column mapping). When ``optional`` is given, a column that is neither required nor
    optional is reported on the ``lisgraph`` logger, naming the closest known column.
    """
    label = label or label_of(source)
    text = read_text(source, label)
    header = read_header(text, label)
    reader = _reader(text)
    next(reader)
    to_canonical = {v: k for k, v in (rename or {}).items()}
    header = [to_canonical.get(h, h) for h in header]
    dupes = sorted({h for h in header if header.count(h) > 1 and h})
    if dupes:
        raise InputError(label, 1, dupes[0], "column appears twice", "keep one of them")
    for column in required:
        if column not in header:
            close = difflib.get_close_matches(column, header, n=1, cutoff=0.6)
            hint = f"; is '{close[0]}' meant to be it?" if close else ""
            raise InputError(
                label, 1, column, "missing column",
                f"add a '{column}' column (expected: {', '.join(required)}){hint}",
            )
    if optional is not None:
        _warn_unknown(label, header, [*required, *optional])
    rows, line = 0, 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(label, text, line + 1, exc) from None
        first, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(
                label, first, None, f"{len(values)} fields where the header has {len(header)}",
                "quote values that contain commas, and check for missing or extra separators",
            )
        for column, value in zip(header, values):
            bad = bad_text(value.strip(), column in FREE_TEXT)
            if bad:
                raise InputError(label, first, column or None, *bad)
        rows += 1
        yield Row(label, first, dict(zip(header, values)))
    if rows == 0:
        raise InputError(label, None, None, "file has a header but no data rows", "add data rows")


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_date(text: str, path: str, line: int | None, column: str) -> date | None:
    """``YYYY-MM-DD`` in ASCII digits, a real day between 1800 and 2100; empty is ``None``."""
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise InputError(path, line, column, f"{show(text)} is not a date", "write it as YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(path, line, column, f"{show(text)} is not a real date",
                         "write a valid YYYY-MM-DD date") from None
    bad = check_day(day)
    if bad:
        raise InputError(path, line, column, *bad)
    return day


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]
