"""Maps (lisgraph.viz and `lisgraph viz`) on a small hand-built graph and on the bundled one."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest

from lisgraph.errors import LisgraphError
from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source
from lisgraph.viz import ViewTooLarge, build_network, write_map
from lisgraph.viz.page import remote_references
from lisgraph.viz.style import EDGE_STYLES, NODE_STYLES

pytest.importorskip("pyvis", reason="the maps need pyvis: pip install 'lisgraph[viz]'")

XSS = "<img src=x onerror=alert(1)>"
S = ("s1",)


def small_graph() -> KnowledgeGraph:
    """Two regions, four districts (one abolished in 2019), two LEPs, a combined authority with
    a strategy, a priority and two themes, a partnership, and an organisation named XSS.

    Drawn edges (16 lines for 17 edges): Northumberland part_of North East, North LEP (two
    vintages: one line) and North CA; Southampton and Christchurch part_of South LEP;
    Southampton and Winchester part_of South East; Southampton neighbours Christchurch; the
    two LEPs member_of the partnership and collaborate (clean growth); the CA published the
    strategy, which has the priority, which addresses offshore wind, which is narrower than
    clean growth; the XSS organisation is located in Southampton. One more theme, Space, has
    no links at all.
    """
    g = KnowledgeGraph()
    g.add_source(Source("s1", "ONS", "Names & <codes>", "https://example.org", "2021", "OGL"))
    nodes = [
        ("E12000001", "region", "North East", {}),
        ("E12000008", "region", "South East", {}),
        ("E06000057", "district", "Northumberland", {"lat": 55.2, "lon": -2.0}),
        ("E06000045", "district", "Southampton", {"lat": 50.9, "lon": -1.4}),
        ("E07000094", "district", "Winchester", {"lat": 51.06, "lon": -1.31}),
        ("E07000048", "district", "Christchurch", {"valid_to": date(2019, 3, 31)}),
        ("E37000001", "lep", "North LEP", {}),
        ("E37000002", "lep", "South LEP", {"lat": 51.0, "lon": -1.3}),
        ("E47000001", "combined_authority", "North CA", {}),
        ("partnership-c", "partnership", "Coastal Partnership", {}),
        ("lis-north", "strategy", "North LIS", {}),
        ("lis-north/p1", "priority", "Offshore wind cluster", {}),
        ("clean-growth", "theme", "Clean Growth", {"scheme": "grand_challenge"}),
        ("offshore-wind", "theme", "Offshore Wind", {"scheme": "sector"}),
        ("space", "theme", "Space", {"scheme": "sector"}),
        ("xss-org", "organisation", XSS, {}),
    ]
    for nid, ntype, name, props in nodes:
        g.add_node(Node(nid, ntype, name, S, props))
    for a, t, b in [
        ("E06000057", "part_of", "E12000001"), ("E06000057", "part_of", "E47000001"),
        ("E06000045", "part_of", "E37000002"), ("E06000045", "part_of", "E12000008"),
        ("E07000094", "part_of", "E12000008"), ("E06000045", "neighbours", "E07000048"),
        ("E37000001", "member_of", "partnership-c"), ("E37000002", "member_of", "partnership-c"),
        ("E47000001", "published", "lis-north"), ("lis-north", "has_priority", "lis-north/p1"),
        ("lis-north/p1", "addresses", "offshore-wind"),
        ("offshore-wind", "broader", "clean-growth"),
        ("xss-org", "located_in", "E06000045"),
    ]:
        g.add_edge(Edge(a, t, b, S))
    g.add_edge(Edge("E06000057", "part_of", "E37000001", S, date(2014, 4, 1), date(2020, 3, 31)))
    g.add_edge(Edge("E06000057", "part_of", "E37000001", S, date(2021, 4, 1), date(2024, 3, 31)))
    g.add_edge(Edge("E07000048", "part_of", "E37000002", S, None, date(2019, 3, 31)))
    g.add_edge(Edge("E37000001", "collaborates_with", "E37000002", S,
                    props={"collaboration": "c1", "collaboration_name": "Coastal energy",
                           "themes": ["clean-growth"]}))
    g.check()
    return g


@pytest.fixture(scope="module")
def g() -> KnowledgeGraph:
    return small_graph()


def ids(net) -> set[str]:
    return {n["id"] for n in net.nodes}


def triples(net) -> set[tuple[str, str, str]]:
    return {(e["from"], e["type"], e["to"]) for e in net.edges}


def page_data(html: str) -> dict[str, object]:
    """The JSON blocks of a page, parsed."""
    blocks = dict(re.findall(r'<script type="application/json" id="lisgraph-(\w+)">(.*?)</script>',
                             html, re.DOTALL))
    return {k: json.loads(v) for k, v in blocks.items()}


# -- what is drawn --------------------------------------------------------------------------

def test_whole_graph_draws_every_node_and_merges_vintages(g):
    net = build_network(g)
    assert ids(net) == set(g.nodes) and net.num_nodes() == 16
    assert len(g.edges) == 17
    assert net.num_edges() == 16  # the two North LEP vintages are one line
    line = next(e for e in net.edges if (e["from"], e["to"]) == ("E06000057", "E37000001"))
    assert "2014-04-01 – 2020-03-31" in line["title"]
    assert "2021-04-01 – 2024-03-31" in line["title"]


def test_nodes_coloured_shaped_and_sized_by_type_and_degree(g):
    net = build_network(g)
    for n in net.nodes:
        style = NODE_STYLES[g.nodes[n["id"]].type]
        assert (n["color"], n["shape"], n["type"]) == (style.color, style.shape,
                                                       g.nodes[n["id"]].type)
    size = {n["id"]: n["size"] for n in net.nodes}
    assert size["E06000045"] > size["E07000094"] > size["space"]  # degree 5 > 1 > 0
    # the page draws node labels itself (by importance); lines carry no label, only a tooltip
    assert all("label" not in e for e in net.edges) and all("label" not in n for n in net.nodes)
    assert {n["name"] for n in net.nodes} == {n.name for n in g.nodes.values()}
    symmetric = ("neighbours", "collaborates_with")
    assert {e["arrows"] for e in net.edges if e["type"] in symmetric} == {""}
    assert {e["arrows"] for e in net.edges if e["type"] == "part_of"} == {"to"}


def test_every_schema_type_has_a_style(g):
    assert set(g.schema.nodes) <= set(NODE_STYLES)
    assert set(g.schema.edges) <= set(EDGE_STYLES)
    assert len({(s.color, s.shape) for s in NODE_STYLES.values()}) == len(NODE_STYLES)


def test_tooltips_give_name_code_type_and_sources(g):
    net = build_network(g)
    title = net.get_node("E37000002")["title"]
    assert title.splitlines()[:3] == ["South LEP", "code: E37000002",
                                      "type: Local enterprise partnership (lep)"]
    assert "sources: s1 (click for the references)" in title


def test_type_filter(g):
    net = build_network(g, types=["district", "LEP"])
    assert {g.nodes[i].type for i in ids(net)} == {"district", "lep"}
    assert triples(net) == {("E06000057", "part_of", "E37000001"),
                            ("E06000045", "part_of", "E37000002"),
                            ("E07000048", "part_of", "E37000002"),
                            ("E06000045", "neighbours", "E07000048"),
                            ("E37000001", "collaborates_with", "E37000002")}
    with pytest.raises(LisgraphError, match="unknown type 'lepp'"):
        build_network(g, types=["lepp"])


def test_theme_filter_keeps_what_concerns_the_theme(g):
    net = build_network(g, theme="clean growth")
    # the theme, its narrower theme, the priority, strategy and publisher, and the two LEPs
    # whose collaboration names the theme
    assert ids(net) == {"clean-growth", "offshore-wind", "lis-north/p1", "lis-north",
                        "E47000001", "E37000001", "E37000002"}
    assert build_network(g, theme="offshore-wind").num_nodes() == 4  # no broader theme


def test_depth_walks_from_the_place(g):
    assert ids(build_network(g, "Northumberland", depth=0)) == {"E06000057"}
    assert ids(build_network(g, "Northumberland", depth=1)) == {
        "E06000057", "E12000001", "E37000001", "E47000001"}
    assert ids(build_network(g, "Northumberland", depth=2)) == {
        "E06000057", "E12000001", "E37000001", "E47000001", "partnership-c", "E37000002",
        "lis-north"}
    # with a type filter the walk only passes through nodes of those types
    assert ids(build_network(g, "Northumberland", depth=5, types=["lep"])) == {
        "E06000057", "E37000001", "E37000002"}


def test_as_of_leaves_out_what_was_not_valid(g):
    net = build_network(g, as_of=date(2022, 1, 1))
    assert "E07000048" not in ids(net)
    assert ("E06000057", "part_of", "E37000001") in triples(net)  # the 2021 vintage
    assert "2014-04-01" not in next(e["title"] for e in net.edges if e["to"] == "E37000001")
    between_vintages = build_network(g, as_of=date(2020, 12, 1))
    assert ("E06000057", "part_of", "E37000001") not in triples(between_vintages)


def test_a_place_must_be_valid_on_the_date(g):
    with pytest.raises(LisgraphError, match=r"Christchurch \(E07000048\) ended 2019-03-31: "
                       "nothing to show on 2022-01-01"):
        build_network(g, "Christchurch", as_of=date(2022, 1, 1))
    assert build_network(g, "Christchurch", as_of=date(2018, 1, 1)).num_nodes() == 3


def test_unknown_layout_highlight_and_empty_views_are_errors(g):
    with pytest.raises(LisgraphError, match="unknown layout"):
        build_network(g, layout="circle")
    with pytest.raises(LisgraphError, match="unknown highlight"):
        build_network(g, highlight="gaps")
    with pytest.raises(LisgraphError, match="nothing to draw"):
        build_network(g, types=["provider"])


# -- layouts -----------------------------------------------------------------------------------

def test_geo_layout_is_a_map(g):
    pos = {n["id"]: (n["x"], n["y"]) for n in build_network(g).nodes}
    north, south = pos["E06000057"], pos["E06000045"]
    assert north[1] < south[1]  # north is up
    assert north[0] < pos["E07000094"][0]  # Northumberland (2.0 W) is west of Winchester (1.3 W)
    # North LEP has no point: it sits at its member's (Northumberland), nudged clear of it
    assert abs(pos["E37000001"][1] - north[1]) < 120 and pos["E37000001"] != north
    # the organisation located in Southampton is on the map, near Southampton
    assert abs(pos["xss-org"][0] - south[0]) < 120 and abs(pos["xss-org"][1] - south[1]) < 120
    # strategies, priorities and themes are off the map, in that order west to east
    off = ("lis-north", "lis-north/p1", "clean-growth", "offshore-wind", "space")
    east = max(x for i, (x, _) in pos.items() if i not in off)
    assert east < pos["lis-north"][0] < pos["lis-north/p1"][0] < pos["clean-growth"][0]
    assert pos["clean-growth"][0] == pos["offshore-wind"][0] == pos["space"][0]
    # a column sits level with what it links to: the North LIS with its publisher
    assert abs(pos["lis-north"][1] - pos["E47000001"][1]) < 1


def test_markers_do_not_overlap_on_the_map(g):
    net = build_network(g)
    nodes = [n for n in net.nodes if n["id"] != "space"]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            gap = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
            assert gap >= (a["size"] + b["size"]) * 0.9, (a["id"], b["id"])


def test_force_layout_is_settled_and_repeatable(g):
    a, b = build_network(g, layout="force"), build_network(g, layout="force")
    pos = [(n["x"], n["y"]) for n in a.nodes]
    assert pos == [(n["x"], n["y"]) for n in b.nodes]
    assert len(set(pos)) == len(pos)
    assert json.loads(json.dumps(a.options))["physics"]["enabled"] is False


# -- the page ----------------------------------------------------------------------------------

def test_page_is_self_contained(g):
    html = build_network(g).generate_html()
    assert remote_references(html) == []
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.IGNORECASE)
    assert "vis.Network" in html


class _Scripts(HTMLParser):
    """Executable scripts' text, and every tag with an inline event handler."""

    def __init__(self) -> None:
        super().__init__()
        self.executable: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self._open: bool | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [f"{tag} {k}" for k, _ in attrs if k.startswith("on")]
        if tag == "script":
            self._open = dict(attrs).get("type") is None
            self.executable.append("") if self._open else None

    def handle_data(self, data):
        if self._open:
            self.executable[-1] += data

    def handle_endtag(self, tag):
        self._open = None


def test_csp_allows_exactly_the_page_scripts(g):
    html = build_network(g).generate_html()
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                             html).group(1))
    parser = _Scripts()
    parser.feed(html)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in parser.executable}
    assert len(parser.executable) == 2
    assert set(re.search(r"script-src ([^;]+);", csp).group(1).split()) == hashes
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp


def test_text_from_data_is_escaped(g):
    net = build_network(g, "xss-org", depth=1)  # the payload is also the page's title
    html = net.generate_html()
    assert XSS not in html
    parser = _Scripts()
    parser.feed(html)
    assert "img" not in parser.tags and parser.handlers == []
    assert ("<title>lisgraph: &lt;img src=x onerror=alert(1)&gt; (xss-org), depth 1, all dates "
            "(undated view)</title>") in html
    data = page_data(html)
    label = next(n["name"] for n in data["nodes"] if n["id"] == "xss-org")
    assert label == XSS  # shown as text, unchanged
    southampton = data["profiles"]["nodes"]["E06000045"]
    assert ["located here", [["xss-org", 0, ""]], 0] in southampton["g"]  # name from the node
    reference = data["profiles"]["sources"]["s1"]["text"]
    assert reference == "ONS, Names & <codes> (2021)" and "Names & <codes>" not in html


def test_legend_lists_the_types_on_the_page(g):
    html = build_network(g, types=["district", "lep"]).generate_html()
    legend = html[html.index('<aside id="side"'):html.index("</aside>")]
    assert "district" in legend and "LEP" in legend and "partnership" not in legend
    assert "part of" in legend and "collaborates with" in legend and "published" not in legend


def test_write_map_writes_only_the_page(g, tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old")
    assert write_map(build_network(g), out) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no lib/, no temporary file
    with pytest.raises(LisgraphError, match="must be an .html file"):
        write_map(build_network(g), tmp_path / "map.csv")
    with pytest.raises(LisgraphError, match="no such folder"):
        write_map(build_network(g), tmp_path / "missing" / "map.html")


def test_notebook_display_uses_the_same_page(g, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = build_network(g)
    frame = net.show("nb.html")  # pyvis' notebook display: writes the page, returns an IFrame
    assert frame.src == "nb.html" and frame.height == "750px"
    assert (tmp_path / "nb.html").read_text(encoding="utf-8") == net.generate_html()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.html"]  # no lib/ folder


# -- large views ---------------------------------------------------------------------------------

def test_too_large_views_are_refused_with_a_hint(g, monkeypatch):
    with pytest.raises(ViewTooLarge, match=r"16 nodes.*--depth.*--type or --theme"):
        build_network(g, max_nodes=10)
    monkeypatch.setattr("lisgraph.viz.FORCE_MAX_NODES", 10)
    with pytest.raises(ViewTooLarge, match=", or use --layout geo"):
        build_network(g, layout="force")
    assert build_network(g, "Northumberland", layout="force").num_nodes() == 4


def test_large_views_are_drawn_lean(g, monkeypatch):
    monkeypatch.setattr("lisgraph.viz.LARGE_NODES", 10)
    net = build_network(g)
    assert net.options["edges"]["smooth"]["enabled"] is False
    assert net.options["interaction"]["hideEdgesOnDrag"] is True
    assert not any("label" in e for e in net.edges)
    assert "Large view" in net.generate_html()


# -- the bundled graph -----------------------------------------------------------------------------

def test_bundled_graph_counts(bundled):
    net = build_network(bundled)
    symmetric = {t for t, et in bundled.schema.edges.items() if et.symmetric}
    lines = {(min(e.start, e.end), e.type, max(e.start, e.end)) if e.type in symmetric
             else (e.start, e.type, e.end) for e in bundled.edges}
    assert net.num_nodes() == len(bundled.nodes)
    assert net.num_edges() == len(lines)


def test_highlight_opportunities_draws_dashed_lines(bundled):
    from lisgraph.analysis import opportunities

    rows = opportunities(bundled, place="E47000001")
    assert rows, "Greater Manchester should have collaboration opportunities"
    net = build_network(bundled, "E47000001", depth=1, highlight="opportunities")
    dashed = [e for e in net.edges if e["type"] == "opportunity"]
    assert len(dashed) == len(rows) and all(e["dashes"] for e in dashed)
    assert {frozenset((e["from"], e["to"])) for e in dashed} == {frozenset((r["a"], r["b"]))
                                                                 for r in rows}
    assert all("shared themes: " in e["title"] and "score: " in e["title"]
               and "why near: " in e["title"] for e in dashed)
    recorded = ("collaborates_with", "party_to")  # pairwise records, and parties to a record
    solid = [e for e in net.edges if e["type"] in recorded]
    assert solid and not any(e["dashes"] for e in solid)
    assert {e["color"] for e in dashed}.isdisjoint({e["color"] for e in solid})
    assert {EDGE_STYLES[t].color for t in recorded}.isdisjoint({EDGE_STYLES["opportunity"].color})
    assert {r["b"] for r in rows} | {r["a"] for r in rows} <= ids(net)
    whole = build_network(bundled, highlight="opportunities")
    assert sum(e["type"] == "opportunity" for e in whole.edges) == len(opportunities(bundled))


# -- the command ----------------------------------------------------------------------------------

def test_cli_writes_the_page_and_nothing_else(cli, tmp_path, monkeypatch):
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir()
    out.mkdir()
    monkeypatch.chdir(work)
    code, stdout, _ = cli("viz", "Greater Manchester", "--depth", "1", "--type", "district",
                          "--type", "combined_authority", "--out", str(out / "gm.html"))
    assert code == 0 and stdout == ""
    assert list(work.iterdir()) == [] and [p.name for p in out.iterdir()] == ["gm.html"]
    data = page_data((out / "gm.html").read_text(encoding="utf-8"))
    names = {n["name"] for n in data["nodes"]}
    assert len(names) == 11 and {"Greater Manchester", "Manchester", "Wigan"} <= names


def test_cli_errors(cli, tmp_path):
    code, _, err = cli("viz", "--depth", "2", "--out", str(tmp_path / "m.html"))
    assert code == 2
    code, _, err = cli("viz", "--type", "lepp", "--out", str(tmp_path / "m.html"))
    assert code == 1 and "unknown type 'lepp'" in err
    code, _, err = cli("viz", "--theme", "nonsense", "--out", str(tmp_path / "m.html"))
    assert code == 1 and "no theme matches" in err
    assert list(tmp_path.iterdir()) == []


def test_help_does_not_import_pyvis():
    code = ("import sys; from lisgraph.cli import app; "
            "assert 'pyvis' not in sys.modules and 'lisgraph.viz' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
