/**
 * @module `teldoc demo`: the lab in-process on loopback, a scripted session against each
 * scenario, and for each what a classic client prints next to teldoc's diagnosis. Exits 0 only
 * when every scenario is diagnosed as its own cause.
 */
import { createServer } from "node:net";
import { runChecklist } from "../checks/run.js";
import type { DiagnoseReport } from "../checks/types.js";
import { endEvent } from "../diagnosis/index.js";
import { startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { ClientSession } from "../session/client.js";
import { parseScript, runScript } from "../session/script.js";
import { textInbox, whenConnected } from "../session/text-inbox.js";
import type { Cause, EndEvent } from "../trace/events.js";
import { renderReport, reportJson } from "./diagnose.js";
import { classicLine } from "./render.js";
import { colorFor, makeStyle } from "./style.js";

interface DemoCase {
  readonly name: string;
  readonly expect: Cause;
  readonly story: string;
  /** The lab scenario, or undefined for a port where nothing listens. */
  readonly scenario?: string;
  readonly config?: Partial<LabConfig>;
  readonly script: string;
}

const LOGIN =
  "expect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend demo\\r\\n\nexpect \\$ 5s\n";

export const DEMO_CASES: readonly DemoCase[] = [
  {
    name: "healthy",
    expect: "logout",
    story: "log in, run a command, log out",
    scenario: "healthy",
    script: `${LOGIN}send echo hello\\r\\n\nexpect hello 5s\nsend exit\\r\\n\nwait 5s\n`,
  },
  { name: "refused", expect: "refused", story: "nothing listens on the port", script: "wait 5s\n" },
  {
    name: "acl-rejected",
    expect: "acl-rejected",
    story: "tcp wrappers accept, then close at once",
    scenario: "acl-rejected",
    script: "wait 5s\n",
  },
  {
    name: "service-unavailable",
    expect: "service-unavailable",
    story: "the server is busy",
    scenario: "service-unavailable",
    script: "wait 5s\n",
  },
  {
    name: "wrong-service",
    expect: "wrong-service",
    story: "an SSH server on the Telnet port",
    scenario: "wrong-service",
    script: "wait 5s\n",
  },
  {
    name: "auth-failed",
    expect: "auth-failed",
    story: "a wrong password three times",
    scenario: "auth-failed",
    config: { tries: 3 },
    script:
      "expect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nexpect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nexpect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nwait 5s\n",
  },
  {
    name: "login-timeout",
    expect: "login-timeout",
    story: "nobody types at the login prompt",
    scenario: "login-timeout",
    config: { loginTimeoutMs: 2000 },
    script: "expect login: 5s\nwait 6s\n",
  },
  {
    name: "idle-timeout",
    expect: "idle-timeout",
    story: "logged in, then idle past the shell's TMOUT",
    scenario: "idle-timeout",
    config: { idleTimeoutMs: 2000 },
    script: `${LOGIN}wait 6s\n`,
  },
  {
    name: "peer-reset",
    expect: "peer-reset",
    story: "the server aborts the session with RST",
    scenario: "peer-reset",
    config: { afterMs: 1500 },
    script: `${LOGIN}send uptime\\r\\n\nwait 5s\n`,
  },
  {
    name: "server-closed",
    expect: "server-closed",
    story: "the server closes for no stated reason",
    scenario: "server-closed",
    config: { afterMs: 1500 },
    script: `${LOGIN}wait 5s\n`,
  },
  {
    name: "local-close",
    expect: "local-close",
    story: "we close the session ourselves",
    scenario: "healthy",
    script: `${LOGIN}close\n`,
  },
];

export interface DemoResult {
  readonly name: string;
  readonly expect: Cause;
  readonly end: EndEvent;
  readonly ok: boolean;
}

/** A loopback port where nothing listens. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function runCase(c: DemoCase): Promise<DemoResult> {
  const lab = c.scenario ? await startLab({ scenario: c.scenario, config: c.config }) : undefined;
  try {
    const port = lab ? lab.port : await closedPort();
    const session = new ClientSession({
      host: "127.0.0.1",
      port,
      connectTimeoutMs: 3000,
      deadPeerMs: 10_000,
    });
    const running = session.run();
    const inbox = textInbox(session, running);
    const drive = (async () => {
      if (await whenConnected(session, running))
        await runScript(session, inbox, parseScript(c.script));
      if (!inbox.ended) session.close("script");
    })();
    const result = await running;
    await drive;
    const end = endEvent(result.events, session.recorder.elapsed(), session);
    return { name: c.name, expect: c.expect, end, ok: end.diagnosis.cause === c.expect };
  } finally {
    await lab?.close();
  }
}

/** Run every case (in parallel: they share nothing). */
export async function runDemoCases(cases: readonly DemoCase[] = DEMO_CASES): Promise<DemoResult[]> {
  return Promise.all(cases.map(runCase));
}

export async function runDemo(opts: { json?: boolean; color?: boolean }): Promise<number> {
  const style = makeStyle(colorFor(process.stdout, opts.color));
  if (!opts.json) {
    process.stdout.write(
      `${style.bold("teldoc demo")}: ${DEMO_CASES.length} sessions against the lab on loopback, each ending in its own way.\n` +
        "For each: what the classic telnet client prints, then what teldoc says.\n\n",
    );
  }
  const t0 = Date.now();
  const results: DemoResult[] = await runDemoCases();
  const { pathDemoUnsupported, PATH_CASES, runPathCases } = await import("./demo-path.js");
  const pathWhyNot = pathDemoUnsupported();
  const stories = new Map<string, string>(
    [...DEMO_CASES, ...PATH_CASES].map((c) => [c.name, c.story]),
  );
  if (pathWhyNot === undefined) {
    try {
      results.push(...(await runPathCases()));
    } catch (err) {
      process.stderr.write(
        `teldoc demo: path scenarios failed to run: ${(err as Error).message}\n`,
      );
    }
  }
  const checklist = await demoChecklist();
  const checklistOk = checklist.verdict.cause === "service-unavailable";
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        results: results.map((r) => ({
          scenario: r.name,
          expected: r.expect,
          ok: r.ok,
          end: r.end,
        })),
        checklist: {
          expected: "service-unavailable",
          ok: checklistOk,
          report: reportJson(checklist),
        },
      })}\n`,
    );
    return results.every((r) => r.ok) && checklistOk ? 0 : 1;
  }
  for (const r of results) {
    const d = r.end.diagnosis;
    process.stdout.write(`${style.bold(`== ${r.name}`)}: ${stories.get(r.name)}\n`);
    process.stdout.write(`   classic telnet: ${style.dim(classicLine(r.end))}\n`);
    process.stdout.write(
      `   teldoc:         ${(r.ok ? style.green : style.red)(d.cause)} (${Math.round(d.confidence * 100)}%) ${d.summary}\n`,
    );
    for (const e of d.evidence.slice(0, 2))
      process.stdout.write(`                   ${style.dim(`- ${e}`)}\n`);
    if (d.advice[0]) process.stdout.write(`                   what to do: ${d.advice[0]}\n`);
    process.stdout.write("\n");
  }
  process.stdout.write(
    `${style.bold("== teldoc diagnose")}: the checklist against a server that serves 2 sessions at once (--user demo --concurrency 3)\n\n`,
  );
  process.stdout.write(`${renderReport(checklist, style, { quiet: true })}\n`);
  const w = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(
    `${"scenario".padEnd(w)}  ${"expected".padEnd(20)}  ${"diagnosed".padEnd(20)}  conf  ok\n`,
  );
  for (const r of results) {
    const mark = r.ok ? style.green("yes") : style.red("NO");
    process.stdout.write(
      `${r.name.padEnd(w)}  ${r.expect.padEnd(20)}  ${r.end.diagnosis.cause.padEnd(20)}  ${String(Math.round(r.end.diagnosis.confidence * 100)).padStart(3)}%  ${mark}\n`,
    );
  }
  const good = results.filter((r) => r.ok).length;
  process.stdout.write(
    `\n${good} of ${results.length} sessions diagnosed correctly; the checklist ${checklistOk ? "found the session limit" : "MISSED the session limit"}; ${((Date.now() - t0) / 1000).toFixed(1)} s in all.`,
  );
  process.stdout.write(
    pathWhyNot === undefined
      ? "\n"
      : `\nPath scenarios (filtered, unreachable, local-firewall, middlebox-timeout, network-failure) skipped: ${pathWhyNot}.\n`,
  );
  return good === results.length && checklistOk ? 0 : 1;
}

/** `teldoc diagnose` on a lab server with a session limit: the checklist finds the limit. */
async function demoChecklist(): Promise<DiagnoseReport> {
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
    });
  } finally {
    await lab.close();
  }
}
