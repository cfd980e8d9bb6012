// The pair timeline: per period, cooperation stacked above the axis (verbal, material) and
// conflict below it (verbal, material), with the net cooperation as a line.

import { QUAD_COLORS, QUAD_LABELS } from "./colors.js";
import { clear, el, emptyState, fmtInt, fmtNum, svg } from "./dom.js";

const HEIGHT = 260;
const M = { top: 16, right: 16, bottom: 34, left: 44 };

const MAX_FILLED = 2000;

function label(d, by) {
  const iso = d.toISOString().slice(0, 10);
  if (by === "month") return iso.slice(0, 7);
  if (by === "year") return iso.slice(0, 4);
  return iso;
}

function next(d, by) {
  const n = new Date(d);
  if (by === "day") n.setUTCDate(n.getUTCDate() + 1);
  else if (by === "week") n.setUTCDate(n.getUTCDate() + 7);
  else if (by === "month") n.setUTCMonth(n.getUTCMonth() + 1);
  else n.setUTCFullYear(n.getUTCFullYear() + 1);
  return n;
}

// Add empty periods between the first and the last so that the time axis is even.
export function fillGaps(periods, by) {
  if (periods.length < 2 || !periods[0].period_start) return periods;
  const have = new Map(periods.map((p) => [p.period, p]));
  const out = [];
  let d = new Date(`${periods[0].period_start}T00:00:00Z`);
  const last = periods[periods.length - 1].period;
  while (out.length < MAX_FILLED) {
    const name = label(d, by);
    out.push(have.get(name) || { period: name, period_start: d.toISOString().slice(0, 10), events: 0, q1: 0, q2: 0, q3: 0, q4: 0, goldstein_sum: 0 });
    if (name >= last) break;
    d = next(d, by);
  }
  return out.length >= MAX_FILLED ? periods : out;
}

// Sum the rows of one period over the chosen direction(s).
export function aggregate(rows, direction) {
  const byPeriod = new Map();
  for (const row of rows) {
    if (direction !== "both" && row.direction !== direction) continue;
    const cur = byPeriod.get(row.period) || { period: row.period, period_start: row.period_start, events: 0, q1: 0, q2: 0, q3: 0, q4: 0, goldstein_sum: 0 };
    cur.events += row.events || 0;
    for (const q of ["q1", "q2", "q3", "q4"]) cur[q] += row[q] || 0;
    cur.goldstein_sum += row.goldstein_sum || 0;
    byPeriod.set(row.period, cur);
  }
  return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function renderTimeline(container, rows, { a, b, by = "month", direction = "both", onPeriod } = {}) {
  clear(container);
  const periods = fillGaps(aggregate(rows, direction), by);
  if (periods.length === 0) {
    container.append(emptyState(`No events between ${a} and ${b}`,
      "Pick another pair, widen the date range, or choose both directions."));
    return { periods: 0, events: 0 };
  }
  const width = Math.max(360, container.clientWidth || 560);
  const innerW = width - M.left - M.right;
  const innerH = HEIGHT - M.top - M.bottom;
  const up = Math.max(...periods.map((p) => p.q1 + p.q2));
  const down = Math.max(...periods.map((p) => p.q3 + p.q4));
  const top = niceMax(Math.max(up, down, 1));
  const y = (v) => M.top + innerH / 2 - (v / top) * (innerH / 2);
  const band = innerW / periods.length;
  const barW = Math.max(2, Math.min(36, band * 0.72));
  const x = (i) => M.left + band * i + band / 2;

  const tooltip = el("div", { class: "tooltip", hidden: true });
  const root = svg("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, class: "timeline-svg", role: "img",
    "aria-label": `Cooperation and conflict between ${a} and ${b}`, "data-testid": "timeline-svg" });

  // grid and y axis
  const ticks = Number.isInteger(top / 2) ? [top, top / 2, 0, -top / 2, -top] : [top, 0, -top];
  for (const v of ticks) {
    root.append(svg("line", { x1: M.left, x2: width - M.right, y1: y(v), y2: y(v), class: v === 0 ? "axis-zero" : "grid" }));
    root.append(svg("text", { x: M.left - 6, y: y(v) + 4, class: "tick tick-y", text: fmtInt(Math.abs(v)) }));
  }

  const step = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor(innerW / 70))));
  periods.forEach((p, i) => {
    const cx = x(i);
    if (!p.events) {
      if (i % step === 0) root.append(svg("text", { x: cx, y: HEIGHT - M.bottom + 16, class: "tick tick-x", text: p.period }));
      return;
    }
    const g = svg("g", { class: "bar", "data-testid": "timeline-bar", dataset: { period: p.period } });
    let base = 0;
    for (const q of [1, 2]) {
      const v = p[`q${q}`];
      if (v > 0) g.append(svg("rect", { x: cx - barW / 2, y: y(base + v), width: barW, height: y(base) - y(base + v), fill: QUAD_COLORS[q] }));
      base += v;
    }
    base = 0;
    for (const q of [3, 4]) {
      const v = p[`q${q}`];
      if (v > 0) g.append(svg("rect", { x: cx - barW / 2, y: y(-base), width: barW, height: y(-(base + v)) - y(-base), fill: QUAD_COLORS[q] }));
      base += v;
    }
    g.append(svg("rect", { x: cx - band / 2, y: M.top, width: band, height: innerH, class: "bar-hit" }));
    g.addEventListener("mousemove", (evt) => {
      clear(tooltip);
      tooltip.append(el("strong", { text: p.period }));
      for (const q of [1, 2, 3, 4]) {
        tooltip.append(el("div", {}, el("span", { class: "swatch", style: { background: QUAD_COLORS[q] } }),
          `${QUAD_LABELS[q]}: ${fmtInt(p[`q${q}`])}`));
      }
      tooltip.append(el("div", { text: `Net cooperation ${p.q1 + p.q2 - p.q3 - p.q4 >= 0 ? "+" : ""}${fmtInt(p.q1 + p.q2 - p.q3 - p.q4)} · mean Goldstein ${fmtNum(p.events ? p.goldstein_sum / p.events : null)}` }));
      const box = container.getBoundingClientRect();
      tooltip.style.left = `${Math.min(evt.clientX - box.left + 12, box.width - 240)}px`;
      tooltip.style.top = `${evt.clientY - box.top + 12}px`;
      tooltip.hidden = false;
    });
    g.addEventListener("mouseleave", () => { tooltip.hidden = true; });
    g.addEventListener("click", () => onPeriod && onPeriod(p.period));
    root.append(g);
    if (i % step === 0) {
      root.append(svg("text", { x: cx, y: HEIGHT - M.bottom + 16, class: "tick tick-x", text: p.period }));
    }
  });

  // net cooperation line
  const pts = periods.map((p, i) => `${x(i)},${y(p.q1 + p.q2 - p.q3 - p.q4)}`);
  if (periods.length > 1) root.append(svg("polyline", { points: pts.join(" "), class: "net-line" }));
  periods.forEach((p, i) => root.append(svg("circle", { cx: x(i), cy: y(p.q1 + p.q2 - p.q3 - p.q4), r: 2.6, class: "net-dot" })));

  const upY = M.top + innerH / 4;
  const downY = M.top + (3 * innerH) / 4;
  root.append(svg("text", { x: 10, y: upY, class: "axis-title", transform: `rotate(-90 10 ${upY})`, text: "cooperation" }));
  root.append(svg("text", { x: 10, y: downY, class: "axis-title", transform: `rotate(-90 10 ${downY})`, text: "conflict" }));
  container.append(root, tooltip);
  const totals = periods.reduce((acc, p) => {
    acc.events += p.events; acc.coop += p.q1 + p.q2; acc.conflict += p.q3 + p.q4; return acc;
  }, { events: 0, coop: 0, conflict: 0 });
  return { periods: periods.length, ...totals };
}
