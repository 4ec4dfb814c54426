/**
 * @module The checklist, run: every check of the registry (registry.ts) once the checks it
 * waits for are done — dns; then tcp and ssh; route and telnet; login; limits; idle — skipped
 * with the registry's reason where it does not apply, "interrupted" after Ctrl-C; then the
 * verdict and the note for the administrator.
 */
import { createSocket } from "node:dgram";
import { systemClock } from "../session/clock.js";
import type { Diagnosis } from "../trace/events.js";
import { adminNote } from "./admin-note.js";
import { CHECKS, type CheckContext, type ChecklistState } from "./registry.js";
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type DiagnoseOptions,
  type DiagnoseReport,
  skipped,
} from "./types.js";
import { verdictOf } from "./verdict.js";

/** The address this machine would send from to reach `address` (a routing lookup; nothing is sent). */
function sourceAddress(address: string, family: 4 | 6): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(family === 6 ? "udp6" : "udp4");
    const finish = (v: string | undefined) => {
      socket.close();
      resolve(v);
    };
    socket.once("error", () => finish(undefined));
    socket.connect(9, address, () => {
      try {
        finish(socket.address().address);
      } catch {
        finish(undefined);
      }
    });
  });
}

/** A verdict from an interrupted checklist names a found problem, never "healthy". */
function interruptedVerdict(v: Diagnosis): Diagnosis {
  if (v.cause !== "healthy") return v;
  return {
    cause: "unknown",
    confidence: 0.2,
    summary: "The checklist was interrupted before it could conclude; nothing failed until then.",
    evidence: v.evidence,
    advice: ["Run `teldoc diagnose` again and let it finish."],
    alternatives: [],
  };
}

/** Run the checks of the registry, each once its `after` checks are done, in parallel otherwise. */
async function runChecks(
  o: DiagnoseOptions,
  state: ChecklistState,
): Promise<Map<CheckId, CheckResult>> {
  const results = new Map<CheckId, CheckResult>();
  const running = new Map<CheckId, Promise<void>>();
  const progress = o.onProgress;
  const ctx = (id: CheckId): CheckContext => ({
    o,
    state,
    result: (other) => results.get(other),
    news: (text) => progress?.({ kind: "news", id, text }),
  });
  const settle = (r: CheckResult) => {
    results.set(r.id, r);
    progress?.({ kind: "done", result: r });
  };
  const runOne = (id: CheckId): Promise<void> => {
    let p = running.get(id);
    if (p) return p;
    p = (async () => {
      const check = CHECKS[id];
      await Promise.all(check.after.map(runOne));
      const c = ctx(id);
      // Ctrl-C: whatever has not started is reported as interrupted.
      const why = o.signal?.aborted ? "interrupted" : check.skip(c);
      if (why !== undefined) return settle(skipped(id, why));
      progress?.({ kind: "start", id });
      settle(await check.run(c));
    })();
    running.set(id, p);
    return p;
  };
  await Promise.all(CHECK_IDS.map(runOne));
  return results;
}

/**
 * Run every check that applies and conclude.
 * @example const report = await runChecklist({ host: "127.0.0.1", port: 2323, connectTimeoutMs: 10_000, sshPort: 22 });
 */
export async function runChecklist(o: DiagnoseOptions): Promise<DiagnoseReport> {
  // startedAt is a date for people to read (wall-clock time), not a duration: it stays off the
  // injected clock, which measures durations only.
  const started = new Date();
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const state: ChecklistState = { target: { host: o.host, port: o.port } };
  const results = await runChecks(o, state);
  const { target } = state;
  const localAddress =
    state.localAddress ??
    (target.address ? await sourceAddress(target.address, target.family ?? 4) : undefined);
  const interrupted = o.signal?.aborted === true;
  const checks = CHECK_IDS.map(
    (id) => results.get(id) ?? skipped(id, interrupted ? "interrupted" : "not run"),
  );
  const reached = verdictOf(checks, target);
  const verdict = interrupted ? interruptedVerdict(reached) : reached;
  const startedAt = started.toISOString();
  return {
    target,
    startedAt,
    durationMs: clock.now() - t0,
    ...(localAddress ? { localAddress } : {}),
    checks,
    verdict,
    adminNote:
      adminNote({
        target,
        startedAt,
        ...(localAddress ? { localAddress } : {}),
        ...(o.user !== undefined ? { user: o.user } : {}),
        checks,
        verdict,
      }) ?? null,
  };
}
