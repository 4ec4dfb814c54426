/** The next hop from Linux's tables: /proc/net/route, /proc/net/ipv6_route and /proc/net/arp as the kernel prints them. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { arpResolved, routeV4, routeV6, v6Hex } from "./next-hop.js";

// A client on 198.18.1.2/24 (eth0) with a default route via 198.18.1.1 and a more specific
// 198.18.5.0/24 via 198.18.1.9 (metric 50), an unreachable 198.18.7.0/24 and a blackhole
// 198.18.8.0/24, as x86 prints them.
const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010112C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000112C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth0\t000512C6\t090112C6\t0003\t0\t0\t50\t00FFFFFF\t0\t0\t0
*\t000812C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
*\t000712C6\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

const ARP = `IP address       HW type     Flags       HW address            Mask     Device
198.18.1.77      0x1         0x0         00:00:00:00:00:00     *        eth0
198.18.1.1       0x1         0x2         8a:33:0c:51:7e:10     *        eth0
`;

// 2001:db8:1::/64 on eth0, a default via fe80::1, a local route, an unreachable 2001:db8:9::/64
// and the kernel's own unreachable ::/0 (reject routes are printed without RTF_UP).
const IPV6_ROUTE = [
  "20010db8000100000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0",
  "20010db8000100000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
  "20010db8000900000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000400 00000001 00000000 00200200       lo",
  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
].join("\n");

describe("routeV4", () => {
  test("an address on the connected subnet is on-link through its device", () => {
    assert.deepEqual(routeV4(ROUTE, "198.18.1.77", true), { onLink: true, device: "eth0" });
  });
  test("the most specific route wins; a gateway is named", () => {
    assert.deepEqual(routeV4(ROUTE, "198.18.5.3", true), {
      onLink: false,
      device: "eth0",
      gateway: "198.18.1.9",
    });
    assert.deepEqual(routeV4(ROUTE, "192.0.2.7", true), {
      onLink: false,
      device: "eth0",
      gateway: "198.18.1.1",
    });
  });
  test("a reject route, an unmatched address or a bad one gives nothing", () => {
    assert.equal(routeV4(ROUTE, "198.18.7.1", true), undefined);
    assert.equal(routeV4(ROUTE, "198.18.8.1", true), undefined);
    assert.equal(routeV4(ROUTE.split("\n").slice(0, 1).join("\n"), "198.18.1.77", true), undefined);
    assert.equal(routeV4(ROUTE, "not.an.address.x", true), undefined);
  });
  test("a big-endian kernel prints the bytes in order", () => {
    const be =
      "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\tC6120100\t00000000\t0001\t0\t0\t0\tFFFFFF00\n";
    assert.deepEqual(routeV4(be, "198.18.1.77", false), { onLink: true, device: "eth0" });
    assert.equal(routeV4(be, "198.18.1.77", true), undefined);
  });
});

describe("routeV6", () => {
  test("v6Hex expands every textual form", () => {
    assert.equal(v6Hex("2001:db8:1::7"), "20010db8000100000000000000000007");
    assert.equal(v6Hex("::1"), "00000000000000000000000000000001");
    assert.equal(v6Hex("fe80::1%eth0"), "fe800000000000000000000000000001");
    assert.equal(v6Hex("1::2::3"), undefined);
    assert.equal(v6Hex("198.18.1.2"), undefined);
  });
  test("on-link for the connected prefix, the gateway for the rest, nothing for a reject route", () => {
    assert.deepEqual(routeV6(IPV6_ROUTE, "2001:db8:1::7"), { onLink: true, device: "eth0" });
    assert.deepEqual(routeV6(IPV6_ROUTE, "2001:db8:2::7"), {
      onLink: false,
      device: "eth0",
      gateway: "fe80:0:0:0:0:0:0:1",
    });
    assert.equal(routeV6(IPV6_ROUTE, "2001:db8:9::1"), undefined);
  });
});

describe("arpResolved", () => {
  test("incomplete or failed is false, complete is true, no entry is undefined", () => {
    assert.equal(arpResolved(ARP, "198.18.1.77"), false);
    assert.equal(arpResolved(ARP, "198.18.1.1"), true);
    assert.equal(arpResolved(ARP, "198.18.1.78"), undefined);
  });
});
