"""Render rows and records as table, JSON, CSV or Markdown (data on stdout only), safely.

Listing output is read by people, terminals and spreadsheets, so (issue 17):

- a string cell a spreadsheet would run as a formula (leading ``= + - @``, tab or carriage
  return) gets a leading ``'`` in table, CSV and Markdown output; numbers, including
  negative longitudes, and numeric text such as ``-1.25`` are left exact;
- table and Markdown output drop control characters (terminal escape sequences) and Unicode
  bidirectional controls (text that reorders what is shown), and Markdown escapes HTML;
- JSON is left exact (it escapes control characters itself); so are data exports such as the
  neo4j-admin CSV, which are written by :mod:`lisgraph.rdf.export`, not here.

Text that is not valid Unicode (bytes of a non-UTF-8 file name, carried as lone surrogates)
is shown as ``\\xNN`` (:func:`utf8_safe`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render_rows", "render_json", "csv_line", "cell", "spreadsheet_safe",
           "display_safe", "markdown_text", "terminal_safe", "utf8_safe", "iri_utf8_safe"]

FORMATS = ("table", "json", "csv", "md")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: C0 and C1 control characters, DEL, and the Unicode bidirectional controls
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f"  # C0, DEL, C1
                     "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # bidi controls
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEEDS_QUOTES = re.compile('[",\r\n]')


def _escaped_byte(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def _json_escaped_byte(m: re.Match[str]) -> str:
    escaped = _escaped_byte(m)
    return "\\" + escaped if escaped.startswith("\\") else escaped


def utf8_safe(text: str) -> str:
    """``text`` as valid Unicode: bytes that did not decode (lone surrogates, as Python keeps
    a non-UTF-8 file name) become ``\\xNN``; other lone surrogates become U+FFFD.

    >>> utf8_safe("LAD18\\udcff.csv")
    'LAD18\\\\xff.csv'
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escaped_byte, text)


def iri_utf8_safe(iri: str) -> str:
    """An IRI as valid Unicode: undecodable bytes are percent-encoded (``%FF``).

    >>> iri_utf8_safe("file:///data/LAD18\\udcff.csv")
    'file:///data/LAD18%FF.csv'
    """
    if iri.isascii() or not _SURROGATE.search(iri):
        return iri
    return _SURROGATE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}"
                          if 0xDC80 <= ord(m.group()) <= 0xDCFF else "%EF%BF%BD", iri)


def spreadsheet_safe(value: str) -> str:
    """A string cell that a spreadsheet would not execute: text starting with ``= + - @``,
    a tab or a carriage return gets a leading ``'``; numbers are left as they are.

    >>> spreadsheet_safe('=HYPERLINK("http://evil","x")'), spreadsheet_safe("-1.2547")
    ('\\'=HYPERLINK("http://evil","x")', '-1.2547')
    """
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def display_safe(value: str) -> str:
    """Text fit for a terminal or a Markdown page: control and bidirectional-control
    characters removed (line breaks and tabs become spaces), undecodable bytes shown as
    ``\\xNN``.

    >>> display_safe("Evil\\x1b[2J Council\\u202e")
    'Evil[2J Council'
    """
    value = utf8_safe(value)
    if value.isprintable():
        return value
    return _UNSAFE.sub(lambda m: " " if m.group() in "\t\n\r" else "", value)


def terminal_safe(text: str) -> str:
    """Text written to a terminal: as :func:`display_safe`, but line breaks and tabs kept."""
    text = utf8_safe(text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in "\t\n" else "", text)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return value.get("name") or json.dumps(value, ensure_ascii=False)
    return str(value)


def _listing_cell(value: Any) -> str:
    """A cell of listing output: strings (not numbers or booleans) made spreadsheet-safe."""
    kind = type(value)
    if kind is str:  # the common cases first, without the calls of the general path
        return spreadsheet_safe(value)
    if value is None:
        return ""
    if kind is list and all(type(v) is str for v in value):
        return spreadsheet_safe("; ".join(value))
    text = cell(value)
    if isinstance(value, (bool, int, float)):
        return text
    return spreadsheet_safe(text)


def csv_line(cells: Sequence[Any]) -> str:
    """One CSV record (RFC 4180 quoting, ``\\n`` line end). Unlike :mod:`csv`, which leaves a
    field holding a bare carriage return unquoted (a CSV reader then splits the record there),
    every field holding a quote, comma, CR or LF is quoted.

    >>> csv_line(["a", "b,c", "x\\ry", None])
    'a,"b,c","x\\ry",\\n'
    """
    texts = ("" if c is None else str(c) for c in cells)
    return ",".join('"' + t.replace('"', '""') + '"' if _NEEDS_QUOTES.search(t) else t
                    for t in texts) + "\n"


def render_json(data: Any) -> str:
    """JSON text (UTF-8 clean: undecodable bytes in strings become the text ``\\xNN``).

    >>> render_json({"title": "LAD18\\udcff.csv"})
    '{\\n  "title": "LAD18\\\\\\\\xff.csv"\\n}\\n'
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if text.isascii() or not _SURROGATE.search(text):
        return text
    # a lone surrogate can only sit inside a JSON string: write it as an escaped backslash
    return _SURROGATE.sub(_json_escaped_byte, text)


def markdown_text(value: str) -> str:
    """Text for a Markdown page or table cell: as :func:`display_safe`, with HTML escaped and
    ``|`` escaped (for headings built from names as well as for table cells).

    >>> markdown_text("<b>A</b> | B & C")
    '&lt;b&gt;A&lt;/b&gt; \\\\| B &amp; C'
    """
    return html.escape(display_safe(value), quote=False).replace("|", "\\|")


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render a list of records with the given columns in one of :data:`FORMATS`.

    >>> print(render_rows([{"code": "E12000002", "name": "North West"}], ["code", "name"], "md"))
    | code | name |
    |---|---|
    | E12000002 | North West |
    <BLANKLINE>
    >>> print(render_rows([{"name": "=1+1", "lon": -2.5}], ["name", "lon"], "csv"))
    name,lon
    '=1+1,-2.5
    <BLANKLINE>
    """
    if fmt == "json":
        return render_json(list(rows))
    if fmt == "csv":
        lines = [csv_line(columns)]
        lines += [csv_line([_listing_cell(r.get(c)) for c in columns]) for r in rows]
        return utf8_safe("".join(lines))
    cells = [[_listing_cell(r.get(c)) for c in columns] for r in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(markdown_text(c) for c in columns) + " |",
                 "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(markdown_text(v) for v in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    cells = [[v if v.isascii() and v.isprintable() else display_safe(v) for v in row]
             for row in cells]
    header = [display_safe(c) for c in columns]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells]))
              for i, c in enumerate(header)]
    lines = [_table_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_table_line(row, widths) for row in cells]
    return "\n".join(lines) + "\n"


def _table_line(texts: Sequence[str], widths: Sequence[int]) -> str:
    """One line of a text table: each text cut to its column's width (``…`` marks a cut)."""
    return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                     for v, w in zip(texts, widths)).rstrip()
