"""A hand-built toy graph whose answers are worked out by hand in the tests."""

from __future__ import annotations

from datetime import date

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

S = ("toy",)


def toy_graph() -> KnowledgeGraph:
    """Three LEPs with strategies, four districts, two regions, a university, a partnership.

    Themes: ``s1`` a sector (weight 3), ``g1`` a Grand Challenge (2), ``f1`` a foundation (1).
    A = E37000001 addresses s1, f1; B = E37000002 addresses s1, g1; C = E37000003 addresses f1.
    Districts: d1 (A), d2 (B), d3 (C), d4 (A and B until 2019-12-31, then B only).
    d1 neighbours d2; d3 is far away (300 km). Regions: R1 = {d1, d3}, R2 = {d2, d4}.
    A and B are in partnership P. University U (in d1) collaborates with A on s1.
    Organisation Q (in d3) collaborates with C on f1.
    """
    g = KnowledgeGraph()
    g.add_source(Source("toy", "Test", "Toy graph", "", "2024", "CC0"))
    nodes = [
        ("s1", "theme", "Sector one", {"scheme": "sector"}),
        ("g1", "theme", "Challenge one", {"scheme": "grand_challenge"}),
        ("f1", "theme", "Foundation one", {"scheme": "foundation", "alt_labels": ["basics"]}),
        ("E37000001", "lep", "Alpha", {}),
        ("E37000002", "lep", "Beta", {}),
        ("E37000003", "lep", "Gamma", {}),
        ("E12000001", "region", "Region one", {}),
        ("E12000002", "region", "Region two", {}),
        ("E06000001", "district", "D one", {"lat": 53.0, "lon": -2.0}),
        ("E06000002", "district", "D two", {"lat": 53.0, "lon": -1.8}),
        ("E06000003", "district", "D three", {"lat": 55.7, "lon": -2.0}),
        ("E06000004", "district", "D four", {"lat": 52.9, "lon": -1.9}),
        ("10000001", "provider", "University U", {"lat": 53.0, "lon": -2.0}),
        ("org-q", "organisation", "Organisation Q", {}),
        ("partnership-p", "partnership", "Partnership P", {}),
        ("lis-a", "strategy", "Alpha LIS", {"status": "published", "evidence_url": "https://e"}),
        ("lis-b", "strategy", "Beta LIS", {"status": "draft"}),
        ("lis-c", "strategy", "Gamma LIS", {"status": "draft"}),
        ("lis-a/p1", "priority", "Alpha sector", {}),
        ("lis-a/p2", "priority", "Alpha skills", {}),
        ("lis-b/p1", "priority", "Beta sector", {}),
        ("lis-c/p1", "priority", "Gamma basics", {}),
    ]
    for nid, ntype, name, props in nodes:
        g.add_node(Node(nid, ntype, name, S, props))
    edges = [
        ("E37000001", "published", "lis-a"), ("E37000002", "published", "lis-b"),
        ("E37000003", "published", "lis-c"),
        ("lis-a", "has_priority", "lis-a/p1"), ("lis-a", "has_priority", "lis-a/p2"),
        ("lis-b", "has_priority", "lis-b/p1"), ("lis-c", "has_priority", "lis-c/p1"),
        ("lis-a/p1", "addresses", "s1"), ("lis-a/p2", "addresses", "f1"),
        ("lis-b/p1", "addresses", "s1"), ("lis-b/p1", "addresses", "g1"),
        ("lis-c/p1", "addresses", "f1"),
        ("E06000001", "part_of", "E37000001"), ("E06000002", "part_of", "E37000002"),
        ("E06000003", "part_of", "E37000003"), ("E06000004", "part_of", "E37000002"),
        ("E06000001", "part_of", "E12000001"), ("E06000003", "part_of", "E12000001"),
        ("E06000002", "part_of", "E12000002"), ("E06000004", "part_of", "E12000002"),
        ("E06000001", "neighbours", "E06000002"),
        ("E37000001", "member_of", "partnership-p"), ("E37000002", "member_of", "partnership-p"),
        ("10000001", "located_in", "E06000001"), ("org-q", "located_in", "E06000003"),
    ]
    for a, t, b in edges:
        g.add_edge(Edge(a, t, b, S))
    g.add_edge(Edge("E06000004", "part_of", "E37000001", S, None, date(2019, 12, 31)))
    g.add_edge(Edge("10000001", "collaborates_with", "E37000001", S,
                    props={"collaboration": "c1", "collaboration_name": "U and A", "themes": ["s1"]}))
    g.add_edge(Edge("E37000003", "collaborates_with", "org-q", S,
                    props={"collaboration": "c2", "collaboration_name": "C and Q", "themes": ["f1"]}))
    g.finalize()
    g.check()
    return g
