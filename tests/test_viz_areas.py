"""Areas under the map: bundled ONS boundaries, bodies as unions of districts on a date,
what fills the districts (--colour-by), and the data the page's panel and labels read."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from lisgraph.errors import LisgraphError
from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source
from lisgraph.viz import build_network
from lisgraph.viz.areas import ATTRIBUTION, area_layer, boundaries, vintage_for
from lisgraph.viz.colour import (DECLARED, NOT_DECLARED, PALETTE, RAMP, UNKNOWN,
                                 IndicatorValues, colour_districts, parse_colour_by)
from lisgraph.viz.layout import project
from lisgraph.viz.panel import label_order, safe_url
from lisgraph.viz.selection import select

shapely = pytest.importorskip("shapely", reason="areas need shapely: pip install 'lisgraph[viz]'")
pytest.importorskip("pyvis", reason="the maps need pyvis: pip install 'lisgraph[viz]'")

ROOT = Path(__file__).resolve().parent.parent
GM = ("E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006",
      "E08000007", "E08000008", "E08000009", "E08000010")


def shape(polygons):
    from shapely.geometry import MultiPolygon, Polygon

    from lisgraph.viz.areas import _decode

    return shapely.make_valid(MultiPolygon(
        [Polygon(_decode(p[0]), [_decode(h) for h in p[1:]]) for p in polygons]))


def page_blocks(html: str) -> dict[str, object]:
    blocks = dict(re.findall(r'<script type="application/json" id="lisgraph-(\w+)">(.*?)</script>',
                             html, re.DOTALL))
    return {k: json.loads(v) for k, v in blocks.items()}


# -- the bundled boundaries ----------------------------------------------------------------------

def test_boundaries_are_attributed_and_in_the_map_projection():
    v = boundaries("2024")
    raw = json.loads((ROOT / "loaders" / "geo" / "districts.json").read_text(encoding="utf-8"))
    assert raw["attribution"] == ATTRIBUTION and raw["licence"] == "OGL-UK-3.0"
    assert set(raw["vintages"]) == {"2022", "2024"}
    # Manchester's reference point (ONS) falls inside Manchester's projected polygon
    manchester = shape(v.areas["E08000003"]["polygons"])
    assert manchester.contains(shapely.Point(project(53.4794, -2.2453)))
    assert not manchester.contains(shapely.Point(project(51.5072, -0.1276)))  # London
    assert len(v.areas) == 361 and len(boundaries("2022").areas) == 374


def test_every_district_of_a_date_is_drawn(bundled):
    for day in (date(2018, 6, 1), date(2022, 6, 1), date(2024, 6, 1), date(2025, 6, 1)):
        view = select(bundled, as_of=day)
        layer = area_layer(bundled, view.nodes, day, bodies=False)
        districts = {n for n, node in view.nodes.items() if node.type == "district"}
        assert districts and set(layer.stand_ins) == districts, day


def test_vintage_follows_the_date_and_successors_stand_in(bundled):
    assert vintage_for(date(2023, 3, 31)) == "2022" and vintage_for(date(2023, 4, 1)) == "2024"
    view = select(bundled, as_of=date(2019, 6, 1))
    layer = area_layer(bundled, view.nodes, date(2019, 6, 1), bodies=False)
    assert layer.vintage.key == "2022"
    # Aylesbury Vale (abolished 2020) is drawn as its successor, Buckinghamshire
    assert layer.stand_ins["E07000004"] == "E06000060"
    assert any("successor" in n for n in layer.notes)
    assert layer.notes[-1] == ATTRIBUTION + "."
    # Cumbria's districts existed until 2023: in 2022 they have their own polygons
    assert area_layer(bundled, {"E07000028": bundled.nodes["E07000028"]}, date(2022, 6, 1),
                      bodies=False).stand_ins == {"E07000028": "E07000028"}


def test_a_body_is_the_union_of_its_districts_on_the_date(bundled):
    day = date(2022, 6, 1)
    layer = area_layer(bundled, {"E47000001": bundled.nodes["E47000001"]}, day)
    gm = shape(layer.bodies["E47000001"])
    parts = [shape(boundaries("2022").areas[c]["polygons"]) for c in GM]
    assert len(layer.bodies["E47000001"]) == 1  # one piece: the borders between districts go
    assert len(layer.bodies["E47000001"][0]) == 1  # and no holes
    assert gm.area == pytest.approx(sum(p.area for p in parts), rel=0.01)
    assert all(gm.contains(p.representative_point()) for p in parts)
    # a 2017 LEP and its 2021 successor cover different districts
    lep17 = area_layer(bundled, {"E37000034": bundled.nodes["E37000034"]}, date(2018, 1, 1))
    assert lep17.bodies["E37000034"]


# -- colour by -------------------------------------------------------------------------------------

def test_colour_by_values_are_checked():
    assert parse_colour_by(None) == ("membership", "")
    assert parse_colour_by("membership:lep") == ("membership", "lep")
    assert parse_colour_by("indicator:gva-per-hour") == ("indicator", "gva-per-hour")
    for bad in ("theme", "membership:region", "size"):
        with pytest.raises(LisgraphError, match="--colour-by"):
            parse_colour_by(bad)


def test_membership_follows_the_date_and_neighbours_differ(bundled):
    districts = [n for n in bundled.nodes_of_type("district", as_of=date(2019, 6, 1))]
    lep = colour_districts(bundled, districts, date(2019, 6, 1))
    assert lep.outline_type == "lep" and "LEP on 2019-06-01" in lep.title
    assert len({lep.fills[d] for d in GM}) == 1
    later = [n for n in bundled.nodes_of_type("district", as_of=date(2025, 6, 1))]
    ca = colour_districts(bundled, later, date(2025, 6, 1))
    assert ca.outline_type == "combined_authority"
    assert ca.fills["E08000003"] in PALETTE and "E07000028" not in ca.fills  # Carlisle: gone
    assert ca.fills["E09000001"] in PALETTE  # the City of London: the GLA is a strategic one
    assert any(k["label"] == "Greater London Authority" for k in ca.keys)
    body = {}
    for d in later:
        es = [e.end for e in bundled.out_edges(d.id, ["part_of"], date(2025, 6, 1))
              if bundled.nodes[e.end].type == "combined_authority"]
        if es:
            body[d.id] = es[0]
    clashes = [(e.start, e.end) for e in bundled.edges if e.type == "neighbours"
               and e.start in body and e.end in body and body[e.start] != body[e.end]
               and ca.fills[e.start] == ca.fills[e.end]]
    assert clashes == []  # neighbouring authorities never share a colour


def test_theme_colouring_separates_declared_not_declared_and_unknown(bundled):
    day = date(2020, 1, 1)
    districts = list(bundled.nodes_of_type("district", as_of=day))
    # Places is cross-cutting (no industry groups): declared only
    col = colour_districts(bundled, districts, day, "theme:places")
    gm = next(e.end for e in bundled.out_edges("E47000001", ["published"]))
    declares = any(a.end == "places" for p in bundled.out_edges(gm, ["has_priority"])
                   for a in bundled.out_edges(p.end, ["addresses"]))
    assert col.fills["E08000003"] == (DECLARED if declares else NOT_DECLARED)
    assert set(col.fills.values()) == {DECLARED, NOT_DECLARED, UNKNOWN}
    assert "unknown" in col.keys[-1]["label"] and "cross-cutting" in col.notes[-1]


def test_theme_colouring_reads_declared_against_evidenced(bundled):
    pytest.importorskip("lisgraph.evidence.strengths", reason="needs the evidence layer")
    from lisgraph.evidence.strengths import strengths

    day = date(2024, 6, 1)
    districts = list(bundled.nodes_of_type("district", as_of=day))
    col = colour_districts(bundled, districts, day, "theme:advanced-manufacturing")
    assert "evidenced (GVA 2023)" in col.title and len(col.keys) == 6
    legend = {k["colour"]: k["label"] for k in col.keys}
    for label in ("declared and evidenced", "evidenced; no strategy recorded for its bodies"):
        colour = next(c for c, text in legend.items() if text == label)
        district = next(d for d, c in sorted(col.fills.items()) if c == colour)
        # the evidence layer's own reading of the same district agrees that it is strong
        rows = strengths(bundled, bundled.nodes[district], day)["groups"]
        assert any(r["strength"] for r in rows if r["sic07"] in ("C (10-33)", "CI-CL (26-30)"))


def test_indicator_without_the_evidence_layer_says_so(bundled, monkeypatch):
    monkeypatch.setattr("lisgraph.viz.colour.INDICATOR_HOOK", "lisgraph.no_such_module:values")
    with pytest.raises(LisgraphError, match="evidence layer"):
        colour_districts(bundled, [bundled.nodes["E08000003"]], None, "indicator:gva")


def ranked_values(graph: KnowledgeGraph, indicator: str, areas: list[str],
                  as_of: date | None) -> IndicatorValues:
    """An IndicatorSource for the interface test: each district's value is its code's
    number, so the order of the classes is known."""
    return IndicatorValues(indicator, "Code number", "n", "2023", "the test",
                           {a: float(a[1:]) for a in areas if a[1:].isdigit()})


def test_indicator_hook_fills_a_ramp_and_the_panel(bundled, monkeypatch):
    monkeypatch.setattr("lisgraph.viz.colour.INDICATOR_HOOK",
                        "tests.test_viz_areas:ranked_values")
    districts = list(bundled.nodes_of_type("district", as_of=date(2024, 6, 1)))
    col = colour_districts(bundled, districts, date(2024, 6, 1), "indicator:code")
    assert col.fills["E06000001"] == RAMP[0] and col.fills["E09000033"] == RAMP[-1]
    assert col.title == "Colour: Code number (n), 2023"
    assert col.evidence["E06000001"][0]["value"] == "6,000,001 n"


# -- the page's data -------------------------------------------------------------------------------

def test_profiles_link_only_http_sources():
    g = KnowledgeGraph()
    g.add_source(Source("ok", "ONS", "Lookup", "https://geoportal.statistics.gov.uk/", "2021",
                        "OGL"))
    g.add_source(Source("bad", "X", "Y", "javascript:alert(1)", "2021", "OGL"))
    g.add_node(Node("E08000003", "district", "Manchester", ("ok", "bad"),
                    {"lat": 53.48, "lon": -2.24}))
    data = page_blocks(build_network(g).generate_html())["profiles"]
    assert data["nodes"]["E08000003"]["s"] == ["ok", "bad"]
    assert data["sources"]["ok"]["url"] == "https://geoportal.statistics.gov.uk/"
    assert data["sources"]["bad"]["url"] is None and safe_url("data:text/html,x") is None


def test_labels_by_importance(bundled):
    order = label_order(select(bundled))
    rank = {nid: i for i, nid in enumerate(order)}
    assert rank["E47000001"] < rank["E08000003"] < rank[next(
        n.id for n in bundled.nodes_of_type("priority"))]


def test_whole_graph_page_has_areas_and_themes(bundled):
    net = build_network(bundled, as_of=date(2025, 6, 1))
    html = net.generate_html()
    data = page_blocks(html)
    areas = data["areas"]
    drawn = {n for d in areas["districts"] for n in d["nodes"]}
    assert drawn == {n["id"] for n in net.nodes if n["type"] == "district"}
    assert "E47000001" in areas["outline"] and "E47000001" in areas["bodies"]
    assert data["meta"]["themes"] and "on 2025-06-01" in html[:2000]
    part_of = [e for e in net.edges if e["type"] == "part_of"]
    assert part_of and all(e.get("hidden") for e in part_of)  # the areas show membership
    assert "Contains OS data" in html


def test_cli_colour_by_errors_are_one_line(cli, tmp_path):
    code, _, err = cli("viz", "--colour-by", "size", "--out", str(tmp_path / "m.html"))
    assert code == 1 and "--colour-by 'size'" in err and "Traceback" not in err
    code, _, err = cli("viz", "--colour-by", "theme:no such theme", "--out",
                       str(tmp_path / "m.html"))
    assert code == 1 and "no theme matches 'no such theme'" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "m.html").exists()


@pytest.mark.slow
def test_wheel_carries_the_page_script_and_boundaries(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("lisgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"lisgraph/viz/map.js", "lisgraph/_loaders/geo/districts.json"} <= names


def test_indicator_from_the_evidence_layer(bundled):
    """Runs once lisgraph.evidence is merged: real values for GVA per hour on the map."""
    pytest.importorskip("lisgraph.evidence.bodies",
                        reason="the evidence layer (lisgraph.evidence) is not in this checkout")
    districts = list(bundled.nodes_of_type("district", as_of=date(2022, 6, 1)))
    col = colour_districts(bundled, districts, date(2022, 6, 1), "indicator:gva-per-hour")
    assert len(col.fills) > 250 and set(col.fills.values()) <= set(RAMP)
    assert "GVA per hour" in col.title and col.evidence["E08000003"][0]["value"].startswith("£")
    assert any(n.startswith("UK (K") for n in col.notes)  # the UK comparator for the period


def test_legend_gives_date_and_sources_and_areas_can_be_left_out(bundled):
    html = build_network(bundled, as_of=date(2019, 6, 1)).generate_html()
    side = html[html.index('<aside id="side"'):html.index("</aside>")]
    assert "LEP on 2019-06-01" in side and "Memberships: Office for National Statistics" in side
    assert "successor" in side and "Contains OS data" in side
    bare = page_blocks(build_network(bundled, "Greater Manchester", areas=False)
                       .generate_html())["areas"]
    assert bare["districts"] == [] and bare["bodies"] == {}


def test_palette_never_looks_like_no_value_or_land():
    from lisgraph.viz.colour import LAND, NO_VALUE

    assert NO_VALUE not in PALETTE and LAND not in PALETTE and len(set(PALETTE)) == len(PALETTE)


def test_every_link_type_has_panel_words(bundled):
    from lisgraph.viz.panel import GROUPS

    for etype in bundled.schema.edges:
        assert (etype, "out") in GROUPS and (etype, "in") in GROUPS, etype
