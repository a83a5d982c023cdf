import { TARGET_IDS, TARGET_NAMES, type TargetId } from "../targets/target.js";
import type { FanoutRow } from "./aggregate.js";
import { decimal, whole } from "./format.js";

/** Each server's colour. */
const COLORS: Record<TargetId, string> = {
  ws: "#9aa0a6",
  socketio: "#4e79a7",
  matchday: "#f28e2b",
};

/** One series per server, in {@link TARGET_IDS} order; bare ws marked as the ceiling. */
const SERIES = TARGET_IDS.map((target) => ({
  target,
  label: target === "ws" ? `${TARGET_NAMES[target]} (ceiling)` : TARGET_NAMES[target],
  color: COLORS[target],
}));

interface Panel {
  title: string;
  value(row: FanoutRow): number;
  label(value: number): string;
}

const PANELS: Panel[] = [
  {
    title: "Sustained deliveries/s, one core (higher is better)",
    value: (row) => row.sustained.deliveriesPerSecond,
    label: (value) => `${whole(value / 1000)}k`,
  },
  {
    title: "Server CPU per delivery, µs (lower is better)",
    value: (row) => row.sustained.cpuUs,
    label: (value) => decimal(value),
  },
  {
    title: "p99 latency at 20k deliveries/s, ms (lower is better)",
    value: (row) => row.latency.p99,
    label: (value) => whole(value),
  },
  {
    title: "Memory per idle viewer, KiB (lower is better)",
    value: (row) => row.memoryKiB,
    label: (value) => decimal(value),
  },
];

const WIDTH = 960;
const PANEL_W = 450;
const PANEL_H = 250;
const PLOT_TOP = 40;
const PLOT_H = 160;
const LEGEND_H = 40;
const CAPTION_H = 24;

/** A 2×2 grid of grouped bar charts of the single-instance medians, one group per level. */
export function chartSvg(rows: readonly FanoutRow[], caption: string): string {
  const single = rows.filter((row) => row.topology === "single");
  const levels = [...new Set(single.map((row) => row.viewers))].sort((a, b) => a - b);
  const height = LEGEND_H + 2 * PANEL_H + CAPTION_H;
  const panels = PANELS.map((panel, index) =>
    panelSvg(
      panel,
      single,
      levels,
      20 + (index % 2) * (PANEL_W + 20),
      LEGEND_H + Math.floor(index / 2) * PANEL_H,
    ),
  );
  const legend = SERIES.map(
    (series, index) =>
      `<rect x="${20 + index * 230}" y="14" width="14" height="14" fill="${series.color}"/>` +
      `<text x="${40 + index * 230}" y="26">${series.label}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...legend,
    ...panels,
    `<text x="20" y="${height - 10}" fill="#555">${caption}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}

function panelSvg(
  panel: Panel,
  rows: readonly FanoutRow[],
  levels: readonly number[],
  x: number,
  y: number,
): string {
  const values = rows.map(panel.value).filter(Number.isFinite);
  const top = niceCeiling(Math.max(1e-9, ...values));
  const groupW = (PANEL_W - 40) / Math.max(1, levels.length);
  const barW = Math.min(40, (groupW - 20) / SERIES.length);
  const baseY = y + PLOT_TOP + PLOT_H;
  const parts = [
    `<text x="${x}" y="${y + 22}" font-weight="bold">${panel.title}</text>`,
    `<line x1="${x + 30}" y1="${baseY}" x2="${x + PANEL_W}" y2="${baseY}" stroke="#333"/>`,
  ];
  levels.forEach((level, group) => {
    const groupX = x + 40 + group * groupW;
    const center = groupX + (groupW - 20) / 2;
    parts.push(
      `<text x="${center}" y="${baseY + 18}" text-anchor="middle">${whole(level)} viewers</text>`,
    );
    SERIES.forEach((series, index) => {
      const row = rows.find((r) => r.target === series.target && r.viewers === level);
      const value = row ? panel.value(row) : Number.NaN;
      if (!Number.isFinite(value)) return;
      const h = (value / top) * PLOT_H;
      const barX = center - (SERIES.length * barW) / 2 + index * barW;
      parts.push(
        `<rect x="${barX.toFixed(1)}" y="${(baseY - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${series.color}"/>`,
        `<text x="${(barX + barW / 2 - 1).toFixed(1)}" y="${(baseY - h - 4).toFixed(1)}" text-anchor="middle" font-size="10">${panel.label(value)}</text>`,
      );
    });
  });
  return parts.join("\n");
}

/** The smallest 1, 2 or 5 × 10^n at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}
