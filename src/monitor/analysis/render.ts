/**
 * @module The report for people: `reportText` for a terminal (one block per target that has
 * something to say, the healthy ones in one line, then the findings across targets and the
 * tags) and `reportMarkdown`. Pure string functions; the CLI prints them.
 */
import { causesText, count, DAY_MS, msText, namesText, pct, when } from "./format.js";
import type { Finding, Report, TagReport, TargetReport } from "./types.js";

/** Below 99 % availability a series is worth a look even when no pattern was found. */
export const NOTABLE_AVAILABILITY = 0.99;
/** Evidence lines shown under a finding in the terminal. */
const TEXT_EVIDENCE = 4;
/** Healthy series named in the one line about them. */
const HEALTHY_NAMES = 6;

/** True when a series gets a block of its own. */
export function isNotable(t: TargetReport): boolean {
  return (
    t.findings.length > 0 || (t.availability !== null && t.availability < NOTABLE_AVAILABILITY)
  );
}

const seriesName = (t: { target: string; vantage: string }) => `${t.target} from ${t.vantage}`;

function availabilityText(t: { availability: number | null; rounds: number }): string {
  return t.availability === null
    ? `no round ran of ${count(t.rounds)}`
    : `availability ${pct(t.availability)} of ${count(t.rounds)} rounds`;
}

function rttText(r: { p50: number | null; p90: number | null }): string {
  return r.p50 === null
    ? "no connect answered"
    : `RTT p50 ${msText(r.p50)}, p90 ${msText(r.p90 ?? r.p50)}`;
}

function failuresText(byCause: TargetReport["byCause"]): string {
  const causes = causesText(byCause, 4);
  return causes ? `failed: ${causes}` : "no failure";
}

/** The period line: "2026-11-01 00:00 UTC → 2026-11-29 00:00 UTC (28 days)". */
function periodText(r: Report): string {
  const since = Date.parse(r.since);
  const until = Date.parse(r.until);
  const days = Math.round(((until - since) / DAY_MS) * 10) / 10;
  return `${when(since)} → ${when(until)} (${days} day${days === 1 ? "" : "s"})`;
}

function overview(r: Report): string {
  const targets = new Set(r.targets.map((t) => t.target)).size;
  const vantages = new Set(r.targets.map((t) => t.vantage)).size;
  const n = r.findings.length;
  return `${count(targets)} target${targets === 1 ? "" : "s"} from ${vantages} vantage point${vantages === 1 ? "" : "s"}; ${n ? `${n} finding${n === 1 ? "" : "s"}` : "no pattern found"}.`;
}

const conf = (f: Finding) => f.confidence.toFixed(2);

function findingText(f: Finding, indent: string): string[] {
  const head = `${indent}[${conf(f)}] ${f.kind}: ${f.summary}`;
  const ev = f.evidence.slice(0, TEXT_EVIDENCE).map((e) => `${indent}       ${e}`);
  if (f.evidence.length > TEXT_EVIDENCE)
    ev.push(`${indent}       (${f.evidence.length - TEXT_EVIDENCE} more lines in --json)`);
  return [head, ...ev];
}

function healthyLine(healthy: readonly TargetReport[]): string[] {
  if (!healthy.length) return [];
  const names = healthy.map(seriesName);
  return [
    `Healthy: ${count(healthy.length)} series at ${pct(NOTABLE_AVAILABILITY)} or better with nothing found (${namesText(names, HEALTHY_NAMES)}).`,
  ];
}

function tagLine(t: TagReport): string {
  return `  ${t.tag}: ${t.series} series, ${availabilityText(t)}; ${failuresText(t.byCause)}; ${rttText(t.rttMs)}`;
}

/**
 * The report for a terminal.
 * @example process.stdout.write(reportText(analyse(input)))
 */
export function reportText(r: Report): string {
  const lines = [`Monitor report ${periodText(r)}`, overview(r), ""];
  const notable = r.targets.filter(isNotable);
  for (const t of notable) {
    lines.push(
      `${seriesName(t)}: ${availabilityText(t)}; ${failuresText(t.byCause)}; ${rttText(t.rttMs)}`,
    );
    for (const f of t.findings) lines.push(...findingText(f, "  "));
    lines.push("");
  }
  const healthy = healthyLine(r.targets.filter((t) => !isNotable(t)));
  if (healthy.length) lines.push(...healthy, "");
  const cross = r.findings.filter((f) => f.target === null || f.kind === "vantage");
  if (cross.length) {
    lines.push("Across targets:");
    for (const f of cross) lines.push(...findingText(f, "  "));
    lines.push("");
  }
  if (r.tags.length) lines.push("Tags:", ...r.tags.map(tagLine), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

/** A Markdown table cell: no pipes or line breaks. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/** Whom a finding is about: "core-sw1 from office-lan", "core-sw1", "from office-lan". */
function whom(f: Finding): string {
  if (f.target !== null && f.vantage !== null) return `${f.target} from ${f.vantage}`;
  return f.target ?? (f.vantage ? `from ${f.vantage}` : "across targets");
}

function findingMarkdown(f: Finding, who = false): string[] {
  const about = who ? ` — ${whom(f)}` : "";
  return [
    `- **${f.kind}**${about} (confidence ${conf(f)}): ${f.summary}`,
    ...f.evidence.map((e) => `  - ${e}`),
  ];
}

function targetsMarkdown(r: Report): string[] {
  const notable = r.targets.filter(isNotable);
  const rows = notable.map((t) => [
    t.target,
    t.vantage,
    count(t.rounds),
    t.availability === null ? "-" : pct(t.availability),
    causesText(t.byCause, 4) || "-",
    t.rttMs.p50 === null ? "-" : msText(t.rttMs.p50),
    t.rttMs.p90 === null ? "-" : msText(t.rttMs.p90),
    String(t.findings.length),
  ]);
  const out = ["## Targets", ""];
  if (rows.length)
    out.push(
      ...table(
        [
          "target",
          "vantage",
          "rounds",
          "availability",
          "failures",
          "RTT p50",
          "RTT p90",
          "findings",
        ],
        rows,
      ),
      "",
    );
  out.push(...healthyLine(r.targets.filter((t) => !isNotable(t))), "");
  for (const t of notable.filter((t) => t.findings.length)) {
    out.push(`### ${seriesName(t)}`, "");
    for (const f of t.findings) out.push(...findingMarkdown(f));
    out.push("");
  }
  return out;
}

/**
 * The report as Markdown (for a ticket or a wiki page).
 * @example writeFileSync("report.md", reportMarkdown(report))
 */
export function reportMarkdown(r: Report): string {
  const out = ["# Monitor report", "", `${periodText(r)}. ${overview(r)}`, ""];
  if (r.findings.length) {
    out.push("## Findings, most confident first", "");
    for (const f of r.findings) out.push(...findingMarkdown(f, true));
    out.push("");
  }
  out.push(...targetsMarkdown(r));
  if (r.tags.length) {
    const rows = r.tags.map((t) => [
      t.tag,
      String(t.series),
      count(t.rounds),
      t.availability === null ? "-" : pct(t.availability),
      causesText(t.byCause, 4) || "-",
      t.rttMs.p50 === null ? "-" : msText(t.rttMs.p50),
      t.rttMs.p90 === null ? "-" : msText(t.rttMs.p90),
    ]);
    out.push(
      "## Tags",
      "",
      ...table(["tag", "series", "rounds", "availability", "failures", "RTT p50", "RTT p90"], rows),
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}
