// The relations network: a deterministic force layout drawn as SVG, with zoom, pan, hover
// and click. Nodes are actors (countries dark, organisations amber), edges are pairs,
// coloured by cooperation (blue) vs conflict (red) and as wide as their volume.

import { NODE_COLORS, relationColor } from "./colors.js";
import { clear, el, emptyState, fmtInt, fmtNum, svg } from "./dom.js";

const WIDTH = 900;
const HEIGHT = 560;

function layout(nodes, edges) {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const golden = Math.PI * (3 - Math.sqrt(5));
  const pos = nodes.map((_, i) => {
    const r = 40 * Math.sqrt(i + 0.5);
    return { x: WIDTH / 2 + r * Math.cos(i * golden), y: HEIGHT / 2 + r * Math.sin(i * golden) };
  });
  if (n < 2) return pos;
  const area = WIDTH * HEIGHT;
  const k = Math.sqrt(area / n) * 0.75;
  const maxW = Math.max(1, ...edges.map((e) => e.events));
  const links = edges
    .filter((e) => index.has(e.source) && index.has(e.target))
    .map((e) => ({ s: index.get(e.source), t: index.get(e.target), w: 0.4 + Math.log1p(e.events) / Math.log1p(maxW) }));
  let temperature = WIDTH / 8;
  const iterations = 350;
  for (let it = 0; it < iterations; it++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i].x - pos[j].x;
        let dy = pos[i].y - pos[j].y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
        const d = Math.sqrt(d2);
        const force = (k * k) / d;
        disp[i].x += (dx / d) * force; disp[i].y += (dy / d) * force;
        disp[j].x -= (dx / d) * force; disp[j].y -= (dy / d) * force;
      }
    }
    for (const { s, t, w } of links) {
      const dx = pos[s].x - pos[t].x;
      const dy = pos[s].y - pos[t].y;
      const d = Math.max(0.1, Math.sqrt(dx * dx + dy * dy));
      const force = ((d * d) / k) * w;
      disp[s].x -= (dx / d) * force; disp[s].y -= (dy / d) * force;
      disp[t].x += (dx / d) * force; disp[t].y += (dy / d) * force;
    }
    for (let i = 0; i < n; i++) {
      // gravity keeps unconnected actors from drifting away
      disp[i].x += (WIDTH / 2 - pos[i].x) * 0.05 * k / 10;
      disp[i].y += (HEIGHT / 2 - pos[i].y) * 0.05 * k / 10;
      const len = Math.max(0.01, Math.hypot(disp[i].x, disp[i].y));
      const step = Math.min(len, temperature);
      pos[i].x += (disp[i].x / len) * step;
      pos[i].y += (disp[i].y / len) * step;
    }
    temperature *= 0.985;
  }
  // fit into the view box with a margin for labels
  const pad = 48;
  const xs = pos.map((p) => p.x);
  const ys = pos.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (WIDTH - 2 * pad) / Math.max(1, x1 - x0);
  const sy = (HEIGHT - 2 * pad) / Math.max(1, y1 - y0);
  const s = Math.min(sx, sy);
  const ox = (WIDTH - s * (x1 - x0)) / 2;
  const oy = (HEIGHT - s * (y1 - y0)) / 2;
  return pos.map((p) => ({ x: ox + (p.x - x0) * s, y: oy + (p.y - y0) * s }));
}

function kindOf(node) {
  return node.kind === "country" || node.kind === "org" ? node.kind : "other";
}

export function renderNetwork(container, graph, { maxNodes = 60, onEdge, onNode, selected } = {}) {
  clear(container);
  const allNodes = (graph.nodes || []).slice().sort((a, b) => b.events - a.events || a.id.localeCompare(b.id));
  const nodes = allNodes.slice(0, maxNodes);
  const keep = new Set(nodes.map((n) => n.id));
  const edges = (graph.edges || []).filter((e) => keep.has(e.source) && keep.has(e.target));
  if (nodes.length === 0 || edges.length === 0) {
    container.append(emptyState("No relations in this date range",
      "Widen the date range or lower the minimum number of events."));
    return { shown: 0, total: allNodes.length };
  }
  const pos = layout(nodes, edges);
  const at = new Map(nodes.map((node, i) => [node.id, pos[i]]));
  const maxEdge = Math.max(1, ...edges.map((e) => e.events));
  const maxNode = Math.max(1, ...nodes.map((n) => n.events));
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
      stroke: relationColor(e.cooperation, e.conflict), "stroke-width": width }),
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

  for (const node of nodes) {
    const p = at.get(node.id);
    const r = 5 + 13 * Math.sqrt(node.events / maxNode);
    const kind = kindOf(node);
    const shape = kind === "org"
      ? svg("rect", { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r, rx: 3,
        fill: NODE_COLORS[kind], class: "node-shape" })
      : svg("circle", { cx: p.x, cy: p.y, r, fill: NODE_COLORS[kind], class: "node-shape" });
    const g = svg("g", { class: `node kind-${kind}`, "data-testid": "network-node", dataset: { id: node.id } },
      shape,
      svg("text", { x: p.x + r + 4, y: p.y + 4, class: "node-label", text: node.id }));
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
