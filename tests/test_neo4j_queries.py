"""Every named query gives the same rows on Neo4j (Cypher twin) as on the embedded store.

Needs a server (`scripts/neo4j-server.sh start`); skips without one, fails under CI.
"""

from __future__ import annotations

from datetime import date

import pytest

from lisgraph.named import bind_params, load_query, run_query

from .test_neo4j_push import require_neo4j

pytestmark = pytest.mark.neo4j

#: parameter sets per query: names and codes, dates inside and outside the LIS period
CASES = {
    "districts-in-two-leps": [{"as_of": "2018-06-01"}, {"as_of": "2022-06-01"},
                              {"as_of": "2010-01-01"}],
    "members": [{"place": "Greater Manchester", "as_of": "2018-06-01"},
                {"place": "E37000062", "as_of": "2018-06-01"},
                {"place": "E37000062", "as_of": "2023-06-01"},
                {"place": "Northern Powerhouse", "as_of": "2020-01-01"},
                {"place": "Oxfordshire", "as_of": "2024-06-01"}],
    "place-themes": [{"place": "Greater Manchester"}, {"place": "West Midlands"},
                     {"place": "E37000005"}],
    "shared-themes": [{"place": "Greater Manchester"}, {"place": "Oxfordshire"}],
    "strategies": [{}],
    "theme-partners": [{"theme": "ideas"}, {"theme": "clean energy"},
                       {"theme": "Life Sciences"}],
}


@pytest.fixture(scope="module")
def loaded(bundled):
    from lisgraph.neo4j import push

    with require_neo4j() as conn:
        push(bundled, conn, wipe=True)
        yield conn


@pytest.fixture(scope="module")
def store(bundled):
    from lisgraph.rdf.store import EmbeddedStore

    return EmbeddedStore(bundled)


def test_every_twin_has_cases():
    from lisgraph.neo4j.queries import with_cypher

    assert {q.name for q in with_cypher()} == set(CASES)


@pytest.mark.parametrize("name,params", [(n, p) for n, ps in CASES.items() for p in ps],
                         ids=lambda v: v if isinstance(v, str) else "-".join(v.values()))
def test_cypher_twin_gives_the_sparql_rows(loaded, bundled, store, name, params):
    from lisgraph.neo4j import run_named

    columns, embedded = run_query(bundled, name, params, store)
    on_neo4j = run_named(name, bind_params(bundled, load_query(name), params), loaded)
    assert on_neo4j == embedded
    assert all(list(r) == list(columns) for r in on_neo4j)


def test_parity_covers_rows_and_types(loaded, bundled):
    from lisgraph.neo4j import run_named

    rows = run_named("members", {"place": "E47000001", "as_of": date(2018, 6, 1)}, loaded)
    assert len(rows) == 10 and all(isinstance(r["valid_from"], date) for r in rows)
    assert len(run_named("districts-in-two-leps", {"as_of": "2018-06-01"}, loaded)) == 29
