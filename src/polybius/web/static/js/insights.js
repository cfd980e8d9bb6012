// The "Changing relations" (trends) and "Blocs" lists.

import { clear, el, emptyState, fmtInt, fmtNum } from "./dom.js";

export function renderTrends(list, items, { onPair } = {}) {
  clear(list);
  if (!items.length) {
    list.append(el("li", { class: "empty-row" }, emptyState("No change between the two windows",
      "Pick a longer window or a range with more events.")));
    return;
  }
  for (const t of items) {
    const up = t.change > 0;
    const li = el("li", { tabindex: "0", "data-testid": "trend", dataset: { a: t.a, b: t.b } },
      el("span", { class: "trend-pair", text: `${t.a} — ${t.b}` }),
      el("span", { class: `trend-kind ${up ? "up" : "down"}`, text: `${up ? "▲" : "▼"} ${t.kind || ""}` }),
      el("span", { class: `trend-change ${up ? "up" : "down"}`, text: `${up ? "+" : ""}${fmtNum(t.change)}` }),
      el("span", { class: "trend-detail",
        text: `Goldstein ${fmtNum(t.previous)} → ${fmtNum(t.current)} · events ${fmtInt(t.previous_events)} → ${fmtInt(t.current_events)}` }));
    const open = () => onPair && onPair(t.a, t.b);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (evt) => { if (evt.key === "Enter") open(); });
    list.append(li);
  }
}

// Countries and organisations first, then everyone else, each alphabetically.
function sortMembers(members, kindOf) {
  const rank = (m) => (kindOf(m) === "country" || kindOf(m) === "org" ? 0 : 1);
  return members.slice().sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function renderBlocs(list, items, { onActor, kindOf = () => "other", max = 8 } = {}) {
  clear(list);
  // Two actors with one shared event are hardly a bloc: show the substantial ones first.
  const solid = items.filter((b) => b.members.length >= 3 || b.internal_events >= 3);
  const shown = (solid.length ? solid : items).slice(0, max);
  const hidden = items.length - shown.length;
  items = shown;
  if (!items.length) {
    list.append(el("li", { class: "empty-row" }, emptyState("No blocs in this range",
      "Blocs need actors that cooperate with each other more than with others.")));
    return;
  }
  items.forEach((b, i) => {
    list.append(el("li", { "data-testid": "bloc" },
      el("div", { class: "bloc-head" },
        el("strong", { text: `Bloc ${i + 1} · ${b.members.length} members` }),
        el("span", { text: `cohesion ${fmtNum(b.cohesion, 2)} · ${fmtInt(b.internal_events)} events inside` })),
      el("div", { class: "bloc-members" }, sortMembers(b.members, kindOf).slice(0, 40).map((m) =>
        el("button", { type: "button", class: `chip chip-${kindOf(m)}`, title: `Filter the events to ${m}`, text: m,
          onclick: () => onActor && onActor(m) })))));
  });
  if (hidden > 0) {
    list.append(el("li", { class: "more muted small", text: `${hidden} smaller blocs not shown` }));
  }
}
