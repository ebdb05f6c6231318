"""Value checks shared by every loader (CSV tables, ONS lookups, RDF): one rule, one place.

Each check returns ``None`` when the value is acceptable, or a ``(problem, fix)`` pair that
the caller turns into an :class:`~lisgraph.errors.InputError` naming its own file, line and
field — so the CSV loader and the RDF importer refuse exactly the same values.

>>> bad_text("Salford")
>>> bad_text("Salford\\u202e")[0]
'holds the invisible character U+202E'
>>> check_coordinates(53.48, -2.29)
>>> check_coordinates(float("nan"), -2.29)[1]
'is not a finite number'
>>> check_url("javascript:alert(1)")[0]
"'javascript:alert(1)' is not an http(s) address"
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import Schema

__all__ = [
    "FIRST_DAY",
    "FORBIDDEN",
    "FREE_TEXT",
    "LAST_DAY",
    "MAX_CELL",
    "STRATEGY_STATUSES",
    "THEME_SCHEMES",
    "Problem",
    "bad_text",
    "check_coordinates",
    "check_day",
    "check_node_id",
    "check_period",
    "check_source_id",
    "check_url",
    "check_vintage",
    "parse_number",
    "show",
]

Problem = tuple[str, str]

#: control characters (C0 and C1; line breaks inside a value too), bidirectional controls,
#: line/paragraph separators and a byte-order mark inside text: invisible or able to rewrite
#: a terminal line, so never part of a name or a code
_INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
FORBIDDEN = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
_FORBIDDEN_IN_FREE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE}]")
#: columns (and RDF properties) of free text, where tabs and line breaks are kept
FREE_TEXT = frozenset({"title", "note", "evaluation", "dcterms:title", "rdfs:comment"})
#: longest value a cell may hold (the longest bundled cell is under 500 characters)
MAX_CELL = 5000
#: dates outside these are typing mistakes (e.g. 0021 for 2021), not history lisgraph holds
FIRST_DAY, LAST_DAY = date(1800, 1, 1), date(2100, 12, 31)
THEME_SCHEMES = ("foundation", "grand_challenge", "sector", "frontier_industry")
STRATEGY_STATUSES = ("draft", "published", "unpublished", "in preparation")

_GSS_LOWER = re.compile(r"[a-z][0-9]{8}", re.ASCII)
#: the shape of an ONS GSS code (what an ONS lookup's code columns hold)
GSS = re.compile(r"[A-Z][0-9]{8}", re.ASCII)
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)
_VINTAGE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|[0-9]{4}-[0-9]{4}", re.ASCII)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?", re.ASCII)
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\s\"<>\\^`{|}]*)?",
                  re.ASCII | re.IGNORECASE)


def show(text: object, limit: int = 60) -> str:
    """A value as it may appear in a one-line message: control characters escaped, cut short.

    >>> show("a\\nb")
    "'a\\\\nb'"
    >>> len(show("x" * 100))
    63
    """
    text = str(text)
    cut = text[:limit] + ("…" if len(text) > limit else "")
    escaped = FORBIDDEN.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), cut)
    return f"'{escaped.encode('utf-8', 'backslashreplace').decode('utf-8')}'"


def bad_text(text: str, free: bool = False) -> Problem | None:
    """Refuse invisible or terminal-controlling characters and over-long values; ``free``
    text (a title, a note) may hold tabs and line breaks."""
    if len(text) > MAX_CELL:
        return (f"is {len(text)} characters long (at most {MAX_CELL})",
                "shorten the value; is a quote missing on an earlier line?")
    found = (_FORBIDDEN_IN_FREE if free else FORBIDDEN).search(text)
    if found:
        char = ord(found.group(0))
        what = "a line break" if char in (10, 13) else f"the invisible character U+{char:04X}"
        return f"holds {what}", "remove it (retype the value as plain text)"
    return None


def check_node_id(schema: Schema, node_type: str, node_id: str) -> Problem | None:
    """An id must be ASCII and follow its type's rule (``\\d`` would let any script's digits in)."""
    rule = schema.nodes[node_type].id_rule
    if "gss:" in rule and _GSS_LOWER.fullmatch(node_id):
        return (f"{show(node_id)} looks like a GSS code in lower case",
                f"write it in capitals ({node_id.upper()})")
    if node_id.isascii() and schema.check_node_id(node_type, node_id):
        return None
    return (f"{show(node_id)} is not a valid {node_type} id ({rule})",
            "correct the code (ASCII letters and digits only)")


def check_source_id(source_id: str) -> Problem | None:
    if _SOURCE_ID.fullmatch(source_id):
        return None
    return (f"{show(source_id)} is not a source id",
            "use ASCII letters, digits, '.', '_' and '-' (starting with a letter or digit)")


def check_vintage(vintage: str) -> Problem | None:
    if _VINTAGE.fullmatch(vintage):
        return None
    return (f"{show(vintage)} is not a vintage",
            "write YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-YYYY for an undated source")


def parse_number(text: str) -> float | None:
    """A decimal number written with ASCII digits, finite; ``None`` if it is not one.

    >>> parse_number("-2.29"), parse_number("nan"), parse_number("1_000"), parse_number("٥")
    (-2.29, None, None, None)
    """
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def check_coordinates(lat: object, lon: object) -> tuple[str, str, str] | None:
    """``(field, problem, fix)`` if a WGS84 coordinate is not a finite number in range."""
    for name, value, bound in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return name, f"{show(value)} is not a number", "write a decimal number"
        if not math.isfinite(value):
            return name, "is not a finite number", "write a decimal number"
        if not -bound <= value <= bound:
            return name, f"{value} is outside -{bound:g}..{bound:g}", \
                "write the point in WGS84 degrees (latitude first)"
    return None


def check_day(day: date) -> Problem | None:
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return (f"{day.isoformat()} is outside {FIRST_DAY.year}-{LAST_DAY.year}",
            "correct the year (YYYY-MM-DD)")


def check_period(start: object, end: object) -> Problem | None:
    """A record's end may not come before its start (nodes and links alike)."""
    if isinstance(start, date) and isinstance(end, date) and end < start:
        return (f"ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                "swap or correct the dates")
    return None


def check_url(text: str) -> Problem | None:
    """Only web addresses (http or https) are kept: no ``javascript:``, ``file:``, ``data:``."""
    if _URL.fullmatch(text):
        return None
    return f"{show(text)} is not an http(s) address", \
        "write it with http:// or https://, or leave it empty"
