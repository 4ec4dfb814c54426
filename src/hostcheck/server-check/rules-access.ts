/**
 * @module Rules for `access` (may this client reach the Telnet service: xinetd's only_from /
 * no_access, xinetd's libwrap and tcpd over hosts.allow / hosts.deny) and `firewall` (rules
 * that name the port). Each answer names the file and line that decide. Pure.
 */
import type { Address } from "./address.js";
import type { ServerFacts } from "./facts.js";
import { appliesTo, type FirewallRule, portRules } from "./firewall.js";
import { type AccessDecision, decideAccess } from "./hosts-match.js";
import type { TelnetService } from "./services.js";
import { type ServerCheck, skippedCheck, type Where } from "./types.js";
import { xinetdAccess } from "./xinetd-access.js";

/** One layer's answer for the client. */
interface Layer {
  readonly allowed: boolean;
  readonly what: string;
  readonly where?: Where;
  readonly unsure: readonly string[];
}

function wrappersLayer(f: ServerFacts, daemon: string, by: string, client: Address): Layer {
  const allow = f.hostsAllow.state === "read" ? f.hostsAllow.value : [];
  const deny = f.hostsDeny.state === "read" ? f.hostsDeny.value : [];
  const d: AccessDecision = decideAccess({
    daemon,
    client,
    allow,
    deny,
    include: (p) => f.includes.get(p),
  });
  const unread = [f.hostsAllow, f.hostsDeny]
    .filter((s) => s.state === "unreadable")
    .map((s) => `${s.file} could not be read`);
  const unsure = [...d.unsure, ...unread];
  if (d.broken)
    return {
      allowed: false,
      what: `${by} (${daemon}): ${d.broken.file} line ${d.broken.line} has no newline at the end: tcpd reads that as an error and denies every client no earlier rule matched`,
      where: d.broken,
      unsure,
    };
  if (!d.rule)
    return {
      allowed: true,
      what: `${by} (${daemon}): no rule in hosts.allow or hosts.deny matches: allowed`,
      unsure,
    };
  const rule = `${d.rule.file}:${d.rule.line} \`${d.rule.text}\``;
  const where = { file: d.rule.file, line: d.rule.line };
  if (d.verdict === "twist" && d.effect?.kind === "twist")
    return {
      allowed: false,
      what: `${by} (${daemon}): ${rule} matches and replaces telnetd with \`${d.effect.command}\`: the client sees its output, then the connection closes`,
      where,
      unsure,
    };
  const opt =
    d.effect?.kind === "error"
      ? ` (its options are wrong: ${d.effect.message}; tcpd denies)`
      : d.effect?.kind === "allow" || d.effect?.kind === "deny"
        ? ` (option \`${d.effect.kind}\`)`
        : "";
  return {
    allowed: d.verdict === "granted",
    what: `${by} (${daemon}): ${d.verdict === "granted" ? "allowed" : "denied"} by ${rule}${opt}`,
    where,
    unsure,
  };
}

function xinetdLayer(s: TelnetService, client: Address): Layer | undefined {
  if (!s.onlyFrom && !s.noAccess) return undefined;
  const a = xinetdAccess(s.onlyFrom?.values, s.noAccess?.values, client);
  const where = a.by?.list === "no_access" ? s.noAccess?.where : s.onlyFrom?.where;
  const what = a.allowed
    ? `xinetd ${s.name}: only_from lets ${client.text} in${a.by?.entry ? ` (${a.by.entry})` : ""}`
    : a.by?.list === "no_access"
      ? `xinetd ${s.name}: no_access ${a.by.entry} shuts ${client.text} out`
      : `xinetd ${s.name}: ${client.text} is not in only_from (${s.onlyFrom?.values.join(" ") || "empty: no one"})`;
  return { allowed: a.allowed, what, ...(where ? { where } : {}), unsure: a.unsure };
}

/** The layers a connection meets, in order, for each enabled service (all when none is on). */
function layers(f: ServerFacts, services: readonly TelnetService[], client: Address): Layer[] {
  const on = services.filter((s) => s.enabled);
  const out: Layer[] = [];
  for (const s of on.length > 0 ? on : services) {
    const x = xinetdLayer(s, client);
    if (x) out.push(x);
    for (const w of s.wrappers) out.push(wrappersLayer(f, w.daemon, w.by, client));
    if (s.kind === "systemd" || s.kind === "busybox")
      out.push({
        allowed: true,
        what: `${s.kind} ${s.name}: no tcp wrappers in front of telnetd`,
        unsure: [],
      });
  }
  if (out.length === 0)
    for (const daemon of ["in.telnetd", "telnetd"])
      out.push({
        ...wrappersLayer(f, daemon, "tcp wrappers", client),
        unsure: ["no service configuration names the daemon: both usual names are checked"],
      });
  return out;
}

/** The `access` check for one client: the first layer that shuts it out decides. */
export function accessCheck(
  f: ServerFacts,
  services: readonly TelnetService[],
  client: Address | undefined,
): ServerCheck {
  if (!client)
    return skippedCheck("access", "no --client ADDR: which clients may connect was not checked");
  const ls = layers(f, services, client);
  const denied = ls.find((l) => !l.allowed);
  const unsure = [...new Set(ls.flatMap((l) => l.unsure))];
  const data = {
    client: client.text,
    allowed: !denied,
    layers: ls.map((l) => ({ allowed: l.allowed, reason: l.what, ...l.where })),
    unsure,
  };
  if (denied)
    return {
      id: "access",
      status: "fail",
      summary: `${client.text} is refused: ${denied.what} → the client sees the connection accepted, then closed at once (acl-rejected)`,
      data,
      ...denied.where,
      cause: "acl-rejected",
      advice: [
        `Allow ${client.text} at ${denied.where ? `${denied.where.file}${denied.where.line ? `:${denied.where.line}` : ""}` : "the rule above"}, or check the address the server sees (NAT, VPN).`,
      ],
    };
  const deciding = ls.find((l) => l.where);
  return {
    id: "access",
    status: unsure.length > 0 ? "warn" : "pass",
    summary: `${client.text} may connect: ${ls.map((l) => l.what).join("; ")}${unsure.length > 0 ? ` (unsure: ${unsure.join("; ")})` : ""}`,
    data,
    ...deciding?.where,
  };
}

/** The `firewall` check: rules that name the port, and the first that applies to the client. */
export function firewallCheck(
  f: ServerFacts,
  port: number,
  client: Address | undefined,
): ServerCheck {
  if (!f.live)
    return skippedCheck(
      "firewall",
      `not the live host (--root ${f.root}): firewall rules are not read`,
    );
  if (f.live.firewall.length === 0)
    return skippedCheck("firewall", "no nft or iptables-save here (or not allowed to run them)");
  const rules: FirewallRule[] = f.live.firewall.flatMap((d) => portRules(d.tool, d.text, port));
  const data = { tools: f.live.firewall.map((d) => d.tool), rules };
  const first = client
    ? rules.find((r) => r.action !== "other" && appliesTo(r, client) === true)
    : rules.find((r) => r.action === "drop" || r.action === "reject");
  if (!first)
    return {
      id: "firewall",
      status: "pass",
      summary:
        rules.length === 0
          ? `no firewall rule names port ${port}`
          : `${rules.length} rule(s) name port ${port}; none blocks${client ? ` ${client.text}` : ""}`,
      data,
    };
  const where = { file: `(${first.tool})`, line: first.line };
  if (first.action === "accept")
    return {
      id: "firewall",
      status: "pass",
      summary: `\`${first.text}\` accepts port ${port}${client ? ` from ${client.text}` : ""} (a simple reading: chains and policies are not followed)`,
      data,
      ...where,
    };
  const cause =
    first.action === "drop" ? "filtered" : /tcp-reset/.test(first.text) ? "refused" : "unreachable";
  return {
    id: "firewall",
    status: "warn",
    summary: `\`${first.text}\` (${first.tool} line ${first.line}) ${first.action}s port ${port}${client ? ` from ${client.text}` : ""} → the client sees ${cause} (a simple reading: chains and policies are not followed)`,
    data,
    ...where,
    cause,
  };
}
