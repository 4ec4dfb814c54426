/**
 * End to end, on a real path: the teldoc CLI in the `client` namespace, the lab in the `server`
 * namespace, a fault on the middlebox (or in the client's firewall), and the diagnosis must
 * name the path cause. Root only (skipped otherwise, with the reason).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { skipUnlessCI } from "../testing/requirement.js";
import { type PathLab, pathLabUnsupported } from "./netns.js";
import { type ClientRun, type JsonLine, runPathClient, withPathServer } from "./netns-client.js";

const skip = skipUnlessCI("network namespaces", pathLabUnsupported());
const dir = mkdtempSync(join(tmpdir(), "teldoc-netns-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const LOGIN = String.raw`expect login: 5s
send demo\r\n
expect Password: 5s
send demo\r\n
expect ~\$ 5s
`;

/** A lab with the healthy server listening on 198.18.2.2:23; torn down afterwards. */
const withLab = (fn: (lab: PathLab) => Promise<void>) => withPathServer("tdtest", fn);

/** The client run; fails the test when it printed no end line. */
async function connect(
  lab: PathLab,
  args: readonly string[],
  limitMs: number,
  onLine?: (l: JsonLine) => void,
  host?: string,
): Promise<ClientRun & { end: NonNullable<ClientRun["end"]> }> {
  const r = await runPathClient(lab, args, limitMs, onLine, host);
  if (!r.end) {
    throw new Error(
      `no end line after ${r.ms} ms (exit ${r.code}); stderr: ${r.stderr}; last: ${JSON.stringify(r.lines.slice(-3))}`,
    );
  }
  return { ...r, end: r.end };
}

function expectCause(r: ClientRun & { end: NonNullable<ClientRun["end"]> }, cause: string): void {
  assert.equal(
    r.end.diagnosis.cause,
    cause,
    `expected ${cause}, got ${JSON.stringify(r.end.diagnosis)}\nevents: ${r.lines
      .filter((l) => l.type !== "data" && l.type !== "option")
      .map((l) => JSON.stringify(l))
      .join("\n")}`,
  );
  assert.equal(r.code, 1);
}

const opts = skip ? { skip } : {};

describe("path causes on a real path (network namespaces)", { concurrency: true }, () => {
  test("filtered: the middlebox drops the SYN", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("filtered");
      const r = await connect(lab, ["--script", script("close.txt", "close\n")], 15_000);
      expectCause(r, "filtered");
      const f = r.lines.find((l) => l.type === "connect-failed");
      assert.equal(f?.code, "TIMEOUT");
      assert.ok(!f?.localSendFailures, `no local send failures: ${JSON.stringify(f)}`);
    });
  });

  test("unreachable: the middlebox answers ICMP host-unreachable", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("unreachable");
      const r = await connect(lab, ["--script", script("close.txt", "close\n")], 15_000);
      expectCause(r, "unreachable");
      const f = r.lines.find((l) => l.type === "connect-failed");
      assert.equal(f?.code, "EHOSTUNREACH");
      assert.ok((f?.durationMs as number) < 1000, `fast: ${f?.durationMs} ms`);
      // The gateway answered ARP: the "unreachable" is the middlebox's ICMP, not a silent neighbour.
      assert.deepEqual(f?.nextHop, {
        onLink: false,
        device: "eth0",
        gateway: lab.addresses.middleboxClientSide,
        resolved: true,
      });
      assert.match(r.end.diagnosis.summary, /no route/);
    });
  });

  test(
    "unreachable: an address on the client's own subnet where no host answers ARP",
    opts,
    async () => {
      await withLab(async (lab) => {
        const nobody = "198.18.1.77";
        const close = ["--script", script("close.txt", "close\n")];
        const neighbour =
          /^The neighbour did not answer \(ARP\): the host is down or not on this subnet\./;
        // Given time, the kernel gives up on ARP after 3 probes 1 s apart: EHOSTUNREACH.
        const r = await connect(
          lab,
          [...close, "--connect-timeout", "6s"],
          15_000,
          undefined,
          nobody,
        );
        expectCause(r, "unreachable");
        const f = r.lines.find((l) => l.type === "connect-failed");
        assert.equal(f?.code, "EHOSTUNREACH");
        assert.ok((f?.durationMs as number) >= 2500, `after ARP's ~3 s: ${f?.durationMs} ms`);
        assert.deepEqual(f?.nextHop, { onLink: true, device: "eth0", resolved: false });
        assert.match(r.end.diagnosis.summary, neighbour);
        assert.doesNotMatch(r.end.diagnosis.summary, /no route/i);
        // With a connect timeout of 3 s our timer fires first: still the silent neighbour, not filtered.
        const t = await connect(lab, close, 15_000, undefined, nobody);
        expectCause(t, "unreachable");
        const g = t.lines.find((l) => l.type === "connect-failed");
        assert.equal(g?.code, "TIMEOUT");
        assert.equal((g?.nextHop as { resolved?: boolean } | undefined)?.resolved, false);
        assert.match(t.end.diagnosis.summary, neighbour);
      });
    },
  );

  test("local-firewall: the client's own OUTPUT rule drops the SYN", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("local-firewall");
      const r = await connect(lab, ["--script", script("close.txt", "close\n")], 15_000);
      expectCause(r, "local-firewall");
      const f = r.lines.find((l) => l.type === "connect-failed");
      assert.ok((f?.localSendFailures as number) > 0, JSON.stringify(f));
    });
  });

  test("middlebox-timeout: conntrack forgets the idle session, a new one works", opts, async () => {
    await withLab(async (lab) => {
      await lab.fault("middlebox-timeout", { idleSeconds: 3 });
      // 6 s idle: past the 3 s conntrack timeout; the probe then shows the path itself works.
      const file = script("idle.txt", `${LOGIN}sleep 6s\nsend echo hello\\r\\n\nwait 15s\n`);
      const r = await connect(lab, ["--script", file], 60_000);
      expectCause(r, "middlebox-timeout");
      const probe = r.lines.find((l) => l.type === "probe");
      assert.equal(probe?.ok, true, JSON.stringify(probe));
    });
  });

  test(
    "middlebox-timeout, RST flavour: the forgotten flow is answered with RST; a reset-check probe confirms the path",
    opts,
    async () => {
      await withLab(async (lab) => {
        await lab.fault("middlebox-timeout", { idleSeconds: 3, reset: true });
        const file = script("idle-rst.txt", `${LOGIN}sleep 6s\nsend echo hello\r\n\nwait 15s\n`);
        const r = await connect(lab, ["--script", file], 60_000);
        expectCause(r, "middlebox-timeout");
        assert.equal(r.end.transport, "rst");
        const probe = r.lines.find((l) => l.type === "probe");
        assert.equal(probe?.purpose, "reset-check", JSON.stringify(probe));
        assert.equal(probe?.ok, true);
      });
    },
  );

  test("network-failure: the path stops carrying packets mid-session", opts, async () => {
    await withLab(async (lab) => {
      let faulted: Promise<void> | undefined;
      const file = script("busy.txt", `${LOGIN}sleep 3s\nsend echo hello\\r\\n\nwait 15s\n`);
      const r = await connect(lab, ["--script", file], 40_000, (l) => {
        // The shell prompt after the login: cut the path while the script sleeps.
        if (!faulted && l.type === "data" && /\$\s*$/.test(String(l.text)))
          faulted = lab.fault("network-failure");
      });
      await faulted;
      assert.ok(faulted, "the login completed before the fault");
      expectCause(r, "network-failure");
      const probe = r.lines.find((l) => l.type === "probe");
      assert.equal(probe?.ok, false, JSON.stringify(probe));
    });
  });
});
