/**
 * The real CLI (bin/teldoc.js) with a password piped on stdin: it reaches the server (the login
 * works), and appears in none of the outputs: --trace, --json, --pcap, -v, stderr. Trace and
 * pcap files are mode 0600. Piped input waits for the login prompts, and does not wait for a
 * server that never prompts.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { runTeldoc } from "../testing/cli.js";
import { PIPED_QUIET_MS } from "./piped-input.js";

const SECRET = "Zq7-piped-Secret";

/** The secret's bytes, as text and as hex, are in none of these. */
function assertAbsent(what: string, content: Buffer | string): void {
  const b = typeof content === "string" ? Buffer.from(content) : content;
  assert.ok(!b.includes(SECRET), `${what} holds the password`);
  assert.ok(!b.includes(Buffer.from(SECRET).toString("hex")), `${what} holds its hex`);
  assert.ok(!b.toString("latin1").includes(SECRET.slice(0, 7)), `${what} holds part of it`);
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("connect with a password piped on stdin", () => {
  let lab: Lab;
  let dir: string;
  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0, config: { password: SECRET } });
    dir = mkdtempSync(join(tmpdir(), "teldoc-secrets-"));
  });
  after(async () => {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = `demo\r\n${SECRET}\r\nwhoami\r\nexit\r\n`;

  test("--trace, --json, --pcap: the login works, the password is in none of them; files 0600", async () => {
    const trace = join(dir, "t.jsonl");
    const pcap = join(dir, "p.pcapng");
    const r = await runTeldoc(
      ["connect", "127.0.0.1", String(lab.port), "--json", "--trace", trace, "--pcap", pcap],
      { input },
    );
    assert.equal(r.code, 0, r.stderr);
    const end = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
    assert.equal(end.diagnosis?.cause, "logout", "logged in and out: the password got there");
    assert.match(r.stdout, /demo@lab:~\$ /, "the shell prompt");
    assert.match(r.stdout, /"text":"\*{8}","masked":true/);
    for (const [name, content] of [
      ["stdout (--json)", r.stdout],
      ["stderr", r.stderr],
      ["the trace", readFileSync(trace)],
      ["the pcap", readFileSync(pcap)],
    ] as const)
      assertAbsent(name, content);
    assert.match(
      readFileSync(trace, "utf8"),
      /"type":"write","bytes":8,"hex":"(?:2a){8}","masked":true/,
    );
    assert.equal(mode(trace), 0o600, "trace mode");
    assert.equal(mode(pcap), 0o600, "pcap mode");
  });

  test("-v, plain output: not on the terminal side either", async () => {
    const r = await runTeldoc(["connect", "127.0.0.1", String(lab.port), "-v"], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /demo@lab:~\$ /, "the shell prompt: logged in");
    assertAbsent("stdout", r.stdout);
    assertAbsent("stderr (-v)", r.stderr);
  });

  test("an existing trace file open to others is narrowed to 0600", async () => {
    const trace = join(dir, "old.jsonl");
    writeFileSync(trace, "old\n");
    chmodSync(trace, 0o644);
    const r = await runTeldoc(["connect", "127.0.0.1", String(lab.port), "--trace", trace], {
      input,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mode(trace), 0o600);
    assertAbsent("the trace", readFileSync(trace));
  });
});

describe("piped input to a server that never prompts", () => {
  let server: Server;
  let port = 0;
  before(async () => {
    // Says nothing until it has a whole request, like HTTP.
    server = createServer((s) => {
      let got = "";
      s.on("data", (d) => {
        got += d.toString("latin1");
        if (got.includes("\r\n\r\n")) s.end("HTTP/1.0 200 OK\r\n\r\nhello\r\n");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const a = server.address();
    port = a && typeof a === "object" ? a.port : 0;
  });
  after(() => server.close());

  test("goes out after one quiet period, all of it at once", async () => {
    const r = await runTeldoc(["connect", "127.0.0.1", String(port)], {
      input: "GET / HTTP/1.0\r\nHost: x\r\n\r\n",
    });
    assert.match(r.stdout, /200 OK[\s\S]*hello/, r.stderr);
    assert.ok(r.ms < PIPED_QUIET_MS + 3000, `${r.ms} ms`);
  });
});
