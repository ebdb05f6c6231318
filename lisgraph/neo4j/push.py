"""Push the canonical graph into Neo4j: UNWIND batches, one transaction per batch, three
transactions in flight at a time (:class:`_Writers`).

A push creates the schema's constraints and indexes, marks the meta node unfinished, reads
the codes the server holds, writes nodes then relationships (each stamped with the push's
id: CREATE for nodes the server did not hold and relationships touching them, MERGE on a key
for the rest, see :func:`plan`), removes lisgraph's nodes and relationships that this push
did not write (records no longer in the local graph), and marks the meta node finished with
the graph's digest (computed on a second thread during the writes) and the schema version.
Every batch is all-or-nothing and what a cut-off push wrote is MERGEd by the next one, so a
push that was cut off finishes by running it again, and two pushes leave the same graph. Only ``:Entity`` nodes and the schema's
relationship types between them are ever removed: other data in the database stays.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..graph import KnowledgeGraph
from .connection import Connection, Neo4jQueryError, Neo4jUnavailable, connect
from .constraints import (
    META,
    NAME_INDEX,
    STAMP,
    build_name_index,
    ensure_schema,
    node_create,
    node_merge,
    quoted,
    relationship_create,
    relationship_merge,
    relationship_types,
)
from .evidence import OF_AREA
from .projection import (
    ENTITY,
    PendingRelationships,
    Projection,
    project_in_stages,
    schema_version,
)

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_WRITERS", "Progress", "PushSummary",
           "counts_in_database", "existing_codes", "plan", "push", "push_projection",
           "remove_stale", "wipe"]

DEFAULT_BATCH_SIZE = 5000
#: transactions in flight at a time (measured at 200k relationships on a 2-core machine:
#: 1 writer 23k relationships/s, 2 writers 32k/s, 3 writers 36k/s)
DEFAULT_WRITERS = 3
#: called after every batch with (rows written so far, rows in all)
Progress = Callable[[int, int], None]


@dataclass
class PushSummary:
    """What a push wrote and what the database holds afterwards."""

    uri: str
    nodes: int
    relationships: int
    batches: int
    seconds: float
    wiped: bool
    digest: str
    removed_nodes: int = 0
    removed_relationships: int = 0
    pushed_labels: dict[str, int] = field(default_factory=dict)
    pushed_types: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    relationship_types: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Nodes plus relationships written per second."""
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0

    def rows(self) -> list[dict[str, Any]]:
        """One row per label and relationship type: pushed, and now in Neo4j."""
        out = [{"kind": "node", "name": k, "pushed": v, "in_neo4j": self.labels.get(k, 0)}
               for k, v in sorted(self.pushed_labels.items())]
        out += [{"kind": "relationship", "name": k, "pushed": v,
                 "in_neo4j": self.relationship_types.get(k, 0)}
                for k, v in sorted(self.pushed_types.items())]
        return out


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def wipe(conn: Connection, batch_size: int = 10_000) -> int:
    """Delete lisgraph's nodes (``:Entity`` and the meta node) and their relationships, in
    batches; other data in the database is left alone. Returns the nodes deleted."""
    deleted = 0
    # relationships first, in batches: a batch of nodes with thousands of partners each would
    # otherwise carry too many relationships for one transaction's memory
    rels = f"MATCH (:{quoted(ENTITY)})-[r]-() WITH DISTINCT r LIMIT $limit DELETE r"
    while conn.write(rels, {"limit": batch_size})["relationships_deleted"] >= batch_size:
        pass
    for label in (ENTITY, META):
        statement = f"MATCH (n:{quoted(label)}) WITH n LIMIT $limit DETACH DELETE n"
        while True:
            n = conn.write(statement, {"limit": batch_size})["nodes_deleted"]
            deleted += n
            if n < batch_size:
                break
    return deleted


def remove_stale(conn: Connection, push_id: str, batch_size: int = 10_000) -> tuple[int, int]:
    """Delete lisgraph's relationships and nodes that push ``push_id`` did not write (in
    transactions of ``batch_size``); returns (nodes, relationships) removed."""
    e = quoted(ENTITY)
    types = "|".join(quoted(t) for t in sorted(relationship_types().values()) + [OF_AREA])
    rels = conn.run(
        f"MATCH (:{e})-[r:{types}]->(:{e}) WHERE r.{STAMP} IS NULL OR r.{STAMP} <> $push "
        f"CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {int(batch_size)} ROWS "
        "RETURN count(*) AS n", {"push": push_id})
    nodes = conn.run(
        f"MATCH (n:{e}) WHERE n.{STAMP} IS NULL OR n.{STAMP} <> $push "
        f"CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {int(batch_size)} ROWS "
        "RETURN count(*) AS n", {"push": push_id})
    return nodes[0]["n"] if nodes else 0, rels[0]["n"] if rels else 0


def counts_in_database(conn: Connection, label_names: list[str],
                       type_names: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes by label and relationships by type (names from the schema), from count stores;
    names the database has never seen count 0 (asking for them would draw warnings)."""
    known = conn.read("CALL db.labels() YIELD label RETURN collect(label) AS names")[0]["names"]
    known += conn.read("CALL db.relationshipTypes() YIELD relationshipType "
                       "RETURN collect(relationshipType) AS names")[0]["names"]
    parts = [f"MATCH (n:{quoted(x)}) RETURN 'n' AS kind, $names[{i}] AS name, count(n) AS c"
             for i, x in enumerate(label_names) if x in known]
    parts += [f"MATCH ()-[r:{quoted(x)}]->() RETURN 'r' AS kind, $types[{i}] AS name, "
              "count(r) AS c" for i, x in enumerate(type_names) if x in known]
    labels, types = dict.fromkeys(label_names, 0), dict.fromkeys(type_names, 0)
    if parts:
        for r in conn.read(" UNION ALL ".join(parts), {"names": label_names, "types": type_names}):
            (labels if r["kind"] == "n" else types)[r["name"]] = r["c"]
    return labels, types


def existing_codes(conn: Connection) -> set[str]:
    """The codes of lisgraph's nodes the server holds (read once, before writing)."""
    rows = conn.read(f"MATCH (n:{quoted(ENTITY)}) RETURN n.code AS code")
    return {r["code"] for r in rows}


def plan(rows: Projection, present: set[str],
         batch_size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """The batches to write, nodes first: a node the server does not hold is CREATEd; a
    relationship with an end that is new is CREATEd too (nothing can link to a node that did
    not exist); the rest are MERGEd on their key (updated in place, e.g. a corrected date).

    Known new is decided from the codes the server held when the push began, so a push that
    was cut off and is run again MERGEs what the first run wrote."""
    return (_node_batches(rows, present, batch_size)
            + _relationship_batches(rows, present, batch_size))


def _node_batches(rows: Projection, present: set[str],
                  batch_size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    work: list[tuple[str, list[dict[str, Any]]]] = []
    for label, group in rows.nodes.items():
        new = [p for p in group if p["code"] not in present]
        old = [p for p in group if p["code"] in present] if len(new) < len(group) else []
        work += [(node_create(label), b) for b in _chunks(new, batch_size)]
        work += [(node_merge(label), b) for b in _chunks(old, batch_size)]
    return work


def _relationship_batches(rows: Projection, present: set[str],
                          batch_size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    work: list[tuple[str, list[dict[str, Any]]]] = []
    for rel, group in rows.relationships.items():
        new, old = (group, []) if not present else (
            [r for r in group if r["start"] not in present or r["end"] not in present],
            [r for r in group if r["start"] in present and r["end"] in present])
        work += [(relationship_create(rel), b) for b in _chunks(new, batch_size)]
        work += [(relationship_merge(rel), b) for b in _chunks(old, batch_size)]
    return work


class _Writers:
    """Batches written by ``writers`` transactions at a time, each batch in its own
    transaction (the server works on one while the next is sent; a server with more cores
    than one runs them side by side). Two batches never hold the same row, so running them
    together cannot write a row twice; two that lock the same node may deadlock, and the
    server's deadlock error is transient: the driver retries that batch (``retry_seconds``),
    which the first run rolled back whole. The first failure stops every writer and is raised."""

    def __init__(self, conn: Connection, push_id: str, writers: int, total: int,
                 progress: Progress | None):
        import threading

        self.conn, self.push_id, self.writers = conn, push_id, writers
        self.total, self.progress = total, progress
        self.done = self.batches = 0
        self._lock = threading.Lock()

    def write(self, work: list[tuple[str, list[dict[str, Any]]]]) -> None:
        import threading

        todo = iter(work)
        failures: list[BaseException] = []

        def writer() -> None:
            while True:
                with self._lock:
                    item = None if failures else next(todo, None)
                if item is None:
                    return
                statement, batch = item
                try:
                    self.conn.write(statement, {"rows": batch, "push": self.push_id})
                except BaseException as exc:  # raised by the caller's thread, below
                    with self._lock:
                        failures.append(exc)
                    return
                with self._lock:
                    self.done += len(batch)
                    self.batches += 1
                    if self.progress:
                        self.progress(self.done, self.total)

        threads = [threading.Thread(target=writer, daemon=True)
                   for _ in range(min(self.writers, len(work)) - 1)]
        for t in threads:
            t.start()
        writer()
        for t in threads:
            t.join()
        if failures:
            raise failures[0]


def push_projection(conn: Connection, rows: Projection, *, wipe_first: bool = False,
                    batch_size: int = DEFAULT_BATCH_SIZE, writers: int = DEFAULT_WRITERS,
                    progress: Progress | None = None,
                    pending: PendingRelationships | None = None) -> PushSummary:
    """Write projected rows (see :func:`push`).

    ``pending``: relationships still to be projected into ``rows``
    (:func:`~lisgraph.neo4j.projection.project_in_stages`); they are projected on a thread
    while the nodes are written. The digest of the rows is computed on another thread while
    the relationships are written (the writers mostly wait for the server), and recorded on
    the meta node when the push completes."""
    import threading

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if writers < 1:
        raise ValueError("writers must be at least 1")
    start = time.perf_counter()
    total = rows.node_count + rows.relationship_count + (pending.count if pending else 0)
    ensure_schema(conn)
    if wipe_first:
        wipe(conn)
    push_id = uuid.uuid4().hex
    conn.write(f"MERGE (m:{quoted(META)} {{id: 'lisgraph'}}) "
               "SET m.complete = false, m.digest = null, m.started = datetime(), "
               "m.lisgraph = $version, m.schema = $schema, m.push = $push",
               {"version": __version__, "schema": schema_version(), "push": push_id})
    if progress:
        progress(0, total)
    present = existing_codes(conn)
    writer = _Writers(conn, push_id, writers, total, progress)
    digests: list[str] = []
    if pending is not None:  # from here on, rows.relationships is the thread's until wait()
        pending.start()
    try:
        # every node before any relationship (a relationship's ends must exist)
        if not present:  # a first load: the name index is built once the nodes are in (at
            # 100k nodes 0.85 s, against about 3 s of updates node by node); no reader is
            # served meanwhile (the meta node says the push is unfinished)
            conn.run(f"DROP INDEX {NAME_INDEX} IF EXISTS")
        writer.write(_node_batches(rows, present, batch_size))
        if not present:
            build_name_index(conn)
        if pending is not None:
            pending.wait()
        hashing = threading.Thread(target=lambda: digests.append(rows.digest()), daemon=True)
        hashing.start()
        writer.write(_relationship_batches(rows, present, batch_size))
    except Neo4jQueryError as exc:
        if "ConstraintValidationFailed" not in str(exc):
            raise
        raise Neo4jQueryError(f"{exc} — an earlier push left a node of another type with this "
                              "code: push with wipe (--wipe) to replace it") from None
    except Neo4jUnavailable:
        raise Neo4jUnavailable(
            f"lost the connection to Neo4j at {conn.settings.where} during the push, after "
            f"{writer.done} of {total} rows: when the server is back, run the same push again "
            "to finish (each batch is all-or-nothing and the push is idempotent)") from None
    finally:
        if pending is not None:
            pending.wait()  # never leave the thread running (its error, if any, is raised)
    removed_nodes = removed_rels = 0
    if present:  # on a server that held none of lisgraph's nodes, nothing can be stale
        try:
            removed_nodes, removed_rels = remove_stale(conn, push_id)
        except Neo4jUnavailable:
            raise Neo4jUnavailable(
                f"lost the connection to Neo4j at {conn.settings.where} while removing records "
                "no longer in the local graph: when the server is back, run the same push "
                "again") from None
    hashing.join()
    graph_digest = digests[0]
    conn.write(f"MATCH (m:{quoted(META)} {{id: 'lisgraph'}}) "
               "SET m.complete = true, m.digest = $digest, m.finished = datetime(), "
               "m.nodes = $nodes, m.relationships = $rels",
               {"digest": graph_digest, "nodes": rows.node_count,
                "rels": rows.relationship_count})
    pushed_labels, pushed_types = rows.counts()
    labels, types = counts_in_database(conn, sorted(pushed_labels), sorted(pushed_types))
    return PushSummary(conn.settings.where, rows.node_count, rows.relationship_count,
                       writer.batches, time.perf_counter() - start, wipe_first, graph_digest,
                       removed_nodes, removed_rels, pushed_labels, pushed_types, labels, types)


def push(graph: KnowledgeGraph, conn: Connection | None = None, *, wipe: bool = False,
         batch_size: int = DEFAULT_BATCH_SIZE, writers: int = DEFAULT_WRITERS,
         progress: Progress | None = None, evidence: Any = None) -> PushSummary:
    """Load ``graph`` into Neo4j and return a summary of counts.

    Parameters
    ----------
    graph : the canonical graph (e.g. ``load_graph()``)
    conn : an open :class:`Connection`; by default one from ``NEO4J_URI``/``NEO4J_USER``/
        ``NEO4J_PASSWORD`` (closed afterwards)
    wipe : delete lisgraph's nodes first (other data in the database stays)
    batch_size : rows per transaction
    writers : transactions in flight at a time (1: one after another)
    progress : called after each batch with (rows done, rows in all)
    evidence : an :class:`~lisgraph.evidence.observations.EvidenceIndex` whose observations
        are pushed as ``:Observation`` nodes (:mod:`lisgraph.neo4j.evidence`); without it the
        server holds none (a push removes those an earlier push wrote)

    Raises
    ------
    Neo4jUnavailable when the server cannot be reached or goes away (the message says how
    many rows were written and that running the push again finishes it).
    """
    own = conn is None
    conn = conn or connect()
    try:
        rows, pending = project_in_stages(graph, evidence)
        return push_projection(conn, rows, wipe_first=wipe, batch_size=batch_size,
                               writers=writers, progress=progress, pending=pending)
    finally:
        if own:
            conn.close()
