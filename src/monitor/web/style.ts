/**
 * @module The dashboard's one stylesheet (served as /assets/dashboard.css: the CSP allows no
 * inline style) and the colour of each cause. Colour is never the only signal: every coloured
 * thing also carries the cause's name as text or title.
 */
import type { Cause } from "../../trace/events.js";

/** One colour per cause; failures of the network warm, of the service cool, of the user purple. */
export const CAUSE_COLOURS: Readonly<Record<Cause, string>> = {
  healthy: "#3a9d5d",
  logout: "#7fb08f",
  "local-close": "#8aa0b3",
  "dns-failure": "#b07cc6",
  "local-firewall": "#8e5ea2",
  unreachable: "#d1495b",
  refused: "#e07b39",
  filtered: "#c0392b",
  "acl-rejected": "#2a7ab0",
  "service-unavailable": "#4aa3c7",
  "wrong-service": "#1f5f8b",
  "auth-failed": "#9b59b6",
  "login-timeout": "#6c5ce7",
  "idle-timeout": "#a29bfe",
  "middlebox-timeout": "#d35400",
  "network-failure": "#e74c3c",
  "peer-reset": "#f39c12",
  "server-closed": "#16a085",
  unknown: "#7f8c8d",
};

/** Heatmap levels: failed share of the rounds in a cell. */
export const HEAT_LEVELS = [0, 0.01, 0.05, 0.2] as const;
const HEAT_COLOURS = ["#f4f6f4", "#fde2c8", "#f8b27a", "#ec7350", "#c0392b"];

const BASE = `
:root { color-scheme: light; --fg: #1d2327; --muted: #5b6770; --line: #d5dadd; --bg: #fff; --accent: #1f5f8b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 6px 10px; z-index: 10; }
.skip:focus { left: 8px; }
header { display: flex; gap: 18px; align-items: baseline; padding: 10px 20px; border-bottom: 1px solid var(--line); background: #f6f8f9; }
header .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header .live { color: var(--muted); margin-left: auto; }
main { padding: 14px 20px 40px; max-width: 1500px; }
h1 { font-size: 20px; margin: 4px 0 12px; }
h2 { font-size: 16px; margin: 22px 0 8px; }
.muted, footer { color: var(--muted); }
footer { padding: 10px 20px; border-top: 1px solid var(--line); font-size: 12px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 10px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.filters input, form.filters select, form.filters button { font: inherit; padding: 3px 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover, tbody tr:focus-within { background: #f2f7fb; }
.status { font-weight: 600; white-space: nowrap; }
.status::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; background: #aaa; }
.status.failing::before { background: #c0392b; }
.status.flapping::before { background: #e67e22; border-radius: 0; }
.status.healthy::before { background: #3a9d5d; }
.status.failing { color: #a5281b; }
.cause { white-space: nowrap; }
.cause .dot { display: inline-block; width: 9px; height: 9px; margin-right: 5px; border-radius: 2px; }
svg.spark { width: 120px; height: 24px; display: block; }
svg.spark polyline { fill: none; stroke: #1f5f8b; stroke-width: 1.2; }
svg.spark rect.fail { fill: #e74c3c; opacity: 0.5; }
.pager { display: flex; gap: 14px; align-items: center; margin: 10px 0; }
.counts { margin: 4px 0 10px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.chart { min-height: 320px; }
.legend-note { font-size: 12px; color: var(--muted); }
svg.timeline { width: 100%; height: 34px; display: block; }
svg.timeline text { font-size: 11px; fill: #fff; pointer-events: none; }
svg.timeline rect.none { fill: #e9ecee; }
ol.segments { font-size: 13px; max-height: 240px; overflow: auto; }
table.heat { width: auto; }
table.heat td { width: 30px; height: 24px; text-align: center; font-size: 11px; padding: 0; border: 1px solid #fff; }
table.heat th { font-size: 11px; padding: 0 4px; text-align: center; }
.finding { border-left: 4px solid var(--accent); padding: 4px 10px; margin: 8px 0; }
.evidence { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
pre.trace { background: #f6f8f9; border: 1px solid var(--line); padding: 10px; overflow: auto; font-size: 12px; }
.error { border-left: 4px solid #c0392b; padding: 6px 12px; background: #fdf0ee; }
`;

function causeRules(): string {
  return Object.entries(CAUSE_COLOURS)
    .map(([c, colour]) => `.c-${c} { fill: ${colour}; background: ${colour}; }`)
    .join("\n");
}

function heatRules(): string {
  return HEAT_COLOURS.map((colour, i) => `table.heat td.h${i} { background: ${colour}; }`).join(
    "\n",
  );
}

/** The stylesheet. */
export const DASHBOARD_CSS = `${BASE}\n${causeRules()}\n${heatRules()}\ntable.heat td.h4 { color: #fff; }\n`;
