"""ONS "Regional gross value added (balanced) by industry: local authorities" as the published
workbooks (``.xlsx``; needs openpyxl: ``pip install lisgraph[evidence]``).

A sheet has title and note rows, then the header ``ITL1 region, LAD code, LA name, SIC07,
SIC07 description, <years>``, then one row per district and industry. Suppressed cells
(``c`` and ONS's other markers) stay missing; any other text where a number belongs, a bad
code or a broken file is refused with one line naming the sheet and cell.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checks import GSS, MAX_CELL, bad_text, show
from ..csvtable import file_problem, label_of
from ..errors import MissingExtra
from ..model import Source
from .observations import EvidenceError
from .tables import fail

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_rgva_workbook", "SUPPRESSED", "HEADER"]

#: what ONS writes in a cell it does not publish (confidential, not available, not applicable)
SUPPRESSED = frozenset({"c", "[c]", "x", "[x]", "..", ":", "-", "[low]", "z", "[z]"})
#: the columns every sheet starts with (the years follow)
HEADER = ("ITL1 region", "LAD code", "LA name", "SIC07", "SIC07 description")
#: rows above the header that may hold a title and notes
_HEADER_SEARCH = 20
_SLUG = re.compile(r"[^a-z0-9]+")
_WORKBOOK = "give the .xlsx as ONS publishes it"


def _cell(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _find_header(rows: Any, label: str, sheet: str) -> tuple[int, list[str], str]:
    """(row number, header, title) of the first row that starts like :data:`HEADER`."""
    title = ""
    for number, row in enumerate(rows, start=1):
        cells = [_text(c) for c in row]
        if cells[1:4] == list(HEADER[1:4]):
            return number, cells, title
        if not title and any(cells):
            title = next(c for c in cells if c)
        if number >= _HEADER_SEARCH:
            break
    raise fail(label, f"sheet '{sheet}'", None, f"no header row ({', '.join(HEADER)}, "
               f"<years>) in its first {_HEADER_SEARCH} rows", f"is this the ONS workbook? "
               f"{_WORKBOOK}")


def _years(header: list[str], label: str, sheet: str, at: int) -> list[tuple[int, int]]:
    years = []
    for i, h in enumerate(header[len(HEADER):], start=len(HEADER)):
        if re.fullmatch(r"[0-9]{4}", h, re.ASCII) and 1800 <= int(h) <= 2100:
            years.append((i, int(h)))
        elif h:
            raise fail(label, f"sheet '{sheet}' cell {_cell(at, i)}", None,
                       f"column {show(h)} is not a year", _WORKBOOK)
    if not years:
        raise fail(label, f"sheet '{sheet}' row {at}", None, "the header has no year columns",
                   _WORKBOOK)
    return years


def _value(v: Any, where: str, label: str) -> float | None:
    if v is None or (isinstance(v, str) and v.strip().lower() in SUPPRESSED | {""}):
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise fail(label, where, None, f"{show(v)} is not a number",
                   "leave a suppressed cell empty or marked 'c', as ONS does")
    if not math.isfinite(v):
        raise fail(label, where, None, "is not a finite number", "write the value")
    return float(v)


def _records(rows: Any, start: int, years: list[tuple[int, int]], label: str,
             sheet: str) -> tuple[list[tuple[str, str, int, float | None]], dict[str, str]]:
    records: list[tuple[str, str, int, float | None]] = []
    labels: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    width = max(i for i, _ in years) + 1
    for number, row in enumerate(rows, start=start):
        cells = list(row) + [None] * (width - len(row))
        if not any(_text(c) for c in cells):
            continue
        code, sic = _text(cells[1]), _text(cells[3])
        where = f"sheet '{sheet}' cell {_cell(number, 1)}"
        if not GSS.fullmatch(code):
            raise fail(label, where, "LAD code", f"{show(code)} is not a GSS code",
                       "write the district's 9-character GSS code")
        for i, text in ((3, sic), (4, _text(cells[4]))):
            bad = bad_text(text) or (("is empty", "give the SIC 2007 code") if i == 3
                                     and not text else None)
            if bad:
                raise fail(label, f"sheet '{sheet}' cell {_cell(number, i)}", HEADER[i], *bad)
        if (code, sic) in seen:
            raise fail(label, where, None, f"{code} {sic} again (first on row "
                       f"{seen[code, sic]})", "keep one of the two rows")
        seen[code, sic] = number
        labels.setdefault(sic, _text(cells[4]) or sic)
        for i, year in years:
            value = _value(cells[i], f"sheet '{sheet}' cell {_cell(number, i)}", label)
            records.append((code, sic, year, value))
    if not records:
        raise fail(label, f"sheet '{sheet}'", None, "has a header but no data rows", _WORKBOOK)
    return records, labels


def read_rgva_workbook(path: str | Path, sheet: str = "Current Price") -> tuple[pd.DataFrame,
                                                                               Source]:
    """One ONS workbook (a region's ``.xlsx``) as (area, sic07, year, value) rows, with labels
    of the industries in ``attrs["labels"]``; suppressed cells stay NaN."""
    from .loaders import _pandas, _tidy_rgva

    pd = _pandas()
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("openpyxl", "evidence") from None
    path = Path(path)
    label = label_of(path)
    problem = file_problem(path)
    if problem:
        raise EvidenceError(f"{label}: {problem[0]} — {problem[1]}")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise fail(label, None, None, f"is not an Excel workbook ({exc.__class__.__name__})",
                   _WORKBOOK) from None
    try:
        if sheet not in wb.sheetnames:
            names = ", ".join(show(n, 40) for n in wb.sheetnames[:10])
            raise fail(label, None, None, f"has no sheet '{sheet}' (it has {names})", _WORKBOOK)
        rows = wb[sheet].iter_rows(values_only=True)
        at, header, title = _find_header(rows, label, sheet)
        years = _years(header, label, sheet, at)
        records, labels = _records(rows, at + 1, years, label, sheet)
    except EvidenceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet's XML is parsed lazily, while iterating
        raise fail(label, f"sheet '{sheet}'", None, f"cannot be read ({exc.__class__.__name__})",
                   _WORKBOOK) from None
    finally:
        wb.close()
    title = title if title and not bad_text(title) and len(title) <= MAX_CELL else path.name
    frame = pd.DataFrame(records, columns=["area", "sic07", "year", "value"])
    source = Source("rgva-" + _SLUG.sub("-", path.stem.lower()).strip("-")[-40:],
                    "Office for National Statistics", title, "", "unknown",
                    "OGL-UK-3.0", note=f"sheet '{sheet}' of {path.name}")
    out = _tidy_rgva(frame, source, label)
    out.attrs["labels"] = labels
    return out, source
