// claimgraph explorer: the side panel, search, filters and in-page trace of
// an `export --format html` page. Plain JavaScript, no framework, no network.
// Every string from the graph is put in the page with textContent, never as
// markup, and only http(s) links are ever written.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("claimgraph-data").textContent);
  var entities = new Map(data.entities.map(function (e) { return [e.id, e]; }));
  var claims = new Map(data.claims.map(function (c) { return [c.id, c]; }));
  var references = new Map(data.references.map(function (r) { return [r.n, r]; }));
  var levelLabel = new Map(data.levels.map(function (l) { return [l.rank, l.label]; }));
  var svg = document.querySelector("#diagram svg");
  var details = document.getElementById("details");
  var nodeEls = new Map();
  svg.querySelectorAll("[data-entity]").forEach(function (g) { nodeEls.set(g.getAttribute("data-entity"), g); });
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll("[data-claims]"));

  // ---- small helpers -------------------------------------------------------

  /** An element with text children (strings become text nodes, never markup). */
  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A link when `url` is http(s), else plain text. */
  function link(url, text) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return document.createTextNode(text);
    var a = el("a", null, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function entityName(id) {
    var e = entities.get(id);
    return e ? e.name : id;
  }

  function sentence(c) {
    return (c.negated ? "NOT: " : "") + entityName(c.subject) + " " + c.words + " " + entityName(c.object);
  }

  function signWord(sign) {
    return sign === "+" ? "+ (increases)" : sign === "-" ? "− (decreases)" : "no causal sign";
  }

  // ---- pan and zoom (svg-pan-zoom) -------------------------------------------

  var panZoom = svgPanZoom(svg, {
    zoomEnabled: true,
    controlIconsEnabled: false,
    dblClickZoomEnabled: false,
    fit: true,
    center: true,
    minZoom: 0.05,
    maxZoom: 50,
    zoomScaleSensitivity: 0.3,
  });
  document.getElementById("zoom-in").addEventListener("click", function () { panZoom.zoomIn(); });
  document.getElementById("zoom-out").addEventListener("click", function () { panZoom.zoomOut(); });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    panZoom.resize();
    panZoom.fit();
    panZoom.center();
  });
  window.addEventListener("resize", function () { panZoom.resize(); });

  // Focusing a node or edge with Tab would scroll the diagram's box to it;
  // pan there instead, so the drawing stays where svg-pan-zoom put it.
  var diagram = document.getElementById("diagram");
  diagram.addEventListener("scroll", function () {
    diagram.scrollTop = 0;
    diagram.scrollLeft = 0;
  });
  svg.addEventListener("focusin", function (event) {
    var g = event.target.closest("[data-claims], [data-entity]");
    if (!g) return;
    var r = g.getBoundingClientRect();
    var view = svg.getBoundingClientRect();
    if (r.left < view.left || r.right > view.right || r.top < view.top || r.bottom > view.bottom) centreOn([g]);
  });

  /**
   * Pan so that the middle of `elements` sits in the middle of the view.
   * Positions are taken in the pan-zoom viewport's own coordinates (the
   * library applies pans on the next animation frame, so on-screen boxes
   * may lag behind its state), then turned into a pan at the current zoom.
   */
  function centreOn(elements) {
    if (!elements.length) return;
    var viewport = svg.querySelector(".svg-pan-zoom_viewport");
    var toViewport = viewport.getCTM().inverse();
    var box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    elements.forEach(function (g) {
      var b = g.getBBox();
      var m = toViewport.multiply(g.getCTM());
      [[b.x, b.y], [b.x + b.width, b.y + b.height]].forEach(function (corner) {
        var p = svg.createSVGPoint();
        p.x = corner[0];
        p.y = corner[1];
        p = p.matrixTransform(m);
        box.left = Math.min(box.left, p.x);
        box.top = Math.min(box.top, p.y);
        box.right = Math.max(box.right, p.x);
        box.bottom = Math.max(box.bottom, p.y);
      });
    });
    var sizes = panZoom.getSizes();
    panZoom.pan({
      x: sizes.width / 2 - ((box.left + box.right) / 2) * sizes.realZoom,
      y: sizes.height / 2 - ((box.top + box.bottom) / 2) * sizes.realZoom,
    });
  }

  // ---- the side panel --------------------------------------------------------

  var sidebar = document.getElementById("sidebar");

  /** Scroll the side bar (not the page) to the panel's top and focus it. */
  function reveal() {
    sidebar.scrollTop = details.offsetTop - sidebar.offsetTop;
    details.focus({ preventScroll: true });
  }

  function showClaims(ids, heading) {
    details.textContent = "";
    details.appendChild(el("h2", null, heading));
    ids.forEach(function (id) {
      var c = claims.get(id);
      if (c) details.appendChild(claimBlock(c));
    });
    reveal();
  }

  function claimBlock(c) {
    var block = el("article", "claim" + (c.negated ? " negated" : "") + (c.contested ? " contested" : ""));
    block.setAttribute("data-claim", c.id);
    block.appendChild(el("h3", null, sentence(c)));
    var facts = el("dl", "facts");
    function fact(name, value) {
      if (value === null || value === undefined || value === "") return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    }
    fact("claim", c.id);
    fact("sign", c.negated ? "negated (reported no effect)" : signWord(c.sign) + ", " + c["class"]);
    fact("certainty", c.certainty || "not stated");
    fact("best evidence", c.best === null ? "unknown" : levelLabel.get(c.best));
    fact("note", c.note);
    block.appendChild(facts);
    var against = conflictsOf(c);
    if (against.length) {
      var list = el("ul", "conflicts");
      against.forEach(function (id) {
        var other = claims.get(id);
        var button = el("button", "linklike", other ? sentence(other) : id);
        button.type = "button";
        button.addEventListener("click", function () { showClaims([id], "Conflicting claim"); });
        list.appendChild(el("li", null, "✗ ", button));
      });
      block.appendChild(el("p", "conflict-head", "Conflicts with:"));
      block.appendChild(list);
    }
    var evidence = el("ol", "evidence");
    c.evidence.forEach(function (ev) { evidence.appendChild(evidenceItem(ev)); });
    block.appendChild(evidence);
    return block;
  }

  /** The claims on the other side of the claim's conflict (each conflict is stored once). */
  function conflictsOf(c) {
    if (c.conflict === null || c.conflict === undefined) return [];
    var sides = data.conflicts[c.conflict];
    return sides[0].indexOf(c.id) !== -1 ? sides[1] : sides[0];
  }

  function evidenceItem(ev) {
    var item = el("li");
    var context = [ev.study, ev.species, ev.model, ev.tissue, ev.condition].filter(Boolean).join(" · ");
    item.appendChild(el("p", "context", context));
    if (ev.summary) item.appendChild(el("p", "summary", ev.summary));
    if (ev.quote) item.appendChild(el("blockquote", null, "“" + ev.quote + "”"));
    if (ev.locator) item.appendChild(el("p", "locator", "at " + ev.locator));
    var r = references.get(ev.ref);
    if (r) {
      var cite = el("p", "citation", "[" + r.n + "] " + r.citation + " ");
      if (r.link) cite.appendChild(link(r.link, r.link));
      item.appendChild(cite);
    } else {
      item.appendChild(el("p", "citation", ev.key));
    }
    return item;
  }

  function showEntity(id) {
    var e = entities.get(id);
    if (!e) return;
    details.textContent = "";
    details.appendChild(el("h2", null, e.name));
    details.appendChild(el("p", "kind", e.kind + " · " + e.id));
    if (e.aliases.length) details.appendChild(el("p", null, "Also: " + e.aliases.join(", ")));
    if (e.description) details.appendChild(el("p", "description", e.description));
    if (e.xrefs.length) {
      var xrefs = el("p", "xrefs", "Cross-references: ");
      e.xrefs.forEach(function (x, i) {
        if (i) xrefs.appendChild(document.createTextNode(", "));
        xrefs.appendChild(link(x.link, x.id));
      });
      details.appendChild(xrefs);
    }
    [["Claims out", "subject"], ["Claims in", "object"]].forEach(function (pair) {
      var mine = data.claims.filter(function (c) { return c[pair[1]] === id; });
      if (!mine.length) return;
      details.appendChild(el("h3", null, pair[0] + " (" + mine.length + ")"));
      var list = el("ul", "claim-list");
      mine.forEach(function (c) {
        var button = el("button", "linklike", sentence(c) + " [" + c.refs.join(",") + "]");
        button.type = "button";
        button.addEventListener("click", function () { showClaims([c.id], "Claim"); });
        list.appendChild(el("li", null, button));
      });
      details.appendChild(list);
    });
    reveal();
  }

  function activate(g) {
    if (g.hasAttribute("data-claims")) {
      var ids = g.getAttribute("data-claims").split(" ");
      var first = claims.get(ids[0]);
      var heading = first ? entityName(first.subject) + " → " + entityName(first.object) : "Edge";
      showClaims(ids, heading);
    } else if (g.hasAttribute("data-entity")) {
      showEntity(g.getAttribute("data-entity"));
    }
  }

  svg.addEventListener("click", function (event) {
    var g = event.target.closest("[data-claims], [data-entity]");
    if (!g) return;
    event.preventDefault();
    activate(g);
  });
  svg.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var g = event.target.closest("[data-claims], [data-entity]");
    if (!g) return;
    event.preventDefault();
    activate(g);
  });

  // ---- search ----------------------------------------------------------------

  var datalist = document.getElementById("entity-names");
  data.entities.forEach(function (e) {
    var option = document.createElement("option");
    option.value = e.name;
    datalist.appendChild(option);
  });

  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    return data.entities.filter(function (e) {
      return [e.id, e.name].concat(e.aliases).some(function (s) { return s.toLowerCase().indexOf(q) !== -1; });
    });
  }

  document.getElementById("search").addEventListener("input", function (event) {
    nodeEls.forEach(function (g) { g.classList.remove("match"); });
    var found = matches(event.target.value).map(function (e) { return nodeEls.get(e.id); }).filter(Boolean);
    found.forEach(function (g) { g.classList.add("match"); });
    centreOn(found);
  });

  // ---- filters ---------------------------------------------------------------

  var minEvidence = document.getElementById("min-evidence");
  data.levels.slice().reverse().forEach(function (l) {
    var option = document.createElement("option");
    option.value = String(l.rank);
    option.textContent = l.label;
    minEvidence.appendChild(option);
  });
  var hideContested = document.getElementById("hide-contested");
  var hideNegated = document.getElementById("hide-negated");
  var signFilter = document.getElementById("sign-filter");

  /** The claim filter a trace uses: evidence level and contested. */
  function traceFilter() {
    var min = minEvidence.value === "" ? null : Number(minEvidence.value);
    return function (c) {
      return !c.negated && (min === null || (c.best !== null && c.best >= min)) && !(hideContested.checked && c.contested);
    };
  }

  /** Whether a claim stays visible under every filter. */
  function shown(c) {
    var base = traceFilter();
    if (!c.negated && !base(c)) return false;
    if (c.negated && hideNegated.checked) return false;
    if (c.negated && hideContested.checked && c.contested) return false;
    if (c.negated && minEvidence.value !== "" && (c.best === null || c.best < Number(minEvidence.value))) return false;
    var sign = signFilter.value;
    if (sign === "none" && c.sign !== null) return false;
    if ((sign === "+" || sign === "-") && c.sign !== sign) return false;
    return true;
  }

  function applyFilters() {
    var touched = new Set();
    edgeEls.forEach(function (g) {
      var ids = g.getAttribute("data-claims").split(" ");
      var visible = ids.some(function (id) { var c = claims.get(id); return c && shown(c); });
      g.classList.toggle("filtered", !visible);
      if (visible) {
        var c = claims.get(ids[0]);
        touched.add(c.subject);
        touched.add(c.object);
      }
    });
    var active = minEvidence.value !== "" || hideContested.checked || hideNegated.checked || signFilter.value !== "";
    nodeEls.forEach(function (g, id) { g.classList.toggle("filtered", active && !touched.has(id)); });
  }
  [minEvidence, hideContested, hideNegated, signFilter].forEach(function (input) {
    input.addEventListener("change", applyFilters);
  });

  // ---- trace in the page -----------------------------------------------------
  // The same semantics as `claimgraph trace` with its defaults (6 hops, 20
  // paths): simple paths along claim direction over hops (entity pairs)
  // carried by non-negated claims that pass the filters, found length by
  // length and ranked by fewest hops, staying in one context, strongest
  // weakest link, more references, then entity ids; the search stops once it
  // holds more than 20 paths, and paths that cross contexts are listed after
  // the others. A hop's context (species, tissue, condition) is what the
  // evidence of its carrying claims names; the export worked out which values
  // are compatible (data.contexts), the page applies the carry-forward rule
  // of src/query/context.rs: a hop naming nothing keeps the values in force,
  // a hop whose values share no compatible pair with them is a crossing.

  var MAX_HOPS = 6;
  var LIMIT = 20;
  var BUDGET = 2000000;
  var pairs = new Map(); // "subject\u0000object" -> claims
  data.claims.forEach(function (c) {
    var key = c.subject + "\u0000" + c.object;
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(c);
  });

  function orNone(x) { return x === null || x === undefined ? -1 : x; }

  /** The hop rule: which claim leads a hop, its sign and evidence, or null. */
  function hop(subject, object, passes) {
    var passing = (pairs.get(subject + "\u0000" + object) || []).filter(passes);
    if (!passing.length) return null;
    function key(c) {
      return [c.sign !== null ? 1 : 0, c.contested ? 0 : 1, orNone(c.best), orNone(c.certainty_rank), c.refs.length];
    }
    var lead = passing.reduce(function (best, c) {
      var a = key(c), b = key(best);
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i] ? c : best;
      return c.id < best.id ? c : best;
    });
    var carrying = passing.filter(function (c) { return c.sign === null || c.sign === lead.sign; });
    var refs = new Set();
    carrying.forEach(function (c) { c.refs.forEach(function (r) { refs.add(r); }); });
    var best = carrying.reduce(function (m, c) { return Math.max(m, orNone(c.best)); }, -1);
    return {
      subject: subject, object: object, sign: lead.sign, best: best, contested: lead.contested,
      claims: carrying, refs: refs, context: hopContext(carrying),
    };
  }

  var FIELDS = ["species", "tissue", "condition"];

  /** Per field, the distinct context values the carrying claims' evidence names. */
  function hopContext(carrying) {
    return FIELDS.map(function (_, f) {
      var values = new Set();
      carrying.forEach(function (c) { if (c.context) c.context[f].forEach(function (v) { values.add(v); }); });
      return Array.from(values).sort(function (a, b) { return a - b; });
    });
  }

  function compatibleSets(a, b) {
    return a.some(function (x) { return b.some(function (y) { return data.contexts[x].compatible.indexOf(y) !== -1; }); });
  }

  /** Where the path moves between incompatible contexts, field by field, in hop order. */
  function contextChanges(hops) {
    var changes = [];
    FIELDS.forEach(function (field, f) {
      var inForce = null;
      hops.forEach(function (h, i) {
        var now = h.context[f];
        if (!now.length) return;
        if (inForce !== null && !compatibleSets(hops[inForce].context[f], now)) {
          changes.push({ field: field, at: hops[i - 1].object, from: labels(hops[inForce].context[f]), to: labels(now) });
        }
        inForce = i;
      });
    });
    return changes;
  }

  function labels(values) {
    return values.map(function (v) { return data.contexts[v].label; });
  }

  function tracePaths(from, to, passes) {
    var out = new Map();
    var into = new Map();
    pairs.forEach(function (list, key) {
      if (!list.some(passes)) return;
      var parts = key.split("\u0000");
      if (!out.has(parts[0])) out.set(parts[0], []);
      out.get(parts[0]).push(parts[1]);
      if (!into.has(parts[1])) into.set(parts[1], []);
      into.get(parts[1]).push(parts[0]);
    });
    // Hops from each entity to TO, never through FROM: a lower bound that
    // prunes branches which cannot arrive in time.
    var dist = new Map([[to, 0]]);
    var queue = [to];
    while (queue.length) {
      var v = queue.shift();
      if (v === from) continue;
      (into.get(v) || []).forEach(function (u) {
        if (!dist.has(u)) { dist.set(u, dist.get(v) + 1); queue.push(u); }
      });
    }
    var kept = [];
    var found = 0;
    var work = { left: BUDGET };
    var truncated = false;
    if (!dist.has(from)) return { paths: kept, truncated: false };
    for (var length = dist.get(from); length <= MAX_HOPS; length++) {
      var layer = [];
      var onPath = new Set([from]);
      var stack = [from];
      var exhausted = !walk(from, length, onPath, stack, layer, out, dist, to, work);
      layer.forEach(function (nodes) { nodes.hops = hopsOf(nodes, passes); });
      layer.sort(compare);
      found += layer.length;
      kept = kept.concat(layer.slice(0, Math.max(0, LIMIT - kept.length)));
      if (exhausted || found > LIMIT) { truncated = true; break; }
    }
    // Paths that stay in one context first, each group in rank order (a stable sort).
    kept.sort(function (a, b) { return a.crosses - b.crosses; });
    return { paths: kept.map(describe), truncated: truncated };
  }

  /** Depth-first: every simple path of exactly `length` hops; false when the budget ran out. */
  function walk(v, left, onPath, stack, layer, out, dist, to, work) {
    if (left === 0) {
      if (v === to) layer.push({ nodes: stack.slice() });
      return true;
    }
    var next = out.get(v) || [];
    for (var i = 0; i < next.length; i++) {
      if (--work.left < 0) return false;
      var w = next[i];
      if (onPath.has(w) || !dist.has(w) || dist.get(w) > left - 1) continue;
      if (w === to && left !== 1) continue;
      onPath.add(w);
      stack.push(w);
      var ok = walk(w, left - 1, onPath, stack, layer, out, dist, to, work);
      stack.pop();
      onPath.delete(w);
      if (!ok) return false;
    }
    return true;
  }

  function hopsOf(path, passes) {
    var hops = [];
    for (var i = 0; i + 1 < path.nodes.length; i++) hops.push(hop(path.nodes[i], path.nodes[i + 1], passes));
    var refs = new Set();
    hops.forEach(function (h) { h.refs.forEach(function (r) { refs.add(r); }); });
    path.weakest = hops.reduce(function (m, h) { return Math.min(m, h.best); }, Infinity);
    path.referenceCount = refs.size;
    path.changes = contextChanges(hops);
    path.crosses = path.changes.length ? 1 : 0;
    return hops;
  }

  function compare(a, b) {
    if (a.crosses !== b.crosses) return a.crosses - b.crosses;
    if (a.weakest !== b.weakest) return b.weakest - a.weakest;
    if (a.referenceCount !== b.referenceCount) return b.referenceCount - a.referenceCount;
    for (var i = 0; i < a.nodes.length; i++) {
      if (a.nodes[i] !== b.nodes[i]) return a.nodes[i] < b.nodes[i] ? -1 : 1;
    }
    return 0;
  }

  function describe(path) {
    var sign = "+";
    path.hops.forEach(function (h) {
      if (sign === null || h.sign === null) sign = null;
      else if (h.sign === "-") sign = sign === "+" ? "-" : "+";
    });
    return {
      nodes: path.nodes,
      hops: path.hops,
      sign: sign,
      weakest: path.weakest < 0 ? "unknown" : levelLabel.get(path.weakest),
      contested: path.hops.some(function (h) { return h.contested; }),
      references: path.referenceCount,
      changes: path.changes,
    };
  }

  /** An entity by id, name or alias (case-insensitive), or an error message. */
  function resolve(query) {
    var q = query.trim();
    if (entities.has(q)) return { id: q };
    var lower = q.toLowerCase();
    var found = data.entities.filter(function (e) {
      return [e.id, e.name].concat(e.aliases).some(function (s) { return s.toLowerCase() === lower; });
    });
    if (found.length === 1) return { id: found[0].id };
    if (found.length > 1) return { error: "“" + q + "” is ambiguous: " + found.map(function (e) { return e.id; }).join(", ") };
    var near = matches(q).slice(0, 3).map(function (e) { return e.name; });
    return { error: "no entity “" + q + "” in this picture" + (near.length ? "; did you mean " + near.join(", ") + "?" : "") };
  }

  var results = document.getElementById("trace-results");

  function clearTrace() {
    results.textContent = "";
    svg.classList.remove("tracing");
    svg.querySelectorAll(".on-path").forEach(function (g) { g.classList.remove("on-path"); });
  }

  function highlight(paths) {
    svg.querySelectorAll(".on-path").forEach(function (g) { g.classList.remove("on-path"); });
    svg.classList.add("tracing");
    paths.forEach(function (p) {
      p.nodes.forEach(function (id) { var g = nodeEls.get(id); if (g) g.classList.add("on-path"); });
      p.hops.forEach(function (h) {
        h.claims.forEach(function (c) {
          var g = c.edge && document.getElementById(c.edge);
          if (g) g.classList.add("on-path");
        });
      });
    });
  }

  function runTrace(event) {
    event.preventDefault();
    clearTrace();
    var from = resolve(document.getElementById("trace-from").value);
    var to = resolve(document.getElementById("trace-to").value);
    var problem = from.error || to.error || (from.id === to.id ? "FROM and TO are the same entity" : null);
    if (problem) {
      results.appendChild(el("p", "error", problem));
      return;
    }
    var result = tracePaths(from.id, to.id, traceFilter());
    var head = entityName(from.id) + " → " + entityName(to.id) + ": " + result.paths.length + " path" +
      (result.paths.length === 1 ? "" : "s") + " within " + MAX_HOPS + " hops" +
      (result.truncated ? " (the best " + LIMIT + "; more exist — `claimgraph trace` takes --limit)" : "");
    results.appendChild(el("h2", null, head));
    results.appendChild(el("p", "hint", "Uses the evidence and contested filters above; negated claims never carry a hop. " +
      "Paths whose evidence moves between species, tissues or conditions (⚠) are listed after the others. Click a path to show it alone."));
    var list = el("ol", "paths");
    result.paths.forEach(function (p) {
      var item = el("li", "path");
      item.setAttribute("data-entities", p.nodes.join(" "));
      item.setAttribute("data-crosses", p.changes.map(function (x) { return x.field; }).join(" "));
      item.tabIndex = 0;
      var net = p.sign === null ? "associative (no net sign)" : "net " + (p.sign === "+" ? "+" : "−");
      item.appendChild(el("span", "route", p.nodes.map(entityName).join(" → ")));
      item.appendChild(el("span", "summary", " — " + net + " · " + p.hops.length + " hop" + (p.hops.length === 1 ? "" : "s") +
        " · weakest link: " + p.weakest + " · " + p.references + " reference" + (p.references === 1 ? "" : "s") +
        (p.contested ? " · ⚠ contested hop" : "")));
      p.changes.forEach(function (x) {
        item.appendChild(el("span", "crossing", "⚠ " + x.field + " changes at " + entityName(x.at) + ": " +
          x.from.join(", ") + " → " + x.to.join(", ")));
      });
      function only() { highlight([p]); }
      item.addEventListener("click", only);
      item.addEventListener("keydown", function (e) { if (e.key === "Enter") only(); });
      list.appendChild(item);
    });
    results.appendChild(list);
    highlight(result.paths);
    if (!result.paths.length) results.appendChild(el("p", null, "No path with these filters."));
  }

  document.getElementById("trace-form").addEventListener("submit", runTrace);
  document.getElementById("search-form").addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("trace-clear").addEventListener("click", clearTrace);
  document.body.setAttribute("data-ready", "true");
})();
