"""The analyst questions answered on the Neo4j server give the embedded engine's rows.

The server-side twins (lisgraph.neo4j.answers, .opportunities, .network) run as Cypher on the
server; these tests push a graph and compare every row with the embedded analysis, on the
bundled graph and on a seeded synthetic one (benchmarks/generator.py), undated and on dates.
Both read time the same way: the embedded engine through the dated view (lisgraph.view), the
Cypher by the same contract (a link is visible on a day iff it holds and both its ends do;
undated answers give the period a row held).

Needs a server (`scripts/neo4j-server.sh start`); skips without one, fails under CI. WIPES
lisgraph's nodes on it.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from lisgraph import analysis
from lisgraph.graph import KnowledgeGraph

from .test_neo4j_push import require_neo4j

pytestmark = pytest.mark.neo4j


#: analyses whose embedded rows changed on main (honest analytics, 2026-12-02) after their
#: server-side twins were written: parity pending (lisgraph.neo4j.backend.BEHIND); none now
BEHIND: tuple[str, ...] = ()
behind = pytest.mark.xfail(reason="embedded analytics changed on main; the Cypher twin gives "
                           "the earlier rows (parity pending)", strict=False)


def server(name, conn, *args, **kwargs):
    from lisgraph.neo4j.backend import run

    return run(name, *args, conn=conn, **kwargs)


def embedded(name, graph, *args, **kwargs):
    return getattr(analysis, name)(graph, *args, **kwargs)


BUNDLED_CASES = [
    ("overlaps", ("Greater Manchester",), {}),
    ("overlaps", ("Oxfordshire",), {"theme": "life-sciences"}),
    ("overlaps", ("Oxfordshire",), {"top": 3}),
    ("opportunities", (), {}),
    ("opportunities", (), {"theme": "life-sciences"}),
    ("opportunities", ("Greater Manchester",), {"as_of": date(2020, 6, 1)}),
    ("opportunities", ("Oxfordshire",), {"max_km": 80.0}),
    ("opportunities", (), {"top": 7}),
    ("gaps", ("Oxfordshire",), {}),
    ("gaps", ("West Midlands",), {"as_of": date(2020, 1, 1)}),
    ("overlaps", ("Greater Manchester",), {"as_of": date(2020, 1, 1)}),
    ("boundaries", (), {}),
    ("boundaries", (), {"as_of": date(2018, 6, 1)}),
    ("boundaries", (), {"as_of": date(2022, 6, 1)}),
    ("path", ("University of Oxford", "Greater Manchester"), {}),
    ("path", ("Cannock Chase", "Tees Valley"), {"as_of": date(2018, 6, 1)}),
    ("path", ("Oxfordshire", "Greater Manchester"), {"skip_types": ()}),
    ("brokers", (), {"top": 15}),
    ("brokers", (), {"top": 10, "as_of": date(2018, 6, 1)}),
    ("communities", (), {}),
    ("communities", (), {"as_of": date(2020, 6, 1)}),
]


@pytest.fixture(scope="module")
def bundled_server(bundled):
    from lisgraph.neo4j import push

    with require_neo4j() as conn:
        push(bundled, conn, wipe=True)
        yield conn


@pytest.mark.parametrize("name,args,kwargs", [
    pytest.param(*c, marks=behind) if c[0] in BEHIND else c for c in BUNDLED_CASES],
    ids=[f"{c[0]}-{i}" for i, c in enumerate(BUNDLED_CASES)])
def test_bundled_same_rows_on_both_backends(bundled, bundled_server, name, args, kwargs):
    expected = embedded(name, bundled, *args, **kwargs)
    assert expected, "a case whose answer is empty proves nothing"
    assert server(name, bundled_server, *args, **kwargs) == expected


@pytest.mark.parametrize("name,args,kwargs", [
    ("gaps", ("West Midlands",), {"as_of": date(2019, 1, 1)}),
    ("overlaps", ("Oxfordshire",), {"as_of": date(2026, 1, 1)}),  # the LEP had ended
    ("path", ("E47000001", "E37000053"), {"as_of": date(2005, 1, 1)}),  # not yet established
])
def test_both_backends_refuse_the_same_way(bundled, bundled_server, name, args, kwargs):
    from lisgraph.errors import LisgraphError

    with pytest.raises(LisgraphError) as embedded_error:
        embedded(name, bundled, *args, **kwargs)
    with pytest.raises(LisgraphError) as server_error:
        server(name, bundled_server, *args, **kwargs)
    assert str(server_error.value) == str(embedded_error.value)


def test_the_place_and_theme_resolve_on_the_server(bundled, bundled_server):
    # a theme given by label or alternative label, a place by former name or older code
    rows = server("overlaps", bundled_server, "Oxfordshire", theme="Life Sciences")
    assert rows == analysis.overlaps(bundled, "Oxfordshire", theme="life-sciences")
    from lisgraph.errors import PlaceNotFound
    from lisgraph.neo4j.lookup import resolve, resolve_theme

    from lisgraph.places import has_strategy
    from lisgraph.places import resolve as resolve_here

    for text in ("buckinghamshire thames valley", "E37000002", "e37000043", "Buckinghamshire",
                 "The Buckinghamshire", "oxfordshire", "Greater Manchester"):
        assert resolve(bundled_server, text).id == resolve_here(bundled, text).id, text
        assert resolve(bundled_server, text, prefer_strategy=True).id == resolve_here(
            bundled, text, prefer=has_strategy(bundled)).id, text
    assert resolve(bundled_server, "Buckinghamshire", prefer_strategy=True).id == "E37000043"
    assert resolve_theme(bundled_server, "Satellites") == "space"
    assert resolve(bundled_server, "Greater Manchester").type == "combined_authority"

    with pytest.raises(PlaceNotFound, match="did you mean Oxfordshire"):
        resolve(bundled_server, "Oxfordshre")


@pytest.fixture(scope="module")
def synthetic():
    from benchmarks.generator import synthetic_graph

    return synthetic_graph(60, edges=4000, seed=11)


@pytest.fixture(scope="module")
def synthetic_server(synthetic):
    from lisgraph.neo4j import push

    with require_neo4j() as conn:
        push(synthetic, conn, wipe=True)
        yield conn


def _synthetic_cases(graph: KnowledgeGraph) -> list[tuple[str, tuple, dict]]:
    bodies = sorted(n.id for n in graph.nodes_of_type("combined_authority"))[:2]
    bodies += sorted(n.id for n in graph.nodes_of_type("lep"))[:3]
    provider = sorted(n.id for n in graph.nodes_of_type("provider"))[0]
    cases: list[tuple[str, tuple, dict]] = [
        ("opportunities", (), {}), ("opportunities", (), {"as_of": date(2016, 6, 1)}),
        ("opportunities", (), {"as_of": date(2022, 6, 1), "top": 25}),
        ("boundaries", (), {}), ("boundaries", (), {"as_of": date(2016, 6, 1)}),
        ("brokers", (), {"top": 20}), ("communities", (), {"min_similarity": 0.4}),
    ]
    addressed = [e.end for e in graph.edges if e.type == "addresses"]
    common = max(sorted(set(addressed)), key=addressed.count)  # the theme most priorities name
    cases += [("opportunities", (), {"theme": common}), ("opportunities", (), {"max_km": 120.0})]
    for b in bodies:
        cases += [("overlaps", (b,), {"as_of": date(2022, 6, 1)}),
                  ("overlaps", (b,), {"theme": common, "top": 4}),
                  ("opportunities", (b,), {"theme": common, "max_km": 120.0}),
                  ("gaps", (b,), {"max_km": 150.0})]
        cases += [("overlaps", (b,), {}), ("opportunities", (b,), {}),
                  ("opportunities", (b,), {"as_of": date(2022, 6, 1)}),
                  ("gaps", (b,), {}), ("gaps", (b,), {"as_of": date(2016, 6, 1)}),
                  ("path", (b, provider), {}), ("path", (b, bodies[0]), {"as_of": date(2016, 6, 1)})]
    return cases


def test_synthetic_same_rows_on_both_backends(synthetic, synthetic_server):
    checked = 0
    for name, args, kwargs in _synthetic_cases(synthetic):
        if name in BEHIND or (name == "path" and args[0] == args[1]):
            continue
        from lisgraph.errors import LisgraphError

        try:
            expected = embedded(name, synthetic, *args, **kwargs)
        except LisgraphError as exc:  # e.g. no strategy on that date: the same refusal
            with pytest.raises(LisgraphError, match=re.escape(str(exc))):
                server(name, synthetic_server, *args, **kwargs)
            continue
        got = server(name, synthetic_server, *args, **kwargs)
        assert got == expected, (name, args, kwargs)
        checked += bool(expected)
    assert checked >= 20  # most cases have an answer to compare


def test_synthetic_path_and_communities_same_rows(synthetic, synthetic_server):
    # path: costs, distinct intermediates and one common period per path, searched on the slice
    # the server gives as the search grows; communities: the body x theme slice only
    from lisgraph.neo4j import network
    from lisgraph.neo4j import path as neo4j_path

    cases = [c for c in _synthetic_cases(synthetic) if c[0] in ("path", "communities")]
    bodies = sorted(n.id for n in synthetic.nodes_of_type("lep"))
    cases += [("path", (bodies[0], bodies[-1]), {"skip_types": (), "limit": 5}),
              ("communities", (), {}), ("communities", (), {"as_of": date(2022, 6, 1)})]
    compared = 0
    for name, args, kwargs in cases:
        if name == "path" and args[0] == args[1]:
            continue
        expected = embedded(name, synthetic, *args, **kwargs)
        assert server(name, synthetic_server, *args, **kwargs) == expected, (name, args, kwargs)
        compared += bool(expected)
        if name == "path" and expected:
            assert 0 < neo4j_path.LAST_SLICE["nodes"] <= len(synthetic.nodes)
    assert compared >= 10
    # the communities slice is bodies, strategies, priorities and themes: never the graph
    network.communities(synthetic_server)
    assert network.LAST_SLICE["relationships"] < len(synthetic.edges) / 2


def test_top_n_is_the_head_of_the_full_ranking_on_both_backends(synthetic, synthetic_server):
    full = analysis.opportunities(synthetic)
    scores = [r["score"] for r in full]
    assert len(scores) > len(set(scores))  # ties: where a partial sort could pick either row
    for n in (1, 3, 10, 40):
        assert analysis.opportunities(synthetic, top=n) == full[:n]
        assert server("opportunities", synthetic_server, top=n) == full[:n]


def test_cli_backend_neo4j_loads_no_local_graph(bundled, bundled_server, cli):
    from lisgraph import cli as cli_module
    from lisgraph.neo4j import push

    push(bundled, bundled_server)  # the synthetic graph may be there: a push replaces it

    for args in (["overlaps", "Greater Manchester"], ["boundaries", "--as-of", "2018-06-01"],
                 ["gaps", "Oxfordshire"], ["opportunities", "Oxfordshire", "--top", "5"],
                 ["path", "University of Oxford", "University of Cambridge"],
                 ["network", "brokers", "--top", "5"]):
        if args[0] in BEHIND:
            continue
        code_e, out_e, _ = cli(*args, "--format", "json")
        code_n, out_n, err = cli(*args, "--format", "json", "--backend", "neo4j")
        assert code_e == code_n == 0, err
        assert json.loads(out_n) == json.loads(out_e), args
        assert cli_module.state._graph is None, args  # the server answered, nothing loaded


def test_cli_backend_neo4j_refuses_local_files(cli, tmp_path):
    code, _, err = cli("--data", str(tmp_path), "overlaps", "Oxfordshire", "--backend", "neo4j")
    assert code == 2 and "push them first" in err


@pytest.mark.parametrize("command", ["overlaps", "opportunities"])
@pytest.mark.parametrize("basis", ["evidenced", "both"])
def test_cli_backend_neo4j_refuses_evidenced_basis_in_one_line(cli, command, basis):
    code, out, err = cli(command, "Oxfordshire", "--basis", basis, "--backend", "neo4j")
    assert code == 1 and out == ""
    assert "not on the Neo4j server" in err and len(err.strip().splitlines()) == 1
