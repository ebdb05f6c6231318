"""A seeded synthetic graph in lisgraph's model, sized by the number of RDF triples it gives.

Unlike ``benchmarks/generator.py`` (shaped for the analysis queries), this one exercises what
the RDF exports carry: dated memberships in two vintages, several sources per record, list
properties, governed bodies (ORG), a theme taxonomy (SKOS) and collaborations.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

__all__ = ["synthetic_graph", "graph_for_triples"]


def _day(rng: random.Random, start: int = 2011, end: int = 2024) -> date:
    return date(start, 1, 1) + timedelta(days=rng.randrange((end - start) * 365))


def synthetic_graph(n_districts: int, seed: int = 7) -> KnowledgeGraph:
    """A checked graph with ``n_districts`` districts and bodies, strategies and links in
    proportion (about 100 triples per district in lisgraph's RDF export).

    >>> g = synthetic_graph(40)
    >>> sum(1 for _ in g.nodes_of_type("district")), len(g.edges) > 200
    (40, True)
    """
    rng = random.Random(seed)
    g = KnowledgeGraph()
    sources = [f"src-{i}" for i in range(max(20, n_districts // 200))]
    for i, sid in enumerate(sources):
        g.add_source(Source(sid, f"Publisher {i % 7}", f"Synthetic source {i}",
                            f"https://example.org/source/{i}", str(2011 + i % 14),
                            "OGL-UK-3.0" if i % 3 else "unknown", f"seed {seed}"))

    def cite() -> tuple[str, ...]:
        return tuple(rng.sample(sources, rng.choice((1, 1, 2))))

    def add(code: str, node_type: str, name: str, **props: object) -> str:
        g.add_node(Node(code, node_type, name, cite(), {k: v for k, v in props.items() if v}))
        return code

    def link(a: str, edge_type: str, b: str, start: date | None = None,
             end: date | None = None, **props: object) -> None:
        g.add_edge(Edge(a, edge_type, b, cite(), start, end, props))

    themes = [add(f"theme-{i}", "theme", f"Theme {i}",
                  scheme=("foundation", "grand_challenge", "sector")[min(i // 5, 2)],
                  alt_labels=[f"theme {i} alias {j}" for j in range(i % 3)]) for i in range(40)]
    for t in themes[9:]:
        link(t, "broader", rng.choice(themes[:9]))
    regions = [add(f"E12{i + 1:06d}", "region", f"Region {i + 1}") for i in range(9)]
    n_body = max(4, n_districts // 8)
    counties = [add(f"E10{i + 1:06d}", "county", f"County {i + 1}") for i in range(n_body)]
    leps = [add(f"E37{i + 1:06d}", "lep", f"LEP {i + 1}", lat=52.0, lon=-1.5,
                valid_to=date(2024, 3, 31), alt_codes=[f"E37{i + 500001:06d}"])
            for i in range(n_body)]
    cas = [add(f"E47{i + 1:06d}", "combined_authority", f"Combined authority {i + 1}",
               mayoral=bool(i % 2), valid_from=_day(rng)) for i in range(n_body // 2)]
    parts = [add(f"partnership-{i}", "partnership", f"Partnership {i}", kind="pan-regional",
                 url=f"https://example.org/p/{i}") for i in range(max(3, n_body // 10))]
    prefixes = ("E06", "E07", "E08", "E09")
    districts = []
    for i in range(n_districts):
        code = add(f"{prefixes[i % 4]}{i // 4 + 1:06d}", "district", f"District {i + 1}",
                   kind="unitary", lat=round(50 + rng.random() * 5, 6),
                   lon=round(-5 + rng.random() * 6.5, 6))
        districts.append(code)
        link(code, "part_of", regions[i % 9])
        link(code, "part_of", counties[i % n_body], None, date(2019, 3, 31))
        link(code, "part_of", leps[i % n_body], date(2017, 4, 1), date(2020, 3, 31),
             area_code=f"E37{i % n_body + 500001:06d}")
        link(code, "part_of", leps[(i + 1) % n_body], date(2020, 4, 1), date(2024, 3, 31),
             area_code=leps[(i + 1) % n_body])
        if i % 3 == 0:
            link(code, "part_of", cas[i % len(cas)], _day(rng))
        if i:
            link(min(code, districts[i - 1]), "neighbours", max(code, districts[i - 1]))
    for i, body in enumerate(leps + cas):
        link(body, "member_of", parts[i % len(parts)], _day(rng), None)
        strategy = add(f"lis-{i}", "strategy", f"Strategy {i}", status="draft",
                       date=_day(rng, 2018, 2020), url=f"https://example.org/lis/{i}")
        link(body, "published", strategy)
        for j in range(4):
            priority = add(f"lis-{i}/priority-{j}", "priority", f"Priority {j} of strategy {i}")
            link(strategy, "has_priority", priority)
            for t in rng.sample(themes, 2):
                link(priority, "addresses", t)
    for i in range(n_districts // 4):
        provider = add(f"1{i + 1:07d}", "provider", f"Provider {i + 1}", postcode="AB1 2CD",
                       groups=["Group A"] if i % 2 else [])
        link(provider, "located_in", rng.choice(districts))
        link(provider, "member_of", rng.choice(parts))
    for i in range(n_body // 2):
        a, b = sorted(rng.sample(leps, 2))
        link(a, "collaborates_with", b, _day(rng), None, collaboration=f"collab-{i}",
             collaboration_name=f"Collaboration {i}", themes=rng.sample(themes, 2))
    g.finalize()
    g.check()
    return g


def graph_for_triples(target: int, seed: int = 7) -> KnowledgeGraph:
    """A synthetic graph whose RDF export has about ``target`` triples."""
    from lisgraph.rdf.export import grouped, linked_triples

    probe = 2000
    per_district = sum(map(len, grouped(linked_triples(synthetic_graph(probe, seed))).values()))
    return synthetic_graph(max(40, round(target * probe / per_district)), seed)
