/**
 * @module `/probe?target=HOST:PORT&level=telnet`: one round now, answered in Prometheus' text
 * format, in the style of blackbox_exporter, so an existing Prometheus can drive the probes
 * itself (targets from its service discovery, one exporter per vantage point). Unlike
 * blackbox_exporter's one success bit, the answer names the cause and the stage of a failure:
 * `teldoc_probe_info{cause="acl-rejected",stage="telnet"} 1`.
 */
import { Gauge, Registry } from "prom-client";
import { z } from "zod";
import { TeldocError } from "../../errors.js";
import { parseDuration } from "../../util/duration.js";
import { parseTarget } from "../../util/target.js";
import type { MonitorTarget } from "../monitor.js";
import type { ProbeOutcome, ProbeSpec } from "../probe.js";
import { LEVELS } from "../sample.js";
import { PHASES, phaseSeconds } from "./metrics.js";

/** A probe asked for over HTTP waits at most this long (and less when Prometheus says so). */
export const PROBE_MAX_TIMEOUT_MS = 10_000;

const querySchema = z.strictObject({
  target: z.string().min(1, "give target=HOST:PORT (or a configured target's name)"),
  level: z.enum(LEVELS).optional(),
  connects: z
    .string()
    .regex(/^\d+$/, "a whole number 0-10")
    .transform(Number)
    .pipe(z.number().max(10, "at most 10"))
    .optional(),
  timeout: z.string().optional(),
});

/**
 * The probe a query asks for: a configured target by name (with its level and credentials),
 * or HOST:PORT at level tcp or telnet. Throws TELDOC_ERR_USAGE with what is wrong.
 */
export function probeSpecOf(
  query: Record<string, string>,
  configured: readonly MonitorTarget[],
  scrapeTimeoutS?: string,
): ProbeSpec {
  const r = querySchema.safeParse(query);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = i.path.length > 0 ? `${i.path.join(".")}: ` : "";
    throw new TeldocError("TELDOC_ERR_USAGE", `${where}${i.message}`);
  }
  const q = r.data;
  const timeoutMs = Math.min(
    PROBE_MAX_TIMEOUT_MS,
    q.timeout !== undefined ? parseDuration(q.timeout, "timeout") : PROBE_MAX_TIMEOUT_MS,
    scrapeLimit(scrapeTimeoutS),
  );
  const named = configured.find((t) => t.name === q.target);
  if (named)
    return {
      ...named,
      ...(q.level !== undefined && q.level !== "login" ? { level: q.level } : {}),
      ...(q.connects !== undefined ? { connects: q.connects } : {}),
      timeoutMs,
    };
  if (q.level === "login")
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "level=login needs a configured target (its user and password_env): give target=NAME",
    );
  const { host, port } = parseTarget(q.target);
  return {
    name: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    level: q.level ?? "telnet",
    timeoutMs,
    connects: q.connects ?? 1,
  };
}

/** Prometheus says how long it waits (X-Prometheus-Scrape-Timeout-Seconds): answer before. */
function scrapeLimit(header: string | undefined): number {
  const s = header === undefined ? Number.NaN : Number(header);
  if (!Number.isFinite(s) || s <= 0) return PROBE_MAX_TIMEOUT_MS;
  return Math.max(500, s * 1000 - 500);
}

/** The round as Prometheus text: blackbox_exporter's names, and the cause as labels. */
export async function probeText(spec: ProbeSpec, outcome: ProbeOutcome): Promise<string> {
  const registry = new Registry();
  const registers = [registry];
  const s = outcome.sample;
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  gauge("probe_success", "1 when the round was healthy").set(s.ok ? 1 : 0);
  gauge("probe_duration_seconds", "how long the round took").set(s.durationMs / 1000);
  const info = gauge(
    "teldoc_probe_info",
    "the round's cause (the contract's causes; healthy when it worked), stage and level",
    ["cause", "stage", "level"],
  );
  info.set({ cause: s.cause, stage: s.stage ?? "", level: spec.level }, 1);
  const phases = gauge("teldoc_probe_duration_seconds", "the round's phases", ["phase"]);
  for (const phase of PHASES) {
    const v = phaseSeconds(s, phase);
    if (v !== undefined) phases.set({ phase }, v);
  }
  gauge("teldoc_probe_connects_sent", "TCP connects tried").set(s.connects.sent);
  gauge("teldoc_probe_connects_answered", "TCP connects answered").set(s.connects.answered);
  return registry.metrics();
}
