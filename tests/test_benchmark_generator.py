"""The benchmarks' synthetic graph: deterministic, sized as asked, valid, skewed, and loadable."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from benchmarks.generator import VINTAGES, graph_of_size, node_count, synthetic_graph
from benchmarks.opportunities import same_pairs
from benchmarks.tables import write_tables
from lisgraph import load_graph


@pytest.fixture(scope="module")
def graph():
    return graph_of_size(3000, 30_000, seed=3)


def _fingerprint(g):
    return [n.id for n in g.nodes.values()], [e.key for e in g.edges]


def test_same_seed_same_graph_other_seed_other_graph():
    a, b = graph_of_size(1500, 12_000, seed=5), graph_of_size(1500, 12_000, seed=5)
    assert _fingerprint(a) == _fingerprint(b)
    assert [(n.sources, n.props) for n in a.nodes.values()] == \
           [(n.sources, n.props) for n in b.nodes.values()]
    assert _fingerprint(graph_of_size(1500, 12_000, seed=6))[1] != _fingerprint(a)[1]


@pytest.mark.parametrize("nodes,edges", [(1000, None), (3000, 12_000), (5000, 14_000),
                                         (8000, 80_000)])
def test_sizes_land_within_ten_per_cent(nodes, edges):
    g = graph_of_size(nodes, edges)
    assert abs(len(g.nodes) - nodes) <= 0.1 * nodes
    assert abs(len(g.edges) - (edges or 10 * nodes)) <= 0.1 * (edges or 10 * nodes)


def test_too_few_edges_for_the_structure_is_refused():
    with pytest.raises(ValueError, match="edges per node"):
        graph_of_size(3000, 3000)


def test_node_count_is_exact():
    assert len(synthetic_graph(123, districts_per_body=4).nodes) == node_count(123, 4)


def test_graph_passes_check(graph):
    graph.check()  # raises DataIntegrityError on any dangling reference, bad id or source


def test_partner_degrees_are_skewed(graph):
    degree = Counter(e.end for e in graph.edges if e.type == "partner_of")
    partners = [n.id for n in graph.nodes_of_type("provider", "organisation")]
    counts = sorted((degree.get(p, 0) for p in partners), reverse=True)
    assert max(counts) >= 10 * statistics.median(counts) > 0
    assert sum(counts[:len(counts) // 20]) > 0.2 * sum(counts)  # top 5 % hold over a fifth


def test_shape_has_what_the_benchmarks_exercise(graph):
    nodes, edges = graph.count_by_type()
    assert {"district", "lep", "combined_authority", "county", "region", "partnership",
            "strategy", "priority", "theme", "provider", "organisation"} <= set(nodes)
    assert nodes["district"] > 2 * nodes["lep"] > 0  # many districts, fewer bodies
    schemes = Counter(n.props["scheme"] for n in graph.nodes_of_type("theme"))
    assert schemes["foundation"] == 5 and schemes["grand_challenge"] == 4 and edges["broader"]
    addressed = Counter(e.end for e in graph.edges if e.type == "addresses")
    assert addressed["ideas"] > 10 * addressed.get("sector-50", 0)  # a skewed taxonomy
    lep_links = [e for e in graph.edges if e.type == "part_of" and e.end.startswith("E37")]
    assert {(e.valid_from, e.valid_to) for e in lep_links} == set(VINTAGES)
    first = Counter(e.start for e in lep_links if e.valid_from == VINTAGES[0][0])
    assert max(first.values()) == 2  # some districts sat in two LEPs before the review
    assert any(len(e.sources) > 1 for e in graph.edges)
    assert any(len(n.props.get("alt_labels", ())) > 1 for n in graph.nodes.values())
    collab = Counter(e.end for e in graph.edges if e.type == "party_to")
    assert max(collab.values()) >= 3  # collaborations of three or more members
    assert all(n.props["themes"] for n in graph.nodes_of_type("collaboration"))


def test_tables_load_back_to_the_same_graph(graph, tmp_path):
    counts = write_tables(graph, tmp_path)
    assert counts["partners.csv"] == sum(1 for e in graph.edges if e.type == "partner_of")
    loaded = load_graph([tmp_path], bundled=False)
    assert loaded.sources == graph.sources
    assert {i: (n.type, n.name, n.sources, n.props) for i, n in loaded.nodes.items()} == \
           {i: (n.type, n.name, n.sources, n.props) for i, n in graph.nodes.items()}
    assert {e.key: (e.sources, e.props) for e in loaded.edges} == \
           {e.key: (e.sources, e.props) for e in graph.edges}


def test_opportunities_baseline_agrees_on_the_generator_graph():
    fast, naive, same = same_pairs(80)
    assert same and fast == naive > 100
