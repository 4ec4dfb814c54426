/** @module The server-message and protocol corpora: each row checks itself (a new case is a new row). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CAUSES } from "./causes.js";
import { findMessage } from "./match.js";
import { SERVER_MESSAGES } from "./messages.js";
import { detectProtocol, PROTOCOL_SIGNATURES, textHex } from "./protocols.js";
import { stripControls } from "./text.js";

describe("server-message corpus", () => {
  test("ids are unique and causes are the contract's", () => {
    const ids = SERVER_MESSAGES.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const m of SERVER_MESSAGES) assert.ok(m.cause in CAUSES, m.id);
  });

  for (const m of SERVER_MESSAGES) {
    test(`${m.id} (${m.system}): its example matches it and no other cause`, () => {
      assert.ok(!m.pattern.global && !m.pattern.sticky, "no lastIndex state");
      assert.ok(m.pattern.test(m.example), `"${m.example}" does not match ${m.pattern}`);
      for (const other of SERVER_MESSAGES) {
        if (other.cause === m.cause) continue;
        assert.ok(
          !other.pattern.test(m.example),
          `"${m.example}" (${m.cause}) also matches ${other.id} (${other.cause})`,
        );
      }
    });
  }

  test("a message is found in server text with CR LF, after a prompt, and quoted alone", () => {
    const text = stripControls(
      "alice@host:~$ \x07timed out waiting for input: auto-logout\r\nlogout\r\n",
    );
    const m = findMessage(text, ["idle-timeout"]);
    assert.equal(m?.message.id, "bash-tmout");
    assert.equal(m?.line, "timed out waiting for input: auto-logout");
  });

  test("Cisco's % Access denied is a login failure; a bare Access denied is an access rule", () => {
    assert.equal(findMessage("% Access denied")?.message.cause, "auth-failed");
    assert.equal(findMessage("Access denied.")?.message.cause, "acl-rejected");
  });

  test("ordinary session text matches nothing", () => {
    const text =
      "Linux host 6.1.0-18-amd64\nLast login: Mon Mar  4 09:12:01 from 192.0.2.1\nalice@host:~$ ls\nnotes.txt  src\n";
    assert.equal(findMessage(text), undefined);
  });
});

describe("protocol signatures", () => {
  for (const p of PROTOCOL_SIGNATURES) {
    test(`${p.id}: its example is detected as ${p.name}`, () => {
      assert.equal(detectProtocol(p.example)?.id, p.id);
      assert.equal(detectProtocol("", textHex(p.example))?.id ?? p.id, p.id);
    });
  }

  test("Telnet openings are not another protocol", () => {
    assert.equal(detectProtocol("\r\nDebian GNU/Linux 12\r\nhost login: "), undefined);
    assert.equal(detectProtocol("", "fffd18fffd20fffd23fffd27"), undefined);
    assert.equal(detectProtocol("\r\n\r\nUser Access Verification\r\n\r\nUsername: "), undefined);
  });

  test("a MySQL refusal in raw bytes is MySQL, not an access rule", () => {
    // length 0x48, sequence 0, error packet 0xff, code 1130 (0x046a): "Host '...' is not allowed to connect"
    assert.equal(detectProtocol("", "48000000ff6a04486f7374202731")?.id, "mysql");
  });
});
