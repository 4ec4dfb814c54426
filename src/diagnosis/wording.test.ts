/** @module The families of wording: the fallback for a server's words before any login that no known message matches. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diagnose } from "./diagnose.js";
import { findMessage } from "./match.js";
import { SERVER_MESSAGES } from "./messages.js";
import { statedReason } from "./reason.js";
import { summarize } from "./summary.js";
import { trace } from "./testing/build.js";
import { findFamily, WORDING_FAMILIES } from "./wording.js";

/** telnetd's negotiation, the server's words, its FIN a moment later. */
const refusedWith = (text: string) =>
  trace().resolve().connect().negotiate().in(text).wait(3).serverCloses().events;

const THE_SENTENCE = "Too many telnet sessions from your address (limit 1). Try again later.";

describe("the families, as data", () => {
  test("ids are unique; patterns hold no lastIndex state", () => {
    const ids = WORDING_FAMILIES.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const f of WORDING_FAMILIES) assert.ok(!f.pattern.global && !f.pattern.sticky, f.id);
  });
  for (const f of WORDING_FAMILIES) {
    test(`${f.id}: its examples are its own, and wording no known message has`, () => {
      for (const example of f.examples) {
        assert.equal(findFamily(example)?.family.id, f.id, example);
        assert.equal(findMessage(example), undefined, `"${example}" is a known message`);
      }
    });
  }
  test("the families agree with every known refusal they recognise", () => {
    for (const m of SERVER_MESSAGES) {
      if (m.cause !== "acl-rejected" && m.cause !== "service-unavailable") continue;
      const f = findFamily(m.example);
      assert.ok(!f || f.family.cause === m.cause, `${m.id}: "${m.example}" → ${f?.family.id}`);
    }
  });
});

describe("a server's words before any login, right before it closes, are its reason", () => {
  const variants = [
    THE_SENTENCE,
    THE_SENTENCE.toLowerCase(),
    THE_SENTENCE.toUpperCase(),
    "Too many telnet sessions from your address (limit 1) - try again later",
    "Too many telnet sessions from your address (limit 25). Try again later!",
    "too many telnet sessions from 198.51.100.23, limit: 3",
    "Too  many   telnet sessions from your address;limit=1;try again later",
  ];
  for (const text of variants) {
    for (const [how, wire] of [
      ["CR LF", `${text}\r\n`],
      ["LF", `${text}\n`],
      ["no line end", text],
    ]) {
      test(`"${text}" (${how}) → service-unavailable, by its family`, () => {
        const d = diagnose(refusedWith(wire));
        assert.equal(d.cause, "service-unavailable", d.summary);
        assert.ok(d.confidence >= 0.7 && d.confidence < 0.9, `confidence ${d.confidence}`);
        assert.ok(d.evidence.some((e) => e.includes('family "too many / limit"')));
        assert.doesNotMatch(d.summary, /without saying why/);
      });
    }
  }
  test("after a login prompt that was answered at once by the refusal", () => {
    const b = trace().resolve().connect().negotiate().in("\r\nlogin: ").wait(40);
    const d = diagnose(b.in(`\r\n${THE_SENTENCE}\r\n`).wait(2).serverCloses().events);
    assert.equal(d.cause, "service-unavailable");
  });
  test("a known message still wins, with higher confidence than a family", () => {
    const known = diagnose(refusedWith("Too many connections from your host.\r\n"));
    const family = diagnose(refusedWith(`${THE_SENTENCE}\r\n`));
    assert.equal(known.cause, "service-unavailable");
    assert.ok(known.confidence > family.confidence);
    assert.ok(known.evidence.some((e) => e.startsWith("message known from")));
  });
  for (const f of WORDING_FAMILIES) {
    for (const example of f.examples) {
      test(`"${example}" → ${f.cause} (${f.name})`, () => {
        const d = diagnose(refusedWith(`\r\n${example}\r\n`));
        assert.equal(d.cause, f.cause, d.summary);
        assert.ok(d.evidence.some((e) => e.includes(`family "${f.name}"`)));
      });
    }
  }
  test("a specific reason beats a bare verb of refusal; a refusal beats 'try again later'", () => {
    assert.equal(findFamily("Connection refused: all ports busy")?.family.id, "busy");
    assert.equal(findFamily("Access denied. Try again later.")?.family.id, "denied");
  });
});

describe("words that match no family are still the server's reason", () => {
  for (const text of ["Goodbye.", "Welcome to FooBBS!\r\nSee you soon.", "ERR 0x2f"]) {
    test(`"${text.replace(/\r\n/g, " ")}": server-closed, the words quoted as its reason`, () => {
      const d = diagnose(refusedWith(`${text}\r\n`));
      assert.equal(d.cause, "server-closed");
      assert.doesNotMatch(d.summary, /without saying why/);
      for (const part of text.split("\r\n")) assert.ok(d.summary.includes(part), d.summary);
      assert.ok(d.evidence.some((e) => e.includes("no known message or family")));
    });
  }
});

describe("families read only a server's words before any login, right before the close", () => {
  test("not words a login prompt waited a minute for: that is the login timer", () => {
    const b = trace().resolve().connect().negotiate().in("\r\nlogin: ").wait(60_000);
    const d = diagnose(b.in("\r\nLogin time limit exceeded.\r\n").wait(2).serverCloses().events);
    assert.equal(d.cause, "login-timeout");
  });
  test("not words that came minutes before the close", () => {
    const b = trace().resolve().connect().negotiate().in(`${THE_SENTENCE}\r\n`).wait(300_000);
    assert.equal(statedReason(summarize(b.serverCloses().events)), undefined);
  });
  test("not in a session: there the words are quoted, never classified", () => {
    const b = trace().resolve().connect().negotiate().login().wait(1000).type("./limits.sh");
    const s = summarize(b.in(`${THE_SENTENCE}\r\n`).wait(3).serverCloses().events);
    const r = statedReason(s);
    assert.equal(r?.cause, undefined);
    assert.equal(diagnose(b.events).cause, "server-closed");
  });
});
