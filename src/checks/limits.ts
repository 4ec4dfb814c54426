/**
 * @module The `limits` check (--concurrency N): open sessions one after another, keeping each
 * open, until N are open or the server refuses one — and say how it refused (a message, an
 * immediate close, RST, or a refused or unanswered connect).
 */
import type { Candidate } from "../diagnosis/index.js";
import { type Clock, systemClock } from "../session/clock.js";
import { formatMs } from "../util/duration.js";
import { type OpenSession, probeTelnet } from "./telnet.js";
import type { CheckResult, DiagnoseOptions } from "./types.js";

interface Attempt {
  readonly n: number;
  readonly served: boolean;
  readonly ms: number;
  readonly how?: string;
  readonly said?: string;
}

/** The session the server would not serve, and what that session alone reads as. */
interface Refusal {
  readonly attempt: Attempt;
  readonly finding?: Candidate;
}

/** What opening sessions one after another found. */
interface Opening {
  readonly requested: number;
  readonly opened: number;
  readonly attempts: readonly Attempt[];
  readonly refusal?: Refusal;
}

/**
 * Run the limits check.
 * @example (await checkLimits({ ...options, concurrency: 5 }, () => {})).data.limit // 2 or null
 */
export async function checkLimits(
  o: DiagnoseOptions,
  news: (text: string) => void,
): Promise<CheckResult> {
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const opening = await openUntilRefused(o, o.concurrency ?? 1, news, clock);
  const durationMs = clock.now() - t0;
  const data = limitsData(opening);
  if (o.signal?.aborted)
    return {
      id: "limits",
      status: "skip",
      summary: `interrupted after ${opening.opened} session(s) had opened`,
      durationMs,
      data,
    };
  const { refusal } = opening;
  if (!refusal) {
    const slowest = formatMs(Math.max(...opening.attempts.map((a) => a.ms)));
    return {
      id: "limits",
      status: "pass",
      summary: `${opening.requested} session(s) open at once, all served (slowest ${slowest})`,
      durationMs,
      data,
    };
  }
  return refusedResult(refusal, durationMs, data);
}

/** Open up to `n` sessions, holding each, until one is refused; then close them all. */
async function openUntilRefused(
  o: DiagnoseOptions,
  n: number,
  news: (text: string) => void,
  clock: Clock,
): Promise<Opening> {
  const open: OpenSession[] = [];
  const attempts: Attempt[] = [];
  try {
    for (let i = 1; i <= n && !o.signal?.aborted; i++) {
      news(`opening session ${i} of ${n} (${open.length} open)`);
      const next = await openOne(o, i, clock);
      attempts.push(next.attempt);
      if (!("session" in next))
        return { requested: n, opened: open.length, attempts, refusal: next };
      open.push(next.session);
    }
  } finally {
    for (const s of open) s.session.close("script");
    await Promise.all(open.map((s) => s.ended));
  }
  return { requested: n, opened: open.length, attempts };
}

/** Session `i`: open and served (kept open), or refused, and how. */
async function openOne(
  o: DiagnoseOptions,
  i: number,
  clock: Clock,
): Promise<{ attempt: Attempt; session: OpenSession } | Refusal> {
  const a0 = clock.now();
  const probe = await probeTelnet(o, "always");
  if (!probe.telnet) {
    const how = `connect ${String(probe.tcp.data.state ?? "failed")}`;
    return {
      attempt: { n: i, served: false, ms: clock.now() - a0, how },
      finding: probe.tcp.finding,
    };
  }
  const { result, open: session } = await probe.telnet;
  if (!session || result.status === "fail")
    return { attempt: refusedAttempt(i, clock.now() - a0, result), finding: result.finding };
  return { attempt: { n: i, served: true, ms: clock.now() - a0 }, session };
}

/** How the telnet check's result says the server refused session `n`. */
function refusedAttempt(n: number, ms: number, result: CheckResult): Attempt {
  const said = result.data.banner as string[] | undefined;
  const spoke = said !== undefined && said.length > 0;
  const how =
    result.finding?.cause === "wrong-service"
      ? "not Telnet"
      : spoke
        ? "closed with a message"
        : /RST|reset/i.test(result.summary)
          ? "reset (RST)"
          : "closed at once, without a word";
  return { n, served: false, ms, how, ...(spoke ? { said: said.slice(-2).join(" / ") } : {}) };
}

/** The check's data: the limit found (null when none was), how it refused, every attempt. */
function limitsData(opening: Opening): Record<string, unknown> {
  const { refusal } = opening;
  return {
    requested: opening.requested,
    opened: opening.opened,
    limit: refusal ? refusal.attempt.n - 1 : null,
    refusedAt: refusal?.attempt.n ?? null,
    how: refusal?.attempt.how ?? null,
    serverSaid: refusal?.attempt.said ?? null,
    attempts: opening.attempts.map((a) => ({ ...a, ms: Math.round(a.ms) })),
  };
}

/** The result when session k + 1 was refused: fail when the very first was, else warn. */
function refusedResult(
  refusal: Refusal,
  durationMs: number,
  data: Record<string, unknown>,
): CheckResult {
  const k = refusal.attempt.n - 1;
  const said = refusal.attempt.said ? `: "${refusal.attempt.said}"` : "";
  return {
    id: "limits",
    status: k === 0 ? "fail" : "warn",
    summary: `limit reached: ${k} session(s) served, session ${k + 1} ${refusal.attempt.how}${said}`,
    durationMs,
    data,
    finding: k === 0 && refusal.finding ? refusal.finding : limitFinding(k, refusal, said),
  };
}

/** The server serves `k` sessions at once from here. */
function limitFinding(k: number, refusal: Refusal, said: string): Candidate {
  return {
    cause: "service-unavailable",
    confidence: 0.8,
    summary: `The server serves at most ${k} session(s) at once from here; session ${k + 1} was refused (${refusal.attempt.how}).`,
    evidence: [
      `${k} session(s) opened and held`,
      `session ${k + 1}: ${refusal.attempt.how}${said}`,
      ...(refusal.finding ? [`that session alone reads as: ${refusal.finding.cause}`] : []),
    ],
    advice: [
      `Close idle sessions you may have left open (on Cisco: \`show users\`, \`clear line N\`); a session left by a dropped connection holds its slot until the server times it out.`,
      "Ask the administrator about the session limit: xinetd `instances`/`per_source`, the number of vty lines, or the device's max sessions.",
    ],
  };
}
