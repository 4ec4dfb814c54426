/** The TLS rule over the telnet check's facts, with fixtures and no sockets. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tlsOnPort } from "./tls.js";

test("a completed handshake after a close on Enter: wrong-service, the certificate named", () => {
  const c = tlsOnPort({
    host: "sw1",
    port: 992,
    closedOnEnter: true,
    protocol: "TLSv1.3",
    subject: "CN=sw1",
  });
  assert.equal(c.cause, "wrong-service");
  assert.match(c.summary, /992/);
  assert.match(c.evidence.join("\n"), /closed the connection when we pressed Enter/);
  assert.match(c.evidence.join("\n"), /TLSv1\.3, certificate for CN=sw1/);
  assert.match(c.advice.join("\n"), /sw1/);
});

test("an alert from a silent server is TLS too", () => {
  const c = tlsOnPort({
    host: "sw1",
    port: 8443,
    closedOnEnter: false,
    alert: "handshake failure",
  });
  assert.equal(c.cause, "wrong-service");
  assert.match(c.evidence.join("\n"), /never spoke first/);
  assert.match(c.evidence.join("\n"), /alert: handshake failure/);
});
