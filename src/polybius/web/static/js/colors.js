// One palette for the whole dashboard (legend, network, timeline, badges).

export const QUAD_COLORS = {
  1: "#8db7ef", // verbal cooperation
  2: "#2563c9", // material cooperation
  3: "#f0a04b", // verbal conflict
  4: "#cf3e4f", // material conflict
};

export const QUAD_LABELS = {
  1: "Verbal cooperation",
  2: "Material cooperation",
  3: "Verbal conflict",
  4: "Material conflict",
};

const CONFLICT = [207, 62, 79];
const MIXED = [150, 158, 170];
const COOPERATION = [37, 99, 201];

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

// Edge colour from the share of cooperation among cooperation + conflict events.
export function relationColor(cooperation, conflict) {
  const total = (cooperation || 0) + (conflict || 0);
  if (total <= 0) return `rgb(${MIXED.join(",")})`;
  const share = cooperation / total;
  const rgb = share >= 0.5 ? mix(MIXED, COOPERATION, (share - 0.5) * 2) : mix(CONFLICT, MIXED, share * 2);
  return `rgb(${rgb.join(",")})`;
}

export const NODE_COLORS = { country: "#334155", org: "#a16207", other: "#6b7280" };
