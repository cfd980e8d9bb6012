// The evidence panel (one event: its sentence with actors and trigger marked, and what the
// coder decided) and the in-app article view.

import { QUAD_COLORS, QUAD_LABELS } from "./colors.js";
import { actorLabel, clear, el, emptyState, fmtInt, fmtNum, safeUrl } from "./dom.js";

const ROLE_LABELS = { source: "source", target: "target", trigger: "trigger" };

// The sentence as text nodes and <mark>s; highlights are non-overlapping sentence offsets.
export function highlightSentence(sentence, highlights) {
  const out = el("p", { class: "sentence", "data-testid": "evidence-sentence" });
  let at = 0;
  const sorted = (highlights || []).slice().sort((a, b) => a.start - b.start);
  for (const h of sorted) {
    if (h.start < at || h.end > sentence.length || h.end <= h.start) continue;
    if (h.start > at) out.append(sentence.slice(at, h.start));
    out.append(el("mark", {
      class: `hl hl-${h.role}`, "data-testid": `hl-${h.role}`, title: ROLE_LABELS[h.role],
      text: sentence.slice(h.start, h.end),
    }));
    at = h.end;
  }
  if (at < sentence.length) out.append(sentence.slice(at));
  return out;
}

function row(label, value, testid) {
  if (value === null || value === undefined || value === "") return null;
  return [el("dt", { text: label }), el("dd", { "data-testid": testid }, value)];
}

function attributionText(att) {
  if (!att) return null;
  const who = [att.speaker, att.org || att.country].filter(Boolean).join(", ");
  return `${who} (${att.verb || "said"})`;
}

export function typeBadge(event) {
  const q = event.quad_class;
  return el("span", { class: `badge quad-${q || 0}`, title: q ? QUAD_LABELS[q] : "", text: event.event_type });
}

export function renderEvidence(container, ev, { onArticle } = {}) {
  clear(container);
  if (!ev) {
    container.append(emptyState("No event selected",
      "Click an event in the table or in the pair list to see the sentence behind it."));
    return;
  }
  const head = el("div", { class: "evidence-head" },
    el("span", { class: "actor-chip source", text: actorLabel(ev.sources) }),
    typeBadge(ev),
    el("span", { class: "actor-chip target", text: actorLabel(ev.targets) }));
  const modality = ev.modality && ev.modality !== "asserted"
    ? el("p", { class: "modality-note" }, el("span", { class: `modality modality-${ev.modality}`, text: ev.modality }),
      ` — the sentence reports this event as ${ev.modality}, not as having happened.`) : null;
  const legend = el("div", { class: "hl-legend" },
    el("mark", { class: "hl hl-source", text: "source" }),
    el("mark", { class: "hl hl-trigger", text: "trigger" }),
    el("mark", { class: "hl hl-target", text: "target" }));

  const quad = ev.quad_class ? el("span", {}, el("span", { class: "swatch", style: { background: QUAD_COLORS[ev.quad_class] } }),
    `${ev.quad_class} · ${QUAD_LABELS[ev.quad_class]}`) : null;
  const conf = el("span", { class: "confidence" },
    el("span", { class: "confidence-bar" }, el("span", { style: { width: `${Math.round((ev.confidence || 0) * 100)}%` } })),
    fmtNum(ev.confidence, 2));
  const typeText = [ev.event_type, ev.mode, ev.context].filter(Boolean).join(" · ");
  const date = ev.date ? `${ev.date}${ev.date_precision && ev.date_precision !== "day" ? ` (${ev.date_precision})` : ""}` : null;
  const where = ev.location
    ? `${ev.location}${ev.location_country ? ` (${ev.location_country}${ev.location_lat != null ? `, ${ev.location_lat.toFixed(2)}, ${ev.location_lon.toFixed(2)}` : ""})` : ""}`
    : null;
  const qty = ev.quantity ? `${ev.quantity.approximate ? "≈ " : ""}${fmtInt(ev.quantity.value)} ${ev.quantity.unit}` : null;

  const dl = el("dl", { class: "facts" },
    row("Type", typeText, "evidence-type"),
    row("CAMEO", ev.cameo, "evidence-cameo"),
    row("Quad class", quad, "evidence-quad"),
    row("Goldstein", ev.goldstein === null ? null : fmtNum(ev.goldstein), "evidence-goldstein"),
    row("Modality", ev.modality, "evidence-modality"),
    row("Attribution", attributionText(ev.attribution) || "none (reported directly)", "evidence-attribution"),
    row("Date", date, "evidence-date"),
    row("Location", where, "evidence-location"),
    row("Quantity", qty, "evidence-quantity"),
    row("Rule", el("code", { text: ev.rule }), "evidence-rule"),
    row("Confidence", conf, "evidence-confidence"),
    row("Reports", ev.mentions > 1 ? `${fmtInt(ev.mentions)} (duplicates merged)` : "1", "evidence-mentions"));

  const art = ev.article;
  const links = el("div", { class: "evidence-links" });
  if (art) {
    links.append(el("button", { type: "button", class: "btn", "data-testid": "open-article",
      onclick: () => onArticle && onArticle(art.article_id, ev) }, "Open article"));
    const href = safeUrl(art.url);
    if (href) {
      links.append(el("a", { class: "btn btn-ghost", href, target: "_blank", rel: "noopener noreferrer",
        "data-testid": "article-url" }, "Original source ↗"));
    }
  }
  const source = art ? el("p", { class: "evidence-article" },
    el("span", { class: "muted", text: "From " }),
    el("strong", { text: art.title || art.doc_id || art.article_id }),
    art.source || art.date ? el("span", { class: "muted", text: ` · ${[art.source, art.date].filter(Boolean).join(" · ")}` }) : null)
    : null;

  container.append(...[head, modality, highlightSentence(ev.sentence, ev.highlights), legend, dl, source, links]
    .filter(Boolean));
  // which event the panel shows, once it is filled in (tests wait for it)
  container.setAttribute("data-event-id", ev.event_id);
}

// The article text, paragraph by paragraph, with the event's sentence marked.
export function renderArticle(container, article, ev) {
  clear(container);
  const meta = [article.source, article.date, article.doc_id].filter(Boolean).join(" · ");
  container.append(el("h2", { class: "article-title", "data-testid": "article-title", text: article.title || article.doc_id || article.article_id }));
  container.append(el("p", { class: "muted article-meta", text: meta }));
  const href = safeUrl(article.url);
  if (href) {
    container.append(el("p", {}, el("a", { href, target: "_blank", rel: "noopener noreferrer", text: href })));
  }
  if (article.duplicate_of) {
    container.append(el("p", { class: "note", text: `Near-duplicate of article ${article.duplicate_of}` }));
  }
  const body = el("div", { class: "article-text", "data-testid": "article-text" });
  const sentence = ev ? ev.sentence : null;
  for (const para of (article.text || "").split(/\n\s*\n/)) {
    if (!para.trim()) continue;
    const p = el("p");
    const at = sentence ? para.indexOf(sentence) : -1;
    if (at >= 0) {
      p.append(para.slice(0, at), el("mark", { class: "hl hl-sentence", "data-testid": "article-sentence", text: sentence }),
        para.slice(at + sentence.length));
    } else {
      p.append(para);
    }
    body.append(p);
  }
  if (article.truncated) body.append(el("p", { class: "note", text: "Text cut to the server's response limit." }));
  container.append(body);
  const mark = body.querySelector("mark");
  if (mark) requestAnimationFrame(() => mark.scrollIntoView({ block: "center" }));
}
