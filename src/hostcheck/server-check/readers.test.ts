/** @module The pure readers: each over small texts, with the lines they report. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseAddress } from "./address.js";
import { portRules } from "./firewall.js";
import { parseHostsAccess } from "./hosts-access.js";
import { optionEffect } from "./hosts-options.js";
import { parseInetd } from "./inetd.js";
import { parseLoginDefs, parsePam, parseTmout } from "./login-policy.js";
import { parseProcNetTcp } from "./proc-net.js";
import { parseSocketUnit } from "./systemd-socket.js";
import { parseXinetd } from "./xinetd.js";
import { xinetdAccess } from "./xinetd-access.js";

const addr = (s: string) => parseAddress(s)!;

describe("server-check readers", () => {
  test("hosts.allow: continuation keeps the first line; a line without ':' is a problem", () => {
    const r = parseHostsAccess(
      "# c\nin.telnetd: 10.0.0.1 \\\n 10.0.0.2\nbogus\n",
      "/etc/hosts.allow",
    );
    assert.deepEqual(
      r.value.map((e) => e.line),
      [2],
    );
    assert.equal(r.problems[0]?.line, 4);
  });

  test("hosts.deny without a final newline: a broken line tcpd denies on", () => {
    const r = parseHostsAccess("sshd: ALL\nALL: 10.", "/etc/hosts.deny");
    assert.equal(r.value.at(-1)?.kind, "broken");
    assert.equal(r.value.at(-1)?.line, 2);
  });

  test("options: allow/deny decide and must be last; twist; errors", () => {
    assert.equal(optionEffect(" spawn /bin/echo %a : deny").kind, "deny");
    assert.equal(optionEffect(" twist /bin/echo no").kind, "twist");
    assert.equal(optionEffect(" deny : allow").kind, "error");
    assert.equal(optionEffect(" bogus").kind, "error");
  });

  test("xinetd: blocks, += on lists, includedir, an unclosed block", () => {
    const text =
      "defaults\n{\n only_from = 10.0.0.0\n}\nincludedir /etc/xinetd.d\nservice telnet {\n only_from = 1.2.3.4\n only_from += 5.6.7.8\n disable = no\n}\nservice x\n{\n";
    const r = parseXinetd(text, "/etc/xinetd.conf");
    const telnet = r.value.blocks.find((b) => b.name === "telnet")!;
    assert.deepEqual(telnet.attrs.get("only_from"), { values: ["1.2.3.4", "5.6.7.8"], line: 8 });
    assert.deepEqual(r.value.includes, [{ kind: "dir", path: "/etc/xinetd.d", line: 5 }]);
    assert.equal(r.problems[0]?.line, 11);
  });

  test("xinetd only_from/no_access: zero octets are wildcards; the more specific wins", () => {
    assert.equal(xinetdAccess(["192.0.2.0"], undefined, addr("192.0.2.7")).allowed, true);
    assert.equal(xinetdAccess(["10.0.0.0/8"], undefined, addr("192.0.2.7")).allowed, false);
    assert.equal(xinetdAccess(["192.0.0.0"], ["192.0.2.0"], addr("192.0.2.7")).allowed, false);
    assert.equal(xinetdAccess(["192.0.2.7"], ["192.0.0.0/16"], addr("192.0.2.7")).allowed, true);
    assert.equal(xinetdAccess(["172.16.{1,2}.0"], undefined, addr("172.16.2.9")).allowed, true);
    assert.equal(xinetdAccess([], undefined, addr("192.0.2.7")).allowed, false);
  });

  test("inetd.conf: commented and #<off># lines are disabled entries", () => {
    const r = parseInetd(
      "#<off># telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n127.0.0.1:telnet stream tcp nowait root /usr/libexec/telnetd telnetd\n",
      "/etc/inetd.conf",
    );
    assert.deepEqual(
      r.value.map((e) => [e.line, e.enabled, e.address ?? null, e.argv[0]]),
      [
        [1, false, null, "/usr/sbin/in.telnetd"],
        [2, true, "127.0.0.1", "telnetd"],
      ],
    );
  });

  test("telnet.socket: ListenStream forms", () => {
    const r = parseSocketUnit(
      "[Socket]\nListenStream=[::]:2323\nAccept=yes\nMaxConnections=4\n",
      "t",
    );
    assert.deepEqual(r.value.listen, [{ port: 2323, address: "::", line: 2 }]);
    assert.equal(r.value.maxConnections?.value, 4);
  });

  test("TMOUT: export, readonly, declare -r; login.defs; PAM includes", () => {
    assert.deepEqual(parseTmout("export TMOUT=300\n", "f").value.set?.value, 300);
    assert.equal(parseTmout("declare -r TMOUT=60\n", "f").value.readonly?.line, 1);
    assert.equal(parseTmout("TMOUT=60; readonly TMOUT\n", "f").value.readonly?.line, 1);
    assert.equal(
      parseLoginDefs("LOGIN_TIMEOUT\t60\n", "f").value.get("LOGIN_TIMEOUT")?.value,
      "60",
    );
    const pam = parsePam("@include common-auth\naccount requisite pam_nologin.so\n", "f").value;
    assert.deepEqual(pam.includes, [{ name: "common-auth", line: 1 }]);
    assert.equal(pam.lines[0]?.module, "pam_nologin.so");
  });

  test("/proc/net/tcp and tcp6: hex addresses, states, inodes", () => {
    const v4 =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0017 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000 100 0 0 10 0\n";
    const [s] = parseProcNetTcp(v4, "/proc/net/tcp").value;
    assert.deepEqual(
      [s?.localAddress, s?.localPort, s?.state, s?.inode],
      ["127.0.0.1", 23, "LISTEN", "12345"],
    );
    const v6 =
      "  sl  local_address                         remote_address                        st\n   0: 00000000000000000000000001000000:0017 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1\n";
    assert.equal(parseProcNetTcp(v6, "/proc/net/tcp6").value[0]?.localAddress, "::1");
  });

  test("firewall dumps: rules that name the port", () => {
    const r = portRules(
      "iptables-save",
      "-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 23 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n",
      23,
    );
    assert.deepEqual(
      r.map((x) => [x.line, x.action, x.source]),
      [[1, "drop", "192.0.2.0/24"]],
    );
    const n = portRules("nft", "  tcp dport { 22, 23 } ip saddr 10.0.0.0/8 accept\n", 23);
    assert.equal(n[0]?.action, "accept");
  });
});
