/**
 * @module The verdict: one cause of the contract's table (or `healthy`) from the checks'
 * findings, with confidence, evidence and advice — and a ready-to-send note for the server's
 * administrator. Pure: check results in, text out.
 */
import { describeCause } from "../diagnosis/index.js";
import type { Cause, Diagnosis, Target } from "../trace/events.js";
import { formatUtc } from "../util/duration.js";
import type { CheckId, CheckResult } from "./types.js";

/** Which check's finding explains the others: an earlier step blocks every later one. */
const PRECEDENCE: readonly CheckId[] = ["dns", "tcp", "telnet", "login", "limits", "idle", "route"];

const r2 = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;

function byId(checks: readonly CheckResult[], id: CheckId): CheckResult | undefined {
  return checks.find((c) => c.id === id);
}

/** Facts from other checks that sharpen a finding (e.g. ping answers while the port is filtered). */
function supporting(
  cause: Cause,
  checks: readonly CheckResult[],
): { evidence: string[]; boost: number } {
  const route = byId(checks, "route");
  const ping = route?.data.ping as { status?: string; received?: number; avg?: number } | undefined;
  const path = route?.data.path as
    | { reached?: boolean; hops?: { ttl: number; address?: string }[] }
    | undefined;
  const evidence: string[] = [];
  let boost = 0;
  if (cause === "filtered" && ping?.status === "ok") {
    if ((ping.received ?? 0) > 0) {
      evidence.push(
        `the host answers ping (${ping.avg ?? "?"} ms): it is up, so a firewall drops the SYNs to this port`,
      );
      boost = 0.05;
    } else if (path?.hops && path.hops.length > 0 && !path.reached) {
      const last = [...path.hops].reverse().find((h) => h.address);
      evidence.push(
        `no ping reply, and the path ends at hop ${last?.ttl ?? "?"}${last?.address ? ` (${last.address})` : ""}: the host is down or a firewall drops everything beyond`,
      );
    }
  }
  if (cause === "middlebox-timeout" || cause === "network-failure") {
    const hops = path?.hops?.length;
    if (hops)
      evidence.push(`the path has ${hops} hop(s) (${String((path as { tool?: string }).tool)})`);
  }
  return { evidence, boost };
}

/** Advice every verdict may carry: checks that say "you could also...". */
function extraAdvice(checks: readonly CheckResult[]): string[] {
  return checks.flatMap((c) => c.advice ?? []);
}

/**
 * The verdict over the checks.
 * @example verdictOf([{ id: "tcp", status: "fail", finding: { cause: "refused", ... } }]).cause // "refused"
 */
export function verdictOf(checks: readonly CheckResult[]): Diagnosis {
  const findings = PRECEDENCE.flatMap((id) => {
    const c = byId(checks, id);
    return c?.finding ? [{ id, f: c.finding }] : [];
  });
  const extra = extraAdvice(checks);
  if (findings.length > 0) {
    const [best, ...rest] = findings;
    const more = supporting(best.f.cause, checks);
    const alternatives: { cause: Cause; confidence: number }[] = [];
    const seen = new Set<Cause>([best.f.cause]);
    const own = (best.f as Partial<Diagnosis>).alternatives ?? [];
    for (const a of [
      ...rest.map((r) => ({ cause: r.f.cause, confidence: r.f.confidence })),
      ...own,
    ]) {
      if (seen.has(a.cause)) continue;
      seen.add(a.cause);
      alternatives.push({ cause: a.cause, confidence: r2(a.confidence) });
    }
    return {
      cause: best.f.cause,
      confidence: r2(best.f.confidence + more.boost),
      summary: best.f.summary,
      evidence: [...best.f.evidence, ...more.evidence].slice(0, 5),
      advice: [...best.f.advice, ...extra.filter((a) => !best.f.advice.includes(a))],
      alternatives: alternatives.slice(0, 4),
    };
  }
  const passed = checks.filter((c) => c.status === "pass" || c.status === "warn");
  const telnet = byId(checks, "telnet");
  const login = byId(checks, "login");
  const warned = checks.filter((c) => c.status === "warn" && c.id !== "ssh");
  let confidence = telnet?.status === "pass" ? 0.9 : 0.7;
  if (login?.status === "pass") confidence = 0.95;
  if (warned.length > 0) confidence -= 0.1 * warned.length;
  const skippedOptional = checks.filter(
    (c) => c.status === "skip" && (c.id === "idle" || c.id === "limits" || c.id === "login"),
  );
  return {
    cause: "healthy",
    confidence: r2(Math.max(0.5, confidence)),
    summary:
      warned.length === 0
        ? "Everything worked: the name resolves, the port is open and a Telnet service answers."
        : `The service works, with warnings: ${warned.map((w) => w.id).join(", ")}.`,
    evidence: passed
      .filter((c) => c.id !== "dns" && c.id !== "ssh")
      .map((c) => `${c.id}: ${c.summary}`)
      .slice(0, 5),
    advice: [
      ...warned.map((w) => `Look at the ${w.id} warning: ${w.summary}.`),
      ...extra,
      ...(skippedOptional.length > 0
        ? [
            `If sessions still drop, run the optional checks: ${skippedOptional
              .map((c) =>
                c.id === "idle"
                  ? "--idle-test 10m"
                  : c.id === "limits"
                    ? "--concurrency 5"
                    : "--user NAME --password-env VAR",
              )
              .join(", ")}.`,
          ]
        : []),
    ],
    alternatives: [],
  };
}

/** What the server's administrator should look at, per cause. */
const ADMIN_CHECKS: Partial<Record<Cause, readonly string[]>> = {
  refused: [
    "Is the Telnet service running and listening on this port? `ss -ltnp 'sport = :PORT'`",
    "Under inetd/xinetd: is the service enabled (`disable = no`) and xinetd running (`systemctl status xinetd`)?",
    "On a network device: is the Telnet server enabled (`transport input telnet` on the vty lines)?",
  ],
  filtered: [
    "Does a firewall drop TCP port PORT from CLIENT? (`nft list ruleset`, `iptables -S`, cloud security groups, ACLs on the way)",
    "Is the host up and on the expected address?",
  ],
  unreachable: [
    "Is there a route to the host from CLIENT's network? A router answers 'host/network unreachable'.",
    "Is the host up, and on the expected subnet/VLAN?",
  ],
  "local-firewall": [
    "Nothing reached the network: the firewall on the client machine (CLIENT) blocks the connection; the server side needs no change.",
  ],
  "acl-rejected": [
    "tcp wrappers: /etc/hosts.allow and /etc/hosts.deny (log: `refused connect from`).",
    "xinetd: `only_from` / `no_access` in the service's file (log: `FAIL: telnet address from=`).",
    "Device ACLs: `access-class` on `line vty`, management-plane ACLs. The client's address as the server sees it is CLIENT (unless NAT changes it).",
  ],
  "service-unavailable": [
    "Session limits: xinetd `instances` / `per_source`, number of vty lines, the device's maximum sessions; stale sessions holding slots (`show users`, `who`).",
    "Maintenance or shutdown messages in the banner (`/etc/nologin`).",
  ],
  "wrong-service": [
    "Which program listens on port PORT? (`ss -ltnp 'sport = :PORT'`) Telnet may have moved to another port.",
  ],
  "auth-failed": [
    "Is the account valid, unlocked and not expired? Log: /var/log/auth.log (`FAILED LOGIN`), `faillock --user USER`, the AAA server (TACACS+/RADIUS).",
  ],
  "login-timeout": [
    "The login prompt's timeout (LOGIN_TIMEOUT in /etc/login.defs, telnetd/login options, Cisco `timeout login response`).",
  ],
  "idle-timeout": [
    "The idle policy: TMOUT in /etc/profile or /etc/profile.d, Cisco `exec-timeout` on the vty lines, Junos `system login class ... idle-timeout`.",
  ],
  "middlebox-timeout": [
    "The server is fine: a NAT or firewall between CLIENT and the host drops idle TCP flows; its established-session timeout should be longer than users' idle time, or keepalives allowed.",
  ],
  "network-failure": [
    "Packet loss or an outage on the path between CLIENT and the host: see the route check's hops.",
  ],
  "peer-reset": [
    "Did the Telnet service or its session process crash or get killed? System log, `journalctl -u xinetd`, core dumps.",
  ],
  "server-closed": ["The service's log around the time of the close."],
};

/**
 * A note to paste into a ticket or mail to the server's administrator.
 * @example adminNote({ target, startedAt, checks, verdict, localAddress: "10.0.0.5" })
 */
export function adminNote(r: {
  readonly target: Target;
  readonly startedAt: string;
  readonly localAddress?: string;
  readonly checks: readonly CheckResult[];
  readonly verdict: Diagnosis;
}): string {
  const { target, verdict } = r;
  const client = r.localAddress ?? "this machine";
  const where = `${target.host}${target.address && target.address !== target.host ? ` (${target.address})` : ""} port ${target.port}`;
  const lines = [
    `Subject: Telnet to ${where}: ${verdict.cause === "healthy" ? "working" : describeCause(verdict.cause).toLowerCase()}`,
    "",
    `On ${formatUtc(r.startedAt)}, from ${client}, teldoc checked Telnet to ${where}.`,
    "",
    `What was seen: ${verdict.summary}`,
    ...verdict.evidence.map((e) => `  - ${e}`),
    "",
    "Checks:",
    ...r.checks
      .filter((c) => c.status !== "skip")
      .map((c) => `  ${c.status.toUpperCase().padEnd(4)} ${c.id}: ${c.summary}`),
  ];
  const todo = (ADMIN_CHECKS[verdict.cause] ?? []).map((t) =>
    t.replaceAll("PORT", String(target.port)).replaceAll("CLIENT", client),
  );
  if (todo.length > 0) lines.push("", "Please check on your side:", ...todo.map((t) => `  - ${t}`));
  else if (verdict.cause === "healthy")
    lines.push("", "Nothing to fix on the server side at the time of the check.");
  return lines.join("\n");
}
