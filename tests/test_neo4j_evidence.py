"""The evidence observations on the Neo4j server (`:Observation` nodes linked to their area):
the values equal the bundled file's, a suppressed cell stays missing, and `status --verify`
covers them. Needs a server (`scripts/neo4j-server.sh start`); skips without one, fails under
CI. WIPES lisgraph's nodes on it.
"""

from __future__ import annotations

import csv

import pytest

from .test_neo4j_push import conn  # noqa: F401  (the module's server connection)

pytestmark = pytest.mark.neo4j


def bundled_rows() -> list[dict[str, str]]:
    """loaders/evidence/observations.csv read with the csv module (not lisgraph's reader)."""
    from lisgraph.assets import loaders_dir

    path = loaders_dir().joinpath("evidence").joinpath("observations.csv")
    with open(str(path), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def pushed(conn, bundled):  # noqa: F811
    from lisgraph.evidence.observations import bundled_index
    from lisgraph.neo4j import push

    summary = push(bundled, conn, wipe=True, evidence=bundled_index())
    return summary


def test_a_district_value_on_the_server_is_the_bundled_value(conn, pushed):  # noqa: F811
    rows = bundled_rows()
    hartlepool = [r for r in rows if r["area"] == "E06000001" and r["indicator"] == "gva-per-hour"]
    assert hartlepool, "the bundled file has Hartlepool's GVA per hour"
    for r in hartlepool:
        got = conn.read("MATCH (o:Observation)-[:OF_AREA]->(d:District {code: $area}) "
                        "WHERE o.indicator = $ind AND o.period = $period "
                        "RETURN o.value AS value, o.period_start AS start, o.sources AS sources",
                        {"area": r["area"], "ind": r["indicator"], "period": r["period"]})
        assert len(got) == 1
        assert got[0]["value"] == float(r["value"])
        assert got[0]["start"].isoformat() == r["period"].split("/")[0]
    # every bundled row is one node, and each area the graph holds is linked
    held = conn.read("MATCH (o:Observation) RETURN count(o) AS n")[0]["n"]
    assert held == len({(r["area"], r["indicator"], r["period"]) for r in rows})


def test_a_suppressed_cell_stays_missing(conn, pushed):  # noqa: F811
    cell = next(r for r in bundled_rows() if not r["value"] and r["status"])
    got = conn.read("MATCH (o:Observation {code: $code}) RETURN o.value AS value, "
                    "o.status AS status",
                    {"code": f"obs/{cell['indicator']}/{cell['area']}/{cell['period']}"})
    assert got == [{"value": None, "status": cell["status"]}]


def test_status_verify_covers_the_observations(conn, bundled, pushed):  # noqa: F811
    from lisgraph.evidence.observations import bundled_index
    from lisgraph.neo4j import status

    assert status(bundled, conn, verify=True, evidence=bundled_index()).matches
    # the graph alone is not what the server holds: observation counts differ
    st = status(bundled, conn)
    assert not st.matches and any(d.startswith("Observation nodes: 0 local") for d in st.differences)
    # one value changed on the server: only the content check sees it
    conn.write("MATCH (o:Observation)-[:OF_AREA]->(:District {code: 'E06000001'}) "
               "WITH o ORDER BY o.code LIMIT 1 SET o.value = o.value + 1")
    st = status(bundled, conn, verify=True, evidence=bundled_index())
    assert st.differences == ["the content read back differs from the local graph"]


def test_a_push_without_evidence_removes_the_observations(conn, bundled, pushed):  # noqa: F811
    from lisgraph.neo4j import push

    summary = push(bundled, conn)
    assert summary.removed_nodes == pushed.pushed_labels["Observation"]
    assert conn.read("MATCH (o:Observation) RETURN count(o) AS n")[0]["n"] == 0
