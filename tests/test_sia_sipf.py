"""Science and Innovation Audits and Strength in Places awards: counts per wave as sourced, parties,
dates and the single-source mark (issue 12, item 4)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

GAPS = Path(__file__).resolve().parents[1] / "docs" / "data-gaps" / "uk.md"
SIA, SIPF = "science_and_innovation_audit", "strength_in_places"
# consortia per wave, as BEIS, SQW and UKRI give them (sources pp-grenke-sia-wave1-2016,
# pp-beis-sia-wave2, pp-beis-sia-wave3-2019, pp-ukri-sipf-2020, pp-conpost-sipf-wave2-2021)
SIA_WAVES = {1: 5, 2: 8, 3: 12}
SIPF_WAVES = {1: 7, 2: 5}
PARTY_TYPES = {"lep", "district", "combined_authority", "provider", "organisation"}


def _records(g, kind):
    return [n for n in g.nodes_of_type("collaboration") if n.props.get("kind") == kind]


def _wave(node):
    found = re.search(r"\bwave (\d)\b", node.props.get("note") or "")
    assert found, f"{node.id}: its note does not say which wave"
    return int(found.group(1))


def _missing_sias():
    """The audits docs/data-gaps/uk.md lists as not recorded, by wave."""
    text = GAPS.read_text(encoding="utf-8")
    block = text.split("Science and Innovation Audits not recorded", 1)[1].split("\n- ", 1)[0]
    missing = {}
    for wave, items in re.findall(r"^\s+- wave (\d): (.+)$", block, re.M):
        missing[int(wave)] = [i for i in items.split(";") if i.strip()]
    return missing


def test_every_sia_is_recorded_or_listed_as_missing_per_wave(bundled):
    recorded = Counter(_wave(n) for n in _records(bundled, SIA))
    missing = _missing_sias()
    assert set(recorded) | set(missing) <= set(SIA_WAVES)
    for wave, total in SIA_WAVES.items():
        assert recorded[wave] + len(missing.get(wave, [])) == total, wave
    assert sum(recorded.values()) >= 19


def test_every_strength_in_places_full_award_is_recorded(bundled):
    awards = _records(bundled, SIPF)
    assert Counter(_wave(n) for n in awards) == SIPF_WAVES
    for n in awards:
        note = n.props["note"]
        assert "full award" in note and "seedcorn" not in note.lower(), n.id
        if _wave(n) == 1:  # UKRI announced the seven on 26 June 2020
            assert str(n.props["date"]) == "2020-06-26", n.id


def test_sia_and_sipf_records_have_two_parties_sources_and_mapped_themes(bundled):
    for n in _records(bundled, SIA) + _records(bundled, SIPF):
        parties = bundled.in_edges(n.id, ["party_to"])
        assert len({e.start for e in parties}) >= 2, n.id
        assert n.sources and all(s in bundled.sources for s in n.sources), n.id
        assert set(n.props["themes"]) - {"ideas"}, n.id
        assert "mapped by lisgraph" in n.props["note"], n.id
        for e in parties:
            assert bundled.nodes[e.start].type in PARTY_TYPES, (n.id, e.start)
            assert e.sources, (n.id, e.start)
        leads = [e.start for e in parties if e.props.get("role") == "lead"]
        if not re.search(r"not recorded as a party|no single lead", n.props["note"]):
            assert leads, f"{n.id}: no lead party and the note does not say why"


def test_single_source_mark_matches_the_sources_cited(bundled):
    for n in _records(bundled, SIA) + _records(bundled, SIPF):
        for e in bundled.in_edges(n.id, ["party_to"]):
            single = e.props.get("confidence") == "single source"
            assert single == (len(set(e.sources)) == 1), (n.id, e.start, e.sources)


def test_no_party_is_dated_out_of_the_audit_or_award(bundled):
    for n in _records(bundled, SIA) + _records(bundled, SIPF):
        day = n.props.get("date") or n.props.get("valid_from")
        if day is None:
            continue
        for e in bundled.in_edges(n.id, ["party_to"]):
            assert bundled.nodes[e.start].valid_on(day), (n.id, e.start, day)
            assert e.valid_on(day), (n.id, e.start, day)


@pytest.mark.parametrize("collaboration, party, lead", [
    ("sia-cyber-alliance-west", "E37000038", True),  # Worcestershire LEP led, per BEIS
    ("sia-northern-powerhouse-chemicals-process", "E37000049", False),  # Humber LEP, ended 2021
    ("sipf-belfast-maritime-consortium", "artemis-technologies", True),
    ("sipf-advanced-machinery-productivity-institute", "national-physical-laboratory", True),
])
def test_named_parties_and_leads(bundled, collaboration, party, lead):
    edges = {e.start: e for e in bundled.in_edges(collaboration, ["party_to"])}
    assert party in edges
    assert (edges[party].props.get("role") == "lead") is lead


def test_liverpool_school_of_tropical_medicine_leads_iicon(bundled):
    lstm = bundled.nodes["10003958"]
    assert lstm.type == "provider" and lstm.name == "Liverpool School of Tropical Medicine"
    leads = [e.start for e in bundled.in_edges("sipf-iicon", ["party_to"])
             if e.props.get("role") == "lead"]
    assert leads == ["10003958"]
    assert "not recorded as a party" not in bundled.nodes["sipf-iicon"].props["note"]
