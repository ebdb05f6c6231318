"""Strict CSV reading: every problem becomes an InputError naming file, line and field."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from .errors import InputError

__all__ = ["Row", "read_rows", "read_text", "read_header", "parse_date", "split_list"]


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


def read_text(source: Path | Readable, label: str | None = None) -> str:
    """Decode a file as UTF-8 (a UTF-8 byte-order mark is accepted and dropped)."""
    label = label or str(source)
    data = source.read_bytes()
    if not data.strip():
        raise InputError(label, None, None, "file is empty", "add a header row and data rows")
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


def read_header(text: str, label: str) -> list[str]:
    """The first row of a decoded CSV file, stripped."""
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error as exc:
        raise InputError(label, 1, None, f"not valid CSV ({exc})",
                         "save it as CSV with one header row") from None


def read_rows(source: Path | Readable, required: Sequence[str], label: str | None = None,
              rename: dict[str, str] | None = None) -> Iterator[Row]:
    """Yield the rows of a CSV file after checking its header has the required columns.

    ``rename`` maps canonical column names to the names used in the file (a manifest's
    column mapping).
    """
    label = label or str(source)
    text = read_text(source, label)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(label, None, None, "file is empty", "add a header row") from None
    except csv.Error as exc:
        raise InputError(label, 1, None, f"not valid CSV ({exc})",
                         "save it as CSV with one header row") from None
    to_canonical = {v: k for k, v in (rename or {}).items()}
    header = [to_canonical.get(h, h) for h in header]
    dupes = sorted({h for h in header if header.count(h) > 1 and h})
    if dupes:
        raise InputError(label, 1, dupes[0], "column appears twice", "keep one of them")
    for column in required:
        if column not in header:
            raise InputError(
                label, 1, column, "missing column",
                f"add a '{column}' column (expected: {', '.join(required)})",
            )
    rows = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(label, reader.line_num, None, f"not valid CSV ({exc})",
                             "check quotes and line endings on that line") from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(
                label, line, None, f"{len(values)} fields where the header has {len(header)}",
                "quote values that contain commas, and check for missing or extra separators",
            )
        rows += 1
        yield Row(label, line, dict(zip(header, values)))
    if rows == 0:
        raise InputError(label, None, None, "file has a header but no data rows", "add data rows")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, path: str, line: int, column: str) -> date | None:
    if not text:
        return None
    if not _DATE.match(text):
        raise InputError(path, line, column, f"'{text}' is not a date", "write it as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(path, line, column, f"'{text}' is not a real date",
                         "write a valid YYYY-MM-DD date") from None


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]
