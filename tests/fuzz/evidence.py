"""Evidence inputs to fuzz: an ONS Explore Local Statistics CSV with its metadata JSON, the
tidy GVA-by-industry CSV and an ONS GVA workbook (``.xlsx``), each a few real rows from
/work/shared/data/evidence (tests/fixtures/evidence), read as ``--data`` is: the graph loader
first (a mutated file that is no longer evidence is its to refuse), then the evidence loaders.

The generic classes (truncation, byte flips, column edits, encodings, line endings, quotes,
huge fields, control characters, duplicates, empty and non-regular files) apply to the CSV
layouts (family ``ecsv``) and, where they make sense, to the workbook (family ``xlsx``: a
broken zip is a clean error); :data:`EVIDENCE_CLASSES` adds what only evidence has:

=========================  =======================================================
``bad value``              not a finite ASCII number (nan, inf, 1e400, 1,234, ٣…): error
``bad period``             not an ONS period or year, or out of 1800-2100: error
``suppressed cell``        emptied and marked (status x / ``c``): accepted, figure missing
``unmarked blank``         an observation emptied with no status: error
``wrong sheet``            the workbook without its ``Current Price`` sheet: error
``header rows``            blank or merged rows above the header: the same table
=========================  =======================================================
"""

from __future__ import annotations

import io
import math
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .harness import ERROR, FIXTURES, SAME, VALID_OR_ERROR, Outcome, Target
from .mutations import Mutant, MutationClass, set_cell, table, untable

__all__ = ["EVIDENCE_TARGETS", "EVIDENCE_CLASSES", "evidence_call", "evidence_problems",
           "evidence_normalised", "REQUIRED"]

EVIDENCE = FIXTURES / "evidence"
#: the columns each evidence layout cannot do without
REQUIRED = frozenset({"areacd", "indicator", "period", "observation", "LADCD", "SIC07", "year",
                      "gva_current_prices_gbp_m"})
_AREA = re.compile(r"([A-Z][0-9]{8}|TL[A-Z]([0-9][0-9A-Z]{0,2})?)", re.ASCII)


def evidence_call(paths: list[Path], bundled: bool) -> Outcome:
    """``--data PATHS`` as the CLI reads it: the graph loader (which leaves evidence files to
    lisgraph.evidence), then the evidence loaders; a LisgraphError is exit 1 with its line."""
    import logging

    from lisgraph import load_graph
    from lisgraph.errors import LisgraphError
    from lisgraph.evidence.detect import evidence_files
    from lisgraph.evidence.loaders import load_evidence

    held = io.StringIO()
    handler = logging.StreamHandler(held)
    log = logging.getLogger("lisgraph")
    log.addHandler(handler)
    try:
        if not evidence_files(paths):  # no longer evidence: what the graph loader makes of it
            load_graph(paths, bundled=False)
            return Outcome(0, stderr=held.getvalue(), graph=None)
        return Outcome(0, stderr=held.getvalue(), graph=load_evidence(paths, bundled=False))
    except LisgraphError as exc:
        return Outcome(1, stderr=f"Error: {exc}\n")
    finally:
        log.removeHandler(handler)


def evidence_problems(ev: Any) -> list[str]:
    """Everything in loaded evidence the loaders should have refused."""
    from lisgraph.checks import FORBIDDEN, MAX_CELL, check_day
    from lisgraph.evidence.observations import EvidenceError, period_bounds

    if ev is None:
        return ["a mutated evidence file was loaded as a graph table"]
    found = []
    sources = {s.id for s in ev.sources}
    for key, rows in ev.index.series.items():
        for o in rows:
            where = f"observation {o.area}/{o.indicator}/{o.period}"
            if not _AREA.fullmatch(o.area):
                found.append(f"{where}: area is not a GSS or ITL code")
            if not o.indicator or FORBIDDEN.search(o.indicator) or len(o.indicator) > MAX_CELL:
                found.append(f"{where}: bad indicator")
            try:
                start, end = period_bounds(o.period)
                if check_day(start) or check_day(end):
                    found.append(f"{where}: period out of range")
            except EvidenceError:
                found.append(f"{where}: not a period")
            for name in ("value", "lci_95", "uci_95"):
                v = getattr(o, name)
                if v is not None and not math.isfinite(v):
                    found.append(f"{where}: {name} is not finite")
            if o.value is None and not o.status:
                found.append(f"{where}: missing value without a status")
            if o.source not in sources:
                found.append(f"{where}: source {o.source} not listed")
    gva = ev.gva_industry
    if gva is not None:
        for r in gva.itertuples(index=False):
            if not _AREA.fullmatch(r.area) or not 1800 <= r.year <= 2100 or not r.sic07 \
                    or (r.value == r.value and not math.isfinite(r.value)):
                found.append(f"GVA row {tuple(r)} is not valid")
                break
        if gva.duplicated(["area", "sic07", "year"]).any():
            found.append("GVA by industry has a repeated area, industry and year")
    return found


def evidence_normalised(ev: Any) -> tuple:
    if ev is None:
        return ()
    obs = frozenset(o for rows in ev.index.series.values() for o in rows)
    gva = () if ev.gva_industry is None else frozenset(
        (r.area, r.sic07, int(r.year), None if r.value != r.value else float(r.value))
        for r in ev.gva_industry.itertuples(index=False))
    return obs, gva, frozenset(ev.sources)


def _copy(*names: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        for name in names:
            (folder / name).write_bytes((EVIDENCE / name).read_bytes())
        return folder / names[0], [folder / names[0]]

    return build


def _metadata(folder: Path) -> tuple[Path, list[Path]]:
    _, paths = _copy("gross-median-weekly-pay.csv", "gross-median-weekly-pay.json")(folder)
    return folder / "gross-median-weekly-pay.json", paths


def _gzipped(folder: Path) -> tuple[Path, list[Path]]:
    import gzip

    path = folder / "rgva-lad-tidy.csv.gz"
    path.write_bytes(gzip.compress((EVIDENCE / "rgva-lad-tidy.csv").read_bytes(), mtime=0))
    return path, [path]


def _target(name: str, build: Callable, family: str) -> Target:
    return Target(name, build, family, call=evidence_call, problems=evidence_problems,
                  normalise=evidence_normalised)


EVIDENCE_TARGETS: list[Target] = [
    _target("ESS CSV + metadata", _copy("gross-median-weekly-pay.csv",
                                        "gross-median-weekly-pay.json"), "ecsv"),
    _target("ESS metadata JSON", _metadata, "json"),
    _target("ESS CSV alone", _copy("gross-median-weekly-pay.csv"), "ecsv"),
    _target("GVA tidy CSV", _copy("rgva-lad-tidy.csv"), "ecsv"),
    _target("GVA tidy CSV, gzipped", _gzipped, "gz"),
    _target("GVA workbook", _copy("rgva-lad-northeast.xlsx"), "xlsx"),
]

# -- evidence mutations ---------------------------------------------------------------------------

VALUE_COLUMNS = {"observation", "lci_95", "uci_95", "gva_current_prices_gbp_m"}
BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "1e400", "1,234", "12a", "\u0663\u0666", "0x10",
               "1_000", "--1", "£5", "five", "\uff15"]
BAD_PERIODS = ["2023", "2023-01-01/P5Y", "0021-01-01/P1Y", "2023-02-30/P1Y", "9999-01-01",
               "2023-13-01", "2023-01-01/", "\u0662\u0660\u0662\u0663-01-01", "last year"]
BAD_YEARS = ["21", "1066", "9999", "two", "2021.5", "\uff12\uff10\uff12\uff11", ""]


def _sheet(data: bytes) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))


def _saved(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _data_cells(ws: Any) -> list[Any]:
    return [c for row in ws.iter_rows(min_row=3, min_col=6) for c in row if c.value is not None]


def bad_value(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    bad = rnd.choice(BAD_NUMBERS)
    if t.family == "xlsx":
        wb = _sheet(data)
        rnd.choice(_data_cells(wb["Current Price"])).value = bad
        return Mutant(_saved(wb), expect=ERROR)
    return set_cell(data, rnd, lambda h, v: h in VALUE_COLUMNS and bool(v), lambda h, v: bad)


def bad_period(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "xlsx":
        wb = _sheet(data)
        ws = wb["Current Price"]
        ws.cell(row=2, column=rnd.randrange(6, ws.max_column + 1)).value = rnd.choice(
            [y for y in BAD_YEARS if y])
        return Mutant(_saved(wb))
    return set_cell(data, rnd, lambda h, v: h in ("period", "year"),
                    lambda h, v: rnd.choice(BAD_PERIODS if h == "period" else BAD_YEARS))


def _suppressed_check(area: str, what: str, when: str) -> Callable[[Any], str | None]:
    """The suppressed record is there with no figure (never zero), or gone."""

    def check(ev: Any) -> str | None:
        if ev.gva_industry is not None:
            rows = ev.gva_industry[(ev.gva_industry.area == area)
                                   & (ev.gva_industry.sic07 == what)
                                   & (ev.gva_industry.year == int(when))]
            values = rows["value"].tolist()
        else:
            values = [o.value for o in ev.index.series.get((area, what), ()) if o.period == when]
        return None if all(v is None or v != v for v in values) else \
            f"suppressed {area}/{what}/{when} came back as {values}"

    return check


def suppressed_cell(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "xlsx":
        wb = _sheet(data)
        ws = wb["Current Price"]
        cell = rnd.choice(_data_cells(ws))
        cell.value = rnd.choice(["c", "[c]", None, ".."])
        code, sic = ws.cell(cell.row, 2).value, ws.cell(cell.row, 4).value
        year = ws.cell(2, cell.column).value
        return Mutant(_saved(wb), expect=VALID_OR_ERROR,
                      check=_suppressed_check(code, sic, str(year)))
    header, rows, bom = table(data)
    value = next(c for c in ("observation", "gva_current_prices_gbp_m") if c in header)
    full = [r for r in rows if r[header.index(value)]]
    if not full:
        return None
    row = rnd.choice(full)
    row[header.index(value)] = ""
    if "status" in header:
        row[header.index("status")] = rnd.choice(["x", "c", "u"])
        for c in ("lci_95", "uci_95"):
            row[header.index(c)] = ""
        from lisgraph.evidence.bodies import code_changes
        from lisgraph.evidence.indicators import ESS_NAMES

        area = code_changes().recode.get(row[0], row[0])
        check = _suppressed_check(area, ESS_NAMES.get(row[header.index("indicator")], "?"),
                                  row[header.index("period")])
    else:
        check = _suppressed_check(row[0], row[header.index("SIC07")], row[header.index("year")])
    return Mutant(untable(header, rows, bom), expect=VALID_OR_ERROR, check=check)


def unmarked_blank(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom = table(data)
    if "status" not in header:
        return None
    row = rnd.choice(rows)
    row[header.index("observation")] = ""
    row[header.index("status")] = ""
    return Mutant(untable(header, rows, bom))


def wrong_sheet(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    wb = _sheet(data)
    choice = rnd.choice(["rename", "remove", "empty"])
    if choice == "rename":
        wb["Current Price"].title = rnd.choice(["Current Prices", "current price", "Sheet1",
                                                "Current\u202ePrice"])
    elif choice == "remove":
        wb.remove(wb["Current Price"])
    else:
        wb.remove(wb["Current Price"])
        wb.create_sheet("Current Price")
    return Mutant(_saved(wb))


def header_rows(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    wb = _sheet(data)
    ws = wb["Current Price"]
    n = rnd.randint(1, 3)
    at = rnd.choice([1, 2])
    ws.insert_rows(at, n)  # blank rows above or below the title
    if at == 2 and rnd.random() < 0.5:  # the title merged down over them, as a banner
        ws.merge_cells(start_row=1, start_column=1, end_row=1 + n, end_column=5)
    return Mutant(_saved(wb), expect=SAME)


C = MutationClass
EVIDENCE_CLASSES: list[MutationClass] = [
    C("bad value", ERROR, bad_value, ("ecsv", "xlsx"),
      doc="a value that is not a finite ASCII decimal number: refused"),
    C("bad period", ERROR, bad_period, ("ecsv", "xlsx"),
      doc="a period or year that is not one, or outside 1800-2100: refused"),
    C("suppressed cell", VALID_OR_ERROR, suppressed_cell, ("ecsv", "xlsx"),
      doc="a cell emptied and marked suppressed: accepted with the figure missing, never 0"),
    C("unmarked blank", ERROR, unmarked_blank, ("ecsv",),
      doc="an observation emptied with no status saying why: refused"),
    C("wrong sheet", ERROR, wrong_sheet, ("xlsx",),
      doc="no 'Current Price' sheet, or an empty one: refused naming the sheets it has"),
    C("header rows", SAME, header_rows, ("xlsx",),
      doc="blank or merged rows above the header: the same table"),
]
