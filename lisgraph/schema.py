"""The graph model read from schema/model.toml: node and edge types and their rules."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from .assets import schema_dir
from .errors import DataIntegrityError

__all__ = ["NodeType", "EdgeType", "Schema", "load_schema", "id_pattern"]

_SLUG = r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?"


@dataclass(frozen=True)
class NodeType:
    name: str
    label: str
    title: str
    id_rule: str
    properties: tuple[str, ...]


@dataclass(frozen=True)
class EdgeType:
    name: str
    label: str
    title: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    temporal: bool = False
    symmetric: bool = False
    properties: tuple[str, ...] = field(default=())


def id_pattern(rule: str) -> re.Pattern[str]:
    """Compile a schema id rule (``gss:E06|E07``, ``itl``, ``ukprn``, ``slug``) into a regex.

    Rules joined by `` or `` accept an id that matches any of them (``gss:E47 or slug``).

    >>> bool(id_pattern("gss:E47 or slug").match("cheshire-and-warrington"))
    True
    """
    if " or " in rule:
        parts = [id_pattern(part.strip()).pattern for part in rule.split(" or ")]
        return re.compile("|".join(f"({p})" for p in parts))
    if rule.startswith("gss:"):
        prefixes = rule[4:].split("|")
        return re.compile(rf"^({'|'.join(prefixes)})[0-9]{{6}}$")
    if rule == "itl":  # ITL1 TLC, ITL2 TLC3, ITL3 TLC31 (Northern Ireland's ITL3s: TLN0A...)
        return re.compile(r"^TL[C-N]([0-9]([0-9A-Z])?)?$")
    if rule == "ukprn":
        return re.compile(r"^1[0-9]{7}$")
    if rule == "slug":
        return re.compile(rf"^{_SLUG}$")
    raise DataIntegrityError(f"schema/model.toml: unknown id rule '{rule}'")


@dataclass(frozen=True)
class Schema:
    nodes: dict[str, NodeType]
    edges: dict[str, EdgeType]

    def check_node_id(self, node_type: str, node_id: str) -> bool:
        return bool(id_pattern(self.nodes[node_type].id_rule).match(node_id))


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    raw = tomllib.loads((schema_dir() / "model.toml").read_text(encoding="utf-8"))
    nodes = {
        name: NodeType(name, d["label"], d["title"], d["id"], tuple(d.get("properties", ())))
        for name, d in raw["nodes"].items()
    }
    edges = {
        name: EdgeType(
            name,
            d["label"],
            d["title"],
            tuple(d["from"]),
            tuple(d["to"]),
            bool(d.get("temporal", False)),
            bool(d.get("symmetric", False)),
            tuple(d.get("properties", ())),
        )
        for name, d in raw["edges"].items()
    }
    for e in edges.values():
        unknown = set(e.sources + e.targets) - set(nodes)
        if unknown:
            raise DataIntegrityError(f"schema/model.toml: edge {e.name} names unknown types {unknown}")
    return Schema(nodes, edges)
