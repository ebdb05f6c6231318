"""Resolve a PLACE given by the user (GSS code, UKPRN, id or name) to one node."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .errors import AmbiguousPlace, LisgraphError, PlaceNotFound
from .graph import KnowledgeGraph
from .model import Node

__all__ = ["resolve", "normalise", "normalise_types", "TYPE_ALIASES", "TYPE_GROUPS"]

#: shorthands accepted wherever a node type is given (`--type`)
TYPE_ALIASES = {"la": "district", "lad": "district", "ca": "combined_authority",
                "university": "provider", "universities": "provider"}

#: names that stand for several node types (`--type strategic_authority`: CAs, CCAs, the GLA)
TYPE_GROUPS = {"strategic_authority": ("combined_authority", "greater_london_authority"),
               "sa": ("combined_authority", "greater_london_authority")}

_PRIORITY = ["combined_authority", "greater_london_authority", "lep", "region", "county", "district", "partnership",
             "provider", "organisation", "strategy", "theme", "priority"]


def normalise(text: str) -> str:
    """Lower-case, '&' as 'and', punctuation to spaces, single spaces.

    >>> normalise("  Greater  Cambridge & Greater Peterborough ")
    'greater cambridge and greater peterborough'
    """
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def resolve(graph: KnowledgeGraph, query: str, types: tuple[str, ...] = ()) -> Node:
    """Find the node a user means.

    A code or id matches exactly (older LEP codes too); otherwise the name, case-insensitive.
    When a name is shared by nodes of different types (e.g. "Greater Manchester" is a
    combined authority and a LEP), the governing body comes first in this order: combined
    authority, LEP, region, county, district, partnership, provider, organisation. Same-type
    name clashes are ambiguous and raise.

    Raises
    ------
    PlaceNotFound with up to three "did you mean" suggestions; AmbiguousPlace.

    Examples
    --------
    >>> from lisgraph.model import Node
    >>> g = KnowledgeGraph()
    >>> g.nodes["E08000003"] = Node("E08000003", "district", "Manchester", ("s",))
    >>> resolve(g, "manchester").id
    'E08000003'
    >>> resolve(g, "Manchestr")
    Traceback (most recent call last):
    ...
    lisgraph.errors.PlaceNotFound: no place or body matches 'Manchestr'; did you mean Manchester (E08000003)?
    """
    q = query.strip()
    node_id = graph.canonical_id(q) if q else q
    if node_id in graph.nodes and (not types or graph.nodes[node_id].type in types):
        return graph.nodes[node_id]
    upper = graph.canonical_id(q.upper())
    if upper in graph.nodes and (not types or graph.nodes[upper].type in types):
        return graph.nodes[upper]
    wanted = normalise(q)
    candidates = [n for n in graph.nodes.values() if not types or n.type in types]
    exact = [n for n in candidates if wanted in _names(n)]
    if exact:
        best_rank = min(_rank(n) for n in exact)
        best = [n for n in exact if _rank(n) == best_rank]
        if len(best) > 1:
            raise AmbiguousPlace(q, [f"{n.name} ({n.id}, {n.type})" for n in best])
        return best[0]
    raise PlaceNotFound(q, suggest(candidates, wanted))


def _names(node: Node) -> set[str]:
    names = {normalise(node.name)}
    names |= {normalise(str(x)) for x in node.props.get("former_names", ()) or ()}
    names |= {normalise(str(x)) for x in node.props.get("alt_labels", ()) or ()}
    return names


def _rank(node: Node) -> int:
    return _PRIORITY.index(node.type) if node.type in _PRIORITY else len(_PRIORITY)


def suggest(candidates: list[Node], wanted: str, n: int = 3) -> list[str]:
    by_name: dict[str, Node] = {}
    for node in sorted(candidates, key=_rank):
        by_name.setdefault(normalise(node.name), node)
    close = difflib.get_close_matches(wanted, list(by_name), n=n, cutoff=0.6)
    if not close:
        close = [k for k in by_name if wanted and wanted in k][:n]
    return [f"{by_name[k].name} ({by_name[k].id})" for k in close]


def normalise_types(graph: KnowledgeGraph, types: Iterable[str]) -> tuple[str, ...]:
    """Schema node types from what a user typed (case, hyphens and shorthands allowed).

    >>> normalise_types(KnowledgeGraph(), ["LEP", "combined-authority", "ca"])
    ('lep', 'combined_authority')
    >>> normalise_types(KnowledgeGraph(), ["strategic-authority"])
    ('combined_authority', 'greater_london_authority')
    """
    out: list[str] = []
    for t in types:
        name = TYPE_ALIASES.get(t.lower(), t.lower().replace("-", "_"))
        names = TYPE_GROUPS.get(name, (name,))
        for name in names:
            if name not in graph.schema.nodes:
                known = [*graph.schema.nodes, *TYPE_GROUPS]
                raise LisgraphError(f"unknown type '{t}'; types are: {', '.join(known)}")
            if name not in out:
                out.append(name)
    return tuple(out)
