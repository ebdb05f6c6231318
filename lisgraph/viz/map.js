/* lisgraph's map page: areas under the network, labels that never overlap, search, filters
   and a profile panel. Data arrives only in the JSON blocks and reaches the page as text
   (textContent, never innerHTML); links are made only for http(s) addresses. */
(function () {
  "use strict";
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  // each record gets back the style its type shares (written once per type in the page)
  var styles = read("lisgraph-styles");
  function styled(records, byType) {
    records.forEach(function (r) {
      var st = byType[r.type] || {};
      Object.keys(st).forEach(function (k) { if (!(k in r)) { r[k] = st[k]; } });
    });
    return records;
  }
  var nodes = window.nodes = new vis.DataSet(styled(read("lisgraph-nodes"), styles.nodes));
  var edges = window.edges = new vis.DataSet(styled(read("lisgraph-edges"), styles.edges));
  var meta = read("lisgraph-meta");
  var areas = read("lisgraph-areas");
  var profileData = read("lisgraph-profiles");
  var profiles = profileData.nodes, sources = profileData.sources;
  var container = document.getElementById("mynetwork");
  var names = {};
  nodes.forEach(function (n) { names[n.id] = n.name; });

  // -- areas: districts (the land, coloured), bodies as unions, the selection highlighted --
  function path(polygons) {
    var p = new Path2D();
    polygons.forEach(function (rings) {
      rings.forEach(function (r) {
        var x = r[0], y = r[1];
        p.moveTo(x, y);
        for (var i = 2; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; p.lineTo(x, y); }
        p.closePath();
      });
    });
    return p;
  }
  // one path for all the land (coast and borders) and one per fill colour: a few draw calls
  // a frame instead of three per district
  var land = new Path2D(), fills = {}, areaOf = {};
  areas.districts.forEach(function (d) {
    var p = path(d.polygons), colour = d.fill || areas.land;
    land.addPath(p);
    (fills[colour] = fills[colour] || new Path2D()).addPath(p);
    d.nodes.forEach(function (id) { areaOf[id] = p; });
  });
  var fillList = Object.keys(fills).map(function (c) { return [c, fills[c]]; });
  Object.keys(areas.bodies).forEach(function (id) { areaOf[id] = path(areas.bodies[id]); });

  function visible(id) {
    var n = network.body.nodes[id];
    return n && !n.options.hidden;
  }
  function drawAreas(ctx) {
    var s = network.getScale();
    ctx.save();
    ctx.lineJoin = "round";
    // stroke, then fill: only the outer half of each stroke survives, at the coast
    if (fillList.length) {
      ctx.strokeStyle = areas.coast;
      ctx.lineWidth = 2.4 / s;
      ctx.stroke(land);
      fillList.forEach(function (f) { ctx.fillStyle = f[0]; ctx.fill(f[1], "evenodd"); });
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.lineWidth = 0.7 / s;
      ctx.stroke(land);
    }
    ctx.strokeStyle = "rgba(40, 40, 40, 0.55)";
    ctx.lineWidth = 1.4 / s;
    areas.outline.forEach(function (id) {
      if (areaOf[id] && visible(id)) { ctx.stroke(areaOf[id]); }
    });
    network.getSelectedNodes().forEach(function (id) {
      var p = areaOf[id];
      if (!p) { return; }
      ctx.fillStyle = "rgba(255, 200, 0, 0.30)";
      ctx.fill(p, "evenodd");
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2.5 / s;
      ctx.stroke(p);
    });
    ctx.restore();
  }

  // -- labels: most important first, each kept only if it overlaps no label already kept --
  var FONT = meta.label_px, MAX_LABELS = meta.max_labels;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT + "px system-ui, sans-serif";
  var widths = {};
  var placed = [];
  function placeLabels() {
    var W = container.clientWidth, H = container.clientHeight, s = network.getScale();
    var cell = 80, grid = {}, out = [], seen = {};
    var order = network.getSelectedNodes().concat(meta.order);
    for (var i = 0; i < order.length && out.length < MAX_LABELS; i++) {
      var id = order[i];
      if (seen[id]) { continue; }
      seen[id] = true;
      var n = network.body.nodes[id];
      if (!n || n.options.hidden) { continue; }
      var text = names[id];
      if (!(id in widths)) { widths[id] = measure.measureText(text).width; }
      var p = network.canvasToDOM({x: n.x, y: n.y});
      var top = p.y + (n.options.size || 10) * s + 2;
      var box = [p.x - widths[id] / 2 - 2, top, p.x + widths[id] / 2 + 2, top + FONT + 3];
      if (box[2] < 0 || box[0] > W || box[3] < 0 || box[1] > H) { continue; }
      var gx0 = Math.floor(box[0] / cell), gx1 = Math.floor(box[2] / cell);
      var gy0 = Math.floor(box[1] / cell), gy1 = Math.floor(box[3] / cell);
      var clash = false;
      for (var gx = gx0; gx <= gx1 && !clash; gx++) {
        for (var gy = gy0; gy <= gy1 && !clash; gy++) {
          var bucket = grid[gx + "," + gy] || [];
          for (var j = 0; j < bucket.length; j++) {
            var b = bucket[j];
            if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) {
              clash = true;
              break;
            }
          }
        }
      }
      if (clash) { continue; }
      for (gx = gx0; gx <= gx1; gx++) {
        for (gy = gy0; gy <= gy1; gy++) {
          (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
        }
      }
      out.push({id: id, text: text, box: box});
    }
    placed = out;
  }
  function drawLabels(ctx) {
    placeLabels();
    var s = network.getScale();
    ctx.save();
    ctx.font = (FONT / s) + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / s;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.fillStyle = "#1a1a1a";
    placed.forEach(function (l) {
      var c = network.DOMtoCanvas({x: (l.box[0] + l.box[2]) / 2, y: l.box[1] + 1.5});
      ctx.strokeText(l.text, c.x, c.y);
      ctx.fillText(l.text, c.x, c.y);
    });
    ctx.restore();
  }

  var network = window.network = new vis.Network(
    container, {nodes: nodes, edges: edges}, read("lisgraph-options"));
  network.on("beforeDrawing", drawAreas);
  network.on("afterDrawing", drawLabels);
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-rendered", String(performance.now()));
  });

  // -- profile panel ------------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  function openPanel(id) {
    var p = profiles[id];
    if (!p) { return; }
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", names[id]));
    panelBody.appendChild(el("p", (profileData.types[p.t] || p.t) + " · " + id, "kind"));
    if (p.d) { panelBody.appendChild(el("p", "valid: " + p.d, "dates")); }
    (p.f || []).forEach(function (f) {
      panelBody.appendChild(el("p", f[0] + ": " + f[1], "fact"));
    });
    if (p.e && p.e.length) {
      panelBody.appendChild(el("h3", "evidence"));
      var ev = el("ul");
      p.e.forEach(function (v) {
        ev.appendChild(el("li", v.label + ": " + v.value + " (" + v.period + "; " + v.source + ")"));
      });
      panelBody.appendChild(ev);
    }
    p.g.forEach(function (g) {
      panelBody.appendChild(el("h3", g[0]));
      var ul = el("ul");
      g[1].forEach(function (item) {
        var li = el("li");
        if (names[item[0]] !== undefined) {
          var b = el("button", names[item[0]], "go");
          b.type = "button";
          b.addEventListener("click", function () { go(item[0]); });
          li.appendChild(b);
        } else {
          li.appendChild(el("span", item[1]));
        }
        if (item[2]) { li.appendChild(el("span", " " + item[2], "period")); }
        ul.appendChild(li);
      });
      if (g[2]) { ul.appendChild(el("li", "… and " + g[2] + " more")); }
      panelBody.appendChild(ul);
    });
    if (p.s.length) {
      panelBody.appendChild(el("h3", "sources"));
      var su = el("ul");
      p.s.forEach(function (sid) {
        var s = sources[sid] || {text: sid, url: null};
        var li = el("li");
        if (s.url && /^https?:\/\//i.test(s.url)) {
          var a = el("a", s.text);
          a.href = s.url;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
          li.appendChild(a);
        } else {
          li.appendChild(el("span", s.text));
        }
        su.appendChild(li);
      });
      panelBody.appendChild(su);
    }
    panel.hidden = false;
  }
  function closePanel() {
    panel.hidden = true;
    network.unselectAll();
    network.redraw();
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { closePanel(); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) { openPanel(params.nodes[0]); }
  });

  // -- search: a name or a code; zoom to it, select it, open its profile ---------------------
  var search = document.getElementById("search");
  var searchNote = document.getElementById("search-note");
  var keys = meta.order.map(function (id) {
    return {id: id, name: names[id].toLowerCase(), code: id.toLowerCase()};
  });
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) { return null; }
    var m = /\(([^()]+)\)\s*$/.exec(q);  // "Name (code)" from the suggestions
    var tests = [
      function (k) { return m && k.code === m[1].trim(); },
      function (k) { return k.code === q || k.name === q; },
      function (k) { return k.name.indexOf(q) === 0; },
      function (k) { return k.name.indexOf(q) >= 0 || k.code.indexOf(q) === 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < keys.length; i++) { if (tests[t](keys[i])) { return keys[i].id; } }
    }
    return null;
  }
  function go(id) {
    if (!visible(id)) {
      searchNote.textContent = names[id] + " is hidden by the filters";
      return;
    }
    searchNote.textContent = "";
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), meta.focus_scale), animation: false});
    openPanel(id);
    network.redraw();
  }
  function runSearch() {
    var id = find(search.value);
    if (id === null) { searchNote.textContent = "no match"; return; }
    go(id);
  }
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { runSearch(); } });
  search.addEventListener("change", runSearch);
  var list = document.getElementById("search-list");
  meta.order.forEach(function (id) {
    var o = document.createElement("option");
    o.value = names[id] + " (" + id + ")";
    list.appendChild(o);
  });

  // -- filters: node types, link types, a theme ---------------------------------------------
  var themeSelect = document.getElementById("theme-filter");
  Object.keys(meta.themes).forEach(function (id) {
    var o = el("option", meta.themes[id].name);
    o.value = id;
    themeSelect.appendChild(o);
  });
  function checked(name) {
    var on = {};
    document.querySelectorAll("input[name=" + name + "]").forEach(function (c) {
      on[c.value] = c.checked;
    });
    return on;
  }
  function applyFilters() {
    var nodeOn = checked("node-type"), edgeOn = checked("edge-type");
    var keep = themeSelect.value ? new Set(meta.themes[themeSelect.value].nodes) : null;
    var nu = [], eu = [];
    nodes.forEach(function (n) {
      var hide = nodeOn[n.type] === false || (keep !== null && !keep.has(n.id));
      if (Boolean(n.hidden) !== hide) { nu.push({id: n.id, hidden: hide}); }
    });
    edges.forEach(function (e) {
      var hide = edgeOn[e.type] === false;
      if (Boolean(e.hidden) !== hide) { eu.push({id: e.id, hidden: hide}); }
    });
    nodes.update(nu);
    edges.update(eu);
    network.redraw();
  }
  document.querySelectorAll("input[name=node-type], input[name=edge-type]").forEach(
    function (c) { c.addEventListener("change", applyFilters); });
  themeSelect.addEventListener("change", applyFilters);

  window.lisgraph = {
    labels: function () { return placed.map(function (l) { return {id: l.id, box: l.box}; }); },
    find: find, go: go, openPanel: openPanel, applyFilters: applyFilters
  };
})();
