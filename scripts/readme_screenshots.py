"""Write the README's two map screenshots (docs/img/*.png) from the bundled graph.

Usage: python scripts/readme_screenshots.py [--out docs/img]

1. map-england.png: the whole country on 2023-06-01, districts coloured by GVA per hour
   worked (``--colour-by indicator:gva-per-hour``, from the evidence layer).
2. map-place.png: Greater Manchester's neighbourhood (depth 1) on 2020-01-01 with its
   collaboration opportunities, the combined authority selected (its area highlighted and
   its profile open).

Pages are opened in headless Chromium with the network off (chromium and chromedriver:
.ci/install-chromium.sh; selenium). Screenshots are reduced to a 256-colour palette with
Pillow (``pip install ".[screenshots]"``; only this script needs it). Each PNG must stay under 300 KB:
the script says so and exits 1 if one does not.
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_BYTES = 300_000
DAY = date(2020, 1, 1)
WINDOW = (1200, 760)


def shoot(driver, page: Path, out: Path, script: str = "") -> int:
    driver.get(page.resolve().as_uri())
    end = time.monotonic() + 60
    while not driver.execute_script("return document.body.hasAttribute('data-rendered')"):
        if time.monotonic() > end:
            raise SystemExit(f"{page.name} did not draw within 60 s")
        time.sleep(0.05)
    if script:
        driver.execute_script(script)
        time.sleep(0.3)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    return write_png(base64.b64decode(shot["data"]), out)


def write_png(data: bytes, out: Path) -> int:
    """Save a screenshot as a 256-colour palette PNG; return its size in bytes."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = ap.parse_args()

    from benchmarks.viz import chromium
    from lisgraph import load_graph
    from lisgraph.viz import build_network, write_map

    graph = load_graph()
    args.out.mkdir(parents=True, exist_ok=True)
    too_big = []
    with tempfile.TemporaryDirectory(prefix="lisgraph-shots-") as tmp:
        work = Path(tmp)
        england = write_map(build_network(graph, as_of=date(2023, 6, 1),
                                          colour_by="indicator:gva-per-hour"),
                            work / "england.html")
        place = write_map(build_network(graph, "Greater Manchester", depth=1, as_of=DAY,
                                        highlight="opportunities"), work / "place.html")
        with chromium(work / "profile") as driver:
            driver.set_window_size(*WINDOW)
            for page, name, script in (
                    (england, "map-england.png", ""),
                    (place, "map-place.png", "lisgraph.go('E47000001'); network.fit({nodes: "
                     "network.body.data.nodes.getIds(), animation: false}); network.redraw();")):
                size = shoot(driver, page, args.out / name, script)
                print(f"wrote {(args.out / name).relative_to(ROOT)} ({size / 1000:.0f} kB)",
                      file=sys.stderr)
                if size > MAX_BYTES:
                    too_big.append(name)
    if too_big:
        print(f"Error: {', '.join(too_big)} over {MAX_BYTES // 1000} kB: make WINDOW smaller",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
