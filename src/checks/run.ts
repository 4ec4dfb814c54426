/**
 * @module The checklist, run: dns first; then the connection (tcp) and what answers on it
 * (telnet), with route and ssh in parallel; then login, limits and idle when asked for; then
 * the verdict and the note for the administrator.
 */
import { createSocket } from "node:dgram";
import type { Diagnosis, Target } from "../trace/events.js";
import { adminNote } from "./admin-note.js";
import { checkDns } from "./dns.js";
import { checkIdle } from "./idle.js";
import { checkLimits } from "./limits.js";
import { logIn } from "./login.js";
import { checkRoute } from "./route.js";
import { checkSsh } from "./ssh.js";
import { type OpenSession, probeTelnet } from "./telnet.js";
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

/**
 * Run every check that applies and conclude.
 * @example const report = await runChecklist({ host: "127.0.0.1", port: 2323, connectTimeoutMs: 10_000, sshPort: 22 });
 */
export async function runChecklist(o: DiagnoseOptions): Promise<DiagnoseReport> {
  const started = new Date();
  const t0 = performance.now();
  const results = new Map<CheckId, CheckResult>();
  const progress = o.onProgress;
  const start = (id: CheckId) => progress?.({ kind: "start", id });
  const news = (id: CheckId) => (text: string) => progress?.({ kind: "news", id, text });
  const done = (r: CheckResult): CheckResult => {
    results.set(r.id, r);
    progress?.({ kind: "done", result: r });
    return r;
  };
  const skipRest = (why: string) => {
    for (const id of CHECK_IDS) if (!results.has(id)) done(skipped(id, why));
  };
  let target: Target = { host: o.host, port: o.port };
  let localAddress: string | undefined;

  start("dns");
  const dns = await checkDns(o.host, o.connectTimeoutMs, o.resolvers);
  done(dns.result);
  const first = dns.addresses[0];
  if (!first) skipRest("the name did not resolve");
  else {
    target = { host: o.host, port: o.port, address: first.address, family: first.family };
    start("ssh");
    const ssh = checkSsh(
      first.address,
      first.family,
      o.sshPort,
      Math.min(o.connectTimeoutMs, 3000),
      o.signal,
      { host: o.host, ...(o.user !== undefined ? { user: o.user } : {}) },
    ).then(done);
    start("tcp");
    start("telnet");
    // With explicit resolvers, later connections use what they answered, not the system's lookup.
    if (o.resolvers) o = { ...o, host: first.address };
    const probe = await probeTelnet(o, o.user !== undefined ? "prompt" : "never", news("telnet"));
    done(probe.tcp);
    const remote = probe.tcp.data.address as string | undefined;
    const family = (probe.tcp.data.family as 4 | 6 | undefined) ?? first.family;
    if (remote) target = { ...target, address: remote, family };
    const local = probe.tcp.data.local as { address?: string } | undefined;
    localAddress = local?.address;
    start("route");
    const route = checkRoute({
      address: remote ?? first.address,
      family,
      port: o.port,
      sampleTimeoutMs: Math.min(o.connectTimeoutMs, 2000),
      tools: o.tools,
      signal: o.signal,
    }).then(done);
    let open: OpenSession | undefined;
    if (probe.telnet) {
      const t = await probe.telnet;
      done(t.result);
      open = t.open;
    } else done(skipped("telnet", "no connection: see tcp"));
    if (o.user === undefined)
      done(skipped("login", "give --user NAME (and --password-env VAR) to test the login"));
    else if (!open)
      done(
        skipped(
          "login",
          results.get("telnet")?.data.prompt === "shell"
            ? "the server gave a prompt without asking anyone to log in"
            : "no login prompt to answer: see telnet",
        ),
      );
    else {
      start("login");
      const login = await logIn(open, o.user, o.password, 10_000);
      done(login.result);
      open.session.close("script");
      await open.ended;
    }
    await Promise.all([route, ssh]);
    const usable =
      results.get("tcp")?.status !== "fail" && results.get("telnet")?.status !== "fail";
    // Ctrl-C: whatever has not run is reported as interrupted.
    if (o.signal?.aborted) skipRest("interrupted");
    if (results.has("limits")) {
      // already settled
    } else if (o.concurrency === undefined)
      done(skipped("limits", "give --concurrency N to find the session limit"));
    else if (!usable) done(skipped("limits", "the first session already failed"));
    else {
      start("limits");
      done(await checkLimits(o, news("limits")));
    }
    if (o.signal?.aborted) skipRest("interrupted");
    if (results.has("idle")) {
      // already settled
    } else if (o.idleTestMs === undefined)
      done(skipped("idle", "give --idle-test MAX (e.g. 10m) to measure idle timeouts"));
    else if (!usable || results.get("login")?.status === "fail")
      done(skipped("idle", "no session to hold: an earlier check failed"));
    else {
      start("idle");
      done(await checkIdle(o, news("idle")));
    }
  }
  localAddress ??= target.address
    ? await sourceAddress(target.address, target.family ?? 4)
    : undefined;
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
    durationMs: performance.now() - t0,
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
