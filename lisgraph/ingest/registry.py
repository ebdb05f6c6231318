"""The table kinds lisgraph reads, each registered with its columns and reader."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..csvtable import Row
from ..graph import KnowledgeGraph

__all__ = ["TABLE_KINDS", "TableKind", "table_kind"]

Reader = Callable[[Iterable[Row], KnowledgeGraph], None]

#: phases: sources first, then nodes, then edges that reference them
SOURCES, NODES, EDGES = 0, 1, 2


@dataclass(frozen=True)
class TableKind:
    name: str
    required: tuple[str, ...]
    phase: int
    reader: Reader
    doc: str
    optional: tuple[str, ...] = ()


TABLE_KINDS: dict[str, TableKind] = {}


def table_kind(name: str, required: str, phase: int,
               optional: str = "") -> Callable[[Reader], Reader]:
    """Register a reader for a table kind; ``required`` and ``optional`` are its
    comma-separated columns (any other column is reported as not read)."""

    def register(reader: Reader) -> Reader:
        TABLE_KINDS[name] = TableKind(
            name, tuple(required.split(",")), phase, reader, (reader.__doc__ or "").strip(),
            tuple(c for c in optional.split(",") if c),
        )
        return reader

    return register
