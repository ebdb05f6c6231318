"""The analyst commands give identical rows on both backends (embedded and Neo4j).

Needs a server (`scripts/neo4j-server.sh start`); skips without one, fails under CI.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from lisgraph.analysis import boundaries, gaps, opportunities, overlaps, path

from .test_neo4j_push import require_neo4j

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def server_graph(bundled):
    from lisgraph.neo4j import push
    from lisgraph.neo4j.readback import read_graph

    with require_neo4j() as conn:
        push(bundled, conn, wipe=True)
        yield read_graph(conn, bundled.sources)


def test_read_back_holds_the_same_graph(bundled, server_graph):
    assert set(server_graph.nodes) == set(bundled.nodes)
    assert sorted(e.key for e in server_graph.edges) == sorted(e.key for e in bundled.edges)
    for node_id, node in bundled.nodes.items():
        assert server_graph.nodes[node_id].props == node.props, node_id


@pytest.mark.parametrize("run,args,kwargs", [
    (overlaps, ("Greater Manchester",), {}),
    (overlaps, ("Oxfordshire",), {"theme": "life-sciences"}),
    (opportunities, (), {}),
    (opportunities, ("Greater Manchester",), {"as_of": date(2018, 6, 1)}),
    (gaps, ("Oxfordshire",), {}),
    (gaps, ("West Midlands",), {"as_of": date(2019, 1, 1)}),
    (boundaries, (), {"as_of": date(2018, 6, 1)}),
    (boundaries, (), {"as_of": date(2022, 6, 1)}),
    (path, ("University of Oxford", "Greater Manchester"), {}),
    (path, ("Cannock Chase", "Tees Valley"), {"as_of": date(2018, 6, 1)}),
], ids=lambda v: getattr(v, "__name__", None))
def test_same_rows_on_both_backends(bundled, server_graph, run, args, kwargs):
    embedded = run(bundled, *args, **kwargs)
    assert embedded and run(server_graph, *args, **kwargs) == embedded


def test_cli_backend_option(cli, server_graph):
    for args in (["overlaps", "Greater Manchester"], ["boundaries", "--as-of", "2018-06-01"],
                 ["gaps", "Oxfordshire"], ["opportunities", "Oxfordshire"],
                 ["path", "University of Oxford", "University of Cambridge"]):
        code_e, out_e, _ = cli(*args, "--format", "json")
        code_n, out_n, _ = cli(*args, "--format", "json", "--backend", "neo4j")
        assert code_e == code_n == 0 and json.loads(out_n) == json.loads(out_e), args
