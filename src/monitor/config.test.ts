import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isTeldocError } from "../errors.js";
import {
  BUILT_IN_DEFAULTS,
  ConfigError,
  describePlan,
  formatProblem,
  loadConfig,
  type MonitorPlan,
  missingSecrets,
  parseConfig,
  planFromTargets,
} from "./config.js";

/** tsc copies no .yaml: the fixtures are read from the source tree (dist/monitor → src/monitor). */
const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "src",
  "monitor",
  "config-fixtures",
);

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(isTeldocError(e, "TELDOC_ERR_BAD_CONFIG"), `not a config error: ${String(e)}`);
    assert.ok(e instanceof ConfigError);
    return e;
  }
  assert.fail("no error");
}

describe("bad configs (config-fixtures/*.yaml and their .expected)", () => {
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length));
  test("the fixtures are there", () => assert.ok(names.length >= 20, `${names.length}`));
  for (const name of names) {
    test(name, () => {
      const text = readFileSync(join(FIXTURES, `${name}.yaml`), "utf8");
      const expected = readFileSync(join(FIXTURES, `${name}.expected`), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "");
      const err = problemsOf(() => parseConfig(text, `${name}.yaml`));
      assert.equal(err.problems.length, expected.length, err.message);
      err.problems.forEach((p, i) => {
        const line = expected[i];
        const exact = line.startsWith("= ");
        const want = exact ? line.slice(2) : line;
        const place = p.path === "" ? `${p.where} ` : `${p.where} ${p.path}: `;
        assert.ok(want.startsWith(place), `problem ${i}: ${formatProblem(p)}\nexpected: ${want}`);
        if (exact) assert.equal(formatProblem(p), want);
      });
      assert.equal(err.message, err.problems.map(formatProblem).join("\n"));
    });
  }
});

const CONTRACT_EXAMPLE = `
vantage: office-lan            # default: the host name
storage: sqlite:teldoc-monitor.db
listen: 127.0.0.1:9323         # dashboard, /metrics, /probe; another address needs token_env
token_env: TELDOC_TOKEN
defaults: {interval: 60s, timeout: 10s, level: telnet, connects: 3}
targets:
  - {name: core-sw1, host: 192.0.2.10, port: 23, level: login, user: admin,
     password_env: SW1_PW, interval: 30s, tags: [site:paris, role:core]}
alerts:
  - {webhook: "https://hooks.example/teldoc", after: 3, within: 5}   # 3 failures in 5 rounds
  - {command: ["/usr/local/bin/page", "--team", "net"], after: 2, within: 2}
`;

describe("good configs", () => {
  test("the contract's example resolves to its plan", () => {
    assert.deepEqual(parseConfig(CONTRACT_EXAMPLE, "monitor.yaml"), {
      vantage: "office-lan",
      storage: "sqlite:teldoc-monitor.db",
      listen: { host: "127.0.0.1", port: 9323 },
      tokenEnv: "TELDOC_TOKEN",
      targets: [
        {
          name: "core-sw1",
          host: "192.0.2.10",
          port: 23,
          level: "login",
          user: "admin",
          passwordEnv: "SW1_PW",
          intervalMs: 30_000,
          timeoutMs: 10_000,
          connects: 3,
          tags: ["site:paris", "role:core"],
        },
      ],
      alerts: [
        { kind: "webhook", url: "https://hooks.example/teldoc", after: 3, within: 5 },
        { kind: "command", argv: ["/usr/local/bin/page", "--team", "net"], after: 2, within: 2 },
      ],
    } satisfies MonitorPlan);
  });

  test("the built-in defaults fill what the file leaves out", () => {
    const plan = parseConfig("targets:\n  - host: 192.0.2.10\n", "m.yaml");
    assert.equal(plan.vantage, undefined);
    assert.equal(plan.storage, undefined);
    assert.equal(plan.tokenEnv, undefined);
    assert.deepEqual(plan.listen, { host: "127.0.0.1", port: 9323 });
    assert.deepEqual(plan.alerts, []);
    assert.deepEqual(plan.targets, [
      {
        name: "192.0.2.10:23",
        host: "192.0.2.10",
        port: 23,
        level: "telnet",
        intervalMs: 60_000,
        timeoutMs: 10_000,
        connects: 3,
        tags: [],
      },
    ]);
    assert.deepEqual(BUILT_IN_DEFAULTS, {
      intervalMs: 60_000,
      timeoutMs: 10_000,
      level: "telnet",
      connects: 3,
    });
  });

  test("defaults: the file's, then the target's own", () => {
    const plan = parseConfig(
      [
        "defaults: {interval: 2m, timeout: 3s, level: tcp, connects: 0}",
        "targets:",
        "  - {host: a.example}",
        "  - {host: b.example, interval: 5s, level: telnet, connects: 10}",
      ].join("\n"),
      "m.yaml",
    );
    const [a, b] = plan.targets;
    assert.deepEqual([a.intervalMs, a.timeoutMs, a.level, a.connects], [120_000, 3000, "tcp", 0]);
    assert.deepEqual([b.intervalMs, b.timeoutMs, b.level, b.connects], [5000, 3000, "telnet", 10]);
  });

  test("hosts and ports as the command line reads them; names default to host:port", () => {
    const plan = parseConfig(
      [
        "targets:",
        "  - {host: 'sw1.example:2323'}",
        "  - {host: '[2001:db8::1]:2323'}",
        "  - {host: '::1'}",
        "  - {host: sw2.example, port: telnet}",
        "  - {host: sw3.example, port: '2323'}",
      ].join("\n"),
      "m.yaml",
    );
    assert.deepEqual(
      plan.targets.map((t) => [t.name, t.host, t.port]),
      [
        ["sw1.example:2323", "sw1.example", 2323],
        ["[2001:db8::1]:2323", "2001:db8::1", 2323],
        ["[::1]:23", "::1", 23],
        ["sw2.example:23", "sw2.example", 23],
        ["sw3.example:2323", "sw3.example", 2323],
      ],
    );
  });

  test("listen: a port alone is loopback; loopback needs no token, other addresses with one are fine", () => {
    const targets = "targets: [{host: h.example}]\n";
    assert.deepEqual(parseConfig(`listen: 8080\n${targets}`, "m").listen, {
      host: "127.0.0.1",
      port: 8080,
    });
    assert.deepEqual(parseConfig(`listen: "[::1]:9000"\n${targets}`, "m").listen, {
      host: "::1",
      port: 9000,
    });
    const open = parseConfig(`listen: 0.0.0.0:9323\ntoken_env: TOK\n${targets}`, "m");
    assert.deepEqual([open.listen.host, open.tokenEnv], ["0.0.0.0", "TOK"]);
  });

  test("alerts: within defaults to after, after to 3", () => {
    const plan = parseConfig(
      [
        "targets: [{host: h.example}]",
        "alerts:",
        "  - {webhook: 'http://127.0.0.1:8080/hook', after: 2}",
        "  - {command: [/bin/echo, 'a b', 42]}",
      ].join("\n"),
      "m.yaml",
    );
    assert.deepEqual(plan.alerts, [
      { kind: "webhook", url: "http://127.0.0.1:8080/hook", after: 2, within: 2 },
      { kind: "command", argv: ["/bin/echo", "a b", "42"], after: 3, within: 3 },
    ]);
  });

  test("tags keep their order without repeats", () => {
    const plan = parseConfig("targets: [{host: h, tags: [core, site:paris, core]}]", "m");
    assert.deepEqual(plan.targets[0].tags, ["core", "site:paris"]);
  });
});

describe("loadConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-config-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("reads a file; problems name it as given", async () => {
    const good = join(dir, "monitor.yaml");
    writeFileSync(good, CONTRACT_EXAMPLE);
    assert.equal((await loadConfig(good)).targets[0].name, "core-sw1");
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "targets:\n  - {host: h, port: 0}\n");
    await assert.rejects(loadConfig(bad), (e: unknown) => {
      assert.ok(e instanceof ConfigError && e.code === "TELDOC_ERR_BAD_CONFIG");
      assert.deepEqual(
        e.problems.map((p) => [p.where, p.path]),
        [[`${bad}:2:21`, "targets[0].port"]],
      );
      return true;
    });
  });

  test("a missing file, a directory: a config error naming the path", async () => {
    for (const path of [join(dir, "nope.yaml"), dir]) {
      await assert.rejects(loadConfig(path), (e: unknown) => {
        assert.ok(e instanceof ConfigError && e.code === "TELDOC_ERR_BAD_CONFIG");
        assert.deepEqual(
          e.problems.map((p) => p.where),
          [path],
        );
        return true;
      });
    }
  });
});

test("missingSecrets: the variables unset or empty, each once", () => {
  const plan = parseConfig(
    [
      "listen: 0.0.0.0:9323",
      "token_env: TOK",
      "targets:",
      "  - {name: a, host: h1, level: login, user: u, password_env: PW_A}",
      "  - {name: b, host: h2, level: login, user: u, password_env: PW_B}",
      "  - {name: c, host: h3, level: login, user: u, password_env: PW_A}",
    ].join("\n"),
    "m.yaml",
  );
  assert.deepEqual(missingSecrets(plan, {}), ["TOK", "PW_A", "PW_B"]);
  assert.deepEqual(missingSecrets(plan, { TOK: "t", PW_A: "", PW_B: "x" }), ["PW_A"]);
  assert.deepEqual(missingSecrets(plan, { TOK: "t", PW_A: "a", PW_B: "b" }), []);
});

describe("planFromTargets (teldoc monitor --target ...)", () => {
  test("each spec a target named host:port, with the defaults given", () => {
    const plan = planFromTargets(["192.0.2.10", "[::1]:2323", "sw1.example:2323"], {
      intervalMs: 10_000,
      timeoutMs: 2000,
    });
    assert.deepEqual(
      plan.targets.map((t) => [t.name, t.port, t.intervalMs, t.timeoutMs, t.level]),
      [
        ["192.0.2.10:23", 23, 10_000, 2000, "telnet"],
        ["[::1]:2323", 2323, 10_000, 2000, "telnet"],
        ["sw1.example:2323", 2323, 10_000, 2000, "telnet"],
      ],
    );
    assert.deepEqual(
      [plan.listen, plan.alerts, plan.vantage],
      [{ host: "127.0.0.1", port: 9323 }, [], undefined],
    );
  });

  test("every problem at once: a bad host, a repeat, a timeout not under the interval", () => {
    const err = problemsOf(() =>
      planFromTargets(["bad host", "h.example", "h.example:23"], { intervalMs: 5000 }),
    );
    assert.deepEqual(
      err.problems.map((p) => [p.where, p.path]),
      [
        ["--timeout", "defaults.timeout"],
        ["--target bad host", "targets[0]"],
        ["--target h.example:23", "targets[2]"],
      ],
    );
  });

  test("level login and an empty list are refused", () => {
    assert.deepEqual(
      problemsOf(() => planFromTargets(["h"], { level: "login" })).problems.map((p) => p.where),
      ["--level"],
    );
    assert.deepEqual(
      problemsOf(() => planFromTargets([])).problems.map((p) => p.where),
      ["--target"],
    );
  });
});

describe("describePlan", () => {
  test("targets grouped by interval and level, the load, alerts, storage, listen", () => {
    const plan = parseConfig(
      [
        "vantage: office-lan",
        "defaults: {interval: 30s}",
        "targets:",
        "  - {name: a, host: 192.0.2.1}",
        "  - {name: b, host: 192.0.2.2, level: tcp, connects: 5}",
        "  - {name: c, host: 192.0.2.3, interval: 1m, tags: [role:core]}",
        "  - {name: d, host: 192.0.2.4}",
        "alerts:",
        "  - {command: [/usr/local/bin/page, --team, net], after: 2, within: 4}",
      ].join("\n"),
      "m.yaml",
    );
    const text = describePlan(plan);
    const lines = text.split("\n");
    // 3 targets every 30 s and 1 every minute: 7 rounds; connects 3+3+5 every 30 s, 3 a minute.
    assert.ok(
      lines.includes("targets  4: 7 probe rounds a minute, 25 TCP connects a minute"),
      text,
    );
    const groups = lines.filter((l) => /^ {2}every /.test(l)).map((l) => l.split(":")[0].trim());
    assert.deepEqual(groups, [
      "every 30s, level tcp",
      "every 30s, level telnet",
      "every 60s, level telnet",
    ]);
    assert.ok(
      lines.some((l) => /^ {4}c +192\.0\.2\.3:23 +\[role:core\]$/.test(l)),
      text,
    );
    assert.ok(text.includes("command /usr/local/bin/page --team net"), text);
    assert.ok(text.includes("vantage  office-lan"), text);
    assert.ok(text.includes("listen   127.0.0.1:9323"), text);
  });

  test("never a secret: a storage password, a webhook's path and query are masked", () => {
    const plan = parseConfig(
      [
        "storage: postgres://teldoc:s3cret-pw@db.example/teldoc?sslpassword=s3cret-ssl",
        "targets: [{name: a, host: h, level: login, user: admin, password_env: SW_PW}]",
        "alerts: [{webhook: 'https://hooks.example/services/T0/B0/s3cret-token?k=s3cret-q'}]",
      ].join("\n"),
      "m.yaml",
    );
    const text = describePlan(plan);
    assert.doesNotMatch(text, /s3cret/);
    assert.match(text, /postgres:\/\/teldoc:\*\*\*\*@db\.example\/teldoc/);
    assert.match(text, /webhook https:\/\/hooks\.example\/…/);
    assert.match(text, /password from \$SW_PW/);
  });
});
