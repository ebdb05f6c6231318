"""Issue 14: each example an analyst found misleading, pinned to the corrected answer (bundled
data)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date
from pathlib import Path

import pytest

from lisgraph.analysis import assess, brokers, communities, gaps, opportunities, overlaps, path
from lisgraph.analysis.index import is_headline, themes_of

POLICY = Path(__file__).resolve().parent.parent.parent / "shared" / "policy" / \
    "local-industrial-strategies-policy-prospectus-2018.txt"


# -- opportunities --------------------------------------------------------------------------

def test_nearness_through_a_co_publisher_is_named_and_counts_half(bundled):
    # asked of the LIS period: since 2025 West Midlands also has a Local Growth Plan, so its
    # strategies are no longer exactly its LEPs' and the joint group is represented otherwise
    lis = date(2019, 12, 31)
    top = opportunities(bundled, top=3, as_of=lis)
    assert all(not (r["a_name"] == "West Midlands" and r["b_name"] == "Oxfordshire") for r in top)
    wm = next(r for r in opportunities(bundled, "Oxfordshire", as_of=lis)
              if r["a_name"] == "West Midlands")
    # WMCA's own districts do not touch Oxfordshire; Coventry and Warwickshire's do
    assert wm["reasons"] == [("neighbouring areas (via Coventry and Warwickshire (E37000006): "
                              "counts half)")]
    assert wm["proximity"] == 0.5 and wm["score"] == wm["theme_score"] * 0.5
    assert "Coventry and Warwickshire (E37000006)" in wm["also"]
    assert wm["distance_km"] is not None and wm["distance_km"] > 50


def test_theme_filter_is_exact(bundled):
    rows = opportunities(bundled, "Oxfordshire", theme="life-sciences")
    assert rows
    for r in rows:  # a sector weighs 3: every pair is scored on Life Sciences alone
        assert r["shared_themes"] == ["Life Sciences"] and r["theme_score"] == 3.0
        assert r["score"] == round(3.0 * r["proximity"], 4)


def test_opportunity_ties_are_broken_by_code_and_top_cuts_after_the_sort(bundled):
    every = opportunities(bundled)
    keys = [(-r["score"], r["a"], r["b"]) for r in every]
    assert keys == sorted(keys)
    for n in (1, 3, 7):
        assert opportunities(bundled, top=n) == every[:n]


def test_cli_opportunities_show_distance_in_every_format(cli):
    for fmt in ("table", "csv", "md"):
        code, out, _ = cli("opportunities", "Oxfordshire", "--format", fmt)
        assert code == 0 and "distance_km" in out.splitlines()[0]
    code, out, _ = cli("opportunities", "Oxfordshire", "--format", "json")
    assert all("distance_km" in r and "also" in r for r in json.loads(out))


# -- gaps ----------------------------------------------------------------------------------

def test_gaps_never_propose_fillers_hundreds_of_km_away(bundled):
    oxon = {r["label"]: r for r in gaps(bundled, "Oxfordshire")}
    # (Life Sciences was the example until the Oxfordshire SIA made it a partnered theme)
    clean = oxon["Clean Growth"]
    assert clean["candidates"] == []  # no body recorded on the theme within 50 km
    # the note names the nearest recorded body and how far it is (beyond the 50 km asked)
    assert "within 50 km" in clean["note"] and "the nearest is" in clean["note"]
    assert float(clean["note"].rsplit(", ", 1)[1].split(" km")[0]) > 50
    assert "University of Oxford (10007774)" in clean["located"]  # capability in the place
    assert oxon["Life Sciences"]["status"] == "partnered"  # through the SIA's named partners
    tees = {r["label"]: r for r in gaps(bundled, "Tees Valley")}
    assert all(c["code"] != "E37000011" for c in tees["Digital and Technologies"]["candidates"])
    for rows in (oxon.values(), tees.values()):
        for r in rows:
            assert all(isinstance(c, dict) and c["distance_km"] <= 50 for c in r["candidates"])


def test_gaps_count_capability_located_in_the_place(bundled):
    woe = {r["label"]: r for r in gaps(bundled, "West of England")}
    assert woe["Creative Industries"]["status"] == "local capability"
    assert "University of Bristol" in {c["name"] for c in woe["Creative Industries"]["capability"]}
    # Bristol is inside the West of England: its own council is capability, not a candidate
    assert all(c["code"] != "E06000023" for r in woe.values() for c in r["candidates"])


def test_gaps_candidates_are_nearest_first_and_max_km_widens(bundled):
    rows = {r["label"]: r for r in gaps(bundled, "Cheshire and Warrington")}
    near = rows["Life Sciences"]["candidates"]
    assert near and [c["distance_km"] for c in near] == sorted(c["distance_km"] for c in near)
    assert near[0]["name"] == "The University of Manchester"
    wider = {r["label"]: r for r in gaps(bundled, "Cheshire and Warrington", max_km=400)}
    assert len(wider["Life Sciences"]["candidates"]) >= len(near)


def test_cli_gaps_one_row_per_candidate_in_csv(cli):
    _, out, _ = cli("gaps", "Cheshire and Warrington", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    life = [r for r in rows if r["label"] == "Life Sciences"]
    assert len(life) >= 2 and len({r["candidate"] for r in life}) == len(life)
    assert all(float(r["distance_km"]) <= 50 for r in life)
    _, out, _ = cli("gaps", "Cheshire and Warrington", "--format", "json")
    js = {r["label"]: r for r in json.loads(out)}
    assert [c["code"] for c in js["Life Sciences"]["candidates"]] == [r["candidate"] for r in life]


# -- overlaps ------------------------------------------------------------------------------

def _by_hand(bundled, a: str, b: str, day=date(2019, 12, 31)) -> float:
    """The documented overlaps score, recomputed from the strategies valid on ``day`` (scheme
    x IDF)."""
    view = bundled.at(day)
    declared = {}
    published = {e.end for e in view.edges if e.type == "published"}
    for s in view.nodes_of_type("strategy"):
        if s.id not in published:
            continue
        ts = {ad.end for hp in view.out_edges(s.id, ["has_priority"])
              if is_headline(view.nodes[hp.end])  # aims and cross-cutting themes do not count
              for ad in view.out_edges(hp.end, ["addresses"])}
        if ts:
            declared[s.id] = ts
    n = len(declared)
    weight = {"frontier_industry": 3.0, "sector": 3.0, "grand_challenge": 2.0, "foundation": 1.0}

    def w(t):
        df = sum(t in ts for ts in declared.values())
        return weight[view.nodes[t].props["scheme"]] * (1 + math.log((1 + n) / (1 + df)))

    mine, theirs = set(themes_of(view, a)), set(themes_of(view, b))
    return sum(map(w, mine & theirs)) / math.sqrt(sum(map(w, mine)) * sum(map(w, theirs)))


def test_overlaps_weigh_themes_by_distinctiveness(bundled):
    rows = overlaps(bundled, "Greater Manchester", as_of=date(2019, 12, 31))
    for r in rows[:5]:
        assert r["score"] == round(_by_hand(bundled, "E47000001", r["code"]), 4)
    # a theme nearly every strategy declares is listed after the distinctive ones
    top = rows[0]
    assert top["shared_themes"].index("Clean Growth") > top["shared_themes"].index("Cybersecurity")
    codes = [r["code"] for r in overlaps(bundled, "Greater Manchester")]
    assert len(codes) == len(set(codes)) and "E37000022" not in codes  # LCR once, as its CA


def test_overlaps_rows_say_which_priority_meets_which(bundled):
    lcr = overlaps(bundled, "Greater Manchester")[0]
    meets = {(m["ours"], m["theirs"]) for m in lcr["meets"]}
    assert all(m["themes"] and set(m["themes"]) <= set(lcr["shared_themes"]) for m in lcr["meets"])
    assert {m["ours"] for m in lcr["meets"]} <= set().union(*themes_of(bundled.at(None), "E47000001").values())
    assert len(meets) == len(lcr["meets"])


def test_overlaps_theme_rescores(bundled):
    every = {r["code"]: r for r in overlaps(bundled, "Greater Manchester")}
    life = overlaps(bundled, "Greater Manchester", theme="life-sciences")
    assert life and all(r["shared_themes"] == ["Life Sciences"] and r["shared"] == 1 for r in life)
    assert all(r["score"] < every[r["code"]]["score"] for r in life if every[r["code"]]["shared"] > 1)
    assert all(m["themes"] == ["Life Sciences"] for r in life for m in r["meets"])


def test_overlaps_find_hydrogen_and_tees_valley_meets_humber_on_clean_energy(bundled):
    hydrogen = overlaps(bundled, "Tees Valley", theme="hydrogen")
    assert all(r["shared_themes"] == ["Hydrogen"] for r in hydrogen)
    humber = next(r for r in overlaps(bundled, "Tees Valley") if r["name"] == "Humber")
    assert {"ours": "Clean energy, low carbon and hydrogen",
            "theirs": "Clean growth on the Energy Estuary"} in [
        {k: m[k] for k in ("ours", "theirs")} for m in humber["meets"]]


def test_cli_theme_hydrogen_resolves(cli):
    code, out, err = cli("overlaps", "Tees Valley", "--theme", "hydrogen", "--format", "json")
    assert code == 0 and "no theme matches" not in err
    assert all(r["shared_themes"] == ["Hydrogen"] for r in json.loads(out))


def test_overlaps_as_of_counts_only_strategies_valid_then(bundled):
    early = overlaps(bundled, "Greater Manchester", as_of=date(2019, 6, 20))
    codes = {r["code"] for r in early}
    assert "E37000053" not in codes  # Oxfordshire's strategy came out on 2019-07-19
    assert all(r["as_of"] == "2019-06-20" for r in early)


# -- assess --------------------------------------------------------------------------------

def _criteria(result):
    return {c["criterion"]: c for c in result["strategies"][0]["criteria"]}


def test_assess_never_passes_on_a_link_or_a_chapter(bundled):
    gm = _criteria(assess(bundled, "Greater Manchester"))
    assert gm["Evidence"]["result"] == "unknown" and gm["Evidence"]["basis"] == "recorded, not reviewed"
    oxon = _criteria(assess(bundled, "Oxfordshire"))
    assert oxon["Evaluation"]["result"] == "unknown"
    assert oxon["Evaluation"]["basis"] == "recorded, not reviewed"


def test_assess_no_record_is_unknown_not_fail(bundled):
    for place in ("Hertfordshire", "Dorset"):
        c = _criteria(assess(bundled, place))
        assert c["Focus"]["result"] == "unknown" and c["Prioritisation"]["result"] == "unknown"
        assert all(x["result"] != "fail" for x in c.values())


def test_assess_marks_drafts(bundled):
    herts = assess(bundled, "Hertfordshire")["strategies"][0]
    assert herts["agreed"] is False
    assert _criteria(assess(bundled, "Hertfordshire"))["Agreement"]["result"] == "warn"
    assert assess(bundled, "Oxfordshire")["strategies"][0]["agreed"] is True


def test_assess_thresholds_quote_the_policy_or_say_heuristic(bundled):
    if not POLICY.exists():
        pytest.skip(f"policy text not found at {POLICY}")
    text = " ".join(POLICY.read_text(encoding="utf-8").split())
    for place in ("Greater Manchester", "Oxfordshire", "Tees Valley", "Dorset"):
        for c in _criteria(assess(bundled, place)).values():
            assert c["threshold"].startswith("policy: ")
            for quote in re.findall(r'"([^"]+)"', c["threshold"]):
                assert quote in text, (c["criterion"], quote)
            assert "8" not in c["threshold"].split("heuristic")[0]  # no invented "3-8"
    prio = _criteria(assess(bundled, "Oxfordshire"))["Prioritisation"]["threshold"]
    assert "lisgraph's heuristic" in prio


# -- network -------------------------------------------------------------------------------

def test_communities_list_each_bodys_own_themes_once(bundled):
    rows = communities(bundled)
    view = bundled.at(None)
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert "E37000015" not in codes  # GM LEP co-published GM's strategy: one body
    gm = next(r for r in rows if r["code"] == "E47000001")
    assert "Greater Manchester (E37000015)" in gm["also"]
    for r in rows:
        own = {view.nodes[t].name for t in themes_of(view, r["code"])}
        assert set(r["themes"]) == own


def test_communities_are_reproducible_and_report_stability(bundled):
    a, b = communities(bundled), communities(bundled)
    assert a == b
    share = sum(r["stable"] for r in a) / len(a)
    assert all(r["stability"] == round(share, 3) for r in a)
    assert 0 < share <= 1


def test_communities_take_the_date(bundled):
    early = communities(bundled, as_of=date(2019, 6, 1))
    assert {r["code"] for r in early} < {r["code"] for r in communities(bundled)}
    assert all(r["as_of"] == "2019-06-01" for r in early)


def test_brokers_are_alive_on_the_date(bundled):
    rows = brokers(bundled, as_of=date(2025, 1, 1))
    view = bundled.at(date(2025, 1, 1))
    assert rows and all(r["code"] in view.nodes for r in rows)
    assert all(r["type"] != "lep" for r in rows)  # LEPs had closed by then


# -- path ----------------------------------------------------------------------------------

def _route(graph, p):
    area = {"district", "county", "region", "itl_area"}
    middle = [s["to"] for s in p][:-1]
    return tuple(n for n in middle[:-1] if graph.nodes[n].type not in area) \
        if len(middle) > 1 else tuple(middle)


def test_path_prefers_relationships_to_chains_of_neighbours(bundled):
    paths = path(bundled, "Cornwall", "Greater Manchester")
    assert paths
    assert sum(s["edge"].endswith("neighbours") for s in paths[0]) == 0
    routes = [_route(bundled, p) for p in paths]
    assert len(set(routes)) == len(routes)  # each differs before the last hop
    costs = [sum(s["cost"] for s in p) for p in paths]
    assert costs == sorted(costs)


def test_cli_numeric_options_are_usage_errors(cli):
    for args in (["path", "Cornwall", "Greater Manchester", "--limit", "0"],
                 ["overlaps", "Greater Manchester", "--top", "0"],
                 ["opportunities", "--top", "-1"],
                 ["opportunities", "--max-km", "0"],
                 ["gaps", "Oxfordshire", "--max-km", "-5"],
                 ["network", "brokers", "--top", "0"],
                 ["network", "communities", "--min-similarity", "0"],
                 ["network", "communities", "--min-similarity", "1.5"]):
        code, _, err = cli(*args)
        assert code == 2, args
        assert "Invalid value" in err
