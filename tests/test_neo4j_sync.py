"""The defects found on a real Neo4j 5.26 server, each checked against the real server: stale or
absent datasets answered confidently, pushes that never removed or that duplicated on a
corrected date, status exiting 0 on a mismatch, names resolved against local files, long names
failing the push, and a push that loaded the whole local graph before finding no server.

Needs a server (`scripts/neo4j-server.sh start`); skips without one, fails under CI. WIPES
lisgraph's nodes on it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import date

import pytest

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

from .test_neo4j_push import conn  # noqa: F401  (the module-scoped connection fixture)

pytestmark = pytest.mark.neo4j


def small_graph(valid_to: date | None = date(2020, 3, 31), with_org: bool = True,
                org_name: str = "Example Works") -> KnowledgeGraph:
    """A region, a LEP only this graph has (E37001000), a district in it, a partnership and
    an organisation that is a member of it."""
    g = KnowledgeGraph()
    g.add_source(Source("src", "Test", "t", "https://example.org", "2026", "CC0"))
    s = ("src",)
    g.add_node(Node("E12000001", "region", "North East", s))
    g.add_node(Node("E37001000", "lep", "Server Only LEP", s))
    g.add_node(Node("E06000001", "district", "Hartlepool", s, {"lat": 54.67, "lon": -1.27}))
    g.add_node(Node("north-test", "partnership", "North Test Partnership", s))
    g.add_edge(Edge("E06000001", "part_of", "E37001000", s, date(2011, 4, 1), valid_to))
    g.add_edge(Edge("E06000001", "part_of", "E12000001", s))
    g.add_edge(Edge("E37001000", "member_of", "north-test", s, date(2015, 1, 1), None))
    if with_org:
        g.add_node(Node("example-works", "organisation", org_name, s))
        g.add_edge(Edge("example-works", "member_of", "north-test", s, date(2016, 1, 1), None))
        g.add_edge(Edge("example-works", "located_in", "E06000001", s))
    g.finalize()
    g.check()
    return g


def test_a_corrected_date_updates_the_relationship_instead_of_adding_one(conn):  # noqa: F811
    from lisgraph.neo4j import database_digest, project, push

    push(small_graph(valid_to=date(2020, 3, 31)), conn, wipe=True)
    corrected = small_graph(valid_to=date(2019, 3, 31))
    push(corrected, conn)
    rows = conn.read("MATCH (:District {code: 'E06000001'})-[r:PART_OF]->"
                     "(:LocalEnterprisePartnership) RETURN r.valid_to AS to")
    assert rows == [{"to": date(2019, 3, 31)}]
    assert database_digest(conn) == project(corrected).digest()


def test_records_no_longer_local_are_removed_and_other_data_stays(conn):  # noqa: F811
    from lisgraph.neo4j import database_digest, project, push, status

    push(small_graph(with_org=True), conn, wipe=True)
    conn.write("MATCH (r:Region {code: 'E12000001'}) "
               "CREATE (a:Person {name: 'analyst'})-[:KNOWS]->(:Person {name: 'b'}), "
               "(a)-[:LIKES]->(r)")
    smaller = small_graph(with_org=False)
    summary = push(smaller, conn)
    assert (summary.removed_nodes, summary.removed_relationships) == (1, 2)
    assert conn.read("MATCH (n:Entity {code: 'example-works'}) RETURN n") == []
    assert database_digest(conn) == project(smaller).digest()
    assert status(smaller, conn, verify=True).matches
    other = conn.read("MATCH (a:Person)-[k]->(b) RETURN type(k) AS t ORDER BY t")
    assert [r["t"] for r in other] == ["KNOWS", "LIKES"]
    conn.write("MATCH (p:Person) DETACH DELETE p")


def test_a_name_longer_than_an_index_key_pushes_and_resolves(conn):  # noqa: F811
    from lisgraph.neo4j import push
    from lisgraph.neo4j.lookup import resolve

    long_name = "Ynys Môn Enterprise " * 2500  # 50,000 bytes: over RANGE's 8 kB and TEXT's 32 kB
    push(small_graph(org_name=long_name), conn, wipe=True)
    stored = conn.read("MATCH (n:Organisation) RETURN n.name AS name")
    assert stored == [{"name": long_name}]
    assert resolve(conn, long_name.upper()).id == "example-works"
    assert resolve(conn, "hartlepool").id == "E06000001"


def test_names_and_codes_resolve_on_the_server_not_in_local_files(conn, cli):  # noqa: F811
    from lisgraph.neo4j import push

    push(small_graph(), conn, wipe=True)  # E37001000 is not in the bundled (local) data
    for place in ("E37001000", "server only lep"):
        code, out, err = cli("neo4j", "query", "members", "-p", f"place={place}",
                             "-p", "as_of=2018-06-01", "--format", "csv")
        assert code == 0, err
        assert out.splitlines()[1:] == ["E06000001,Hartlepool,district,2011-04-01,2020-03-31"]
    code, out, err = cli("boundaries", "--backend", "neo4j", "--format", "json")
    assert code == 0 and json.loads(out) == []  # the server's graph, not the bundled one
    # path answers from the server's graph: the same steps as the embedded engine on it
    from lisgraph.analysis import path

    code, out, err = cli("path", "Example Works", "Server Only LEP", "--backend", "neo4j",
                         "--format", "json")
    assert code == 0, err
    expected = path(small_graph(), "Example Works", "Server Only LEP")
    assert expected and [(s["path"], s["to"], s["cost"]) for s in json.loads(out)] == \
        [(i, s["to"], s["cost"]) for i, p in enumerate(expected, 1) for s in p]


@pytest.fixture
def bundled_pushed(conn, bundled):  # noqa: F811
    from lisgraph.neo4j import push

    push(bundled, conn)
    yield conn
    push(bundled, conn)


@pytest.mark.parametrize("damage,message", [
    ("MATCH (m:LisgraphMeta) SET m.complete = false", "is unfinished"),
    ("MATCH (m:LisgraphMeta) SET m.schema = '1:0000'", "was written with schema version 1:0000"),
    ("MATCH (m:LisgraphMeta) DELETE m", "holds no lisgraph dataset"),
    ("MATCH (n:Entity) DETACH DELETE n", "holds no lisgraph dataset"),
])
def test_reads_refuse_an_absent_unfinished_or_other_version_dataset(bundled_pushed, cli,
                                                                     damage, message):
    bundled_pushed.write(damage)
    if "Entity" in damage:
        bundled_pushed.write("MATCH (m:LisgraphMeta) DELETE m")
    for args in (["boundaries", "--backend", "neo4j"],
                 ["network", "brokers", "--backend", "neo4j"],
                 ["neo4j", "query", "members", "-p", "place=E47000001", "-p", "as_of=2020-01-01"]):
        code, out, err = cli(*args)
        assert code == 1 and out == "", args
        assert message in err and len(err.strip().splitlines()) == 1, (args, err)


def test_status_exits_1_when_the_server_does_not_match(bundled_pushed, cli):
    # the fixture pushed the graph alone: status compares the graph alone (--no-evidence); with
    # the evidence (the default, as push) the observations are missing on the server
    code, out, _ = cli("neo4j", "status", "--no-evidence", "--format", "json")
    assert code == 0 and json.loads(out)["matches"] is True
    code, out, _ = cli("neo4j", "status", "--format", "json")
    assert code == 1 and "Observation nodes: 27780 local, 0 in Neo4j" in \
        json.loads(out)["differences"]
    bundled_pushed.write("MATCH (:District {code: 'E08000003'})-[r:NEIGHBOURS]-() "
                         "WITH r LIMIT 1 DELETE r")
    for fmt in ("json", "table", "csv"):
        code, out, _ = cli("neo4j", "status", "--no-evidence", "--format", fmt)
        assert code == 1, fmt
    assert json.loads(cli("neo4j", "status", "--no-evidence", "--format", "json")[1])[
        "matches"] is False


def test_push_checks_the_server_before_loading_local_files(tmp_path):
    (tmp_path / "strategies.csv").write_text("id,name\nx,y\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NEO4J_URI=f"bolt://127.0.0.1:{port}")
    run = [sys.executable, "-m", "lisgraph", "--data", str(tmp_path)]
    bad = subprocess.run([*run, "info"], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "strategies.csv" in bad.stderr  # the files do not load
    for command in (["neo4j", "push"], ["neo4j", "status"]):
        proc = subprocess.run([*run, *command], env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 1 and "cannot reach Neo4j" in proc.stderr, command
