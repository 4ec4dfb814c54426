/**
 * @module The page around every dashboard page: a skip link, the navigation, one stylesheet,
 * scripts only from /assets (the CSP allows nothing inline).
 */
import type { Cause } from "../../../trace/events.js";
import { type Html, html, type Part } from "../html.js";

export interface PageOptions {
  readonly title: string;
  readonly body: Part;
  /** Script paths under /assets, in order (deferred). */
  readonly scripts?: readonly string[];
  /** Stylesheets besides the dashboard's. */
  readonly styles?: readonly string[];
  /** A line on the right of the header (e.g. the snapshot's age). */
  readonly note?: Part;
}

/** A whole page. */
export function page(o: PageOptions): Html {
  const styles = ["/assets/dashboard.css", ...(o.styles ?? [])];
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · teldoc monitor</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${styles.map((s) => html`<link rel="stylesheet" href="${s}">`)}
${(o.scripts ?? []).map((s) => (s.endsWith(".mjs") ? html`<script type="module" src="${s}"></script>` : html`<script defer src="${s}"></script>`))}
</head><body>
<a class="skip" href="#main">Skip to content</a>
<header><a class="brand" href="/">teldoc monitor</a><nav aria-label="pages"><a href="/">Overview</a></nav><span class="live">${o.note ?? ""}</span></header>
<main id="main" tabindex="-1">${o.body}</main>
<footer>Read-only. Times are UTC. Served by teldoc monitor.</footer>
</body></html>
`;
}

/** A cause with its colour and, always, its name. */
export function causeLabel(cause: Cause | null | undefined, suffix?: Part): Html {
  if (!cause) return html`<span class="muted">—</span>`;
  return html`<span class="cause"><span class="dot c-${cause}" aria-hidden="true"></span>${cause}${suffix ?? ""}</span>`;
}

/** An error page (400, 404): the message as text. */
export function errorPage(title: string, message: string): Html {
  return page({
    title,
    body: html`<h1>${title}</h1><p class="error">${message}</p><p><a href="/">Back to the overview</a></p>`,
  });
}

/** "2026-01-04 02:00 UTC". */
export function utc(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "3 h ago", "12 min ago". */
export function ago(t: number, now: number): string {
  const s = Math.max(0, (now - t) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** "99.95 %", or "—". */
export function percent(x: number | null): string {
  if (x === null) return "—";
  if (x === 1) return "100 %";
  return `${(Math.floor(x * 10_000) / 100).toFixed(2)} %`;
}

/** "1.23 ms", or "—". */
export function ms(x: number | null): string {
  if (x === null) return "—";
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
}
