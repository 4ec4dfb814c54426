/**
 * @module The library's advice names options and calls, never the CLI's flags: the table's
 * translations, every rule's output over the golden traces, and an error thrown by a real
 * session against the lab.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { diagnose, summarize } from "../diagnosis/index.js";
import { RULES } from "../diagnosis/rules/index.js";
import { type Lab, startLab } from "../lab/server.js";
import type { TraceEvent } from "../trace/events.js";
import { connect } from "./connect.js";
import { SessionError } from "./errors.js";
import { libraryWording } from "./library-advice.js";

/** A flag left in a text, outside a backticked `teldoc ...` command (which a library user can run). */
function flagsLeft(text: string): string[] {
  const outside = text.replace(/`teldoc [^`]*`/g, "");
  return [...outside.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);
}

describe("libraryWording", () => {
  const cases: [string, string][] = [
    [
      "Check the user name and password (and the keyboard layout / caps lock); `--user NAME --password-env VAR` sends them exactly.",
      "Check the user name and password (and the keyboard layout / caps lock); `login({ user, password })` sends them exactly.",
    ],
    [
      "Answer the prompt sooner: `--user NAME --password-env VAR` answers it at once.",
      "Answer the prompt sooner: `login({ user, password })` right after `connect()` answers it at once.",
    ],
    [
      "Use --keepalive 240s: the connection died after 5.0 min idle.",
      'Use `keepalive: "240s"`: the connection died after 5.0 min idle.',
    ],
    [
      "If policy allows it, `--anti-idle TEXT --anti-idle-every 1500ms` sends keystrokes (this defeats the server's idle policy).",
      'If policy allows it, send keystrokes yourself every 1500ms (`s.sendLine("")` on a timer; this defeats the server\'s idle policy).',
    ],
    [
      "Record the whole session with `--trace FILE` and run `teldoc trace diagnose FILE`.",
      'Record the whole session with `connect({ trace: "session.jsonl" })` and run `teldoc trace diagnose session.jsonl`.',
    ],
    [
      "teldoc's --login-timeout gave up: the login did not complete",
      "teldoc's `loginTimeout` gave up: the login did not complete",
    ],
    [
      "Raise --login-timeout, or check that the prompts are the ones teldoc answers (login:, Username:, Password:).",
      "Raise `loginTimeout` (or `login({ timeout })`), or check that the prompts are the ones teldoc answers (login:, Username:, Password:) and give others with `login({ prompts })`.",
    ],
    [
      "Measure the limit: `teldoc diagnose HOST --idle-test 8m`.",
      "Measure the limit: `teldoc diagnose HOST --idle-test 8m`.",
    ],
  ];
  for (const [cli, lib] of cases)
    test(cli.slice(0, 60), () => {
      assert.equal(libraryWording(cli), lib);
    });

  test("no rule's evidence or advice over the golden traces keeps a CLI flag", () => {
    const dir = new URL("../../test/golden/diagnosis/", import.meta.url);
    const left: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
      const events = readFileSync(new URL(file, dir), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as TraceEvent)
        .filter((e) => (e.type as string) !== "end");
      for (const trace of [events, events.slice(0, Math.ceil(events.length / 2))]) {
        const s = summarize(trace);
        for (const c of [...RULES.map((rule) => rule(s, trace)), diagnose(trace)])
          for (const t of c ? [...c.evidence, ...c.advice] : [])
            for (const flag of flagsLeft(libraryWording(t)))
              left.push(`${file}: ${flag} in "${t}"`);
      }
    }
    assert.deepEqual(left, []);
  });
});

describe("a library error's advice", () => {
  let lab: Lab | undefined;
  after(() => lab?.close());

  test("a refused login: the diagnosis says login({ user, password }), not --user", async () => {
    lab = await startLab({ scenario: "auth-failed", config: { tries: 1 } });
    const s = await connect({ host: "127.0.0.1", port: lab.port });
    const err = await s.login({ user: "demo", password: "wrong", timeout: "10s" }).then(
      () => assert.fail("the login should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SessionError);
    assert.equal(err.diagnosis?.cause, "auth-failed");
    const advice = err.diagnosis?.advice.join("\n") ?? "";
    assert.match(advice, /`login\(\{ user, password \}\)`/);
    assert.deepEqual(flagsLeft(`${advice}\n${err.message}`), []);
    assert.deepEqual(flagsLeft(s.end?.diagnosis.advice.join("\n") ?? ""), []);
  });
});
