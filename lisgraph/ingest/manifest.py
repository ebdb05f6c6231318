"""Manifests: one TOML file per source family describing its tables and provenance."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

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


def parse_manifest(text: str, path: str) -> Manifest:
    from .registry import TABLE_KINDS

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, getattr(exc, "lineno", None), None, f"not valid TOML ({exc})",
                         "fix the TOML syntax") from None
    for key in _REQUIRED:
        if not str(raw.get(key, "")).strip():
            raise InputError(path, None, key, "missing in manifest", f"add `{key} = \"...\"`")
    tables = []
    for i, t in enumerate(raw.get("tables", []), 1):
        kind, file = t.get("kind"), t.get("file")
        if kind not in TABLE_KINDS:
            raise InputError(path, None, f"tables[{i}].kind", f"unknown table kind '{kind}'",
                             f"use one of {', '.join(sorted(TABLE_KINDS))}")
        if not file:
            raise InputError(path, None, f"tables[{i}].file", "missing", "name the CSV file")
        tables.append(TableRef(kind, file, dict(t.get("columns", {}))))
    if not tables:
        raise InputError(path, None, "tables", "no tables listed", "add [[tables]] entries")
    return Manifest(raw["id"], raw["title"], raw["publisher"], raw["licence"], str(raw["vintage"]),
                    raw["url"], raw["format"], tuple(tables), path)
