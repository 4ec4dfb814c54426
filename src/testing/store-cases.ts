/**
 * @module The one case suite every Store implementation passes (hono's habit: an interface, one
 * shared suite, run against each backend). `sqlite.test.ts` and `postgres.test.ts` call
 * `storeCases` with a factory of fresh, empty stores; reopening goes through `openStore(url)`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Sample, sampleTime } from "../monitor/sample.js";
import { dayRollupsOf } from "../monitor/store/day-hours.js";
import { openStore } from "../monitor/store/open.js";
import { rollupSamples } from "../monitor/store/rollup.js";
import { orderedSample } from "../monitor/store/sample-order.js";
import {
  type DayRollup,
  DEFAULT_RETENTION,
  type PeriodQuery,
  type Rollup,
  type RollupQuery,
  type SampleQuery,
  type Store,
} from "../monitor/store/types.js";
import { history, makeSample, prng } from "./monitor-samples.js";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAY = 86_400_000;

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Samples in the store's order: time, then vantage, then target. */
export function inStoreOrder(samples: readonly Sample[]): Sample[] {
  return [...samples]
    .sort((a, b) => {
      const d = sampleTime(a) - sampleTime(b);
      if (d !== 0) return d;
      if (a.vantage !== b.vantage) return a.vantage < b.vantage ? -1 : 1;
      return a.target < b.target ? -1 : a.target > b.target ? 1 : 0;
    })
    .map(orderedSample);
}

/** Every field kind at least once: nulls, evidence, skipped, non-µs floats, each stage. */
export function oddSamples(): Sample[] {
  const rnd = prng(7);
  const base = makeSample(T0, "core-sw1", "office-lan", "failed", rnd);
  return [
    base,
    makeSample(T0 + 1, "core-sw1", "office-lan", "skipped", rnd),
    makeSample(T0 + 2, "core-sw1", "office-lan", "healthy", rnd),
    {
      ...base,
      t: new Date(T0 + 3).toISOString(),
      level: "login",
      port: 2323,
      host: "2001:db8::7",
      cause: "auth-failed",
      stage: "login",
      connects: { sent: 5, answered: 2, rttMs: [0.1 + 0.2, 1e-9] },
      timings: { firstByteMs: 0, promptMs: 12.345, loginMs: 3000.5 },
      durationMs: 1 / 3,
      evidence: ['server said: "Login incorrect"', "ünïcode ✓", ""],
    },
    { ...base, t: new Date(T0 + 4).toISOString(), stage: "session", cause: "idle-timeout" },
    { ...base, t: new Date(T0 + 5).toISOString(), stage: "resolve", cause: "dns-failure" },
  ];
}

/** What the pure fold says the store's rollups must be. */
function expectedRollups(samples: readonly Sample[], q: RollupQuery): Rollup[] {
  const size = q.seconds * 1000;
  return rollupSamples(samples, q.seconds).filter(
    (r) =>
      (q.since === undefined || r.start >= q.since) &&
      (q.until === undefined || r.start < q.until) &&
      (q.vantage === undefined || r.vantage === q.vantage) &&
      (q.target === undefined || r.target === q.target) &&
      (!q.failedOnly || r.ok < r.rounds) &&
      size > 0,
  );
}

/** What the pure fold says the store's days must be. */
function expectedDays(samples: readonly Sample[], q: PeriodQuery): DayRollup[] {
  return dayRollupsOf(samples).filter(
    (d) =>
      (q.since === undefined || d.start >= q.since) &&
      (q.until === undefined || d.start < q.until) &&
      (q.vantage === undefined || d.vantage === q.vantage) &&
      (q.target === undefined || d.target === q.target),
  );
}

function matches(s: Sample, q: SampleQuery): boolean {
  const t = sampleTime(s);
  return (
    (q.since === undefined || t >= q.since) &&
    (q.until === undefined || t < q.until) &&
    (q.vantage === undefined || s.vantage === q.vantage) &&
    (q.target === undefined || s.target === q.target) &&
    (!q.failedOnly || !s.ok)
  );
}

/**
 * Register the shared cases for stores made by `fresh` (each call: a new, empty store).
 * @example storeCases("sqlite", () => openStore(`sqlite:${tempPath()}`));
 */
export function storeCases(name: string, fresh: () => Promise<Store>): void {
  const withStore = (title: string, fn: (store: Store) => Promise<void>, timeout = 60_000) =>
    test(title, { timeout }, async () => {
      const store = await fresh();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });

  describe(`${name} store`, () => {
    withStore(
      "write then read gives every field back, nulls, evidence and skipped included",
      async (store) => {
        const samples = oddSamples();
        await store.write([...samples].reverse());
        const back = await collect(store.samples());
        assert.deepEqual(back, inStoreOrder(samples));
        assert.equal(
          back.map((s) => JSON.stringify(s)).join("\n"),
          inStoreOrder(samples)
            .map((s) => JSON.stringify(s))
            .join("\n"),
        );
        assert.equal(back[1]!.skipped, true);
        assert.equal("skipped" in back[0]!, false);
      },
    );

    withStore("a sample written twice is kept once and counted once", async (store) => {
      const samples = oddSamples();
      await store.write(samples);
      await store.write(samples.slice(0, 3));
      assert.equal((await collect(store.samples())).length, samples.length);
      assert.deepEqual(await collect(store.rollups({ seconds: 300 })), rollupSamples(samples, 300));
    });

    withStore("queries filter by since, until, vantage, target and failedOnly", async (store) => {
      const samples = [
        ...history({ targets: ["a", "b", "c"], vantage: "lan", start: T0, rounds: 40, seed: 3 }),
        ...history({
          targets: ["a", "b"],
          vantage: "wan",
          start: T0 + 30_000,
          rounds: 40,
          seed: 4,
        }),
      ];
      await store.write(samples);
      const queries: SampleQuery[] = [
        {},
        { since: T0 + 10 * 60_000 },
        { until: T0 + 5 * 60_000 },
        { since: T0 + 60_000, until: T0 + 120_000 },
        { target: "a" },
        { vantage: "wan" },
        { vantage: "lan", target: "b", since: T0 + 60_000 },
        { failedOnly: true },
        { failedOnly: true, target: "c", vantage: "lan" },
      ];
      for (const q of queries) {
        const want = inStoreOrder(samples.filter((s) => matches(s, q)));
        assert.deepEqual(await collect(store.samples(q)), want, JSON.stringify(q));
      }
      assert.ok(
        samples.some((s) => !s.ok),
        "the history has failures to filter",
      );
    });

    withStore(
      "failures: the failed rounds, skipped ones left out, in time order, across pages",
      async (store) => {
        const rnd = prng(21);
        const targets = Array.from({ length: 60 }, (_, i) => `f${i}`);
        const samples: Sample[] = [];
        for (let i = 0; i < 210; i++)
          for (const target of targets) {
            const kind = i % 50 === 7 ? "skipped" : rnd() < 0.9 ? "failed" : "healthy";
            samples.push(makeSample(T0 + i * 60_000, target, i % 2 ? "a" : "b", kind, rnd));
          }
        await store.write(samples);
        const key = (f: { t: number; vantage: string; target: string }) =>
          `${String(f.t).padStart(16)} ${f.vantage} ${f.target}`;
        const queries: PeriodQuery[] = [
          {},
          { since: T0 + 30 * 60_000, until: T0 + 150 * 60_000 },
          { target: "f7" },
          { vantage: "a", since: T0 + 60_000 },
        ];
        for (const q of queries) {
          const got = await collect(store.failures(q));
          const times = got.map((f) => f.t);
          assert.deepEqual(
            times,
            [...times].sort((a, b) => a - b),
            "in time order",
          );
          const want = samples
            .filter((s) => matches(s, { ...q, failedOnly: true }) && !s.skipped)
            .map((s) => ({
              t: sampleTime(s),
              vantage: s.vantage,
              target: s.target,
              cause: s.cause,
            }));
          const byKey = (a: (typeof want)[number], b: (typeof want)[number]) =>
            key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
          assert.deepEqual([...got].sort(byKey), want.sort(byKey), JSON.stringify(q));
        }
        assert.ok((await collect(store.failures({}))).length > 10_000, "more than a page");
        // Only minutes with at least N failed rounds (skipped ones counted, every series).
        const q = { since: T0 + 10 * 60_000, until: T0 + 200 * 60_000, target: "f3" };
        const perMinute = new Map<number, number>();
        for (const s of samples)
          if (!s.ok && matches(s, { since: q.since, until: q.until })) {
            const m = Math.floor(sampleTime(s) / 60_000);
            perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
          }
        const n = 55;
        const busy = (t: number) => (perMinute.get(Math.floor(t / 60_000)) ?? 0) >= n;
        const all = await collect(store.failures(q));
        const some = await collect(store.failures({ ...q, minPerMinute: n }));
        assert.deepEqual(
          some,
          all.filter((f) => busy(f.t)),
        );
        assert.ok(some.length > 0 && some.length < all.length, `${some.length} of ${all.length}`);
      },
      120_000,
    );

    withStore(
      "samples come in time order, ties by vantage then target, across pages",
      async (store) => {
        const targets = Array.from(
          { length: 64 },
          (_, i) => `t${String((i * 37) % 64).padStart(2, "0")}`,
        );
        const samples = history({ targets, start: T0, rounds: 40 });
        const rnd = prng(9);
        const shuffled = [...samples].sort(() => rnd() - 0.5);
        await store.write(shuffled);
        assert.deepEqual(await collect(store.samples()), inStoreOrder(samples));
      },
    );

    withStore("rollups equal the pure fold, before and after compaction", async (store) => {
      const samples = [
        ...history({
          targets: ["a", "b"],
          vantage: "lan",
          start: T0 - 10 * DAY,
          rounds: 300,
          intervalMs: 47_000,
          seed: 5,
        }),
        ...oddSamples(),
      ];
      await store.write(samples.slice(0, 200));
      await store.write(samples.slice(200));
      const queries: RollupQuery[] = [
        { seconds: 300 },
        { seconds: 3600 },
        { seconds: 300, target: "a", since: T0 - 10 * DAY + 3_600_000 },
        { seconds: 3600, failedOnly: true },
        { seconds: 300, vantage: "office-lan", until: T0 + 1 },
      ];
      const dayQueries: PeriodQuery[] = [{}, { target: "b", since: T0 - 5 * DAY }, { until: T0 }];
      const check = async () => {
        for (const q of queries)
          assert.deepEqual(
            await collect(store.rollups(q)),
            expectedRollups(samples, q),
            JSON.stringify(q),
          );
        for (const q of dayQueries)
          assert.deepEqual(
            await collect(store.days(q)),
            expectedDays(samples, q),
            `days ${JSON.stringify(q)}`,
          );
      };
      await check();
      const result = await store.compact(T0, DEFAULT_RETENTION);
      const old = samples.filter((s) => sampleTime(s) < T0 - 7 * DAY).length;
      assert.ok(old > 0);
      assert.equal(result.deletedSamples, old);
      assert.equal((await collect(store.samples())).length, samples.length - old);
      await check();
    });

    withStore(
      "a day's hours say what their 1-h rollups say, written in many batches",
      async (store) => {
        const samples = [
          ...history({ targets: ["a", "b"], start: T0 - DAY / 2, rounds: 1500, seed: 11 }),
          ...history({
            targets: ["a"],
            vantage: "wan",
            start: T0 + 7_000,
            rounds: 90,
            intervalMs: 600_000,
          }),
          ...oddSamples(),
        ];
        const rnd = prng(12);
        const shuffled = [...samples].sort(() => rnd() - 0.5);
        for (let i = 0; i < shuffled.length; i += 97) await store.write(shuffled.slice(i, i + 97));
        const days = await collect(store.days({}));
        assert.deepEqual(days, expectedDays(samples, {}));
        const hours = await collect(store.rollups({ seconds: 3600 }));
        let checked = 0;
        for (const r of hours) {
          const d = days.find(
            (x) =>
              x.vantage === r.vantage &&
              x.target === r.target &&
              x.start <= r.start &&
              r.start < x.start + DAY,
          );
          const h = (r.start - d!.start) / 3_600_000;
          const failed = r.rounds - r.skipped - r.ok;
          assert.deepEqual(
            [d!.hours.rounds[h], d!.hours.skipped[h], d!.hours.ok[h], d!.hours.sent[h]],
            [r.rounds, r.skipped, r.ok, r.sent],
          );
          assert.equal(d!.hours.answered[h], r.answered);
          assert.equal(d!.hours.p50[h], r.rttMs.p50 ?? Number.NaN);
          assert.equal(d!.hours.p90[h], r.rttMs.p90 ?? Number.NaN);
          assert.deepEqual(d!.hours.byCause[h], failed > 0 ? r.byCause : null);
          checked++;
        }
        assert.ok(checked > 30 && days.some((d) => d.hours.byCause.some((c) => c !== null)));
      },
    );

    withStore("compact is idempotent", async (store) => {
      const samples = history({
        targets: ["a"],
        start: T0 - 40 * DAY,
        rounds: 80,
        intervalMs: 12 * 3_600_000,
      });
      await store.write(samples);
      const first = await store.compact(T0);
      assert.ok(first.deletedSamples > 0 && first.deletedRollups > 0);
      const state = async () => [
        await collect(store.samples()),
        await collect(store.rollups({ seconds: 300 })),
        await collect(store.rollups({ seconds: 3600 })),
        await collect(store.days({})),
      ];
      const before = await state();
      assert.deepEqual(await store.compact(T0), {
        rolledUp: 0,
        deletedSamples: 0,
        deletedRollups: 0,
        deletedTraces: 0,
      });
      assert.deepEqual(await state(), before);
    });

    withStore("retention deletes raw samples and each rollup size by age", async (store) => {
      const samples = history({
        targets: ["a"],
        start: T0 - 450 * DAY,
        rounds: 450 * 4,
        intervalMs: 6 * 3_600_000,
      });
      await store.write(samples);
      const retention = { rawDays: 3, rollup5mDays: 20, rollup1hDays: 100, tracesPerTarget: 5 };
      await store.compact(T0, retention);
      const raw = await collect(store.samples());
      assert.deepEqual(raw, inStoreOrder(samples.filter((s) => sampleTime(s) >= T0 - 3 * DAY)));
      for (const [seconds, days] of [
        [300, 20],
        [3600, 100],
      ] as const) {
        const kept = await collect(store.rollups({ seconds }));
        const want = rollupSamples(samples, seconds).filter(
          (r) => r.start + seconds * 1000 > T0 - days * DAY,
        );
        assert.deepEqual(kept, want, `${seconds} s rollups`);
        assert.ok(want.length > 0 && want.length < rollupSamples(samples, seconds).length);
      }
      const days = dayRollupsOf(samples);
      const keptDays = days.filter((d) => d.start + DAY > T0 - 100 * DAY);
      assert.deepEqual(await collect(store.days({})), keptDays, "days: as long as 1-h rollups");
      assert.ok(keptDays.length > 0 && keptDays.length < days.length);
    });

    withStore("traces: only the newest N per target and vantage stay", async (store) => {
      for (let i = 0; i < 8; i++) {
        for (const target of ["a", "b"])
          await store.keepTrace({
            vantage: "lan",
            target,
            t: new Date(T0 + i * 1000).toISOString(),
            jsonl: `{"i":${i}}\n`,
          });
      }
      await store.keepTrace({
        vantage: "wan",
        target: "a",
        t: new Date(T0).toISOString(),
        jsonl: "{}\n",
      });
      const a = await store.traces("a", "lan");
      assert.deepEqual(
        a.map((x) => x.jsonl),
        [7, 6, 5, 4, 3].map((i) => `{"i":${i}}\n`),
      );
      assert.equal(a[0]!.t, new Date(T0 + 7000).toISOString());
      assert.equal((await store.traces("a")).length, 6);
      assert.equal((await store.traces("b", "lan")).length, 5);
      assert.equal(
        (await store.compact(T0, { ...DEFAULT_RETENTION, tracesPerTarget: 2 })).deletedTraces,
        3 + 3,
      );
      assert.equal((await store.traces("a", "lan")).length, 2);
    });

    withStore("putTargets replaces what one vantage said, and leaves the others", async (store) => {
      const t = (name: string, vantage: string, tags: string[] = []) =>
        ({ name, vantage, host: `${name}.example`, port: 23, level: "telnet", tags }) as const;
      await store.putTargets("lan", [t("a", "lan", ["site:paris", "role:core"]), t("b", "lan")]);
      await store.putTargets("wan", [t("a", "wan")]);
      await store.putTargets("lan", [t("c", "lan", ["x"])]);
      assert.deepEqual(await store.targets("lan"), [t("c", "lan", ["x"])]);
      assert.deepEqual(await store.targets(), [t("c", "lan", ["x"]), t("a", "wan")]);
      await assert.rejects(store.putTargets("lan", [t("z", "wan")]), {
        code: "TELDOC_ERR_INVALID_ARGUMENT",
      });
    });

    withStore("two vantages in one store stay apart", async (store) => {
      const lan = history({ targets: ["a"], vantage: "lan", start: T0, rounds: 30, seed: 1 });
      const wan = history({ targets: ["a"], vantage: "wan", start: T0, rounds: 30, seed: 2 });
      await Promise.all([store.write(lan), store.write(wan)]);
      assert.deepEqual(await collect(store.samples({ vantage: "wan" })), inStoreOrder(wan));
      assert.deepEqual(
        await collect(store.samples({ target: "a" })),
        inStoreOrder([...lan, ...wan]),
      );
      assert.deepEqual(
        await collect(store.rollups({ seconds: 300 })),
        rollupSamples([...lan, ...wan], 300),
      );
    });

    withStore(
      "a batch of 50,000 samples",
      async (store) => {
        const targets = Array.from({ length: 50 }, (_, i) => `sw${i}`);
        const samples = history({ targets, start: T0, rounds: 1000 });
        await store.write(samples);
        let n = 0;
        for await (const _ of store.samples()) n++;
        assert.equal(n, 50_000);
        const hours = await collect(store.rollups({ seconds: 3600 }));
        assert.equal(
          hours.reduce((sum, r) => sum + r.rounds, 0),
          50_000,
        );
        assert.deepEqual(hours, rollupSamples(samples, 3600));
      },
      240_000,
    );

    withStore("concurrent writes all land, rollups counted once", async (store) => {
      const samples = history({ targets: ["a", "b", "c"], start: T0, rounds: 200 });
      const parts = Array.from({ length: 10 }, (_, i) => samples.filter((_, j) => j % 10 === i));
      await Promise.all(parts.map((p) => store.write(p)));
      assert.deepEqual(await collect(store.samples()), inStoreOrder(samples));
      assert.deepEqual(await collect(store.rollups({ seconds: 300 })), rollupSamples(samples, 300));
    });

    withStore("close, then open the same URL again: everything is still there", async (store) => {
      const samples = oddSamples();
      await store.write(samples);
      await store.putTargets("office-lan", [
        { name: "core-sw1", vantage: "office-lan", host: "h", port: 23, level: "tcp", tags: [] },
      ]);
      await store.keepTrace({
        vantage: "office-lan",
        target: "core-sw1",
        t: samples[0]!.t,
        jsonl: "{}\n",
      });
      await store.close();
      const again = await openStore(store.url);
      try {
        assert.deepEqual(await collect(again.samples()), inStoreOrder(samples));
        assert.deepEqual(
          await collect(again.rollups({ seconds: 3600 })),
          rollupSamples(samples, 3600),
        );
        assert.equal((await again.targets()).length, 1);
        assert.equal((await again.traces("core-sw1")).length, 1);
        await again.write(
          history({ targets: ["core-sw1"], vantage: "office-lan", start: T0 + DAY, rounds: 2 }),
        );
        assert.equal((await collect(again.samples())).length, samples.length + 2);
      } finally {
        await again.close();
      }
    });

    withStore("the URL never carries a password", async (store) => {
      assert.doesNotMatch(store.url, /:[^/@:]*@/);
    });
  });
}
