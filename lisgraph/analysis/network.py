"""Network views: brokers of the partner network and communities of places with similar priorities."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..graph import KnowledgeGraph
from ..view import DatedView, as_view
from .index import theme_index

__all__ = ["brokers", "communities", "partner_network", "PARTNER_EDGES"]

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


def communities(graph: KnowledgeGraph | DatedView, min_similarity: float = 0.3, seed: int = 7,
                as_of: date | None = None) -> list[dict[str, Any]]:
    """Communities of bodies with similar priorities: Louvain on the graph whose edges join
    bodies with weighted theme similarity at least ``min_similarity`` (cosine, as in
    ``overlaps``).

    Returns rows with ``community`` (1 = largest), ``code``, ``name``, ``type`` and
    ``top_themes`` (the themes most of the community shares).
    """
    import networkx as nx
    import numpy as np

    graph = as_view(graph, as_of)
    idx = theme_index(graph)
    if not idx.bodies:
        return []
    W = idx.matrix.multiply(np.sqrt(idx.weights)).tocsr()
    norms = np.sqrt(np.asarray(W.multiply(W).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    sims = (W @ W.T).tocoo()
    g = nx.Graph()
    g.add_nodes_from(idx.bodies)
    for i, j, v in zip(sims.row, sims.col, sims.data):
        s = v / (norms[i] * norms[j])
        if i < j and s >= min_similarity:
            g.add_edge(idx.bodies[i], idx.bodies[j], weight=float(s))
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    rows = []
    for k, members in enumerate(found, 1):
        counts = np.asarray(idx.matrix[[idx.body_pos[m] for m in members]].sum(axis=0)).ravel()
        top = [graph.nodes[idx.themes[t]].name for t in np.argsort(-counts, kind="stable")[:3] if counts[t]]
        for m in sorted(members):
            row = {"community": k, "code": m, "name": graph.nodes[m].name,
                   "type": graph.nodes[m].type, "top_themes": top}
            if graph.as_of is not None:
                row["as_of"] = graph.as_of.isoformat()
            rows.append(row)
    return rows
