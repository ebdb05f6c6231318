"""A deterministic synthetic graph in lisgraph's model, for benchmarks (seeded, no I/O).

Districts sit on a grid over England's latitude/longitude range with grid neighbours; each body
(a LEP-like area) holds a few contiguous districts and publishes a strategy whose priorities
address themes drawn from a skewed (Zipf-like) distribution; partnerships have skewed member
counts; a few bodies collaborate; providers and organisations sit in districts.
"""

from __future__ import annotations

import random

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

__all__ = ["synthetic_graph"]

S = ("synthetic",)


def synthetic_graph(n_bodies: int, districts_per_body: int = 3, n_themes: int = 60,
                    priorities: int = 4, providers_per_body: float = 0.5,
                    organisations_per_body: float = 2.0, seed: int = 42) -> KnowledgeGraph:
    """Build a checked KnowledgeGraph with ``n_bodies`` LEP-like bodies.

    Node count is about ``n_bodies * (1 + districts_per_body + 1 + priorities +
    providers_per_body + organisations_per_body)`` plus themes, regions and partnerships.
    """
    rng = random.Random(seed)
    g = KnowledgeGraph()
    g.add_source(Source("synthetic", "lisgraph benchmarks", "Synthetic graph", "", "2026",
                        "CC0", f"seed {seed}"))
    schemes = ["foundation"] * 5 + ["grand_challenge"] * 4 + ["sector"] * max(n_themes - 9, 1)
    themes = [f"theme-{i}" for i in range(len(schemes))]
    for t, scheme in zip(themes, schemes):
        g.add_node(Node(t, "theme", t.replace("-", " ").title(), S, {"scheme": scheme}))
    weights = [1 / (i + 1) for i in range(len(themes))]
    n_d = n_bodies * districts_per_body
    side = max(int(n_d ** 0.5), 1)
    n_regions = max(9, n_bodies // 100)
    for r in range(n_regions):
        g.add_node(Node(f"E12{r + 1:06d}", "region", f"Region {r + 1}", S))
    for d in range(n_d):
        x, y = d % side, d // side
        code = f"E06{d + 1:06d}"
        g.add_node(Node(code, "district", f"District {d + 1}", S,
                        {"lat": 50.0 + 5.5 * y / side, "lon": -5.5 + 7.2 * x / side}))
        g.add_edge(Edge(code, "part_of", f"E12{(y * n_regions) // side % n_regions + 1:06d}", S))
        if x + 1 < side and d + 1 < n_d:
            g.add_edge(Edge(code, "neighbours", f"E06{d + 2:06d}", S))
        if d + side < n_d:
            g.add_edge(Edge(code, "neighbours", f"E06{d + side + 1:06d}", S))
    n_partnerships = max(1, n_bodies // 50)
    for p in range(n_partnerships):
        g.add_node(Node(f"partnership-{p}", "partnership", f"Partnership {p}", S))
    for b in range(n_bodies):
        body = f"E37{b + 1:06d}"
        g.add_node(Node(body, "lep", f"Body {b + 1}", S))
        for k in range(districts_per_body):
            g.add_edge(Edge(f"E06{b * districts_per_body + k + 1:06d}", "part_of", body, S))
        strategy = f"lis-{b + 1}"
        g.add_node(Node(strategy, "strategy", f"Strategy {b + 1}", S, {"status": "draft"}))
        g.add_edge(Edge(body, "published", strategy, S))
        for k in range(priorities):
            pid = f"{strategy}/p{k}"
            g.add_node(Node(pid, "priority", f"Priority {k}", S))
            g.add_edge(Edge(strategy, "has_priority", pid, S))
            for t in set(rng.choices(themes, weights, k=rng.randint(1, 2))):
                g.add_edge(Edge(pid, "addresses", t, S))
        # partnerships are geographic (neighbouring bodies), a few bodies join a second one
        home = (b * n_partnerships) // n_bodies
        g.add_edge(Edge(body, "member_of", f"partnership-{home}", S))
        if rng.random() < 0.1:
            g.add_edge(Edge(body, "member_of", f"partnership-{rng.randrange(n_partnerships)}", S))
        if rng.random() < 0.2 and b:
            other = f"E37{rng.randrange(b) + 1:06d}"
            g.add_edge(Edge(body, "collaborates_with", other, S,
                            props={"collaboration": f"c{b}", "themes": [rng.choice(themes[:20])]}))
    for i in range(int(n_bodies * providers_per_body)):
        pid = f"1{i:07d}"
        g.add_node(Node(pid, "provider", f"Provider {i}", S))
        g.add_edge(Edge(pid, "located_in", f"E06{rng.randrange(n_d) + 1:06d}", S))
    for i in range(int(n_bodies * organisations_per_body)):
        oid = f"org-{i}"
        g.add_node(Node(oid, "organisation", f"Organisation {i}", S))
        g.add_edge(Edge(oid, "located_in", f"E06{rng.randrange(n_d) + 1:06d}", S))
        target = f"E37{int(rng.paretovariate(1.1) * 3) % n_bodies + 1:06d}"
        g.add_edge(Edge(oid, "partner_of", target, S))
    g.finalize()
    g.check()
    return g
