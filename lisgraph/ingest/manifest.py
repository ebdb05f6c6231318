"""Manifests: one TOML file per source family describing its tables and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import tomllib

from ..checks import bad_text, check_url, check_vintage, show
from ..errors import InputError

__all__ = ["Manifest", "TableRef", "parse_manifest"]

_REQUIRED = ("id", "title", "publisher", "licence", "vintage", "url", "format")


@dataclass(frozen=True)
class TableRef:
    kind: str
    file: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    id: str
    title: str
    publisher: str
    licence: str
    vintage: str
    url: str
    format: str
    tables: tuple[TableRef, ...]
    path: str


def _toml_type(value: object) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a table"}.get(type(value), "a date")


def parse_manifest(text: str, path: str) -> Manifest:
    """Check a manifest's TOML: its provenance keys are text, ``tables`` a list of tables each
    with a known ``kind``, a ``file`` and an optional ``columns`` table of text values."""
    from .registry import TABLE_KINDS

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(path, line, None, f"not valid TOML ({first})",
                         "fix the TOML syntax") from None
    except RecursionError:
        raise InputError(path, None, None, "not valid TOML (nested too deeply)",
                         "a manifest needs only keys and [[tables]] entries") from None
    for key in _REQUIRED:
        value = raw.get(key, "")
        if key == "vintage" and isinstance(value, (int, date)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise InputError(path, None, key, f"is {_toml_type(value)}, not text",
                             f"write `{key} = \"...\"`")
        bad = bad_text(value) or (check_url(value) if key == "url" and value.strip() else None) \
            or (check_vintage(value) if key == "vintage" and value.strip() else None)
        if bad:
            raise InputError(path, None, key, *bad)
        if not value.strip():
            raise InputError(path, None, key, "missing in manifest", f"add `{key} = \"...\"`")
    entries = raw.get("tables", [])
    if not isinstance(entries, list):
        raise InputError(path, None, "tables", f"is {_toml_type(entries)}, not a list of tables",
                         "write each table as a [[tables]] entry")
    tables = []
    for i, t in enumerate(entries, 1):
        if not isinstance(t, dict):
            raise InputError(path, None, f"tables[{i}]", f"is {_toml_type(t)}, not a table",
                             "write each table as a [[tables]] entry with kind and file")
        kind, file, columns = t.get("kind"), t.get("file"), t.get("columns", {})
        if not isinstance(kind, str) or kind not in TABLE_KINDS:
            raise InputError(path, None, f"tables[{i}].kind",
                             f"unknown table kind {show(kind)}",
                             f"use one of {', '.join(sorted(TABLE_KINDS))}")
        if not isinstance(file, str) or not file.strip():
            raise InputError(path, None, f"tables[{i}].file",
                             "missing" if file in (None, "") else f"is {_toml_type(file)}, not text",
                             "name the CSV file (relative to the manifest)")
        bad = bad_text(file)
        if bad:
            raise InputError(path, None, f"tables[{i}].file", *bad)
        if not isinstance(columns, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and not bad_text(v)
                for k, v in columns.items()):
            raise InputError(path, None, f"tables[{i}].columns",
                             "is not a table of column names",
                             'write `[tables.columns]` lines like `code = "LAD21CD"`')
        unknown = sorted(set(columns) - set(TABLE_KINDS[kind].required)
                         - set(TABLE_KINDS[kind].optional))
        if unknown:
            raise InputError(path, None, f"tables[{i}].columns.{show(unknown[0])[1:-1]}",
                             f"is not a column of a {kind} table",
                             f"map one of: {', '.join(TABLE_KINDS[kind].required)}")
        tables.append(TableRef(kind, file, dict(columns)))
    if not tables:
        raise InputError(path, None, "tables", "no tables listed", "add [[tables]] entries")
    return Manifest(raw["id"], raw["title"], raw["publisher"], raw["licence"], str(raw["vintage"]),
                    raw["url"], raw["format"], tuple(tables), path)
