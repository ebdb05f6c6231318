"""Cross-boundary structure: districts in two LEPs, bodies spanning regions or authorities."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..graph import KnowledgeGraph

__all__ = ["boundaries", "districts_in_two_leps", "bodies_spanning"]


def _memberships(graph: KnowledgeGraph, as_of: date | None) -> dict[str, dict[str, set[str]]]:
    """district -> body type -> bodies it is part of on the date."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e in graph.edges:
        if e.type == "part_of" and e.valid_on(as_of) and graph.nodes[e.start].type == "district":
            out[e.start][graph.nodes[e.end].type].add(e.end)
    return out


def districts_in_two_leps(graph: KnowledgeGraph, as_of: date | None) -> list[dict[str, Any]]:
    """Districts in more than one LEP on the date (rows of the named query of the same name)."""
    rows = []
    for d, by_type in sorted(_memberships(graph, as_of).items()):
        leps = sorted(by_type.get("lep", ()))
        for i, a in enumerate(leps):
            for b in leps[i + 1:]:
                rows.append({"district": d, "district_name": graph.nodes[d].name,
                             "lep1": a, "lep1_name": graph.nodes[a].name,
                             "lep2": b, "lep2_name": graph.nodes[b].name})
    return rows


def bodies_spanning(graph: KnowledgeGraph, as_of: date | None, body_type: str,
                    across: str) -> list[dict[str, Any]]:
    """Bodies of ``body_type`` whose districts sit in several ``across`` bodies (or partly in
    none, for combined authorities), e.g. LEPs spanning regions."""
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


def boundaries(graph: KnowledgeGraph, as_of: date | None = None) -> list[dict[str, Any]]:
    """The cross-boundary structure on a date, as rows with ``kind``, ``code``, ``name`` and
    ``detail``.

    Kinds: ``district in two LEPs``; ``LEP spanning regions``; ``combined authority spanning
    regions``; ``LEP spanning combined authorities`` (its districts sit in several combined
    authorities, or partly in none); ``combined authority spanning LEPs`` (a LEP-CA mismatch).
    """
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
