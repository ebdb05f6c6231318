"""Is there a finished lisgraph dataset of this schema version on the server? Checked before
every read, so an empty, half-pushed or stale server is refused instead of answered."""

from __future__ import annotations

from typing import Any

from .connection import Connection, Neo4jError
from .constraints import META, quoted
from .projection import schema_version

__all__ = ["DatasetError", "check_dataset"]


class DatasetError(Neo4jError):
    """The server holds no finished lisgraph dataset that this lisgraph can read."""


def check_dataset(conn: Connection) -> dict[str, Any]:
    """The meta node's fields, after checking that a push finished and that it wrote this
    version's schema; raises :class:`DatasetError` (one line, saying what to do) otherwise."""
    where = conn.settings.where
    rows = conn.read(f"MATCH (m:{quoted(META)} {{id: 'lisgraph'}}) RETURN m.complete AS complete, "
                     "m.schema AS schema, m.digest AS digest, m.nodes AS nodes, "
                     "m.relationships AS relationships")
    if not rows:
        raise DatasetError(f"Neo4j at {where} holds no lisgraph dataset: run lisgraph neo4j "
                           "push first (or set NEO4J_URI / NEO4J_DATABASE to the right one)")
    meta = rows[0]
    if not meta["complete"]:
        raise DatasetError(f"the lisgraph dataset at {where} is unfinished (a push was cut off "
                           "or is running): run lisgraph neo4j push again")
    wanted = schema_version()
    if meta["schema"] != wanted:
        raise DatasetError(f"the lisgraph dataset at {where} was written with schema version "
                           f"{meta['schema'] or 'unknown (an older lisgraph)'}, this lisgraph "
                           f"reads {wanted}: push again with this version")
    return meta
