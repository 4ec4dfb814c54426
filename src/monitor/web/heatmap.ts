/**
 * @module The hour-of-week heatmap: 7 × 24 cells (UTC, Sunday first, as the analysis counts),
 * each with its failed rounds as the number in the cell and "N failed of M rounds" as its title,
 * so it reads without colour.
 */
import type { Rollup } from "../store/types.js";
import { type Html, html } from "./html.js";
import { HEAT_LEVELS } from "./style.js";

export interface HeatCell {
  failed: number;
  rounds: number;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * Rounds and failures per hour of the week (index weekday * 24 + hour, UTC).
 * @example heatmap(rollups)[0 * 24 + 2] // Sundays 02:00-03:00
 */
export function heatmap(rollups: readonly Rollup[]): HeatCell[] {
  const cells = Array.from({ length: 168 }, () => ({ failed: 0, rounds: 0 }));
  for (const r of rollups) {
    const d = new Date(r.start);
    const cell = cells[d.getUTCDay() * 24 + d.getUTCHours()]!;
    const ran = r.rounds - r.skipped;
    cell.rounds += ran;
    cell.failed += ran - r.ok;
  }
  return cells;
}

function level(c: HeatCell): number {
  if (c.rounds === 0 || c.failed === 0) return 0;
  const rate = c.failed / c.rounds;
  let l = 1;
  for (let i = 1; i < HEAT_LEVELS.length; i++) if (rate >= HEAT_LEVELS[i]!) l = i + 1;
  return l;
}

const hh = (h: number) => String(h).padStart(2, "0");

/** The table: a row per weekday, a column per hour. */
export function heatmapHtml(cells: readonly HeatCell[]): Html {
  const head = html`<tr><th scope="col"><span class="muted">UTC</span></th>${Array.from({ length: 24 }, (_, h) => html`<th scope="col">${hh(h)}</th>`)}</tr>`;
  const rows = DAYS.map((day, d) => {
    const tds = Array.from({ length: 24 }, (_, h) => {
      const c = cells[d * 24 + h]!;
      const what =
        c.rounds === 0
          ? `${day} ${hh(h)}:00: no rounds`
          : `${day} ${hh(h)}:00–${hh(h + 1)}:00: ${c.failed} failed of ${c.rounds} rounds`;
      return html`<td class="h${level(c)}" title="${what}" data-failed="${c.failed}" data-rounds="${c.rounds}">${c.rounds === 0 ? "·" : c.failed}</td>`;
    });
    return html`<tr><th scope="row">${day.slice(0, 3)}</th>${tds}</tr>`;
  });
  return html`<table class="heat"><caption class="muted">Failed rounds per hour of the week (the number in each cell; hover for the rounds)</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}
