"""Maps opened in a real headless Chromium with the network off: they draw, count, and run
nothing from the data.

Needs Debian's chromium and chromium-driver (CI: `.ci/install-chromium.sh`) and selenium.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--window-size=1280,900"]  # port 9: nothing listens
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function (message) { window.__dialogs.push(name + ": " + message); };
}
"""
DISTRICT_BLUE = (0x4E, 0x79, 0xA7)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver not found: run .ci/install-chromium.sh "
                    "(apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="lisgraph-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_DIALOGS})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path: Path, timeout: float = 30.0) -> list[dict]:
    """Open a file URL, wait for the first drawing; return the console's SEVERE entries."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    end = time.monotonic() + timeout
    while not driver.execute_script("return document.body.hasAttribute('data-rendered')"):
        assert time.monotonic() < end, f"{path.name} did not draw within {timeout} s"
        time.sleep(0.05)
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def page_counts(driver) -> tuple[int, int]:
    return tuple(driver.execute_script(
        "return [network.body.data.nodes.length, network.body.data.edges.length]"))


def dialogs(driver) -> list[str]:
    return driver.execute_script("return window.__dialogs")


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, RGB pixels row by row) of an 8-bit RGB or RGBA non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, up_left = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [r[i:i + 3] for r in rows for i in range(0, stride, bpp)]


def network_pixels(driver) -> list[bytes]:
    """The RGB pixels of the map area (the canvas), from a half-scale screenshot."""
    import base64

    box = driver.execute_script(
        "var r = document.getElementById('mynetwork').getBoundingClientRect();"
        "return [r.left, r.top, r.width, r.height];")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": {
        "x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 0.5}})
    _, _, pixels = decode_png(base64.b64decode(shot["data"]))
    return pixels


def assert_drawn(pixels: list[bytes], colour: tuple[int, int, int] | None = None) -> None:
    colours = set(pixels)
    ink = sum(p != b"\xff\xff\xff" for p in pixels) / len(pixels)
    assert len(colours) > 20, f"only {len(colours)} colours: the map looks blank"
    assert ink > 0.005, f"only {ink:.1%} of the map is not white"
    if colour:
        near = [p for p in colours if all(abs(a - b) <= 12 for a, b in zip(p, colour, strict=True))]
        assert near, f"no pixel near {colour}: the nodes were not drawn"


# -- the harness catches what it should ----------------------------------------------------------

def test_harness_detects_script_from_markup_and_console_errors(browser, tmp_path):
    page = tmp_path / "unsafe.html"
    page.write_text("<!DOCTYPE html><body><p>unsafe</p><img src=x onerror=alert(1)>"
                    "<script>console.error('boom');"
                    "document.body.setAttribute('data-rendered', '1')</script></body>")
    errors = open_page(browser, page)
    time.sleep(0.3)  # let the broken image fail
    assert any("boom" in e["message"] for e in errors)
    assert dialogs(browser) == ["alert: 1"]


# -- pages ---------------------------------------------------------------------------------------

def test_small_map_draws_counts_and_runs_nothing_from_data(browser, tmp_path):
    from lisgraph.viz import build_network, write_map

    from .test_viz import XSS, small_graph

    g = small_graph()
    net = build_network(g, "xss-org", depth=2)  # the payload is a node, a title and a label
    page = write_map(net, tmp_path / "small.html")
    assert open_page(browser, page) == []
    assert page_counts(browser) == (net.num_nodes(), net.num_edges()) == (5, 5)
    assert browser.execute_script("return document.title") == (
        f"lisgraph: {XSS} (xss-org), depth 2, all dates (undated view)")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0

    # hover the payload node: its tooltip shows the name as text
    from selenium.webdriver.common.action_chains import ActionChains

    x, y = browser.execute_script(
        "var p = network.canvasToDOM(network.getPositions(['xss-org'])['xss-org']);"
        "var r = document.getElementById('mynetwork').getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];")
    canvas = browser.find_element("css selector", "#mynetwork canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).perform()
    deadline = time.monotonic() + 5
    tip = ""
    while XSS not in tip and time.monotonic() < deadline:
        time.sleep(0.1)
        tip = browser.execute_script(
            "var t = document.querySelector('div.vis-tooltip'); return t ? t.innerText : ''")
    assert tip.startswith(XSS + "\ncode: xss-org")
    tags = browser.execute_script(  # innerText turns line breaks into <br>, and that is all
        "return Array.from(document.querySelector('div.vis-tooltip').children, c => c.tagName)")
    assert set(tags) == {"BR"}
    assert dialogs(browser) == []
    assert_drawn(network_pixels(browser))


def test_bundled_map_in_the_browser(browser, bundled, tmp_path):
    from lisgraph.viz import build_network, write_map

    net = build_network(bundled)
    page = write_map(net, tmp_path / "england.html")
    assert open_page(browser, page) == []
    assert page_counts(browser) == (net.num_nodes(), net.num_edges())
    assert net.num_nodes() == len(bundled.nodes)
    pixels = network_pixels(browser)
    assert_drawn(pixels, DISTRICT_BLUE)
    assert dialogs(browser) == []


def test_force_layout_with_opportunities_in_the_browser(browser, bundled, tmp_path):
    from lisgraph.analysis import opportunities
    from lisgraph.viz import build_network, write_map

    net = build_network(bundled, "Greater Manchester", depth=1, layout="force",
                        highlight="opportunities")
    page = write_map(net, tmp_path / "gm.html")
    assert open_page(browser, page) == []
    assert page_counts(browser) == (net.num_nodes(), net.num_edges())
    dashed = browser.execute_script(
        "return network.body.data.edges.get({filter: function (e) { return e.dashes && "
        "e.type === 'opportunity'; }}).length")
    assert dashed == len(opportunities(bundled, place="E47000001")) > 0
    assert_drawn(network_pixels(browser), DISTRICT_BLUE)


# -- maps that read as maps: areas, labels, search, filters, panel ---------------------------------

def screenshot(driver) -> tuple[int, int, list[bytes]]:
    """(width, height, RGB pixels) of the map area at full scale."""
    import base64

    box = driver.execute_script(
        "var r = document.getElementById('mynetwork').getBoundingClientRect();"
        "return [r.left, r.top, r.width, r.height];")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": {
        "x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}})
    return decode_png(base64.b64decode(shot["data"]))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def share_near(driver, canvas_points, colour: tuple[int, int, int], tolerance: int = 10) -> float:
    """The share of canvas points whose screen pixel is within ``tolerance`` of ``colour``
    (points under a label or a node marker are left out: they are drawn over the area)."""
    width, height, pixels = screenshot(driver)
    dom = driver.execute_script(
        "return arguments[0].map(function (p) { var d = network.canvasToDOM({x: p[0], y: p[1]});"
        " return [Math.round(d.x), Math.round(d.y)]; });", [list(p) for p in canvas_points])
    covered = driver.execute_script("""
        var out = lisgraph.labels().map(function (l) { return l.box; });
        var pos = network.getPositions(), s = network.getScale();
        Object.keys(pos).forEach(function (id) {
          var n = network.body.nodes[id], p = network.canvasToDOM(pos[id]);
          if (n.options.hidden) { return; }
          var r = (n.options.size || 10) * s + 3;
          out.push([p.x - r, p.y - r, p.x + r, p.y + r]);
        });
        return out;""")
    inside = [(x, y) for x, y in dom if 0 <= x < width and 0 <= y < height
              and not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in covered)]
    assert inside, "the points are off screen"
    near = sum(all(abs(a - b) <= tolerance for a, b in zip(pixels[y * width + x], colour,
                                                            strict=True)) for x, y in inside)
    return near / len(inside)


@pytest.fixture(scope="module")
def england(browser, bundled, tmp_path_factory):
    """The default whole-graph page (as `lisgraph viz --out`), opened; its console errors."""
    from lisgraph.viz import build_network, write_map

    net = build_network(bundled)
    page = write_map(net, tmp_path_factory.mktemp("maps") / "england.html")
    return page, net


def open_england(browser, england) -> list[dict]:
    errors = open_page(browser, england[0])
    browser.execute_script("network.redraw()")
    return errors


def test_areas_are_drawn_under_the_network(browser, england):
    import shapely

    from lisgraph.viz.areas import boundaries
    from lisgraph.viz.layout import project

    from .test_viz_areas import page_blocks, shape

    assert open_england(browser, england) == []
    areas = page_blocks(england[0].read_text(encoding="utf-8"))["areas"]
    fill = next(d["fill"] for d in areas["districts"] if "E06000057" in d["nodes"])
    # points well inside Northumberland (a grid, 40 units in from its border)
    area = shape(boundaries("2024").areas["E06000057"]["polygons"]).buffer(-40)
    x0, y0, x1, y1 = area.bounds
    grid = [(x0 + (x1 - x0) * i / 12, y0 + (y1 - y0) * j / 12) for i in range(13)
            for j in range(13)]
    inside = [p for p in grid if area.contains(shapely.Point(p))]
    assert len(inside) > 20
    assert share_near(browser, inside, hex_rgb(fill)) > 0.6
    # the North Sea off Yorkshire is sea, not land: the coast is drawn
    sea = [project(54.3 + i / 10, 0.9 + j / 10) for i in range(4) for j in range(4)]
    assert share_near(browser, sea, hex_rgb("#dce8f1"), tolerance=6) > 0.6


def test_labels_do_not_overlap_at_the_default_zoom(browser, england):
    assert open_england(browser, england) == []
    labels = browser.execute_script("return lisgraph.labels()")
    width, height = browser.execute_script(
        "var c = document.getElementById('mynetwork'); return [c.clientWidth, c.clientHeight];")
    assert len(labels) >= 20
    boxes = [lb["box"] for lb in labels]
    for i, a in enumerate(boxes):
        assert a[2] > 0 and a[0] < width and a[3] > 0 and a[1] < height
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    ids = [lb["id"] for lb in labels]
    assert "E47000001" in ids  # Greater Manchester's combined authority is labelled
    # zooming in shows labels that did not fit before
    assert "E08000010" not in ids
    browser.execute_script("network.moveTo({scale: 2, "
                           "position: network.getPositions(['E08000010'])['E08000010']});")
    more = browser.execute_script("network.redraw(); return lisgraph.labels()")
    assert "E08000010" in [lb["id"] for lb in more]


def test_search_zooms_to_and_selects_a_node(browser, england):
    from selenium.webdriver.common.keys import Keys

    assert open_england(browser, england) == []
    before = browser.execute_script("return network.getScale()")
    box = browser.find_element("id", "search")
    box.send_keys("wigan" + Keys.ENTER)
    assert browser.execute_script("return network.getSelectedNodes()") == ["E08000010"]
    assert browser.execute_script("return network.getScale()") > before
    assert browser.find_element("css selector", "#panel h2").text == "Wigan"
    box.clear()
    box.send_keys("E47000001" + Keys.ENTER)  # a code works too
    assert browser.execute_script("return network.getSelectedNodes()") == ["E47000001"]
    box.clear()
    box.send_keys("no such place" + Keys.ENTER)
    assert browser.find_element("id", "search-note").text == "no match"


def test_type_and_link_toggles_hide_what_they_name(browser, england):
    assert open_england(browser, england) == []
    hidden = ("return [nodes.get({filter: function (n) { return n.hidden; }}).map(n => n.type),"
              " edges.get({filter: function (e) { return !e.hidden; }}).map(e => e.type)]")
    node_types, edge_types = browser.execute_script(hidden)
    assert node_types == [] and "part_of" not in edge_types  # hidden at first: areas show it
    browser.find_element("css selector", "input[name=node-type][value=district]").click()
    node_types, _ = browser.execute_script(hidden)
    districts = sum(1 for n in england[1].nodes if n["type"] == "district")
    assert node_types == ["district"] * districts
    assert "E08000003" not in [lb["id"] for lb in browser.execute_script(
        "network.redraw(); return lisgraph.labels()")]
    browser.find_element("css selector", "input[name=edge-type][value=part_of]").click()
    _, edge_types = browser.execute_script(hidden)
    assert "part_of" in edge_types


def test_theme_filter_keeps_the_theme_s_nodes(browser, england):
    from selenium.webdriver.support.ui import Select

    assert open_england(browser, england) == []
    select = Select(browser.find_element("id", "theme-filter"))
    theme = select.options[1].get_attribute("value")
    select.select_by_value(theme)
    shown = set(browser.execute_script(
        "return nodes.get({filter: function (n) { return !n.hidden; }}).map(n => n.id)"))
    keep = set(browser.execute_script("return JSON.parse(document.getElementById("
                                      "'lisgraph-meta').textContent).themes[arguments[0]].nodes",
                                      theme))
    assert shown == keep and theme in shown and len(shown) < len(england[1].nodes)


def test_clicking_a_node_opens_its_profile(browser, england):
    from selenium.webdriver.common.action_chains import ActionChains

    assert open_england(browser, england) == []
    # the labelled node farthest from any other, so the click cannot land on a neighbour
    nid, x, y = browser.execute_script("""
        var ids = lisgraph.labels().map(l => l.id), pos = network.getPositions();
        var best = null, gap = -1;
        ids.forEach(function (a) {
          var pa = network.canvasToDOM(pos[a]), near = Infinity;
          Object.keys(pos).forEach(function (b) {
            if (b === a) return;
            var pb = network.canvasToDOM(pos[b]);
            near = Math.min(near, Math.hypot(pa.x - pb.x, pa.y - pb.y));
          });
          if (near > gap) { gap = near; best = [a, pa.x, pa.y]; }
        });
        var r = document.getElementById('mynetwork').getBoundingClientRect();
        return [best[0], best[1] - r.width / 2, best[2] - r.height / 2];""")
    canvas = browser.find_element("css selector", "#mynetwork canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()
    name = next(n["name"] for n in england[1].nodes if n["id"] == nid)
    assert browser.find_element("css selector", "#panel h2").text == name
    assert browser.execute_script("return document.getElementById('panel').hidden") is False
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#panel a'), a => a.href)")
    assert all(h.startswith(("http://", "https://")) for h in links)
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser).send_keys(Keys.ESCAPE).perform()  # Escape closes it
    assert browser.execute_script("return document.getElementById('panel').hidden") is True


def test_panel_shows_payloads_as_text(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    from lisgraph.model import Node, Source
    from lisgraph.viz import build_network, write_map

    from .test_viz import XSS, small_graph

    g = small_graph()
    g.add_source(Source("js", "X", "<b>bold</b>", "javascript:alert(2)", "2021", "OGL"))
    g.nodes["xss-org"] = Node("xss-org", "organisation", XSS, ("s1", "js"))
    page = write_map(build_network(g, "xss-org", depth=2), tmp_path / "xss.html")
    assert open_page(browser, page) == []
    x, y = browser.execute_script(
        "var p = network.canvasToDOM(network.getPositions(['xss-org'])['xss-org']);"
        "var r = document.getElementById('mynetwork').getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];")
    canvas = browser.find_element("css selector", "#mynetwork canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()
    assert browser.execute_script("return document.querySelector('#panel h2').textContent") == XSS
    tags = browser.execute_script(
        "return Array.from(document.querySelectorAll('#panel-body *'), e => e.tagName)")
    assert "IMG" not in tags and "B" not in tags
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('#panel a'), a => a.href)")
    assert hrefs == ["https://example.org/"]  # the javascript: source is text, not a link
    assert "X, <b>bold</b> (2021)" in browser.find_element("id", "panel").text
    time.sleep(0.3)
    assert dialogs(browser) == []
