"""Neo4j push and status on a real server: counts, idempotence, constraints, quoting, status.

These tests need a server: `scripts/neo4j-server.sh start` runs one on 127.0.0.1:7687 (or set
NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD). They WIPE lisgraph's nodes on it. Without a server they
skip, saying so; with CI set they fail instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

pytestmark = pytest.mark.neo4j


@contextmanager
def require_neo4j() -> Iterator:
    """A connection to the test server; skip (fail under CI) when there is none."""
    from lisgraph.neo4j import Neo4jError, connect

    try:
        conn = connect()
    except Neo4jError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc} (CI is set, so the neo4j tests must run: "
                        ".ci/install-neo4j.sh starts the server)")
        pytest.skip(str(exc))
    with conn:
        yield conn


@pytest.fixture(scope="module")
def conn():
    with require_neo4j() as c:
        yield c


def local_counts(graph: KnowledgeGraph) -> tuple[dict[str, int], dict[str, int]]:
    nodes, edges = graph.count_by_type()
    s = graph.schema
    return ({s.nodes[k].label: v for k, v in nodes.items()},
            {s.edges[k].label: v for k, v in edges.items()})


def db_counts(conn) -> tuple[dict[str, int], dict[str, int]]:
    rows = conn.read("MATCH (n:Entity) RETURN n.type AS t, count(*) AS c")
    labels = conn.read("MATCH (n:Entity) UNWIND labels(n) AS l WITH l WHERE l <> 'Entity' "
                       "RETURN l, count(*) AS c")
    rels = conn.read("MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t, count(*) AS c")
    assert sum(r["c"] for r in rows) == sum(r["c"] for r in labels)  # one type label each
    return {r["l"]: r["c"] for r in labels}, {r["t"]: r["c"] for r in rels}


def test_push_bundled_gives_the_local_counts(conn, bundled):
    from lisgraph.neo4j import push

    calls = []
    summary = push(bundled, conn, wipe=True, batch_size=500,
                   progress=lambda done, total: calls.append((done, total)))
    labels, types = local_counts(bundled)
    assert db_counts(conn) == (labels, types)
    assert summary.nodes == len(bundled.nodes)
    assert summary.relationships == len(bundled.edges)
    assert {r["name"]: r["in_neo4j"] for r in summary.rows()} == {**labels, **types}
    total = len(bundled.nodes) + len(bundled.edges)
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert summary.batches == len(calls) - 1 >= total // 500


def test_push_twice_leaves_the_same_graph(conn, bundled):
    from lisgraph.neo4j import database_digest, project, push

    push(bundled, conn, wipe=True)
    first = db_counts(conn), database_digest(conn)
    push(bundled, conn)
    assert (db_counts(conn), database_digest(conn)) == first
    assert first[1] == project(bundled).digest()


def test_dates_lists_and_numbers_keep_their_types(conn, bundled):
    from lisgraph.neo4j import push

    push(bundled, conn)
    row = conn.read("MATCH (d:District {code: 'E08000003'})-[r:PART_OF]->(c:CombinedAuthority) "
                    "RETURN r.valid_from AS f, r.sources AS s, d.lat AS lat, c.mayoral AS m, "
                    "d.type AS t, d.name AS n")[0]
    assert isinstance(row["f"], date) and isinstance(row["s"], list)
    assert isinstance(row["lat"], float) and row["m"] is True
    assert (row["t"], row["n"]) == ("district", "Manchester")
    themes = conn.read("MATCH (c:Collaboration) WHERE c.themes IS NOT NULL "
                       "RETURN c.themes AS t LIMIT 1")[0]["t"]
    assert isinstance(themes, list) and all(isinstance(t, str) for t in themes)


def test_only_the_constraints_and_indexes_the_queries_use(conn, bundled):
    from lisgraph.neo4j import push

    # an earlier lisgraph made a constraint per type and a RANGE index on every type's name
    conn.run("CREATE CONSTRAINT lisgraph_district_code IF NOT EXISTS FOR (n:District) "
             "REQUIRE n.code IS UNIQUE")
    conn.run("CREATE INDEX lisgraph_region_name IF NOT EXISTS FOR (n:Region) ON (n.name)")
    push(bundled, conn)
    constraints = conn.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                           "RETURN name, type, labelsOrTypes AS l, properties AS p")
    unique = {(r["l"][0], tuple(r["p"])) for r in constraints
              if "UNIQUE" in r["type"] and r["name"].startswith("lisgraph_")}
    assert unique == {("Entity", ("code",)), ("LisgraphMeta", ("id",))}
    indexes = conn.run("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
                       "RETURN name, type, labelsOrTypes AS l, properties AS p, state")
    ours = [r for r in indexes if r["name"].startswith("lisgraph_")]
    assert {(r["type"], r["l"][0], tuple(r["p"])) for r in ours} == {
        ("RANGE", "Entity", ("code",)), ("RANGE", "LisgraphMeta", ("id",)),
        ("TEXT", "Entity", ("name_key",))}
    assert {r["state"] for r in ours} == {"ONLINE"}


def test_parallel_writers_write_every_row_once(conn):
    """Three writers on a graph whose hubs (providers with hundreds of partners) make
    concurrent batches lock the same nodes: the server's deadlocks are retried, and what it
    holds is the local graph, row for row; the first load builds the name index after the
    nodes, and it serves names."""
    from benchmarks.generator import graph_of_size
    from lisgraph.neo4j import database_digest, project, push
    from lisgraph.neo4j.constraints import NAME_INDEX
    from lisgraph.neo4j.lookup import resolve

    graph = graph_of_size(3000, 30000, seed=7)
    summary = push(graph, conn, wipe=True, batch_size=250, writers=3)
    assert summary.batches >= (len(graph.nodes) + len(graph.edges)) // 250
    assert db_counts(conn) == local_counts(graph)
    assert database_digest(conn) == project(graph).digest()
    state = conn.run("SHOW INDEXES YIELD name, state WHERE name = $n RETURN state",
                     {"n": NAME_INDEX})
    assert state == [{"state": "ONLINE"}]
    provider = sorted(graph.nodes_of_type("provider"), key=lambda n: n.id)[0]
    assert resolve(conn, provider.name).id == provider.id


def test_writers_below_one_are_refused(conn, bundled):
    from lisgraph.neo4j import push

    with pytest.raises(ValueError, match="writers"):
        push(bundled, conn, writers=0)


NASTY = [
    "O'Brien \"& Sons\" Ltd",
    "x'}) DETACH DELETE n //",
    "`Entity`) MATCH (m) DETACH DELETE m RETURN (`",
    "$rows {props: 1} \\u0041 \\ back\\slash",
    "line\nbreak\ttab; DROP CONSTRAINT lisgraph_entity_code",
    "Ynys Môn — ąčę 北京 🙂",
]


def nasty_graph() -> KnowledgeGraph:
    g = KnowledgeGraph()
    g.add_source(Source("s'); MATCH (n) DETACH DELETE n //", "p\"ub", "t", "", "2026", "CC0"))
    sid = ("s'); MATCH (n) DETACH DELETE n //",)
    for i, name in enumerate(NASTY):
        g.add_node(Node(f"org-{i}", "organisation", name, sid,
                        {"kind": name, "url": f"https://example.org/?q='{i}'&x=\"y\""}))
    g.add_node(Node("E12000001", "region", "North East", sid))
    for i in range(1, len(NASTY)):
        g.add_edge(Edge(f"org-{i - 1}", "collaborates_with", f"org-{i}", sid,
                        date(2019, 1, 1), None, {"collaboration": NASTY[i], "themes": NASTY[:i]}))
    g.finalize()
    g.check()
    return g


def test_values_with_quotes_and_cypher_syntax_stay_data(conn):
    from lisgraph.neo4j import database_digest, project, push

    graph = nasty_graph()
    push(graph, conn, wipe=True, batch_size=2)
    names = conn.read("MATCH (n:Organisation) RETURN n.code AS code, n.name AS name, "
                      "n.kind AS kind ORDER BY code")
    assert [r["name"] for r in names] == NASTY and [r["kind"] for r in names] == NASTY
    collabs = conn.read("MATCH (a)-[r:COLLABORATES_WITH]->(b) RETURN r.collaboration AS c, "
                        "r.themes AS t, r.sources AS s ORDER BY a.code")
    assert [r["c"] for r in collabs] == NASTY[1:]
    assert collabs[-1]["t"] == NASTY[:-1]
    assert collabs[0]["s"] == ["s'); MATCH (n) DETACH DELETE n //"]
    assert conn.read("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"] == len(NASTY) + 1
    assert database_digest(conn) == project(graph).digest()
    assert any(r["name"] == "lisgraph_entity_code"
               for r in conn.run("SHOW CONSTRAINTS YIELD name RETURN name"))


def test_named_query_parameters_are_values_not_cypher(conn, bundled):
    from lisgraph.neo4j import push, run_named

    push(bundled, conn, wipe=True)
    before = db_counts(conn)
    for evil in ("x'}) MATCH (n) DETACH DELETE n //", "E47000001' OR 1=1 //", "$place"):
        assert run_named("members", {"place": evil, "as_of": "2018-06-01"}, conn) == []
    assert run_named("theme-partners", {"theme": "ideas' OR true //"}, conn) == []
    assert db_counts(conn) == before


def test_status_reports_match_and_mismatch(conn, bundled):
    from lisgraph.neo4j import push, status

    push(bundled, conn, wipe=True)
    st = status(bundled, conn, verify=True)
    assert st.matches and st.differences == [] and st.version.startswith("5.")
    districts = sum(1 for _ in bundled.nodes_of_type("district"))
    assert st.labels["District"] == (districts, districts)
    # same counts, one property changed: only reading the content back notices
    conn.write("MATCH (d:District {code: 'E08000003'}) SET d.name = 'Manchester (edited)'")
    assert status(bundled, conn).matches
    st = status(bundled, conn, verify=True)
    assert not st.matches and st.differences == [
        "the content read back differs from the local graph"]
    # one relationship fewer: the counts say so
    conn.write("MATCH (:District {code: 'E08000003'})-[r:NEIGHBOURS]-() WITH r LIMIT 1 DELETE r")
    st = status(bundled, conn)
    pairs = sum(1 for e in bundled.edges if e.type == "neighbours")
    assert f"NEIGHBOURS relationships: {pairs} local, {pairs - 1} in Neo4j" in st.differences
    # a different local graph
    st = status(nasty_graph(), conn)
    assert "the last push was of different data than the local graph" in st.differences
    push(bundled, conn)
    assert status(bundled, conn, verify=True).matches


def test_cli_push_query_status(conn, cli, bundled):
    code, out, err = cli("neo4j", "push", "--wipe", "--batch-size", "1000", "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    from lisgraph.evidence.observations import bundled_index
    from lisgraph.neo4j import project

    rows = project(bundled, bundled_index())  # the graph and the evidence observations
    assert (summary["nodes"], summary["relationships"]) == (rows.node_count,
                                                            rows.relationship_count)
    assert summary["nodes"] > len(bundled.nodes) and summary["relationships"] > len(bundled.edges)
    assert all(r["pushed"] == r["in_neo4j"] for r in summary["counts"])
    assert "Neo4j holds the same counts" in err
    code, out, err = cli("neo4j", "status", "--verify")
    assert code == 0 and "matches the local graph (content verified)" in out
    code, out, err = cli("neo4j", "query", "members", "-p", "place=Greater Manchester",
                         "-p", "as_of=2018-06-01", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "code,name,type,valid_from,valid_to"
    assert len(out.splitlines()) == 11 and "E08000003,Manchester,district,2011-04-01," in out
    code, out, err = cli("neo4j", "query", "members", "-p", "place=Manchester")
    assert code == 1 and "needs -p as_of" in err
    code, out, err = cli("neo4j", "query")
    assert code == 0 and "districts-in-two-leps" in out


def test_a_wrong_password_is_refused_and_never_shown(conn):
    import subprocess
    import sys

    env = dict(os.environ, NEO4J_PASSWORD="not-the-password-8c1f2")
    for command in (["status"], ["push"], ["query", "strategies"]):
        proc = subprocess.run([sys.executable, "-m", "lisgraph", "neo4j", *command], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 1
        assert "refused the credentials of user 'neo4j'" in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert "8c1f2" not in proc.stderr + proc.stdout
