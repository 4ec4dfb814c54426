/**
 * @module `teldoc demo`: the lab in-process on loopback (and, as root, the path scenarios in
 * network namespaces), a scripted session against each scenario, and for each what a classic
 * client prints next to teldoc's diagnosis. The cases run in parallel and each is printed as it
 * ends; the table at the end is in a stable order. Exits 0 only when every scenario that ran is
 * diagnosed as its own cause.
 */
import { setTimeout as delay } from "node:timers/promises";
import { runChecklist } from "../checks/run.js";
import type { DiagnoseReport } from "../checks/types.js";
import { startLab } from "../lab/server.js";
import { toJson } from "../util/json.js";
import { DEMO_CASES, type DemoResult, runCase } from "./demo-cases.js";
import { DemoOutput } from "./demo-output.js";
import { renderReport, reportJson } from "./diagnose.js";
import { classicLine } from "./render.js";
import { colorFor, makeStyle, type Style } from "./style.js";

/** A case to run: a loopback scenario or a path scenario. */
interface Planned {
  readonly name: string;
  readonly story: string;
  readonly run: (signal: AbortSignal) => Promise<DemoResult>;
}

/** A case's result, or why it could not run. */
interface Outcome {
  readonly name: string;
  readonly result?: DemoResult;
  readonly error?: string;
}

const PATH_START_MS = 1500;

/** Every case that will run here: the path ones only where namespaces can be built. */
async function planCases(): Promise<{ plan: Planned[]; pathNames: string[]; pathWhyNot?: string }> {
  const { PATH_CASES, pathDemoUnsupported, runPathCase } = await import("./demo-path.js");
  const pathWhyNot = pathDemoUnsupported();
  const plan: Planned[] = DEMO_CASES.map((c) => ({
    name: c.name,
    story: c.story,
    run: (signal: AbortSignal) => runCase(c, signal),
  }));
  // The path cases start a little later: building namespaces and starting processes loads
  // the CPU, and a loaded lab can send its RST as a FIN (the short loopback cases end by then).
  const later = (signal: AbortSignal) => delay(PATH_START_MS, undefined, { signal });
  if (pathWhyNot === undefined)
    for (const c of PATH_CASES)
      plan.push({
        name: c.name,
        story: c.story,
        run: (signal) => later(signal).then(() => runPathCase(c, signal)),
      });
  return { plan, pathNames: PATH_CASES.map((c) => c.name), pathWhyNot };
}

export async function runDemo(opts: { json?: boolean; color?: boolean }): Promise<number> {
  const style = makeStyle(colorFor(process.stdout, opts.color));
  const { plan, pathNames, pathWhyNot } = await planCases();
  const out = new DemoOutput(process.stdout, !opts.json && process.stdout.isTTY === true);
  try {
    if (!opts.json) out.write(header(plan, pathNames, style));
    const t0 = Date.now();
    const [outcomes, checklist] = await Promise.all([
      Promise.all(plan.map((c) => runOne(c, out, opts.json === true, style))),
      out.track("diagnose checklist", demoChecklist(out.signal)).then((report) => {
        if (!opts.json) out.write(renderChecklist(report, style));
        return report;
      }),
    ]);
    // Nobody reads any more (`teldoc demo | head`): the cases were stopped; end quietly.
    if (out.gone) return 0;
    const checklistOk = checklist.verdict.cause === "service-unavailable";
    const ran = outcomes.flatMap((o) => (o.result ? [o.result] : []));
    const notRun = outcomes.flatMap((o) => (o.error ? [{ scenario: o.name, why: o.error }] : []));
    if (pathWhyNot !== undefined)
      notRun.push(...pathNames.map((scenario) => ({ scenario, why: pathWhyNot })));
    if (opts.json) out.write(`${toJson(demoJson(ran, notRun, checklist, checklistOk))}\n`);
    else {
      out.write(renderTable(ran, style));
      out.write(summary(ran, outcomes.length - ran.length, checklistOk, Date.now() - t0));
      if (pathWhyNot !== undefined)
        out.write(`Path scenarios (${pathNames.join(", ")}) skipped: ${pathWhyNot}.\n`);
    }
    return ran.every((r) => r.ok) && checklistOk ? 0 : 1;
  } finally {
    out.close();
  }
}

/** What will run, and how it is shown. */
function header(plan: readonly Planned[], pathNames: readonly string[], style: Style): string {
  const inNetns = plan.length - DEMO_CASES.length;
  const where =
    inNetns > 0
      ? `the lab (${DEMO_CASES.length} on loopback, ${inNetns} across network namespaces)`
      : `the lab on loopback (the ${pathNames.length} path scenarios are skipped: see the end)`;
  return (
    `${style.bold("teldoc demo")}: ${plan.length} sessions against ${where}, each ending in its own way, and the diagnose checklist.\n` +
    `They run in parallel; each is printed as it ends (the table at the end is in order).\n` +
    "For each: what the classic telnet client prints, then what teldoc says.\n\n"
  );
}

/** Run one case and print it as soon as it ends; a case that cannot run is said so. */
async function runOne(c: Planned, out: DemoOutput, json: boolean, style: Style): Promise<Outcome> {
  try {
    const result = await out.track(c.name, c.run(out.signal));
    if (!json) out.write(renderCase(result, c.story, style));
    return { name: c.name, result };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    if (out.gone) return { name: c.name, error };
    if (json) process.stderr.write(`teldoc demo: ${c.name} could not run: ${error}\n`);
    else out.write(`${style.bold(`== ${c.name}`)}: ${c.story}\n   could not run: ${error}\n\n`);
    return { name: c.name, error };
  }
}

/** One case: the classic client's line, then teldoc's cause, evidence and first advice. */
function renderCase(r: DemoResult, story: string, style: Style): string {
  const d = r.end.diagnosis;
  const lines = [
    `${style.bold(`== ${r.name}`)}: ${story}`,
    `   classic telnet: ${style.dim(classicLine(r.end))}`,
    `   teldoc:         ${(r.ok ? style.green : style.red)(d.cause)} (${Math.round(d.confidence * 100)}%) ${d.summary}`,
    ...d.evidence.slice(0, 2).map((e) => `                   ${style.dim(`- ${e}`)}`),
  ];
  if (d.advice[0]) lines.push(`                   what to do: ${d.advice[0]}`);
  return `${lines.join("\n")}\n\n`;
}

function renderChecklist(report: DiagnoseReport, style: Style): string {
  return (
    `${style.bold("== teldoc diagnose")}: the checklist against a server that serves 2 sessions at once (--user demo --concurrency 3)\n\n` +
    `${renderReport(report, style, { quiet: true })}\n`
  );
}

/** The table of every session that ran, in the plan's order. */
function renderTable(results: readonly DemoResult[], style: Style): string {
  const w = Math.max(8, ...results.map((r) => r.name.length));
  const rows = [
    `${"scenario".padEnd(w)}  ${"expected".padEnd(20)}  ${"diagnosed".padEnd(20)}  conf  ok`,
  ];
  for (const r of results) {
    const mark = r.ok ? style.green("yes") : style.red("NO");
    const conf = String(Math.round(r.end.diagnosis.confidence * 100)).padStart(3);
    rows.push(
      `${r.name.padEnd(w)}  ${r.expect.padEnd(20)}  ${r.end.diagnosis.cause.padEnd(20)}  ${conf}%  ${mark}`,
    );
  }
  return `${rows.join("\n")}\n`;
}

function summary(ran: readonly DemoResult[], failed: number, checklistOk: boolean, ms: number) {
  const good = ran.filter((r) => r.ok).length;
  const notRun = failed > 0 ? `; ${failed} could not run (see above)` : "";
  return `\n${good} of ${ran.length} sessions diagnosed correctly${notRun}; the checklist ${checklistOk ? "found the session limit" : "MISSED the session limit"}; ${(ms / 1000).toFixed(1)} s in all.\n`;
}

/** `demo --json`: one object, written at the end. */
function demoJson(
  ran: readonly DemoResult[],
  notRun: readonly { scenario: string; why: string }[],
  checklist: DiagnoseReport,
  checklistOk: boolean,
): object {
  return {
    results: ran.map((r) => ({ scenario: r.name, expected: r.expect, ok: r.ok, end: r.end })),
    notRun,
    checklist: { expected: "service-unavailable", ok: checklistOk, report: reportJson(checklist) },
  };
}

/** `teldoc diagnose` on a lab server with a session limit: the checklist finds the limit. */
async function demoChecklist(signal: AbortSignal): Promise<DiagnoseReport> {
  const lab = await startLab({
    scenario: "service-unavailable",
    port: 0,
    config: { variant: "limit", limit: 2 },
  });
  try {
    return await runChecklist({
      host: "127.0.0.1",
      port: lab.port,
      connectTimeoutMs: 3000,
      sshPort: 22,
      user: "demo",
      password: "demo",
      concurrency: 3,
      signal,
    });
  } finally {
    await lab.close();
  }
}
