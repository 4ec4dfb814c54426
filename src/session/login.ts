/**
 * @module The login dialogue as the library runs it: answer the user-name prompt, then the
 * password prompt (the password is masked in every record), then wait for a shell or device
 * prompt. A refusal ("Login incorrect", asked again) is a result, not an exception: the session
 * decides what to throw. Devices that ask only for a password, or need no login, work too.
 */
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
  user: /(?:login|username|user name|user)\s*:\s*$/i,
  password: /pass(?:word|code)?\s*:\s*$/i,
  failure:
    /login incorrect|authentication fail|access denied|permission denied|invalid (?:login|password|user)|bad (?:password|username)|incorrect password|login failed|login invalid/i,
};

export type LoginStatus = "ok" | "failed";

export interface LoginSteps {
  readonly status: LoginStatus;
  /** The prompt the shell printed (drawn), when the login succeeded. */
  readonly prompt: string;
  readonly sentUser: boolean;
  readonly sentPassword: boolean;
  /** The server's words when it refused. */
  readonly reason?: string;
}

/** What the login needs from its session. */
export interface LoginHost {
  readonly inbox: Inbox;
  write(text: string, masked: boolean): void;
  step(what: string, ok: boolean): void;
}

/**
 * Run the dialogue until the shell prompt, a refusal, the deadline or the session's end.
 * @example await runLogin(host, { user: "demo", password: "demo" }, rules, "\r\n", 30_000)
 */
export function runLogin(
  host: LoginHost,
  credentials: { readonly user?: string; readonly password?: string },
  rules: { readonly prompt: RegExp; readonly quietMs: number; readonly prompts?: LoginPrompts },
  ors: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WaitOutcome<LoginSteps>> {
  const inbox = host.inbox;
  const p = { ...LOGIN_PROMPTS, ...rules.prompts };
  const shell = rules.prompts?.shell ?? rules.prompt;
  let sentUser = false;
  let sentPassword = false;
  let quietFrom = -1;
  const result = (status: LoginStatus, prompt: string, reason?: string) => ({
    value: { status, prompt, sentUser, sentPassword, ...(reason ? { reason } : {}) },
  });
  return inbox.wait(
    () => {
      const text = inbox.since(inbox.consumed);
      const line = drawLine(lastLine(text));
      const sent = sentUser || sentPassword;
      if (sent) {
        const refused = p.failure.exec(text);
        if (refused) return result("failed", "", refused[0]);
      }
      if (p.user.test(line)) {
        if (sentUser || credentials.user === undefined)
          return result("failed", "", "the server asked for the user name again");
        inbox.consumed = inbox.end;
        sentUser = true;
        host.write(`${credentials.user}${ors}`, false);
        host.step("sent user name", true);
        return undefined;
      }
      if (p.password.test(line)) {
        if (sentPassword || credentials.password === undefined)
          return result("failed", "", "the server asked for the password again");
        inbox.consumed = inbox.end;
        sentPassword = true;
        host.write(`${credentials.password}${ors}`, true);
        host.step("sent password", true);
        return undefined;
      }
      if (!isPrompt(lastLine(text), shell)) return undefined;
      // A prompt: the login is over once nothing follows it for the quiet time.
      if (quietFrom === inbox.end) return result("ok", line);
      quietFrom = inbox.end;
      return { recheckInMs: Math.max(rules.quietMs, 20) };
    },
    timeoutMs,
    signal,
  );
}
