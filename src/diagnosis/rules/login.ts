/** @module Rules for sessions that ended at the login: auth-failed, login-timeout. */
import { findClosingMessage } from "../closing.js";
import { at, closedByServer, closeWord, dur, said, serverCheckAdvice } from "../format.js";
import { findMessage } from "../match.js";
import { PROMPT_WAIT_MS } from "../reason.js";
import type { Rule, SessionSummary } from "../types.js";

/** Waiting this long at a prompt before the server closed looks like a login timer. */
const LOGIN_WAIT_MS = 20_000;

function credentialsAt(s: SessionSummary): number | undefined {
  const times = [s.passwordSentAt, s.usernameSentAt].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** How long the server waited at its last prompt with no answer, if it did. */
function unansweredPromptMs(s: SessionSummary): number | undefined {
  return s.promptPending && s.lastPromptAt !== undefined ? s.endAt - s.lastPromptAt : undefined;
}

const AUTH_ADVICE = [
  "Check the user name and password (and the keyboard layout / caps lock); `--user NAME --password-env VAR` sends them exactly.",
  "The server's auth log says why (`journalctl -u telnet*`, /var/log/auth.log: pam_unix authentication failure, unknown user, account locked).",
  "Some systems refuse root or accounts without a valid shell over Telnet (/etc/securetty, pam_securetty).",
];

/**
 * After credentials were sent the server said they were wrong (or asked again), then closed.
 * @example authFailed(summarize(loginIncorrectTrace), [])?.cause // "auth-failed"
 */
export const authFailed: Rule = (s) => {
  const sent = credentialsAt(s);
  if (sent === undefined || s.loginSucceededAt !== undefined) return undefined;
  const m = findMessage(s.textAfterCredentials, ["auth-failed"]);
  const reprompted = s.promptPending;
  if (!m && !(reprompted && s.passwordSentAt !== undefined)) return undefined;
  const waited = unansweredPromptMs(s) ?? 0;
  const step = s.failedStep;
  let confidence = m ? 0.93 : 0.7;
  if (!closedByServer(s)) confidence = step ? 0.8 : 0.55;
  if (waited >= LOGIN_WAIT_MS) confidence = Math.min(confidence, 0.6);
  // A refusal right before the close (nologin, access rule) is the better cause.
  if (findClosingMessage(s, ["service-unavailable", "acl-rejected"]))
    confidence = Math.min(confidence, 0.6);
  const what = s.passwordSentAt !== undefined ? "password" : "user name";
  return {
    cause: "auth-failed",
    confidence,
    summary: `The server rejected the login${m ? ` ("${m.line}")` : ""}${closedByServer(s) ? ` and closed ${dur(s.endAt - sent)} after the ${what} was sent` : ""}.`,
    evidence: [
      `${what} sent ${at(sent)}`,
      m ? said(m.line) : `the server asked for the login again ${at(s.lastPromptAt ?? sent)}`,
      closedByServer(s)
        ? `the server closed (${closeWord(s)}) ${at(s.endAt)}`
        : `closed here (${s.localClose?.reason ?? s.transport}) ${at(s.endAt)}${step ? ` after the step "${step.what}" failed` : ""}`,
    ],
    advice: m?.message.advice ? [m.message.advice, ...AUTH_ADVICE] : AUTH_ADVICE,
  };
};

/**
 * A login or password prompt went unanswered and the server closed (optionally saying so).
 * @example loginTimeout(summarize(loginTimedOutTrace), [])?.summary // "The server gave up waiting for a login after 60.0 s."
 */
export const loginTimeout: Rule = (s) => {
  if (s.lastPromptAt === undefined || s.loginSucceededAt !== undefined || !closedByServer(s))
    return undefined;
  const m = findClosingMessage(s, ["login-timeout"]);
  const waited = unansweredPromptMs(s);
  if (!m && (waited === undefined || waited < PROMPT_WAIT_MS)) return undefined;
  const from = s.loginPromptAt ?? s.lastPromptAt;
  const total = s.endAt - from;
  let confidence = 0.5;
  if (m) confidence = 0.93;
  else if ((waited ?? 0) >= LOGIN_WAIT_MS) confidence = 0.72;
  const answered =
    s.usernameSentAt !== undefined && s.passwordSentAt === undefined
      ? `a user name was sent ${at(s.usernameSentAt)} but the password prompt was never answered`
      : s.passwordSentAt === undefined
        ? "no credentials were sent"
        : `the last prompt ${at(s.lastPromptAt)} went unanswered`;
  return {
    cause: "login-timeout",
    confidence,
    summary: `The server gave up waiting for a login after ${dur(total)}.`,
    evidence: [
      `${s.loginPromptAt !== undefined ? "login" : "password"} prompt ${at(from)}; ${answered}`,
      `the server closed (${closeWord(s)}) ${dur(total)} after the prompt`,
      ...(m ? [said(m.line)] : []),
    ],
    advice: [
      ...(m?.message.advice ? [m.message.advice] : []),
      "Answer the prompt sooner: `--user NAME --password-env VAR` answers it at once.",
      "If a script drives the login, check that its `expect` patterns match the prompts shown above.",
      serverCheckAdvice(s),
    ],
  };
};

export const LOGIN_RULES = [authFailed, loginTimeout] as const;
