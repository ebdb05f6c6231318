"""A seeded synthetic graph in lisgraph's model with about N relationships, for the Neo4j push.

Usage: ``synthetic_graph(1_000_000)`` builds a checked KnowledgeGraph of about 1M relationships
and 200k nodes: districts on a grid (part of a region, of a LEP-like body in two dated
vintages, neighbours), bodies publishing strategies with priorities on themes, partnerships,
providers and organisations located in districts, dated partner and collaboration links
carrying theme lists. Same seed, same graph.
"""

from __future__ import annotations

import random
from datetime import date

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

__all__ = ["synthetic_graph"]

S = ("synthetic",)
VINTAGES = ((date(2017, 4, 1), date(2020, 3, 31)), (date(2020, 4, 1), date(2024, 3, 31)))


def synthetic_graph(relationships: int = 1_000_000, seed: int = 7) -> KnowledgeGraph:
    """About ``relationships`` relationships (within a few per cent) and a fifth as many nodes."""
    rng = random.Random(seed)
    scale = relationships / 1_000_000
    n_districts = max(int(50_000 * scale), 20)
    n_bodies = max(n_districts // 10, 2)
    n_partnerships = max(n_bodies // 20, 1)
    n_providers = max(int(20_000 * scale), 1)
    n_orgs = max(int(100_000 * scale), 2)
    n_collabs = int(440_000 * scale)
    g = KnowledgeGraph()
    g.add_source(Source("synthetic", "lisgraph benchmarks", "Synthetic graph", "", "2026",
                        "CC0", f"seed {seed}"))
    themes = [f"theme-{i}" for i in range(30)]
    for i, t in enumerate(themes):
        g.add_node(Node(t, "theme", f"Theme {i}", S,
                        {"scheme": ("foundation", "grand_challenge", "sector")[min(i // 5, 2)],
                         "alt_labels": [f"t{i}", f"topic {i}"]}))
    for r in range(9):
        g.add_node(Node(f"E12{r + 1:06d}", "region", f"Region {r + 1}", S))
    for p in range(n_partnerships):
        g.add_node(Node(f"partnership-{p}", "partnership", f"Partnership {p}", S,
                        {"kind": "pan-regional"}))
    for b in range(n_bodies):
        body, strategy = f"E37{b + 1:06d}", f"lis-{b + 1}"
        g.add_node(Node(body, "lep", f"Body {b + 1}", S, {"valid_to": date(2024, 3, 31)}))
        g.add_node(Node(strategy, "strategy", f"Strategy {b + 1}", S, {"status": "draft"}))
        g.add_edge(Edge(body, "published", strategy, S))
        for k in range(4):
            pid = f"{strategy}/p{k}"
            g.add_node(Node(pid, "priority", f"Priority {k} of body {b + 1}", S))
            g.add_edge(Edge(strategy, "has_priority", pid, S))
            for t in set(rng.choices(themes, k=rng.randint(1, 3))):
                g.add_edge(Edge(pid, "addresses", t, S))
        for p in set(rng.choices(range(n_partnerships), k=rng.randint(1, 3))):
            g.add_edge(Edge(body, "member_of", f"partnership-{p}", S, date(2015, 1, 1)))
    side = int(n_districts ** 0.5)
    for d in range(n_districts):
        code, (x, y) = f"E06{d + 1:06d}", (d % side, d // side)
        g.add_node(Node(code, "district", f"District {d + 1}", S,
                        {"lat": 50.0 + 5.5 * y / side, "lon": -5.5 + 7.2 * x / side,
                         "kind": "unitary"}))
        g.add_edge(Edge(code, "part_of", f"E12{d * 9 // n_districts + 1:06d}", S))
        for v, (start, end) in enumerate(VINTAGES):
            body = (d // 10 + v * rng.randint(0, 1)) % n_bodies
            g.add_edge(Edge(code, "part_of", f"E37{body + 1:06d}", S, start, end,
                            {"area_code": f"E37{body + 1:06d}"}))
        if x + 1 < side and d + 1 < n_districts:
            g.add_edge(Edge(code, "neighbours", f"E06{d + 2:06d}", S))
        if d + side < n_districts:
            g.add_edge(Edge(code, "neighbours", f"E06{d + side + 1:06d}", S))

    def district() -> str:
        return f"E06{rng.randrange(n_districts) + 1:06d}"

    partners = []
    for i in range(n_providers):
        pid = f"1{i:07d}"
        partners.append(pid)
        g.add_node(Node(pid, "provider", f"Provider {i}", S, {"groups": ["synthetic"]}))
        g.add_edge(Edge(pid, "located_in", district(), S))
    for i in range(n_orgs):
        oid = f"org-{i}"
        partners.append(oid)
        g.add_node(Node(oid, "organisation", f"Organisation {i} \"quoted\" & co", S,
                        {"kind": "business"}))
        g.add_edge(Edge(oid, "located_in", district(), S))
        since = date.fromordinal(date(2018, 1, 1).toordinal() + rng.randrange(700))
        g.add_edge(Edge(oid, "partner_of", f"E37{rng.randrange(n_bodies) + 1:06d}", S, since))
    for c in range(n_collabs):
        a, b = rng.sample(partners, 2)
        g.add_edge(Edge(a, "collaborates_with", b, S, date(2019, 1, 1), date(2023, 12, 31),
                        {"collaboration": f"collab-{c}", "themes": rng.sample(themes, 2)}))
    g.finalize()
    g.check()
    return g
