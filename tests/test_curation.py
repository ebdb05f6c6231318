"""The maintainer scripts in scripts/ rebuild the committed tables exactly from ../shared/data.

A hand edit of loaders/data that the scripts do not know (a fact missing from scripts/facts)
fails here: move the fact into the scripts' fact files with its source, or fix the table.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "loaders" / "data"
FACTS = ROOT / "scripts" / "facts"

#: each curation script and the tables it authors
TABLES = {
    "curate_reference": {"regions.csv", "districts.csv", "part_of_region.csv", "counties.csv",
                         "part_of_county.csv", "lep_mergers.csv", "leps.csv", "part_of_lep.csv",
                         "part_of_ca.csv"},
    "curate_uk": {"districts_uk.csv", "itl_areas.csv", "part_of_itl.csv"},
    "curate_providers": {"providers.csv", "provider_locations.csv"},
}


def script(name: str):
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    return importlib.import_module(name)


def differences(built: Path, committed: Path, limit: int = 8) -> list[str]:
    """The lines of `built` and `committed` that differ, as 'line N: committed / built'."""
    new = built.read_text(encoding="utf-8").splitlines()
    old = committed.read_text(encoding="utf-8").splitlines()
    out = [f"line {i + 1}:\n  committed {a!r}\n  built     {b!r}"
           for i, (a, b) in enumerate(zip(old, new)) if a != b]
    if len(new) != len(old):
        out.append(f"{len(old)} committed lines, {len(new)} built")
    return out[:limit]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(TABLES))
def test_script_rebuilds_committed_tables_row_for_row(name, shared, tmp_path):
    module = script(name)
    tables = module.build(shared)
    assert set(tables) == TABLES[name]
    script("curate_reference").write_tables(tmp_path, tables)  # the scripts' one writer
    for table in sorted(tables):
        _, data_rows = tables[table]
        assert data_rows, f"{name} built no rows for {table}"
        diff = differences(tmp_path / table, DATA / table)
        assert not diff, (f"scripts/{name}.py does not rebuild loaders/data/{table}:\n"
                          + "\n".join(diff))


@pytest.mark.shared
def test_out_option_writes_elsewhere_and_leaves_loaders_data_alone(shared, tmp_path):
    before = digest(DATA)
    script("curate_providers").main(["--shared", str(shared), "--out", str(tmp_path / "out")])
    assert {p.name for p in (tmp_path / "out").iterdir()} == TABLES["curate_providers"]
    assert not differences(tmp_path / "out" / "providers.csv", DATA / "providers.csv")
    assert digest(DATA) == before


@pytest.mark.shared
def test_a_fact_missing_from_the_fact_files_shows_as_a_difference(shared, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    events = facts / "lep_events.csv"
    kept = [line for line in events.read_text(encoding="utf-8").splitlines()
            if not line.startswith("E37000061,opened,")]
    events.write_text("\n".join(kept) + "\n", encoding="utf-8")
    module = script("curate_reference")
    module.write_tables(tmp_path / "out",
                        {"leps.csv": module.build(shared, facts=facts)["leps.csv"]})
    diff = differences(tmp_path / "out" / "leps.csv", DATA / "leps.csv")
    assert len(diff) == 1 and "E37000061,Hull and East Yorkshire" in diff[0]
    committed_line, built_line = diff[0].split("built")
    assert "2021-04-01" in committed_line and "2021-04-01" not in built_line


@pytest.mark.shared
def test_a_membership_fact_that_no_lookup_knows_is_refused(shared, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    with (facts / "ca_memberships.csv").open("a", encoding="utf-8") as f:
        f.write("E06000001,E47000002,2020-01-01,,off-si-2014-863,not a member\n")
    with pytest.raises(SystemExit, match="E06000001"):
        script("curate_reference").build(shared, facts=facts)


def test_every_fact_row_cites_registered_sources():
    registered = {r["id"] for f in (ROOT / "loaders" / "sources").glob("*.csv")
                  for r in csv.DictReader(f.open(encoding="utf-8", newline=""))}
    files = sorted(FACTS.glob("*.csv"))
    assert {f.name for f in files} >= {"lep_events.csv", "ca_memberships.csv"}
    bad = []
    for f in files:
        reader = csv.DictReader(f.open(encoding="utf-8", newline=""))
        for r in reader:
            ids = [s for s in r["source"].split(";") if s]
            if not ids or any(s not in registered for s in ids):
                bad.append(f"{f.name}:{reader.line_num}: {r['source']!r}")
    assert not bad, "fact rows without a registered source:\n" + "\n".join(bad)
