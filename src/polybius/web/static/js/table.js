// The event table: one row per event, click to open its evidence; and a pager.

import { actorLabel, clear, el, emptyState, fmtInt, fmtNum } from "./dom.js";
import { typeBadge } from "./evidence.js";

function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function renderEventRows(tbody, items, { onSelect, selectedId } = {}) {
  clear(tbody);
  for (const ev of items) {
    const tr = el("tr", {
      class: ev.event_id === selectedId ? "selected" : null,
      tabindex: "0",
      "data-testid": "event-row",
      dataset: { eventId: ev.event_id },
    },
    el("td", { class: "nowrap", text: ev.date || "–" }),
    el("td", { class: "actor", title: actorLabel(ev.sources), text: actorLabel(ev.sources) }),
    el("td", {}, typeBadge(ev)),
    el("td", { class: "actor", title: actorLabel(ev.targets), text: actorLabel(ev.targets) }),
    el("td", {}, ev.modality === "asserted" ? el("span", { class: "muted", text: "asserted" })
      : el("span", { class: `modality modality-${ev.modality}`, text: ev.modality })),
    el("td", { class: "num", text: fmtNum(ev.confidence, 2) }),
    el("td", { class: "sentence-cell", title: ev.sentence }, el("span", { text: clip(ev.sentence || "", 300) })));
    const select = () => {
      tbody.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
      tr.classList.add("selected");
      onSelect && onSelect(ev.event_id);
    };
    tr.addEventListener("click", select);
    tr.addEventListener("keydown", (evt) => { if (evt.key === "Enter") select(); });
    tbody.append(tr);
  }
}

export function renderEmptyTable(container, message, detail) {
  clear(container);
  container.append(emptyState(message, detail));
}

export function pagerText(page) {
  if (!page.total) return "No events";
  const first = page.offset + 1;
  const last = Math.min(page.offset + page.items.length, page.total);
  return `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(page.total)} events`;
}
