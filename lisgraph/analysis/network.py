"""Network views: brokers of the partner network and communities of places with similar priorities."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..view import DatedView, as_view
from .index import theme_index

__all__ = ["brokers", "communities", "partner_network", "PARTNER_EDGES", "STABILITY_THRESHOLDS"]

PARTNER_EDGES = ("member_of", "party_to", "collaborates_with", "partner_of")


def partner_network(graph: KnowledgeGraph | DatedView, as_of: date | None = None) -> Any:
    """Undirected networkx graph of bodies linked by memberships, collaborations and partners
    alive on the view's date (a collaboration is one node its parties link to, as a
    partnership is, not a clique)."""
    import networkx as nx

    graph = as_view(graph, as_of)
    g = nx.Graph()
    for e in graph.edges:
        if e.type in PARTNER_EDGES:
            g.add_edge(e.start, e.end)
    return g


def brokers(graph: KnowledgeGraph | DatedView, top: int = 20,
            as_of: date | None = None) -> list[dict[str, Any]]:
    """Bodies that bridge otherwise separate parts of the partner network, by betweenness
    centrality (normalised; exact for graphs under 2,000 nodes, sampled with a fixed seed above).

    Returns rows with ``code``, ``name``, ``type``, ``betweenness``, ``degree`` and
    ``bridges`` (how many connected parts of the network fall apart without it).
    """
    import networkx as nx

    graph = as_view(graph, as_of)
    g = partner_network(graph)
    if g.number_of_nodes() == 0:
        return []
    k = None if g.number_of_nodes() < 2000 else 500
    bc = nx.betweenness_centrality(g, k=k, seed=7)
    articulation = set(nx.articulation_points(g))
    rows = []
    for node, score in sorted(bc.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        parts = 0
        if node in articulation:
            h = g.copy()
            h.remove_node(node)
            parts = nx.number_connected_components(h) - nx.number_connected_components(g) + 1
        row = {"code": node, "name": graph.nodes[node].name, "type": graph.nodes[node].type,
               "betweenness": round(score, 4), "degree": g.degree(node), "bridges": parts}
        if graph.as_of is not None:
            row["as_of"] = graph.as_of.isoformat()
        rows.append(row)
    return rows


#: the --min-similarity thresholds across which community stability is reported
STABILITY_THRESHOLDS = (0.3, 0.4, 0.5)


def _similarity_groups(graph: DatedView, min_similarity: float, seed: int) -> tuple[Any, list[set[str]]]:
    """Louvain communities of strategy groups (co-publishers merged) joined when their
    weighted theme similarity is at least ``min_similarity``."""
    import networkx as nx
    import numpy as np

    from .index import distinctiveness
    from .opportunities import strategy_groups

    idx = theme_index(graph)
    groups = strategy_groups(graph, idx.bodies)
    w = idx.weights * distinctiveness(idx)
    W = idx.matrix[groups.theme_rows].multiply(np.sqrt(w)).tocsr()
    norms = np.sqrt(np.asarray(W.multiply(W).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    sims = (W @ W.T).tocoo()
    g = nx.Graph()
    g.add_nodes_from(groups.reps)
    for i, j, v in zip(sims.row, sims.col, sims.data):
        s = v / (norms[i] * norms[j])
        if i < j and s >= min_similarity - 1e-12:
            g.add_edge(groups.reps[i], groups.reps[j], weight=float(s))
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    return groups, sorted(found, key=lambda c: (-len(c), min(c)))


def _stable(base: list[set[str]], others: list[list[set[str]]]) -> dict[str, bool]:
    """Whether each body keeps its community: in every other partition, the community it is
    in is the one that shares most members with its community in ``base``."""
    out: dict[str, bool] = {}
    for community in base:
        keeps = set(community)
        for partition in others:
            match = max(partition, key=lambda c: len(c & community))  # first of a tie: the larger
            keeps &= match
        for m in community:
            out[m] = m in keeps
    return out


def communities(graph: KnowledgeGraph | DatedView, min_similarity: float = 0.3, seed: int = 7,
                as_of: date | None = None) -> list[dict[str, Any]]:
    """Communities of bodies with similar priorities: Louvain (fixed ``seed``) on the graph
    whose edges join bodies with weighted theme similarity at least ``min_similarity`` (the
    cosine of ``overlaps``: scheme weight x distinctiveness). Co-publishers of one strategy
    are one body (the first publisher, the others in ``also``).

    Stability: the communities are also found at each of :data:`STABILITY_THRESHOLDS`; a body
    is ``stable`` when it keeps its community at every one of them (its community there is
    the one sharing most members with its own), and ``stability`` is the share of bodies that
    are stable (the same in every row).

    Returns rows with ``community`` (1 = largest), ``code``, ``name``, ``type``, ``themes``
    (the body's own headline themes, most specific first), ``also``, ``stable``,
    ``stability`` (and ``as_of`` with a date).
    """
    from .index import SCHEME_ORDER

    graph = as_view(graph, as_of)
    idx = theme_index(graph)
    if not idx.bodies:
        return []
    groups, found = _similarity_groups(graph, min_similarity, seed)
    others = [_similarity_groups(graph, t, seed)[1] for t in STABILITY_THRESHOLDS
              if abs(t - min_similarity) > 1e-9]
    stable = _stable(found, others)
    share = round(sum(stable.values()) / len(stable), 3) if stable else 1.0
    members = {g[0]: g[1:] for g in groups.members}
    rows = []
    for k, community in enumerate(found, 1):
        for m in sorted(community):
            ts = sorted((t for t in idx.themes if (m, t) in idx.why),
                        key=lambda t: (SCHEME_ORDER.get(str(graph.nodes[t].props.get("scheme")), 3), t))
            row = {"community": k, "code": m, "name": graph.nodes[m].name,
                   "type": graph.nodes[m].type,
                   "themes": [graph.nodes[t].name for t in ts],
                   "also": [f"{graph.nodes[x].name} ({x})" for x in members.get(m, [])],
                   "stable": stable[m], "stability": share}
            if graph.as_of is not None:
                row["as_of"] = graph.as_of.isoformat()
            rows.append(row)
    return rows
