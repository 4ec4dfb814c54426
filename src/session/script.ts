/**
 * @module Scripts for `connect --script`: one step a line, `#` comments —
 * `expect REGEX [TIMEOUT]`, `send TEXT` (escapes \r \n \t \\ \xHH), `sleep DUR`, `wait [DUR]`,
 * `close`. Parsing reports the line and the fix; running drives a ClientSession.
 */
import { TeldocError } from "../errors.js";
import { parseDuration } from "../util/duration.js";
import type { ClientSession } from "./client.js";

export type Step =
  | {
      readonly kind: "expect";
      readonly pattern: RegExp;
      readonly timeoutMs: number;
      readonly line: number;
    }
  | { readonly kind: "send"; readonly text: string; readonly line: number }
  | { readonly kind: "sleep"; readonly ms: number; readonly line: number }
  | { readonly kind: "wait"; readonly ms: number | undefined; readonly line: number }
  | { readonly kind: "close"; readonly line: number };

const DEFAULT_EXPECT_MS = 10_000;

/** Decode the escapes of a `send` line. */
export function unescapeText(text: string, line = 0): string {
  return text.replace(/\\(x([0-9a-fA-F]{2})|.|$)/g, (_all, what: string, hex?: string) => {
    if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
    const map: Record<string, string> = { r: "\r", n: "\n", t: "\t", "\\": "\\" };
    if (what in map) return map[what];
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `script line ${line}: unknown escape "\\${what}": use \\r \\n \\t \\\\ or \\xHH`,
    );
  });
}

/**
 * Parse a script.
 * @example parseScript("expect login:\nsend admin\\r\n") // [{kind:"expect"...}, {kind:"send", text:"admin\r"...}]
 */
export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(trimmed);
    const verb = m?.[1].toLowerCase() ?? "";
    const rest = m?.[2] ?? "";
    const fail = (why: string): never => {
      throw new TeldocError("TELDOC_ERR_USAGE", `script line ${line}: ${why}`);
    };
    switch (verb) {
      case "expect": {
        if (rest === "") fail("expect needs a pattern, e.g. `expect login: 10s`");
        const parts = /^(.*?)(?:\s+([+-]?\d+(?:\.\d+)?(?:ms|s|m|h)?))?$/i.exec(rest)!;
        if (parts[2] !== undefined && /^[+-]?[\d.]+$/.test(parts[2]))
          fail(
            `expect: "${parts[2]}" at the end has no unit: write ${parts[2]}s for a timeout; to match the text "${parts[2]}", end the pattern with ${parts[2]}\\b`,
          );
        let pattern: RegExp;
        try {
          pattern = new RegExp(parts[1]);
        } catch (err) {
          return fail(
            `"${parts[1]}" is not a valid regular expression (${(err as Error).message})`,
          );
        }
        const timeoutMs = parts[2]
          ? parseDuration(parts[2], `script line ${line}: expect timeout`)
          : DEFAULT_EXPECT_MS;
        steps.push({ kind: "expect", pattern, timeoutMs, line });
        break;
      }
      case "send":
        steps.push({ kind: "send", text: unescapeText(rest, line), line });
        break;
      case "sleep":
        if (rest === "") fail("sleep needs a duration, e.g. `sleep 2s`");
        steps.push({
          kind: "sleep",
          ms: parseDuration(rest, `script line ${line}: sleep`, { zero: true }),
          line,
        });
        break;
      case "wait":
        steps.push({
          kind: "wait",
          ms: rest === "" ? undefined : parseDuration(rest, `script line ${line}: wait`),
          line,
        });
        break;
      case "close":
        steps.push({ kind: "close", line });
        break;
      default:
        fail(`unknown step "${verb}": use expect, send, sleep, wait or close`);
    }
  }
  return steps;
}

/** Watches the server's text for patterns (keeps the last 64 KiB). */
export class TextWatcher {
  private text = "";
  private from = 0;
  private waiters: (() => void)[] = [];

  constructor(session: ClientSession) {
    session.onData((b) => {
      this.text += b.toString("latin1");
      if (this.text.length > 65_536) {
        const cut = this.text.length - 65_536;
        this.text = this.text.slice(cut);
        this.from = Math.max(0, this.from - cut);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The text seen since the last match. */
  get pending(): string {
    return this.text.slice(this.from);
  }

  /** Resolves true when `pattern` matches new text, false after `ms` or when `stop()` says so. */
  async expect(
    pattern: RegExp,
    ms: number,
    ended: () => boolean,
    options: { consume?: boolean } = {},
  ): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.pending);
      if (m) {
        if (options.consume !== false) this.from += m.index + m[0].length;
        return true;
      }
      const left = deadline - Date.now();
      if (left <= 0 || ended()) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the steps; resolves with the failed step's description, or undefined when all passed. */
export async function runScript(
  session: ClientSession,
  watcher: TextWatcher,
  steps: readonly Step[],
  ended: () => boolean,
): Promise<string | undefined> {
  for (const step of steps) {
    if (ended() && step.kind !== "wait") return `line ${step.line}: the connection had ended`;
    const rec = session.recorder;
    switch (step.kind) {
      case "expect": {
        const ok = await watcher.expect(step.pattern, step.timeoutMs, ended);
        rec.emit({ type: "step", what: `expect ${step.pattern.source}`, ok });
        if (!ok)
          return `line ${step.line}: expected /${step.pattern.source}/ within ${step.timeoutMs} ms`;
        break;
      }
      case "send":
        session.send(step.text);
        break;
      case "sleep":
        await sleep(step.ms);
        break;
      case "wait": {
        const limit = step.ms ?? 2_147_483_647;
        const t0 = Date.now();
        while (!ended() && Date.now() - t0 < limit) await sleep(Math.min(100, limit));
        break;
      }
      case "close":
        session.close("script");
        return undefined;
    }
  }
  return undefined;
}

/** A shell or device prompt, or login's refusal: the login dialogue is over. */
const AFTER_LOGIN = /[$#>%\]]\s*$|incorrect|denied|fail|invalid|login:\s*$/im;

/** Answer the usual login and password prompts once each; the password is masked everywhere. */
export async function autoLogin(
  session: ClientSession,
  watcher: TextWatcher,
  user: string,
  password: string | undefined,
  timeoutMs: number,
  ended: () => boolean,
): Promise<boolean> {
  const gotLogin = await watcher.expect(
    /(?:login|username|user name|user)\s*:\s*$/im,
    timeoutMs,
    ended,
  );
  if (!gotLogin) return false;
  session.send(`${user}\r\n`);
  session.recorder.emit({ type: "step", what: "sent user name", ok: true });
  if (password === undefined) return true;
  const gotPassword = await watcher.expect(/password\s*:\s*$/im, timeoutMs, ended);
  if (!gotPassword) return false;
  session.send(`${password}\r\n`, { masked: true });
  session.recorder.emit({ type: "step", what: "sent password", ok: true });
  // Let the login finish before anything else is typed: login discards type-ahead.
  await watcher.expect(AFTER_LOGIN, timeoutMs, ended, { consume: false });
  return true;
}
