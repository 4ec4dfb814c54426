import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { until } from "../testing/clock-drive.js";
import { alive } from "../testing/daemons/processes.js";
import { manualClock } from "../testing/manual-clock.js";
import { AlertSender } from "./alert-queue.js";
import { deliver, runCommand, sendWebhook } from "./alert-send.js";
import type { AlertMessage, AlertRule } from "./alerts.js";

const LIMIT = { timeout: 20_000 };

function message(target = "core-sw1"): AlertMessage {
  return {
    kind: "failing",
    target,
    host: "192.0.2.10",
    port: 23,
    vantage: "office-lan",
    cause: "acl-rejected",
    stage: "telnet",
    since: "2026-11-30T14:00:00.000Z",
    rounds: { failed: 3, of: 5 },
    summary: "core-sw1 (192.0.2.10:23) is failing from office-lan: Rejected by an access rule.",
    advice: ["Ask the administrator to allow this address."],
    evidence: ["closed 2 ms after accept, nothing said"],
    t: "2026-11-30T14:04:00.000Z",
  };
}

interface Received {
  readonly method: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1:0; `answer` decides each response (or holds it). */
const servers: Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function webhook(
  answer: (n: number, res: ServerResponse) => void,
): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ method: req.method ?? "", headers: req.headers, body });
      answer(got.length, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  return { url: `http://127.0.0.1:${address.port}/hooks/s3cret-token`, got };
}

const status = (code: number) => (_n: number, res: ServerResponse) => res.writeHead(code).end();

describe("webhook", () => {
  test("POSTs the message as JSON", LIMIT, async () => {
    const { url, got } = await webhook(status(204));
    const r = await sendWebhook(url, message());
    assert.deepEqual(
      [r.ok, r.kind, r.attempts, r.target, r.notice],
      [true, "webhook", 1, "core-sw1", "failing"],
    );
    assert.equal(got.length, 1);
    assert.equal(got[0].method, "POST");
    assert.equal(got[0].headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(got[0].body), message());
    assert.doesNotMatch(r.to, /s3cret/, "the result may be logged: no path, no token");
  });

  test("a 500 is retried once; the retry's success is a success", LIMIT, async () => {
    const { url, got } = await webhook((n, res) => res.writeHead(n === 1 ? 500 : 200).end("ok"));
    const r = await sendWebhook(url, message(), { retryDelayMs: 10 });
    assert.deepEqual([r.ok, r.attempts, got.length], [true, 2, 2]);
  });

  test("a 404 is not retried: it will not get better", LIMIT, async () => {
    const { url, got } = await webhook(status(404));
    const r = await sendWebhook(url, message(), { retryDelayMs: 10 });
    assert.deepEqual([r.ok, r.failure, r.attempts, got.length], [false, "status", 1, 1]);
  });

  test("nothing listening: a network failure after one retry", LIMIT, async () => {
    const { url } = await webhook(status(200));
    const closed = servers.pop();
    closed?.close();
    await new Promise((r) => closed?.once("close", r));
    const r = await sendWebhook(url, message(), { retryDelayMs: 10 });
    assert.deepEqual([r.ok, r.failure, r.attempts], [false, "network", 2]);
    assert.match(r.error ?? "", /ECONNREFUSED/);
  });

  test(
    "a server that never answers: 5 s, a 1 s pause, 5 s again, on the clock",
    LIMIT,
    async () => {
      const held: ServerResponse[] = [];
      const { url, got } = await webhook((_n, res) => held.push(res));
      const clock = manualClock();
      const sending = sendWebhook(url, message(), { clock });
      await until(() => got.length === 1 && clock.pending === 1, "the first request");
      assert.equal(clock.nextIn, 5000);
      clock.advance(5000);
      await until(() => clock.pending === 1 && clock.nextIn === 1000, "the pause before the retry");
      clock.advance(1000);
      await until(() => got.length === 2 && clock.pending === 1, "the retry");
      clock.advance(5000);
      const r = await sending;
      assert.deepEqual([r.ok, r.failure, r.attempts, r.durationMs], [false, "timeout", 2, 11_000]);
    },
  );

  test("the timeout holds in real time too", LIMIT, async () => {
    const { url } = await webhook(() => undefined);
    const t0 = performance.now();
    const r = await sendWebhook(url, message(), { webhookTimeoutMs: 100, retryDelayMs: 10 });
    const took = performance.now() - t0;
    assert.deepEqual([r.ok, r.failure, r.attempts], [false, "timeout", 2]);
    assert.ok(took >= 200 && took < 3000, `${took} ms`);
  });
});

describe("command", () => {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-alert-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A node script that writes its stdin, arguments and TELDOC_* variables to the file argv[1]. */
  const RECORD = [
    'const fs = require("node:fs");',
    'let stdin = "";',
    'process.stdin.setEncoding("utf8").on("data", (c) => { stdin += c; });',
    'process.stdin.on("end", () => {',
    "  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('TELDOC_')));",
    "  fs.writeFileSync(process.argv[1], JSON.stringify({ stdin, argv: process.argv.slice(2), env }));",
    "});",
  ].join("\n");

  test("runs with the message on stdin and the TELDOC_* variables", LIMIT, async () => {
    const out = join(dir, "record.json");
    const r = await runCommand([process.execPath, "-e", RECORD, out, "--team", "net"], message());
    assert.deepEqual([r.ok, r.kind, r.to], [true, "command", process.execPath]);
    const seen = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(JSON.parse(seen.stdin), message());
    assert.deepEqual(seen.argv, ["--team", "net"]);
    assert.deepEqual(seen.env, {
      TELDOC_ALERT_KIND: "failing",
      TELDOC_TARGET: "core-sw1",
      TELDOC_CAUSE: "acl-rejected",
    });
  });

  test("no shell: metacharacters arrive as they are and run nothing", LIMIT, async () => {
    const out = join(dir, "argv.json");
    const marks = [1, 2, 3, 4, 5].map((i) => join(dir, `mark-${i}`));
    const tricky = [
      `$(touch ${marks[0]})`,
      `; touch ${marks[1]}`,
      `| touch ${marks[2]}`,
      `\`touch ${marks[3]}\``,
      `&& touch ${marks[4]}`,
      "*",
      "$HOME",
      "'quoted' \"twice\"",
    ];
    const r = await runCommand([process.execPath, "-e", RECORD, out, ...tricky], message());
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")).argv, tricky);
    for (const m of marks) assert.equal(existsSync(m), false, `${m} was created: a shell ran`);
  });

  test("a non-zero exit is reported, with the first line it wrote to stderr", LIMIT, async () => {
    const script = 'process.stderr.write("pager is down\\nmore\\n"); process.exit(3);';
    const r = await runCommand([process.execPath, "-e", script], message());
    assert.deepEqual([r.ok, r.failure], [false, "exit"]);
    assert.match(r.error ?? "", /3.*pager is down/);
  });

  test("a program that does not exist is reported, not thrown", LIMIT, async () => {
    const r = await runCommand([join(dir, "no-such-program")], message());
    assert.deepEqual([r.ok, r.failure], [false, "spawn"]);
  });

  test("a command that hangs is killed at its timeout, on the clock", LIMIT, async () => {
    const started = join(dir, "started");
    const script = `require("node:fs").writeFileSync(${JSON.stringify(started)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const clock = manualClock();
    const running = runCommand([process.execPath, "-e", script], message(), {
      clock,
      commandTimeoutMs: 3000,
    });
    await until(() => existsSync(started) && readFileSync(started, "utf8") !== "", "the command");
    const pid = Number(readFileSync(started, "utf8"));
    clock.advance(2999);
    assert.equal(alive(pid), true);
    clock.advance(1);
    const r = await running;
    assert.deepEqual([r.ok, r.failure, r.durationMs], [false, "timeout", 3000]);
    await until(() => !alive(pid), "the command to be gone");
  });
});

describe("the queue", () => {
  test(
    "bounded: when full the oldest is dropped and counted; probing never waits",
    LIMIT,
    async () => {
      const held: ServerResponse[] = [];
      let release = false;
      const { url, got } = await webhook((_n, res) => {
        if (release) res.writeHead(200).end();
        else held.push(res);
      });
      const rule: AlertRule = { kind: "webhook", url, after: 1, within: 1 };
      const results: string[] = [];
      const dropped: string[] = [];
      const sender = new AlertSender({
        maxQueue: 2,
        concurrency: 1,
        onResult: (r) => results.push(`${r.target}:${r.ok}`),
        onDrop: (_rule, m) => dropped.push(m.target),
      });
      const t0 = performance.now();
      for (const t of ["t1", "t2", "t3", "t4", "t5"]) sender.enqueue(rule, message(t));
      assert.ok(performance.now() - t0 < 100, "enqueue returns at once");
      assert.deepEqual([sender.dropped, sender.pending, dropped], [2, 3, ["t2", "t3"]]);
      await until(() => held.length === 1, "the first delivery");
      release = true;
      for (const res of held.splice(0)) res.writeHead(200).end();
      await sender.close();
      assert.deepEqual(results, ["t1:true", "t4:true", "t5:true"]);
      assert.deepEqual(
        got.map((g) => JSON.parse(g.body).target),
        ["t1", "t4", "t5"],
      );
      sender.enqueue(rule, message("late"));
      assert.equal(sender.dropped, 3, "after close, a notice is dropped and counted");
    },
  );

  test("deliver: each rule to its sender, failures as values", LIMIT, async () => {
    const { url, got } = await webhook(status(200));
    const web = await deliver({ kind: "webhook", url, after: 1, within: 1 }, message());
    const cmd = await deliver(
      { kind: "command", argv: [process.execPath, "-e", "process.exit(0)"], after: 1, within: 1 },
      message(),
    );
    const bad = await deliver(
      { kind: "command", argv: [process.execPath, "-e", "process.exit(1)"], after: 1, within: 1 },
      message(),
    );
    assert.deepEqual(
      [web.ok, web.kind, cmd.ok, cmd.kind, bad.ok, bad.failure, got.length],
      [true, "webhook", true, "command", false, "exit", 1],
    );
  });
});
