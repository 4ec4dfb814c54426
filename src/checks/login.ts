/**
 * @module The `login` check (with --user and --password-env): answer the prompts on the
 * telnet check's session and read the outcome — a shell or CLI prompt, or the server's refusal
 * in its own words. The password is sent masked: it appears in no trace, output or report.
 */
import {
  type Candidate,
  diagnose,
  findMessage,
  loginRefused,
  stripControls,
  summarize,
} from "../diagnosis/index.js";
import type { LoginDialogue } from "../session/login-dialogue.js";
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

/** The dialogue on the open session, with waits that grow with the round trip. */
async function converse(
  open: OpenSession,
  user: string,
  password: string | undefined,
  timeoutMs: number,
) {
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
  return { dialogue, outcome };
}

/** The turns of the dialogue, for the check's data. */
function stepsSaid(dialogue: LoginDialogue, missing: "user" | "password" | undefined): string[] {
  const steps = dialogue.steps.map((s) =>
    s.answered === "user"
      ? `"${s.line}" answered with the user name`
      : `"${s.line}" answered with the password (masked)`,
  );
  if (missing)
    steps.push(
      `a ${missing === "user" ? "user name" : "password"} was asked for, but none was given`,
    );
  return steps;
}

const nameOf = (missing: "user" | "password") => (missing === "user" ? "user name" : "password");

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
  const clock = open.session.clock;
  const t0 = clock.now();
  const { dialogue, outcome } = await converse(open, user, password, timeoutMs);
  const durationMs = clock.now() - t0;
  const missing = outcome.ok ? outcome.value.missing : undefined;
  const events = open.session.recorder.events();
  const s = summarize(events);
  const after = stripControls(open.inbox.tail(4096));
  const sent = dialogue.steps.length > 0;
  const refusal = sent ? findMessage(s.textAfterCredentials || after, ["auth-failed"]) : undefined;
  const steps = stepsSaid(dialogue, missing);
  const data = { user, steps, prompt: s.lastServerText, loginMs: Math.round(durationMs) };
  const result = (
    status: CheckResult["status"],
    summary: string,
    more: object,
    finding?: Candidate,
  ) => ({
    id: "login" as const,
    status,
    summary,
    durationMs,
    data: { ...data, ...more },
    ...(finding ? { finding } : {}),
  });
  if (open.isEnded()) {
    const d = diagnose(events);
    const summary = `the server closed during login: ${d.cause} — ${d.summary}`;
    return { loggedIn: false, result: result("fail", summary, { closed: true }, d) };
  }
  if (refusal || (outcome.ok && outcome.value.status === "failed" && !missing)) {
    const words =
      refusal?.line ??
      (outcome.ok ? outcome.value.reason : undefined) ??
      "the login prompt came back";
    const known = refusal
      ? { system: refusal.message.system, advice: refusal.message.advice }
      : undefined;
    const finding = loginRefused({ user, words, afterMs: durationMs, ...(known ? { known } : {}) });
    const more = { accepted: false, serverSaid: words };
    return { loggedIn: false, result: result("fail", `rejected: "${words}"`, more, finding) };
  }
  if ((outcome.ok && outcome.value.status === "ok") || s.loginSucceededAt !== undefined) {
    const summary = `logged in as ${user} in ${formatMs(durationMs)}; prompt "${s.lastServerText}"`;
    return { loggedIn: true, result: result("pass", summary, { accepted: true }) };
  }
  const summary = missing
    ? `the server asked for a ${nameOf(missing)}, but none was given (last: "${s.lastServerText}")`
    : `no prompt and no refusal in ${formatMs(durationMs)}: waited for ${dialogue.waitingFor} (last: "${s.lastServerText}")`;
  const more = { accepted: null, waitingFor: dialogue.waitingFor };
  return { loggedIn: false, result: result("warn", summary, more) };
}
