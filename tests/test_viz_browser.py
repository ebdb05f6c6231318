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
    assert browser.execute_script("return document.title") == f"lisgraph: {XSS} (xss-org), depth 2"
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
        "return network.body.data.edges.get({filter: function (e) { return e.dashes; }}).length")
    assert dashed == len(opportunities(bundled, place="E47000001")) > 0
    assert_drawn(network_pixels(browser), DISTRICT_BLUE)
