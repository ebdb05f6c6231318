"""Data integrity of the bundled graph: nothing outlives its ends, providers current, sources once."""

from __future__ import annotations

from collections import Counter
from datetime import date

TODAY = date(2026, 11, 1)


def _outliving(g, types):
    bad = []
    for e in g.edges:
        if e.type not in types:
            continue
        for end in (e.start, e.end):
            last = g.nodes[end].props.get("valid_to")
            if last and (e.valid_to is None or e.valid_to > last):
                bad.append((e.type, e.start, e.end, str(last)))
    return bad


def test_no_membership_collaboration_party_or_location_outlives_either_end(bundled):
    assert _outliving(bundled, ("member_of", "party_to", "located_in")) == []


def test_every_provider_is_current_or_ended_with_a_successor_or_reason(bundled):
    providers = list(bundled.nodes_of_type("provider"))
    assert Counter(p.props.get("valid_to") is None for p in providers)[False] >= 6
    for p in providers:
        if p.props.get("valid_to") is None:
            continue
        succ = bundled.out_edges(p.id, ["succeeded_by"])
        assert succ or p.props.get("end_reason"), p
        for e in succ:
            assert e.props["date"] == date.fromordinal(p.props["valid_to"].toordinal() + 1)
            assert bundled.nodes[e.end].props.get("valid_to") is None, e  # successor exists


def test_every_provider_is_located_today_unless_ended(bundled):
    for p in bundled.nodes_of_type("provider", as_of=TODAY):
        now = [e for e in bundled.out_edges(p.id, ["located_in"], TODAY)
               if bundled.nodes[e.end].valid_on(TODAY)]
        assert len(now) == 1, p.id


def test_renamed_providers_answer_to_their_names_now_and_then(bundled):
    for ukprn, now, before in (("10003861", "Leeds Beckett University", "Leeds Metropolitan University"),
                               ("10006841", "University of Greater Manchester", "University of Bolton"),
                               ("10008640", "Falmouth University", "University College Falmouth"),
                               ("10007833", "Wrexham University", "Wrexham Glyndŵr University")):
        node = bundled.nodes[ukprn]
        assert node.name == now and before in node.props["former_names"]


def test_providers_uk_wide_with_gateway_to_research_ids(bundled):
    providers = list(bundled.nodes_of_type("provider"))
    assert len(providers) == 182  # 166 of the shared list and 16 added (all in England)
    country = Counter(bundled.out_edges(p.id, ["located_in"])[0].end[0] for p in providers)
    assert country == {"E": 149, "S": 18, "W": 11, "N": 4}
    assert sum(1 for p in providers if p.props.get("gtr_id")) == 148
    assert bundled.canonical_id("cardiff-university") == "10007814"


def test_no_record_cites_a_source_twice(bundled):
    for item in list(bundled.nodes.values()) + bundled.edges:
        assert len(item.sources) == len(set(item.sources)), item


def test_a_collaboration_has_two_or_more_parties(bundled):
    for n in bundled.nodes_of_type("collaboration"):
        kind = n.props.get("kind", "")
        parties = bundled.in_edges(n.id, ["party_to"])
        # a single-council deal (e.g. Moray, Falkirk) has one council party with two governments
        assert len(parties) >= (1 if kind.endswith("deal") else 2), n.id


def test_a_strategys_overall_aim_is_not_a_headline_priority(bundled):
    from lisgraph.analysis.index import themes_of

    woe = bundled.nodes["lis-west-of-england/clean-growth-and-air-quality"]
    assert woe.props["role"] == "aim"
    assert bundled.nodes["lis-heart-of-the-south-west/clean-and-inclusive-growth"].props["role"] == "aim"
    # overlaps read headline priorities only: West of England's aim no longer counts
    assert "Clean growth and air quality" not in themes_of(bundled, "E47000009").get("clean-growth", [])


def test_ceramics_group_has_its_lead_and_marks_a_single_source_party(bundled):
    parties = {e.start: e for e in bundled.in_edges("sipf-midlands-industrial-ceramics-group", ["party_to"])}
    assert parties["lucideon"].props["role"] == "lead"
    assert parties["10007163"].props["confidence"] == "single source"
    assert "confidence" not in parties["10006840"].props
