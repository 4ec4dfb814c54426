/** @module The negative corpus in realistic traces: text that sounds like a reason never changes why a session ended. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Cause } from "../trace/events.js";
import { diagnose } from "./diagnose.js";
import { INNOCENT_KINDS, NEGATIVE_CORPUS } from "./negative-corpus.js";
import { type TraceBuilder, trace } from "./testing/build.js";

/** Text that says nothing: the control each placement is compared with. */
const NEUTRAL = "Have a nice day.";

const crlf = (text: string) => text.replaceAll("\n", "\r\n");
const greeted = () => trace().resolve().connect().negotiate();
const banner = (text: string) =>
  greeted()
    .in(`\r\n${crlf(text)}\r\n\r\nhost login: `)
    .wait(60_000);
const output = (text: string) =>
  greeted()
    .login()
    .wait(2000)
    .type("./run-it")
    .wait(300)
    .in(`${crlf(text)}\r\n`);

/** Where a text is placed, and the cause the session ends with whatever the text says. */
const PLACEMENTS: readonly { name: string; cause: Cause; build: (text: string) => TraceBuilder }[] =
  [
    {
      name: "a banner, then a silent login timeout",
      cause: "login-timeout",
      build: (text) => banner(text).serverCloses(),
    },
    {
      name: "a banner, then login's timeout message",
      cause: "login-timeout",
      build: (text) => banner(text).in("\r\nLogin timed out after 60 seconds.\r\n").serverCloses(),
    },
    {
      name: "a MOTD, then a silent close after 5 min idle",
      cause: "idle-timeout",
      build: (text) => greeted().login("alice", text).wait(300_000).serverCloses(),
    },
    {
      name: "a MOTD, then bash's TMOUT after 5 min idle",
      cause: "idle-timeout",
      build: (text) =>
        greeted()
          .login("alice", text)
          .wait(300_000)
          .in("\x07timed out waiting for input: auto-logout\r\nlogout\r\n")
          .wait(2)
          .serverCloses(),
    },
    {
      name: "a MOTD and the shell prompt, then a close 3 s later",
      cause: "server-closed",
      build: (text) => greeted().login("alice", text).wait(3000).serverCloses(),
    },
    {
      name: "command output and the prompt, then a FIN 10 min later",
      cause: "idle-timeout",
      build: (text) => output(text).wait(20).in("alice@host:~$ ").wait(600_000).serverCloses(),
    },
    {
      name: "command output with no prompt after it, then a FIN 10 min later",
      cause: "idle-timeout",
      build: (text) => output(text).wait(600_000).serverCloses(),
    },
  ];

describe("the negative corpus, as data", () => {
  test("every kind is explained and used; every row has a source and its lure", () => {
    const kinds = new Set(NEGATIVE_CORPUS.map((t) => t.kind));
    assert.deepEqual([...kinds].sort(), Object.keys(INNOCENT_KINDS).sort());
    for (const t of NEGATIVE_CORPUS) assert.ok(t.source !== "" && t.lure !== "", t.text);
    const texts = NEGATIVE_CORPUS.map((t) => t.text);
    assert.equal(new Set(texts).size, texts.length, "no text twice");
  });
  test("the control placements end as they say", () => {
    for (const p of PLACEMENTS) assert.equal(diagnose(p.build(NEUTRAL).events).cause, p.cause);
  });
});

describe("text that is not a reason never changes the cause", () => {
  for (const t of NEGATIVE_CORPUS) {
    const short = t.text.split("\n")[0].slice(0, 60);
    test(`${t.kind}: "${short}" (${t.lure})`, () => {
      for (const p of PLACEMENTS) {
        const control = diagnose(p.build(NEUTRAL).events);
        const d = diagnose(p.build(t.text).events);
        assert.equal(d.cause, p.cause, `${p.name}: ${d.cause} — ${d.summary}`);
        assert.equal(d.confidence, control.confidence, `${p.name}: confidence`);
      }
    });
  }
});
