"""Brokers and communities with the graph on the server.

Betweenness and Louvain need graph algorithms the Community server does not have (GDS is a
separate plug-in), so these two fetch a slice, never the graph: brokers the partner network
(memberships, collaborations, partner links holding on the date: codes only, plus the names
and types of its nodes), communities the body x theme incidence of published strategies. The
slice is loaded into a small :class:`~lisgraph.graph.KnowledgeGraph` and the embedded function
runs on it, so the rows are the embedded ones by construction. :data:`LAST_SLICE` records the
slice's size and the time taken to fetch it (the benchmarks report it).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from ..analysis.network import PARTNER_EDGES
from ..graph import KnowledgeGraph
from ..model import Edge, Node
from ..schema import load_schema
from .connection import Connection
from .lookup import time_filter

__all__ = ["LAST_SLICE", "brokers", "communities", "partner_slice", "theme_slice"]

#: what the last call fetched: {"nodes": n, "relationships": m, "seconds": s}
LAST_SLICE: dict[str, float] = {}


def _mini(nodes: list[dict[str, Any]], edges: list[tuple[str, str, str]], seconds: float) -> KnowledgeGraph:
    g = KnowledgeGraph(load_schema())
    for n in nodes:
        g.nodes[n["code"]] = Node(n["code"], n["type"], n["name"], ())
    for start, edge_type, end in edges:
        g.add_edge(Edge(start, edge_type, end, ()))
    LAST_SLICE.clear()
    LAST_SLICE.update(nodes=len(nodes), relationships=len(edges), seconds=seconds)
    return g


def partner_slice(conn: Connection, as_of: date | None = None) -> KnowledgeGraph:
    """The partner network holding on ``as_of`` (all of it when None) as a small graph."""
    schema = load_schema()
    types = "|".join(schema.edges[t].label for t in PARTNER_EDGES)
    name_of = {schema.edges[t].label: t for t in PARTNER_EDGES}
    start = time.perf_counter()
    # one row per start node with its links (a row per link costs the driver ten times more:
    # 739,498 links at 1M relationships took 16 s as rows, 1.7 s grouped)
    rows = conn.read(f"MATCH (a:Entity)-[r:{types}]->(b:Entity) WHERE {time_filter('r', 'a', 'b')} "
                     "WITH a, collect([type(r), b.code]) AS links RETURN a.code AS a, links",
                     {"as_of": as_of}, plain_values=True)
    rels = sorted((r["a"], name_of[t], b) for r in rows for t, b in r["links"])
    codes = sorted({a for a, _, _ in rels} | {b for _, _, b in rels})
    nodes = conn.read("UNWIND $codes AS code MATCH (n:Entity {code: code}) "
                      "RETURN n.code AS code, n.type AS type, n.name AS name", {"codes": codes},
                      plain_values=True)
    return _mini(nodes, rels, time.perf_counter() - start)


def theme_slice(conn: Connection, as_of: date | None = None) -> KnowledgeGraph:
    """Bodies, their published strategies, headline priorities and themes (with schemes), as
    a small graph: what the theme index is built from (only headline priorities count, as
    :func:`lisgraph.analysis.index.is_headline` reads them), plus every strategy these bodies
    published on the date, so that co-publishers merge as they do in the embedded engine."""
    start = time.perf_counter()
    holds = time_filter("r1", "r2", "r3", "b", "s", "p", "t")
    headline = "(p.role IS NULL OR trim(toLower(toString(p.role))) IN ['', 'headline'])"
    grouped = conn.read("MATCH (b:Entity)-[r1:PUBLISHED]->(s:Strategy)-[r2:HAS_PRIORITY]->"
                        f"(p:Priority)-[r3:ADDRESSES]->(t:Theme) WHERE {holds} AND {headline} "
                        "WITH b, s, p, collect(t.code) AS ts "
                        "RETURN b.code AS b, s.code AS s, p.code AS p, ts",
                        {"as_of": as_of}, plain_values=True)  # a row per priority, not per theme
    paths = [{"b": r["b"], "s": r["s"], "p": r["p"], "t": t} for r in grouped for t in r["ts"]]
    bodies = sorted({r["b"] for r in paths})
    published = conn.read("UNWIND $bodies AS code MATCH (b:Entity {code: code})-[r:PUBLISHED]->"
                          f"(s:Entity) WHERE {time_filter('r', 'b', 's')} "
                          "RETURN b.code AS b, s.code AS s", {"bodies": bodies, "as_of": as_of})
    codes = sorted({r[k] for r in paths for k in "bspt"} | {r["s"] for r in published})
    nodes = conn.read("UNWIND $codes AS code MATCH (n:Entity {code: code}) "
                      "RETURN n.code AS code, n.type AS type, n.name AS name, n.scheme AS scheme",
                      {"codes": codes})
    themes = conn.read(f"MATCH (t:Theme) WHERE {time_filter('t')} RETURN t.code AS code, "
                       "t.type AS type, t.name AS name, t.scheme AS scheme", {"as_of": as_of})
    edges = {(r["b"], "published", r["s"]) for r in paths + published}
    edges |= {(r["s"], "has_priority", r["p"]) for r in paths}
    edges |= {(r["p"], "addresses", r["t"]) for r in paths}
    g = _mini(list({n["code"]: n for n in nodes + themes}.values()), sorted(edges),
              time.perf_counter() - start)
    for n in nodes + themes:
        if n.get("scheme") is not None:
            g.nodes[n["code"]].props["scheme"] = n["scheme"]
    return g


def brokers(conn: Connection, top: int = 20, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.brokers` on the partner network fetched from the server."""
    from ..analysis import brokers as run

    return run(partner_slice(conn, as_of), top=top, as_of=as_of)


def communities(conn: Connection, min_similarity: float = 0.3,
                as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.communities` on the body x theme slice fetched from the server."""
    from ..analysis import communities as run

    return run(theme_slice(conn, as_of), min_similarity=min_similarity, as_of=as_of)
