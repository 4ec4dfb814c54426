/**
 * @module Scripts for `connect --script`: one step a line, `#` comments —
 * `expect REGEX [TIMEOUT]`, `send TEXT` (exactly the text: escapes \r \n \t \\ \xHH, no line end
 * added), `sendline TEXT` (the text and the session's line end), `sleep DUR`, `wait [DUR]`,
 * `close`. Parsing reports the line and the fix; running drives a ClientSession.
 */
import { TeldocError } from "../errors.js";
import { formatMs, parseDuration } from "../util/duration.js";
import type { ClientSession } from "./client.js";
import type { Inbox, WaitOutcome } from "./inbox.js";
import type { LoginSteps } from "./login-dialogue.js";
import { SESSION_DEFAULTS } from "./options.js";
import { sessionLogin } from "./text-inbox.js";

export type Step =
  | {
      readonly kind: "expect";
      readonly pattern: RegExp;
      readonly timeoutMs: number;
      readonly line: number;
    }
  | { readonly kind: "send"; readonly text: string; readonly line: number }
  /** The text, then the session's line end (CR LF, or CR in BINARY mode). */
  | { readonly kind: "sendline"; readonly text: string; readonly line: number }
  | { readonly kind: "sleep"; readonly ms: number; readonly line: number }
  | { readonly kind: "wait"; readonly ms: number | undefined; readonly line: number }
  | { readonly kind: "close"; readonly line: number };

/** Decode the escapes of a `send` line. */
function unescapeText(text: string, line = 0): string {
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

/** A script line's error: the line number, what is wrong and the fix. */
function lineError(line: number, why: string): never {
  throw new TeldocError("TELDOC_ERR_USAGE", `script line ${line}: ${why}`);
}

/** `expect REGEX [TIMEOUT]`: the pattern, and the timeout only when the last word has a unit. */
function parseExpect(rest: string, line: number): Step {
  if (rest === "") lineError(line, "expect needs a pattern, e.g. `expect login: 10s`");
  const parts = /^(.*?)(?:\s+([+-]?\d+(?:\.\d+)?(?:ms|s|m|h)?))?$/i.exec(rest)!;
  const last = parts[2];
  if (last !== undefined && /^[+-]?[\d.]+$/.test(last))
    lineError(
      line,
      `expect: "${last}" at the end has no unit: write ${last}s for a timeout; to match the text "${last}", end the pattern with ${last}\\b`,
    );
  let pattern: RegExp;
  try {
    pattern = new RegExp(parts[1]);
  } catch (err) {
    return lineError(
      line,
      `"${parts[1]}" is not a valid regular expression (${(err as Error).message})`,
    );
  }
  const timeoutMs = last
    ? parseDuration(last, `script line ${line}: expect timeout`)
    : SESSION_DEFAULTS.scriptExpectMs;
  return { kind: "expect", pattern, timeoutMs, line };
}

/** One step from its verb and the rest of the line. */
function parseStep(verb: string, rest: string, line: number): Step {
  switch (verb) {
    case "expect":
      return parseExpect(rest, line);
    case "send":
    case "sendline":
      return { kind: verb, text: unescapeText(rest, line), line };
    case "sleep":
      if (rest === "") lineError(line, "sleep needs a duration, e.g. `sleep 2s`");
      return {
        kind: "sleep",
        ms: parseDuration(rest, `script line ${line}: sleep`, { zero: true }),
        line,
      };
    case "wait": {
      const ms = rest === "" ? undefined : parseDuration(rest, `script line ${line}: wait`);
      return { kind: "wait", ms, line };
    }
    case "close":
      return { kind: "close", line };
    default:
      return lineError(
        line,
        `unknown step "${verb}": use expect, send, sendline, sleep, wait or close`,
      );
  }
}

/**
 * Parse a script.
 * @example parseScript("expect login:\nsendline admin\nsend \\x03\n") // [{kind:"expect"...}, {kind:"sendline", text:"admin"...}, {kind:"send", text:"\x03"...}]
 */
export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(trimmed);
    steps.push(parseStep(m?.[1].toLowerCase() ?? "", m?.[2] ?? "", i + 1));
  }
  return steps;
}

const FOREVER_MS = 2_147_483_647;

/** Wait for `pattern` in the text since the last match and consume through it. */
function expectText(inbox: Inbox, pattern: RegExp, ms: number) {
  return inbox.wait(() => {
    const text = inbox.since(inbox.consumed);
    const m = pattern.exec(text);
    if (!m) return undefined;
    inbox.consumed += m.index + m[0].length;
    return { value: true };
  }, ms);
}

/** Run the steps; resolves with the failed step's description, or undefined when all passed. */
export async function runScript(
  session: ClientSession,
  inbox: Inbox,
  steps: readonly Step[],
): Promise<string | undefined> {
  for (const step of steps) {
    // Waiting for the end, or closing, after the end is no failure.
    if (inbox.ended && step.kind !== "wait" && step.kind !== "close")
      return `line ${step.line}: the connection had ended`;
    const rec = session.recorder;
    switch (step.kind) {
      case "expect": {
        const r = await expectText(inbox, step.pattern, step.timeoutMs);
        rec.emit({ type: "step", what: `expect ${step.pattern.source}`, ok: r.ok });
        if (!r.ok) {
          const seen = JSON.stringify(inbox.tail(120));
          const why =
            r.why === "ended"
              ? `the connection ended before /${step.pattern.source}/ came`
              : `expected /${step.pattern.source}/ within ${formatMs(step.timeoutMs)}`;
          return `line ${step.line}: ${why}; last text seen: ${seen}`;
        }
        break;
      }
      case "send":
        session.send(step.text);
        break;
      case "sendline":
        session.send(`${step.text}${session.lineEnd}`);
        break;
      case "sleep":
        // A pause that ends early when the session does (then the next step fails).
        await inbox.wait(() => undefined, step.ms);
        break;
      case "wait":
        // Nothing to match: the wait ends when the session does, or after the limit.
        await inbox.wait(() => undefined, step.ms ?? FOREVER_MS);
        break;
      case "close":
        session.close("script");
        return undefined;
    }
  }
  return undefined;
}

/** The shell prompt connect --user waits for after the password (then the script or the user). */
const SHELL_AFTER_LOGIN = /[$#>%\]]\s*$/;

/**
 * Answer the login and password prompts with the login engine; the password is masked
 * everywhere. Resolves when the dialogue is over: logged in, refused, timed out or ended.
 */
export async function autoLogin(
  session: ClientSession,
  inbox: Inbox,
  user: string,
  password: string | undefined,
  timeoutMs: number,
): Promise<LoginOutcome> {
  const dialogue = sessionLogin(
    session,
    inbox,
    { user, password },
    {
      prompt: SHELL_AFTER_LOGIN,
      quietMs: 300,
      // Answer a prompt once the negotiation that came with it has settled (see login.ts).
      settleMs: () => 50 + 2 * Math.min(session.rttMs, 2000),
    },
  );
  const r = await dialogue.run(timeoutMs);
  // What followed the login is the script's or the user's to read.
  return { outcome: r, waitingFor: dialogue.waitingFor };
}

/** How connect's login ended, and what it was waiting for when it did not succeed. */
export interface LoginOutcome {
  readonly outcome: WaitOutcome<LoginSteps>;
  readonly waitingFor: string;
}
