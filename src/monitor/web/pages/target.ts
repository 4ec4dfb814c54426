/**
 * @module A target's page: its latency chart (drawn by /assets/target-chart.mjs with uPlot from
 * /api/target/NAME/series), the cause timeline, the hour-of-week heatmap, the analysis' findings
 * in words and the recent failures with their evidence and kept traces.
 */
import type { Finding, Report, TargetReport } from "../../analysis/index.js";
import type { TargetState } from "../../monitor.js";
import type { Sample } from "../../sample.js";
import type { KeptTrace, Rollup, TargetInfo } from "../../store/types.js";
import { heatmap, heatmapHtml } from "../heatmap.js";
import { type Html, hrefOf, html, targetPath } from "../html.js";
import type { Period } from "../target-data.js";
import { failingList, segments, timelineSvg } from "../timeline.js";
import { ago, causeLabel, ms, page, percent, utc } from "./layout.js";

export interface TargetPageData {
  readonly name: string;
  readonly vantage: string;
  readonly vantages: readonly string[];
  readonly sinceText: string;
  readonly period: Period;
  readonly info: TargetInfo | undefined;
  readonly rollups: readonly Rollup[];
  readonly report: Report;
  readonly failures: readonly Sample[];
  readonly traces: ReadonlyMap<number, KeptTrace>;
  readonly live: TargetState | undefined;
  readonly now: number;
}

/** The periods offered as links. */
export const PERIODS = ["24h", "7d", "30d", "90d"] as const;

function nav(d: TargetPageData): Html {
  const link = (label: string, q: Record<string, string>, current: boolean) =>
    current
      ? html`<strong aria-current="page">${label}</strong>`
      : html`<a href="${hrefOf(targetPath(d.name), q)}">${label}</a>`;
  const vantages = d.vantages.map((v) =>
    link(v, { vantage: v, since: d.sinceText }, v === d.vantage),
  );
  const periods = PERIODS.map((s) => link(s, { vantage: d.vantage, since: s }, s === d.sinceText));
  const compare =
    d.vantages.length > 1
      ? html` · <a href="${hrefOf(`/compare/${encodeURIComponent(d.name)}`, { since: d.sinceText })}">compare the ${d.vantages.length} vantage points</a>`
      : "";
  return html`<p>Vantage: ${join(vantages)}${compare}</p><p>Period: ${join(periods)} <span class="muted">(${utc(d.period.since)} – ${utc(d.period.until)}, ${d.period.seconds === 300 ? "5-min" : "1-h"} buckets)</span></p>`;
}

function join(parts: readonly Html[]): Html {
  return html`${parts.map((p, i) => html`${i ? " · " : ""}${p}`)}`;
}

function now(d: TargetPageData): Html | "" {
  const s = d.live;
  if (!s) return "";
  const state = s.ok ? "healthy" : "failing";
  const evidence =
    !s.ok && s.last.evidence.length
      ? html`<div class="evidence">${s.last.evidence.join("\n")}</div>`
      : "";
  return html`<p>Now: <span class="status ${state}">${state}</span> ${s.ok ? "" : causeLabel(s.cause)} since ${utc(Date.parse(s.since))} (${ago(Date.parse(s.since), d.now)}).</p>${evidence}`;
}

function summary(t: TargetReport | undefined): Html {
  if (!t) return html`<p>No rounds from this vantage in this period.</p>`;
  const causes = Object.entries(t.byCause)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([c, n]) => html`<li>${causeLabel(c as Sample["cause"])}: ${n}</li>`);
  return html`<p>${t.rounds} rounds, availability <strong>${percent(t.availability)}</strong>, connect RTT p50 ${ms(t.rttMs.p50)}, p90 ${ms(t.rttMs.p90)}.</p>${causes.length ? html`<ul>${causes}</ul>` : ""}`;
}

/** One finding in words, with its evidence. */
export function findingHtml(f: Finding): Html {
  return html`<div class="finding"><p><strong>${f.kind}</strong> (confidence ${Math.round(f.confidence * 100)} %): ${f.summary}</p>${f.evidence.length ? html`<ul>${f.evidence.map((e) => html`<li>${e}</li>`)}</ul>` : ""}</div>`;
}

/** This target's findings: its series' own, then those across targets that name it. */
export function findingsOf(r: Report, name: string, vantage: string | undefined): Finding[] {
  const own = r.targets
    .filter((t) => t.target === name && (vantage === undefined || t.vantage === vantage))
    .flatMap((t) => t.findings);
  const seen = new Set(own.map((f) => f.summary));
  const cross = r.findings.filter(
    (f) =>
      !seen.has(f.summary) &&
      (f.target === name || (f.kind === "correlated" && f.targets.includes(name))),
  );
  return [...own, ...cross];
}

function failures(d: TargetPageData): Html {
  if (d.failures.length === 0) return html`<p>No failed rounds kept for this period.</p>`;
  const rows = d.failures.map((s) => {
    const t = Date.parse(s.t);
    const kept = d.traces.get(t);
    const base = targetPath(d.name, `/trace/${t}`);
    const trace = kept
      ? html`<a href="${hrefOf(base, { vantage: d.vantage })}">view</a> · <a href="${hrefOf(`${base}.jsonl`, { vantage: d.vantage })}" download>download .jsonl</a>`
      : html`<span class="muted">not kept</span>`;
    return html`<tr><td>${utc(t)}</td><td>${causeLabel(s.cause)}</td><td>${s.stage ?? "—"}</td><td class="num">${s.connects.answered}/${s.connects.sent}</td><td class="evidence">${s.evidence.join("\n")}</td><td>${trace}</td></tr>`;
  });
  return html`<table class="failures"><thead><tr><th scope="col">When</th><th scope="col">Cause</th><th scope="col">Stage</th><th scope="col" class="num">Connects answered</th><th scope="col">Evidence</th><th scope="col">Trace</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The whole page. */
export function targetHtml(d: TargetPageData): Html {
  const { since, until } = d.period;
  const mine = d.report.targets.find((t) => t.target === d.name && t.vantage === d.vantage);
  const segs = segments(d.rollups, since, until);
  const findings = findingsOf(d.report, d.name, d.vantage);
  const where = d.info ? `${d.info.host}:${d.info.port}, level ${d.info.level}` : "";
  const tags = d.info?.tags.length ? ` · tags: ${d.info.tags.join(", ")}` : "";
  const api = hrefOf(`/api/target/${encodeURIComponent(d.name)}/series`, {
    vantage: d.vantage,
    since: d.sinceText,
  });
  return page({
    title: d.name,
    scripts: ["/assets/uPlot.iife.min.js", "/assets/target-chart.mjs"],
    styles: ["/assets/uPlot.min.css"],
    body: html`<h1>${d.name}</h1><p class="muted">${where}${tags}</p>${nav(d)}${now(d)}
<h2 id="summary">Summary</h2>${summary(mine)}
<h2 id="latency">Connect latency</h2>
<div class="chart" id="chart" data-series="${api}" data-title="${d.name} from ${d.vantage}"></div>
<p class="legend-note">Median connect RTT (line), the spread min–max (shaded) and p90 (dashed) per bucket; on the right axis, connects lost and rounds failed (%, shaded red). The chart needs JavaScript; the numbers are also at <a href="${api}">${api}</a>.</p>
<h2 id="timeline">Cause timeline</h2>${timelineSvg(segs, since, until, `cause timeline of ${d.name} from ${d.vantage}`)}
<details open><summary>Failing periods, newest first</summary>${failingList(segs)}</details>
<h2 id="heatmap">Hour of the week</h2>${heatmapHtml(heatmap(d.rollups))}
<h2 id="findings">Findings</h2>${findings.length ? findings.map(findingHtml) : html`<p>The analysis found no pattern in this period.</p>`}
<h2 id="failures">Recent failures</h2>${failures(d)}`,
  });
}
