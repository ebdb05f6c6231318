"""What fills the districts: membership on the date, a declared theme, or an indicator.

``--colour-by`` takes one of:

* ``membership`` — which strategic authority (combined authority, or the Greater London
  Authority) a district belongs to, or,
  on dates before LEPs closed (2024-04-01), which LEP; ``membership:lep`` and
  ``membership:combined_authority`` choose explicitly.
* ``theme:NAME`` — whether a body the district belongs to on the date declares a priority
  addressing the theme (or a narrower one), has a strategy that does not, or has no strategy
  recorded (unknown).
* ``indicator:NAME`` — an official indicator from the evidence layer, through
  :data:`INDICATOR_HOOK` (see :class:`IndicatorValues` for the interface).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from ..errors import LisgraphError
from ..graph import KnowledgeGraph
from ..model import Node

__all__ = ["Colouring", "IndicatorValues", "IndicatorSource", "colour_districts", "figure_values",
           "PALETTE",
           "INDICATOR_HOOK", "LEPS_CLOSED", "NO_VALUE", "LAND", "parse_colour_by"]

#: LEPs' core funding ended and their functions passed to local government on this date
LEPS_CLOSED = date(2024, 4, 1)
#: the body types of "strategic authority" membership
STRATEGIC = ("combined_authority", "greater_london_authority")
#: the evidence layer's function that gives indicator values for the map (module:function)
INDICATOR_HOOK = "lisgraph.evidence:map_values"
NO_VALUE = "#d9d9d9"
#: land outside the view (context: the rest of the UK, and the coast)
LAND = "#f6f4ee"
#: qualitative, light enough for nodes and labels drawn on top (ColorBrewer Set3 + Pastel1)
PALETTE = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
           "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#e5c494", "#fbb4ae", "#decbe4")
#: sequential (ColorBrewer YlGnBu, 7 classes) for indicators
RAMP = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
DECLARED, NOT_DECLARED, UNKNOWN = "#1b9e77", "#d9f0d3", "#f2f2f2"


@dataclass
class Colouring:
    """District fills (node id -> colour) and the legend block that explains them."""

    title: str
    fills: dict[str, str] = field(default_factory=dict)
    keys: list[dict[str, str]] = field(default_factory=list)  # {"colour", "label"}
    notes: list[str] = field(default_factory=list)
    outline_type: str | None = None  # the body type whose areas are outlined
    evidence: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # for the panel


@dataclass(frozen=True)
class IndicatorValues:
    """What the evidence layer returns for one indicator on the map.

    ``values`` maps area codes (district GSS codes; bodies' own codes too when published)
    to numbers; ``period`` is the period the values hold for (e.g. "2023"); ``source`` and
    ``unit`` are shown in the legend.
    """

    indicator: str
    label: str
    unit: str
    period: str
    source: str
    values: dict[str, float]
    note: str = ""  # e.g. the UK comparator, shown under the scale


class IndicatorSource(Protocol):
    """The hook's signature: ``map_values(graph, indicator, areas, as_of)``.

    ``areas`` are the district codes on the map; ``as_of`` the map's date (None: latest
    period). Raises LisgraphError for an unknown indicator (listing the known ones).
    """

    def __call__(self, graph: KnowledgeGraph, indicator: str, areas: list[str],
                 as_of: date | None) -> IndicatorValues: ...


def parse_colour_by(text: str | None) -> tuple[str, str]:
    """(kind, argument) of a ``--colour-by`` value.

    >>> parse_colour_by("membership"), parse_colour_by("theme:Life Sciences")
    (('membership', ''), ('theme', 'Life Sciences'))
    >>> parse_colour_by("ca")
    Traceback (most recent call last):
    ...
    lisgraph.errors.LisgraphError: --colour-by 'ca': use membership, membership:lep, membership:combined_authority, theme:NAME or indicator:NAME
    """
    kind, _, arg = (text or "membership").partition(":")
    kind, arg = kind.strip().lower(), arg.strip()
    ok = ((kind == "membership" and arg in ("", "lep", "combined_authority"))
          or (kind in ("theme", "indicator") and arg))
    if not ok:
        raise LisgraphError(f"--colour-by '{text}': use membership, membership:lep, "
                            "membership:combined_authority, theme:NAME or indicator:NAME")
    return kind, arg


def colour_districts(graph: KnowledgeGraph, districts: Iterable[Node], as_of: date | None,
                     colour_by: str | None = None) -> Colouring:
    """Fill colours for ``districts`` on ``as_of`` (see the module docstring)."""
    kind, arg = parse_colour_by(colour_by)
    ds = list(districts)
    if kind == "membership":
        body_type = arg or ("lep" if as_of is not None and as_of < LEPS_CLOSED
                            else "combined_authority")
        return _membership(graph, ds, as_of, body_type)
    if kind == "theme":
        return _theme(graph, ds, as_of, arg)
    return _indicator(graph, ds, as_of, arg)


def _latest(edges: list[Any]) -> Any:
    return max(edges, key=lambda e: (e.valid_to or date.max, e.valid_from or date.min, e.end))


def _membership(graph: KnowledgeGraph, districts: list[Node], as_of: date | None,
                body_type: str) -> Colouring:
    title_type = "LEP" if body_type == "lep" else "strategic authority"
    col = Colouring(f"Colour: {title_type} on "
                    f"{as_of.isoformat() if as_of else 'the latest recorded date'}",
                    outline_type=body_type)
    body_of: dict[str, str] = {}
    cited: dict[str, int] = {}
    types = STRATEGIC if body_type == "combined_authority" else (body_type,)
    for d in districts:
        edges = [e for e in graph.out_edges(d.id, ["part_of"], as_of)
                 if e.end in graph.nodes and graph.nodes[e.end].type in types]
        if edges:
            chosen = _latest(edges)
            body_of[d.id] = chosen.end
            for sid in chosen.sources:
                cited[sid] = cited.get(sid, 0) + 1
    colours = _distinct_colours(graph, body_of)
    for did, body in body_of.items():
        col.fills[did] = colours[body]
    for body in sorted(set(body_of.values()), key=lambda b: graph.nodes[b].name):
        col.keys.append({"colour": colours[body], "label": graph.nodes[body].name})
    col.keys.append({"colour": NO_VALUE, "label": f"no {title_type} recorded"})
    if cited:
        col.notes.append("Memberships: " + _cite(graph, cited) + ".")
    if as_of is None:
        col.notes.append("Undated view: each district takes its latest recorded membership.")
    if body_type == "lep":
        col.notes.append("A district in two LEPs takes the one recorded later; both LEPs' "
                         "areas are outlined.")
    return col


def _cite(graph: KnowledgeGraph, cited: dict[str, int], most: int = 2) -> str:
    """The most cited sources by title and vintage, and how many others."""
    order = sorted(cited, key=lambda s: (-cited[s], s))
    names = []
    for sid in order[:most]:
        s = graph.sources.get(sid)
        names.append(f"{s.publisher}, {s.title} ({s.vintage})" if s else sid)
    more = len(order) - most
    return "; ".join(names) + (f"; and {more} more (hover a line or open a profile)"
                               if more > 0 else "")


def _distinct_colours(graph: KnowledgeGraph, body_of: dict[str, str]) -> dict[str, str]:
    """Palette colours so that bodies with neighbouring districts differ where possible
    (greedy colouring, largest body first, spreading the palette)."""
    adjacent: dict[str, set[str]] = {b: set() for b in body_of.values()}
    for did, body in body_of.items():
        for e in graph.out_edges(did, ["neighbours"]) + graph.in_edges(did, ["neighbours"]):
            other = body_of.get(e.end if e.start == did else e.start)
            if other and other != body:
                adjacent[body].add(other)
    size = {b: 0 for b in adjacent}
    for body in body_of.values():
        size[body] += 1
    colours: dict[str, str] = {}
    uses = dict.fromkeys(PALETTE, 0)
    for body in sorted(adjacent, key=lambda b: (-size[b], b)):
        taken = {colours[o] for o in adjacent[body] if o in colours}
        # the least used colour no neighbour has (palette order breaks ties)
        free = [c for c in PALETTE if c not in taken] or list(PALETTE)
        colours[body] = min(free, key=lambda c: uses[c])
        uses[colours[body]] += 1
    return colours


def _theme(graph: KnowledgeGraph, districts: list[Node], as_of: date | None,
           name: str) -> Colouring:
    from ..analysis.index import resolve_theme

    theme = graph.nodes[resolve_theme(graph, name)]
    themes, todo = {theme.id}, [theme.id]
    while todo:
        for e in graph.in_edges(todo.pop(), ["broader"], as_of):
            if e.start not in themes:
                themes.add(e.start)
                todo.append(e.start)
    declaring: set[str] = set()  # bodies with a priority addressing the theme
    with_strategy: set[str] = set()
    strategies: set[str] = set()
    for e in graph.edges:
        if e.type != "published" or not e.valid_on(as_of):
            continue
        with_strategy.add(e.start)
        strategies.add(e.end)
        for p in graph.out_edges(e.end, ["has_priority"], as_of):
            if any(a.end in themes for a in graph.out_edges(p.end, ["addresses"], as_of)):
                declaring.add(e.start)
    when = as_of.isoformat() if as_of else "any date"
    declared: dict[str, bool | None] = {}
    for d in districts:
        bodies = {e.end for e in graph.out_edges(d.id, ["part_of"], as_of)}
        declared[d.id] = (True if bodies & declaring else
                          False if bodies & with_strategy else None)
    from .strength import evidenced_districts

    evidence = evidenced_districts(districts, as_of, sorted(themes))
    note = (f"Declared priorities: {len(strategies)} strategies recorded "
            f"{'on ' + when if as_of else 'at any date'} (open a strategy's profile for its "
            "sources).")
    if isinstance(evidence, str):
        col = Colouring(f"Colour: declared priority in {theme.name} ({when})")
        for did, dec in declared.items():
            col.fills[did] = DECLARED if dec else NOT_DECLARED if dec is False else UNKNOWN
        col.keys = [{"colour": DECLARED, "label": f"a body it belongs to declares {theme.name}"},
                    {"colour": NOT_DECLARED, "label": "its bodies' strategies do not declare it"},
                    {"colour": UNKNOWN, "label": "unknown: no strategy recorded for its bodies"}]
        col.notes += [note, f"Evidenced strength: none shown ({evidence})."]
        return col
    col = Colouring(f"Colour: {theme.name} declared ({when}) and evidenced "
                    f"(GVA {evidence.year})")
    for did, dec in declared.items():
        strong = evidence.strong.get(did)
        key = ("declared" if dec else "not declared" if dec is False else "no strategy",
               "evidenced" if strong else "not evidenced" if strong is False else "unknown")
        col.fills[did] = _BOTH.get(key, UNKNOWN)
    col.keys = [{"colour": c, "label": label} for c, label in _BOTH_KEYS]
    col.notes += [note, (f"Evidenced: location quotient of at least {evidence.min_lq:g} "
                         f"in {', '.join(evidence.groups)} (GVA by industry, "
                         f"{evidence.year}; sources {', '.join(evidence.sources)}: lisgraph's "
                         "crosswalk from themes to industry groups is its own heuristic).")]
    return col


#: declared x evidenced classes (ColorBrewer PuOr-like: green declared, orange evidenced)
_BOTH = {("declared", "evidenced"): "#1b7837", ("declared", "not evidenced"): "#a6dba0",
         ("declared", "unknown"): "#a6dba0", ("not declared", "evidenced"): "#e08214",
         ("no strategy", "evidenced"): "#fdb863", ("not declared", "not evidenced"): "#e7e7e7",
         ("not declared", "unknown"): "#e7e7e7"}
_BOTH_KEYS = (("#1b7837", "declared and evidenced"),
              ("#a6dba0", "declared, not evidenced (or no figure)"),
              ("#e08214", "evidenced, not declared by its bodies' strategies"),
              ("#fdb863", "evidenced; no strategy recorded for its bodies"),
              ("#e7e7e7", "neither"),
              (UNKNOWN, "unknown: no strategy recorded, not evidenced or no figure"))


def _number(v: float) -> str:
    """
    >>> _number(6000001.0), _number(104.25), _number(0.012345)
    ('6,000,001', '104.2', '0.01235')
    """
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def _with_unit(v: float, unit: str) -> str:
    """
    >>> _with_unit(40.97, "£"), _with_unit(75.5, "%"), _with_unit(1200.0, "£ million")
    ('£40.97', '75.5%', '1,200 £ million')
    """
    if unit == "£":
        return f"£{_number(v)}"
    return f"{_number(v)}{unit}" if unit == "%" else f"{_number(v)} {unit}".rstrip()


def _indicator_source() -> IndicatorSource:
    """The evidence layer's ``map_values`` when it has one; else an adapter over its
    per-area ``figure`` (lisgraph.evidence.bodies); else a clear error."""
    module, _, func = INDICATOR_HOOK.partition(":")
    try:
        found = importlib.import_module(module)
    except ImportError:
        found = None
    if found is not None and hasattr(found, func):
        return getattr(found, func)  # type: ignore[no-any-return]
    if found is not None and module == "lisgraph.evidence":
        try:
            importlib.import_module("lisgraph.evidence.bodies")
            return figure_values
        except ImportError:
            pass
    raise LisgraphError(f"--colour-by indicator needs the evidence layer ({module}.{func}), "
                        "which this version of lisgraph does not have; use membership or "
                        "theme:NAME")


def figure_values(graph: KnowledgeGraph, indicator: str, areas: list[str],
                  as_of: date | None) -> IndicatorValues:
    """:class:`IndicatorSource` over the evidence layer's ``figure``: each district's
    published (or, where allowed, derived) value for the date; the period is the span of the
    periods found, the source the evidence sources cited."""
    from lisgraph.evidence.bodies import figure, uk_value  # type: ignore[import-not-found]
    from lisgraph.evidence.indicators import indicator as find  # type: ignore[import-not-found]
    from lisgraph.evidence.observations import (  # type: ignore[import-not-found]
        bundled_index, evidence_sources)

    ind = find(indicator)
    index = bundled_index()
    values: dict[str, float] = {}
    periods: set[str] = set()
    cited: set[str] = set()
    for code in areas:
        node = graph.nodes.get(code)
        if node is None:
            continue
        f = figure(index, graph, node, ind.id, as_of)
        if f.value is not None:
            values[code] = float(f.value)
            periods.add(str(f.period or ""))
            cited.update(f.sources)
    known = evidence_sources()
    source = "; ".join(f"{known[c]['publisher']}, {known[c]['title']}" if c in known else c
                       for c in sorted(cited)) or "the evidence layer"
    years = sorted(p[:4] for p in periods if p)
    period = (years[0] if years and years[0] == years[-1] else
              f"{years[0]}–{years[-1]}" if years else "no period")
    note = ""
    if len(periods) == 1:
        uk = uk_value(index, ind.id, next(iter(periods)))
        if uk is not None and uk.value is not None:
            note = f"UK ({uk.area}): {_with_unit(float(uk.value), ind.unit)}"
    return IndicatorValues(ind.id, ind.label, ind.unit, period, source, values, note)


def _indicator(graph: KnowledgeGraph, districts: list[Node], as_of: date | None,
               name: str) -> Colouring:
    got = _indicator_source()(graph, name, [d.id for d in districts], as_of)
    values = {d.id: got.values[d.id] for d in districts if d.id in got.values}
    col = Colouring(f"Colour: {got.label} ({got.unit}), {got.period}")
    if not values:
        col.notes.append(f"No values of {got.label} for the districts on this map.")
        return col
    ordered = sorted(values.values())
    bounds = [ordered[min(len(ordered) - 1, round(i * len(ordered) / len(RAMP)))]
              for i in range(len(RAMP))] + [ordered[-1]]
    for did, v in values.items():
        k = next((i for i in range(len(RAMP)) if v <= bounds[i + 1]), len(RAMP) - 1)
        col.fills[did] = RAMP[k]
        col.evidence[did] = [{"label": got.label, "value": _with_unit(v, got.unit),
                              "period": got.period, "source": got.source}]
    col.keys = [{"colour": RAMP[i], "label": f"{_number(bounds[i])} – {_number(bounds[i + 1])}"}
                for i in range(len(RAMP)) if bounds[i] != bounds[i + 1] or i == 0]
    col.keys.append({"colour": NO_VALUE, "label": "no value"})
    if got.note:
        col.notes.append(got.note + ".")
    col.notes.append(f"Classes hold about equal numbers of districts. Source: {got.source}.")
    return col
