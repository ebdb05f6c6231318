"""England now: strategic authorities to late 2026, LEP successors, Local Growth Plans,
frontier industries and designations (issue 11)."""

from __future__ import annotations

import json
from datetime import date

from lisgraph.analysis.gaps import theme_partners
from lisgraph.places import normalise_types, resolve
from lisgraph.profiles import functions_held_by, list_places

LATE_2026 = date(2026, 11, 1)


def members(g, body, day):
    return {e.start for e in g.in_edges(body, ["part_of"], as_of=day)}


def test_a_2026_authority_has_its_members_and_dates(bundled):
    ca = bundled.nodes["cheshire-and-warrington"]
    assert ca.type == "combined_authority"
    assert ca.props["valid_from"] == date(2026, 2, 25)
    assert ca.props["kind"] == "combined authority" and ca.props["mayoral"] is True
    assert ca.props["tier"] == "mayoral strategic authority"
    assert ca.props["first_mayoral_election"] == date(2027, 5, 6)
    assert members(bundled, ca.id, LATE_2026) == {"E06000049", "E06000050", "E06000007"}
    assert members(bundled, ca.id, date(2026, 2, 1)) == set()
    hs = bundled.nodes["hampshire-and-the-solent"]
    assert hs.props["kind"] == "combined county authority"
    assert len(members(bundled, hs.id, LATE_2026)) == 14  # 3 unitaries + Hampshire's 11 districts


def test_places_strategic_authority_lists_exactly_those_in_force(bundled, cli):
    types = normalise_types(bundled, ["strategic_authority"])
    assert types == ("combined_authority", "greater_london_authority")
    codes = {r["code"] for r in list_places(bundled, types, LATE_2026)}
    expected = {f"E470000{n:02d}" for n in (1, 2, 3, 4, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18)}
    expected |= {"cheshire-and-warrington", "cumbria", "hampshire-and-the-solent", "E61000001"}
    assert codes == expected
    before = {r["code"] for r in list_places(bundled, types, date(2026, 1, 1))}
    assert not before & {"cheshire-and-warrington", "cumbria", "hampshire-and-the-solent"}
    assert "E47000011" in {r["code"] for r in list_places(bundled, types, date(2020, 1, 1))}
    code, out, _ = cli("places", "--type", "strategic-authority", "--as-of", "2026-11-01",
                       "--format", "csv")
    assert code == 0 and "Greater London Authority" in out and "North of Tyne" not in out


def test_london_boroughs_are_in_the_gla_not_in_a_combined_authority(bundled):
    gla = members(bundled, "E61000001", LATE_2026)
    assert len(gla) == 33 and all(d.startswith("E09") for d in gla)
    assert not any(bundled.nodes[e.end].type == "combined_authority"
                   for d in gla for e in bundled.out_edges(d, ["part_of"], as_of=LATE_2026))


def test_a_lep_answers_which_bodies_took_on_its_functions(bundled):
    rows = functions_held_by(bundled, bundled.nodes["E37000052"], LATE_2026)  # New Anglia
    assert {r["code"] for r in rows} == {"E10000020", "E10000029"}
    assert {r["valid_from"] for r in rows} == {"2024-04-01"}
    assert functions_held_by(bundled, bundled.nodes["E37000052"], date(2024, 3, 1)) == []


def test_a_district_gets_only_the_successor_that_covers_it(bundled):
    rows = functions_held_by(bundled, bundled.nodes["E07000148"], LATE_2026)  # Norwich
    assert [r["code"] for r in rows] == ["E10000020"]
    assert rows[0]["lep"] == "E37000052" and rows[0]["sources"]


def test_show_answers_functions_now_held_by(cli):
    code, out, _ = cli("show", "Norwich", "--as-of", "2026-11-01")
    assert code == 0 and "functions now held by" in out and "Norfolk" in out


def test_a_local_growth_plan_has_its_priorities_mapped_to_the_taxonomy(bundled):
    plan = bundled.nodes["lgp-lancashire"]
    assert plan.props["kind"] == "local_growth_plan" and plan.props["status"] == "published"
    assert [e.start for e in bundled.in_edges(plan.id, ["published"])] == ["E47000018"]
    themes = {p.end: {t.end for t in bundled.out_edges(p.end, ["addresses"])}
              for p in bundled.out_edges(plan.id, ["has_priority"])}
    assert themes["lgp-lancashire/global-combat-air-programme"] >= {"defence", "combat-air"}
    assert "maritime-capabilities" in themes["lgp-lancashire/aukus-submarine-programme"]


def test_a_frontier_industry_resolves_by_an_alternative_label(bundled):
    ccus = resolve(bundled, "CCUS", types=("theme",))
    assert ccus.id == "carbon-capture" and ccus.props["scheme"] == "frontier_industry"
    assert [e.end for e in bundled.out_edges(ccus.id, ["broader"])] == ["clean-energy-industries"]
    assert resolve(bundled, "cyber security", types=("theme",)).id == "cyber-security"
    insurance = bundled.nodes["insurance"]
    assert "6622" in insurance.props["sic_codes"]


def test_artificial_intelligence_is_one_theme_with_two_broader_links(bundled):
    ai = [n for n in bundled.nodes_of_type("theme") if n.name == "Artificial Intelligence"]
    assert [n.id for n in ai] == ["artificial-intelligence"]
    assert {e.end for e in bundled.out_edges("artificial-intelligence", ["broader"])} == {
        "ai-and-data", "digital-and-technologies"}


def test_a_designation_does_not_cover_a_theme_between_bodies(bundled):
    iz = bundled.nodes["iz-greater-manchester"]
    assert iz.type == "designation"
    assert {e.end for e in bundled.out_edges(iz.id, ["hosted_by"], as_of=LATE_2026)} == {"E47000001"}
    assert "advanced-materials" in {e.end for e in bundled.out_edges(iz.id, ["designated_for"])}
    partners = theme_partners(bundled, LATE_2026)
    # partners on advanced materials come only from collaborations on it (the Greater Manchester
    # and Cheshire East SIA), never from the designation that names the theme
    on_theme = {e.start for c in bundled.nodes_of_type("collaboration")
                if "advanced-materials" in (c.props.get("themes") or [])
                for e in bundled.in_edges(c.id, ["party_to"])}
    assert set(partners.get("advanced-materials", {})) <= on_theme
    assert "iz-greater-manchester" not in on_theme
    assert not any(bundled.nodes[p].type == "designation"
                   for on_theme in partners.values() for p in on_theme)


def test_at_least_30_leps_answer_functions_now_held_by_with_a_source(bundled):
    leps_2024 = [n for n in bundled.nodes_of_type("lep")      # closed in 2024 or (one) 2025
                 if n.props.get("valid_to") and n.props["valid_to"] >= date(2024, 3, 31)]
    answered = [n.id for n in leps_2024 if functions_held_by(bundled, n)]
    assert len(leps_2024) == 38 and len(answered) >= 30
    for lep in answered:
        assert all(r["sources"] for r in functions_held_by(bundled, bundled.nodes[lep]))


def test_show_lists_a_designation_and_its_hosts_by_date(cli):
    code, out, _ = cli("show", "Greater Manchester", "--as-of", "2026-11-01", "--format", "json")
    links = json.loads(out)["designation_links"]
    assert {r["code"] for r in links} == {"iz-greater-manchester", "ia-greater-manchester"}
    code, out, _ = cli("show", "Greater Manchester", "--as-of", "2023-01-01", "--format", "json")
    assert [r["code"] for r in json.loads(out)["designation_links"]] == ["ia-greater-manchester"]
