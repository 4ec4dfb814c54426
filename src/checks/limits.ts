/**
 * @module The `limits` check (--concurrency N): open sessions one after another, keeping each
 * open, until N are open or the server refuses one — and say how it refused (a message, an
 * immediate close, RST, or a refused or unanswered connect).
 */
import type { Candidate } from "../diagnosis/index.js";
import { systemClock } from "../session/clock.js";
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
  const n = o.concurrency ?? 1;
  const open: OpenSession[] = [];
  const attempts: Attempt[] = [];
  let refusal: { attempt: Attempt; finding?: Candidate } | undefined;
  try {
    for (let i = 1; i <= n && !o.signal?.aborted; i++) {
      news(`opening session ${i} of ${n} (${open.length} open)`);
      const a0 = clock.now();
      const probe = await probeTelnet(o, "always");
      if (!probe.telnet) {
        const attempt = {
          n: i,
          served: false,
          ms: clock.now() - a0,
          how: `connect ${String(probe.tcp.data.state ?? "failed")}`,
        };
        attempts.push(attempt);
        refusal = { attempt, finding: probe.tcp.finding };
        break;
      }
      const { result, open: session } = await probe.telnet;
      if (!session || result.status === "fail") {
        const f = result.finding;
        const said = result.data.banner as string[] | undefined;
        const attempt = {
          n: i,
          served: false,
          ms: clock.now() - a0,
          how:
            f?.cause === "wrong-service"
              ? "not Telnet"
              : said && said.length > 0
                ? "closed with a message"
                : /RST|reset/i.test(result.summary)
                  ? "reset (RST)"
                  : "closed at once, without a word",
          ...(said && said.length > 0 ? { said: said.slice(-2).join(" / ") } : {}),
        };
        attempts.push(attempt);
        refusal = { attempt, finding: f };
        break;
      }
      open.push(session);
      attempts.push({ n: i, served: true, ms: clock.now() - a0 });
    }
  } finally {
    for (const s of open) s.session.close("script");
    await Promise.all(open.map((s) => s.ended));
  }
  const durationMs = clock.now() - t0;
  const data = {
    requested: n,
    opened: open.length,
    limit: refusal ? refusal.attempt.n - 1 : null,
    refusedAt: refusal?.attempt.n ?? null,
    how: refusal?.attempt.how ?? null,
    serverSaid: refusal?.attempt.said ?? null,
    attempts: attempts.map((a) => ({ ...a, ms: Math.round(a.ms) })),
  };
  if (o.signal?.aborted)
    return {
      id: "limits",
      status: "skip",
      summary: `interrupted after ${open.length} session(s) had opened`,
      durationMs,
      data,
    };
  if (!refusal)
    return {
      id: "limits",
      status: "pass",
      summary: `${n} session(s) open at once, all served (slowest ${formatMs(Math.max(...attempts.map((a) => a.ms)))})`,
      durationMs,
      data,
    };
  const k = refusal.attempt.n - 1;
  const said = refusal.attempt.said ? `: "${refusal.attempt.said}"` : "";
  const finding: Candidate =
    k === 0 && refusal.finding
      ? refusal.finding
      : {
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
  return {
    id: "limits",
    status: k === 0 ? "fail" : "warn",
    summary: `limit reached: ${k} session(s) served, session ${k + 1} ${refusal.attempt.how}${said}`,
    durationMs,
    data,
    finding,
  };
}
