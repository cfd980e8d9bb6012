// Small DOM helpers. All text goes in through textContent: stored article text is untrusted.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.setAttribute("class", value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    // styles go through the CSSOM (style attributes are blocked by the CSP)
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

const numberFmt = new Intl.NumberFormat("en");
export const fmtInt = (n) => (n === null || n === undefined ? "–" : numberFmt.format(n));
export const fmtNum = (n, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? "–" : Number(n).toFixed(digits);

// Only http(s) links from stored data become clickable (never javascript: or data:).
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function emptyState(message, detail) {
  return el("div", { class: "empty" }, el("p", { class: "empty-title", text: message }),
    detail ? el("p", { class: "empty-detail", text: detail }) : null);
}

export function actorLabel(actors) {
  if (!actors || actors.length === 0) return "–";
  return actors.map((a) => a.code).join(", ");
}
