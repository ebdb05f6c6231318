"""What a Neo4j server holds compared with the local graph: version, counts, match."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..graph import KnowledgeGraph
from .connection import Connection, connect
from .constraints import META, STAMP, labels, quoted, relationship_types
from .evidence import OBSERVATION, OF_AREA
from .projection import ENTITY, digest, project, schema_version
from .push import counts_in_database

__all__ = ["Status", "database_digest", "status"]


@dataclass
class Status:
    """A server's state; ``matches`` is True when it holds exactly the local graph."""

    uri: str
    version: str
    local_digest: str
    pushed_digest: str | None
    push_complete: bool
    labels: dict[str, tuple[int, int]] = field(default_factory=dict)  # label -> (local, neo4j)
    relationship_types: dict[str, tuple[int, int]] = field(default_factory=dict)
    verified_digest: str | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.differences

    def rows(self) -> list[dict[str, Any]]:
        out = [{"kind": "node", "name": k, "local": a, "neo4j": b}
               for k, (a, b) in self.labels.items()]
        out += [{"kind": "relationship", "name": k, "local": a, "neo4j": b}
                for k, (a, b) in self.relationship_types.items()]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "reachable": True, "version": self.version,
                "matches": self.matches, "differences": self.differences,
                "local_digest": self.local_digest, "pushed_digest": self.pushed_digest,
                "push_complete": self.push_complete, "verified_digest": self.verified_digest,
                "counts": self.rows()}


def database_digest(conn: Connection) -> str:
    """The digest of what the server holds of lisgraph's nodes and relationships, read back
    in full (compare with ``project(graph).digest()``)."""
    e = quoted(ENTITY)
    nodes = conn.read(f"MATCH (n:{e}) RETURN properties(n) AS p")
    rels = conn.read(f"MATCH (a:{e})-[r]->(b:{e}) RETURN type(r) AS t, a.code AS s, "
                     "b.code AS e, properties(r) AS p")
    for row in nodes + rels:
        row["p"].pop(STAMP, None)  # which push wrote it: not part of the data
    return digest((r["p"] for r in nodes), ((r["t"], r["s"], r["e"], r["p"]) for r in rels))


def status(graph: KnowledgeGraph, conn: Connection | None = None, *,
           verify: bool = False, evidence: Any = None) -> Status:
    """Compare the server with ``graph``: counts by label and type, the digest recorded by the
    last push and whether that push finished; with ``verify``, also read everything back and
    compare its digest (slower: reads the whole graph). ``evidence``: the observations the
    push was given (:func:`~lisgraph.neo4j.push.push`), part of the comparison.

    Raises :class:`~lisgraph.neo4j.connection.Neo4jUnavailable` when the server is unreachable.
    """
    own = conn is None
    conn = conn or connect()
    try:
        rows = project(graph, evidence)
        local_labels, local_types = rows.counts()
        all_labels = sorted([*labels(graph.schema).values(), OBSERVATION])
        all_types = sorted([*relationship_types(graph.schema).values(), OF_AREA])
        db_labels, db_types = counts_in_database(conn, all_labels, all_types)
        meta = conn.read(f"MATCH (m:{quoted(META)} {{id: 'lisgraph'}}) "
                         "RETURN m.digest AS digest, m.complete AS complete, m.schema AS schema")
        st = Status(
            conn.settings.where, conn.server_version(), rows.digest(),
            meta[0]["digest"] if meta else None, bool(meta and meta[0]["complete"]),
            {k: (local_labels.get(k, 0), db_labels.get(k, 0)) for k in all_labels},
            {k: (local_types.get(k, 0), db_types.get(k, 0)) for k in all_types},
        )
        if not meta:
            st.differences.append("nothing was pushed from lisgraph: run lisgraph neo4j push")
        elif not st.push_complete:
            st.differences.append("the last push did not finish: run lisgraph neo4j push again")
        elif meta[0]["schema"] != schema_version(graph.schema):
            st.differences.append(f"the last push wrote schema version {meta[0]['schema']}, "
                                  f"this lisgraph writes {schema_version(graph.schema)}: push again")
        elif st.pushed_digest != st.local_digest:
            st.differences.append("the last push was of different data than the local graph")
        for kind, counts in (("nodes", st.labels), ("relationships", st.relationship_types)):
            for name, (local, remote) in counts.items():
                if local != remote:
                    st.differences.append(f"{name} {kind}: {local} local, {remote} in Neo4j")
        if verify:
            st.verified_digest = database_digest(conn)
            if st.verified_digest != st.local_digest:
                st.differences.append("the content read back differs from the local graph")
        return st
    finally:
        if own:
            conn.close()
