"""Analyses on the bundled data (facts an analyst would check) and SPARQL parity."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lisgraph.analysis import boundaries, gaps, opportunities, overlaps
from lisgraph.analysis.boundaries import districts_in_two_leps
from lisgraph.analysis.gaps import theme_partners
from lisgraph.analysis.index import themes_of
from lisgraph.analysis.overlaps import shared_theme_rows
from lisgraph.named import list_queries, run_query
from lisgraph.profiles import profile


@pytest.fixture(scope="module")
def store(bundled):
    from lisgraph.rdf.store import EmbeddedStore

    return EmbeddedStore(bundled)


def test_districts_in_two_leps_2018_vs_2022(bundled):
    lis = {r["district_name"] for r in districts_in_two_leps(bundled, date(2018, 6, 1))}
    later = {r["district_name"] for r in districts_in_two_leps(bundled, date(2022, 6, 1))}
    assert len(lis) == 29 and len(later) == 7
    assert {"Croydon", "York", "Cherwell", "Barnsley"} <= lis
    assert later < lis  # the seven GBSLEP overlaps were already overlaps in the LIS period


def test_greater_manchester_overlaps_include_health_and_manufacturing(bundled):
    rows = overlaps(bundled, "Greater Manchester")
    themes = {t for r in rows for t in r["shared_themes"]}
    assert {"Life Sciences", "Advanced Manufacturing"} <= themes
    top = rows[0]
    # issue 14: distinctive themes weigh more; GM and Gloucestershire share Cybersecurity, a
    # theme only three strategies declare, so Gloucestershire now ranks above Liverpool City Region
    assert top["name"] == "Gloucestershire" and "Cybersecurity" in top["shared_themes"]
    assert top["score"] > rows[-1]["score"]
    assert [r["name"] for r in rows].count("Liverpool City Region") == 1
    assert all(r["code"] != "E37000015" for r in rows)  # GM LEP co-published GM's strategy


def test_opportunities_pairs_are_near_and_uncollaborated(bundled):
    rows = opportunities(bundled, "Greater Manchester")
    assert rows and all(r["reasons"] and r["score"] == round(r["theme_score"] * r["proximity"], 4) for r in rows)
    assert rows[0]["b_name"] == "Liverpool City Region"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_gaps_name_partners_or_candidates(bundled):
    rows = gaps(bundled, "Oxfordshire")
    assert {r["status"] for r in rows} == {"partnered", "no recorded partner"}
    for r in rows:
        assert (r["status"] == "partnered") == bool(r["partners"])
        assert all(c["distance_km"] <= 50 for c in r["candidates"])


def test_boundaries_differ_by_date(bundled):
    a = boundaries(bundled, date(2018, 6, 1))
    b = boundaries(bundled, date(2022, 6, 1))
    assert {r["code"] for r in a} != {r["code"] for r in b}
    assert any(r["kind"] == "LEP spanning regions" and r["name"] == "Sheffield City Region" for r in a)


# -- SPARQL parity: each named query gives the library function's rows -------------------------

def _rows(store, bundled, name, **params):
    return run_query(bundled, name, {k: str(v) for k, v in params.items()}, store)[1]


@pytest.mark.parametrize("day", [date(2018, 6, 1), date(2020, 6, 1), date(2022, 6, 1)])
def test_parity_districts_in_two_leps(bundled, store, day):
    assert _rows(store, bundled, "districts-in-two-leps", as_of=day) == districts_in_two_leps(bundled, day)


@pytest.mark.parametrize("place", ["E47000001", "E37000053", "E37000033"])
def test_parity_shared_themes(bundled, store, place):
    rows = _rows(store, bundled, "shared-themes", place=place)
    assert rows and rows == shared_theme_rows(bundled, place)


@pytest.mark.parametrize("place", ["E47000001", "E37000053"])
def test_parity_place_themes(bundled, store, place):
    expected = sorted(({"theme": t, "theme_label": bundled.nodes[t].name,
                        "scheme": bundled.nodes[t].props["scheme"], "priority": p}
                       for t, ps in themes_of(bundled, place).items() for p in set(ps)),
                      key=lambda r: (r["theme"], r["priority"]))
    assert _rows(store, bundled, "place-themes", place=place) == expected


@pytest.mark.parametrize("place,day", [("E37000062", date(2018, 6, 1)), ("E37000062", date(2022, 6, 1)),
                                       ("northern-powerhouse", date(2020, 1, 1)), ("E47000001", date(2024, 6, 1))])
def test_parity_members(bundled, place, day):
    """The query runs on the store of the view of its date (a snapshot): the same members as
    the profile (which gives one row per member with its merged periods)."""
    expected = {(m["code"], m["name"], m["type"])
                for m in profile(bundled, bundled.nodes[place], day)["members"]}
    got = {(r["code"], r["name"], r["type"])
           for r in run_query(bundled, "members", {"place": place, "as_of": str(day)})[1]}
    assert got == expected and got


@pytest.mark.parametrize("theme", ["life-sciences", "clean-growth", "ideas"])
def test_parity_theme_partners(bundled, store, theme):
    partners = theme_partners(bundled)[theme]
    expected = sorted(((p, w) for p, ws in partners.items() for w in ws))
    got = [(r["partner"], r["with"]) for r in _rows(store, bundled, "theme-partners", theme=theme)]
    assert got == expected and got


def test_parity_strategies(bundled, store):
    expected = sorted((e.end, e.start) for e in bundled.edges if e.type == "published")
    got = [(r["strategy"], r["body"]) for r in _rows(store, bundled, "strategies")]
    assert got == expected


def test_every_named_query_has_a_parity_test():
    tested = {name.replace("_", "-") for name in globals() if name.startswith("test_parity_")}
    assert {f"parity-{q.name}" for q in list_queries()} <= {t[5:] for t in tested}


def test_parameters_are_bound_not_spliced(bundled, store):
    hostile = 'E47000001" } ; DROP ALL ; SELECT * { ?s ?p ?o'
    from lisgraph.rdf.store import EmbeddedStore

    rows = store.select("SELECT ?place ?name WHERE { ?p lis:code ?place ; rdfs:label ?name }",
                        {"place": hostile})
    assert rows == [] and len(store) == len(EmbeddedStore(bundled))


# -- CLI -------------------------------------------------------------------------------------

def test_cli_query_lists_and_runs(cli):
    code, out, _ = cli("query", "--format", "json")
    assert code == 0 and {q["name"] for q in json.loads(out)} >= {"districts-in-two-leps", "members"}
    code, out, _ = cli("query", "districts-in-two-leps", "-p", "as_of=2022-06-01", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 7


def test_cli_query_errors(cli):
    code, _, err = cli("query", "districts-in-two-lep")
    assert code == 1 and "did you mean districts-in-two-leps" in err
    code, _, err = cli("query", "districts-in-two-leps")
    assert code == 1 and "needs -p as_of" in err


def test_cli_unknown_theme_suggests(cli):
    code, _, err = cli("overlaps", "Greater Manchester", "--theme", "life sciencs")
    assert code == 1 and "did you mean" in err and "Life Sciences" in err


def test_cli_empty_result_says_so(cli):
    code, out, err = cli("boundaries", "--as-of", "2010-01-01")
    assert code == 0 and "no cross-boundary structure" in err


@pytest.mark.parametrize("args", [["overlaps", "Greater Manchester"], ["opportunities", "-n", "5"],
                                  ["gaps", "Oxfordshire"], ["boundaries", "--as-of", "2018-06-01"],
                                  ["path", "University of Oxford", "University of Cambridge"],
                                  ["assess", "West of England"], ["network", "brokers", "-n", "5"],
                                  ["network", "communities"]])
def test_cli_analyst_commands_in_every_format(cli, args):
    for fmt in ("table", "json", "csv", "md"):
        code, out, _ = cli(*args, "--format", fmt)
        assert code == 0 and out.strip(), (args, fmt)
    code, out, _ = cli(*args, "--format", "json")
    assert json.loads(out)
