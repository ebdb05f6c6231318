"""Resolve a PLACE given by the user (GSS code, UKPRN, id or name) to one node."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from .errors import AmbiguousPlace, LisgraphError, PlaceNotFound
from .graph import KnowledgeGraph
from .model import Node

__all__ = ["resolve", "has_strategy", "normalise", "normalise_types", "TYPE_ALIASES", "TYPE_GROUPS"]

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


#: called with a one-line note when a name matched several nodes and one was chosen (the CLI
#: prints it on stderr); None: say nothing
on_choice: Callable[[str], None] | None = None


def resolve(graph: Any, query: str, types: tuple[str, ...] = (),
            prefer: Callable[[Node], bool] | None = None) -> Node:
    """Find the node a user means.

    A code or id matches exactly, case-insensitively (older LEP codes and alternative ids
    too); otherwise the name, case-insensitive, with a leading "The" ignored and recorded
    former names and alternative labels matching. Among several matches the one valid on the
    view's date (today for an undated graph) comes first, then the governing body in this
    order: combined authority, LEP, region, county, district, partnership, provider,
    organisation; ``prefer`` (e.g. "has a strategy", for the questions about strategies) ranks
    before all of these. The choice and the others are reported through :data:`on_choice`.

    Raises
    ------
    PlaceNotFound with up to three "did you mean" suggestions (containing and prefix matches
    first, then close spellings); AmbiguousPlace when two matches tie.

    Examples
    --------
    >>> from lisgraph.model import Node
    >>> g = KnowledgeGraph()
    >>> g.nodes["E08000003"] = Node("E08000003", "district", "Manchester", ("s",))
    >>> resolve(g, "manchester").id
    'E08000003'
    >>> resolve(g, "e08000003").id
    'E08000003'
    >>> resolve(g, "Manchestr")
    Traceback (most recent call last):
    ...
    lisgraph.errors.PlaceNotFound: no place or body matches 'Manchestr'; did you mean Manchester (E08000003)?
    """
    from .view import DatedView, node_period, today

    base = graph.graph if isinstance(graph, DatedView) else graph
    day = graph.as_of if isinstance(graph, DatedView) and graph.as_of else today()
    q = query.strip()
    for code in (q, q.upper(), _ids(base).get(q.lower(), q)):
        node_id = base.canonical_id(code) if code else code
        if node_id in base.nodes and (not types or base.nodes[node_id].type in types):
            return base.nodes[node_id]
    wanted = _bare(normalise(q))
    candidates = [n for n in base.nodes.values() if not types or n.type in types]
    exact = [n for n in candidates if wanted in _names(n)]
    if not exact:
        raise PlaceNotFound(q, suggest(candidates, wanted))

    def valid(n: Node) -> bool:
        start, end, _ = node_period(n)
        return (start is None or start <= day) and (end is None or day <= end)

    key = lambda n: (prefer is not None and not prefer(n), not valid(n), _rank(n))  # noqa: E731
    exact.sort(key=lambda n: (key(n), n.id))
    best = [n for n in exact if key(n) == key(exact[0])]
    if len(best) > 1:
        raise AmbiguousPlace(q, [f"{n.name} ({n.id}, {n.type})" for n in best])
    if len(exact) > 1 and on_choice is not None:
        on_choice(f"'{q}': {_describe(best[0])}; also "
                  + "; ".join(_describe(n) for n in exact[1:]))
    return best[0]


def _describe(node: Node) -> str:
    from .view import iso, node_period

    start, end, _ = node_period(node)
    when = f", {iso(start) or ''}..{iso(end) or ''}" if start or end else ""
    return f"{node.name} ({node.id}, {node.type}{when})"


def _ids(graph: KnowledgeGraph) -> dict[str, str]:
    """Lower-case id -> id, for case-insensitive codes and slugs (``NP11``)."""
    return graph.derived("ids_lower", lambda g: {k.lower(): k for k in g.nodes})


def _bare(name: str) -> str:
    return name[4:] if name.startswith("the ") else name


def _names(node: Node) -> set[str]:
    names = {normalise(node.name)}
    names |= {normalise(str(x)) for x in node.props.get("former_names", ()) or ()}
    names |= {normalise(str(x)) for x in node.props.get("alt_labels", ()) or ()}
    return names | {_bare(n) for n in names}


def _rank(node: Node) -> int:
    return _PRIORITY.index(node.type) if node.type in _PRIORITY else len(_PRIORITY)


def suggest(candidates: list[Node], wanted: str, n: int = 3) -> list[str]:
    """Up to ``n`` suggestions: names containing or starting with ``wanted`` first, then
    close spellings."""
    by_name: dict[str, Node] = {}
    for node in sorted(candidates, key=lambda x: (_rank(x), x.id)):
        by_name.setdefault(normalise(node.name), node)
    close = [k for k in by_name if wanted and (k.startswith(wanted) or f" {wanted}" in f" {k}")]
    close.sort(key=lambda k: (not k.startswith(wanted), len(k), k))
    for k in difflib.get_close_matches(wanted, list(by_name), n=n, cutoff=0.6):
        if k not in close:
            close.append(k)
    return [f"{by_name[k].name} ({by_name[k].id})" for k in close[:n]]


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


def has_strategy(graph: Any) -> Callable[[Node], bool]:
    """A ``prefer`` for :func:`resolve`: the node published a strategy in this graph or view."""
    return lambda node: bool(graph.out_edges(node.id, ["published"])) if node.id in graph.nodes \
        else False
