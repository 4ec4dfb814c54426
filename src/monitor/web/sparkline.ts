/**
 * @module A sparkline as a small inline SVG, made on the server (no script): the hourly RTT
 * median as a line, hours with failures as red bars under it, a text alternative in words.
 */
import { type Html, html, raw } from "./html.js";

const W = 120;
const H = 24;

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * The SVG for hourly values (null: no answer that hour) and failed shares (0..1).
 * @example sparkline([1.2, 1.3, null, 1.1], [0, 0, 1, 0])
 */
export function sparkline(values: readonly (number | null)[], failed: readonly number[]): Html {
  const n = values.length;
  const nums = values.filter((v): v is number => v !== null);
  const failedHours = failed.filter((f) => f > 0).length;
  const words =
    nums.length === 0
      ? "no RTT in the last 24 h"
      : `connect RTT median ${fmt(Math.min(...nums))} to ${fmt(Math.max(...nums))} ms over the last 24 h${failedHours ? `, failures in ${failedHours} hour(s)` : ""}`;
  const lo = nums.length ? Math.min(...nums) : 0;
  const hi = nums.length ? Math.max(...nums) : 1;
  const span = hi - lo || 1;
  const step = n > 1 ? W / (n - 1) : W;
  const x = (i: number) => (i * step).toFixed(1);
  const y = (v: number) => (H - 3 - ((v - lo) / span) * (H - 6)).toFixed(1);
  const lines: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) lines.push(run.join(" "));
      run = [];
    } else run.push(`${x(i)},${y(v)}`);
  });
  if (run.length) lines.push(run.join(" "));
  const bars = failed.flatMap((f, i) =>
    f > 0
      ? [
          `<rect class="fail" x="${(i * step - step / 2).toFixed(1)}" y="${(H - Math.max(2, f * H)).toFixed(1)}" width="${step.toFixed(1)}" height="${Math.max(2, f * H).toFixed(1)}"/>`,
        ]
      : [],
  );
  const polylines = lines.map((p) =>
    p.includes(" ") ? `<polyline points="${p}"/>` : `<polyline points="${p} ${p}"/>`,
  );
  return html`<svg class="spark" viewBox="0 0 ${W} ${H}" role="img" aria-label="${words}"><title>${words}</title>${raw(bars.join("") + polylines.join(""))}</svg>`;
}
