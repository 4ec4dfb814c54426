/**
 * The real CLI (bin/teldoc.js, a child process) on bad input: one line saying what is wrong,
 * exit code 2, never a stack trace; and `diagnose`'s text and Markdown output on a lab server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { runTeldoc } from "../testing/cli.js";

function run(args: string[], env: Record<string, string> = {}) {
  return runTeldoc(args, { env });
}

describe("usage errors: one line, exit 2, no stack trace", () => {
  const cases: [string[], RegExp][] = [
    [["connect", "127.0.0.1", "99999"], /port/i],
    [["connect", "127.0.0.1", "23", "--connect-timeout", "soon"], /duration|--connect-timeout/i],
    [
      ["connect", "127.0.0.1", "--connect-timeout", "10"],
      /^teldoc: --connect-timeout: "10" has no unit: write 10s or 10000ms/,
    ],
    [
      ["connect", "127.0.0.1", "--connect-timeout", "0s"],
      /^teldoc: --connect-timeout: "0s" must be more than 0/,
    ],
    [
      ["connect", "127.0.0.1", "--connect-timeout=-5s"],
      /--connect-timeout: "-5s" must be more than 0/,
    ],
    [
      ["connect", "127.0.0.1", "--anti-idle", "x", "--anti-idle-every", "0ms"],
      /^teldoc: --anti-idle-every: "0ms" must be more than 0/,
    ],
    [
      ["connect", "127.0.0.1", "--keepalive", "0"],
      /^teldoc: --keepalive: "0" must be more than 0: write off/,
    ],
    [
      ["connect", "127.0.0.1", "--dead-peer", "0s"],
      /^teldoc: --dead-peer: "0s" must be more than 0: write off/,
    ],
    [
      ["connect", "127.0.0.1", "--login-timeout", "30"],
      /^teldoc: --login-timeout: "30" has no unit/,
    ],
    [["connect", "127.0.0.1", "--linger", "2"], /^teldoc: --linger: "2" has no unit/],
    [
      ["diagnose", "127.0.0.1", "--connect-timeout", "5"],
      /^teldoc: --connect-timeout: "5" has no unit/,
    ],
    [
      ["lab", "login-timeout", "--login-timeout", "60"],
      /^teldoc: --login-timeout: "60" has no unit/,
    ],
    [
      ["lab", "idle-timeout", "--idle-timeout", "0s"],
      /^teldoc: --idle-timeout: "0s" must be more than 0/,
    ],
    [["trace", "show", "/nonexistent/t.jsonl", "--gap", "1"], /^teldoc: --gap: "1" has no unit/],
    [["connect", "127.0.0.1", "--password-env", "X"], /--user/],
    [["connect", "127.0.0.1", "--user", "a", "--password-env", "TELDOC_NOT_SET_VAR"], /not set/],
    [["connect", "127.0.0.1", "--script", "/nonexistent/teldoc-script.txt"], /script/i],
    [["diagnose", "127.0.0.1", "0"], /port/i],
    [["diagnose", "127.0.0.1", "--json", "--markdown"], /--json.*--markdown|one of/],
    [["diagnose", "127.0.0.1", "--concurrency", "0"], /--concurrency/],
    [["diagnose", "127.0.0.1", "--concurrency", "lots"], /--concurrency/],
    [["diagnose", "127.0.0.1", "--idle-test", "100ms"], /--idle-test/],
    [["diagnose", "127.0.0.1", "--idle-test", "a while"], /--idle-test|duration/i],
    [["diagnose", "127.0.0.1", "--port-ssh", "-1"], /port/i],
    [["diagnose", "127.0.0.1", "--user", "u", "--password-env", "TELDOC_NOT_SET_VAR"], /not set/],
    [["diagnose", "[::1"], /host|address|bracket/i],
    [["lab", "no-such-scenario"], /scenario/i],
    [["trace", "show", "/nonexistent/teldoc-trace.jsonl"], /trace|no such|not/i],
    [["nonsense-command-xyz", "extra", "args", "too", "many"], /argument|unknown|too many/i],
    [["diagnos", "127.0.0.1"], /^teldoc: unknown command "diagnos": did you mean "diagnose"\?\n$/],
    [
      ["conect", "127.0.0.1", "23"],
      /^teldoc: unknown command "conect": did you mean "connect"\?\n$/,
    ],
  ];
  for (const [args, message] of cases) {
    test(`teldoc ${args.join(" ")}`, async () => {
      const r = await run(args);
      assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
      assert.ok(r.stderr.trim().split("\n").length <= 3, `short: ${r.stderr}`);
    });
  }
});

describe("--help", () => {
  const commands = [[], ["connect"], ["diagnose"], ["lab"], ["demo"], ["trace"]];
  for (const cmd of [...commands, ["trace", "show"], ["trace", "diagnose"]])
    test(`teldoc ${cmd.join(" ")} --help: defaults as typed, without quotes`, async () => {
      const r = await run([...cmd, "--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /default: "/);
    });

  test("connect --help shows each default and the script steps", async () => {
    const r = await run(["connect", "--help"]);
    for (const line of [
      /--connect-timeout <dur> +give up connecting after this long \(default: 10s\)/,
      /\(default: 30s\)/,
      /--keepalive <dur> .*\n.*\(default: off\)/,
      /^ {2}send TEXT {2,}send exactly TEXT, no line end added/m,
      /^ {2}sendline TEXT {2,}send TEXT and the line end/m,
    ])
      assert.match(r.stdout, line);
  });
});

describe("a host name close to a command is still a host", () => {
  test("teldoc demo1 PORT connects to the host demo1 (no suggestion; exit 1: it does not resolve)", async () => {
    const r = await runTeldoc(["demo1", "1", "--connect-timeout", "2s"], { limitMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /unknown command|did you mean/);
    assert.match(r.stderr, /demo1/);
  });
});

describe("durations in a script file", () => {
  test("a step without a unit: the script's line, exit 2, before anything connects", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teldoc-cli-"));
    try {
      const script = join(dir, "login.txt");
      writeFileSync(script, "# log in\nexpect login: 5s\nsend demo\\r\nsleep 2\n");
      const r = await run(["connect", "127.0.0.1", "--script", script]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        'teldoc: script line 4: sleep: "2" has no unit: write 2s or 2000ms (units: ms, s, m, h)\n',
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("teldoc diagnose output", () => {
  let lab: Lab;
  let closed: number;
  // Speaks only an SSH identification line, which is all the ssh check reads (the real sshd
  // is in src/e2e/diagnose.e2e.test.ts).
  const banner = createServer((c) => c.end("SSH-2.0-OpenSSH_9.2p1 teldoc-test\r\n"));
  let ssh: number;
  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0 });
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const a = s.address();
    closed = typeof a === "object" && a ? a.port : 0;
    await new Promise<void>((r) => s.close(() => r()));
    await new Promise<void>((r) => banner.listen(0, "127.0.0.1", r));
    const b = banner.address();
    ssh = typeof b === "object" && b ? b.port : 0;
  });
  after(() => {
    banner.close();
    return lab.close();
  });

  test("refused while SSH answers: the verdict says so with the real command; a note for the administrator", async () => {
    const r = await run(["diagnose", "127.0.0.1", String(closed), "--port-ssh", String(ssh)]);
    assert.equal(r.code, 1, r.stderr);
    const verdict = r.stdout.slice(r.stdout.indexOf("Verdict:"), r.stdout.indexOf("Note for"));
    assert.match(verdict, /^Verdict: refused/);
    assert.match(
      verdict,
      new RegExp(
        `SSH answers on port ${ssh} \\(OpenSSH_9\\.2p1\\).*\`ssh -p ${ssh} 127\\.0\\.0\\.1\``,
      ),
    );
    assert.match(verdict, new RegExp(`\`ss -ltnp 'sport = :${closed}'\``));
    const note = r.stdout.slice(r.stdout.indexOf("Note for the server's administrator:"));
    assert.match(
      note,
      new RegExp(
        `Subject: Telnet to 127\\.0\\.0\\.1 port ${closed} from 127\\.0\\.0\\.1: connection refused`,
      ),
    );
    assert.doesNotMatch(note, /SYN to .* answered with RST/, "the evidence list is not repeated");
  });

  test("healthy while SSH answers: no SSH advice, no note for the administrator", async () => {
    const r = await run(["diagnose", "127.0.0.1", String(lab.port), "--port-ssh", String(ssh)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`✔ ssh +SSH answers on port ${ssh}`),
      "the check still reports it",
    );
    const verdict = r.stdout.slice(r.stdout.indexOf("Verdict:"));
    assert.match(verdict, /^Verdict: healthy/);
    assert.doesNotMatch(verdict, /ssh/i);
    assert.doesNotMatch(r.stdout, /administrator/);
    const json = await run([
      "diagnose",
      "127.0.0.1",
      String(lab.port),
      "--port-ssh",
      String(ssh),
      "--json",
    ]);
    assert.equal((JSON.parse(json.stdout) as { adminNote: unknown }).adminNote, null);
  });

  test("a name that does not resolve: dns-failure, and no note (there is no server to write to)", async () => {
    // .invalid never resolves (RFC 6761): NXDOMAIN, or a resolver that does not answer.
    const args = ["diagnose", "teldoc-cli-test.invalid", "--connect-timeout", "3s"];
    const r = await run(args);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Verdict: dns-failure/m);
    assert.doesNotMatch(r.stdout, /administrator/);
    const md = await run([...args, "--markdown"]);
    assert.doesNotMatch(md.stdout, /administrator/);
    const json = JSON.parse((await run([...args, "--json"])).stdout) as { adminNote: unknown };
    assert.equal(json.adminNote, null);
  });

  test("text: the checklist with every check, the verdict; exit 0 when healthy", async () => {
    const r = await run(["diagnose", "127.0.0.1", String(lab.port), "--port-ssh", String(closed)]);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ["dns", "route", "tcp", "telnet", "ssh", "login", "idle", "limits"])
      assert.match(r.stdout, new RegExp(`^  \\S ${id}\\b`, "m"), id);
    assert.match(r.stdout, /^Verdict: healthy/m);
    assert.doesNotMatch(r.stdout, /\u001b\[/, "no colour when not a TTY");
  });

  test("markdown: a table and the administrator's note; exit 1 when refused", async () => {
    const r = await run([
      "diagnose",
      "127.0.0.1",
      String(closed),
      "--markdown",
      "--port-ssh",
      String(closed),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\| check \| status \| result \| time \|$/m);
    assert.match(r.stdout, /^\| tcp \| fail \| refused/m);
    assert.match(r.stdout, /\*\*Verdict: `refused`\*\*/);
    assert.match(r.stdout, /Note for the server's administrator/);
  });
});

describe("the quick start: teldoc demo", () => {
  test("every scenario is diagnosed as its own cause, the checklist finds the limit; exit 0", async () => {
    const r = await runTeldoc(["demo", "--json"], { limitMs: 90_000 });
    assert.equal(r.killed, false, "demo finished");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      results: { scenario: string; expected: string; ok: boolean }[];
      checklist: { ok: boolean; report: { verdict: { cause: string } } };
    };
    assert.ok(out.results.length >= 11, `${out.results.length} scenarios`);
    for (const x of out.results)
      assert.ok(x.ok, `${x.scenario} was not diagnosed as ${x.expected}`);
    assert.equal(out.checklist.report.verdict.cause, "service-unavailable");
  });
});
