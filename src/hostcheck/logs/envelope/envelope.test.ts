import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { PARSERS } from "../parsers/index.js";
import {
  parseEnvelope,
  parseJournal,
  parseRfc3339,
  parseRfc5424,
  parseSyslog,
  parseXinetdFile,
  yearGuesser,
} from "./index.js";

const ctx = { yearFor: yearGuesser(new Date(2026, 10, 30, 20, 0, 0).getTime()) };

describe("envelopes", () => {
  test("classic syslog: local time, the year from the reference, BusyBox's facility skipped", () => {
    const r = parseSyslog("Nov 30 19:14:25 vm authpriv.notice login[19195]: FAILED LOGIN (1)", ctx);
    assert.deepEqual(r, {
      time: new Date(2026, 10, 30, 19, 14, 25).getTime(),
      host: "vm",
      program: "login",
      pid: 19195,
      message: "FAILED LOGIN (1)",
    });
    assert.equal(
      parseSyslog("Mar  3 09:12:01 rhel8 /usr/sbin/in.telnetd[7]: x", ctx)?.program,
      "in.telnetd",
    );
    assert.equal(parseSyslog("Nov 31 25:00:00 h p: x", ctx), undefined);
  });

  test("a year-less date after the reference belongs to the year before (New Year)", () => {
    const jan2 = yearGuesser(new Date(2027, 0, 2, 10, 0, 0).getTime());
    assert.equal(jan2(12, 31), 2026);
    assert.equal(jan2(1, 2), 2027);
    assert.equal(jan2(1, 3), 2027, "a day of slack for clocks and zones");
    assert.equal(jan2(1, 4), 2026);
  });

  test("times without a zone are local: TZ changes them, a zone in the line does not", () => {
    const saved = process.env["TZ"];
    try {
      process.env["TZ"] = "UTC";
      const utc = parseXinetdFile("26/11/30@14:00:01: START: telnet pid=5 from=1.2.3.4")!.time;
      const withZone = parseRfc3339("2026-11-30T14:00:01.123456+01:00 h sshd[9]: x")!.time;
      process.env["TZ"] = "America/New_York";
      const ny = parseXinetdFile("26/11/30@14:00:01: START: telnet pid=5 from=1.2.3.4")!.time;
      assert.equal(ny - utc, 5 * 3_600_000);
      assert.equal(parseRfc3339("2026-11-30T14:00:01.123456+01:00 h sshd[9]: x")!.time, withZone);
      assert.equal(withZone, Date.UTC(2026, 10, 30, 13, 0, 1, 123));
    } finally {
      if (saved === undefined) delete process.env["TZ"];
      else process.env["TZ"] = saved;
    }
  });

  test("xinetd's file: service lines (program xinetd, no pid) and its own tagged notices", () => {
    assert.deepEqual(parseXinetdFile("26/11/30@14:00:01: FAIL: telnet address from=1.2.3.4"), {
      time: new Date(2026, 10, 30, 14, 0, 1).getTime(),
      program: "xinetd",
      pid: undefined,
      message: "FAIL: telnet address from=1.2.3.4",
    });
    assert.equal(parseXinetdFile("26/11/30@19:13:39 xinetd[18198]: NOTICE: started")?.pid, 18198);
  });

  test("RFC 5424: PRI, version, app, procid, structured data skipped", () => {
    const r = parseRfc5424(
      '<38>1 2026-11-30T14:00:01.5Z h login 77 - [origin ip="10.0.0.1"] \uFEFFFAILED LOGIN 1 FROM x FOR y, z',
    );
    assert.equal(r?.program, "login");
    assert.equal(r?.pid, 77);
    assert.equal(r?.message, "FAILED LOGIN 1 FROM x FOR y, z");
    assert.equal(r?.time, Date.UTC(2026, 10, 30, 14, 0, 1, 500));
  });

  test("journal JSON: µs time, identifier, pid, a byte-array message", () => {
    const r = parseJournal(
      JSON.stringify({
        __REALTIME_TIMESTAMP: "1796040000123456",
        SYSLOG_IDENTIFIER: "in.telnetd",
        _PID: "42",
        MESSAGE: [...Buffer.from("ttloop:  peer died: EOF")],
      }),
    );
    assert.deepEqual(r, {
      time: 1796040000123,
      program: "in.telnetd",
      pid: 42,
      message: "ttloop:  peer died: EOF",
    });
    assert.equal(parseJournal('{"MESSAGE":"no time"}'), undefined);
  });

  test("the dispatcher picks the envelope from the first characters", () => {
    for (const line of [
      "Nov 30 19:14:25 vm login[1]: x",
      "2026-11-30T14:00:01+01:00 h login[1]: x",
      "<38>1 2026-11-30T14:00:01Z h login 1 - - x",
      '{"__REALTIME_TIMESTAMP":"1","SYSLOG_IDENTIFIER":"login","MESSAGE":"x"}',
      "26/11/30@14:00:01 login[1]: x",
    ])
      assert.equal(parseEnvelope(line, ctx)?.program, "login", line);
    assert.equal(parseEnvelope("-- MARK --", ctx), undefined);
  });
});

describe("fuzz: arbitrary lines never throw", () => {
  const lines = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc
      .tuple(
        fc.constantFrom("Nov 30 19:14:25 ", "26/11/30@14:00:01", "<38>1 ", "{", "2026-11-30T"),
        fc.string(),
      )
      .map(([a, b]) => a + b),
  );
  test("every envelope parser, and every family parser on the message", () => {
    fc.assert(
      fc.property(lines, (line) => {
        const r = parseEnvelope(line, ctx);
        for (const p of [parseSyslog, parseRfc3339, parseRfc5424, parseJournal, parseXinetdFile])
          p(line, ctx);
        for (const parse of PARSERS) parse(r?.message ?? line);
        if (r) assert.ok(Number.isFinite(r.time), "a record always has a time");
      }),
      { numRuns: 5000 },
    );
  });
});
