// The dashboard: wires the network, the pair timeline, the event table and the evidence
// panel to the JSON API, and keeps the view in the URL hash so that it can be shared.

import { api } from "./api.js";
import { QUAD_LABELS } from "./colors.js";
import { $, actorLabel, clear, el, emptyState, fmtInt } from "./dom.js";
import { renderArticle, renderEvidence, typeBadge } from "./evidence.js";
import { renderBlocs, renderTrends } from "./insights.js";
import { renderNetwork } from "./network.js";
import { pagerText, renderEmptyTable, renderEventRows } from "./table.js";
import { renderTimeline } from "./timeline.js";

const PAGE_SIZE = 50;
const FILTER_KEYS = ["actor", "source", "target", "type", "quad", "modality", "place", "since", "until", "order"];

const state = {
  since: "", until: "",
  minEvents: "1", maxNodes: "60", others: false,
  a: "", b: "", by: "month", direction: "both", period: null,
  filters: {}, offset: 0,
  eventId: null,
  actors: [],
  graph: null,
  summary: null,
  dyadRows: [],
};

// ---------- URL hash <-> state ----------

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const get = (k) => params.get(k) || "";
  state.since = get("since");
  state.until = get("until");
  state.minEvents = get("min") || "1";
  state.maxNodes = get("nodes") || "60";
  state.others = get("others") === "1";
  state.a = get("a");
  state.b = get("b");
  state.by = get("by") || "month";
  state.direction = get("dir") || "both";
  state.eventId = get("event") || null;
  state.filters = {};
  for (const k of FILTER_KEYS) if (params.get(`f.${k}`)) state.filters[k] = params.get(`f.${k}`);
  state.offset = Number.parseInt(get("offset") || "0", 10) || 0;
}

function writeHash() {
  const params = new URLSearchParams();
  const put = (k, v) => { if (v !== null && v !== undefined && v !== "") params.set(k, v); };
  put("since", state.since); put("until", state.until);
  if (state.minEvents !== "1") put("min", state.minEvents);
  if (state.maxNodes !== "60") put("nodes", state.maxNodes);
  if (state.others) put("others", "1");
  put("a", state.a); put("b", state.b);
  if (state.by !== "month") put("by", state.by);
  if (state.direction !== "both") put("dir", state.direction);
  for (const [k, v] of Object.entries(state.filters)) put(`f.${k}`, v);
  if (state.offset) put("offset", state.offset);
  put("event", state.eventId);
  history.replaceState(null, "", `#${params.toString()}`);
}

// ---------- empty store ----------

const EMPTY_STORE = ["This store has no events yet",
  "Run `polybius ingest` on some articles, then reload this page."];
const storeIsEmpty = () => Boolean(state.summary && state.summary.events === 0);

// ---------- stale responses ----------

// Each loader takes a ticket; a response that arrives after a newer request is dropped.
const tickets = {};
function ticket(name) {
  tickets[name] = (tickets[name] || 0) + 1;
  const mine = tickets[name];
  return () => tickets[name] === mine;
}

// ---------- errors ----------

function showError(err) {
  const banner = $("#error-banner");
  banner.textContent = `Could not load data: ${err.message}`;
  banner.hidden = false;
}

function clearError() {
  $("#error-banner").hidden = true;
}

async function guarded(fn) {
  try {
    await fn();
  } catch (err) {
    console.error(err);
    showError(err);
  }
}

// ---------- summary, vocabularies, actors ----------

async function loadSummary() {
  const s = await api("summary");
  state.summary = s;
  const span = s.first_date ? `${s.first_date} → ${s.last_date}` : "no dated events";
  const box = clear($("#store-summary"));
  box.append(
    el("span", {}, el("strong", { text: fmtInt(s.events) }), " events"),
    el("span", {}, el("strong", { text: fmtInt(s.articles) }), " articles"),
    el("span", {}, el("strong", { text: fmtInt(s.actors) }), " actors"),
    el("span", { class: "muted", text: span }),
  );
  if (s.first_date) {
    for (const id of ["#range-since", "#range-until", "#f-since", "#f-until"]) {
      $(id).min = s.first_date;
      $(id).max = s.last_date;
    }
  }
}

async function loadMeta() {
  const meta = await api("meta");
  const typeSel = $("#f-type");
  for (const [name, quad] of Object.entries(meta.event_types)) {
    typeSel.append(el("option", { value: name, text: `${name} (${quad})` }));
  }
  const quadSel = $("#f-quad");
  for (const [q, label] of Object.entries(meta.quads)) {
    quadSel.append(el("option", { value: q, text: `${q} · ${label}` }));
  }
  const modSel = $("#f-modality");
  for (const m of meta.modalities) modSel.append(el("option", { value: m, text: m }));
}

async function loadActors() {
  const { items } = await api("actors", { limit: 500 });
  state.actors = items;
  const groups = [
    ["Countries", items.filter((a) => a.kind === "country")],
    ["Organisations", items.filter((a) => a.kind === "org")],
    ["Other actors", items.filter((a) => a.kind !== "country" && a.kind !== "org")],
  ];
  for (const sel of [$("#pair-a"), $("#pair-b")]) {
    clear(sel);
    sel.append(el("option", { value: "", text: "choose an actor…" }));
    for (const [label, members] of groups) {
      if (members.length === 0) continue;
      sel.append(el("optgroup", { label },
        members.map((a) => el("option", { value: a.code, text: `${a.code} · ${fmtInt(a.events)}` }))));
    }
  }
  const list = clear($("#actor-list"));
  for (const a of items) list.append(el("option", { value: a.code }));
}

// ---------- network ----------

async function loadNetwork() {
  const current = ticket("network");
  const graph = await api("relations", { since: state.since, until: state.until, min_events: state.minEvents });
  if (!current()) return;
  state.graph = graph;
  drawNetwork();
}

function drawNetwork() {
  const info = renderNetwork($("#network"), state.graph, {
    maxNodes: Number(state.maxNodes),
    kinds: state.others ? null : new Set(["country", "org"]),
    selected: state.a && state.b ? [state.a, state.b] : null,
    empty: storeIsEmpty() ? EMPTY_STORE : null,
    onEdge: (a, b) => selectPair(a, b),
    onNode: (id) => {
      state.filters = { actor: id };
      state.offset = 0;
      syncFilterForm();
      guarded(loadEvents);
      writeHash();
    },
  });
  const note = $("#network-note");
  const what = state.others ? "actors" : "countries and organisations";
  note.textContent = info.total > info.shown
    ? `${info.shown} of ${fmtInt(info.total)} ${what} · ${fmtInt(info.edges)} pairs`
    : info.shown ? `${info.shown} ${what} · ${fmtInt(info.edges)} pairs` : "";
  if (state.graph.truncated) note.textContent += " (heaviest pairs only)";
}

// ---------- pair timeline ----------

function selectPair(a, b) {
  state.a = a;
  state.b = b;
  state.period = null;
  $("#pair-a").value = a;
  $("#pair-b").value = b;
  writeHash();
  if (state.graph) drawNetwork();
  guarded(loadPair);
}

function periodRange(label) {
  const row = state.dyadRows.find((r) => r.period === label);
  const start = row && row.period_start ? row.period_start : label;
  const d = new Date(`${start}T00:00:00Z`);
  const end = new Date(d);
  if (state.by === "week") end.setUTCDate(end.getUTCDate() + 6);
  else if (state.by === "month") { end.setUTCMonth(end.getUTCMonth() + 1); end.setUTCDate(0); }
  else if (state.by === "year") { end.setUTCFullYear(end.getUTCFullYear() + 1); end.setUTCMonth(0); end.setUTCDate(0); }
  const iso = (x) => x.toISOString().slice(0, 10);
  return [iso(d), iso(end)];
}

async function loadPair() {
  const current = ticket("pair");
  ticket("pairEvents");
  const box = $("#timeline");
  const stats = clear($("#pair-stats"));
  clear($("#pair-events"));
  $("#pair-period").textContent = "";
  $("#pair-period-clear").hidden = true;
  if (!state.a || !state.b || state.a === state.b) {
    clear(box).append(emptyState("Pick two actors",
      "Choose them above, or click a line in the network."));
    return;
  }
  const { rows, truncated } = await api("dyad", {
    a: state.a, b: state.b, by: state.by, since: state.since, until: state.until,
  });
  if (!current()) return;
  state.dyadRows = rows;
  const totals = renderTimeline(box, rows, {
    a: state.a, b: state.b, by: state.by, direction: state.direction,
    onPeriod: (period) => { state.period = period; guarded(loadPairEvents); },
  });
  if (totals.events) {
    const net = totals.coop - totals.conflict;
    stats.append(
      el("span", {}, el("strong", { text: fmtInt(totals.events) }), " events"),
      el("span", { class: "coop" }, el("strong", { text: fmtInt(totals.coop) }), " cooperation"),
      el("span", { class: "conflict" }, el("strong", { text: fmtInt(totals.conflict) }), " conflict"),
      el("span", {}, "net ", el("strong", { text: `${net > 0 ? "+" : ""}${fmtInt(net)}` })),
    );
    if (truncated) stats.append(el("span", { class: "muted", text: "(series cut)" }));
  }
  await loadPairEvents();
}

async function loadPairEvents() {
  const current = ticket("pairEvents");
  const list = $("#pair-events");
  let [since, until] = [state.since, state.until];
  if (state.period) {
    [since, until] = periodRange(state.period);
    $("#pair-period").textContent = `· ${state.period}`;
    $("#pair-period-clear").hidden = false;
  }
  const dirs = [];
  if (state.direction !== "B->A") dirs.push([state.a, state.b]);
  if (state.direction !== "A->B") dirs.push([state.b, state.a]);
  const pages = await Promise.all(dirs.map(([s, t]) =>
    api("events", { source: s, target: t, since, until, limit: 25, order: "-date" })));
  if (!current()) return;
  clear(list);
  const seen = new Set();
  const items = pages.flatMap((p) => p.items)
    .filter((e) => (seen.has(e.event_id) ? false : seen.add(e.event_id)))
    .sort((x, y) => (y.date || "").localeCompare(x.date || "") || x.event_id.localeCompare(y.event_id))
    .slice(0, 25);
  const total = pages.reduce((n, p) => n + p.total, 0);
  if (items.length === 0) {
    list.append(el("li", { class: "empty-row", text: "No events for this pair in this range." }));
    return;
  }
  for (const ev of items) {
    const li = el("li", { class: ev.event_id === state.eventId ? "selected" : null, tabindex: "0",
      "data-testid": "pair-event", dataset: { eventId: ev.event_id } },
    el("span", { class: "pe-date", text: ev.date || "–" }),
    el("span", { class: "pe-actors" }, actorLabel(ev.sources), el("span", { class: "arrow", text: " → " }), actorLabel(ev.targets)),
    typeBadge(ev),
    el("span", { class: "pe-sentence", text: ev.sentence }));
    const open = () => {
      list.querySelectorAll("li.selected").forEach((n) => n.classList.remove("selected"));
      li.classList.add("selected");
      guarded(() => loadEvidence(ev.event_id));
    };
    li.addEventListener("click", open);
    li.addEventListener("keydown", (evt) => { if (evt.key === "Enter") open(); });
    list.append(li);
  }
  if (total > items.length) {
    list.append(el("li", { class: "more muted", text: `${fmtInt(total - items.length)} more in the event table (filter by source and target)` }));
  }
}

// ---------- event table ----------

function syncFilterForm() {
  const form = $("#filters");
  for (const k of FILTER_KEYS) form.elements[k].value = state.filters[k] || (k === "order" ? "-date" : "");
}

function readFilterForm() {
  const form = $("#filters");
  const filters = {};
  for (const k of FILTER_KEYS) {
    const v = form.elements[k].value.trim();
    if (v && !(k === "order" && v === "-date")) filters[k] = v;
  }
  return filters;
}

async function loadEvents() {
  const params = { order: "-date", ...state.filters, limit: PAGE_SIZE, offset: state.offset };
  if (!params.since && state.since) params.since = state.since;
  if (!params.until && state.until) params.until = state.until;
  const current = ticket("events");
  const page = await api("events", params);
  if (!current()) return;
  const body = $("#events-body");
  const empty = $("#events-empty");
  clear(empty);
  renderEventRows(body, page.items, { selectedId: state.eventId, onSelect: (id) => guarded(() => loadEvidence(id)) });
  if (page.items.length === 0) {
    const [title, detail] = storeIsEmpty() ? EMPTY_STORE
      : ["No events match these filters", "Clear a filter or widen the date range."];
    renderEmptyTable(empty, title, detail);
  }
  const text = pagerText(page);
  $("#page-info").textContent = text;
  $("#events-count").textContent = page.total ? `${fmtInt(page.total)} matching` : "";
  $("#page-prev").disabled = state.offset <= 0;
  $("#page-next").disabled = state.offset + page.items.length >= page.total;
  const active = Object.entries(state.filters)
    .filter(([k]) => k !== "order")
    .map(([k, v]) => (k === "quad" ? `${QUAD_LABELS[v] || v}` : `${k}: ${v}`));
  $("#events-title").textContent = active.length ? `Events · ${active.join(" · ")}` : "Events";
}

// ---------- evidence ----------

async function loadEvidence(eventId) {
  state.eventId = eventId;
  writeHash();
  const current = ticket("evidence");
  const ev = await api(`events/${encodeURIComponent(eventId)}`);
  if (!current()) return;
  renderEvidence($("#evidence"), ev, { onArticle: (id, e) => guarded(() => openArticle(id, e)) });
  if (window.matchMedia("(max-width: 1100px)").matches) {
    $("#evidence").scrollIntoView({ behavior: "smooth", block: "start" });
  }
}

async function openArticle(articleId, ev) {
  const article = await api(`articles/${encodeURIComponent(articleId)}`);
  const dialog = $("#article-dialog");
  renderArticle($("#article-body"), article, ev);
  if (!dialog.open) dialog.showModal();
}

// ---------- trends and blocs ----------

async function loadTrends() {
  const current = ticket("trends");
  const period = $("#trend-period").value;
  const { items } = await api("trends", { period, until: state.until, top: 8 });
  if (!current()) return;
  $("#trends-note").textContent = items.length && items[0].current_period
    ? `${items[0].previous_period.join(" → ")} vs ${items[0].current_period.join(" → ")}, by change in Goldstein sum`
    : "";
  renderTrends($("#trends"), items, { onPair: (a, b) => {
    selectPair(a, b);
    $(".panel-pair").scrollIntoView({ behavior: "smooth", block: "start" });
  } });
}

async function loadBlocs() {
  const current = ticket("blocs");
  const { items } = await api("blocs", { since: state.since, until: state.until });
  if (!current()) return;
  const kinds = new Map(state.actors.map((a) => [a.code, a.kind]));
  renderBlocs($("#blocs"), items, { kindOf: (code) => kinds.get(code) || "other", onActor: (code) => {
    state.filters = { actor: code };
    state.offset = 0;
    syncFilterForm();
    writeHash();
    guarded(loadEvents);
    $(".panel-events").scrollIntoView({ behavior: "smooth", block: "start" });
  } });
}

// ---------- wiring ----------

function wire() {
  $("#range-form").addEventListener("submit", (evt) => {
    evt.preventDefault();
    state.since = $("#range-since").value;
    state.until = $("#range-until").value;
    if (state.since && state.until && state.since > state.until) {
      showError(new Error("the start date is after the end date"));
      return;
    }
    clearError();
    state.offset = 0;
    state.period = null;
    writeHash();
    refreshAll();
  });
  $("#range-reset").addEventListener("click", () => {
    state.since = ""; state.until = "";
    $("#range-since").value = ""; $("#range-until").value = "";
    state.offset = 0;
    writeHash();
    refreshAll();
  });
  $("#min-events").addEventListener("change", (evt) => {
    state.minEvents = evt.target.value; writeHash(); guarded(loadNetwork);
  });
  $("#max-nodes").addEventListener("change", (evt) => {
    state.maxNodes = evt.target.value; writeHash(); if (state.graph) drawNetwork();
  });
  $("#show-others").addEventListener("change", (evt) => {
    state.others = evt.target.checked; writeHash(); if (state.graph) drawNetwork();
  });
  const pairChanged = () => selectPair($("#pair-a").value, $("#pair-b").value);
  $("#pair-a").addEventListener("change", pairChanged);
  $("#pair-b").addEventListener("change", pairChanged);
  $("#pair-swap").addEventListener("click", () => selectPair(state.b, state.a));
  $("#by").addEventListener("change", (evt) => { state.by = evt.target.value; state.period = null; writeHash(); guarded(loadPair); });
  $("#direction").addEventListener("change", (evt) => { state.direction = evt.target.value; writeHash(); guarded(loadPair); });
  $("#pair-period-clear").addEventListener("click", () => {
    state.period = null; $("#pair-period").textContent = ""; $("#pair-period-clear").hidden = true;
    guarded(loadPairEvents);
  });
  $("#filters").addEventListener("submit", (evt) => {
    evt.preventDefault();
    state.filters = readFilterForm();
    state.offset = 0;
    writeHash();
    guarded(loadEvents);
  });
  $("#f-clear").addEventListener("click", () => {
    state.filters = {}; state.offset = 0; syncFilterForm(); writeHash(); guarded(loadEvents);
  });
  $("#page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE); writeHash(); guarded(loadEvents);
  });
  $("#page-next").addEventListener("click", () => {
    state.offset += PAGE_SIZE; writeHash(); guarded(loadEvents);
  });
  $("#trend-period").addEventListener("change", () => guarded(loadTrends));
  const dialog = $("#article-dialog");
  $("#article-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (evt) => { if (evt.target === dialog) dialog.close(); });
}

async function refreshAll() {
  clearError();
  await Promise.all([guarded(loadNetwork), guarded(loadEvents), guarded(loadTrends), guarded(loadBlocs)]);
  if (!state.a && !state.b && state.graph && state.graph.edges.length) {
    const top = state.graph.edges[0];
    state.a = top.source;
    state.b = top.target;
    $("#pair-a").value = state.a;
    $("#pair-b").value = state.b;
    drawNetwork();
    writeHash();
  }
  await guarded(loadPair);
}

async function main() {
  readHash();
  wire();
  $("#range-since").value = state.since;
  $("#range-until").value = state.until;
  $("#min-events").value = state.minEvents;
  $("#max-nodes").value = state.maxNodes;
  $("#show-others").checked = state.others;
  $("#by").value = state.by;
  $("#direction").value = state.direction;
  renderEvidence($("#evidence"), null);
  await Promise.all([guarded(loadSummary), guarded(loadMeta), guarded(loadActors)]);
  syncFilterForm();
  $("#pair-a").value = state.a;
  $("#pair-b").value = state.b;
  await refreshAll();
  if (state.eventId) await guarded(() => loadEvidence(state.eventId));
  document.body.dataset.ready = "true";
}

main();
