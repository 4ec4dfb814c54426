/**
 * @module tcp wrappers' decision (hosts_access(5)) for one daemon name and one client address,
 * with tcpd's own matching: access is granted when a rule of hosts.allow matches, denied when
 * one of hosts.deny does, granted otherwise; the first matching rule of a file wins and its
 * options may change the answer (allow, deny, twist, an error denies). Lists split at blanks
 * and commas; `a EXCEPT b EXCEPT c` is a and not (b and not c); keywords are case-blind. A
 * client has no name offline: tcpd then uses the name "unknown", so KNOWN, LOCAL and PARANOID
 * do not match, UNKNOWN does, and a wildcard such as `unk*` does too. Pure.
 */
import { type Address, dottedQuad, ipv6, maskV4, maskV6 } from "./address.js";
import { type AccessEntry, type AccessRule, type BrokenLine, splitAt } from "./hosts-access.js";
import { type OptionEffect, optionEffect } from "./hosts-options.js";

/** tcpd's name for what it does not know (a client's host name, the ident user). */
const UNKNOWN = "unknown";
const SEP = /[\s,]+/;

/** The content of files named in client lists (`/etc/telnet.allow`), undefined if unreadable. */
export type IncludeReader = (path: string) => string | undefined;

/** What one check found: the verdict, the rule that decides, and what could not be known. */
export interface AccessDecision {
  readonly verdict: "granted" | "denied" | "twist";
  /** The rule that decides; none when no rule matched (granted by default). */
  readonly rule?: AccessRule;
  /** The unreadable line that decides (see BrokenLine), when the scan stopped at one. */
  readonly broken?: BrokenLine;
  readonly table?: "allow" | "deny";
  /** The effect of the deciding rule's options. */
  readonly effect?: OptionEffect;
  /** What teldoc could not evaluate as tcpd would (netgroups, names, ident, server address). */
  readonly unsure: readonly string[];
}

interface Ctx {
  readonly daemon: string;
  readonly client: Address;
  readonly include: IncludeReader;
  readonly unsure: Set<string>;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `*` and `?` wildcards, case-blind (Debian's match_pattern_ylo). */
function wildcard(pattern: string, s: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${re}$`, "s").test(s.toLowerCase());
}

/** tcpd's string_match: `.suffix`, ALL, KNOWN, `prefix.`, wildcards, else equal (case-blind). */
function stringMatch(tok: string, s: string): boolean {
  if (tok.startsWith(".")) {
    const n = s.length - tok.length;
    return n > 0 && eq(tok, s.slice(n));
  }
  if (eq(tok, "ALL")) return true;
  if (eq(tok, "KNOWN")) return !eq(s, UNKNOWN);
  if (tok.endsWith(".")) return s.toLowerCase().startsWith(tok.toLowerCase());
  if (/[*?]/.test(tok)) return wildcard(tok, s);
  return eq(tok, s);
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none (tcpd reads prefixes so). */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m?.[1] ? Number.parseInt(m[1], 10) : 0;
}

/**
 * `n.n.n.n/m.m.m.m` or `n.n.n.n/bits` (1..32, read as atoi reads it): the address masked equals
 * the net as written (so `192.0.2.7/24` matches nothing).
 */
function maskedV4(net: string, mask: string, a: Address): boolean {
  if (a.family !== 4) return false;
  const n = dottedQuad(net);
  let m = dottedQuad(mask);
  if (m === undefined) {
    const bits = atoi(mask);
    if (bits >= 1 && bits <= 32) m = maskV4(bits);
  }
  if (n === undefined || m === undefined) return false;
  return (a.value & m) >>> 0 === n;
}

/** `[v6]` or `[v6]/bits` (0..128, read as atoi reads it): both masked. */
function bracketed(tok: string, a: Address): boolean {
  const m = /^\[([^\]]*)\](?:\/(.*))?$/s.exec(tok);
  const net = m?.[1] !== undefined ? ipv6(m[1]) : undefined;
  const bits = m?.[2] === undefined ? 128 : atoi(m[2]);
  if (net === undefined || bits < 0 || bits > 128 || a.family !== 6) return false;
  const mask = maskV6(bits);
  return (a.value & mask) === (net & mask);
}

/** Patterns read from a file: words split at blanks only (a comma sticks), `#` lines skipped. */
function fileMatch(path: string, c: Ctx): boolean {
  const text = c.include(path);
  if (text === undefined) {
    c.unsure.add(`${path} (named in a client list) could not be read: taken as no match`);
    return false;
  }
  return text
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .flatMap((l) => l.split(/\s+/))
    .some((tok) => tok !== "" && hostMatch(tok, c));
}

/** tcpd's host_match for the client. */
function hostMatch(tok: string, c: Ctx): boolean {
  if (tok.startsWith("@")) {
    c.unsure.add(`${tok}: NIS netgroups are not looked up (taken as no match, as offline)`);
    return false;
  }
  if (tok.startsWith("/")) return fileMatch(tok, c);
  if (eq(tok, "KNOWN") || eq(tok, "LOCAL") || eq(tok, "PARANOID")) {
    c.unsure.add(`${tok.toUpperCase()} needs the client's host name: taken as unknown (no name)`);
    return false;
  }
  if (tok.startsWith("[")) return bracketed(tok, c.client);
  const [net, mask] = splitAt(tok, "/");
  if (mask !== undefined) return maskedV4(net, mask, c.client);
  if (stringMatch(tok, c.client.text)) return true;
  const addressLike = /^[0-9./]*$/.test(tok);
  if (addressLike) return false;
  if (!eq(tok, "ALL"))
    c.unsure.add(
      `${tok} is compared with the client's host name, which is not looked up: taken as "unknown"`,
    );
  return stringMatch(tok, UNKNOWN);
}

function clientMatch(tok: string, c: Ctx): boolean {
  const [user, host] = splitAt(tok.slice(1), "@");
  if (host === undefined) return hostMatch(tok, c);
  c.unsure.add(`${tok}: the user name (ident, RFC 931) is not known: taken as unknown`);
  return hostMatch(host, c) && stringMatch(tok[0] + user, UNKNOWN);
}

function serverMatch(tok: string, c: Ctx): boolean {
  const [name, host] = splitAt(tok.slice(1), "@");
  if (host === undefined) return stringMatch(tok, c.daemon);
  c.unsure.add(`${tok}: the server address the client connects to is not known`);
  const plain = !/^(KNOWN|LOCAL|PARANOID)$/i.test(host) && !/^[@[/]/.test(host);
  return (
    stringMatch(tok[0] + name, c.daemon) &&
    plain &&
    !host.includes("/") &&
    stringMatch(host, UNKNOWN)
  );
}

/** tcpd's list_match: the first word that matches, unless an EXCEPT list after it matches. */
function listMatch(words: readonly string[], match: (tok: string) => boolean): boolean {
  for (let i = 0; i < words.length; i++) {
    const tok = words[i] ?? "";
    if (eq(tok, "EXCEPT")) return false;
    if (match(tok)) {
      const at = words.findIndex((w, j) => j > i && eq(w, "EXCEPT"));
      return at < 0 || !listMatch(words.slice(at + 1), match);
    }
  }
  return false;
}

const words = (list: string) => list.split(SEP).filter((w) => w !== "");

function ruleMatches(rule: AccessRule, c: Ctx): boolean {
  return (
    listMatch(words(rule.daemons), (t) => serverMatch(t, c)) &&
    listMatch(words(rule.clients), (t) => clientMatch(t, c))
  );
}

/**
 * tcp wrappers' answer for `daemon` and `client` over the rules of hosts.allow and hosts.deny.
 * @example decideAccess({ daemon: "in.telnetd", client, allow: [], deny: denyAll }).verdict // "denied"
 */
export function decideAccess(q: {
  readonly daemon: string;
  readonly client: Address;
  readonly allow: readonly AccessEntry[];
  readonly deny: readonly AccessEntry[];
  readonly include?: IncludeReader;
}): AccessDecision {
  const c: Ctx = {
    daemon: q.daemon,
    client: q.client,
    include: q.include ?? (() => undefined),
    unsure: new Set(),
  };
  for (const [table, rules] of [
    ["allow", q.allow],
    ["deny", q.deny],
  ] as const) {
    const rule = rules.find((r) => r.kind === "broken" || ruleMatches(r, c));
    if (!rule) continue;
    if (rule.kind === "broken") {
      if (table === "allow") continue;
      return { verdict: "denied", broken: rule, table, unsure: [...c.unsure] };
    }
    const effect = rule.options === undefined ? undefined : optionEffect(rule.options);
    const verdict = !effect
      ? table === "allow"
        ? "granted"
        : "denied"
      : effect.kind === "twist"
        ? "twist"
        : effect.kind === "allow"
          ? "granted"
          : effect.kind === "deny" || effect.kind === "error"
            ? "denied"
            : table === "allow"
              ? "granted"
              : "denied";
    return { verdict, rule, table, ...(effect ? { effect } : {}), unsure: [...c.unsure] };
  }
  return { verdict: "granted", unsure: [...c.unsure] };
}
