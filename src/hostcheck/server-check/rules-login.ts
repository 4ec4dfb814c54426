/**
 * @module Rules for the login policy a Telnet client meets: `login-timeout` and `login-retries`
 * (login.defs), `fail-delay` (pam_faildelay, FAIL_DELAY), `idle-timeout` (TMOUT in the shell's
 * start-up files), `nologin` and `securetty`. Each names the setting's file and line, the
 * cause a client sees and after how long. Shadow's defaults apply when a key is absent. Pure.
 */
import type { ServerFacts } from "./facts.js";
import type { PamLine } from "./login-policy.js";
import { type ServerCheck, skippedCheck, type Where } from "./types.js";

const at = (w: Where) => `${w.file}${w.line ? `:${w.line}` : ""}`;

function loginDef(f: ServerFacts, key: string) {
  return f.loginDefs.state === "read" ? f.loginDefs.value.get(key) : undefined;
}

/** `login-timeout`: LOGIN_TIMEOUT (shadow's default 60 s). */
export function loginTimeoutCheck(f: ServerFacts): ServerCheck {
  if (f.loginDefs.state !== "read")
    return skippedCheck("login-timeout", `${f.loginDefs.file} is ${f.loginDefs.state}`);
  const s = loginDef(f, "LOGIN_TIMEOUT");
  const seconds = s ? Number(s.value) : 60;
  const where = s ? { file: s.file, line: s.line } : { file: f.loginDefs.file };
  return {
    id: "login-timeout",
    status: seconds > 0 && seconds < 15 ? "warn" : "pass",
    summary: `the login prompt closes ${seconds} s after it appears without credentials (LOGIN_TIMEOUT${s ? ` in ${at(where)}` : ", shadow's default"}) → login-timeout`,
    data: { seconds, default: !s },
    ...where,
    cause: "login-timeout",
  };
}

/** `login-retries`: LOGIN_RETRIES (shadow's default 5). */
export function loginRetriesCheck(f: ServerFacts): ServerCheck {
  if (f.loginDefs.state !== "read")
    return skippedCheck("login-retries", `${f.loginDefs.file} is ${f.loginDefs.state}`);
  const s = loginDef(f, "LOGIN_RETRIES");
  const tries = s ? Number(s.value) : 5;
  const where = s ? { file: s.file, line: s.line } : { file: f.loginDefs.file };
  return {
    id: "login-retries",
    status: "pass",
    summary: `after ${tries} wrong password(s) login closes the connection (LOGIN_RETRIES${s ? ` in ${at(where)}` : ", shadow's default"}) → auth-failed`,
    data: { tries, default: !s },
    ...where,
    cause: "auth-failed",
  };
}

function pamModule(f: ServerFacts, module: string): PamLine | undefined {
  return f.pamLogin.state === "read"
    ? f.pamLogin.value.find((l) => l.module === module)
    : undefined;
}

/** `fail-delay`: pam_faildelay's delay (µs), else FAIL_DELAY in login.defs (s). */
export function failDelayCheck(f: ServerFacts): ServerCheck {
  const pam = pamModule(f, "pam_faildelay.so");
  const arg = pam?.args.find((a) => a.startsWith("delay="));
  if (pam && arg) {
    const seconds = Number(arg.slice(6)) / 1e6;
    return {
      id: "fail-delay",
      status: "pass",
      summary: `each wrong password waits ${seconds} s (up to 25 % more, PAM randomizes) before "Login incorrect" (pam_faildelay in ${at(pam)})`,
      data: { seconds, source: "pam_faildelay" },
      file: pam.file,
      line: pam.line,
    };
  }
  const s = loginDef(f, "FAIL_DELAY");
  if (s)
    return {
      id: "fail-delay",
      status: "pass",
      summary: `each wrong password waits ${s.value} s (FAIL_DELAY in ${at(s)}; used when PAM sets no delay)`,
      data: { seconds: Number(s.value), source: "FAIL_DELAY" },
      file: s.file,
      line: s.line,
    };
  return skippedCheck("fail-delay", "no pam_faildelay in the login stack and no FAIL_DELAY");
}

/** The TMOUT in force: the first read-only one stops later assignments; else the last one. */
function effectiveTmout(f: ServerFacts) {
  let current:
    | { seconds: number | undefined; where: Where; readonly: boolean; text: string }
    | undefined;
  for (const { facts } of f.tmout) {
    if (current?.readonly) break;
    if (facts.set)
      current = {
        seconds: facts.set.value,
        where: facts.set,
        readonly: false,
        text: facts.set.text,
      };
    if (facts.readonly && current) current.readonly = true;
  }
  return current;
}

/** `idle-timeout`: TMOUT for login shells. */
export function idleTimeoutCheck(f: ServerFacts): ServerCheck {
  const t = effectiveTmout(f);
  const data = {
    settings: f.tmout.map((x) => ({
      file: x.file,
      line: x.facts.set?.line,
      value: x.facts.set?.value,
      readonly: !!x.facts.readonly,
    })),
  };
  if (!t)
    return {
      id: "idle-timeout",
      status: "pass",
      summary:
        "no TMOUT in /etc/profile, /etc/profile.d/*.sh or /etc/bash.bashrc: bash does not close idle sessions",
      data,
    };
  if (t.seconds === undefined || t.seconds === 0)
    return {
      id: "idle-timeout",
      status: "pass",
      summary: `TMOUT is set to \`${t.text}\` at ${at(t.where)}: no fixed idle limit teldoc can read`,
      data,
      ...t.where,
    };
  return {
    id: "idle-timeout",
    status: "pass",
    summary: `idle sessions are closed after ${t.seconds} s by TMOUT in ${at(t.where)}${t.readonly ? " (read-only: users cannot change it)" : " (not read-only: a user's ~/.bashrc may change it)"} → idle-timeout`,
    data: { ...data, seconds: t.seconds, readonly: t.readonly },
    ...t.where,
    cause: "idle-timeout",
  };
}

/** `nologin`: /etc/nologin (or /run/nologin) refuses every login but root's. */
export function nologinCheck(f: ServerFacts): ServerCheck {
  const n = f.nologin[0];
  if (!n)
    return {
      id: "nologin",
      status: "pass",
      summary: "no /etc/nologin or /run/nologin: logins are not shut off",
      data: {},
    };
  const pam = pamModule(f, "pam_nologin.so");
  const text = n.text.trim().split("\n")[0] ?? "";
  if (f.pamLogin.state === "read" && !pam)
    return {
      id: "nologin",
      status: "warn",
      summary: `${n.file} exists, but /etc/pam.d/login has no pam_nologin: it is not enforced for Telnet logins`,
      data: { file: n.file, text },
      file: n.file,
    };
  return {
    id: "nologin",
    status: "fail",
    summary: `${n.file} exists${pam ? ` (pam_nologin at ${at(pam)})` : ""}: every login but root's is refused after the password; the client sees ${text ? `"${text}"` : "its text"}, then the connection closes → service-unavailable`,
    data: { file: n.file, text },
    file: n.file,
    cause: "service-unavailable",
    advice: [`Remove ${n.file} when the maintenance is over.`],
  };
}

/** `securetty`: may root log in over Telnet (a pts/N terminal)? */
export function securettyCheck(f: ServerFacts): ServerCheck {
  const pam = pamModule(f, "pam_securetty.so");
  if (!pam)
    return skippedCheck(
      "securetty",
      "no pam_securetty in the login stack: /etc/securetty does not apply",
    );
  if (f.securetty.state !== "read")
    return {
      id: "securetty",
      status: "pass",
      summary: `pam_securetty (${at(pam)}) but no readable /etc/securetty: root is not restricted by it`,
      data: {},
      file: pam.file,
      line: pam.line,
    };
  const pts = f.securetty.value.some((t) => /^pts\/(\*|\d+)$/.test(t));
  return pts
    ? {
        id: "securetty",
        status: "pass",
        summary: "/etc/securetty lists pts terminals: root may log in over Telnet",
        data: { ttys: f.securetty.value },
        file: f.securetty.file,
      }
    : {
        id: "securetty",
        status: "warn",
        summary: `root cannot log in over Telnet: /etc/securetty lists no pts/N terminal and pam_securetty (${at(pam)}) enforces it; root's password is refused with "Login incorrect" → auth-failed`,
        data: { ttys: f.securetty.value },
        file: f.securetty.file,
        cause: "auth-failed",
      };
}
