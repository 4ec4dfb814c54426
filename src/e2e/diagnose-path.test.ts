/**
 * `teldoc diagnose` on a real path: the CLI in the `client` namespace, the lab in the `server`
 * namespace, a fault on the middlebox or in the client's firewall. The tcp check's state, the
 * route check's ping and path through the middlebox, the idle check's measurement of a
 * conntrack timeout with and without keepalive, and the verdicts. Root only.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type PathLab, pathLabUnsupported } from "../lab/netns.js";
import { type DiagnoseRun, runPathDiagnose, withPathServer } from "../lab/netns-client.js";
import { skipOrFail, skipUnlessCI } from "../testing/requirement.js";

const skip = skipUnlessCI("network namespaces", pathLabUnsupported());
const opts = skip ? { skip } : {};

/** A lab with the healthy server listening on 198.18.2.2:23; torn down afterwards. */
const withLab = (fn: (lab: PathLab) => Promise<void>) => withPathServer("tddiag", fn);

type Report = NonNullable<DiagnoseRun["report"]>;

function report(r: DiagnoseRun): Report {
  assert.ok(r.report, `no JSON report (exit ${r.code} after ${r.ms} ms)\n${r.stdout}\n${r.stderr}`);
  return r.report;
}

function check(rep: Report, id: string) {
  const c = rep.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
}

function verdict(r: DiagnoseRun, cause: string): Report {
  const rep = report(r);
  assert.equal(
    rep.verdict.cause,
    cause,
    `${JSON.stringify(rep.verdict, null, 1)}\n${rep.checks.map((c) => `${c.id} ${c.status} ${c.summary}`).join("\n")}`,
  );
  assert.equal(r.code, cause === "healthy" ? 0 : 1);
  return rep;
}

describe("diagnose on a real path (network namespaces)", { concurrency: true }, () => {
  test(
    "healthy through the middlebox: the path has 2 hops and reaches the server",
    opts,
    async () => {
      await withLab(async (lab) => {
        const rep = verdict(await runPathDiagnose(lab, [], 30_000), "healthy");
        const route = check(rep, "route");
        assert.equal(route.status, "pass", route.summary);
        const path = route.data.path as { reached: boolean; hops: { address?: string }[] };
        assert.equal(path.reached, true, JSON.stringify(path));
        assert.deepEqual(
          path.hops.map((h) => h.address),
          ["198.18.1.1", "198.18.2.2"],
        );
        assert.equal((route.data.ping as { received: number }).received > 0, true);
      });
    },
  );

  test(
    "filtered: SYNs dropped while the host answers ping -> filtered, with that evidence",
    opts,
    async () => {
      await withLab(async (lab) => {
        await lab.fault("filtered");
        const rep = verdict(await runPathDiagnose(lab, [], 40_000), "filtered");
        assert.equal(check(rep, "tcp").data.state, "filtered");
        assert.equal(check(rep, "telnet").status, "skip");
        const route = check(rep, "route");
        assert.equal((route.data.tcp as { answered: number }).answered, 0);
        assert.equal(route.status, "fail", "no TCP round trip at all");
        assert.ok(
          rep.verdict.evidence.some((e) => /answers ping/.test(e)),
          JSON.stringify(rep.verdict.evidence),
        );
      });
    },
  );

  test("unreachable: ICMP host-unreachable from the middlebox -> unreachable", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("unreachable");
      const rep = verdict(await runPathDiagnose(lab, [], 30_000), "unreachable");
      assert.equal(check(rep, "tcp").data.errno, "EHOSTUNREACH");
      assert.match(rep.verdict.summary, /no route/);
      // A router's answer: the fix is in routing, not on the server.
      assert.equal(rep.adminNote, null);
    });
  });

  test(
    "unreachable: nothing on the client's subnet answers ARP for the address -> the neighbour, not 'no route'",
    opts,
    async () => {
      await withLab(async (lab) => {
        const rep = verdict(
          // Time for the kernel's ARP to give up (~3 s): EHOSTUNREACH rather than our timer.
          await runPathDiagnose(lab, ["--connect-timeout", "6s"], 30_000, {}, "198.18.1.77"),
          "unreachable",
        );
        assert.equal(check(rep, "tcp").data.errno, "EHOSTUNREACH");
        assert.match(rep.verdict.summary, /^The neighbour did not answer \(ARP\)/);
        assert.doesNotMatch(rep.verdict.summary, /no route/i);
        assert.ok(
          rep.verdict.evidence.some((e) => /ARP entry for 198\.18\.1\.77 is incomplete/.test(e)),
          JSON.stringify(rep.verdict.evidence),
        );
        // The host's own administrator is the one to ask whether it is up.
        assert.match(String(rep.adminNote), /198\.18\.1\.77/);
      });
    },
  );

  test("local-firewall: the client's own OUTPUT rule -> local-firewall", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("local-firewall");
      const rep = verdict(await runPathDiagnose(lab, [], 30_000), "local-firewall");
      assert.equal(check(rep, "tcp").data.state, "local-firewall");
    });
  });

  test(
    "idle: the path dies while the session is held (new connections fail too) -> network-failure",
    opts,
    async () => {
      await withLab(async (lab) => {
        const running = runPathDiagnose(
          lab,
          ["--user", "demo", "--password-env", "DIAG_PW", "--idle-test", "8s"],
          90_000,
          { DIAG_PW: "demo" },
        );
        // The checks before the idle hold take about 1.5 s here; cut the path inside the 8 s hold.
        await new Promise((r) => setTimeout(r, 4000));
        await lab.fault("network-failure");
        const rep = verdict(await running, "network-failure");
        const idle = check(rep, "idle");
        const first = idle.data.first as { outcome: string; newConnection?: { ok: boolean } };
        assert.equal(first.outcome, "black-hole", idle.summary);
        assert.equal(first.newConnection?.ok, false);
      });
    },
  );

  test(
    "idle: conntrack forgets after 3 s; keepalive every 2 s keeps the session -> middlebox-timeout",
    opts,
    async () => {
      await withLab(async (lab) => {
        await lab.fault("middlebox-timeout", { idleSeconds: 3 });
        const r = await runPathDiagnose(
          lab,
          ["--user", "demo", "--password-env", "DIAG_PW", "--idle-test", "8s"],
          60_000,
          { DIAG_PW: "demo" },
        );
        const rep = verdict(r, "middlebox-timeout");
        const idle = check(rep, "idle");
        const first = idle.data.first as { outcome: string; newConnection?: { ok: boolean } };
        assert.match(first.outcome, /black-hole|rst-on-keystroke/);
        assert.equal(idle.data.keepaliveHelps, true, idle.summary);
        assert.ok((idle.data.keepaliveMs as number) < 3000);
        // A plain session held 4 s (half of 8 s) dies too: the death is within 4 s of idle.
        assert.deepEqual(idle.data.diedBetweenMs, { fromMs: 0, toMs: 4000 }, idle.summary);
        assert.ok(rep.verdict.advice.some((a) => /--keepalive/.test(a)));
      });
    },
  );
});

describe("diagnose: loss on the path (network namespaces)", () => {
  test(
    "every other ICMP echo reply dropped: route warns with the loss; TCP is fine, so healthy",
    opts,
    async () => {
      await withLab(async (lab) => {
        await lab.loss(50, { echoReplies: true });
        const rep = verdict(await runPathDiagnose(lab, [], 30_000), "healthy");
        const route = check(rep, "route");
        assert.equal(route.status, "warn", route.summary);
        const ping = route.data.ping as { lossPct?: number };
        const path = route.data.path as { endLossPct?: number };
        assert.ok((ping.lossPct ?? 0) > 0 || (path.endLossPct ?? 0) > 0, route.summary);
        assert.equal((route.data.tcp as { lossPct: number }).lossPct, 0);
        assert.ok(rep.verdict.confidence < 0.9, "the warning lowers the confidence");
      });
    },
  );

  test(
    "mid-path ICMP rate limiting: the middlebox answers every other probe, the end answers all -> not loss",
    opts,
    async (t) => {
      await withLab(async (lab) => {
        // The middlebox's own ICMP time-exceeded (its answer to a probe that dies there): every other one dropped.
        await lab.exec("middlebox", "nft", ["-f", "-"], {
          input:
            "table inet ratelimit {\n  chain out {\n    type filter hook output priority 0;\n    icmp type time-exceeded numgen inc mod 2 == 0 drop\n  }\n}\n",
        });
        const rep = verdict(await runPathDiagnose(lab, [], 30_000), "healthy");
        const route = check(rep, "route");
        const path = route.data.path as {
          tool?: string;
          rateLimitedHops?: number[];
          endLossPct?: number;
        };
        // Only mtr measures loss per hop; tracepath and traceroute send too few probes to tell.
        if (path.tool !== "mtr")
          return skipOrFail(t, "mtr", `the path came from ${path.tool ?? "no tool"}`);
        assert.deepEqual(path.rateLimitedHops, [1], JSON.stringify(path));
        assert.equal(path.endLossPct, 0);
        assert.equal(route.status, "pass", route.summary);
        assert.match(route.summary, /rate limiting/);
      });
    },
  );
});
