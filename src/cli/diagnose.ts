/**
 * @module `teldoc diagnose HOST [PORT]`: the checklist with progress on a TTY, then the checks,
 * the verdict and the note for the server's administrator — as text, `--json` (one object) or
 * `--markdown` (for a ticket). Exit 0 when healthy, 1 otherwise.
 */
import { runChecklist } from "../checks/run.js";
import type {
  CheckResult,
  CheckStatus,
  DiagnoseOptions,
  DiagnoseReport,
  ProgressEvent,
} from "../checks/types.js";
import { TeldocError } from "../errors.js";
import { SESSION_DEFAULTS } from "../session/options.js";
import { formatMs, formatUtc, parseDuration } from "../util/duration.js";
import { toJson } from "../util/json.js";
import { parsePort, parseTarget } from "../util/target.js";
import { parseCount, passwordFromEnv } from "./args.js";
import { DIAGNOSE_OPTIONS, type DiagnoseFlags } from "./options/diagnose.js";
import { colorFor, makeStyle, type Style } from "./style.js";

const SYMBOL: Readonly<Record<CheckStatus, string>> = {
  pass: "✔",
  warn: "!",
  fail: "✖",
  skip: "–",
};

function paint(status: CheckStatus, style: Style): (s: string) => string {
  return status === "pass"
    ? style.green
    : status === "warn"
      ? style.yellow
      : status === "fail"
        ? style.red
        : style.dim;
}

/** One checklist line. */
function checkLine(c: CheckResult, style: Style): string {
  const p = paint(c.status, style);
  const time = c.status === "skip" ? "" : style.dim(`  ${formatMs(c.durationMs)}`);
  return `  ${p(SYMBOL[c.status])} ${style.bold(c.id.padEnd(7))} ${c.status === "skip" ? style.dim(c.summary) : c.summary}${time}`;
}

/** The report's first line: what is checked, when, from where. */
function header(
  target: { host: string; port: number; address?: string },
  style: Style,
  startedAt?: string,
  localAddress?: string,
): string {
  const where = target.address && target.address !== target.host ? ` (${target.address})` : "";
  const when = startedAt ? `  ${formatUtc(startedAt)}` : "";
  return (
    style.bold(`teldoc diagnose ${target.host}${where} port ${target.port}`) +
    style.dim(`${when}${localAddress ? `, from ${localAddress}` : ""}`)
  );
}

/** The whole report for people. */
export function renderReport(
  r: DiagnoseReport,
  style: Style,
  options: { quiet?: boolean; verbose?: boolean; checklist?: boolean } = {},
): string {
  const v = r.verdict;
  // With live progress on the same terminal, the header and the checks are already shown.
  const lines =
    options.checklist === false
      ? [""]
      : [
          header(r.target, style, r.startedAt, r.localAddress),
          "",
          ...r.checks
            .filter((c) => !(options.quiet && c.status === "skip"))
            .map((c) => checkLine(c, style)),
          "",
        ];
  const good = v.cause === "healthy";
  const head = good ? style.green : style.red;
  lines.push(
    `${head(style.bold(`Verdict: ${v.cause}`))} ${style.dim(`(confidence ${Math.round(v.confidence * 100)}%, ${formatMs(r.durationMs)})`)}`,
  );
  lines.push(`  ${v.summary}`);
  if (v.evidence.length > 0) {
    lines.push(style.bold("  Evidence:"));
    for (const e of v.evidence) lines.push(`    - ${e}`);
  }
  if (v.advice.length > 0) {
    lines.push(style.bold("  What to do:"));
    for (const a of v.advice) lines.push(`    - ${a}`);
  }
  if (v.alternatives.length > 0 && options.verbose)
    lines.push(
      style.dim(
        `  Also possible: ${v.alternatives.map((a) => `${a.cause} ${Math.round(a.confidence * 100)}%`).join(", ")}`,
      ),
    );
  if (!options.quiet && r.adminNote) {
    lines.push("", style.bold("Note for the server's administrator:"), "");
    for (const l of r.adminNote.split("\n")) lines.push(`  ${l}`);
  }
  return `${lines.join("\n")}\n`;
}

const mdEscape = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The report as Markdown, for a ticket. */
function renderMarkdown(r: DiagnoseReport): string {
  const v = r.verdict;
  const out = [
    `## Telnet diagnosis: ${r.target.host}${r.target.address && r.target.address !== r.target.host ? ` (${r.target.address})` : ""} port ${r.target.port}`,
    "",
    `Checked ${formatUtc(r.startedAt)}${r.localAddress ? ` from ${r.localAddress}` : ""} with teldoc, in ${formatMs(r.durationMs)}.`,
    "",
    `**Verdict: \`${v.cause}\`** (confidence ${Math.round(v.confidence * 100)}%): ${v.summary}`,
    "",
    "| check | status | result | time |",
    "|---|---|---|---|",
    ...r.checks.map(
      (c) =>
        `| ${c.id} | ${c.status} | ${mdEscape(c.summary)} | ${c.status === "skip" ? "" : formatMs(c.durationMs)} |`,
    ),
    "",
    "**Evidence**",
    "",
    ...v.evidence.map((e) => `- ${e}`),
    "",
    "**What to do**",
    "",
    ...v.advice.map((a) => `- ${a}`),
  ];
  if (r.adminNote)
    out.push("", "**Note for the server's administrator**", "", "```text", r.adminNote, "```");
  return `${out.join("\n")}\n`;
}

/** The JSON object of the contract: target, checks (without findings), verdict, plus the note (null when none is written). */
export function reportJson(r: DiagnoseReport): object {
  return {
    target: r.target,
    startedAt: r.startedAt,
    durationMs: Math.round(r.durationMs),
    ...(r.localAddress ? { localAddress: r.localAddress } : {}),
    checks: r.checks.map((c) => ({
      id: c.id,
      status: c.status,
      summary: c.summary,
      durationMs: Math.round(c.durationMs * 10) / 10,
      data: c.data,
    })),
    verdict: r.verdict,
    adminNote: r.adminNote,
  };
}

/** A one-line progress display on a TTY (stderr), rewritten in place. */
function progressLine(
  stream: NodeJS.WriteStream,
  style: Style,
): { update: (e: ProgressEvent) => void; clear: () => void } {
  const running = new Map<string, string>();
  let shown = false;
  const draw = () => {
    const parts = [...running.entries()].map(([id, text]) => (text ? `${id}: ${text}` : id));
    const line = parts.length === 0 ? "" : `${style.dim("…")} ${parts.join(" · ")}`;
    const width = stream.columns ?? 100;
    stream.write(`\r\u001b[2K${line.slice(0, width - 1)}`);
    shown = line !== "";
  };
  return {
    update(e) {
      if (e.kind === "start") running.set(e.id, "");
      else if (e.kind === "news") running.set(e.id, e.text);
      else {
        running.delete(e.result.id);
        stream.write(`\r\u001b[2K${checkLine(e.result, style)}\n`);
      }
      draw();
    },
    clear() {
      if (shown) stream.write("\r\u001b[2K");
    },
  };
}

/**
 * Check every flag before anything touches the network (usage errors throw TeldocError): the
 * checklist's options, without the progress and the signal.
 */
function planDiagnose(
  hostArg: string,
  portArg: string | undefined,
  f: DiagnoseFlags,
): DiagnoseOptions {
  const { host, port } = parseTarget(hostArg, portArg);
  if (f.json && f.markdown)
    throw new TeldocError("TELDOC_ERR_USAGE", "choose one of --json and --markdown");
  const connectTimeoutMs =
    f.connectTimeout === undefined
      ? SESSION_DEFAULTS.connectTimeoutMs
      : parseDuration(f.connectTimeout, "--connect-timeout");
  const sshPort = parsePort(f.portSsh ?? DIAGNOSE_OPTIONS.portSsh.default);
  const idleTestMs =
    f.idleTest !== undefined ? parseDuration(f.idleTest, "--idle-test") : undefined;
  if (idleTestMs !== undefined && idleTestMs < 1000)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "--idle-test must be at least 1s (e.g. --idle-test 10m)",
    );
  const concurrency =
    f.concurrency !== undefined ? parseCount(f.concurrency, "--concurrency", 200) : undefined;
  const password = passwordFromEnv(f);
  return {
    host,
    port,
    connectTimeoutMs,
    sshPort,
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(idleTestMs !== undefined ? { idleTestMs } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}

/** Run `teldoc diagnose`; resolves to the exit code. */
export async function runDiagnose(
  hostArg: string,
  portArg: string | undefined,
  f: DiagnoseFlags,
): Promise<number> {
  const options = planDiagnose(hostArg, portArg, f);
  const style = makeStyle(colorFor(process.stdout, f.color));
  const errStyle = makeStyle(colorFor(process.stderr, f.color));
  const live =
    process.stderr.isTTY === true && !f.quiet ? progressLine(process.stderr, errStyle) : undefined;
  if (live) process.stderr.write(`${header(options, errStyle, new Date().toISOString())}\n\n`);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  let report: DiagnoseReport;
  try {
    report = await runChecklist({
      ...options,
      signal: abort.signal,
      ...(live ? { onProgress: live.update } : {}),
    });
  } finally {
    process.removeListener("SIGINT", onSignal);
    live?.clear();
  }
  if (f.json) process.stdout.write(`${toJson(reportJson(report))}\n`);
  else if (f.markdown) process.stdout.write(renderMarkdown(report));
  else
    process.stdout.write(
      renderReport(report, style, {
        quiet: f.quiet,
        verbose: f.verbose,
        // The checks went by live on this terminal: print what they add up to.
        checklist: !(live && process.stdout.isTTY === true),
      }),
    );
  return report.verdict.cause === "healthy" ? 0 : 1;
}
