/**
 * @module Test and bench support for the dashboard: a store filled with a fleet's recent history
 * (the sample generator's realistic rounds), its configured targets with tags, and a few
 * targets that fail on purpose — one failing now, one failing at 02:00 every day.
 */
import { startLab } from "../lab/server.js";
import { probeOnce } from "../monitor/probe.js";
import type { Sample } from "../monitor/sample.js";
import type { Store, TargetInfo } from "../monitor/store/types.js";
import { systemClock } from "../session/clock.js";
import { drawKind, makeSample, prng } from "./monitor-samples.js";

export interface FleetOptions {
  readonly names: readonly string[];
  readonly vantage: string;
  /** The history ends here (exclusive), epoch ms. */
  readonly until: number;
  readonly hours: number;
  readonly intervalMs: number;
  readonly seed?: number;
  /** Targets whose every round fails (refused) in the last `failingForMs`. */
  readonly failingNow?: readonly string[];
  readonly failingForMs?: number;
  /** Rounds written per store.write. */
  readonly batch?: number;
}

/** A tag pair for target i: 20 sites, two roles. */
export function tagsOf(i: number): string[] {
  return [`site:${String(i % 20).padStart(2, "0")}`, `role:${i % 3 ? "access" : "core"}`];
}

function failingSample(t: number, target: string, vantage: string, rnd: () => number): Sample {
  const s = makeSample(t, target, vantage, "healthy", rnd);
  return {
    ...s,
    ok: false,
    cause: "refused",
    stage: "connect",
    connects: { sent: 3, answered: 0, rttMs: [] },
    timings: { firstByteMs: null, promptMs: null, loginMs: null },
    evidence: ["RST in answer to the SYN"],
  };
}

/**
 * Write `hours` of rounds of every name (time order, in batches) and the targets' config.
 * @example await fillFleet(store, { names: ["sw1"], vantage: "lan", until: Date.now(), hours: 24, intervalMs: 300_000 })
 */
export async function fillFleet(store: Store, o: FleetOptions): Promise<number> {
  const rnd = prng(o.seed ?? 7);
  const failing = new Set(o.failingNow ?? []);
  const failFrom = o.until - (o.failingForMs ?? 30 * 60_000);
  const start = o.until - o.hours * 3_600_000;
  const batch: Sample[] = [];
  let written = 0;
  for (let t = start; t < o.until; t += o.intervalMs) {
    for (const name of o.names) {
      const atTwo = new Date(t).getUTCHours() === 2 && name.endsWith("-nightly");
      batch.push(
        (failing.has(name) && t >= failFrom) || atTwo
          ? failingSample(t, name, o.vantage, rnd)
          : makeSample(t, name, o.vantage, drawKind(rnd), rnd),
      );
      if (batch.length >= (o.batch ?? 5000)) {
        await store.write(batch.splice(0));
        written += o.batch ?? 5000;
      }
    }
  }
  written += batch.length;
  await store.write(batch);
  const infos: TargetInfo[] = o.names.map((name, i) => ({
    name,
    vantage: o.vantage,
    host: makeSample(0, name, o.vantage, "healthy", rnd).host,
    port: 23,
    level: "telnet",
    tags: tagsOf(i),
  }));
  await store.putTargets(o.vantage, infos);
  return written;
}

/** A target name and a piece of evidence that would run a script if they were not escaped. */
export const EVIL_NAME = '<script>alert("name")</script>';
export const EVIL_EVIDENCE = 'server said: <script>alert("evidence")</script>';

export interface DashboardFixture {
  readonly now: number;
  /** Every target of vantage "lan". */
  readonly names: readonly string[];
  /** Failing now from "lan" (refused), healthy from "dc1". */
  readonly down: string;
  /** The failed sample of sw-01 whose trace is kept. */
  readonly kept: Sample;
}

/**
 * The dashboard tests' store: 30 targets × 48 h of 5-min rounds from "lan" (one failing now,
 * one failing at 02:00, one named like a script), two of them from "dc1" too, and one failure
 * of sw-01 with a script in its evidence and a real kept trace (`trace`: JSON Lines).
 */
export async function fillDashboardStore(
  store: Store,
  now: number,
  trace: string,
  o: { readonly evil?: boolean } = {},
): Promise<DashboardFixture> {
  const evil = o.evil !== false;
  const names = [
    ...Array.from({ length: 27 }, (_, i) => `sw-${String(i).padStart(2, "0")}`),
    "edge-nightly",
    "core-down",
    evil ? EVIL_NAME : "sw-27",
  ];
  const base = { until: now - 15 * 60_000, hours: 48, intervalMs: 300_000 };
  await fillFleet(store, {
    ...base,
    names,
    vantage: "lan",
    failingNow: ["core-down"],
    failingForMs: 6 * 3_600_000,
  });
  await fillFleet(store, { ...base, names: ["core-down", "sw-01"], vantage: "dc1", seed: 9 });
  const rnd = prng(3);
  const t = now - 10 * 60_000;
  const kept: Sample = {
    ...failingSample(t, "sw-01", "lan", rnd),
    cause: "acl-rejected",
    stage: "telnet",
    connects: { sent: 3, answered: 3, rttMs: [1.1, 1.2, 1.3] },
    evidence: [
      evil ? EVIL_EVIDENCE : "server said: access denied",
      "closed 2 ms after accept, nothing said",
    ],
  };
  const later = [...names.filter((n) => n !== "sw-01"), "sw-01"].map((n) =>
    n === "sw-01"
      ? kept
      : n === "core-down"
        ? failingSample(t, n, "lan", rnd)
        : makeSample(t, n, "lan", "healthy", rnd),
  );
  await store.write(later);
  await store.keepTrace({ vantage: "lan", target: "sw-01", t: kept.t, jsonl: trace });
  return { now, names, down: "core-down", kept };
}

/** A real failed round's trace (JSON Lines): one probe of the lab's acl-rejected server. */
export async function realTrace(): Promise<string> {
  const lab = await startLab({ scenario: "acl-rejected", port: 0 });
  try {
    const spec = {
      name: "lab",
      host: "127.0.0.1",
      port: lab.port,
      level: "telnet" as const,
      timeoutMs: 5000,
      connects: 1,
    };
    const o = await probeOnce(spec, { vantage: "lan", clock: systemClock, wallNow: Date.now });
    if (!o.trace) throw new Error(`the lab's acl-rejected round gave no trace (${o.sample.cause})`);
    return o.trace;
  } finally {
    await lab.close();
  }
}
