/**
 * @module The `login` check (with --user and --password-env): answer the prompts on the
 * telnet check's session and read the outcome — a shell or CLI prompt, or the server's refusal
 * in its own words. The password is sent masked: it appears in no trace, output or report.
 */
import { type Candidate, cleanText, diagnose, findMessage, summarize } from "../diagnosis/index.js";
import { DEFAULT_PROMPT } from "../session/output.js";
import { sessionLogin } from "../session/text-inbox.js";
import { formatMs } from "../util/duration.js";
import type { OpenSession } from "./telnet.js";
import type { CheckResult } from "./types.js";

export interface LoginOutcome {
  readonly result: CheckResult;
  /** True when the session is logged in and still open. */
  readonly loggedIn: boolean;
}

/**
 * Log in on an open session that shows a login or password prompt, with the session layer's
 * login engine: it answers only prompts it has seen, knows whether the telnet check pressed
 * Enter (then it lets a prompt settle before answering it), and its waits grow with the round trip.
 * @example await logIn(open, "admin", secret, 10_000) // { loggedIn: true, result: { status: "pass" ... } }
 */
export async function logIn(
  open: OpenSession,
  user: string,
  password: string | undefined,
  timeoutMs: number,
): Promise<LoginOutcome> {
  const t0 = performance.now();
  const { session, inbox } = open;
  const rtt = () => Math.min(session.rttMs, 2000);
  const dialogue = sessionLogin(
    session,
    inbox,
    { user, password },
    {
      prompt: DEFAULT_PROMPT,
      quietMs: 300 + 2 * rtt(),
      // Negotiation still on its way, or an Enter the server may still answer with a prompt.
      settleMs: () => (open.nudged ? 500 + 4 * rtt() : 50 + 2 * rtt()),
    },
  );
  const outcome = await dialogue.run(timeoutMs + 4 * rtt());
  const steps = dialogue.steps.map((s) =>
    s.answered === "user"
      ? `"${s.line}" answered with the user name`
      : `"${s.line}" answered with the password (masked)`,
  );
  const sent = dialogue.steps.length > 0;
  const missing = outcome.ok ? outcome.value.missing : undefined;
  if (missing)
    steps.push(
      `a ${missing === "user" ? "user name" : "password"} was asked for, but none was given`,
    );
  const durationMs = performance.now() - t0;
  const events = session.recorder.events();
  const s = summarize(events);
  const after = cleanText(inbox.tail(4096));
  const refusal = sent ? findMessage(s.textAfterCredentials || after, ["auth-failed"]) : undefined;
  const refused = outcome.ok && outcome.value.status === "failed" && !missing;
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
  if (refusal || refused) {
    const reason = outcome.ok ? outcome.value.reason : undefined;
    const words = refusal?.line ?? reason ?? "the login prompt came back";
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
  if ((outcome.ok && outcome.value.status === "ok") || s.loginSucceededAt !== undefined) {
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
      summary: missing
        ? `the server asked for a ${missing === "user" ? "user name" : "password"}, but none was given (last: "${s.lastServerText}")`
        : `no prompt and no refusal in ${formatMs(durationMs)}: waited for ${dialogue.waitingFor} (last: "${s.lastServerText}")`,
      durationMs,
      data: { ...data, accepted: null, waitingFor: dialogue.waitingFor },
    },
  };
}
