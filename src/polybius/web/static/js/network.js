// The relations network: a deterministic force layout drawn as SVG, with zoom, pan, hover
// and click. Nodes are actors (countries dark, organisations amber), edges are pairs,
// coloured by cooperation (blue) vs conflict (red) and as wide as their volume.

import { NODE_COLORS, relationColor } from "./colors.js";
import { clear, el, emptyState, fmtInt, fmtNum, svg } from "./dom.js";

const WIDTH = 900;
const HEIGHT = 560;

// ForceAtlas2-style layout: repulsion grows with degree (hubs push harder, so the core
// opens up), attraction is logarithmic in distance weighted by volume, gravity keeps
// components together. Deterministic: same graph, same picture.
function layout(nodes, edges) {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const deg = new Array(n).fill(0);
  const maxW = Math.max(1, ...edges.map((e) => e.events));
  const links = [];
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    deg[s] += 1; deg[t] += 1;
    links.push({ s, t, w: 0.3 + Math.log1p(e.events) / Math.log1p(maxW) });
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  const order = nodes.map((_, i) => i).sort((a, b) => deg[b] - deg[a] || a - b);
  const pos = new Array(n);
  order.forEach((i, rank) => {
    const r = 30 * Math.sqrt(rank + 0.5);
    pos[i] = { x: r * Math.cos(rank * golden), y: r * Math.sin(rank * golden) };
  });
  if (n < 2) return fit(pos);
  const kr = 60;
  const kg = 0.6;
  let speed = 1;
  for (let it = 0; it < 500; it++) {
    const fx = new Float64Array(n);
    const fy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i].x - pos[j].x;
        let dy = pos[i].y - pos[j].y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 1e-4) { dx = 0.01 * (i - j); dy = 0.01; d2 = dx * dx + dy * dy; }
        const f = (kr * (deg[i] + 1) * (deg[j] + 1)) / d2;
        fx[i] += dx * f; fy[i] += dy * f;
        fx[j] -= dx * f; fy[j] -= dy * f;
      }
    }
    for (const { s, t, w } of links) {
      const dx = pos[s].x - pos[t].x;
      const dy = pos[s].y - pos[t].y;
      const d = Math.max(0.01, Math.hypot(dx, dy));
      const f = (w * Math.log1p(d)) / d;
      fx[s] -= dx * f; fy[s] -= dy * f;
      fx[t] += dx * f; fy[t] += dy * f;
    }
    for (let i = 0; i < n; i++) {
      const d = Math.max(0.01, Math.hypot(pos[i].x, pos[i].y));
      fx[i] -= (kg * (deg[i] + 1) * pos[i].x) / d;
      fy[i] -= (kg * (deg[i] + 1) * pos[i].y) / d;
      const len = Math.hypot(fx[i], fy[i]);
      const step = Math.min(len, 25 * speed) / Math.max(len, 1e-9);
      pos[i].x += fx[i] * step;
      pos[i].y += fy[i] * step;
    }
    speed = Math.max(0.02, speed * 0.992);
  }
  return fit(pos);
}

// Scale and centre the layout into the view box, leaving room for labels.
function fit(pos) {
  const pad = { left: 30, right: 110, top: 36, bottom: 36 }; // labels sit right of nodes
  const xs = pos.map((p) => p.x);
  const ys = pos.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // stretch to the box's shape, but by at most 1.6 in one direction
  let sx = (WIDTH - pad.left - pad.right) / Math.max(1, x1 - x0);
  let sy = (HEIGHT - pad.top - pad.bottom) / Math.max(1, y1 - y0);
  sx = Math.min(sx, sy * 1.6);
  sy = Math.min(sy, sx * 1.6);
  const ox = pad.left + (WIDTH - pad.left - pad.right - sx * (x1 - x0)) / 2;
  const oy = pad.top + (HEIGHT - pad.top - pad.bottom - sy * (y1 - y0)) / 2;
  return pos.map((p) => ({ x: ox + (p.x - x0) * sx, y: oy + (p.y - y0) * sy }));
}

// Push apart nodes that overlap on screen (after fitting), keeping them inside the view.
function relax(pos, radii, iterations = 80) {
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        const need = radii[i] + radii[j] + 12;
        let dx = pos[j].x - pos[i].x;
        let dy = pos[j].y - pos[i].y;
        let d = Math.hypot(dx, dy);
        if (d >= need) continue;
        if (d < 1e-6) { dx = 1; dy = 0; d = 1; }
        const push = (need - d) / 2;
        pos[i].x -= (dx / d) * push; pos[i].y -= (dy / d) * push;
        pos[j].x += (dx / d) * push; pos[j].y += (dy / d) * push;
        moved = true;
      }
    }
    for (const p of pos) {
      p.x = Math.min(WIDTH - 24, Math.max(24, p.x));
      p.y = Math.min(HEIGHT - 20, Math.max(20, p.y));
    }
    if (!moved) break;
  }
  return pos;
}

function kindOf(node) {
  return node.kind === "country" || node.kind === "org" ? node.kind : "other";
}

export function renderNetwork(container, graph, { maxNodes = 60, kinds = null, empty = null, onEdge, onNode, selected } = {}) {
  clear(container);
  const allNodes = (graph.nodes || [])
    .filter((n) => !kinds || kinds.has(kindOf(n)))
    .sort((a, b) => b.events - a.events || a.id.localeCompare(b.id));
  const top = new Set(allNodes.slice(0, maxNodes).map((n) => n.id));
  const edges = (graph.edges || []).filter((e) => top.has(e.source) && top.has(e.target));
  const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
  const nodes = allNodes.filter((n) => linked.has(n.id));
  if (nodes.length === 0 || edges.length === 0) {
    const [title, detail] = empty || ["No relations in this date range",
      "Widen the date range, lower the minimum number of events, or include people & others."];
    container.append(emptyState(title, detail));
    return { shown: 0, total: allNodes.length };
  }
  const maxEdge = Math.max(1, ...edges.map((e) => e.events));
  const maxNode = Math.max(1, ...nodes.map((n) => n.events));
  const radius = (node) => 5 + 13 * Math.sqrt(node.events / maxNode);
  const pos = relax(layout(nodes, edges), nodes.map(radius));
  const at = new Map(nodes.map((node, i) => [node.id, pos[i]]));
  const tooltip = el("div", { class: "tooltip", role: "status", hidden: true });
  const viewport = svg("g", { class: "viewport" });
  const root = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "network-svg", role: "img",
    "aria-label": "Relations network", "data-testid": "network-svg",
  }, viewport);

  const edgeLayer = svg("g", { class: "edges" });
  const nodeLayer = svg("g", { class: "nodes" });
  viewport.append(edgeLayer, nodeLayer);
  const neighbours = new Map(nodes.map((n) => [n.id, new Set([n.id])]));

  const showTip = (evt, lines) => {
    clear(tooltip);
    lines.forEach((line, i) => tooltip.append(el(i === 0 ? "strong" : "div", { text: line })));
    const box = container.getBoundingClientRect();
    tooltip.style.left = `${evt.clientX - box.left + 14}px`;
    tooltip.style.top = `${evt.clientY - box.top + 14}px`;
    tooltip.hidden = false;
  };
  const hideTip = () => { tooltip.hidden = true; };

  const sortedEdges = edges.slice().sort((a, b) => a.events - b.events);
  for (const e of sortedEdges) {
    neighbours.get(e.source).add(e.target);
    neighbours.get(e.target).add(e.source);
    const p = at.get(e.source);
    const q = at.get(e.target);
    const width = 1 + 9 * Math.sqrt(e.events / maxEdge);
    const isSel = selected && ((selected[0] === e.source && selected[1] === e.target) ||
      (selected[1] === e.source && selected[0] === e.target));
    const g = svg("g", {
      class: `edge${isSel ? " selected" : ""}`,
      "data-testid": "network-edge",
      dataset: { source: e.source, target: e.target },
    },
    svg("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: "edge-line",
      stroke: relationColor(e.cooperation, e.conflict), "stroke-width": width,
      "stroke-opacity": (0.3 + 0.6 * Math.sqrt(e.events / maxEdge)).toFixed(2) }),
    svg("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: "edge-hit" }));
    g.addEventListener("mousemove", (evt) => showTip(evt, [
      `${e.source} — ${e.target}`,
      `${fmtInt(e.events)} events`,
      `${fmtInt(e.cooperation)} cooperation · ${fmtInt(e.conflict)} conflict`,
      `mean Goldstein ${fmtNum(e.goldstein_mean)}`,
      "Click for the pair timeline",
    ]));
    g.addEventListener("mouseleave", hideTip);
    g.addEventListener("click", () => onEdge && onEdge(e.source, e.target));
    edgeLayer.append(g);
  }

  // Labels: biggest actors first; a label that would cover another label or a node is
  // hidden until its node is hovered.
  const placed = nodes.map((node) => {
    const p = at.get(node.id);
    const r = radius(node);
    return { x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r, id: node.id };
  });
  const covers = (b, self) => placed.some((o) => o.id !== self && b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);

  for (const node of nodes) {
    const p = at.get(node.id);
    const r = radius(node);
    const labelW = node.id.length * 6.6 + 2;
    const leftSide = p.x + r + 4 + labelW > WIDTH - 4; // keep labels inside the view
    const lx = leftSide ? p.x - r - 4 : p.x + r + 4;
    const box = { x0: leftSide ? lx - labelW : lx, x1: leftSide ? lx : lx + labelW, y0: p.y - 7, y1: p.y + 7, id: node.id };
    const hideLabel = covers(box, node.id);
    if (!hideLabel) placed.push(box);
    const kind = kindOf(node);
    const shape = kind === "org"
      ? svg("rect", { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r, rx: 3,
        fill: NODE_COLORS[kind], class: "node-shape" })
      : svg("circle", { cx: p.x, cy: p.y, r, fill: NODE_COLORS[kind], class: "node-shape" });
    const g = svg("g", { class: `node kind-${kind}`, "data-testid": "network-node", dataset: { id: node.id } },
      shape,
      svg("text", { x: lx, y: p.y + 4, "text-anchor": leftSide ? "end" : "start", class: `node-label${hideLabel ? " label-hidden" : ""}`, text: node.id }));
    g.addEventListener("mousemove", (evt) => showTip(evt, [
      node.id, `${kind === "org" ? "Organisation" : kind === "country" ? "Country" : "Actor"}`,
      `${fmtInt(node.events)} events`, "Click to filter the event table",
    ]));
    g.addEventListener("mouseenter", () => {
      const near = neighbours.get(node.id);
      root.classList.add("focus");
      nodeLayer.querySelectorAll(".node").forEach((n) => n.classList.toggle("near", near.has(n.dataset.id)));
      edgeLayer.querySelectorAll(".edge").forEach((ed) => ed.classList.toggle("near",
        ed.dataset.source === node.id || ed.dataset.target === node.id));
    });
    g.addEventListener("mouseleave", () => { root.classList.remove("focus"); hideTip(); });
    g.addEventListener("click", () => onNode && onNode(node.id));
    nodeLayer.append(g);
  }

  // zoom with the wheel, pan by dragging the background
  let view = { x: 0, y: 0, k: 1 };
  const apply = () => viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
  root.addEventListener("wheel", (evt) => {
    evt.preventDefault();
    const box = root.getBoundingClientRect();
    const mx = ((evt.clientX - box.left) / box.width) * WIDTH;
    const my = ((evt.clientY - box.top) / box.height) * HEIGHT;
    const k = Math.min(6, Math.max(0.4, view.k * (evt.deltaY < 0 ? 1.15 : 1 / 1.15)));
    view = { x: mx - ((mx - view.x) * k) / view.k, y: my - ((my - view.y) * k) / view.k, k };
    apply();
  }, { passive: false });
  let drag = null;
  root.addEventListener("pointerdown", (evt) => {
    if (evt.target !== root) return;
    drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y };
    root.setPointerCapture(evt.pointerId);
  });
  root.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    const box = root.getBoundingClientRect();
    view.x = drag.vx + ((evt.clientX - drag.x) / box.width) * WIDTH;
    view.y = drag.vy + ((evt.clientY - drag.y) / box.height) * HEIGHT;
    apply();
  });
  root.addEventListener("pointerup", () => { drag = null; });

  container.append(root, tooltip);
  return { shown: nodes.length, total: allNodes.length, edges: edges.length };
}
