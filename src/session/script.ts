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
 * @example parseScript("expect login:\nsendline admin\nsend \\x03\n") // [{kind:"expect"...}, {kind:"sendline", text:"admin"...}, {kind:"send", text:"\x03"...}]
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
          : SESSION_DEFAULTS.scriptExpectMs;
        steps.push({ kind: "expect", pattern, timeoutMs, line });
        break;
      }
      case "send":
      case "sendline":
        steps.push({
          kind: verb === "send" ? "send" : "sendline",
          text: unescapeText(rest, line),
          line,
        });
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
        fail(`unknown step "${verb}": use expect, send, sendline, sleep, wait or close`);
    }
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
