/**
 * @module The login dialogue, one engine for every caller (the library's `login()`,
 * `connect --user`, diagnose's login check, the monitor's probes): answer the user-name prompt,
 * then the password prompt (the password is masked in every record), then wait for a shell or
 * device prompt. It keeps the state of the dialogue (which prompt was answered with what), only
 * answers a prompt it has seen in text that came after its last answer, and says what it was
 * waiting for when it gives up. A refusal ("Login incorrect", asked again) is a result, not an
 * exception: the caller decides what to throw. Devices that ask only for a password, or need no
 * login, work too.
 *
 * A prompt is answered only when nothing followed it — no text, no negotiation — for
 * `settleMs`: on a slow path the prompt can come with option requests whose answers are still
 * on their way (telnetd changes the terminal's mode when they arrive, and a password typed into
 * the old mode is read wrong), and after an Enter pressed before any prompt came, a prompt may be
 * followed at once by another (the server's answer to the Enter). A prompt that comes back is
 * given the same time to be followed by another before it counts as a refusal.
 */

import { SECRET_PROMPT } from "../util/secret-prompt.js";
import type { Inbox, WaitOutcome } from "./inbox.js";
import { drawLine, isPrompt, lastLine } from "./output.js";

/** Prompts and messages of the login dialogue; each has a default that fits most systems. */
export interface LoginPrompts {
  /** The user-name prompt (default: `login:`, `Username:`, `User:` at the end of the line). */
  readonly user?: RegExp;
  /** The password prompt (default: `Password:` at the end of the line). */
  readonly password?: RegExp;
  /** What the server says when it refuses the credentials. */
  readonly failure?: RegExp;
  /** The shell or device prompt after a good login (default: the session's prompt). */
  readonly shell?: RegExp;
}

export const LOGIN_PROMPTS: Required<Omit<LoginPrompts, "shell">> = {
  user: /(?:^|[\s\]>:])(?:login|username|user name|user(?: ?id)?)\s*:\s*$/i,
  password: SECRET_PROMPT,
  failure:
    /login incorrect|authentication fail|access denied|permission denied|invalid (?:login|password|user)|bad (?:password|username)|incorrect password|login failed|login invalid/i,
};

export type LoginStatus = "ok" | "failed";

/** One turn of the dialogue: the prompt seen and what answered it. */
export interface LoginStep {
  readonly prompt: "login" | "password";
  /** The prompt's line as drawn. */
  readonly line: string;
  readonly answered: "user" | "password";
  /** When it was answered (the inbox clock's ms since the dialogue began). */
  readonly atMs: number;
}

export interface LoginSteps {
  readonly status: LoginStatus;
  /** The prompt the shell printed (drawn), when the login succeeded. */
  readonly prompt: string;
  readonly sentUser: boolean;
  readonly sentPassword: boolean;
  /** The server's words when it refused, or why the dialogue could not go on. */
  readonly reason?: string;
  /** The credential the server asked for and the caller did not give. */
  readonly missing?: "user" | "password";
  readonly steps: readonly LoginStep[];
}

/** What the login needs from its session. */
export interface LoginHost {
  readonly inbox: Inbox;
  /**
   * The line end to send now (asked at each answer: CR LF, or CR once we send in BINARY
   * mode, where a CR LF would be two line ends and the LF the next prompt's answer).
   */
  lineEnd(): string;
  write(text: string, masked: boolean): void;
  step(what: string, ok: boolean): void;
}

export interface LoginRules {
  /** The shell or device prompt. */
  readonly prompt: RegExp;
  /** Quiet after a shell prompt before the login counts as done. */
  readonly quietMs: number;
  readonly prompts?: LoginPrompts;
  /**
   * Quiet (no text, no negotiation) after a login or password prompt before answering it:
   * grow it with the round trip, and more when an Enter was already sent (0: answer at once).
   * A prompt that comes back is given at least `quietMs` before it counts as a refusal.
   * A function is asked at each prompt (the round trip is measured as the session goes).
   */
  readonly settleMs?: number | (() => number);
}

/** The dialogue's state, readable while it runs and after it ended. */
export class LoginDialogue {
  readonly steps: LoginStep[] = [];
  private quietFrom = -1;
  private readonly t0: number;
  private readonly p: Required<Omit<LoginPrompts, "shell">>;
  private readonly shell: RegExp;

  constructor(
    private readonly host: LoginHost,
    private readonly credentials: { readonly user?: string; readonly password?: string },
    private readonly rules: LoginRules,
  ) {
    this.t0 = host.inbox.clock.now();
    this.p = { ...LOGIN_PROMPTS, ...rules.prompts };
    this.shell = rules.prompts?.shell ?? rules.prompt;
  }

  get sentUser(): boolean {
    return this.steps.some((s) => s.answered === "user");
  }

  get sentPassword(): boolean {
    return this.steps.some((s) => s.answered === "password");
  }

  /** What the dialogue is waiting for now, in words (for errors and reports). */
  get waitingFor(): string {
    if (this.sentPassword) return "a shell or device prompt after the password";
    if (this.sentUser) return "the password prompt or a shell prompt after the user name";
    return "a login or password prompt";
  }

  /** Run until the shell prompt, a refusal, the deadline or the session's end. */
  run(timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome<LoginSteps>> {
    return this.host.inbox.wait(() => this.look(), timeoutMs, signal);
  }

  private result(
    status: LoginStatus,
    prompt: string,
    reason?: string,
    missing?: "user" | "password",
  ): { value: LoginSteps } {
    const { sentUser, sentPassword, steps } = this;
    const value = { status, prompt, sentUser, sentPassword, steps, reason, missing };
    return { value };
  }

  /**
   * True once nothing came (text or negotiation) for `ms`; asks to be called again otherwise.
   */
  private quietFor(ms: number): { recheckInMs: number } | undefined {
    const now = this.host.inbox.activity;
    if (ms <= 0 || this.quietFrom === now) return undefined;
    this.quietFrom = now;
    return { recheckInMs: Math.max(ms, 20) };
  }

  private look() {
    const inbox = this.host.inbox;
    const text = inbox.since(inbox.consumed);
    const line = drawLine(lastLine(text));
    if (this.steps.length > 0) {
      // Refusal words followed by a shell prompt were a MOTD or a banner ("Permission denied"
      // in a notice): the refusal counts once the text has settled without a shell prompt.
      const refused = this.p.failure.exec(text);
      if (refused && !isPrompt(lastLine(text), this.shell))
        return this.quietFor(this.rules.quietMs) ?? this.result("failed", "", refused[0]);
    }
    const kind = this.p.password.test(line)
      ? "password"
      : this.p.user.test(line)
        ? "login"
        : undefined;
    if (kind) {
      const repeat = this.steps.some((s) => s.prompt === kind);
      const given = this.rules.settleMs ?? 0;
      const settle = typeof given === "function" ? given() : given;
      const wait = this.quietFor(repeat ? Math.max(this.rules.quietMs, settle) : settle);
      if (wait) return wait;
      return this.answer(kind, line, repeat);
    }
    if (!isPrompt(lastLine(text), this.shell)) return undefined;
    // A prompt: the login is over once nothing follows it for the quiet time.
    return this.quietFor(this.rules.quietMs) ?? this.result("ok", line);
  }

  private answer(kind: "login" | "password", line: string, repeat: boolean) {
    const what = kind === "login" ? "user" : "password";
    const value = kind === "login" ? this.credentials.user : this.credentials.password;
    const name = kind === "login" ? "user name" : "password";
    if (repeat) return this.result("failed", "", `the server asked for the ${name} again`);
    if (value === undefined)
      return this.result("failed", "", `the server asked for a ${name}, but none was given`, what);
    const inbox = this.host.inbox;
    inbox.consumed = inbox.end;
    this.quietFrom = -1;
    this.steps.push({ prompt: kind, line, answered: what, atMs: inbox.clock.now() - this.t0 });
    this.host.write(`${value}${this.host.lineEnd()}`, kind === "password");
    this.host.step(`sent ${name}`, true);
    return undefined;
  }
}

/**
 * Run the dialogue until the shell prompt, a refusal, the deadline or the session's end.
 * @example await runLogin(host, { user: "demo", password: "demo" }, rules, 30_000)
 */
export function runLogin(
  host: LoginHost,
  credentials: { readonly user?: string; readonly password?: string },
  rules: LoginRules,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WaitOutcome<LoginSteps>> {
  return new LoginDialogue(host, credentials, rules).run(timeoutMs, signal);
}
