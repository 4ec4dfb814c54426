/**
 * @module The server's text of a ClientSession in an Inbox, for the callers that wait on it
 * below the library (scripts, `connect --user`, the diagnose checks): text as latin1, GA/EOR
 * marks, a touch for the server's negotiation (a wait for quiet sees it), closed at the end.
 */
import type { ClientSession, SessionEnd } from "./client.js";
import { Inbox } from "./inbox.js";
import { LoginDialogue, type LoginHost, type LoginRules } from "./login-dialogue.js";

/** Text kept for waits that look at the recent text only (older text is dropped). */
const KEEP = 64 * 1024;

/**
 * @example const inbox = textInbox(session, session.run()); await inbox.wait(() => ..., 5000);
 */
export function textInbox(session: ClientSession, ended: Promise<SessionEnd>): Inbox {
  const inbox = new Inbox(KEEP, session.clock);
  session.onData((b, latin1) => inbox.push(latin1 ?? b.toString("latin1")));
  session.recorder.subscribe((e) => {
    if ((e.type === "option" || e.type === "subneg") && e.dir === "in") inbox.touch();
    else if (e.type === "command" && e.dir === "in" && (e.command === "GA" || e.command === "EOR"))
      inbox.mark(e.command);
  });
  void ended.then(() => inbox.close());
  return inbox;
}

/** The LoginHost of a ClientSession: writes are sent (masked for the password) and logged. */
function loginHost(session: ClientSession, inbox: Inbox): LoginHost {
  return {
    inbox,
    lineEnd: () => session.lineEnd,
    write: (text, masked) => session.send(text, { masked }),
    step: (what, ok) => session.recorder.emit({ type: "step", what, ok }),
  };
}

/** A login dialogue on a ClientSession's inbox. */
export function sessionLogin(
  session: ClientSession,
  inbox: Inbox,
  credentials: { readonly user?: string; readonly password?: string },
  rules: LoginRules,
): LoginDialogue {
  return new LoginDialogue(loginHost(session, inbox), credentials, rules);
}

/** Resolves true once the session is connected, false when it ended without connecting. */
export function whenConnected(
  session: ClientSession,
  ended: Promise<SessionEnd>,
): Promise<boolean> {
  if (session.connected) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const off = session.recorder.subscribe((e) => {
      if (e.type === "connected") {
        off();
        resolve(true);
      }
    });
    void ended.then(() => {
      off();
      resolve(session.recorder.events().some((e) => e.type === "connected"));
    });
  });
}
