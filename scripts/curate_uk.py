"""Maintainer tool: author lisgraph's UK geography tables from the ONS reference files.

Reads, from ../shared/data (ONS, Open Government Licence v3.0):

* ``geography_uk/lad24_itl25_uk.csv`` — every UK district (December 2024 codes) to LAU1,
  ITL3, ITL2 and ITL1 (January 2025);
* ``derived/lad22_centroids_uk.csv`` — reference points of the December 2022 districts
  (Scottish, Welsh and Northern Irish codes did not change between 2022 and 2024);

and lisgraph's own ``loaders/data/districts.csv`` and ``reorganisations.csv`` (to date
English districts that ended), and writes, each row citing its source id in
``loaders/sources/uk.csv``:

    districts_uk.csv   council areas (S12), principal areas (W06), NI districts (N09)
    itl_areas.csv      ITL1/ITL2/ITL3 areas, January 2025 (ids are the TL codes; not GSS)
    part_of_itl.csv    every UK district in its ITL3, ITL2 and ITL1; ITL3 in ITL2 in ITL1

The ITL classification of January 2025 is dated from 1 January 2025 (the day it took
effect); a district whose code ended since (Barnsley and Sheffield, 1 April 2025) is in its
areas until its last day, and its successor code from its first day (reorganisations.csv).

Run:  python scripts/curate_uk.py [--shared ../shared/data] [--out loaders/data]
The output is committed (tests/test_curation.py checks that this script reproduces it row for
row); lisgraph never reads ../shared at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

# shared CSV helpers (scripts/ is on the path)
from curate_reference import DATA, Table, rows, run

ITL_START = date(2025, 1, 1)
LOOKUP, POINTS = "ons-lad24-itl25", "ons-lad-dec2022-bgc"
KIND = {"S12": "council area", "W06": "principal area", "N09": "local government district"}
#: organisation slugs the bundled data used for these councils before they were districts;
#: kept as alternative ids so that files written with them still load
OLD_SLUGS = {
    "S12000006": "dumfries-and-galloway-council",
    "S12000026": "scottish-borders-council",
    "W06000015": "cardiff-council",
    "W06000022": "newport-city-council",
    "W06000011": "swansea-council",
}


def build(S: Path, data: Path = DATA) -> dict[str, Table]:
    """The UK tables from the reference folder S and lisgraph's English districts in `data`."""
    tables: dict[str, Table] = {}

    def table(name: str, header: list[str], data_rows: list[dict[str, object]]) -> None:
        tables[name] = (header, data_rows)

    lookup = rows(S / "geography_uk/lad24_itl25_uk.csv")
    points = {r["LAD22CD"]: r for r in rows(S / "derived/lad22_centroids_uk.csv")}
    english = {r["code"]: r for r in rows(data / "districts.csv")}
    successor = {r["old"]: (r["new"], date.fromisoformat(r["date"]))
                 for r in rows(data / "reorganisations.csv")}
    successor_source = {r["old"]: r["source"] for r in rows(data / "reorganisations.csv")}

    districts: dict[str, dict[str, object]] = {}
    for r in lookup:
        code = r["LAD24CD"]
        if code[:3] not in KIND or code in districts:
            continue
        p = points.get(code)
        if p is None:
            raise SystemExit(f"{code} {r['LAD24NM']}: no reference point in lad22_centroids_uk.csv")
        districts[code] = {"code": code, "name": r["LAD24NM"], "kind": KIND[code[:3]],
                           "lat": p["LAT"], "lon": p["LONG"], "alt_codes": OLD_SLUGS.get(code, ""),
                           "source": f"{LOOKUP};{POINTS}"}
    missing = set(OLD_SLUGS) - set(districts)
    if missing:
        raise SystemExit(f"old slugs name districts not in the lookup: {sorted(missing)}")
    table("districts_uk.csv", ["code", "name", "kind", "lat", "lon", "valid_from", "valid_to",
                               "alt_codes", "source"],
          sorted(districts.values(), key=lambda d: str(d["code"])))

    areas: dict[str, dict[str, object]] = {}
    links: dict[tuple[str, str, str], dict[str, object]] = {}

    def link(member: str, body: str, start: date | None, end: date | None, source: str) -> None:
        key = (member, body, start.isoformat() if start else "")
        links[key] = {"member": member, "body": body, "valid_from": key[2],
                      "valid_to": end.isoformat() if end else "", "source": source}

    for r in lookup:
        chain = [(r["itl3"], r["itl3name"], 3), (r["itl2"], r["itl2name"], 2),
                 (r["itl1"], r["itl1name"], 1)]
        for code, name, level in chain:
            areas[code] = {"code": code, "name": name, "level": level,
                           "valid_from": ITL_START.isoformat(), "source": LOOKUP}
        link(r["itl3"], r["itl2"], ITL_START, None, LOOKUP)
        link(r["itl2"], r["itl1"], ITL_START, None, LOOKUP)
        lad = r["LAD24CD"]
        if lad[0] == "E" and lad not in english:
            raise SystemExit(f"{lad} {r['LAD24NM']}: not in loaders/data/districts.csv")
        end = english[lad]["valid_to"] if lad in english else ""
        end_day = date.fromisoformat(end) if end else None
        for code, _, _ in chain:
            link(lad, code, ITL_START, end_day, LOOKUP)
            if end_day and lad in successor:
                new, day = successor[lad]
                if day != end_day + timedelta(days=1):
                    raise SystemExit(f"{lad}: successor date {day} does not follow {end_day}")
                link(new, code, day, None, f"{LOOKUP};{successor_source[lad]}")
    table("itl_areas.csv", ["code", "name", "level", "valid_from", "valid_to", "source"],
          sorted(areas.values(), key=lambda a: (a["level"], str(a["code"]))))
    table("part_of_itl.csv", ["member", "body", "valid_from", "valid_to", "source"],
          sorted(links.values(), key=lambda x: (str(x["member"]), str(x["body"]),
                                                str(x["valid_from"]))))
    return tables


def main(argv: Sequence[str] | None = None) -> None:
    run(__doc__ or "", build, argv)


if __name__ == "__main__":
    main()
