"""The canonical records: sources, nodes and edges, each edge and node carrying provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["Source", "Node", "Edge", "Origin"]


@dataclass(frozen=True)
class Origin:
    """Where a record was read from, for error messages (not part of a record's identity)."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Source:
    """A publication or dataset that facts come from."""

    id: str
    publisher: str
    title: str
    url: str
    vintage: str
    licence: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "publisher": self.publisher,
            "title": self.title,
            "url": self.url,
            "vintage": self.vintage,
            "licence": self.licence,
        }


@dataclass
class Node:
    """A place, body, partner, strategy, priority or theme."""

    id: str
    type: str
    name: str
    sources: tuple[str, ...]
    props: dict[str, object] = field(default_factory=dict)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def valid_on(self, day: date | None) -> bool:
        return _valid(self.props.get("valid_from"), self.props.get("valid_to"), day)


@dataclass
class Edge:
    """A typed, directed link between two nodes, valid between two optional dates."""

    start: str
    type: str
    end: str
    sources: tuple[str, ...]
    valid_from: date | None = None
    valid_to: date | None = None
    props: dict[str, object] = field(default_factory=dict)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str, str, date | None, date | None, str]:
        return (self.start, self.type, self.end, self.valid_from, self.valid_to,
                str(self.props.get("collaboration", "")))

    def valid_on(self, day: date | None) -> bool:
        return _valid(self.valid_from, self.valid_to, day)


def _valid(start: object, end: object, day: date | None) -> bool:
    if day is None:
        return True
    if isinstance(start, date) and day < start:
        return False
    if isinstance(end, date) and day > end:
        return False
    return True
