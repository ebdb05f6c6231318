"""Maintainer tool: build lisgraph's bundled evidence (loaders/evidence/) from the ONS files.

Reads ../shared/data/evidence (ONS Explore Local Statistics tidy files and the ONS GVA by
industry table, Open Government Licence v3.0), ../shared/data/geography_uk/la_all_codes.csv
(code changes) and ../shared/data/sic (IS-8 SIC definitions) and writes:

    observations.csv   area, indicator, period, value, lci_95, uci_95, status, source
                       (source left empty: each indicator's own source id; the indicators of lisgraph.evidence.indicators, from each one's
                       baseline year to its latest; UK, nations, regions, counties, districts,
                       combined authorities and city regions; values copied as published)
    gva_industry.csv   GVA by industry (current prices, £ million) for every UK district,
                       2017 and 2023, the 49 published groups, suppressed cells empty
    industry_groups.csv  the 49 published industry groups' codes and ONS labels
    code_changes.csv   district codes no longer in use and the code now covering each
    is8_sectors.csv    the IS-8 sectors' SIC codes (government's definitions list)

Source rows are in loaders/evidence/sources.csv (written by hand; each cites its page).
Run from the repository root:  python scripts/bundle_evidence.py [--shared ../shared/data]
The output is committed; lisgraph never reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lisgraph.evidence.indicators import INDICATORS

OUT = Path("loaders/evidence")
#: area code prefixes kept: UK and its UK-less-extra-regio comparator, nations, regions,
#: counties, districts (England, Wales, Scotland, Northern Ireland), combined authorities and
#: city regions (E47, W42, N34)
KEEP = ("K02", "K99", "E92", "W92", "S92", "N92", "E12", "E10", "E06", "E07", "E08", "E09",
        "W06", "S12", "N09", "E47", "W42", "N34")
GVA_YEARS = ("2017", "2023")
RGVA_SOURCE = "ons-rgva-lad-2025"
OBSOLETE = re.compile(r"Obsolete code since (\d{4}) \(replaced by (.+)\)")


def code_changes(shared: Path) -> list[dict[str, str]]:
    """Old district codes and the code now covering each (recode = one old code only)."""
    with open(shared / "geography_uk/la_all_codes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    successors: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["LADCD"] != r["LADCD_ACTIVE"]:
            successors[r["LADCD_ACTIVE"]].add(r["LADCD"])
    out = []
    for r in rows:
        old, new = r["LADCD"], r["LADCD_ACTIVE"]
        if old == new:
            continue
        kind = "recode" if len(successors[new]) == 1 else "merge"
        out.append({"old": old, "old_name": r["LADNM"], "new": new, "new_name": r["LADNM_ACTIVE"],
                    "kind": kind, "source": "ons-la-all-codes"})
    return sorted(out, key=lambda r: (r["new"], r["old"]))


def _year(period: str) -> int:
    return int(period[:4])


def observations(shared: Path, recodes: dict[str, str]) -> list[list[str]]:
    by_file: dict[str, list] = defaultdict(list)
    for ind in INDICATORS.values():
        if ind.ess_file:
            by_file[ind.ess_file].append(ind)
    rows: dict[tuple[str, str, str], list[str]] = {}
    for name, inds in sorted(by_file.items()):
        wanted = {i.ess_name: i for i in inds}
        with open(shared / "evidence/ess" / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                ind = wanted.get(r["indicator"])
                if ind is None or not r["areacd"].startswith(KEEP):
                    continue
                if _year(r["period"]) < ind.baseline_year:
                    continue
                area, current = r["areacd"], recodes.get(r["areacd"])
                if current is not None:
                    key = (current, ind.id, r["period"])
                    if key in rows and rows[key][-1] == "current":
                        continue  # the current code's own row wins
                    area, origin = current, "recoded"
                else:
                    origin = "current"
                rows[(area, ind.id, r["period"])] = [
                    area, ind.id, r["period"], r["observation"], r["lci_95"], r["uci_95"],
                    r["status"], "", origin]
    # GVA (current prices, £ million, all industries) from the GVA by industry table
    gva = INDICATORS["gva"]
    for area, sic, year, value in _rgva_rows(shared, recodes):
        if sic == "Total" and int(year) >= gva.baseline_year:
            rows[(area, "gva", f"{year}-01-01/P1Y")] = [
                area, "gva", f"{year}-01-01/P1Y", value, "", "", "" if value else "x", "", ""]
    return [v[:-1] for _, v in sorted(rows.items())]


def _rgva_rows(shared: Path, recodes: dict[str, str]):
    path = shared / "evidence/rgva_lad/rgva_lad_current_prices_1998_2023.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            yield (recodes.get(r["LADCD"], r["LADCD"]), r["SIC07"], r["year"],
                   r["gva_current_prices_gbp_m"])


def gva_industry(shared: Path, recodes: dict[str, str]) -> list[list[str]]:
    return sorted([area, sic, year, value] for area, sic, year, value in
                  _rgva_rows(shared, recodes) if year in GVA_YEARS)


def industry_groups(shared: Path) -> list[list[str]]:
    seen: dict[str, str] = {}
    path = shared / "evidence/rgva_lad/rgva_lad_current_prices_1998_2023.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            seen.setdefault(r["SIC07"], r["industry"])
    return [[code, label, RGVA_SOURCE] for code, label in seen.items()]


def is8_sectors(shared: Path) -> list[list[str]]:
    tiers = {"0": "core", "1": "frontier", "2": "foundational"}
    out = []
    path = shared / "sic/is8_sector_definitions_sic_transcribed.csv"
    with open(path, encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    for r in records:
        sic = r["sic_code"].strip()
        out.append([r["sector_name"], tiers[r["is_frontier"]],
                    "" if r["frontier_subsector_ifnotSIC"] == "NA" else
                    r["frontier_subsector_ifnotSIC"],
                    "" if sic == "NA" else sic, "" if r["SIC_name"] == "NA" else r["SIC_name"],
                    "govuk-is8-definitions"])
    return out


def _write(name: str, header: list[str], rows) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    changes = code_changes(args.shared)
    recodes = {c["old"]: c["new"] for c in changes if c["kind"] == "recode"}
    _write("code_changes.csv", ["old", "old_name", "new", "new_name", "kind", "source"],
           ([c[k] for k in ("old", "old_name", "new", "new_name", "kind", "source")]
            for c in changes))
    _write("observations.csv", ["area", "indicator", "period", "value", "lci_95", "uci_95",
                                "status", "source"], observations(args.shared, recodes))
    _write("gva_industry.csv", ["area", "sic07", "year", "value"],
           gva_industry(args.shared, recodes))
    _write("industry_groups.csv", ["sic07", "label", "source"], industry_groups(args.shared))
    _write("is8_sectors.csv", ["sector", "tier", "frontier_industry", "sic_code", "sic_name",
                               "source"], is8_sectors(args.shared))
    for p in sorted(OUT.glob("*.csv")):
        print(f"{p}: {p.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
