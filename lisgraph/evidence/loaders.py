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
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_ess", "read_rgva_workbook", "read_rgva_tidy", "Evidence", "load_evidence",
           "to_index"]

_OBSOLETE = re.compile(r"Obsolete code since \d{4} \(replaced by ([EKNSW]\d{8})[^,)]*\)$")
_SLUG = re.compile(r"[^a-z0-9]+")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtra("pandas", "pandas") from None
    return pd


def _ess_source(csv_path: Path) -> Source:
    meta_path = csv_path.with_suffix(".json")
    sid = "ess-" + _SLUG.sub("-", csv_path.stem.lower()).strip("-")
    if not meta_path.exists():
        return Source(sid, "Office for National Statistics", f"Explore Local Statistics: "
                      f"{csv_path.stem}", "", "unknown", "OGL-UK-3.0",
                      note=f"read from {csv_path.name}; no metadata JSON beside it")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        shared = meta["ess-beta-metadata"]["shared"]
    except (ValueError, KeyError, TypeError) as exc:
        raise EvidenceError(f"{meta_path}: not ONS Explore Local Statistics metadata "
                            f"({exc.__class__.__name__}: {exc}) — give the .json published "
                            "beside the .csv, or remove it") from None
    when = str(shared.get("sourceDate") or "").split("|")[0]
    try:
        vintage = datetime.strptime(when, "%d/%m/%Y").date().isoformat()
    except ValueError:
        vintage = when or "unknown"
    url = str(shared.get("sourceURL") or "").split("|")[0]
    return Source(sid, str(shared.get("sourceOrg") or "unknown").split("|")[0],
                  f"Explore Local Statistics: {csv_path.stem}", url, vintage, "OGL-UK-3.0",
                  note="Source: Office for National Statistics licensed under the Open "
                       f"Government Licence v3.0; read from {csv_path.name}")


def read_ess(csv_path: str | Path) -> tuple[pd.DataFrame, Source]:
    """An ONS Explore Local Statistics tidy CSV as observations, with its source.

    Indicators lisgraph knows get their lisgraph id (``gva-per-hour`` ...); others a slug of
    their ONS name. A row with an obsolete code replaced one-to-one (its notes say so, or the
    bundled code changes) is moved to the current code unless the current code has its own
    row for the same indicator and period.
    """
    pd = _pandas()
    path = Path(csv_path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise EvidenceError(f"{path}: cannot be read as CSV ({exc}) — give the file as "
                            "downloaded from Explore Local Statistics") from None
    missing = [c for c in ESS_HEADER if c not in frame.columns]
    if missing:
        raise EvidenceError(f"{path}: line 1: column '{missing[0]}' is missing — an Explore "
                            f"Local Statistics file has {', '.join(ESS_HEADER)}")
    source = _ess_source(path)
    for c in ("lci_95", "uci_95", "status", "notes"):
        if c not in frame.columns:
            frame[c] = ""
    values = {}
    for c in ("observation", "lci_95", "uci_95"):
        num = pd.to_numeric(frame[c].str.strip().replace("", None), errors="coerce")
        bad = frame[c].str.strip().ne("") & num.isna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise EvidenceError(f"{path}: line {line}: '{c}' is "
                                f"'{frame[c][bad].iloc[0]}', not a number — leave a suppressed "
                                "cell empty with its status")
        values[c] = num
    for period in frame["period"].str.strip().unique():
        try:
            period_bounds(period)
        except EvidenceError:
            line = int((frame["period"].str.strip() == period).to_numpy().nonzero()[0][0]) + 2
            raise EvidenceError(f"{path}: line {line}: period '{period}' is not a date "
                                "(YYYY-MM-DD) or YYYY-MM-DD/P1Y — write it as ONS does") from None
    changes = code_changes()
    notes_code = frame["notes"].str.extract(_OBSOLETE, expand=False)
    area = frame["areacd"].str.strip()
    current = area.map(lambda c: changes.recode.get(c, c))
    area = current.where(notes_code.isna() | notes_code.str.contains(",", na=False),
                         notes_code.fillna(current))
    out = pd.DataFrame({
        "area": area, "indicator": frame["indicator"].map(
            lambda n: ESS_NAMES.get(n, _SLUG.sub("-", n.lower()).strip("-"))),
        "period": frame["period"].str.strip(), "value": values["observation"],
        "lci_95": values["lci_95"], "uci_95": values["uci_95"],
        "status": frame["status"].str.strip(), "source": source.id,
        "recoded": area.ne(frame["areacd"].str.strip()),
    })
    # the current code's own row wins over a recoded one for the same indicator and period
    out = (out.sort_values("recoded", kind="stable")
              .drop_duplicates(["area", "indicator", "period"], keep="first")
              .sort_index())
    return out[list(COLUMNS)].reset_index(drop=True), source


def _tidy_rgva(frame: pd.DataFrame, source: Source, label: str) -> pd.DataFrame:
    pd = _pandas()
    changes = code_changes()
    out = pd.DataFrame({"area": frame["area"].str.strip().map(lambda c: changes.recode.get(c, c)),
                        "sic07": frame["sic07"].astype(str).str.strip(),
                        "year": pd.to_numeric(frame["year"], errors="coerce"),
                        "value": pd.to_numeric(frame["value"], errors="coerce")})
    if out["year"].isna().any():
        line = int(out["year"].isna().to_numpy().nonzero()[0][0]) + 2
        raise EvidenceError(f"{label}: row {line}: year is not a number")
    out["year"] = out["year"].astype(int)
    out.attrs["source_ids"] = [source.id]
    return out


def read_rgva_tidy(path: str | Path) -> tuple[pd.DataFrame, Source]:
    """The tidy GVA by industry table (LADCD, SIC07, year, gva_current_prices_gbp_m; gzip
    allowed) as (area, sic07, year, value) rows; empty cells stay NaN."""
    pd = _pandas()
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RGVA_TIDY_HEADER if c not in frame.columns]
    if missing:
        raise EvidenceError(f"{path}: line 1: column '{missing[0]}' is missing — the tidy "
                            f"layout has {', '.join(RGVA_TIDY_HEADER)}")
    frame = frame.rename(columns={"LADCD": "area", "SIC07": "sic07",
                                  "gva_current_prices_gbp_m": "value"})
    source = Source("rgva-" + _SLUG.sub("-", path.name.lower()).strip("-"),
                    "Office for National Statistics", "Regional gross value added (balanced) by "
                    f"industry: local authorities ({path.name})", "", "unknown", "OGL-UK-3.0",
                    note="tidy form read from the user's file")
    return _tidy_rgva(frame, source, str(path)), source


def read_rgva_workbook(path: str | Path, sheet: str = "Current Price") -> tuple[pd.DataFrame,
                                                                               Source]:
    """One ONS workbook (a region's ``.xlsx``) as (area, sic07, year, value) rows.

    The sheet has a title row, then ``ITL1 region, LAD code, LA name, SIC07, SIC07
    description, <years>``; suppressed cells (``c``) stay NaN.
    """
    pd = _pandas()
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("openpyxl", "evidence") from None
    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a bad file
        raise EvidenceError(f"{path}: not an Excel workbook ({exc.__class__.__name__}) — give "
                            "the .xlsx as ONS publishes it") from None
    if sheet not in wb.sheetnames:
        raise EvidenceError(f"{path}: no sheet '{sheet}' (has {', '.join(wb.sheetnames)})")
    ws = wb[sheet]
    rows = ws.iter_rows(values_only=True)
    title = next(rows, (None,))[0]
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    if header[1:4] != ["LAD code", "LA name", "SIC07"]:
        raise EvidenceError(f"{path}: sheet '{sheet}' row 2: expected 'ITL1 region, LAD code, "
                            "LA name, SIC07, SIC07 description, <years>' — is this the ONS "
                            "workbook?")
    years = [(i, int(h)) for i, h in enumerate(header) if h.isdigit()]
    records, labels = [], {}
    for r in rows:
        if not r or r[1] is None:
            continue
        labels.setdefault(str(r[3]), str(r[4] or r[3]))
        for i, y in years:
            v = r[i]
            records.append((str(r[1]), str(r[3]), y, v if isinstance(v, (int, float)) else None))
    wb.close()
    frame = pd.DataFrame(records, columns=["area", "sic07", "year", "value"])
    source = Source("rgva-" + _SLUG.sub("-", path.stem.lower()).strip("-")[-40:],
                    "Office for National Statistics", str(title or path.name), "", "unknown",
                    "OGL-UK-3.0", note=f"sheet '{sheet}' of {path.name}")
    out = _tidy_rgva(frame, source, str(path))
    out.attrs["labels"] = labels
    return out, source


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
