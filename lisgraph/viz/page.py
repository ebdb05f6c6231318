"""The self-contained HTML page: vis.js inlined, data as JSON, a strict CSP, atomic writes."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from functools import lru_cache
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LisgraphError

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["use_page_template", "page_data", "page_html", "write_page", "remote_references",
           "TEMPLATE_NAME"]

TEMPLATE_NAME = "lisgraph-map.html"
#: sea behind the land, and the coastline's colour
SEA, COAST = "#dce8f1", "#6d8396"
#: labels' size in screen pixels, how many at most, and the zoom a search result opens at
LABEL_PX, MAX_LABELS, FOCUS_SCALE = 12, 300, 0.9


@lru_cache(maxsize=1)
def _init_js() -> str:
    """The page's own script (lisgraph/viz/map.js): areas, labels, search, filters, panel."""
    return (files("lisgraph.viz") / "map.js").read_text(encoding="utf-8")


# Data from the graph reaches the page only as escaped text: JSON blocks through Jinja's
# `tojson` (which escapes <, >, & and '), and titles and legend through autoescaping; the
# script puts data into the page with textContent only, and tooltips are strings vis.js sets
# with innerText. The CSP lets only the two scripts below run, so even injected markup
# could run nothing and fetch nothing.
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
  html, body { margin: 0; height: 100%; overflow: hidden; font-family: system-ui, sans-serif;
               color: #222; }
  header { position: absolute; top: 0; left: 0; right: 0; height: 52px; padding: 6px 14px;
           box-sizing: border-box; border-bottom: 1px solid #ddd; background: #fafafa; }
  header h1 { margin: 0; font-size: 17px; font-weight: 600; white-space: nowrap;
              overflow: hidden; text-overflow: ellipsis; max-width: calc(100% - 360px); }
  header p { margin: 2px 0 0; font-size: 12px; color: #555; }
  #find { position: absolute; top: 9px; right: 14px; font-size: 13px; }
  #find input { width: 260px; padding: 4px 6px; font-size: 13px; }
  #search-note { display: block; font-size: 11px; color: #a33; min-height: 1em; }
  #side { position: absolute; top: 52px; left: 0; bottom: 0; width: 250px; overflow: auto;
          box-sizing: border-box; padding: 6px 12px 12px; font-size: 12px; line-height: 1.45;
          border-right: 1px solid #ddd; background: #fff; }
  #side h2 { margin: 10px 0 2px; font-size: 11px; text-transform: uppercase; color: #666; }
  #side ul { list-style: none; margin: 0; padding: 0; }
  #side label { cursor: pointer; }
  #side p { margin: 4px 0 0; color: #666; }
  #side select { width: 100%; }
  .glyph { display: inline-block; width: 1.3em; text-align: center; font-size: 14px; }
  .swatch { display: inline-block; width: 14px; height: 10px; margin-right: 5px;
            border: 1px solid #999; vertical-align: middle; }
  .line { display: inline-block; width: 22px; margin: 0 5px 3px 0; border-top: 3px solid;
          vertical-align: middle; }
  .dashed { border-top-style: dashed; }
  #mynetwork { position: absolute; top: 52px; left: 250px; right: 0; bottom: 0;
               background: {{ sea }}; }
  #panel { position: absolute; top: 62px; right: 10px; width: 320px;
           max-height: calc(100% - 80px); overflow: auto; padding: 8px 12px 12px;
           font-size: 12px; line-height: 1.45; background: rgba(255, 255, 255, 0.97);
           border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
  #panel h2 { margin: 0 24px 2px 0; font-size: 16px; }
  #panel h3 { margin: 8px 0 2px; font-size: 11px; text-transform: uppercase; color: #666; }
  #panel ul { margin: 0; padding-left: 16px; }
  #panel p { margin: 0; color: #444; }
  #panel .period { color: #777; }
  #panel button.go { border: 0; padding: 0; background: none; color: #1a5fa8;
                     cursor: pointer; font: inherit; text-align: left; }
  #panel-close { position: absolute; top: 6px; right: 8px; border: 0; background: none;
                 font-size: 18px; cursor: pointer; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 420px; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>{{ page.title }}</h1>
  <p>{{ page.subtitle }}</p>
  <div id="find"><input id="search" type="search" list="search-list"
    placeholder="Search a name or code, then Enter" aria-label="Search a name or code">
    <datalist id="search-list"></datalist><span id="search-note" role="status"></span></div>
</header>
<aside id="side" aria-label="Legend and filters">
  {% if page.colour %}<h2>{{ page.colour.title }}</h2>
  <ul id="colour-key">{% for row in page.colour.rows %}
    <li><span class="swatch" style="background: {{ row.colour }}"></span>{{ row.label }}</li>
  {%- endfor %}</ul>
  {% for note in page.colour.notes %}<p>{{ note }}</p>{% endfor %}{% endif %}
  <h2>Nodes</h2>
  <ul id="node-types">{% for row in page.legend.nodes %}
    <li><label><input type="checkbox" name="node-type" value="{{ row.type }}" checked>
      <span class="glyph" style="color: {{ row.color }}">{{ row.glyph }}</span>
      {{- row.label }}</label></li>{% endfor %}
  </ul>
  {% if page.legend.edges %}<h2>Links</h2>
  <ul id="edge-types">{% for row in page.legend.edges %}
    <li><label><input type="checkbox" name="edge-type" value="{{ row.type }}"
      {%- if not row.hidden %} checked{% endif %}>
      <span class="line{% if row.dashed %} dashed{% endif %}"
            style="border-color: {{ row.color }}"></span>{{ row.label }}</label></li>
  {%- endfor %}
  </ul>{% endif %}
  <h2>Theme</h2>
  <select id="theme-filter" aria-label="Only what concerns a theme">
    <option value="">all themes</option></select>
  {% for note in page.notes %}<p>{{ note }}</p>{% endfor %}
  {% if page.area_notes %}<h2>Areas</h2>
  {% for note in page.area_notes %}<p>{{ note }}</p>{% endfor %}{% endif %}
</aside>
<div id="mynetwork"></div>
<aside id="panel" aria-label="Profile" hidden>
  <button id="panel-close" type="button" aria-label="Close">×</button>
  <div id="panel-body"></div>
</aside>
<script type="application/json" id="lisgraph-nodes">{{ nodes|by_type(node_styles)|tojson }}</script>
<script type="application/json" id="lisgraph-edges">{{ edges|by_type(edge_styles)|tojson }}</script>
<script type="application/json" id="lisgraph-styles">{{ {"nodes": node_styles, "edges": edge_styles}|tojson }}</script>
<script type="application/json" id="lisgraph-options">{{ options|fromjson|tojson }}</script>
<script type="application/json" id="lisgraph-meta">{{ data.meta|tojson }}</script>
<script type="application/json" id="lisgraph-areas">{{ data.areas|tojson }}</script>
<script type="application/json" id="lisgraph-profiles">{{ data.profiles|tojson }}</script>
<script>{{ vis_js|safe }}</script>
<script>{{ init_js|safe }}</script>
</body>
</html>
"""


def page_data(graph: Any, view: Any, net: Network, with_areas: bool, colour_by: str | None,
              hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    """The JSON the page's script reads (meta: label order, themes; areas; profiles) and
    the legend's colour and area blocks."""
    from .panel import label_order, profiles, theme_sets

    areas: dict[str, Any] = {"districts": [], "bodies": {}, "outline": [], "land": "",
                             "coast": COAST}
    colour = None
    area_notes: list[str] = []
    evidence: dict[str, list[dict[str, str]]] = {}
    if with_areas:
        from .areas import area_layer
        from .colour import LAND, NO_VALUE, colour_districts

        layer = area_layer(graph, view.nodes, view.as_of)
        colouring = colour_districts(
            graph, [n for n in view.nodes.values() if n.type == "district"], view.as_of,
            colour_by)
        evidence = colouring.evidence
        for d in layer.districts:
            fills = [colouring.fills[n] for n in d["nodes"] if n in colouring.fills]
            areas["districts"].append({"polygons": d["polygons"], "nodes": d["nodes"],
                                       "fill": fills[0] if fills else
                                       NO_VALUE if d["nodes"] else LAND})
        areas.update(bodies=layer.bodies, land=LAND)
        outline_types = ((colouring.outline_type, "greater_london_authority")
                         if colouring.outline_type == "combined_authority"
                         else (colouring.outline_type,))
        outline = [nid for nid, n in view.nodes.items()
                   if nid in layer.bodies and (n.type in outline_types
                                               or (view.place is not None
                                                   and nid == view.place.id))]
        areas["outline"] = outline
        colour = {"title": colouring.title, "rows": colouring.keys, "notes": colouring.notes}
        area_notes = layer.notes
    meta = {"order": label_order(view), "themes": theme_sets(graph, view),
            "label_px": LABEL_PX, "max_labels": MAX_LABELS, "focus_scale": FOCUS_SCALE,
            "hidden_edge_types": list(hidden)}
    return {"meta": meta, "areas": areas, "profiles": profiles(graph, view, evidence),
            "colour": colour, "area_notes": area_notes}


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


def _type_styles(records: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """The style every record of a type shares (node: colour and shape; edge: colour, width
    and dashes), written once per type instead of once per record."""
    from .style import edge_style, node_style

    out: dict[str, dict[str, Any]] = {}
    for t in sorted({str(r.get("type")) for r in records}):
        if kind == "node":
            st = node_style(t)
            out[t] = {"color": st.color, "shape": st.shape}
        else:
            es = edge_style(t)
            out[t] = {"color": es.color, "width": es.width,
                      "dashes": list(es.dashes) if es.dashes else False}
    return out


def _by_type(records: list[dict[str, Any]],
             styles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without the style keys their type gives (the page's script puts them back)."""
    out = []
    for r in records:
        shared = styles.get(str(r.get("type")), {})
        out.append({k: v for k, v in r.items() if k not in shared or shared[k] != v})
    return out


def use_page_template(net: Network, title: str, subtitle: str, legend: dict[str, Any],
                      notes: list[str], data: dict[str, Any] | None = None) -> None:
    """Make ``net.generate_html()`` and pyvis' notebook display (``net.show(name)``) produce
    lisgraph's page."""
    import json

    from jinja2 import ChoiceLoader, DictLoader, Environment

    vis_js, vis_css = _vis_assets()
    init_js = _init_js()
    data = data or {"meta": {"order": [n["id"] for n in net.nodes], "themes": {},
                             "label_px": LABEL_PX, "max_labels": MAX_LABELS,
                             "focus_scale": FOCUS_SCALE, "hidden_edge_types": []},
                    "areas": {"districts": [], "bodies": {}, "outline": [], "land": "",
                              "coast": COAST},
                    "profiles": {}, "colour": None, "area_notes": []}
    loader = ChoiceLoader([DictLoader({TEMPLATE_NAME: _PAGE}), net.templateEnv.loader])
    env = Environment(loader=loader, autoescape=True)
    env.filters["fromjson"] = json.loads
    env.filters["by_type"] = _by_type
    env.globals.update(
        page={"title": title, "subtitle": subtitle, "legend": legend, "notes": notes,
              "colour": data["colour"], "area_notes": data["area_notes"]},
        data=data, sea=SEA, node_styles=_type_styles(net.nodes, "node"),
        edge_styles=_type_styles(net.edges, "edge"), vis_js=vis_js, vis_css=vis_css, init_js=init_js,
        csp=_csp((vis_js, init_js)))
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
    """Write ``html`` to ``out`` through :func:`lisgraph.files.atomic_write`: a regular file is
    replaced atomically, links, devices, FIFOs and folders are refused, temporary files are
    cleaned on every exit path and every write failure is one line. Text that is not valid
    Unicode (bytes of a non-UTF-8 file name) is written as ``\\xNN``.

    Nothing else is written: no lib/ folder, nothing in the working directory.
    """
    from ..files import atomic_write
    from ..output import utf8_safe

    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm"):
        raise LisgraphError(f"{path}: the output must be an .html file")
    data = utf8_safe(html).encode("utf-8")
    with atomic_write(path) as fh:
        fh.write(data)
    return path
