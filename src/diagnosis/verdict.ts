/**
 * @module The verdict: one cause of the contract's table (or `healthy`) from the checks'
 * findings, with confidence, evidence and advice. Pure: check results in, a diagnosis out.
 * (The note for the server's administrator is admin-note.ts.)
 */
import type { Cause, Diagnosis, Target } from "../trace/events.js";
import type { CheckId, CheckResult } from "./checklist.js";

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

/**
 * SSH as the way in matters when Telnet is not one: nothing listens, the port is filtered, the
 * server refuses this client or will not serve, or the port is not Telnet at all. It is noise
 * in a healthy verdict, after an idle timeout, a failed login or a path problem.
 */
const SSH_MATTERS: ReadonlySet<Cause> = new Set([
  "refused",
  "filtered",
  "acl-rejected",
  "service-unavailable",
  "wrong-service",
]);

/** The causes each check's extra advice is for (a check not listed: every verdict). */
const ADVICE_FOR: Readonly<Partial<Record<CheckId, ReadonlySet<Cause>>>> = { ssh: SSH_MATTERS };

/** Advice checks add to a verdict ("SSH answers on port 22..."), where it matters for `cause`. */
function extraAdvice(checks: readonly CheckResult[], cause: Cause): string[] {
  return checks.flatMap((c) => ((ADVICE_FOR[c.id]?.has(cause) ?? true) ? (c.advice ?? []) : []));
}

/** The optional checks a healthy verdict suggests, as one command line for this target. */
function optionalChecks(skipped: readonly CheckResult[], target?: Target): string {
  const flags = skipped.map((c) =>
    c.id === "idle"
      ? "--idle-test 10m"
      : c.id === "limits"
        ? "--concurrency 5"
        : "--user NAME --password-env VAR",
  );
  if (!target) return flags.join(", ");
  return `\`teldoc diagnose ${target.host}${target.port !== 23 ? ` ${target.port}` : ""} ${flags.join(" ")}\``;
}

/**
 * The verdict over the checks; `target` fills the commands the advice suggests.
 * @example verdictOf([{ id: "tcp", status: "fail", finding: { cause: "refused", ... } }]).cause // "refused"
 */
export function verdictOf(checks: readonly CheckResult[], target?: Target): Diagnosis {
  const findings = PRECEDENCE.flatMap((id) => {
    const c = byId(checks, id);
    return c?.finding ? [{ id, f: c.finding }] : [];
  });
  const extra = extraAdvice(checks, findings[0]?.f.cause ?? "healthy");
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
            `If sessions still drop, run the optional checks: ${optionalChecks(skippedOptional, target)}.`,
          ]
        : []),
    ],
    alternatives: [],
  };
}
