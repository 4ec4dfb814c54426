/**
 * @module `teldoc server-check`: the checks as text (one line each, then what a client would
 * see and what to change), `--json` (one object) or `--markdown` (for a ticket). Exit 0 when
 * nothing fails, 1 otherwise.
 */
import { hostname } from "node:os";
import { TeldocError } from "../errors.js";
import {
  parseAddress,
  type ServerCheck,
  type ServerCheckReport,
  serverCheck,
} from "../hostcheck/server-check/index.js";
import { toJson } from "../util/json.js";
import { parsePort } from "../util/target.js";
import { SERVER_CHECK_OPTIONS, type ServerCheckFlags } from "./options/server-check.js";
import { colorFor, makeStyle, type Style } from "./style.js";

const SYMBOL = { pass: "✔", warn: "!", fail: "✖", skip: "–" } as const;

const where = (c: ServerCheck) => (c.file ? `${c.file}${c.line ? `:${c.line}` : ""}` : "");

function paint(c: ServerCheck, s: Style): (t: string) => string {
  return c.status === "pass"
    ? s.green
    : c.status === "warn"
      ? s.yellow
      : c.status === "fail"
        ? s.red
        : s.dim;
}

/** The report for people. */
export function renderServerCheck(r: ServerCheckReport, s: Style, quiet = false): string {
  const lines = [
    s.bold(`teldoc server-check ${r.host} port ${r.port}`) +
      s.dim(
        `${r.root !== "/" ? `  (config under ${r.root})` : ""}${r.client ? `  client ${r.client}` : ""}`,
      ),
    "",
  ];
  for (const c of r.checks) {
    if (quiet && c.status === "skip") continue;
    const text = c.status === "skip" ? s.dim(c.summary) : c.summary;
    lines.push(`  ${paint(c, s)(SYMBOL[c.status])} ${s.bold(c.id.padEnd(13))} ${text}`);
  }
  if (r.client !== undefined) {
    const ok = r.cause === "healthy";
    lines.push(
      "",
      (ok ? s.green : s.red)(
        s.bold(`${r.client}: ${r.allowed ? "allowed" : "not allowed"}, a client sees: ${r.cause}`),
      ),
    );
  }
  const todo = r.checks
    .filter((c) => c.status === "fail" || c.status === "warn")
    .flatMap((c) => c.advice ?? []);
  if (todo.length > 0) {
    lines.push(s.bold("What to change:"));
    for (const a of todo) lines.push(`  - ${a}`);
  }
  return `${lines.join("\n")}\n`;
}

const md = (t: string) => t.replaceAll("|", "\\|").replaceAll("\n", " ");

function renderMarkdown(r: ServerCheckReport): string {
  const out = [
    `## Telnet server check: ${r.host} port ${r.port}`,
    "",
    ...(r.client !== undefined
      ? [
          `**Client ${r.client}: ${r.allowed ? "allowed" : "not allowed"}; it would see \`${r.cause}\`.**`,
          "",
        ]
      : []),
    "| check | status | finding | file |",
    "|---|---|---|---|",
    ...r.checks.map((c) => `| ${c.id} | ${c.status} | ${md(c.summary)} | ${where(c)} |`),
  ];
  return `${out.join("\n")}\n`;
}

/** The JSON object of the contract. */
function reportJson(r: ServerCheckReport): object {
  return {
    host: r.host,
    port: r.port,
    root: r.root,
    ...(r.client !== undefined ? { client: r.client, allowed: r.allowed, cause: r.cause } : {}),
    checks: r.checks.map((c) => ({
      id: c.id,
      status: c.status,
      summary: c.summary,
      data: c.data,
      ...(c.file !== undefined ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.cause !== undefined ? { cause: c.cause } : {}),
    })),
  };
}

/** Run `teldoc server-check`; resolves to the exit code. */
export async function runServerCheck(f: ServerCheckFlags): Promise<number> {
  if (f.json && f.markdown)
    throw new TeldocError("TELDOC_ERR_USAGE", "choose one of --json and --markdown");
  const port = parsePort(f.port ?? SERVER_CHECK_OPTIONS.port.default);
  if (f.client !== undefined && !parseAddress(f.client))
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `--client ${f.client}: give the client's IP address (e.g. --client 192.0.2.7)`,
    );
  const report = await serverCheck({
    host: hostname(),
    port,
    ...(f.root !== undefined ? { root: f.root } : {}),
    ...(f.client !== undefined ? { client: f.client } : {}),
  });
  if (f.json) process.stdout.write(`${toJson(reportJson(report))}\n`);
  else if (f.markdown) process.stdout.write(renderMarkdown(report));
  else
    process.stdout.write(
      renderServerCheck(report, makeStyle(colorFor(process.stdout, f.color)), f.quiet),
    );
  return report.checks.some((c) => c.status === "fail") ? 1 : 0;
}
