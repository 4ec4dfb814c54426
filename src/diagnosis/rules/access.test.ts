/** @module Rules for servers that accept and will not serve. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summarize } from "../summary.js";
import { trace } from "../testing/build.js";
import { aclRejected, serviceUnavailable, wrongService } from "./access.js";
import { peerReset } from "./transport.js";

describe("wrongService", () => {
  const first = (text: string, raw = false) =>
    summarize(trace().resolve().connect().wait(3).in(text, raw).wait(2).serverCloses().events);
  for (const [text, name] of [
    ["SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", "SSH"],
    ["SSH-1.99-Cisco-1.25\r\n", "SSH"],
    ["HTTP/1.1 400 Bad Request\r\n", "HTTP"],
    ["220 mx.example.org ESMTP Exim 4.96\r\n", "SMTP"],
    ["220 ProFTPD Server (Debian) [192.0.2.7]\r\n", "FTP"],
    ["+OK POP3 server ready\r\n", "POP3"],
    ["* OK IMAP4rev1 Service Ready\r\n", "IMAP"],
    ["RFB 003.008\n", "VNC"],
    ["\x16\x03\x03\x00\x5d\x02", "TLS"],
  ]) {
    test(`${JSON.stringify(text.slice(0, 12))} → ${name}`, () => {
      const c = wrongService(first(text, true), []);
      assert.equal(c?.cause, "wrong-service");
      assert.match(c!.summary, new RegExp(name));
    });
  }
  test("a Telnet login banner is not another protocol", () => {
    assert.equal(wrongService(first("\r\nDebian GNU/Linux 12\r\nhost login: "), []), undefined);
  });
});

describe("aclRejected", () => {
  test("a silent close within 1.5 s of connect", () => {
    const s = summarize(trace().resolve().connect().wait(8).serverCloses().events);
    const c = aclRejected(s, []);
    assert.equal(c?.cause, "acl-rejected");
    assert.ok(c!.confidence >= 0.7 && c!.confidence < 0.9);
    assert.ok(c!.evidence.some((e) => e.includes("no option negotiation")));
  });
  test("a silent close at once: an access rule or a connection limit, and how to tell them apart", () => {
    const b = trace().resolve("sw1.example", "192.0.2.7").connect(0.8, 2323).wait(3).serverCloses();
    const c = aclRejected(summarize(b.events), [])!;
    // xinetd over `instances`/`per_source` closes exactly like `only_from`: both are named.
    assert.match(
      c.summary,
      /an access rule \(tcp wrappers, only_from, an ACL\) or a connection limit \(xinetd instances\/per_source\)/,
    );
    assert.match(c.advice[0], /`teldoc diagnose sw1\.example 2323 --concurrency 3`/);
    assert.ok(c.advice.some((a) => /service_limit/.test(a)));
    // "Get your address allowed" is one branch of the advice, never all of it.
    assert.ok(!c.advice.every((a) => /allow/.test(a)));
    // The weak service-unavailable candidate says the same, so the alternative reads alike.
    const busy = serviceUnavailable(summarize(b.events), [])!;
    assert.match(busy.summary, /or a connection limit/);
    assert.deepEqual(busy.advice, c.advice);
  });
  test("a deny message with a close is strong evidence", () => {
    const s = summarize(
      trace().resolve().connect().in("You are not allowed to connect.\r\n").serverCloses().events,
    );
    assert.ok(aclRejected(s, [])!.confidence >= 0.9);
  });
  test("tcp wrappers' deny: not a byte, then FIN or RST after the 5 s hold", () => {
    const fin = summarize(trace().resolve().connect().wait(5004).serverCloses().events);
    const c = aclRejected(fin, []);
    assert.equal(c?.cause, "acl-rejected");
    assert.ok(c!.confidence >= 0.7 && c!.confidence < 0.8);
    assert.ok(c!.evidence.some((e) => e.includes("5 s pause")));
    // Our own negotiation unread in the server's buffer turns the close into an RST.
    const events = trace()
      .resolve()
      .connect()
      .option("out", "DO", "SUPPRESS-GO-AHEAD", 3)
      .wait(5002)
      .socketError("ECONNRESET").events;
    const s = summarize(events);
    assert.equal(aclRejected(s, [])?.cause, "acl-rejected");
    assert.ok(peerReset(s, [])!.confidence < aclRejected(s, [])!.confidence);
  });
  test("not after a slow close, text, or real negotiation", () => {
    assert.equal(
      aclRejected(summarize(trace().resolve().connect().wait(10_000).serverCloses().events), []),
      undefined,
    );
    assert.equal(
      aclRejected(
        summarize(
          trace().resolve().connect().option("in", "DO", "NAWS", 31).wait(5000).serverCloses()
            .events,
        ),
        [],
      ),
      undefined,
    );
    assert.equal(
      aclRejected(
        summarize(trace().resolve().connect().negotiate().wait(10).serverCloses().events),
        [],
      ),
      undefined,
    );
    assert.equal(
      aclRejected(summarize(trace().resolve().connect().in("login: ").serverCloses().events), []),
      undefined,
    );
  });
});

describe("serviceUnavailable", () => {
  for (const text of [
    "Too many connections, try again later.",
    "The maximum number of connections has been reached.",
    "The system is going down for reboot NOW!",
    "Server is shutting down.",
    "System under maintenance, please try again later.",
  ]) {
    test(`"${text}" then close`, () => {
      const s = summarize(
        trace().resolve().connect().negotiate().in(`\r\n${text}\r\n`).serverCloses().events,
      );
      const c = serviceUnavailable(s, []);
      assert.equal(c?.cause, "service-unavailable");
      assert.ok(c!.confidence >= 0.9);
    });
  }
  test("a silent quick close is only a weak candidate", () => {
    const s = summarize(trace().resolve().connect().wait(5).serverCloses().events);
    assert.ok(serviceUnavailable(s, [])!.confidence < 0.5);
  });
});

describe("a refusal is the server's last words, right before it closes", () => {
  const greeted = () => trace().resolve().connect().negotiate();
  test("not a deny message followed by a login prompt", () => {
    const b = greeted().in("Access denied to unauthorized users.\r\nlogin: ").wait(30_000);
    assert.equal(aclRejected(summarize(b.serverCloses().events), []), undefined);
  });
  test("not a busy message minutes before the close", () => {
    const b = greeted().in("Server busy, please try again later.\r\n").wait(120_000);
    assert.equal(serviceUnavailable(summarize(b.serverCloses().events), []), undefined);
  });
  test("not access wording in a session (command output)", () => {
    const b = greeted().login().wait(500).type("mysql").in("ERROR 1045 (28000): Access denied\r\n");
    assert.equal(aclRejected(summarize(b.wait(3).serverCloses().events), []), undefined);
  });
  test("wording of a family: a candidate below the known messages, the family named", () => {
    const b = greeted().in("Your site is banned here.\r\n").wait(2).serverCloses();
    const c = aclRejected(summarize(b.events), []);
    assert.equal(c?.cause, "acl-rejected");
    assert.ok(c!.confidence < 0.9 && c!.confidence >= 0.7);
    assert.ok(c!.evidence[0].includes('family "not welcome / banned"'));
    assert.equal(serviceUnavailable(summarize(b.events), []), undefined);
  });
});
