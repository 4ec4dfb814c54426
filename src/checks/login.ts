/**
 * @module The `login` check (with --user and --password-env): answer the prompts on the
 * telnet check's session and read the outcome — a shell or CLI prompt, or the server's refusal
 * in its own words. The password is sent masked: it appears in no trace, output or report.
 */
import {
  type Candidate,
  cleanText,
  diagnose,
  endsWithShellPrompt,
  findMessage,
  promptAtEnd,
  summarize,
} from "../diagnosis/index.js";
import { formatMs } from "../util/duration.js";
import type { OpenSession } from "./telnet.js";
import type { CheckResult } from "./types.js";

export interface LoginOutcome {
  readonly result: CheckResult;
  /** True when the session is logged in and still open. */
  readonly loggedIn: boolean;
}

const QUIET_MS = 300;

/** Wait until `done` says so, the session ends, or `ms` pass; polls every 50 ms. */
async function until(open: OpenSession, ms: number, done: () => boolean): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!open.isEnded() && performance.now() < deadline) {
    if (done()) return true;
    await Promise.race([new Promise((r) => setTimeout(r, 50)), open.ended]);
  }
  return done();
}

/**
 * Log in on an open session that shows a login or password prompt.
 * @example await logIn(open, "admin", secret, 10_000) // { loggedIn: true, result: { status: "pass" ... } }
 */
export async function logIn(
  open: OpenSession,
  user: string,
  password: string | undefined,
  timeoutMs: number,
): Promise<LoginOutcome> {
  const t0 = performance.now();
  const { session } = open;
  let text = "";
  let lastDataAt = performance.now();
  session.onData((b) => {
    text += b.toString("latin1");
    if (text.length > 16_384) text = text.slice(-16_384);
    lastDataAt = performance.now();
  });
  const quiet = () => performance.now() - lastDataAt >= QUIET_MS;
  const promptNow = () => promptAtEnd(cleanText(tailText(open)));
  const steps: string[] = [];
  // The telnet check stopped at a prompt: answer it, then the next one.
  if (promptNow() !== "password") {
    text = "";
    session.send(`${user}\r\n`);
    steps.push("user name sent");
    await until(open, timeoutMs, () => {
      const c = cleanText(text);
      return (promptAtEnd(c) !== undefined || endsWithShellPrompt(c)) && quiet();
    });
  }
  if (
    !open.isEnded() &&
    promptAtEnd(cleanText(text === "" ? tailText(open) : text)) === "password"
  ) {
    if (password === undefined) steps.push("a password was asked for, but none was given");
    else {
      text = "";
      session.send(`${password}\r\n`, { masked: true });
      steps.push("password sent (masked)");
      await until(open, timeoutMs, () => {
        const c = cleanText(text);
        return (
          (promptAtEnd(c) !== undefined ||
            endsWithShellPrompt(c) ||
            findMessage(c, ["auth-failed"]) !== undefined) &&
          quiet()
        );
      });
    }
  }
  const durationMs = performance.now() - t0;
  const events = session.recorder.events();
  const s = summarize(events);
  const after = cleanText(text);
  const refusal = findMessage(s.textAfterCredentials || after, ["auth-failed"]);
  const data = {
    user,
    steps,
    prompt: s.lastServerText,
    loginMs: Math.round(durationMs),
  };
  if (open.isEnded()) {
    const d = diagnose(events);
    return {
      loggedIn: false,
      result: {
        id: "login",
        status: "fail",
        summary: `the server closed during login: ${d.cause} — ${d.summary}`,
        durationMs,
        data: { ...data, closed: true },
        finding: d,
      },
    };
  }
  const back = promptAtEnd(after);
  if (refusal || back === "login") {
    const words = refusal?.line ?? "the login prompt came back";
    const finding: Candidate = {
      cause: "auth-failed",
      confidence: refusal ? 0.95 : 0.8,
      summary: `The server rejected the credentials for ${user}.`,
      evidence: [
        `server said: "${words}" ${formatMs(durationMs)} after the user name was sent`,
        ...(refusal ? [`known wording: ${refusal.message.system}`] : []),
        "the password was sent masked; it is not in any output",
      ],
      advice: [
        `Check the user name and password for ${user} (and the keyboard layout, Caps Lock).`,
        "If they are right, the account may be locked or expired, or the server's AAA (TACACS+/RADIUS) may reject it: its log says which (`/var/log/auth.log`: FAILED LOGIN).",
        ...(refusal?.message.advice ? [refusal.message.advice] : []),
      ],
    };
    return {
      loggedIn: false,
      result: {
        id: "login",
        status: "fail",
        summary: `rejected: "${words}"`,
        durationMs,
        data: { ...data, accepted: false, serverSaid: words },
        finding,
      },
    };
  }
  if (endsWithShellPrompt(after) || s.loginSucceededAt !== undefined) {
    return {
      loggedIn: true,
      result: {
        id: "login",
        status: "pass",
        summary: `logged in as ${user} in ${formatMs(durationMs)}; prompt "${s.lastServerText}"`,
        durationMs,
        data: { ...data, accepted: true },
      },
    };
  }
  return {
    loggedIn: false,
    result: {
      id: "login",
      status: "warn",
      summary: `no prompt and no refusal seen in ${formatMs(durationMs)} after the credentials (last: "${s.lastServerText}")`,
      durationMs,
      data: { ...data, accepted: null },
    },
  };
}

/** The last text the session saw, from its recorded data events. */
function tailText(open: OpenSession): string {
  let t = "";
  for (const e of open.session.recorder.events())
    if (e.type === "data" && e.dir === "in") t = (t + e.text).slice(-4096);
  return t;
}
