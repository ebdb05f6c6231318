"""Data the page embeds for its controls: profiles for the side panel, label importance,
and which nodes each theme filter keeps."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..model import Node
from .selection import View, theme_members

__all__ = ["profiles", "label_order", "theme_sets", "safe_url", "IMPORTANCE", "MAX_ITEMS"]

#: how much a node's label matters at a glance, by type (degree breaks ties)
IMPORTANCE = {"combined_authority": 7, "greater_london_authority": 7, "region": 6, "lep": 5, "partnership": 5, "theme": 4,
              "county": 3, "district": 3, "designation": 2, "strategy": 2, "provider": 1, "organisation": 1,
              "priority": 0}
#: items listed per group in a profile (the rest are counted)
MAX_ITEMS = 40
#: the panel's name for each (edge type, direction); other pairs use the edge's own words
GROUPS = {
    ("part_of", "out"): "part of", ("part_of", "in"): "members (areas)",
    ("member_of", "out"): "member of", ("member_of", "in"): "members",
    ("published", "out"): "strategy published", ("published", "in"): "published by",
    ("has_priority", "out"): "priorities", ("has_priority", "in"): "priority of strategy",
    ("addresses", "out"): "themes addressed", ("addresses", "in"): "priorities addressing it",
    ("broader", "out"): "broader theme", ("broader", "in"): "narrower themes",
    ("located_in", "out"): "located in", ("located_in", "in"): "located here",
    ("collaborates_with", "out"): "collaborates with", ("collaborates_with", "in"):
        "collaborates with", ("partner_of", "out"): "partner of", ("partner_of", "in"):
        "partners", ("neighbours", "out"): "neighbours", ("neighbours", "in"): "neighbours",
    ("succeeded_by", "out"): "succeeded by", ("succeeded_by", "in"): "successor of",
    ("party_to", "out"): "party to", ("party_to", "in"): "parties",
    ("functions_transferred_to", "out"): "functions passed to",
    ("functions_transferred_to", "in"): "took on the functions of",
    ("hosted_by", "out"): "hosted by", ("hosted_by", "in"): "hosts designations",
    ("designated_for", "out"): "aimed at themes",
    ("designated_for", "in"): "designations aimed at it",
}
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(url: object) -> str | None:
    """The URL if it is an http(s) address, else None (no javascript:, data:, relative).

    >>> safe_url("https://www.gov.uk/x"), safe_url("javascript:alert(1)"), safe_url("")
    ('https://www.gov.uk/x', None, None)
    """
    text = str(url or "").strip()
    return text if _URL.match(text) else None


def _iso(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if isinstance(value, date) else str(value or "")


def _period(start: object, end: object) -> str:
    if not start and not end:
        return ""
    return f"{_iso(start) or '…'} – {_iso(end) or '…'}"


def profiles(graph: KnowledgeGraph, view: View,
             evidence: dict[str, list[dict[str, str]]] | None = None) -> dict[str, Any]:
    """One profile per drawn node, from the graph on the view's date, in a compact form
    (pages carry thousands): ``t`` type, ``d`` dates, ``f`` facts, ``g`` groups of links as
    ``[label, [[id, name or 0 when drawn, period], ...], how many more]`` (members,
    memberships, strategy, priorities, ...), ``e`` evidence values when the map is coloured
    by an indicator, ``s`` source ids. Beside them: ``types`` (type -> title) and
    ``sources`` (each cited source once: text, and a URL only when it is http(s))."""
    nodes: dict[str, Any] = {}
    cited: dict[str, Any] = {}
    types: dict[str, str] = {}
    for nid, node in view.nodes.items():
        nodes[nid] = _profile(graph, node, view, (evidence or {}).get(nid, []))
        if node.type not in types:
            nt = graph.schema.nodes.get(node.type)
            types[node.type] = nt.title if nt else node.type
        for sid in node.sources:
            if sid not in cited:
                s = graph.sources.get(sid)
                cited[sid] = ({"text": f"{s.publisher}, {s.title} ({s.vintage})",
                               "url": safe_url(s.url)} if s else {"text": sid, "url": None})
    return {"nodes": nodes, "types": types, "sources": cited}


def _profile(graph: KnowledgeGraph, node: Node, view: View,
             evidence: list[dict[str, str]]) -> dict[str, Any]:
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for direction, edges in (("out", graph.out_edges(node.id, as_of=view.as_of)),
                             ("in", graph.in_edges(node.id, as_of=view.as_of))):
        for e in edges:
            other = graph.nodes.get(e.end if direction == "out" else e.start)
            if other is None:
                continue
            label = GROUPS.get((e.type, direction),
                               e.type.replace("_", " ") + (" (from)" if direction == "in" else ""))
            groups.setdefault(label, []).append(
                (other.name, other.id, _period(e.valid_from, e.valid_to)))
    listed = []
    for label, items in groups.items():
        unique = sorted(set(items))
        listed.append([label, [[i, 0 if i in view.nodes else name, period]
                               for name, i, period in unique[:MAX_ITEMS]],
                       max(0, len(unique) - MAX_ITEMS)])
    facts = [[k, _iso(v)] for k, v in sorted(node.props.items())
             if k not in ("valid_from", "valid_to", "lat", "lon") and isinstance(v, (str, int,
                                                                                   float, date))]
    out: dict[str, Any] = {"t": node.type, "g": listed, "s": list(node.sources)}
    dates = _period(node.props.get("valid_from"), node.props.get("valid_to"))
    for key, value in (("d", dates), ("f", facts), ("e", evidence)):
        if value:
            out[key] = value
    return out


def label_order(view: View) -> list[str]:
    """The view's node ids, most important label first (type, then number of links)."""
    degree = view.degree()
    return sorted(view.nodes, key=lambda n: (-IMPORTANCE.get(view.nodes[n].type, 1),
                                             -degree[n], view.nodes[n].name, n))


def theme_sets(graph: KnowledgeGraph, view: View) -> dict[str, dict[str, Any]]:
    """For each theme in the graph: its name and the drawn nodes the theme filter keeps."""
    out = {}
    for theme in sorted(graph.nodes_of_type("theme", as_of=view.as_of), key=lambda t: t.name):
        keep = theme_members(graph, theme.id, view.as_of) & view.nodes.keys()
        if keep:
            out[theme.id] = {"name": theme.name, "nodes": sorted(keep)}
    return out
