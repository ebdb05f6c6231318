"""Cypher statements generated from schema/model.toml: constraints, indexes and write templates.

Labels and relationship types are the only names spliced into Cypher text, and they come only
from the schema (the allow-list), checked to be plain identifiers; every value is a parameter.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ..errors import DataIntegrityError
from ..schema import Schema, load_schema
from .projection import ENTITY

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["META", "ddl", "ensure_schema", "labels", "node_merge", "quoted", "relationship_merge",
           "relationship_types"]

#: the label of the one node that records what was pushed (a fixed name, not from data)
META = "LisgraphMeta"
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def quoted(name: str) -> str:
    """A schema label or type as a Cypher identifier; anything else is refused.

    >>> quoted("District")
    '`District`'
    >>> quoted("X`) DETACH DELETE (n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lisgraph.errors.DataIntegrityError: schema/model.toml: 'X`) DETACH DELETE (n' is not a plain...
    """
    if not _IDENT.match(name):
        raise DataIntegrityError(
            f"schema/model.toml: '{name}' is not a plain identifier (letters, digits, _)")
    return f"`{name}`"


def labels(schema: Schema | None = None) -> dict[str, str]:
    """Node type -> label, from the schema."""
    schema = schema or load_schema()
    return {name: nt.label for name, nt in schema.nodes.items()}


def relationship_types(schema: Schema | None = None) -> dict[str, str]:
    """Edge type -> relationship type, from the schema."""
    schema = schema or load_schema()
    return {name: et.label for name, et in schema.edges.items()}


def ddl(schema: Schema | None = None) -> list[str]:
    """The constraints and indexes, one statement each, idempotent (``IF NOT EXISTS``).

    Per node type: a uniqueness constraint on ``code`` (the node's id) and a range index on
    ``name``; for all lisgraph nodes (``:Entity``) a uniqueness constraint on ``code`` (ids are
    unique across types); one on the meta node's ``id``.

    >>> for s in ddl():
    ...     if "`Region`" in s:
    ...         print(s)
    CREATE CONSTRAINT lisgraph_region_code IF NOT EXISTS FOR (n:`Region`) REQUIRE n.code IS UNIQUE
    CREATE INDEX lisgraph_region_name IF NOT EXISTS FOR (n:`Region`) ON (n.name)
    """
    statements = [
        (f"CREATE CONSTRAINT lisgraph_entity_code IF NOT EXISTS FOR (n:{quoted(ENTITY)}) "
         "REQUIRE n.code IS UNIQUE"),
        (f"CREATE CONSTRAINT lisgraph_meta_id IF NOT EXISTS FOR (n:{quoted(META)}) "
         "REQUIRE n.id IS UNIQUE"),
    ]
    for name, label in labels(schema).items():
        statements.append(f"CREATE CONSTRAINT lisgraph_{name}_code IF NOT EXISTS "
                          f"FOR (n:{quoted(label)}) REQUIRE n.code IS UNIQUE")
        statements.append(f"CREATE INDEX lisgraph_{name}_name IF NOT EXISTS "
                          f"FOR (n:{quoted(label)}) ON (n.name)")
    return statements


@cache
def node_merge(label: str) -> str:
    """The batch statement for nodes of one label: ``$rows`` of property maps.

    ``SET n = props`` replaces the properties, so a second push leaves the same node.
    """
    _allowed_label(label)
    return (f"UNWIND $rows AS props MERGE (n:{quoted(label)}:{quoted(ENTITY)} "
            "{code: props.code}) SET n = props")


@cache
def relationship_merge(rel_type: str) -> str:
    """The batch statement for relationships of one type: ``$rows`` of
    ``{start, end, props}``; ends are found by code among ``:Entity`` nodes (one
    statement per type keeps the server's plan cache small); ``props.key`` makes the MERGE
    idempotent."""
    if rel_type not in relationship_types().values():
        raise DataIntegrityError(f"'{rel_type}' is not a relationship type in schema/model.toml")
    e = quoted(ENTITY)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{e} {{code: row.start}}) MATCH (b:{e} {{code: row.end}}) "
            f"MERGE (a)-[r:{quoted(rel_type)} {{key: row.props.key}}]->(b) SET r = row.props")


def _allowed_label(label: str) -> None:
    if label not in labels().values():
        raise DataIntegrityError(f"'{label}' is not a node label in schema/model.toml")


def ensure_schema(conn: Connection, schema: Schema | None = None, wait_seconds: int = 300) -> None:
    """Create the constraints and indexes that are missing and wait until they are online."""
    present = {r["name"] for r in conn.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    present |= {r["name"] for r in conn.run("SHOW INDEXES YIELD name RETURN name")}
    missing = [s for s in ddl(schema) if s.split()[2] not in present]
    for statement in missing:
        conn.run(statement)
    if missing:
        conn.run("CALL db.awaitIndexes($seconds)", {"seconds": wait_seconds})
