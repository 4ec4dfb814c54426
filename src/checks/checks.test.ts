/**
 * The checklist against real peers on loopback: the lab's scenario servers, a fake DNS server,
 * plain TCP servers that speak SSH or nothing. Each check's pass, warn and fail paths, and the
 * verdict for each cause these servers produce. (Real daemons and namespaces: src/e2e/.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createServer as createTlsServer } from "node:tls";
import { reportJson } from "../cli/diagnose.js";
import { closedPort } from "../lab/closed-port.js";
import { type Lab, startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { startFakeDns } from "../testing/fake-dns.js";
import { requireInCI, skipOrFail } from "../testing/requirement.js";
import { runChecklist } from "./run.js";
import type { CheckId, CheckResult, DiagnoseOptions, DiagnoseReport } from "./types.js";

const labs: Lab[] = [];
const servers: Server[] = [];

async function lab(scenario: string, config: Partial<LabConfig> = {}): Promise<number> {
  const l = await startLab({ scenario, port: 0, config });
  labs.push(l);
  return l.port;
}

/** A TCP server that writes `greeting` (if any) to every connection and otherwise holds it. */
async function plainServer(greeting?: string): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    if (greeting) s.write(greeting);
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  const a = server.address();
  return typeof a === "object" && a ? a.port : 0;
}

/** A TLS server with a throwaway self-signed certificate (undefined without openssl). */
async function tlsServer(): Promise<number | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-tls-"));
  const made = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      join(dir, "k.pem"),
      "-out",
      join(dir, "c.pem"),
    ],
    { stdio: "ignore", timeout: 20_000 },
  );
  if (made.status !== 0) return undefined;
  const server = createTlsServer(
    { key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) },
    (s) => s.end(),
  );
  server.on("tlsClientError", () => {});
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  const a = server.address();
  return typeof a === "object" && a ? a.port : undefined;
}

let noSsh: number;

/** Run the checklist on loopback; no ICMP or path tools unless asked (the route test asks). */
async function check(port: number, extra: Partial<DiagnoseOptions> = {}): Promise<DiagnoseReport> {
  return runChecklist({
    host: "127.0.0.1",
    port,
    connectTimeoutMs: 3000,
    sshPort: noSsh,
    tools: { ping: false, path: [] },
    ...extra,
  });
}

function get(r: DiagnoseReport, id: CheckId): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is in the report`);
  return c;
}

function verdict(r: DiagnoseReport, cause: string): void {
  assert.equal(
    r.verdict.cause,
    cause,
    `verdict ${JSON.stringify(r.verdict, null, 1)}\nchecks:\n${r.checks.map((c) => `${c.id} ${c.status} ${c.summary}`).join("\n")}`,
  );
}

before(async () => {
  noSsh = await closedPort();
});

after(async () => {
  await Promise.all(labs.map((l) => l.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe("diagnose: verdicts from the lab's scenarios", () => {
  test("healthy: every default check passes or warns for a reason; verdict healthy", async () => {
    const port = await lab("healthy");
    const r = await check(port);
    verdict(r, "healthy");
    assert.equal(get(r, "dns").status, "pass");
    assert.equal(get(r, "tcp").status, "pass");
    assert.equal(get(r, "tcp").data.state, "open");
    const t = get(r, "telnet");
    assert.equal(t.status, "pass", t.summary);
    assert.equal(t.data.loginPrompt, true);
    assert.ok((t.data.offered as string[]).length > 0, "the lab negotiates");
    assert.ok((t.data.answered as string[]).length > 0, "we answered");
    assert.equal(typeof t.data.firstByteMs, "number");
    assert.equal(get(r, "route").status, "pass");
    assert.equal((get(r, "route").data.tcp as { answered: number }).answered, 5);
    assert.equal(get(r, "ssh").status, "warn", "nothing listens on the ssh port");
    for (const id of ["login", "idle", "limits"] as const) assert.equal(get(r, id).status, "skip");
    assert.equal(r.localAddress, "127.0.0.1");
  });

  test("refused: nothing listens -> tcp fail (ECONNREFUSED), telnet skipped, verdict refused", async () => {
    const r = await check(await closedPort());
    verdict(r, "refused");
    assert.equal(get(r, "tcp").status, "fail");
    assert.equal(get(r, "tcp").data.state, "refused");
    assert.equal(get(r, "tcp").data.errno, "ECONNREFUSED");
    assert.equal(get(r, "telnet").status, "skip");
    assert.match(r.adminNote ?? "", /listening on port \d+\?/);
  });

  test("acl-rejected: silent close and 'access denied' both -> acl-rejected", async () => {
    for (const variant of ["silent", "message"]) {
      const r = await check(await lab("acl-rejected", { variant }));
      verdict(r, "acl-rejected");
      assert.equal(get(r, "telnet").status, "fail");
      assert.match(r.adminNote ?? "", /hosts\.allow/);
    }
  });

  test("service-unavailable: a busy message -> service-unavailable, quoting the server", async () => {
    const r = await check(await lab("service-unavailable", { variant: "busy" }));
    verdict(r, "service-unavailable");
    assert.ok(
      r.verdict.evidence.some((e) => /busy/i.test(e)),
      r.verdict.evidence.join("\n"),
    );
  });

  test("wrong-service: an SSH banner and an HTTP server (answering our Enter) -> wrong-service", async () => {
    const ssh = await check(await lab("wrong-service", { variant: "ssh" }));
    verdict(ssh, "wrong-service");
    assert.match(ssh.verdict.summary, /SSH/);
    const http = await check(await lab("wrong-service", { variant: "http" }));
    verdict(http, "wrong-service");
    assert.match(http.verdict.summary, /HTTP/);
    assert.equal(get(http, "telnet").data.nudged, true, "HTTP speaks only after a request");
  });

  test("wrong-service: a TLS server (silent, closes on our Enter; a handshake confirms) and an SMTP banner", async (t) => {
    const tls = await tlsServer();
    if (!tls) return skipOrFail(t, "openssl", "not installed: no certificate for the TLS server");
    const r = await check(tls);
    verdict(r, "wrong-service");
    assert.match(r.verdict.summary, /TLS/);
    const smtp = await check(
      await plainServer("220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n"),
    );
    verdict(smtp, "wrong-service");
    assert.match(smtp.verdict.summary, /SMTP/);
  });

  test("telnet: a banner that waits for Enter ('Press RETURN to get started') gets it, then the login prompt", async () => {
    const port = await (async () => {
      const server = createServer((s) => {
        s.on("error", () => {});
        s.write("\r\nlab-router con0 is now available\r\n\r\nPress RETURN to get started.\r\n");
        let typed = "";
        const onData = (b: Buffer) => {
          typed += b.toString("latin1");
          if (!typed.includes("\r")) return;
          s.off("data", onData);
          s.write("\r\n\r\nUser Access Verification\r\n\r\nUsername: ");
        };
        s.on("data", onData);
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      servers.push(server);
      const a = server.address();
      return typeof a === "object" && a ? a.port : 0;
    })();
    const r = await check(port);
    const t = get(r, "telnet");
    assert.equal(t.status, "pass", t.summary);
    assert.equal(t.data.nudged, true);
    assert.equal(t.data.prompt, "login");
    verdict(r, "healthy");
  });
});

/** The idle check runs on a manual clock: idle.test.ts. */
describe("diagnose: login and limits", () => {
  test("login pass with the right password; the password is in no output", async () => {
    const port = await lab("healthy", { user: "ops", password: "S3cret-pw!" });
    const r = await check(port, { user: "ops", password: "S3cret-pw!" });
    verdict(r, "healthy");
    const l = get(r, "login");
    assert.equal(l.status, "pass", l.summary);
    assert.equal(l.data.accepted, true);
    assert.ok(!JSON.stringify(reportJson(r)).includes("S3cret-pw!"), "no password in the JSON");
    assert.equal(r.adminNote, null, "healthy: no note for the administrator");
  });

  test("login fail: a wrong password -> auth-failed with the server's words", async () => {
    const port = await lab("auth-failed");
    const r = await check(port, { user: "demo", password: "wrong-one" });
    verdict(r, "auth-failed");
    const l = get(r, "login");
    assert.equal(l.status, "fail");
    assert.match(String(l.data.serverSaid), /Login incorrect/);
    assert.ok(!JSON.stringify(reportJson(r)).includes("wrong-one"));
    // The note names the account to look at, never its password.
    assert.match(r.adminNote ?? "", /faillock --user demo/);
  });

  test("limits: a server that serves 2 at once -> warn at 3, how it refused, service-unavailable", async () => {
    const port = await lab("service-unavailable", { variant: "limit", limit: 2 });
    const r = await check(port, { concurrency: 4 });
    const c = get(r, "limits");
    assert.equal(c.status, "warn", c.summary);
    assert.equal(c.data.limit, 2);
    assert.equal(c.data.refusedAt, 3);
    assert.equal(c.data.how, "closed with a message");
    assert.match(String(c.data.serverSaid), /Too many connections/);
    verdict(r, "service-unavailable");
  });

  test("limits pass: 3 sessions at once on a healthy server", async () => {
    const r = await check(await lab("healthy"), { concurrency: 3 });
    const c = get(r, "limits");
    assert.equal(c.status, "pass", c.summary);
    assert.equal(c.data.opened, 3);
    assert.equal(c.data.limit, null);
    verdict(r, "healthy");
  });
});

describe("diagnose: dns and ssh", () => {
  test("dns: a name answered by the DNS server is used for every later check", async () => {
    const dns = await startFakeDns({ "router.test": { A: ["127.0.0.1"] } });
    try {
      const port = await lab("healthy");
      const r = await runChecklist({
        host: "router.test",
        port,
        connectTimeoutMs: 2000,
        sshPort: noSsh,
        tools: { ping: false, path: [] },
        resolvers: [dns.server],
      });
      assert.equal(get(r, "dns").status, "pass");
      assert.deepEqual(get(r, "dns").data.a, ["127.0.0.1"]);
      assert.equal(r.target.address, "127.0.0.1");
      verdict(r, "healthy");
      assert.ok(dns.asked.includes("router.test"));
    } finally {
      await dns.close();
    }
  });

  test("dns fail: NXDOMAIN and a resolver that never answers are told apart", async () => {
    const nx = await startFakeDns({});
    const mute = await startFakeDns({}, { silent: true });
    try {
      const base = { port: 23, sshPort: noSsh, tools: { ping: false, path: [] } } as const;
      const a = await runChecklist({
        ...base,
        host: "gone.test",
        connectTimeoutMs: 2000,
        resolvers: [nx.server],
      });
      verdict(a, "dns-failure");
      assert.equal(get(a, "dns").data.nxdomain, true);
      assert.match(get(a, "dns").summary, /does not exist/);
      for (const id of ["tcp", "telnet", "route", "ssh"] as const)
        assert.equal(get(a, id).status, "skip");
      const b = await runChecklist({
        ...base,
        host: "slow.test",
        connectTimeoutMs: 500,
        resolvers: [mute.server],
      });
      verdict(b, "dns-failure");
      assert.equal(get(b, "dns").data.nxdomain, false);
      assert.match(get(b, "dns").summary, /timed out/);
    } finally {
      await nx.close();
      await mute.close();
    }
  });

  test("dns warn: a resolver that takes 1.2 s to answer", async () => {
    const dns = await startFakeDns({ "slow.test": { A: ["127.0.0.1"] } }, { delayMs: 1200 });
    try {
      const r = await runChecklist({
        host: "slow.test",
        port: await lab("healthy"),
        connectTimeoutMs: 3000,
        sshPort: noSsh,
        tools: { ping: false, path: [] },
        resolvers: [dns.server],
      });
      const d = get(r, "dns");
      assert.equal(d.status, "warn", d.summary);
      assert.match(d.summary, /slowly/);
      verdict(r, "healthy");
    } finally {
      await dns.close();
    }
  });

  test("ssh: an SSH identification line -> pass with the version; SSH offered where Telnet is no way in", async () => {
    const sshPort = await plainServer("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n");
    const r = await check(await lab("healthy"), { sshPort });
    const s = get(r, "ssh");
    assert.equal(s.status, "pass", s.summary);
    assert.equal(s.data.software, "OpenSSH_9.6p1");
    assert.ok(!r.verdict.advice.some((a) => /ssh/i.test(a)), "not in a healthy verdict");
    const denied = await check(await lab("acl-rejected", { variant: "silent" }), { sshPort });
    verdict(denied, "acl-rejected");
    assert.ok(
      denied.verdict.advice.some((a) => a.includes(`\`ssh -p ${sshPort} 127.0.0.1\``)),
      denied.verdict.advice.join("\n"),
    );
  });
});

describe("diagnose: route with the system's tools", () => {
  test("route: TCP samples, ping and a one-hop path to 127.0.0.1 (absent tools: checked less, but not under CI)", async () => {
    const r = await check(await lab("healthy"), { tools: { pathTimeoutMs: 5000 } });
    const c = get(r, "route");
    assert.equal(c.status, "pass", c.summary);
    const ping = c.data.ping as { status: string; received?: number };
    if (ping.status === "ok") assert.ok((ping.received ?? 0) > 0);
    else assert.match(ping.status, /absent|denied/);
    requireInCI("ping", ping.status !== "ok" && `the route check's ping was ${ping.status}`);
    const path = c.data.path as { tool?: string; hops?: { address?: string }[]; reached?: boolean };
    requireInCI("mtr, tracepath or traceroute", !path.tool && "the route check found no path tool");
    if (path.tool) {
      assert.equal(path.reached, true, JSON.stringify(path));
      assert.equal(path.hops?.at(-1)?.address, "127.0.0.1");
    }
  });
});

describe("diagnose: the JSON object", () => {
  test("has the contract's keys and no internal findings", async () => {
    const r = await check(await lab("healthy"));
    const j = JSON.parse(JSON.stringify(reportJson(r))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j.target as object).sort(), ["address", "family", "host", "port"]);
    const checks = j.checks as Record<string, unknown>[];
    assert.deepEqual(
      checks.map((c) => c.id),
      ["dns", "route", "tcp", "telnet", "ssh", "login", "idle", "limits"],
    );
    for (const c of checks) {
      assert.deepEqual(Object.keys(c).sort(), ["data", "durationMs", "id", "status", "summary"]);
      assert.match(String(c.status), /^(pass|warn|fail|skip)$/);
    }
    const v = j.verdict as Record<string, unknown>;
    for (const k of ["cause", "confidence", "summary", "evidence", "advice", "alternatives"])
      assert.ok(k in v, k);
  });
});

/** Servers that never give a prompt, on a manual clock: telnet-watch.test.ts. */
describe("diagnose: hostile servers end in bounded time", () => {
  /** A server that runs `behave` on every connection until it closes. */
  async function hostile(behave: (s: Socket) => void): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
      behave(s);
    });
    server.on("close", () => {
      for (const x of sockets) x.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    const a = server.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  test("binary garbage: no crash; reported as text without a prompt or another protocol", async () => {
    const garbage = Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256));
    const r = await check(await hostile((s) => s.end(garbage)));
    const t = get(r, "telnet");
    assert.notEqual(t.status, "pass", t.summary);
  });
});
