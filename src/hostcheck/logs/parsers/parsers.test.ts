import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMessage } from "./index.js";

/** [program, message, expected event (partial), ...]: one wording each family writes. */
const CASES: [string, string, Record<string, unknown> | "known" | "unknown" | "ignored"][] = [
  [
    "xinetd",
    "START: telnet pid=123 from=::ffff:192.0.2.7",
    { kind: "xinetd-start", pid: 123, from: "::ffff:192.0.2.7" },
  ],
  [
    "xinetd",
    "EXIT: telnet status=1 pid=123 duration=28(sec)",
    { kind: "xinetd-exit", status: 1, durationS: 28 },
  ],
  ["xinetd", "EXIT: telnet signal=9 pid=123 duration=3(sec)", { kind: "xinetd-exit", signal: 9 }],
  [
    "xinetd",
    "FAIL: telnet per_source_limit from=10.0.0.1",
    { kind: "xinetd-fail", reason: "per_source_limit" },
  ],
  ["xinetd", "FAIL: telnet libwrap from=10.0.0.1", { kind: "xinetd-fail", reason: "libwrap" }],
  ["xinetd", "NOTICE: Started working: 3 available services", "known"],
  [
    "in.telnetd",
    "refused connect from host.example (198.51.100.2)",
    { kind: "tcpd-refused", from: "198.51.100.2" },
  ],
  ["in.telnetd", "connect from 192.0.2.7", { kind: "tcpd-connect", from: "192.0.2.7" }],
  ["telnetd", "telnetd:  peer died", { kind: "telnetd-peer-died" }],
  ["telnetd", "ttloop:  peer died: EOF", { kind: "telnetd-peer-died", detail: "EOF" }],
  [
    "in.telnetd",
    "ttloop:  read: Connection reset by peer",
    { kind: "telnetd-read-error", error: "Connection reset by peer" },
  ],
  [
    "telnetd",
    "child process 4711 exited: 0",
    { kind: "telnetd-child-exit", child: 4711, status: 0 },
  ],
  [
    "login",
    "FAILED LOGIN (1) on '/dev/pts/0' from 'localhost' FOR 'teldoctest', Authentication failure",
    { kind: "login-failed", count: 1, tty: "/dev/pts/0", from: "localhost", user: "teldoctest" },
  ],
  [
    "login",
    "FAILED LOGIN 2 FROM 192.0.2.7 FOR alice, Authentication failure",
    { kind: "login-failed", count: 2, from: "192.0.2.7", user: "alice" },
  ],
  [
    "login",
    "TOO MANY LOGIN TRIES (2) on '/dev/pts/0' from 'localhost' FOR 'teldoctest'",
    { kind: "login-too-many", count: 2, user: "teldoctest" },
  ],
  [
    "login",
    "2 LOGIN FAILURES FROM 192.0.2.7, alice",
    { kind: "login-failed", count: 2, from: "192.0.2.7", user: "alice" },
  ],
  [
    "login",
    "invalid password for 'admin' on 'pts/0' from '192.0.2.7'",
    { kind: "login-failed", user: "admin", from: "192.0.2.7" },
  ],
  ["login", "timed out after 60 seconds", { kind: "login-timeout", seconds: 60 }],
  [
    "login",
    "ROOT LOGIN REFUSED ON pts/0 FROM 192.0.2.7",
    { kind: "login-root-refused", from: "192.0.2.7" },
  ],
  [
    "login",
    "LOGIN ON pts/1 BY alice FROM 192.0.2.7",
    { kind: "login-ok", user: "alice", from: "192.0.2.7" },
  ],
  [
    "login",
    "pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/pts/2 ruser= rhost=192.0.2.7  user=bob",
    { kind: "pam-auth-failure", user: "bob", rhost: "192.0.2.7" },
  ],
  [
    "login",
    "pam_unix(login:session): session opened for user bob(uid=1000) by LOGIN(uid=0)",
    { kind: "pam-session-open", user: "bob" },
  ],
  [
    "login",
    "pam_unix(login:session): session closed for user bob",
    { kind: "pam-session-close", user: "bob" },
  ],
  ["login", "pam_nologin(login:auth): cannot log in: /etc/nologin exists", { kind: "nologin" }],
  ["login", "pam_limits(login:session): Could not set limit for 'nofile'", "known"],
  ["login", "some wording nobody writes", "unknown"],
  [
    "sshd",
    "Accepted password for bob from 10.0.0.9 port 50000 ssh2",
    { kind: "ssh-accepted", user: "bob", port: 50000 },
  ],
  [
    "sshd",
    "Failed password for invalid user eve from 10.0.0.9 port 50000 ssh2",
    { kind: "ssh-failed", user: "eve" },
  ],
  [
    "sshd",
    "Connection closed by authenticating user root 203.0.113.50 port 40022 [preauth]",
    { kind: "ssh-closed", from: "203.0.113.50", preauth: true },
  ],
  ["sshd", "pam_unix(sshd:session): session closed for user bob", { kind: "pam-session-close" }],
  [
    "inetd",
    "telnet from 203.0.113.9 exceeded counts/min (limit 256/min)",
    { kind: "inetd-rate-limit", from: "203.0.113.9" },
  ],
  ["cron", "pam_unix(cron:session): session opened for user root", "ignored"],
];

test("each family's wordings → their events; unknown wordings of our programs counted", () => {
  for (const [program, message, want] of CASES) {
    const got = parseMessage(program, message);
    if (typeof want === "string")
      assert.ok(want in got, `${program}: ${message} → ${JSON.stringify(got)}`);
    else {
      assert.ok("event" in got, `${program}: ${message} → ${JSON.stringify(got)}`);
      for (const [k, v] of Object.entries(want))
        assert.equal((got.event as Record<string, unknown>)[k], v, `${message}: ${k}`);
    }
  }
});
