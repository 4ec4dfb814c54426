/**
 * @module The note for the server's administrator: written only when the fix may lie on the
 * server's side, and short — when, from which address, what happened (the verdict's summary,
 * not its evidence list), what else was seen from here, and what to check there. Pure.
 */

import type { Cause, Diagnosis, Target } from "../trace/events.js";
import { formatRtt, formatUtc } from "../util/duration.js";
import { describeCause } from "./causes.js";
import type { CheckResult } from "./checklist.js";
import { serverCheckAdvice } from "./format.js";
import type { NeighbourFailure } from "./neighbour.js";

/** What the note knows to fill in the checks. */
interface Context {
  readonly port: number;
  /** The client's address as this machine sees it, or "this machine". */
  readonly client: string;
  readonly address: string;
  readonly user?: string;
}

type Todo = (c: Context) => string;

/** The server's own account of why it ended the session: `teldoc logs` run there. */
const SERVER_LOGS: Todo = (c) =>
  `Why the server ended it, from its logs: on the server, \`teldoc logs /var/log/auth.log${/^[0-9a-f.:]+$/i.test(c.client) ? ` --client ${c.client}` : ""}\` (or \`teldoc logs --journal\`; RHEL: /var/log/secure).`;

/**
 * What the server's administrator should look at, for each cause a note is written for. A
 * cause not here gets no note: nothing to fix (healthy), no server identified (dns-failure),
 * this machine (local-firewall), the path (middlebox-timeout, network-failure, a router's
 * unreachable), our side (logout, local-close), or too little evidence (unknown).
 */
const ADMIN_CHECKS: Readonly<Partial<Record<Cause, readonly Todo[]>>> = {
  refused: [
    (c) =>
      `Is the Telnet service running and listening on port ${c.port}? \`ss -ltnp 'sport = :${c.port}'\``,
    () =>
      "Under inetd/xinetd: is the service enabled (`disable = no`) and xinetd running (`systemctl status xinetd`)?",
    () =>
      "On a network device: is the Telnet server enabled (`transport input telnet` on the vty lines)?",
  ],
  filtered: [
    (c) =>
      `Does a firewall drop TCP port ${c.port} from ${c.client}? (\`nft list ruleset\`, \`iptables -S\`, cloud security groups, ACLs on the way)`,
    (c) => `Is the host up and on ${c.address}?`,
  ],
  unreachable: [
    (c) => `Is the host up, its interface up, and ${c.address} configured on it?`,
    (c) =>
      `Is it on the subnet/VLAN it should be (the address's prefix, the switch port's VLAN)? Nothing answered ARP/ND for ${c.address}.`,
  ],
  "acl-rejected": [
    () => "tcp wrappers: /etc/hosts.allow and /etc/hosts.deny (log: `refused connect from`).",
    () =>
      "xinetd: `only_from` / `no_access` in the service's file (log: `FAIL: telnet address from=`); a limit closes the same way (log: `service_limit` or `per_source_limit`).",
    (c) =>
      `Device ACLs: \`access-class\` on \`line vty\`, management-plane ACLs. The client's address as the server sees it is ${c.client} (unless NAT changes it).`,
    SERVER_LOGS,
  ],
  "service-unavailable": [
    () =>
      "Session limits: xinetd `instances` / `per_source`, number of vty lines, the device's maximum sessions; stale sessions holding slots (`show users`, `who`).",
    () => "Maintenance or shutdown messages in the banner (`/etc/nologin`).",
    SERVER_LOGS,
  ],
  "wrong-service": [
    (c) =>
      `Which program listens on port ${c.port}? (\`ss -ltnp 'sport = :${c.port}'\`) Telnet may have moved to another port.`,
  ],
  "auth-failed": [
    (c) =>
      `Is the account${c.user ? ` ${c.user}` : ""} valid, unlocked and not expired? Log: /var/log/auth.log (\`FAILED LOGIN\`)${c.user ? `, \`faillock --user ${c.user}\`` : ", `faillock`"}, the AAA server (TACACS+/RADIUS).`,
    SERVER_LOGS,
  ],
  "login-timeout": [
    () =>
      "The login prompt's timeout (LOGIN_TIMEOUT in /etc/login.defs, telnetd/login options, Cisco `timeout login response`).",
    SERVER_LOGS,
  ],
  "idle-timeout": [
    () =>
      "The idle policy: TMOUT in /etc/profile or /etc/profile.d, Cisco `exec-timeout` on the vty lines, Junos `system login class ... idle-timeout`.",
  ],
  "peer-reset": [
    () =>
      "Did the Telnet service or its session process crash or get killed? System log, `journalctl -u xinetd`, core dumps.",
  ],
  "server-closed": [() => "The service's log around the time of the close."],
};

/** Causes whose rule or setting `teldoc server-check` finds on a Linux server. */
const SERVER_CHECK_CAUSES: ReadonlySet<Cause> = new Set<Cause>([
  "refused",
  "acl-rejected",
  "service-unavailable",
  "auth-failed",
  "login-timeout",
  "idle-timeout",
]);

function check(checks: readonly CheckResult[], id: CheckResult["id"]): CheckResult | undefined {
  return checks.find((c) => c.id === id);
}

/** The neighbour that never answered, when the tcp check saw one. */
function neighbourOf(checks: readonly CheckResult[]): NeighbourFailure | undefined {
  return check(checks, "tcp")?.data.neighbour as NeighbourFailure | undefined;
}

/**
 * Whether the note is written: the cause's fix may lie with the server's administrator. An
 * unreachable host counts only when its neighbour was silent on its own subnet (it is down, or
 * on the wrong subnet); a router's "unreachable" or a silent gateway is the network's matter.
 * @example wantsAdminNote({ cause: "dns-failure", ... }, checks) // false
 */
function wantsAdminNote(verdict: Diagnosis, checks: readonly CheckResult[]): boolean {
  if (!ADMIN_CHECKS[verdict.cause]) return false;
  if (verdict.cause !== "unreachable") return true;
  const n = neighbourOf(checks);
  return n !== undefined && n.where !== "gateway";
}

/** Facts from the other checks an administrator would want in one line: ping, SSH. */
function alsoSeen(checks: readonly CheckResult[]): string[] {
  const out: string[] = [];
  const ping = check(checks, "route")?.data.ping as
    | { status?: string; received?: number; avg?: number }
    | undefined;
  if (ping?.status === "ok")
    out.push(
      (ping.received ?? 0) > 0
        ? `the host answers ping${ping.avg !== undefined ? ` (${formatRtt(ping.avg)})` : ""}`
        : "the host does not answer ping",
    );
  const ssh = check(checks, "ssh");
  if (ssh?.data.available === true)
    out.push(
      `SSH answers on port ${ssh.data.port}${ssh.data.software ? ` (${ssh.data.software})` : ""}`,
    );
  return out;
}

/** The subject's words for what happened. */
function what(verdict: Diagnosis, checks: readonly CheckResult[]): string {
  if (verdict.cause === "unreachable" && neighbourOf(checks))
    return "the host does not answer on its subnet";
  return describeCause(verdict.cause).toLowerCase();
}

/**
 * A note to paste into a ticket or mail to the server's administrator, or undefined when the
 * verdict is not theirs to fix (see wantsAdminNote()).
 * @example adminNote({ target, startedAt, checks, verdict, localAddress: "10.0.0.5" })
 */
export function adminNote(r: {
  readonly target: Target;
  readonly startedAt: string;
  readonly localAddress?: string;
  readonly user?: string;
  readonly checks: readonly CheckResult[];
  readonly verdict: Diagnosis;
}): string | undefined {
  const { target, verdict, checks } = r;
  if (!wantsAdminNote(verdict, checks)) return undefined;
  const client = r.localAddress ?? "this machine";
  const address = target.address ?? target.host;
  const where = `${target.host}${address !== target.host ? ` (${address})` : ""} port ${target.port}`;
  const seen = alsoSeen(checks);
  const context: Context = {
    port: target.port,
    client,
    address,
    ...(r.user ? { user: r.user } : {}),
  };
  return [
    `Subject: Telnet to ${where}${r.localAddress ? ` from ${r.localAddress}` : ""}: ${what(verdict, checks)}`,
    "",
    `On ${formatUtc(r.startedAt)}, from ${client}, teldoc tried Telnet to ${where}. ${verdict.summary}`,
    ...(seen.length > 0 ? ["", `Also seen from here: ${seen.join("; ")}.`] : []),
    "",
    "Please check on your side:",
    ...(ADMIN_CHECKS[verdict.cause] ?? []).map((t) => `  - ${t(context)}`),
    ...(SERVER_CHECK_CAUSES.has(verdict.cause)
      ? [
          `  - ${serverCheckAdvice({ target, ...(r.localAddress ? { localAddress: r.localAddress } : {}) })}`,
        ]
      : []),
  ].join("\n");
}
