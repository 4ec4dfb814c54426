/** @module A neighbour that never answered ARP/ND, told from a router's answer by the ARP table, the route and the time. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NextHop } from "../trace/events.js";
import { NEIGHBOUR_TIMEOUT_MS, neighbourFailure } from "./neighbour.js";
import type { ConnectFailure } from "./types.js";

function failure(durationMs: number, nextHop?: NextHop, code = "EHOSTUNREACH"): ConnectFailure {
  return {
    t: durationMs,
    address: "198.18.1.77",
    port: 23,
    outcome: "unreachable",
    code,
    durationMs,
    ...(nextHop ? { nextHop } : {}),
  };
}

const SUBNET: NextHop = { onLink: true, device: "eth0" };
const VIA: NextHop = { onLink: false, device: "eth0", gateway: "198.18.1.1" };

describe("neighbourFailure", () => {
  test("an incomplete ARP entry names who was silent, whatever the time", () => {
    assert.deepEqual(neighbourFailure(failure(3070, { ...SUBNET, resolved: false })), {
      where: "subnet",
      basis: "arp-table",
      protocol: "ARP",
      device: "eth0",
    });
    assert.equal(neighbourFailure(failure(10, { ...VIA, resolved: false }))?.where, "gateway");
  });
  test("on-link and late, without an ARP entry (IPv6, or the entry already gone): the subnet", () => {
    const f = { ...failure(3010, SUBNET), address: "2001:db8:1::7" };
    assert.deepEqual(neighbourFailure(f), {
      where: "subnet",
      basis: "route-and-time",
      protocol: "ND",
      device: "eth0",
    });
  });
  test("late with no route facts (an old trace, another OS): a neighbour somewhere", () => {
    assert.equal(neighbourFailure(failure(NEIGHBOUR_TIMEOUT_MS))?.where, "somewhere");
    assert.equal(neighbourFailure(failure(3000, VIA))?.basis, "time");
  });
  test("an immediate answer, or a next hop that answered ARP, is not a silent neighbour", () => {
    assert.equal(neighbourFailure(failure(2)), undefined);
    assert.equal(neighbourFailure(failure(2, SUBNET)), undefined);
    assert.equal(neighbourFailure(failure(3070, { ...SUBNET, resolved: true })), undefined);
  });
  test("only EHOSTUNREACH and EHOSTDOWN; ENETUNREACH is no route", () => {
    assert.equal(neighbourFailure(failure(3070, SUBNET, "EHOSTDOWN"))?.where, "subnet");
    assert.equal(neighbourFailure(failure(3070, undefined, "ENETUNREACH")), undefined);
  });
  test("a connect timeout while ARP is still unanswered: the SYN never left, not a firewall", () => {
    const timeout = {
      ...failure(3000, { ...SUBNET, resolved: false }),
      outcome: "timeout" as const,
      code: "TIMEOUT",
    };
    assert.equal(neighbourFailure(timeout)?.where, "subnet");
    const answered = { ...timeout, nextHop: { ...SUBNET, resolved: true } };
    assert.equal(neighbourFailure(answered), undefined);
    assert.equal(neighbourFailure({ ...timeout, nextHop: SUBNET }), undefined);
  });
});
