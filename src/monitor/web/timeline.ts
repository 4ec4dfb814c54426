/**
 * @module The cause timeline: a series' buckets folded into runs of one state (healthy, or
 * failing with its main cause), drawn as an SVG strip coloured by cause with the cause's name in
 * each run wide enough to hold it (and in every run's title), plus the list of failing runs as
 * text: readable without colour.
 */
import type { Cause } from "../../trace/events.js";
import type { Rollup } from "../store/types.js";
import { type Html, html } from "./html.js";
import { topCause } from "./overview-index.js";
import { utc } from "./pages/layout.js";

export interface Segment {
  /** Epoch ms, inclusive / exclusive. */
  readonly from: number;
  until: number;
  /** "healthy", a cause, or null for no rounds. */
  readonly state: Cause | null;
  rounds: number;
  failed: number;
}

/**
 * Runs of one state over [since, until): buckets without rounds are gaps (state null).
 * @example segments(rollups, since, until).filter((s) => s.state && s.state !== "healthy")
 */
export function segments(rollups: readonly Rollup[], since: number, until: number): Segment[] {
  const out: Segment[] = [];
  const push = (from: number, to: number, state: Cause | null, rounds: number, failed: number) => {
    const last = out[out.length - 1];
    if (last && last.state === state && last.until === from) {
      last.until = to;
      last.rounds += rounds;
      last.failed += failed;
    } else out.push({ from, until: to, state, rounds, failed });
  };
  let at = since;
  for (const r of rollups) {
    const from = Math.max(r.start, since);
    const to = Math.min(r.start + r.seconds * 1000, until);
    if (to <= from) continue;
    if (from > at) push(at, from, null, 0, 0);
    const ran = r.rounds - r.skipped;
    const failed = ran - r.ok;
    const state = ran <= 0 ? null : failed > 0 ? (topCause(r) ?? "unknown") : "healthy";
    push(from, to, state, r.rounds, failed);
    at = to;
  }
  if (at < until) push(at, until, null, 0, 0);
  return out;
}

const W = 1000;

function title(s: Segment): string {
  const span = `${utc(s.from)} – ${utc(s.until)}`;
  if (s.state === null) return `${span}: no rounds`;
  if (s.state === "healthy") return `${span}: healthy (${s.rounds} rounds)`;
  return `${span}: ${s.state} (${s.failed} of ${s.rounds} rounds failed)`;
}

/** The strip: one rect per run, the cause's name where it fits. */
export function timelineSvg(
  list: readonly Segment[],
  since: number,
  until: number,
  label: string,
): Html {
  const span = until - since || 1;
  const rects = list.map((s) => {
    const x = ((s.from - since) / span) * W;
    const w = Math.max(((s.until - s.from) / span) * W, s.state && s.state !== "healthy" ? 2 : 0);
    const cls = s.state === null ? "none" : `c-${s.state}`;
    const text =
      s.state && w > s.state.length * 6.5 + 6
        ? html`<text x="${(x + 3).toFixed(1)}" y="21">${s.state}</text>`
        : "";
    return html`<g><title>${title(s)}</title><rect class="${cls}" x="${x.toFixed(1)}" y="4" width="${w.toFixed(1)}" height="26"/>${text}</g>`;
  });
  return html`<svg class="timeline" viewBox="0 0 ${W} 34" preserveAspectRatio="none" role="img" aria-label="${label}">${rects}</svg>`;
}

/** The failing runs, newest first, as a list of text (at most `max`). */
export function failingList(list: readonly Segment[], max = 50): Html {
  const failing = list.filter((s) => s.state !== null && s.state !== "healthy").reverse();
  if (failing.length === 0) return html`<p>No failures in this period.</p>`;
  const shown = failing.slice(0, max);
  return html`<ol class="segments">${shown.map((s) => html`<li>${title(s)}</li>`)}</ol>${failing.length > max ? html`<p class="muted">${failing.length - max} older runs not listed.</p>` : ""}`;
}
