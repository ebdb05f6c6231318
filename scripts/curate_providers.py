"""Maintainer tool: author loaders/data/providers.csv (UK higher-education providers, names as now).

Reads ``../shared/data/providers/he_providers_geo.csv`` (166 providers with UKPRN, point,
postcode, mission groups, Gateway to Research id and the December 2022 district their point
falls in) and ``scripts/facts/provider_changes.csv`` (the project's curated facts, each row
citing its sources: the name a provider has now as the Department for Education's
degree-awarding institutions reference list gives it, former names, and, for providers that
closed or merged, their last day, successor and reason) and ``scripts/facts/providers_added.csv``
(providers missing from the shared list, e.g. given university title or degree-awarding powers
since: UKPRN from the DfE list, name as now, and the district a page read gives its address or
campus in, recorded only where that place lies in one district; no point unless a source gives
one), and writes:

    providers.csv            one row per provider: today's district, name, former names, ...
    provider_locations.csv   the district a provider's point fell in before a reorganisation
                             (Carlisle -> Cumberland 2023, Sheffield's new code 2025), dated

A provider's district is the district its point falls in today: the December 2022 district,
followed through loaders/data/reorganisations.csv to its successor when it was replaced
while the provider still existed.

Run:  python scripts/curate_providers.py [--shared ../shared/data] [--out loaders/data]
The output is committed (tests/test_curation.py checks that this script reproduces it row for
row).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

# shared CSV helpers (scripts/ is on the path)
from curate_reference import DATA, Table, rows, run
from curate_reference import FACTS as FACTS_DIR

FACTS = FACTS_DIR / "provider_changes.csv"
ADDED = FACTS_DIR / "providers_added.csv"
GEO_SOURCES = "lp-learning-providers-plus;ons-lad-dec2022-bgc"


def build(shared: Path, data: Path = DATA, facts_file: Path = FACTS) -> dict[str, Table]:
    """The provider tables from the reference folder, the curated facts and `data`."""
    geo = {r["UKPRN"]: r for r in rows(shared / "providers/he_providers_geo.csv")}
    facts = {r["ukprn"]: r for r in rows(facts_file)}
    missing = sorted(set(geo) ^ set(facts))
    if missing:
        raise SystemExit(f"{facts_file}: providers not matched with the shared list: {missing}")
    successor = {r["old"]: (r["new"], date.fromisoformat(r["date"]), r["source"])
                 for r in rows(data / "reorganisations.csv")}

    providers, history = [], []
    for ukprn in sorted(geo):
        g, f = geo[ukprn], facts[ukprn]
        ended = date.fromisoformat(f["valid_to"]) if f["valid_to"] else None
        district, sources = g["LAD22CD"], [GEO_SOURCES]
        while district in successor and (ended is None or successor[district][1] <= ended):
            new, day, src = successor[district]
            history.append({"body": ukprn, "district": district, "valid_from": "",
                            "valid_to": (day - timedelta(days=1)).isoformat(),
                            "source": f"{GEO_SOURCES};{src}"})
            district = new
            sources.append(src)
        providers.append({
            "ukprn": ukprn, "name": f["name"], "district": district,
            "lat": g["LATITUDE"], "lon": g["LONGITUDE"], "postcode": g["POSTCODE"],
            "groups": ";".join(x.strip() for x in g["GROUPS"].split(",") if x.strip()),
            "former_names": f["former_names"], "alt_codes": f["alt_codes"],
            "valid_to": f["valid_to"], "successor": f["successor"], "end_reason": f["end_reason"],
            "gtr_id": g["GTR_ID"],
            "source": ";".join(dict.fromkeys(";".join(sources + [f["source"]]).split(";")))})
    added = facts_file.with_name(ADDED.name)  # beside the changes file (tests use copies)
    for a in rows(added):
        if a["ukprn"] in geo or a["district"] in successor:
            raise SystemExit(f"{added}: {a['ukprn']} is in the shared list or its district "
                             f"{a['district']} has been replaced: fix the row")
        providers.append({k: a[k] for k in ("ukprn", "name", "district", "lat", "lon",
                                            "postcode", "former_names", "source")})
    providers.sort(key=lambda r: r["ukprn"])
    tables: dict[str, Table] = {}
    tables["providers.csv"] = (
        ["ukprn", "name", "district", "lat", "lon", "postcode", "groups", "former_names",
         "alt_codes", "valid_from", "valid_to", "successor", "end_reason", "gtr_id", "source"],
        providers)
    tables["provider_locations.csv"] = (["body", "district", "valid_from", "valid_to", "source"],
                                        history)
    return tables


def main(argv: Sequence[str] | None = None) -> None:
    run(__doc__ or "", build, argv)


if __name__ == "__main__":
    main()
