"""Loaders for evidence files a user downloads: ONS Explore Local Statistics tidy CSV (with
its metadata JSON), and ONS "Regional gross value added (balanced) by industry: local
authorities" as the published workbooks (``.xlsx``, needs openpyxl: ``pip install
lisgraph[evidence]``) or in its tidy form. pandas is imported inside each function.

Every loader returns observations in lisgraph's layout (:data:`~lisgraph.evidence.observations.COLUMNS`)
or GVA by industry as (area, sic07, year, value) rows, with the source it read. Suppressed or
missing cells stay missing (NaN / None), never zero; one-to-one recodes map to the current code.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checks import FIRST_DAY, LAST_DAY, bad_text, check_day, check_url, show
from ..csvtable import label_of
from ..errors import MissingExtra
from ..model import Source
from .bodies import code_changes
from .detect import ESS_HEADER, RGVA_TIDY_HEADER, evidence_files
from .indicators import ESS_NAMES
from .observations import (
    COLUMNS,
    EvidenceError,
    EvidenceIndex,
    Observation,
    bundled_index,
    period_bounds,
)
from .tables import check_codes, check_numbers, check_years, fail, read_csv_table
from .workbook import read_rgva_workbook

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_ess", "read_rgva_workbook", "read_rgva_tidy", "Evidence", "load_evidence",
           "to_index"]

_OBSOLETE = re.compile(r"Obsolete code since [0-9]{4} \(replaced by ([EKNSW][0-9]{8})[^,)]*\)$",
                       re.ASCII)
_SLUG = re.compile(r"[^a-z0-9]+")
log = logging.getLogger("lisgraph")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtra("pandas", "pandas") from None
    return pd


#: the columns of an Explore Local Statistics file lisgraph reads (others are ignored)
ESS_COLUMNS = (*ESS_HEADER, "areanm", "lci_95", "uci_95", "status", "notes")
_ESS = "an Explore Local Statistics file"


def _ess_metadata(meta_path: Path) -> dict[str, Any]:
    """The metadata fields shared by a file's indicators: ONS writes them under ``shared``
    when a file holds several indicators, at the top level when it holds one."""
    from ..csvtable import read_text
    from ..errors import InputError

    try:
        meta = json.loads(read_text(meta_path))
        body = meta["ess-beta-metadata"]
        shared = body["shared"] if "shared" in body else body
        if not isinstance(shared, dict):
            raise TypeError("its metadata is not an object")
    except (ValueError, KeyError, TypeError, RecursionError, InputError) as exc:
        raise EvidenceError(f"{meta_path}: not ONS Explore Local Statistics metadata "
                            f"({exc.__class__.__name__}: {str(exc)[:120]}) — give the .json "
                            "published beside the .csv, or remove it") from None
    return shared


def _first_of(value: Any) -> str:
    """ONS joins the sources of a combined indicator with ``|``: the first is the lead."""
    text = str(value or "").split("|")[0].strip()
    return "" if bad_text(text) else text


def _ess_source(csv_path: Path) -> Source:
    meta_path = csv_path.with_suffix(".json")
    sid = "ess-" + _SLUG.sub("-", csv_path.stem.lower()).strip("-")[:60]
    if not os.path.lexists(meta_path):  # a link to nothing is refused, not taken for no file
        return Source(sid, "Office for National Statistics", f"Explore Local Statistics: "
                      f"{csv_path.stem}", "", "unknown", "OGL-UK-3.0",
                      note=f"read from {csv_path.name}; no metadata JSON beside it")
    shared = _ess_metadata(meta_path)
    when = _first_of(shared.get("sourceDate"))
    try:
        vintage = datetime.strptime(when, "%d/%m/%Y").date().isoformat()
    except ValueError:
        vintage = "unknown"
    url = _first_of(shared.get("sourceURL"))
    return Source(sid, _first_of(shared.get("sourceOrg")) or "unknown",
                  f"Explore Local Statistics: {csv_path.stem}",
                  url if url and check_url(url) is None else "", vintage, "OGL-UK-3.0",
                  note="Source: Office for National Statistics licensed under the Open "
                       f"Government Licence v3.0; read from {csv_path.name}")


def read_ess(csv_path: str | Path) -> tuple[pd.DataFrame, Source]:
    """An ONS Explore Local Statistics tidy CSV as observations, with its source.

    Indicators lisgraph knows get their lisgraph id (``gva-per-hour`` ...); others a slug of
    their ONS name. A row with an obsolete code replaced one-to-one (its notes say so, or the
    bundled code changes) is moved to the current code unless the current code has its own
    row for the same indicator and period. A suppressed cell is an empty observation with its
    status (``x``, ``c`` ...): missing, never zero. Refused with one line: a bad file (see
    :func:`~lisgraph.evidence.tables.read_csv_table`), an area that is not a GSS code, a
    period that is not one, a value that is not a finite number, an empty observation without
    a status, an interval whose lower bound is above its upper, and two different values for
    one area, indicator and period.
    """
    pd = _pandas()
    path = Path(csv_path)
    label = label_of(path)
    frame = read_csv_table(path, ESS_HEADER, ESS_COLUMNS, _ESS)
    source = _ess_source(path)
    for c in ("lci_95", "uci_95", "status", "notes"):
        if c not in frame.columns:
            frame[c] = ""
    uncoded = frame["areacd"] == "na"  # ONS's mark for an area without a code
    if uncoded.any():
        names = sorted(set(frame["areanm"][uncoded])) if "areanm" in frame else []
        log.warning(f"Warning: {label}: {int(uncoded.sum())} rows without an area code ('na') "
                    "are not read (nothing can be joined to them)"
                    + (f": {show(', '.join(names), 80)}" if names else ""))
        frame = frame[~uncoded].reset_index(drop=True)
        if frame.empty:
            raise fail(label, None, "areacd", "no row has an area code", "give GSS or ITL codes")
    check_codes(frame, "areacd", label, itl=True)
    empty = frame["indicator"] == ""
    if empty.any():
        raise fail(label, int(frame["_line"][empty].iloc[0]), "indicator", "is empty",
                   "name the indicator as ONS does")
    values = {c: check_numbers(frame, c, label) for c in ("observation", "lci_95", "uci_95")}
    unmarked = values["observation"].isna() & (frame["status"] == "")
    if unmarked.any():
        raise fail(label, int(frame["_line"][unmarked].iloc[0]), "observation",
                   "is empty and its status says nothing", "write the value, or mark a "
                   "suppressed cell in 'status' (x, c, as ONS does)")
    upside_down = values["lci_95"] > values["uci_95"]
    if upside_down.any():
        raise fail(label, int(frame["_line"][upside_down].iloc[0]), "lci_95",
                   "the lower bound is above the upper bound (uci_95)", "swap or correct them")
    for period in frame["period"].unique():
        problem = _period_problem(period)
        if problem:
            line = int(frame["_line"][frame["period"] == period].iloc[0])
            raise fail(label, line, "period", f"{show(period)} {problem}",
                       "write a date (YYYY-MM-DD) or YYYY-MM-DD/P1Y, as ONS does")
    _refuse_conflicts(frame, ["areacd", "indicator", "period"], values["observation"], label)
    changes = code_changes()
    notes_code = frame["notes"].str.extract(_OBSOLETE, expand=False)
    area = frame["areacd"]
    current = area.map(lambda c: changes.recode.get(c, c))
    area = current.where(notes_code.isna() | notes_code.str.contains(",", na=False),
                         notes_code.fillna(current))
    out = pd.DataFrame({
        "area": area, "indicator": frame["indicator"].map(
            lambda n: ESS_NAMES.get(n, _SLUG.sub("-", n.lower()).strip("-")[:80])),
        "period": frame["period"], "value": values["observation"],
        "lci_95": values["lci_95"], "uci_95": values["uci_95"],
        "status": frame["status"], "source": source.id,
        "recoded": area.ne(frame["areacd"]),
    })
    # the current code's own row wins over a recoded one for the same indicator and period
    out = (out.sort_values("recoded", kind="stable")
              .drop_duplicates(["area", "indicator", "period"], keep="first")
              .sort_index())
    return out[list(COLUMNS)].reset_index(drop=True), source


def _period_problem(period: str) -> str | None:
    try:
        start, end = period_bounds(period)
    except EvidenceError:
        return "is not a period"
    if check_day(start) or check_day(end):
        return f"is outside {FIRST_DAY.year}-{LAST_DAY.year}"
    return None


def _refuse_conflicts(frame: pd.DataFrame, key: list[str], values: pd.Series,
                      label: str) -> None:
    """A repeated row is one record; two different values for one key are refused."""
    seen = frame[key].assign(_v=values.fillna(float("inf")))  # two blanks agree
    dup = seen.duplicated(key, keep=False) & ~seen.duplicated([*key, "_v"], keep=False)
    if dup.any():
        row = frame[dup].iloc[-1]
        first = int(frame["_line"][dup].iloc[0])
        raise fail(label, int(row["_line"]), None, f"a second, different value for "
                   f"{', '.join(str(row[k]) for k in key)} (first on line {first})",
                   "keep one of the two rows")


def _tidy_rgva(frame: pd.DataFrame, source: Source, label: str) -> pd.DataFrame:
    pd = _pandas()
    changes = code_changes()
    out = pd.DataFrame({"area": frame["area"].map(lambda c: changes.recode.get(c, c)),
                        "sic07": frame["sic07"], "year": frame["year"],
                        "value": frame["value"]})
    out = out.drop_duplicates(["area", "sic07", "year"], keep="first").reset_index(drop=True)
    out.attrs["source_ids"] = [source.id]
    return out


def read_rgva_tidy(path: str | Path) -> tuple[pd.DataFrame, Source]:
    """The tidy GVA by industry table (LADCD, SIC07, year, gva_current_prices_gbp_m; gzip
    allowed) as (area, sic07, year, value) rows; empty cells stay NaN. Refused with one line:
    a bad file, an area that is not a GSS code, an empty industry, a year that is not one, a
    value that is not a finite number, two different values for one area, industry and year."""
    path = Path(path)
    label = label_of(path)
    frame = read_csv_table(path, RGVA_TIDY_HEADER, (*RGVA_TIDY_HEADER, "LADNM", "industry"),
                           "the tidy GVA by industry layout")
    check_codes(frame, "LADCD", label)
    empty = frame["SIC07"] == ""
    if empty.any():
        raise fail(label, int(frame["_line"][empty].iloc[0]), "SIC07", "is empty",
                   "give the SIC 2007 section or division")
    frame["year"] = check_years(frame, "year", label)
    value = check_numbers(frame, "gva_current_prices_gbp_m", label)
    _refuse_conflicts(frame, ["LADCD", "SIC07", "year"], value, label)
    frame = frame.rename(columns={"LADCD": "area", "SIC07": "sic07"}).assign(value=value)
    source = Source("rgva-" + _SLUG.sub("-", path.name.lower()).strip("-")[:60],
                    "Office for National Statistics", "Regional gross value added (balanced) by "
                    f"industry: local authorities ({path.name})", "", "unknown", "OGL-UK-3.0",
                    note="tidy form read from the user's file")
    return _tidy_rgva(frame, source, label), source


def to_index(frame: pd.DataFrame) -> EvidenceIndex:
    """An observations frame as the index the figures are read from."""
    pd = _pandas()
    index = EvidenceIndex()
    for r in frame.itertuples(index=False):
        def num(x: Any) -> float | None:
            return None if pd.isna(x) else float(x)
        index.add(Observation(r.area, r.indicator, r.period, num(r.value), num(r.lci_95),
                              num(r.uci_95), r.status or "", r.source))
    return index


@dataclass
class Evidence:
    """Observations (index), GVA by industry (frame or None: the bundled one) and sources."""

    index: EvidenceIndex
    gva_industry: Any = None
    sources: list[Source] = field(default_factory=list)


def load_evidence(paths: list[Path] | tuple[Path, ...] = (), bundled: bool = True) -> Evidence:
    """The bundled evidence plus the user's evidence files among ``paths``; a user's value for
    the same area, indicator and period replaces the bundled one."""
    pd = _pandas()
    files = evidence_files(paths)
    if not files:
        return Evidence(bundled_index() if bundled else EvidenceIndex())
    frames, gva, sources = [], [], []
    for kind, path in files:
        if kind == "ess":
            f, s = read_ess(path)
            frames.append(f)
        else:
            f, s = read_rgva_workbook(path) if kind == "rgva-workbook" else read_rgva_tidy(path)
            gva.append(f)
        sources.append(s)
    index = EvidenceIndex()
    if bundled:
        base = bundled_index()
        for key in list(base.series):
            for o in base.get(*key):
                index.add(o)
    if frames:
        user = pd.concat(frames, ignore_index=True)
        replaced = set(zip(user["area"], user["indicator"]))
        for key in replaced & set(index.series):
            periods = set(user.loc[(user["area"] == key[0]) & (user["indicator"] == key[1]),
                                   "period"])
            index.series[key] = [o for o in index.get(*key) if o.period not in periods]
        for key, rows in to_index(user).series.items():
            index.series.setdefault(key, []).extend(rows)
    frame = None
    if gva:
        frame = pd.concat(gva, ignore_index=True)
        frame.attrs["source_ids"] = [i for f in gva for i in f.attrs.get("source_ids", [])]
        frame.attrs["labels"] = {k: v for f in gva for k, v in f.attrs.get("labels", {}).items()}
    return Evidence(index, frame, sources)
