/**
 * @module `teldoc connect HOST [PORT]`: the Telnet client. Server data goes to stdout; when the
 * session ends, the classic line and the diagnosis go to stderr (or, with --json, every event
 * and the `end` object go to stdout as JSON Lines).
 */
import { readFileSync, type WriteStream } from "node:fs";
import { endEvent } from "../diagnosis/index.js";
import { TeldocError } from "../errors.js";
import { ClientSession, type SessionEnd } from "../session/client.js";
import { SESSION_DEFAULTS } from "../session/options.js";
import { autoLogin, parseScript, runScript, type Step } from "../session/script.js";
import { textInbox, whenConnected } from "../session/text-inbox.js";
import { openForWriting, recordingFailed } from "../session/trace-file.js";
import type { EndEvent } from "../trace/events.js";
import { encodeEvent } from "../trace/jsonl.js";
import { PcapngWriter } from "../trace/pcapng.js";
import { type DurationRules, parseDuration } from "../util/duration.js";
import { parseTarget } from "../util/target.js";
import { passwordFromEnv } from "./args.js";
import { announceConnect } from "./connect-announce.js";
import { restoreTerminal, runInteractive } from "./interactive.js";
import { liveEvents } from "./live-events.js";
import { CONNECT_OPTIONS, type ConnectFlags } from "./options/connect.js";
import { feedPipedInput } from "./piped-input.js";
import { classicLine, renderDiagnosis } from "./render.js";
import { colorFor, makeStyle } from "./style.js";

interface Plan {
  host: string;
  port: number;
  connectTimeoutMs: number;
  keepaliveMs?: number;
  antiIdle?: { text: string; everyMs: number };
  loginTimeoutMs?: number;
  deadPeerMs: number;
  lingerMs: number;
  steps?: Step[];
  user?: string;
  password?: string;
}

/** Check every flag before anything touches the network; usage errors throw TeldocError. */
export function planConnect(hostArg: string, portArg: string | undefined, f: ConnectFlags): Plan {
  const { host, port } = parseTarget(hostArg, portArg);
  const dur = (v: string | undefined, name: string, rules?: DurationRules) =>
    v === undefined ? undefined : parseDuration(v, name, rules);
  if ((f.antiIdle === undefined) !== (f.antiIdleEvery === undefined)) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "--anti-idle TEXT and --anti-idle-every DUR go together: give both",
    );
  }
  const password = passwordFromEnv(f);
  let steps: Step[] | undefined;
  if (f.script !== undefined) {
    let text: string;
    try {
      text = readFileSync(f.script, "utf8");
    } catch (err) {
      throw new TeldocError(
        "TELDOC_ERR_USAGE",
        `--script ${f.script}: cannot read it (${(err as NodeJS.ErrnoException).code})`,
      );
    }
    steps = parseScript(text);
  }
  const antiIdleEvery = dur(f.antiIdleEvery, "--anti-idle-every");
  return {
    host,
    port,
    connectTimeoutMs:
      dur(f.connectTimeout, "--connect-timeout") ?? SESSION_DEFAULTS.connectTimeoutMs,
    // off is 0: the session starts no keepalive and no dead-peer timer.
    keepaliveMs: dur(f.keepalive, "--keepalive", { off: true }) || undefined,
    antiIdle:
      f.antiIdle !== undefined && antiIdleEvery !== undefined
        ? { text: f.antiIdle, everyMs: antiIdleEvery }
        : undefined,
    loginTimeoutMs: dur(f.loginTimeout, "--login-timeout"),
    deadPeerMs: dur(f.deadPeer, "--dead-peer", { off: true }) ?? SESSION_DEFAULTS.deadPeerMs,
    lingerMs: parseDuration(f.linger ?? CONNECT_OPTIONS.linger.default, "--linger", { zero: true }),
    steps,
    user: f.user,
    password,
  };
}

/** The signals that close the session (then the diagnosis is printed as for any end). */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Run a connect session; resolves to the exit code. */
export async function runConnect(
  hostArg: string,
  portArg: string | undefined,
  f: ConnectFlags,
): Promise<number> {
  const plan = planConnect(hostArg, portArg, f);
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true && !f.json;
  if (plan.antiIdle && !f.quiet) {
    process.stderr.write(
      "teldoc: warning: --anti-idle sends keystrokes to defeat the server's idle policy; make sure that is allowed\n",
    );
  }
  const session = openSession(plan, f);
  const recordings = record(session, plan, f);
  if (f.json) printJson(session);
  else showToPeople(session, plan, f, tty);
  let ended = false;
  const onSignal = () => session.close("signal");
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  const run = session.run();
  const running = run.then((r) => {
    ended = true;
    return r;
  });
  const script: ScriptResult = {};
  const driving = drive(session, run, plan, tty, () => ended, script);
  const result = await running;
  for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  process.stdin.pause();
  restoreTerminal();
  const end = endEvent(result.events, session.recorder.elapsed(), session);
  await recordings.finish(end);
  const ok = ["logout", "local-close"].includes(end.diagnosis.cause);
  printEnd(end, ok, f);
  // A script step that failed fails the run, however the session then ended.
  await driving;
  return script.failed !== undefined ? 1 : ok ? 0 : 1;
}

/** The client session the plan asks for, with what this terminal tells the server. */
function openSession(plan: Plan, f: ConnectFlags): ClientSession {
  return new ClientSession({
    host: plan.host,
    port: plan.port,
    connectTimeoutMs: plan.connectTimeoutMs,
    keepaliveMs: plan.keepaliveMs,
    antiIdle: plan.antiIdle,
    loginTimeoutMs: plan.loginTimeoutMs,
    deadPeerMs: plan.deadPeerMs,
    terminalTypes: [process.env.TERM ?? "unknown"],
    windowSize: process.stdout.isTTY
      ? { width: process.stdout.columns, height: process.stdout.rows }
      : undefined,
    environment: process.env.USER ? [{ kind: "VAR", name: "USER", value: process.env.USER }] : [],
    rawIo: f.trace !== undefined || f.pcap !== undefined,
  });
}

/**
 * --trace and --pcap: each file a reader that may fall behind (the session stops reading until
 * it drains). `finish` adds the end object to the trace and closes the files.
 */
function record(
  session: ClientSession,
  plan: Plan,
  f: ConnectFlags,
): { finish: (end: EndEvent) => Promise<void> } {
  const files: WriteStream[] = [];
  let traceFile: WriteStream | undefined;
  if (f.trace !== undefined) {
    const file = openOutput(f.trace, "trace", session);
    traceFile = file;
    files.push(file);
    session.recorder.subscribe((e) => {
      if (!file.destroyed) session.throttle(file, file.write(encodeEvent(e)));
    });
  }
  if (f.pcap !== undefined) {
    const pcapFile = openOutput(f.pcap, "pcap", session);
    files.push(pcapFile);
    const pcap = new PcapngWriter(Date.now() - session.recorder.elapsed());
    pcapFile.write(pcap.header(`teldoc ${plan.host} port ${plan.port}`));
    session.recorder.subscribe((e) => {
      if (pcapFile.destroyed) return;
      for (const b of pcap.blocks(e)) session.throttle(pcapFile, pcapFile.write(b));
    });
  }
  return {
    async finish(end) {
      traceFile?.write(encodeEvent(end));
      await Promise.all(files.map((file) => new Promise<void>((resolve) => file.end(resolve))));
    },
  };
}

/** --json: every event but the raw reads and writes on stdout, as JSON Lines. */
function printJson(session: ClientSession): void {
  session.recorder.subscribe(
    (e) => {
      if (e.type !== "read" && e.type !== "write")
        session.throttle(process.stdout, process.stdout.write(encodeEvent(e)));
    },
    { fullText: true },
  );
}

/**
 * Without --json: the server's text on stdout; with -v each event on stderr; on a terminal,
 * like the classic client, what happens while connecting (stderr, for people only).
 */
function showToPeople(session: ClientSession, plan: Plan, f: ConnectFlags, tty: boolean): void {
  session.onData((b) => session.throttle(process.stdout, process.stdout.write(b)));
  if (f.verbose) liveEvents(session);
  if (process.stderr.isTTY === true && !f.quiet)
    announceConnect(session, {
      out: process.stderr,
      connectTimeoutMs: plan.connectTimeoutMs,
      escape: tty && !plan.steps,
    });
}

/** The end: the JSON object, one line (-q), or the classic line and the diagnosis. */
function printEnd(end: EndEvent, ok: boolean, f: ConnectFlags): void {
  if (f.json) {
    process.stdout.write(encodeEvent(end));
  } else if (f.quiet) {
    // The classic line when all went as asked, else the cause and why.
    const d = end.diagnosis;
    process.stderr.write(`${ok ? classicLine(end) : `teldoc: ${d.cause}: ${d.summary}`}\n`);
  } else {
    const style = makeStyle(colorFor(process.stderr, f.color));
    process.stderr.write(`${classicLine(end)}\n${renderDiagnosis(end, style, f.verbose)}`);
  }
}

/** What the script did: the failed step's description, when one failed. */
interface ScriptResult {
  failed?: string;
}

/**
 * Open an output file now, so a bad path is a usage error before anything connects. A write
 * that fails later (disk full) is one warning line; the recording stops, the session goes on.
 */
function openOutput(path: string, what: string, session: ClientSession): WriteStream {
  try {
    return openForWriting(path, (err) => {
      const failed = recordingFailed(what, path, err, session.recorder.elapsed());
      process.stderr.write(`teldoc: warning: ${failed.message}\n`);
    });
  } catch (err) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `cannot write the ${what} to ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

/** Feed the session: login, then the script or stdin. */
async function drive(
  session: ClientSession,
  run: Promise<SessionEnd>,
  plan: Plan,
  tty: boolean,
  ended: () => boolean,
  script: ScriptResult,
): Promise<void> {
  // Pattern watching keeps the text: only when a login or a script needs it.
  const inbox = plan.user !== undefined || plan.steps ? textInbox(session, run) : undefined;
  if (!(await whenConnected(session, run))) return;
  if (plan.user !== undefined && inbox) {
    const login = await autoLogin(
      session,
      inbox,
      plan.user,
      plan.password,
      plan.loginTimeoutMs ?? SESSION_DEFAULTS.loginTimeoutMs,
    );
    const r = login.outcome;
    if (!r.ok && r.why === "timeout")
      process.stderr.write(`teldoc: the login did not finish: no ${login.waitingFor} came\n`);
  }
  if (plan.steps && inbox) {
    script.failed = await runScript(session, inbox, plan.steps);
    if (script.failed !== undefined) process.stderr.write(`teldoc: script ${script.failed}\n`);
    if (!ended()) session.close("script");
    return;
  }
  if (tty) {
    runInteractive(session, ended);
    return;
  }
  feedPipedInput(session, process.stdin, () => {
    setTimeout(() => session.close("stdin-eof"), plan.lingerMs).unref();
  });
}
