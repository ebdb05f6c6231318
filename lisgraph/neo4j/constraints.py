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
from .evidence import OBSERVATION, OF_AREA
from .projection import ENTITY

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["META", "NAME_INDEX", "STAMP", "build_name_index", "ddl", "ensure_schema", "labels", "name_index", "node_create", "node_merge", "quoted",
           "relationship_create", "relationship_merge", "relationship_types"]

#: the label of the one node that records what was pushed (a fixed name, not from data)
META = "LisgraphMeta"
#: the property that records which push wrote a node or relationship (not part of the data)
STAMP = "lisgraph_push"
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

    Only what the queries use: a uniqueness constraint on ``code`` for all lisgraph nodes
    (``:Entity``; ids are unique across types, and every query starts from a code, so one
    constraint serves them all; per-type constraints would duplicate it and slow writes), a
    TEXT index on ``name_key`` (names are resolved on the server; a TEXT index takes values of
    any length, where a RANGE index refuses a key over 8 kB and so a push of a long name) and
    one constraint on the meta node's ``id``. The schema's types need no constraint of their
    own: a label is a filter after the code lookup.

    >>> for s in ddl():
    ...     print(s)
    CREATE CONSTRAINT lisgraph_entity_code IF NOT EXISTS FOR (n:`Entity`) REQUIRE n.code IS UNIQUE
    CREATE CONSTRAINT lisgraph_meta_id IF NOT EXISTS FOR (n:`LisgraphMeta`) REQUIRE n.id IS UNIQUE
    CREATE TEXT INDEX lisgraph_entity_name_key IF NOT EXISTS FOR (n:`Entity`) ON (n.name_key)
    """
    return [
        (f"CREATE CONSTRAINT lisgraph_entity_code IF NOT EXISTS FOR (n:{quoted(ENTITY)}) "
         "REQUIRE n.code IS UNIQUE"),
        (f"CREATE CONSTRAINT lisgraph_meta_id IF NOT EXISTS FOR (n:{quoted(META)}) "
         "REQUIRE n.id IS UNIQUE"),
        name_index(),
    ]


#: the TEXT index on names (see :func:`ddl`)
NAME_INDEX = "lisgraph_entity_name_key"


def name_index() -> str:
    """The statement that creates the TEXT index on ``name_key`` (:func:`ddl`)."""
    return f"CREATE TEXT INDEX {NAME_INDEX} IF NOT EXISTS FOR (n:{quoted(ENTITY)}) ON (n.name_key)"


def build_name_index(conn: Connection, wait_seconds: int = 300) -> None:
    """Create the name index if it is missing and wait until it is online."""
    conn.run(name_index())
    conn.run("CALL db.awaitIndexes($seconds)", {"seconds": wait_seconds})


#: names of constraints and indexes earlier versions created that no query uses (dropped by
#: :func:`ensure_schema`: each one costs every write, and a RANGE index on ``name`` made
#: names over 8 kB fail the push)
def _obsolete(present: set[str], schema: Schema | None) -> list[str]:
    names = {f"lisgraph_{name}_code" for name in labels(schema)}
    names |= {f"lisgraph_{name}_name" for name in labels(schema)}
    return sorted(names & present)


@cache
def node_merge(label: str) -> str:
    """The batch statement for nodes of one label: ``$rows`` of property maps.

    ``SET n = props`` replaces the properties, so a second push leaves the same node; the
    push's id (``$push``) is stamped on it, so what the push did not write can be removed.
    """
    _allowed_label(label)
    return (f"UNWIND $rows AS props MERGE (n:{quoted(label)}:{quoted(ENTITY)} "
            f"{{code: props.code}}) SET n = props, n.{STAMP} = $push")


@cache
def relationship_merge(rel_type: str) -> str:
    """The batch statement for relationships of one type: ``$rows`` of
    ``{start, end, props}``; ends are found by code among ``:Entity`` nodes (one
    statement per type keeps the server's plan cache small); ``props.key`` makes the MERGE
    idempotent; it has no dates in it, so a corrected date updates the relationship."""
    _allowed_type(rel_type)
    e = quoted(ENTITY)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{e} {{code: row.start}}) MATCH (b:{e} {{code: row.end}}) "
            f"MERGE (a)-[r:{quoted(rel_type)} {{key: row.props.key}}]->(b) SET r = row.props, "
            f"r.{STAMP} = $push")


@cache
def node_create(label: str) -> str:
    """The batch statement for nodes of one label that the server does not hold yet (their
    codes were not there when the push began): CREATE, no lookup before the write."""
    _allowed_label(label)
    return (f"UNWIND $rows AS props CREATE (n:{quoted(label)}:{quoted(ENTITY)}) "
            f"SET n = props, n.{STAMP} = $push")


@cache
def relationship_create(rel_type: str) -> str:
    """The batch statement for relationships with at least one end that the push created: no
    relationship can exist there yet, so CREATE (no search of the ends' relationships)."""
    _allowed_type(rel_type)
    e = quoted(ENTITY)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{e} {{code: row.start}}) MATCH (b:{e} {{code: row.end}}) "
            f"CREATE (a)-[r:{quoted(rel_type)}]->(b) SET r = row.props, r.{STAMP} = $push")


def _name_of(statement: str) -> str:
    words = statement.split()
    return words[words.index("IF") - 1]


def _allowed_type(rel_type: str) -> None:
    if rel_type not in relationship_types().values() and rel_type != OF_AREA:
        raise DataIntegrityError(f"'{rel_type}' is not a relationship type in schema/model.toml")


def _allowed_label(label: str) -> None:
    if label not in labels().values() and label != OBSERVATION:
        raise DataIntegrityError(f"'{label}' is not a node label in schema/model.toml")


def ensure_schema(conn: Connection, schema: Schema | None = None, wait_seconds: int = 300) -> None:
    """Create the constraints and indexes that are missing and wait until they are online."""
    constraints = {r["name"] for r in conn.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    indexes = {r["name"] for r in conn.run("SHOW INDEXES YIELD name RETURN name")}
    for name in _obsolete(constraints, schema):
        conn.run(f"DROP CONSTRAINT {name} IF EXISTS")
    for name in _obsolete(indexes - constraints, schema):
        conn.run(f"DROP INDEX {name} IF EXISTS")
    present = constraints | indexes
    missing = [s for s in ddl(schema) if _name_of(s) not in present]
    for statement in missing:
        conn.run(statement)
    if missing:
        conn.run("CALL db.awaitIndexes($seconds)", {"seconds": wait_seconds})
