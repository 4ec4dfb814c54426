/**
 * @module The options after a rule's second colon, as tcpd runs them (hosts_options(5), with
 * PROCESS_OPTIONS as Debian builds it): `name[=| ]value` separated by colons (`\:` is a colon
 * inside a value), processed in order once the rule matched. `allow` and `deny` decide (and
 * must come last), `twist` replaces the service with a command (the client sees its output),
 * `spawn` runs a command beside it. Any mistake (an unknown name, a value missing or extra, a
 * last-only option not last) makes tcpd deny the connection. Pure.
 */

/** What the options of a matching rule do to the decision. */
export type OptionEffect =
  | { readonly kind: "none"; readonly spawn?: string }
  | { readonly kind: "allow" | "deny"; readonly spawn?: string }
  | { readonly kind: "twist"; readonly command: string; readonly spawn?: string }
  | { readonly kind: "error"; readonly message: string };

type Arg = "none" | "need" | "optional";

/** Debian tcpd's option table: name → whether it takes a value, and whether it must be last. */
const OPTIONS: Readonly<Record<string, { arg: Arg; last?: true }>> = {
  user: { arg: "need" },
  group: { arg: "need" },
  umask: { arg: "need" },
  linger: { arg: "need" },
  keepalive: { arg: "none" },
  spawn: { arg: "need" },
  twist: { arg: "need", last: true },
  rfc931: { arg: "optional" },
  setenv: { arg: "need" },
  nice: { arg: "optional" },
  severity: { arg: "need" },
  allow: { arg: "none", last: true },
  deny: { arg: "none", last: true },
  banners: { arg: "need" },
};

const FACILITIES =
  /^(auth|authpriv|cron|daemon|ftp|kern|lpr|mail|news|security|syslog|user|uucp|local[0-7])$/i;
const LEVELS = /^(emerg|panic|alert|crit|err|error|warning|warn|notice|info|debug)$/i;

/** `level` or `facility.level`, with syslog's names. */
function validSeverity(value: string): boolean {
  const [a = "", b] = value.split(".");
  return b === undefined ? LEVELS.test(a) : FACILITIES.test(a) && LEVELS.test(b);
}

/** The options split at colons not escaped by a backslash. */
function splitOptions(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && text[i + 1] === ":") {
      cur += ":";
      i++;
    } else if (c === ":") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * The effect of a matching rule's options on tcpd's decision.
 * @example optionEffect(" spawn /bin/echo x : deny").kind // "deny"
 */
export function optionEffect(text: string): OptionEffect {
  const parts = splitOptions(text);
  let spawn: string | undefined;
  for (let i = 0; i < parts.length; i++) {
    const opt = (parts[i] ?? "").trim();
    const m = /^([^\s=]*)\s*=?\s*(.*)$/s.exec(opt);
    const name = (m?.[1] ?? "").toLowerCase();
    const value = (m?.[2] ?? "").trim();
    const spec = OPTIONS[name];
    if (!spec) return { kind: "error", message: `bad option name: "${name}"` };
    if (spec.arg === "need" && value === "")
      return { kind: "error", message: `option "${name}" requires a value` };
    if (spec.arg === "none" && value !== "")
      return { kind: "error", message: `option "${name}" requires no value` };
    if (spec.last && i < parts.length - 1)
      return { kind: "error", message: `option "${name}" must be at the end` };
    if (name === "severity" && !validSeverity(value))
      return { kind: "error", message: `bad syslog facility or severity: "${value}"` };
    const extra = spawn !== undefined ? { spawn } : {};
    if (name === "spawn") spawn = value;
    else if (name === "allow" || name === "deny") return { kind: name, ...extra };
    else if (name === "twist") return { kind: "twist", command: value, ...extra };
  }
  return { kind: "none", ...(spawn !== undefined ? { spawn } : {}) };
}
