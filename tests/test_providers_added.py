"""Providers added since the shared list (issue 12, item 6): UKPRN, sources, a district valid
today recorded by the location rule, and the list they come from."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDED = ROOT / "scripts" / "facts" / "providers_added.csv"
GAPS = ROOT / "docs" / "data-gaps" / "uk.md"
TODAY = date(2026, 11, 1)


def _added() -> list[dict[str, str]]:
    with ADDED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_fact_file_names_providers_missing_from_the_shared_list(shared):
    with (shared / "providers" / "he_providers_geo.csv").open(encoding="utf-8-sig") as f:
        listed = {r["UKPRN"] for r in csv.DictReader(f)}
    added = [r["ukprn"] for r in _added()]
    assert len(added) == len(set(added)) >= 16
    assert not set(added) & listed


@pytest.mark.parametrize("row", _added(), ids=lambda r: r["ukprn"])
def test_added_provider_is_keyed_sourced_and_located_today(bundled, row):
    assert re.fullmatch(r"1\d{7}", row["ukprn"])
    node = bundled.nodes[row["ukprn"]]
    assert node.type == "provider" and node.name == row["name"]
    assert node.props.get("valid_to") is None
    # the UKPRN comes from the DfE degree-awarding institutions list; the place from another page
    assert node.sources[0] == "dfe-ref-institutions" and len(node.sources) >= 2
    assert all(s in bundled.sources for s in node.sources)
    # the page the district rests on says so: its source note states the location rule
    assert any("Location rule" in bundled.sources[s].note for s in node.sources), node.sources
    now = [e.end for e in bundled.out_edges(node.id, ["located_in"], TODAY)
           if bundled.nodes[e.end].type == "district" and bundled.nodes[e.end].valid_on(TODAY)]
    assert now == [row["district"]]
    # no point is invented: lat/lon only where the row (and so a source) gives them
    assert ("lat" in node.props) is bool(row["lat"])


def test_renamed_added_providers_answer_to_their_former_names(bundled):
    for ukprn, before in (("10005127", "Plymouth College of Art"),
                          ("10000163", "AECC University College"),
                          ("10048199", "New College of the Humanities")):
        node = bundled.nodes[ukprn]
        assert before in node.props["former_names"] and node.name != before


def test_location_rule_and_left_out_providers_are_documented():
    text = GAPS.read_text(encoding="utf-8")
    section = text[text.index("## Higher-education providers"):]
    assert "location rule" in section.lower()
    assert "Universities missing from `providers.csv`" not in text  # LSTM is no longer missing
    for left_out in ("BPP University", "The University of Law", "Regent's University London"):
        assert left_out in section
