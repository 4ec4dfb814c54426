/**
 * @module The overview page: the fleet's filters, one page of rows (status, last cause,
 * availability over 24 h, RTT and its sparkline), sortable by header links, and the pager.
 * All server-rendered: the page needs no script.
 */
import { CAUSE_NAMES } from "../../sample.js";
import { type Html, hrefOf, html, targetPath } from "../html.js";
import type { OverviewRow, OverviewSnapshot } from "../overview-index.js";
import type { OverviewPage } from "../overview-query.js";
import { type OverviewParams, SORTS, type Sort, STATUSES } from "../params.js";
import { sparkline } from "../sparkline.js";
import { ago, causeLabel, ms, page, percent } from "./layout.js";

/** Tags offered in the filter's list (the field takes any tag). */
const MAX_TAG_CHOICES = 500;

function query(p: OverviewParams, change: Partial<Record<keyof OverviewParams, string | number>>) {
  const q: Record<string, string | number | undefined> = {
    q: p.q,
    status: p.status,
    vantage: p.vantage,
    tag: p.tag,
    cause: p.cause,
    sort: p.sort,
    per: p.per,
    page: p.page,
  };
  return hrefOf("/", { ...q, ...change });
}

function select(
  name: string,
  label: string,
  values: readonly string[],
  chosen: string | undefined,
): Html {
  return html`<label>${label}<select name="${name}"><option value="">any</option>${values.map(
    (v) => html`<option${v === chosen ? html` selected` : ""}>${v}</option>`,
  )}</select></label>`;
}

function filters(p: OverviewParams, snap: OverviewSnapshot): Html {
  return html`<form class="filters" method="get" action="/" role="search" aria-label="filter the targets">
<label>Search name or host<input type="search" name="q" value="${p.q ?? ""}" id="q"></label>
${select("status", "Status", STATUSES, p.status)}
${select("vantage", "Vantage", snap.vantages, p.vantage)}
<label>Tag<input name="tag" value="${p.tag ?? ""}" list="tags"></label>
<datalist id="tags">${snap.tags.slice(0, MAX_TAG_CHOICES).map((t) => html`<option value="${t}">`)}</datalist>
${select(
  "cause",
  "Cause (now or last)",
  CAUSE_NAMES.filter((c) => c !== "healthy"),
  p.cause,
)}
${select("sort", "Sort", SORTS, p.sort)}
<button type="submit">Show</button> <a href="/">Clear</a>
</form>`;
}

const HEADERS: readonly [string, Sort | null, string][] = [
  ["Status", "status", ""],
  ["Target", "name", ""],
  ["Vantage", null, ""],
  ["Cause (now or last)", null, ""],
  ["Availability 24 h", "availability", "num"],
  ["Connect RTT", "rtt", "num"],
  ["Last 24 h", null, ""],
  ["Tags", null, ""],
];

function head(p: OverviewParams, sort: Sort): Html {
  return html`<thead><tr>${HEADERS.map(([label, key, cls]) => {
    if (!key) return html`<th scope="col" class="${cls}">${label}</th>`;
    const sorted = key === sort;
    return html`<th scope="col" class="${cls}"${sorted ? html` aria-sort="${key === "rtt" ? "descending" : "ascending"}"` : ""}><a href="${query(p, { sort: key, page: 1 })}">${label}${sorted ? " ▾" : ""}</a></th>`;
  })}</tr></thead>`;
}

function row(r: OverviewRow, now: number): Html {
  const when = r.causeAt !== null ? ` · ${ago(r.causeAt, now)}` : "";
  const cause =
    r.status === "failing" || r.status === "flapping"
      ? causeLabel(r.cause, html`<span class="muted">${when}</span>`)
      : r.cause
        ? html`<span class="muted">last: </span>${causeLabel(r.cause, html`<span class="muted">${when}</span>`)}`
        : causeLabel(null);
  const where = r.port !== null ? `${r.host}:${r.port}` : r.host;
  return html`<tr>
<td><span class="status ${r.status}">${r.status}</span></td>
<td><a href="${hrefOf(targetPath(r.name), { vantage: r.vantage })}">${r.name}</a>${where && where !== r.name ? html`<div class="muted">${where}</div>` : ""}${r.evidence ? html`<div class="evidence">${r.evidence}</div>` : ""}</td>
<td>${r.vantage}</td>
<td>${cause}</td>
<td class="num">${percent(r.availability)}</td>
<td class="num">${ms(r.rttMs)}</td>
<td>${sparkline(r.spark, r.failed)}</td>
<td>${r.tags.join(", ")}</td>
</tr>`;
}

function pager(p: OverviewParams, o: OverviewPage): Html {
  const prev =
    o.page > 1 ? html`<a rel="prev" href="${query(p, { page: o.page - 1 })}">← Previous</a>` : "";
  const next =
    o.page < o.pages ? html`<a rel="next" href="${query(p, { page: o.page + 1 })}">Next →</a>` : "";
  return html`<nav class="pager" aria-label="pages of targets">${prev}<span>Page ${o.page} of ${o.pages}</span>${next}</nav>`;
}

/** The overview for one query. */
export function overviewHtml(
  p: OverviewParams,
  o: OverviewPage,
  snap: OverviewSnapshot,
  now: number,
): Html {
  const s = o.byStatus;
  const counts = html`<p class="counts">${o.total} series: <a href="${query({}, { status: "failing" })}">${s.failing} failing</a>, ${s.flapping} flapping, ${s.healthy} healthy, ${s["no-data"]} without data. Showing ${o.matching === 0 ? 0 : (o.page - 1) * o.per + 1}–${Math.min(o.page * o.per, o.matching)} of ${o.matching}.</p>`;
  const table =
    o.rows.length === 0
      ? html`<p>No target matches these filters.</p>`
      : html`<table class="targets">${head(p, o.sort)}<tbody>${o.rows.map((r) => row(r, now))}</tbody></table>`;
  return page({
    title: "Overview",
    note: `history as of ${ago(snap.builtAt, now)}; status live`,
    body: html`<h1>Targets</h1>${filters(p, snap)}${counts}${pager(p, o)}${table}${o.pages > 1 ? pager(p, o) : ""}`,
  });
}
