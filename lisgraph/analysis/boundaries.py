"""Cross-boundary structure: districts in two LEPs, bodies spanning regions or authorities."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..view import DatedView, as_view, iso, over_time

__all__ = ["boundaries", "districts_in_two_leps", "bodies_spanning"]


def _memberships(graph: KnowledgeGraph | DatedView,
                 as_of: date | None) -> dict[str, dict[str, set[str]]]:
    """district -> body type -> bodies it is part of on the date (read through the view)."""
    graph = as_view(graph, as_of)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e in graph.edges:
        if e.type == "part_of" and graph.nodes[e.start].type == "district":
            out[e.start][graph.nodes[e.end].type].add(e.end)
    return out


def districts_in_two_leps(graph: KnowledgeGraph | DatedView,
                          as_of: date | None) -> list[dict[str, Any]]:
    """Districts in more than one LEP on the date (rows of the named query of the same name)."""
    graph = as_view(graph, as_of)
    rows = []
    for d, by_type in sorted(_memberships(graph, as_of).items()):
        leps = sorted(by_type.get("lep", ()))
        for i, a in enumerate(leps):
            for b in leps[i + 1:]:
                rows.append({"district": d, "district_name": graph.nodes[d].name,
                             "lep1": a, "lep1_name": graph.nodes[a].name,
                             "lep2": b, "lep2_name": graph.nodes[b].name})
    return rows


def bodies_spanning(graph: KnowledgeGraph | DatedView, as_of: date | None, body_type: str,
                    across: str) -> list[dict[str, Any]]:
    """Bodies of ``body_type`` whose districts sit in several ``across`` bodies (or partly in
    none, for combined authorities), e.g. LEPs spanning regions."""
    graph = as_view(graph, as_of)
    members: dict[str, set[str]] = defaultdict(set)
    memberships = _memberships(graph, as_of)
    for d, by_type in memberships.items():
        for body in by_type.get(body_type, ()):
            members[body].add(d)
    rows = []
    for body, districts in sorted(members.items()):
        spans: dict[str, set[str]] = defaultdict(set)
        outside = set()
        for d in districts:
            targets = memberships[d].get(across, set())
            for t in targets:
                spans[t].add(d)
            if not targets:
                outside.add(d)
        if len(spans) > 1 or (spans and outside and across == "combined_authority"):
            parts = [f"{graph.nodes[t].name} ({len(ds)})" for t, ds in sorted(spans.items())]
            if outside and across == "combined_authority":
                parts.append(f"no combined authority ({len(outside)})")
            rows.append({"body": body, "name": graph.nodes[body].name, "type": body_type,
                         "across": across, "count": len(spans), "detail": parts})
    return rows


def boundaries(graph: KnowledgeGraph | DatedView,
               as_of: date | None = None) -> list[dict[str, Any]]:
    """The cross-boundary structure on a date, as rows with ``kind``, ``code``, ``name``,
    ``detail``, ``valid_from`` and ``valid_to``.

    With a date (``as_of`` or a dated view) the rows hold on that day (``as_of`` is echoed in
    each row). Without one, each overlap is given with the period it held, and nothing is
    combined that never coexisted: the structure is computed for each period in which no
    membership changes and a row is given once for the span it held (a district in one LEP
    and then another is never "in two LEPs").

    Kinds: ``district in two LEPs``; ``LEP spanning regions``; ``combined authority spanning
    regions``; ``LEP spanning combined authorities`` (its districts sit in several combined
    authorities, or partly in none); ``combined authority spanning LEPs`` (a LEP-CA mismatch).
    """
    view = as_view(graph, as_of)
    if view.as_of is None:
        rows = over_time(view, ("part_of",), _on_day,
                         key=lambda r: (r["kind"], r["code"], tuple(r["detail"])))
        return sorted(rows, key=lambda r: (_KINDS.index(r["kind"]), r["name"], r["code"],
                                           r["valid_from"] or ""))
    day = iso(view.as_of)
    return [dict(r, valid_from=day, valid_to=day, as_of=day) for r in _on_day(view)]


_KINDS = ["district in two LEPs", "LEP spanning regions", "combined authority spanning regions",
          "LEP spanning combined authorities", "combined authority spanning LEPs"]


def _on_day(graph: DatedView) -> list[dict[str, Any]]:
    as_of = graph.as_of
    rows: list[dict[str, Any]] = []
    for r in districts_in_two_leps(graph, as_of):
        rows.append({"kind": "district in two LEPs", "code": r["district"], "name": r["district_name"],
                     "detail": [f"{r['lep1_name']} ({r['lep1']})", f"{r['lep2_name']} ({r['lep2']})"]})
    for body_type, across, kind in (("lep", "region", "LEP spanning regions"),
                                    ("combined_authority", "region", "combined authority spanning regions"),
                                    ("lep", "combined_authority", "LEP spanning combined authorities"),
                                    ("combined_authority", "lep", "combined authority spanning LEPs")):
        for r in bodies_spanning(graph, as_of, body_type, across):
            rows.append({"kind": kind, "code": r["body"], "name": r["name"], "detail": r["detail"]})
    return rows
