/**
 * @module The vantage comparison: one target as each vantage point saw it over the same period,
 * side by side — availability, causes, RTT p50/p90, the findings (the vantage finding says
 * which vantage points fail and which do not), and each one's cause timeline on one time axis.
 */

import type { Cause } from "../../../trace/events.js";
import type { Report } from "../../analysis/index.js";
import type { Rollup } from "../../store/types.js";
import { type Html, hrefOf, html, targetPath } from "../html.js";
import type { Period } from "../target-data.js";
import { segments, timelineSvg } from "../timeline.js";
import { causeLabel, ms, page, percent, utc } from "./layout.js";
import { findingHtml, findingsOf, PERIODS } from "./target.js";

export interface ComparePageData {
  readonly name: string;
  readonly sinceText: string;
  readonly period: Period;
  readonly byVantage: ReadonlyMap<string, readonly Rollup[]>;
  readonly report: Report;
}

function causes(byCause: Readonly<Partial<Record<Cause, number>>>): Html {
  const list = Object.entries(byCause).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (list.length === 0) return html`<span class="muted">none</span>`;
  return html`${list.map(([c, n], i) => html`${i ? html`<br>` : ""}${causeLabel(c as Cause)}: ${n}`)}`;
}

/** The page. */
export function compareHtml(d: ComparePageData): Html {
  const vantages = [...d.byVantage.keys()].sort();
  const reports = vantages.map((v) =>
    d.report.targets.find((t) => t.target === d.name && t.vantage === v),
  );
  const cell = (f: (i: number) => Html | string) => vantages.map((_, i) => html`<td>${f(i)}</td>`);
  const table = html`<table class="compare"><thead><tr><th scope="col">Vantage</th>${vantages.map((v) => html`<th scope="col"><a href="${hrefOf(targetPath(d.name), { vantage: v, since: d.sinceText })}">${v}</a></th>`)}</tr></thead><tbody>
<tr><th scope="row">Rounds</th>${cell((i) => String(reports[i]?.rounds ?? 0))}</tr>
<tr><th scope="row">Availability</th>${cell((i) => html`<strong>${percent(reports[i]?.availability ?? null)}</strong>`)}</tr>
<tr><th scope="row">Failures by cause</th>${cell((i) => causes(reports[i]?.byCause ?? {}))}</tr>
<tr><th scope="row">Connect RTT p50</th>${cell((i) => ms(reports[i]?.rttMs.p50 ?? null))}</tr>
<tr><th scope="row">Connect RTT p90</th>${cell((i) => ms(reports[i]?.rttMs.p90 ?? null))}</tr>
<tr><th scope="row">Findings</th>${cell((i) => String(reports[i]?.findings.length ?? 0))}</tr>
</tbody></table>`;
  const { since, until } = d.period;
  const strips = vantages.map(
    (v) =>
      html`<h3>${v}</h3>${timelineSvg(segments(d.byVantage.get(v)!, since, until), since, until, `cause timeline of ${d.name} from ${v}`)}`,
  );
  const findings = findingsOf(d.report, d.name, undefined);
  const periods = PERIODS.map((s, i) =>
    s === d.sinceText
      ? html`${i ? " · " : ""}<strong aria-current="page">${s}</strong>`
      : html`${i ? " · " : ""}<a href="${hrefOf(`/compare/${encodeURIComponent(d.name)}`, { since: s })}">${s}</a>`,
  );
  return page({
    title: `${d.name}: vantage points`,
    body: html`<h1>${d.name} from each vantage point</h1>
<p>Period: ${periods} <span class="muted">(${utc(since)} – ${utc(until)})</span></p>
${vantages.length === 0 ? html`<p>No rounds of ${d.name} in this period.</p>` : table}
<h2>Cause timelines</h2>${strips}
<h2>Findings</h2>${findings.length ? findings.map(findingHtml) : html`<p>The analysis found no pattern in this period.</p>`}`,
  });
}
