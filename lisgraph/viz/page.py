"""The self-contained HTML page: vis.js inlined, data as JSON, a strict CSP, atomic writes."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from functools import lru_cache
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LisgraphError

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["use_page_template", "page_html", "write_page", "remote_references", "INIT_JS",
           "TEMPLATE_NAME"]

TEMPLATE_NAME = "lisgraph-map.html"

#: draws the network from the JSON blocks; `network`, `nodes` and `edges` are globals as in
#: pyvis' own pages. The body gets data-rendered once the first frame is drawn.
INIT_JS = """
(function () {
  "use strict";
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  window.nodes = new vis.DataSet(read("lisgraph-nodes"));
  window.edges = new vis.DataSet(read("lisgraph-edges"));
  var container = document.getElementById("mynetwork");
  window.network = new vis.Network(container, {nodes: window.nodes, edges: window.edges},
                                   read("lisgraph-options"));
  window.network.once("afterDrawing", function () {
    document.body.setAttribute("data-rendered", String(performance.now()));
  });
})();
"""

# Data from the graph reaches the page only as escaped text: JSON blocks through Jinja's
# `tojson` (which escapes <, >, & and '), and titles and legend through autoescaping.
# vis.js sets string tooltips with innerText. The CSP lets only the two scripts below run,
# so even injected markup could run nothing and fetch nothing.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lisgraph">
<title>{{ page.title }}</title>
<style>{{ vis_css|safe }}</style>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; }
  header { position: absolute; top: 0; left: 0; right: 0; height: 52px; padding: 6px 14px;
           box-sizing: border-box; border-bottom: 1px solid #ddd; background: #fafafa; }
  header h1 { margin: 0; font-size: 18px; font-weight: 600; }
  header p { margin: 2px 0 0; font-size: 12px; color: #555; }
  #mynetwork { position: absolute; top: 52px; left: 0; right: 0; bottom: 0;
               background: {{ bgcolor }}; }
  #legend { position: absolute; top: 62px; right: 10px; max-height: calc(100% - 80px);
            overflow: auto; padding: 8px 12px; font-size: 12px; line-height: 1.5;
            background: rgba(255, 255, 255, 0.92); border: 1px solid #ccc; border-radius: 4px; }
  #legend h2 { margin: 4px 0 2px; font-size: 12px; text-transform: uppercase; color: #666; }
  #legend ul { list-style: none; margin: 0; padding: 0; }
  #legend .glyph { display: inline-block; width: 1.4em; text-align: center; font-size: 14px; }
  #legend .line { display: inline-block; width: 22px; margin: 0 6px 3px 0;
                  border-top: 3px solid; vertical-align: middle; }
  #legend .dashed { border-top-style: dashed; }
  #legend p { margin: 6px 0 0; color: #666; max-width: 220px; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 420px; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>{{ page.title }}</h1>
  <p>{{ page.subtitle }}</p>
</header>
<div id="mynetwork"></div>
<aside id="legend" aria-label="Legend">
  <h2>Nodes</h2>
  <ul>{% for row in page.legend.nodes %}
    <li><span class="glyph" style="color: {{ row.color }}">{{ row.glyph }}</span>
        {{- row.label }}</li>{% endfor %}
  </ul>
  {% if page.legend.edges %}<h2>Links</h2>
  <ul>{% for row in page.legend.edges %}
    <li><span class="line{% if row.dashed %} dashed{% endif %}"
              style="border-color: {{ row.color }}"></span>{{ row.label }}</li>{% endfor %}
  </ul>{% endif %}
  {% for note in page.notes %}<p>{{ note }}</p>{% endfor %}
</aside>
<script type="application/json" id="lisgraph-nodes">{{ nodes|tojson }}</script>
<script type="application/json" id="lisgraph-edges">{{ edges|tojson }}</script>
<script type="application/json" id="lisgraph-options">{{ options|fromjson|tojson }}</script>
<script>{{ vis_js|safe }}</script>
<script>{{ init_js|safe }}</script>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as bundled with pyvis (newest version there)."""
    lib = files("pyvis") / "templates" / "lib"
    versions = sorted((d for d in lib.iterdir() if d.name.startswith("vis-")),
                      key=lambda d: [int(x) for x in re.findall(r"\d+", d.name)])
    if not versions:
        raise LisgraphError("pyvis' bundled vis-network was not found: reinstall 'lisgraph[viz]'")
    js = (versions[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    css = (versions[-1] / "vis-network.css").read_text(encoding="utf-8")
    # a source-map comment would make developer tools fetch a file the page does not have
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    return js, css


def _csp(scripts: tuple[str, ...]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
            "form-action 'none'")


def use_page_template(net: Network, title: str, subtitle: str, legend: dict[str, Any],
                      notes: list[str]) -> None:
    """Make ``net.generate_html()`` and pyvis' notebook display (``net.show(name)``) produce
    lisgraph's page."""
    import json

    from jinja2 import ChoiceLoader, DictLoader, Environment

    vis_js, vis_css = _vis_assets()
    loader = ChoiceLoader([DictLoader({TEMPLATE_NAME: _PAGE}), net.templateEnv.loader])
    env = Environment(loader=loader, autoescape=True)
    env.filters["fromjson"] = json.loads
    env.globals.update(
        page={"title": title, "subtitle": subtitle, "legend": legend, "notes": notes},
        vis_js=vis_js, vis_css=vis_css, init_js=INIT_JS, csp=_csp((vis_js, INIT_JS)))
    net.templateEnv = env
    net.path = TEMPLATE_NAME
    net.template = env.get_template(TEMPLATE_NAME)  # what pyvis renders for notebooks
    net.heading = title


def page_html(net: Network) -> str:
    """The page as a string; raises if it would need the network (a guard against regressions)."""
    html = net.generate_html()
    remote = remote_references(html)
    if remote:
        raise LisgraphError(f"the page would load {remote[0]} from the network; this is a bug")
    return html


_CSS_URL = re.compile(r"""url\(\s*['"]?(?!data:)([^'")\s]+)|@import\s+['"]([^'"]+)""")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if not value:
                continue
            if name in ("src", "href", "srcset", "data", "poster", "action"):
                if not value.startswith(("data:", "#")):
                    self.found.append(f"<{tag} {name}={value}>")
            elif name == "style":
                self._css(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        self.found += [f"url({a or b})" for a, b in _CSS_URL.findall(text)]


def remote_references(html: str) -> list[str]:
    """What a page would fetch: src/href attributes, and CSS url()/@import other than data:.

    >>> remote_references('<script src="https://cdn.example/vis.js"></script><p>ok</p>')
    ['<script src=https://cdn.example/vis.js>']
    >>> remote_references('<style>a { background: url("data:image/png;base64,AA") }</style>')
    []
    >>> remote_references('<div style="background: url(//x.example/a.png)"></div>')
    ['url(//x.example/a.png)']
    """
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found


def write_page(html: str, out: str | os.PathLike[str]) -> Path:
    """Write ``html`` to ``out`` atomically (a temporary file beside it, then a rename).

    Nothing else is written: no lib/ folder, nothing in the working directory.
    """
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm"):
        raise LisgraphError(f"{path}: the output must be an .html file")
    if not path.parent.is_dir():
        raise LisgraphError(f"{path.parent}: no such folder — create it or choose another --out")
    if path.is_dir():
        raise LisgraphError(f"{path} is a folder — give a file name ending in .html")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LisgraphError(f"{path}: cannot write the page ({exc.strerror or exc})") from None
    return path
