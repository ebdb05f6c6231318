"""The Neo4j backend's parts that need no server: twins, generated Cypher, settings, errors."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest

from lisgraph.errors import DataIntegrityError
from lisgraph.named import list_queries
from lisgraph.neo4j.connection import Settings
from lisgraph.neo4j.constraints import (
    ddl,
    labels,
    node_merge,
    relationship_merge,
    relationship_types,
)
from lisgraph.neo4j.projection import ENTITY, node_properties, project, relationship_keys
from lisgraph.neo4j.queries import cypher_header


def test_every_named_query_has_a_cypher_twin_with_the_same_header():
    for q in list_queries():
        assert q.cypher is not None, f"queries/{q.name}.rq has no twin queries/{q.name}.cypher"
        h = cypher_header(q.cypher)
        assert (h["title"], h["description"], h["columns"]) == (q.title, q.description, q.columns)
        assert h["params"] == tuple((p.name, p.type) for p in q.params)


def test_twins_name_only_schema_labels_and_types():
    allowed = set(labels().values()) | set(relationship_types().values()) | {ENTITY}
    for q in list_queries():
        body = "\n".join(line.split("//")[0] for line in (q.cypher or "").splitlines())
        names = re.findall(r"[(\[]\s*\w*\s*:\s*([A-Za-z_|]+)", body)
        used = {n for group in names for n in group.split("|")}
        assert used and used <= allowed, (q.name, used - allowed)


def test_ddl_holds_only_what_the_queries_use(bundled):
    statements = ddl()
    assert ("CREATE CONSTRAINT lisgraph_entity_code IF NOT EXISTS FOR (n:`Entity`) "
            "REQUIRE n.code IS UNIQUE") in statements
    # names: a TEXT index (takes long values), never a RANGE index (refuses keys over 8 kB)
    assert [s for s in statements if "name" in s] == [
        "CREATE TEXT INDEX lisgraph_entity_name_key IF NOT EXISTS FOR (n:`Entity`) ON (n.name_key)"]
    for nt in bundled.schema.nodes.values():  # no per-type constraint duplicating :Entity's
        assert not any(f"(n:`{nt.label}`)" in s for s in statements), nt.label
    assert len(statements) == 3


def test_write_statements_refuse_names_outside_the_schema():
    assert "MERGE (n:`District`:`Entity` {code: props.code})" in node_merge("District")
    assert "[r:`PART_OF` {key: row.props.key}]" in relationship_merge("PART_OF")
    for bad in ("Person", "District`) DETACH DELETE (n", "Entity"):
        with pytest.raises(DataIntegrityError):
            node_merge(bad)
    with pytest.raises(DataIntegrityError):
        relationship_merge("KNOWS")


def test_projection_rows(bundled):
    rows = project(bundled)
    assert rows.counts()[0]["District"] == 340 + 65 and rows.relationship_count == len(bundled.edges)
    m = node_properties(bundled.nodes["E47000001"])
    assert m["code"] == "E47000001" and m["type"] == "combined_authority"
    assert m["mayoral"] is True and isinstance(m["sources"], list)
    assert all(v is not None and v != [] for v in m.values())
    keys = {(r["start"], rel, r["end"], r["props"]["key"])
            for rel, group in rows.relationships.items() for r in group}
    assert len(keys) == len(bundled.edges)  # the key tells apart edges between the same nodes
    assert rows.digest() == project(bundled).digest()


def test_relationship_key_survives_a_corrected_date():
    from datetime import date

    from lisgraph.model import Edge

    before = Edge("E07000001", "member_of", "p", ("s",), date(2011, 4, 1), date(2020, 3, 31))
    after = Edge("E07000001", "member_of", "p", ("s",), date(2011, 5, 1), None)
    assert relationship_keys([before])[id(before)] == relationship_keys([after])[id(after)]
    other = Edge("E07000002", "member_of", "p", ("s",), date(2011, 4, 1), date(2020, 3, 31))
    assert relationship_keys([other])[id(other)] != relationship_keys([before])[id(before)]
    # two periods of the same link: two keys, the earlier period keeps the plain one
    again = Edge("E07000001", "member_of", "p", ("s",), date(2022, 1, 1), None)
    keys = relationship_keys([again, before])
    assert keys[id(again)] == keys[id(before)] + "#2"


def test_relationship_keys_keep_their_format():
    """A key is what the server MERGEs on: a new way of computing it would make the next push
    rewrite every relationship of a server pushed before."""
    import hashlib

    from lisgraph.model import Edge

    edge = Edge("E07000001", "party_to", "sia-1", ("s",), None, None, {"collaboration": "x"})
    text = "E07000001\x1fparty_to\x1fsia-1\x1fx"
    assert relationship_keys([edge])[id(edge)] == hashlib.sha256(text.encode()).hexdigest()[:24]


def test_projection_in_stages_gives_the_same_rows(bundled):
    from lisgraph.evidence.observations import bundled_index
    from lisgraph.neo4j.projection import project_in_stages

    evidence = bundled_index()
    whole = project(bundled, evidence)
    rows, pending = project_in_stages(bundled, evidence)
    assert pending.count == len(bundled.edges)
    assert rows.relationship_count == len(whole.relationships["OF_AREA"])  # before: evidence
    pending.start()
    pending.wait()
    assert rows == whole and list(rows.relationships) == list(whole.relationships)
    assert rows.digest() == whole.digest()


def test_settings_hide_the_password_and_read_the_environment(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://example.invalid:7687")
    monkeypatch.setenv("NEO4J_USER", "analyst")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw-7d1e")
    s = Settings.from_env()
    assert (s.uri, s.user, s.password) == ("neo4j://example.invalid:7687", "analyst", "pw-7d1e")
    assert "pw-7d1e" not in repr(s)
    assert Settings.from_env(uri="bolt://other:1", user="u").uri == "bolt://other:1"
    monkeypatch.delenv("NEO4J_URI")
    assert Settings.from_env().uri == "bolt://127.0.0.1:7687"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("uri,message", [
    ("bolt://127.0.0.1:{port}", ("cannot reach Neo4j at bolt://127.0.0.1:{port}: start it "
                                 "with scripts/neo4j-server.sh start (or set NEO4J_URI)")),
    ("http://127.0.0.1:{port}", "is not a Bolt URI"),
    ("bolt://me:pw-3b9a@127.0.0.1:{port}", "carries credentials"),
])
def test_connection_problems_are_one_line_and_exit_1(uri, message):
    port = _free_port()
    env = dict(os.environ, NEO4J_URI=uri.format(port=port))
    for command in (["push"], ["status"], ["query", "strategies"]):
        proc = subprocess.run([sys.executable, "-m", "lisgraph", "neo4j", *command], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 1
        assert proc.stderr.startswith("Error: ") and message.format(port=port) in proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "pw-3b9a" not in proc.stderr


def test_help_does_not_import_the_driver():
    code = ("import sys\nfrom lisgraph.cli import app\nfrom typer.testing import CliRunner\n"
            "CliRunner().invoke(app, ['neo4j', '--help'])\nprint('neo4j' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_opportunities_top_n_is_the_head_of_the_full_ranking():
    """With tied scores, --top N gives the first N rows of the full ranking (ties by code),
    not whichever rows a partial sort picked."""
    from benchmarks.generator import synthetic_graph
    from lisgraph.analysis import opportunities

    graph = synthetic_graph(60, edges=4000, seed=11)
    full = opportunities(graph)
    scores = [r["score"] for r in full]
    assert len(scores) > len(set(scores))  # ties exist
    for n in (1, 3, 10, 40):
        assert opportunities(graph, top=n) == full[:n]
