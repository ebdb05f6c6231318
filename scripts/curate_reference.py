"""Maintainer tool: author lisgraph's curated geography tables from the ONS reference files.

Reads the official lookups in ../shared/data (ONS, OGL v3.0) and the project's own curated
facts (loaders/data/reorganisations.csv, combined_authorities.csv) and writes the project's
tables of facts, each row citing its source id in loaders/sources/ons.csv:

    regions.csv counties.csv districts.csv leps.csv
    part_of_region.csv part_of_county.csv part_of_lep.csv part_of_ca.csv

Facts the ONS files do not give are in scripts/facts/*.csv, each row citing its source:
counties abolished before 2019 (counties_extra.csv), LEP mergers, openings and closures
(lep_events.csv) and combined-authority memberships whose start or end is a sourced event
rather than the date of an ONS lookup (ca_memberships.csv).

Run:  python scripts/curate_reference.py [--shared ../shared/data] [--out loaders/data]
The output is committed (tests/test_curation.py checks that this script reproduces it row for
row); lisgraph never reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "loaders" / "data"
FACTS = ROOT / "scripts" / "facts"
SOURCES = ROOT / "loaders" / "sources"
SHARED = ROOT.parent / "shared" / "data"
#: a table as written: its header and its rows
Table = tuple[list[str], list[dict[str, object]]]
LIS_START, LIS_END = date(2017, 4, 1), date(2020, 3, 31)
LEP20_START, LEP20_END = date(2020, 4, 1), date(2021, 3, 31)
LEP21_START = date(2021, 4, 1)
LEP_CLOSURE = date(2024, 3, 31)
NORTHANTS_LEP, SEMLEP = "E37000026", "E37000057"
#: when each combined-authority snapshot describes (month end of the ONS vintage)
CA_SNAPSHOTS = {
    "ons/LAD17_CAUTH17_EN_LU.csv": (date(2017, 3, 31), "ons-lad17-cauth17"),
    "ons/LAD18_CAUTH18_EN_LU.csv": (date(2018, 12, 31), "ons-lad18-cauth18"),
    "ons/LAD19_CAUTH19_EN_LU.csv": (date(2019, 12, 31), "ons-lad19-cauth19"),
    "derived/lad21_cauth21.csv": (date(2021, 12, 31), "ons-lad21-cauth21"),
    "derived/lad23_cauth23.csv": (date(2023, 12, 31), "ons-lad23-cauth23"),
    "derived/lad24_cauth24.csv": (date(2024, 5, 31), "ons-lad24-cauth24"),
    "derived/lad25_cauth25.csv": (date(2025, 5, 31), "ons-lad25-cauth25"),
}
KIND = {"E06": "unitary", "E07": "non-metropolitan district", "E08": "metropolitan borough",
        "E09": "London borough"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(f)]


def write(out: Path, name: str, header: list[str], data: list[dict[str, object]]) -> None:
    with (out / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        for r in data:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in header})
    print(f"{name}: {len(data)} rows")


def write_tables(out: Path, tables: dict[str, Table]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, data) in tables.items():
        write(out, name, header, data)


def run(doc: str, build: Callable[[Path], dict[str, Table]],
        argv: Sequence[str] | None = None) -> None:
    """The command line shared by the curation scripts: build from --shared, write to --out."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--shared", default=SHARED, type=Path,
                    help="the reference data folder (default: ../shared/data beside the repo)")
    ap.add_argument("--out", default=DATA, type=Path,
                    help="where to write the tables (default: loaders/data)")
    args = ap.parse_args(argv)
    write_tables(args.out, build(args.shared))


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def clip(start: date | None, end: date | None, life: tuple[date | None, date | None]):
    lo = max(d for d in (start, life[0]) if d) if (start or life[0]) else None
    hi = min(d for d in (end, life[1]) if d) if (end or life[1]) else None
    return (lo, hi) if not (lo and hi and hi < lo) else None


def build(S: Path, data: Path = DATA, facts: Path = FACTS) -> dict[str, Table]:
    """The geography tables from the reference folder S, lisgraph's own curated tables in
    `data` (reorganisations, combined authorities) and the facts in `facts`."""
    tables: dict[str, Table] = {}

    def table(name: str, header: list[str], data_rows: list[dict[str, object]]) -> None:
        tables[name] = (header, data_rows)

    reorg = rows(data / "reorganisations.csv")
    new_dates = {r["new"]: date.fromisoformat(r["date"]) for r in reorg}
    old_end = {r["old"]: date.fromisoformat(r["date"]) - timedelta(days=1) for r in reorg}
    reorg_source = {r["old"]: r["source"] for r in reorg} | {r["new"]: r["source"] for r in reorg}

    # -- districts and regions --------------------------------------------------------------
    master = rows(S / "derived/lad21_master.csv")
    lad18 = rows(S / "ons/LAD18_RGN18_EN_LU.csv")
    regions = {r["RGN21CD"]: r["RGN21NM"] for r in master} | {r["RGN18CD"]: r["RGN18NM"] for r in lad18}
    table("regions.csv", ["code", "name", "source"],
          [{"code": c, "name": n, "source": "ons-lad21-rgn21"} for c, n in sorted(regions.items())])

    districts: dict[str, dict[str, object]] = {}
    region_of: dict[str, tuple[str, str]] = {}
    for r in master:
        c = r["LAD21CD"]
        districts[c] = {"code": c, "name": r["LAD21NM"], "lat": r["LAT"], "lon": r["LONG"],
                        "source": "ons-lad21-rgn21;ons-lad-dec2022-bgc"}
        region_of[c] = (r["RGN21CD"], "ons-lad21-rgn21")
    for r in lad18:
        if r["LAD18CD"] not in districts:
            districts[r["LAD18CD"]] = {"code": r["LAD18CD"], "name": r["LAD18NM"], "source": "ons-lad18-rgn18"}
            region_of[r["LAD18CD"]] = (r["RGN18CD"], "ons-lad18-rgn18")
    # districts created after 2021: name from the reorganisation source, region from predecessors
    later_names = {r["LAD25CD"]: (r["LAD25NM"], "ons-lad25-cauth25")
                   for r in rows(S / "derived/lad25_cauth25.csv")}
    later_names |= {r["LAD23CD"]: (r["LAD23NM"], "off-ref-lad23-lsip23")
                    for r in rows(S / "derived/lad23_lsip23.csv")}
    for new in sorted(set(new_dates) - set(districts)):
        if new.startswith(("E06", "E07", "E08", "E09")):
            name, source = later_names[new]
            districts[new] = {"code": new, "name": name, "source": source}
    for old, new in ((r["old"], r["new"]) for r in reorg):
        if new in districts and new not in region_of and old in region_of:
            region_of[new] = (region_of[old][0], reorg_source[new] + ";" + region_of[old][1])
    for d in districts.values():
        c = str(d["code"])
        d["kind"] = KIND[c[:3]]
        d["valid_from"] = iso(new_dates.get(c))
        d["valid_to"] = iso(old_end.get(c))
        if c in new_dates or c in old_end:
            d["source"] = f"{d['source']};{reorg_source[c]}"
        # Northamptonshire's districts: on the 2020 list, gone on the 2021 list
        if not d["valid_to"] and c not in {r["LAD21CD"] for r in master} and c not in new_dates:
            raise SystemExit(f"{c} {d['name']}: abolished but no reorganisation row dates it")
    life = {c: (new_dates.get(c), old_end.get(c)) for c in districts}
    for d in districts.values():
        d["source"] = ";".join(dict.fromkeys(str(d["source"]).split(";")))
    table("districts.csv", ["code", "name", "kind", "lat", "lon", "valid_from", "valid_to", "source"],
          sorted(districts.values(), key=lambda d: str(d["code"])))
    table("part_of_region.csv", ["member", "body", "valid_from", "valid_to", "source"],
          [{"member": c, "body": rg, "valid_from": iso(life[c][0]), "valid_to": iso(life[c][1]),
            "source": src} for c, (rg, src) in sorted(region_of.items())])

    # -- counties (Dec 2019 ward lookup) -----------------------------------------------------
    wd = rows(S / "ons/WD19_LAD19_CTY19_RGN19_CTRY19_UK_LU.csv")
    counties = {r["CTY19CD"]: (r["CTY19NM"], "ons-wd19-lookup") for r in wd
                if r["CTY19CD"].startswith("E10")}
    # counties abolished before December 2019 (Dorset, 2019)
    counties |= {r["code"]: (r["name"], r["source"]) for r in rows(facts / "counties_extra.csv")}
    table("counties.csv", ["code", "name", "valid_from", "valid_to", "source"],
          [{"code": c, "name": n, "valid_to": iso(old_end.get(c)),
            "source": src + (f";{reorg_source[c]}" if c in old_end else "")}
           for c, (n, src) in sorted(counties.items())])
    cty = sorted({(r["LAD19CD"], r["CTY19CD"]) for r in wd if r["CTY19CD"].startswith("E10")})
    table("part_of_county.csv", ["member", "body", "valid_from", "valid_to", "source"],
          [{"member": d, "body": c, "valid_from": iso(life[d][0]),
            "valid_to": iso(min((x for x in (life[d][1], old_end.get(c)) if x), default=None)),
            "source": "ons-wd19-lookup"} for d, c in cty])

    # -- LEPs --------------------------------------------------------------------------------
    lep21 = {r["LEP21CD"]: r for r in rows(S / "derived/lep21_names_centroids.csv")}
    lep20 = {r["LEP20CD"]: r["LEP20NM"] for r in rows(S / "derived/lep20_names.csv")}
    lsoa_lep = rows(S / "ons/LSOA11_LEP14_EN_LU.csv")
    lep14 = {r["LEP14CD1"]: r["LEP14NM1"] for r in lsoa_lep}
    name_to_id = {r["LEP21NM"]: c for c, r in lep21.items()}
    renamed = {"Buckinghamshire Thames Valley": "E37000043",
               "York, North Yorkshire and East Riding": "E37000058"}

    def lep_id(name: str, code: str) -> str:
        if code == NORTHANTS_LEP:
            return code
        if name == "Humber":
            return "E37000049"
        return name_to_id.get(name) or renamed[name]

    events = rows(facts / "lep_events.csv")
    merger = next(r for r in events if r["lep"] == NORTHANTS_LEP)
    merged, merger_source = date.fromisoformat(merger["date"]), merger["source"]
    closure = next(r for r in events if r["event"] == "closed" and r["lep"] == "*")
    assert date.fromisoformat(closure["date"]) == LEP_CLOSURE, "closure date changed: update LEP_CLOSURE"
    closure_source = closure["source"]
    # LEPs that ran on after core funding ended (their own closure row overrides the "*" one)
    late = {r["lep"]: (date.fromisoformat(r["date"]), r["source"])
            for r in events if r["event"] == "closed" and r["lep"] != "*"}
    # LEPs whose first day a source gives (the others' start is unknown)
    opened = {r["lep"]: (r["date"], r["source"]) for r in events if r["event"] == "opened"}
    unknown_events = {r["event"] for r in events} - {"closed", "opened"} - {
        r["event"] for r in events if r["event"].startswith("merged_into:")}
    if unknown_events:
        raise SystemExit(f"{facts / 'lep_events.csv'}: unknown event(s) {sorted(unknown_events)}")

    def lep_end(lep: str) -> date:
        return late[lep][0] if lep in late else LEP_CLOSURE

    def lep_end_source(lep: str) -> str:
        return closure_source + (";" + late[lep][1] if lep in late else "")
    table("lep_mergers.csv", ["old", "new", "date", "source"],
          [{"old": NORTHANTS_LEP, "new": SEMLEP, "date": merger["date"], "source": merger_source}])
    leps: dict[str, dict[str, object]] = {}
    for c, r in lep21.items():
        leps[c] = {"code": c, "name": r["LEP21NM"], "lat": r["LAT"], "lon": r["LONG"], "codes": set(),
                   "names": set(), "valid_to": iso(LEP_CLOSURE),
                   "source": "ons-lep21-lookup;ons-lep21-boundaries;" + closure_source}
    # Humber is on the 2014 and 2020 lists and not on the 2021 list
    leps["E37000049"] = {"code": "E37000049", "name": "Humber", "codes": set(), "names": set(),
                         "valid_to": iso(LEP20_END),
                         "source": "ons-lep20-lookup;ons-lep14-lsoa;ons-lep21-lookup"}
    leps[NORTHANTS_LEP] = {"code": NORTHANTS_LEP, "name": "Northamptonshire", "codes": set(),
                           "names": set(), "valid_to": iso(merged - timedelta(days=1)),
                           "source": "ons-lep14-lsoa;" + merger_source}
    for vintage in (lep14, lep20):
        for c, n in vintage.items():
            lid = lep_id(n, c)
            leps[lid]["codes"].add(c)  # type: ignore[union-attr]
            leps[lid]["names"].add(n)  # type: ignore[union-attr]
    for lid, (day, src) in late.items():
        leps[lid]["valid_to"] = iso(day)
        leps[lid]["source"] = f"{leps[lid]['source']};{src}"
    for lid, (day_text, src) in opened.items():
        if lid not in leps:
            raise SystemExit(f"{facts / 'lep_events.csv'}: {lid} opened, but no such LEP")
        leps[lid]["valid_from"] = day_text
        leps[lid]["source"] = f"{src};{leps[lid]['source']}"
    for lid, d in leps.items():
        d["alt_codes"] = ";".join(sorted(set(d.pop("codes")) - {lid}))  # type: ignore[arg-type]
        d["former_names"] = ";".join(sorted(set(d.pop("names")) - {d["name"]}))  # type: ignore[arg-type]
    table("leps.csv", ["code", "name", "alt_codes", "former_names", "lat", "lon", "valid_from",
                       "valid_to", "source"], sorted(leps.values(), key=lambda d: str(d["code"])))

    members: list[dict[str, object]] = []

    def add_lep(district: str, lep: str, area_code: str, start: date, end: date, source: str):
        window = clip(start, end, life[district])
        if window:
            members.append({"member": district, "body": lep, "area_code": area_code,
                            "valid_from": iso(window[0]), "valid_to": iso(window[1]),
                            "source": source})

    # LIS period: the ONS December 2014 LSOA best fit, aggregated to districts. LSOAs in the
    # districts merged in 2019-20 are given their pre-merger district through the LSOA name.
    lsoa_lad = {r["LSOA11CD"]: r["LAD20CD"] for r in rows(S / "ons/LSOA11_CCG20_LAD20_EN_LU.csv")}
    old_by_name = {str(d["name"]): c for c, d in districts.items() if c in old_end}
    share: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for r in lsoa_lep:
        current = lsoa_lad[r["LSOA11CD"]]
        counted = {current}
        if current in new_dates and new_dates[current] <= LIS_END + timedelta(days=1):
            counted.add(old_by_name.get(r["LSOA11NM"].rsplit(" ", 1)[0], current))
        for district in counted:
            totals[district] += 1
            for col in ("LEP14CD1", "LEP14CD2"):
                if r[col]:
                    share[district][r[col]] += 1
    for district, by_lep in sorted(share.items()):
        for code, n in sorted(by_lep.items()):
            if n / totals[district] < 0.5:
                continue  # best-fit slivers, not membership
            lep = lep_id(lep14[code], code)
            if lep == NORTHANTS_LEP:
                lep = SEMLEP
                source = "ons-lep14-lsoa;ons-lsoa11-lad20;" + merger_source
            else:
                source = "ons-lep14-lsoa;ons-lsoa11-lad20"
            add_lep(district, lep, code, LIS_START, LIS_END, source)
    for r in rows(S / "derived/lad20_lep20_bestfit.csv"):
        add_lep(r["LAD20CD"], lep_id(r["LEP20NM1"], r["LEP20CD1"]), r["LEP20CD1"], LEP20_START,
                LEP20_END, "ons-lep20-lookup")
    for r in rows(S / "derived/lad21_lep21.csv"):
        for i in "12":
            if r[f"LEP21CD{i}"]:
                lep = r[f"LEP21CD{i}"]
                add_lep(r["LAD21CD"], lep, lep, LEP21_START, lep_end(lep),
                        "ons-lep21-lookup;" + lep_end_source(lep))
    # Unitaries created in 2023 and 2025 took the place of districts that all sat in the same
    # LEP(s); no ONS LEP lookup was published after May 2021, so their LEP follows from that.
    by_new: dict[str, list[str]] = defaultdict(list)
    for r in reorg:
        if r["new"] in districts and r["old"] in districts and new_dates[r["new"]] > LEP21_START:
            by_new[r["new"]].append(r["old"])
    lep21_rows = [m for m in members if m["valid_to"] and str(m["valid_from"]) >= iso(LEP21_START)]
    for new, olds in sorted(by_new.items()):
        sets = {frozenset(str(m["body"]) for m in lep21_rows if m["member"] == o) for o in olds}
        if len(sets) == 1 and (leps_of := next(iter(sets))):
            for lep in sorted(leps_of):
                add_lep(new, lep, lep, LEP21_START, lep_end(lep),
                        f"ons-lep21-lookup;{reorg_source[new]};{lep_end_source(lep)}")
    table("part_of_lep.csv", ["member", "body", "area_code", "valid_from", "valid_to", "source"],
          members)

    # -- combined authorities: intervals from the ONS snapshots -------------------------------
    cas = {r["code"]: r for r in rows(data / "combined_authorities.csv")}
    # A membership cites its authority's sources except those about the authority's place in
    # the 2025 devolution framework (registered in england_now.csv): they name no members.
    tier_only = {r["id"] for r in rows(SOURCES / "england_now.csv")}
    # sourced starts and ends that the dates of the ONS snapshots would miss
    events = {(r["member"], r["body"]): r for r in rows(facts / "ca_memberships.csv")}
    seen: dict[tuple[str, str], list[date]] = defaultdict(list)
    src_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    snapshots = sorted(CA_SNAPSHOTS.values())
    for f, (day, sid) in CA_SNAPSHOTS.items():
        for r in rows(S / f):
            lad = next(v for k, v in r.items() if k.startswith("LAD") and k.endswith("CD"))
            ca = next(v for k, v in r.items() if k.startswith("CAUTH") and k.endswith("CD"))
            seen[(lad, ca)].append(day)
            src_of[(lad, ca)].add(sid)
    ca_rows = []
    for (lad, ca), days in sorted(seen.items()):
        est = date.fromisoformat(cas[ca]["established"]) if cas[ca]["established"] else None
        # `abolished` is the day the change took effect: the last valid day is the one before
        abol = (date.fromisoformat(cas[ca]["abolished"]) - timedelta(days=1)
                if cas[ca]["abolished"] else None)
        first, last = min(days), max(days)
        earlier = [d for d, _ in snapshots if d < first]
        start = est if est and (not earlier or est > earlier[-1]) else first
        later = [d for d, _ in snapshots if d > last]
        end = abol if abol else None
        if later and not end:
            # left the authority between two snapshots: a later authority took the district
            takers = [c for (l2, c), ds in seen.items() if l2 == lad and c != ca and min(ds) > last]
            ests = [date.fromisoformat(cas[c]["established"]) for c in takers if cas[c]["established"]]
            end = min(ests) - timedelta(days=1) if ests else last
        sources = sorted(src_of[(lad, ca)]) + [
            s for s in str(cas[ca]["source"]).split(";") if s not in tier_only]
        if (fact := events.get((lad, ca))) is not None:
            start = date.fromisoformat(fact["valid_from"]) if fact["valid_from"] else start
            end = date.fromisoformat(fact["valid_to"]) if fact["valid_to"] else end
            sources += fact["source"].split(";")
        window = clip(start, end, life.get(lad, (None, None)))
        ca_rows.append({"member": lad, "body": ca, "valid_from": iso(window[0]) if window else "",
                        "valid_to": iso(window[1]) if window else "",
                        "source": ";".join(dict.fromkeys(sources))})
    if stray := sorted(set(events) - set(seen)):
        raise SystemExit(f"{facts / 'ca_memberships.csv'}: no ONS lookup has these memberships: "
                         f"{stray}")
    table("part_of_ca.csv", ["member", "body", "valid_from", "valid_to", "source"], ca_rows)
    # higher-education providers (UK-wide, names as now): scripts/curate_providers.py
    return tables


def main(argv: Sequence[str] | None = None) -> None:
    run(__doc__ or "", build, argv)


if __name__ == "__main__":
    main()
