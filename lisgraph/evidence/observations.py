"""The bundled observations as a compact index (csv module, no pandas), periods, and the rule
that picks the period answering a date.

Each observation is (area, indicator, period, value, lci_95, uci_95, status, source); a
suppressed or missing cell has ``value`` None and keeps its status (never zero).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..assets import loaders_dir
from ..errors import LisgraphError

__all__ = ["Observation", "EvidenceIndex", "period_bounds", "pick", "bundled_index",
           "COLUMNS", "EvidenceError", "parse_value", "evidence_sources"]

COLUMNS = ("area", "indicator", "period", "value", "lci_95", "uci_95", "status", "source")


class EvidenceError(LisgraphError):
    """Evidence cannot be read or a figure cannot be given (the message says why)."""


@dataclass(frozen=True)
class Observation:
    area: str
    indicator: str
    period: str
    value: float | None
    lci_95: float | None = None
    uci_95: float | None = None
    status: str = ""
    source: str = ""

    @property
    def start(self) -> date:
        return period_bounds(self.period)[0]

    @property
    def end(self) -> date:
        return period_bounds(self.period)[1]


@lru_cache(maxsize=4096)
def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of an ONS period: ``2023-01-01/P1Y`` or a single date.

    >>> period_bounds("2023-01-01/P1Y")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    >>> period_bounds("2020-04-01/P1Y")[1]
    datetime.date(2021, 3, 31)
    >>> period_bounds("2024-04-17")
    (datetime.date(2024, 4, 17), datetime.date(2024, 4, 17))
    """
    text = period.strip()
    try:
        if "/" not in text:
            day = date.fromisoformat(text)
            return day, day
        start_text, duration = text.split("/", 1)
        start = date.fromisoformat(start_text)
        if duration == "P1Y":
            end = date(start.year + 1, start.month, start.day) - timedelta(days=1)
        elif duration == "P3Y":
            end = date(start.year + 3, start.month, start.day) - timedelta(days=1)
        elif duration == "P1M":
            nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
            end = nxt - timedelta(days=1)
        else:
            raise ValueError(duration)
    except ValueError:
        raise EvidenceError(f"'{period}' is not a period lisgraph reads — write a date "
                            "(YYYY-MM-DD) or YYYY-MM-DD/P1Y") from None
    return start, end


def pick(series: list[Observation], as_of: date | None) -> Observation | None:
    """The observation answering a date: with ``as_of``, the latest period that ends on or
    before it; without, the latest period. A suppressed latest cell is returned as it is.

    >>> s = [Observation("A", "x", "2017-01-01/P1Y", 1.0), Observation("A", "x", "2023-01-01/P1Y", 2.0)]
    >>> pick(s, None).period, pick(s, date(2020, 6, 1)).period, pick(s, date(2017, 6, 1))
    ('2023-01-01/P1Y', '2017-01-01/P1Y', None)
    """
    best = None
    for o in series:
        end = period_bounds(o.period)[1]
        if as_of is not None and end > as_of:
            continue
        if best is None or end > period_bounds(best.period)[1]:
            best = o
    return best


def parse_value(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


class EvidenceIndex:
    """Observations by (area, indicator), in file order. Rows read from CSV are kept as text
    and turned into :class:`Observation` only when asked for (keeps ``show`` fast)."""

    def __init__(self, observations: list[Observation] | None = None):
        self.series: dict[tuple[str, str], list] = {}
        self._periods: dict[tuple[str, str], dict[str, float]] = {}
        self._label = "observations"
        for o in observations or ():
            self.add(o)

    def add(self, o: Observation) -> None:
        self.get(o.area, o.indicator)  # parse any text rows first: one kind per series
        self.series.setdefault((o.area, o.indicator), []).append(o)
        self._periods.clear()

    def get(self, area: str, indicator: str) -> list[Observation]:
        rows = self.series.get((area, indicator))
        if not rows:
            return []
        if not isinstance(rows[0], Observation):
            rows[:] = [self._parse(area, indicator, r) for r in rows]
        return rows

    def _parse(self, area: str, ind: str, rest: str) -> Observation:
        period, value, lci, uci, status, *source = rest.split(",")
        try:
            return Observation(area, ind, period, parse_value(value), parse_value(lci),
                               parse_value(uci), status,
                               source[0] if source and source[0] else _default_source(ind))
        except ValueError:
            raise EvidenceError(f"{self._label}: {area} {ind} {period}: a value is not a "
                                "number — correct it or leave the cell empty") from None

    def period_values(self, indicator: str, period: str) -> dict[str, float]:
        """Published values of ``indicator`` for ``period`` by area (for ranks), without
        turning every row into an :class:`Observation`."""
        key = (indicator, period)
        hit = self._periods.get(key)
        if hit is not None:
            return hit
        out: dict[str, float] = {}
        prefix = period + ","
        for (area, ind), rows in self.series.items():
            if ind != indicator:
                continue
            for r in rows:
                if isinstance(r, Observation):
                    if r.period == period and r.value is not None:
                        out[area] = r.value
                elif r.startswith(prefix):
                    value = r[len(prefix):].split(",", 1)[0]
                    if value:
                        out[area] = float(value)
        self._periods[key] = out
        return out

    def areas(self, indicator: str) -> list[str]:
        return sorted({a for a, i in self.series if i == indicator})

    def __len__(self) -> int:
        return sum(len(v) for v in self.series.values())

    @classmethod
    def from_csv_text(cls, text: str, label: str = "observations.csv") -> EvidenceIndex:
        """Read lisgraph's compact observations CSV (the bundled layout: no quoted fields;
        ``source`` may be left empty for the indicator's own source). Rows are split into
        their fields only when asked for."""
        lines = text.splitlines()
        header = tuple(lines[0].split(",")) if lines else ()
        if header[:len(COLUMNS) - 1] != COLUMNS[:-1]:
            raise EvidenceError(f"{label}: line 1: expected the columns {','.join(COLUMNS)}")
        index = cls()
        index._label = label
        series = index.series
        for n, line in enumerate(lines[1:], start=2):
            if '"' in line:
                raise EvidenceError(f"{label}: line {n}: quoted fields are not read here — "
                                    "use lisgraph.evidence.loaders for files in ONS's layout")
            parts = line.split(",", 2)
            if len(parts) < 3:
                if line.strip():
                    raise EvidenceError(f"{label}: line {n}: too few fields")
                continue
            key = (parts[0], parts[1])
            rows = series.get(key)
            if rows is None:
                series[key] = [parts[2]]
            else:
                rows.append(parts[2])
        return index


def _default_source(indicator_id: str) -> str:
    from .indicators import INDICATORS

    ind = INDICATORS.get(indicator_id)
    return ind.source if ind else ""


@lru_cache(maxsize=1)
def bundled_index() -> EvidenceIndex:
    """The bundled observations (loaders/evidence/observations.csv), read once."""
    f = loaders_dir().joinpath("evidence").joinpath("observations.csv")
    return EvidenceIndex.from_csv_text(f.read_text(encoding="utf-8"),
                                       "loaders/evidence/observations.csv")


@lru_cache(maxsize=1)
def evidence_sources() -> dict[str, dict[str, str]]:
    """The bundled evidence's sources (loaders/evidence/sources.csv) by id: publisher, title,
    url, vintage, licence, note. They sit beside the graph's sources, as the observations do."""
    f = loaders_dir().joinpath("evidence").joinpath("sources.csv")
    return {r["id"]: dict(r) for r in csv.DictReader(io.StringIO(f.read_text("utf-8")))}
