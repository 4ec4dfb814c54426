import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AlertRound,
  AlertTracker,
  type Damping,
  type DampState,
  INITIAL_DAMP,
  stepDamp,
} from "./alerts.js";

const START = Date.UTC(2026, 10, 30, 14, 0, 0);
const at = (i: number) => new Date(START + i * 60_000).toISOString();

/**
 * A history written as one character a round: `x` failed, `.` healthy, `s` skipped. The
 * notices come back the same way: `F` failing, `R` recovered, `-` nothing.
 */
function run(rule: Damping, rounds: string): string {
  let state: DampState = INITIAL_DAMP;
  let out = "";
  [...rounds].forEach((c, i) => {
    const step = stepDamp(rule, state, {
      t: at(i),
      ok: c === ".",
      skipped: c === "s",
      cause: c === "x" ? "refused" : "healthy",
    });
    state = step.state;
    out += step.notice ? (step.notice.kind === "failing" ? "F" : "R") : "-";
  });
  return out;
}

describe("flap damping: a table of round histories", () => {
  const cases: [string, Damping, string, string][] = [
    ["healthy all along", { after: 3, within: 5 }, "..........", "----------"],
    ["3 failures in 5 rounds, then 3 healthy", { after: 3, within: 5 }, "xx.x......", "---F--R---"],
    ["2 failures in 5 is not enough", { after: 3, within: 5 }, "x...x...x.", "----------"],
    ["failing on and on: one notice", { after: 3, within: 5 }, "xxxxxxxxxx", "--F-------"],
    ["every round counts when after = within = 1", { after: 1, within: 1 }, "x.x.", "FRFR"],
    [
      "a flapping target: one notice, no recovery until it is steady",
      { after: 3, within: 5 },
      "x.x.x.x.x.x.x.x.",
      "----F-----------",
    ],
    ["the same flapping, steady at last", { after: 3, within: 5 }, "x.x.x.x....", "----F----R-"],
    ["consecutive: 3 of 3", { after: 3, within: 3 }, "xx.xx.xxx", "--------F"],
    ["skipped rounds are no failures", { after: 2, within: 2 }, "xsssx", "----F"],
    ["skipped rounds break no run of failures", { after: 2, within: 2 }, "x.s", "---"],
    ["skipped rounds are no recovery either", { after: 2, within: 2 }, "xx.s.", "-F--R"],
    ["only skipped rounds: nothing", { after: 1, within: 1 }, "ssss", "----"],
    ["after recovery the window starts afresh", { after: 2, within: 4 }, "xx..x", "-F-R-"],
    ["a relapse after recovery fires again", { after: 2, within: 4 }, "xx..x.x", "-F-R--F"],
    ["one healthy round does not recover it", { after: 3, within: 3 }, "xxx.x..x", "--F-----"],
  ];
  for (const [name, rule, rounds, notices] of cases)
    test(`${name}: ${rounds}`, () => assert.equal(run(rule, rounds), notices));

  test("flapping gives few notices where after = within = 1 gives one a round", () => {
    const flapping = "x.".repeat(30);
    const damped = run({ after: 3, within: 5 }, flapping).replace(/-/g, "");
    const raw = run({ after: 1, within: 1 }, flapping).replace(/-/g, "");
    assert.equal(damped, "F");
    assert.equal(raw.length, 60);
  });
});

function round(i: number, over: Partial<AlertRound> = {}): AlertRound {
  return {
    t: at(i),
    vantage: "office-lan",
    target: "core-sw1",
    host: "192.0.2.10",
    port: 2323,
    ok: false,
    cause: "acl-rejected",
    stage: "telnet",
    evidence: ["closed 2 ms after accept, nothing said"],
    ...over,
  };
}

const healthy = (i: number, over: Partial<AlertRound> = {}) =>
  round(i, { ok: true, cause: "healthy", stage: null, evidence: [], ...over });

describe("the message", () => {
  const rule = { kind: "webhook", url: "http://127.0.0.1:1/hook", after: 2, within: 3 } as const;

  test("failing: the last round's cause, stage, evidence, advice; since the first failure", () => {
    const alerts = new AlertTracker([rule]);
    assert.deepEqual(alerts.feed(round(0)), []);
    const advice = ["Ask the administrator to allow this address (tcp wrappers, only_from)."];
    const [notice] = alerts.feed(round(1, { cause: "service-unavailable", advice }));
    assert.equal(notice.rule, rule);
    const m = notice.message;
    assert.deepEqual(
      [m.kind, m.target, m.host, m.port, m.vantage, m.cause, m.stage, m.since, m.t],
      [
        "failing",
        "core-sw1",
        "192.0.2.10",
        2323,
        "office-lan",
        "service-unavailable",
        "telnet",
        at(0),
        at(1),
      ],
    );
    assert.deepEqual(m.rounds, { failed: 2, of: 2 });
    assert.deepEqual(m.advice, advice);
    assert.deepEqual(m.evidence, ["closed 2 ms after accept, nothing said"]);
    assert.match(m.summary, /core-sw1 \(192\.0\.2\.10:2323\)/);
  });

  test("failing without the probe's advice: the diagnose command for the target", () => {
    const alerts = new AlertTracker([{ ...rule, after: 1, within: 1 }]);
    const [notice] = alerts.feed(round(0, { host: "2001:db8::1", port: 23 }));
    assert.equal(notice.message.advice.length, 1);
    assert.match(notice.message.advice[0], /`teldoc diagnose 2001:db8::1`/);
  });

  test("recovered: cause healthy, since the first healthy round, no advice", () => {
    const alerts = new AlertTracker([rule]);
    alerts.feed(round(0));
    alerts.feed(round(1));
    assert.deepEqual(alerts.feed(healthy(2)), []);
    const [notice] = alerts.feed(healthy(3));
    const m = notice.message;
    assert.deepEqual(
      [m.kind, m.cause, m.stage, m.since, m.t, m.advice],
      ["recovered", "healthy", null, at(2), at(3), []],
    );
    assert.deepEqual(m.rounds, { failed: 1, of: 3 });
    assert.match(m.summary, /Rejected by an access rule/);
  });

  test("a secret seen in the evidence or advice never leaves", () => {
    const alerts = new AlertTracker([{ ...rule, after: 1, within: 1 }], {
      secrets: ["hunter2"],
    });
    const [notice] = alerts.feed(
      round(0, { evidence: ["server echoed: hunter2"], advice: ["retype hunter2"] }),
    );
    assert.doesNotMatch(JSON.stringify(notice.message), /hunter2/);
    assert.deepEqual(notice.message.evidence, ["server echoed: ****"]);
  });
});

describe("the tracker: per rule, per target", () => {
  const quick = { kind: "command", argv: ["/bin/true"], after: 1, within: 1 } as const;
  const slow = { kind: "webhook", url: "http://127.0.0.1:1/", after: 2, within: 2 } as const;

  test("each rule damps on its own; each target has its own memory", () => {
    const alerts = new AlertTracker([quick, slow]);
    assert.deepEqual(
      alerts.feed(round(0)).map((n) => n.rule),
      [quick],
    );
    assert.deepEqual(alerts.feed(round(0, { target: "edge-sw2" })).length, 1);
    assert.deepEqual(
      alerts.feed(round(1)).map((n) => n.rule),
      [slow],
    );
    assert.deepEqual(
      alerts
        .firing()
        .map((f) => `${f.rule}:${f.target}`)
        .sort(),
      ["0:core-sw1", "0:edge-sw2", "1:core-sw1"],
    );
  });

  test("retain forgets the targets a reload removed", () => {
    const alerts = new AlertTracker([quick]);
    alerts.feed(round(0));
    alerts.feed(round(0, { target: "gone" }));
    alerts.retain((t) => t !== "gone");
    assert.deepEqual(
      alerts.firing().map((f) => f.target),
      ["core-sw1"],
    );
    // The forgotten target starts afresh: its next failure is a new alert.
    assert.equal(alerts.feed(round(1, { target: "gone" })).length, 1);
  });
});
