/**
 * @module The interactive terminal, like the classic client: raw mode when the server echoes
 * (character mode), the terminal's own line editing otherwise; `^]` opens the `teldoc>` prompt;
 * window changes go out with NAWS; the terminal is restored on every way out.
 */
import { createInterface } from "node:readline";
import { Opt, optionName } from "../protocol/constants.js";
import type { ClientSession } from "../session/client.js";
import { showTrace } from "../trace/show.js";
import { formatMs, parseDuration } from "../util/duration.js";

const ESCAPE = 0x1d; // ^]

let restoreInstalled = false;

/** Put the terminal back as it was (safe to call more than once, and from an exit handler). */
export function restoreTerminal(): void {
  if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
}

/** Character mode when the server echoes; line mode (local echo and editing) otherwise. */
function characterMode(session: ClientSession): boolean {
  return session.telnet.enabled("remote", Opt.ECHO);
}

export const PROMPT_HELP = `Commands at the teldoc> prompt:
  close            close the connection (the diagnosis follows)
  quit             the same
  status           connection state, options in effect, bytes, idle time
  send ayt|nop|brk|ip|ao|ec|el|ga   send a Telnet command
  keepalive DUR    TCP keepalive and IAC NOP every DUR; keepalive off (or 0) stops it
  toggle trace     print every event (negotiation, reads, timers) as it happens, or stop
  help             this text
  (an empty line goes back to the session)`;

/** Run the terminal side of a session until it ends. */
export function runInteractive(session: ClientSession, ended: () => boolean): void {
  const stdin = process.stdin;
  if (!restoreInstalled) {
    restoreInstalled = true;
    process.on("exit", restoreTerminal);
  }
  let promptOpen = false;
  const applyMode = () => {
    if (!promptOpen && stdin.isTTY) stdin.setRawMode(characterMode(session));
  };
  applyMode();
  session.recorder.subscribe((e) => {
    if (e.type === "option" && e.option === "ECHO") applyMode();
  });
  process.stdout.on("resize", () =>
    session.resize({ width: process.stdout.columns, height: process.stdout.rows }),
  );

  const onData = (chunk: Buffer) => {
    if (promptOpen || ended()) return;
    const at = chunk.indexOf(ESCAPE);
    if (at === -1) {
      session.send(characterMode(session) ? chunk : toCrLf(chunk));
      return;
    }
    if (at > 0) session.send(chunk.subarray(0, at));
    promptOpen = true;
    openPrompt(session, () => {
      promptOpen = false;
      applyMode();
    });
  };
  stdin.on("data", onData);
  stdin.resume();
}

/** In line mode the terminal ends lines with LF; the NVT newline is CR LF. */
function toCrLf(chunk: Buffer): Buffer {
  return Buffer.from(chunk.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
}

function openPrompt(session: ClientSession, done: () => void): void {
  restoreTerminal();
  process.stdout.write("\r\n");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const ask = () =>
    rl.question("teldoc> ", (line) => {
      const reply = promptCommand(session, line.trim());
      if (reply.text) process.stdout.write(`${reply.text}\n`);
      if (reply.again) ask();
      else {
        rl.close();
        done();
      }
    });
  ask();
}

/** One command typed at the `teldoc>` prompt. `again`: keep the prompt open. */
export function promptCommand(
  session: ClientSession,
  line: string,
): { text?: string; again: boolean } {
  const [word, arg] = line.split(/\s+/, 2);
  switch ((word ?? "").toLowerCase()) {
    case "":
      return { again: false };
    case "close":
    case "quit":
    case "q":
      session.close("user");
      return { again: false };
    case "status":
      return { text: statusText(session), again: true };
    case "send": {
      const cmd = (arg ?? "").toUpperCase();
      const ok = ["AYT", "NOP", "BRK", "IP", "AO", "EC", "EL", "GA"];
      if (!ok.includes(cmd))
        return { text: "send what? ayt, nop, brk, ip, ao, ec, el or ga", again: true };
      session.sendCommand(cmd as "AYT");
      return { again: false };
    }
    case "keepalive":
      try {
        // 0 was documented as off before `off` was: both turn it off.
        const ms = parseDuration(arg ?? "", "keepalive", { off: true, zero: true });
        session.setKeepalive(ms);
        return { text: ms > 0 ? `keepalive every ${formatMs(ms)}` : "keepalive off", again: true };
      } catch (err) {
        return { text: (err as Error).message, again: true };
      }
    case "toggle":
      if ((arg ?? "").toLowerCase() !== "trace") return { text: "toggle what? trace", again: true };
      return { text: toggleTrace(session), again: true };
    case "help":
    case "?":
      return { text: PROMPT_HELP, again: true };
    default:
      return { text: `unknown command "${word}"; type help`, again: true };
  }
}

const liveTraces = new WeakMap<ClientSession, () => void>();

/** Live trace on the terminal: one line per event, as `trace show` renders it. */
function toggleTrace(session: ClientSession): string {
  const stop = liveTraces.get(session);
  if (stop) {
    stop();
    liveTraces.delete(session);
    return "trace off";
  }
  const unsubscribe = session.recorder.subscribe((e) => {
    for (const line of showTrace([e], undefined, { raw: false }))
      process.stderr.write(`[trace] ${line}\r\n`);
  });
  liveTraces.set(session, unsubscribe);
  return "trace on: events are printed as they happen";
}

function statusText(session: ClientSession): string {
  const o = session.options;
  const on: string[] = [];
  for (const side of ["local", "remote"] as const) {
    for (let opt = 0; opt < 256; opt++) {
      if (session.telnet.enabled(side, opt))
        on.push(`${side === "local" ? "we" : "they"} ${optionName(opt)}`);
    }
  }
  const now = session.recorder.elapsed();
  return [
    `Connected to ${o.host} port ${o.port}; ${session.bytesIn} bytes in, ${session.bytesOut} out`,
    `Idle for ${formatMs(now - Math.max(session.lastInAt, session.lastOutAt))}; options: ${on.join(", ") || "none"}`,
  ].join("\n");
}
