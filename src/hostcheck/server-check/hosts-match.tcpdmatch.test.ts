/**
 * @module The oracle: Debian's tcpdmatch (package tcpd) and teldoc's decideAccess() must give
 * the same answer — granted, denied, or delegated to a `twist` command — for generated
 * hosts.allow/hosts.deny pairs, daemon names and numeric client addresses (no host names:
 * tcpdmatch could only look those up online). tcpdmatch runs with `-d` in a temp dir.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { skipUnlessCI } from "../../testing/requirement.js";
import { parseAddress } from "./address.js";
import { parseHostsAccess } from "./hosts-access.js";
import { decideAccess } from "./hosts-match.js";

const TCPDMATCH = "/usr/sbin/tcpdmatch";
const skip = skipUnlessCI(
  "tcpdmatch",
  existsSync(TCPDMATCH) ? false : `${TCPDMATCH} is missing (Debian package tcpd)`,
);
const dir = mkdtempSync(join(tmpdir(), "teldoc-tcpdmatch-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** tcpdmatch's verdict: granted, denied, or twist (its "delegated"). */
function oracle(daemon: string, client: string): string {
  const r = spawnSync(TCPDMATCH, ["-d", daemon, client], {
    cwd: dir,
    encoding: "utf8",
    timeout: 5000,
  });
  const m = /^access:\s+(\w+)/m.exec(r.stdout ?? "");
  assert.ok(m?.[1], `tcpdmatch said no verdict:\n${r.stdout}\n${r.stderr}`);
  return m[1] === "delegated" ? "twist" : m[1];
}

const octet = fc.integer({ min: 0, max: 255 });
const v4client = fc.tuple(fc.constantFrom("192.0.2", "198.51.100", "203.0.113"), octet);
const v6client = fc.integer({ min: 0, max: 0xffff }).map((n) => `2001:db8::${n.toString(16)}`);

const caseOf = (s: string) => fc.constantFrom(s, s.toLowerCase(), s[0] + s.slice(1).toLowerCase());

const quad = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");

/** Patterns near a v4 client (so that some match), and any. */
function v4Pattern(client: string): fc.Arbitrary<string> {
  const a = parseAddress(client)!.value as number;
  const masked = (bits: number) =>
    bits === 0 ? 0 : (a & ((0xffffffff << (32 - bits)) >>> 0)) >>> 0;
  const bits = fc.integer({ min: 0, max: 33 });
  const octets = client.split(".");
  return fc.oneof(
    fc.constant(client),
    v4client.map(([n, o]) => `${n}.${o}`),
    fc.integer({ min: 1, max: 3 }).map((k) => `${octets.slice(0, k).join(".")}.`),
    fc.constantFrom("19", "192.0.2", "203."),
    bits.map((b) => `${quad(masked(Math.min(b, 32)))}/${b}`),
    bits.map(
      (b) =>
        `${quad(masked(Math.min(b, 32)))}/${quad(b >= 32 ? 0xffffffff : b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0)}`,
    ),
    fc.constantFrom(24, 16, 8).map((b) => `${client}/${b}`),
    fc.integer({ min: 0, max: 3 }).map((i) => octets.map((o, j) => (j === i ? "*" : o)).join(".")),
    fc
      .integer({ min: 0, max: client.length - 1 })
      .map((i) => (client[i] === "." ? client : `${client.slice(0, i)}?${client.slice(i + 1)}`)),
  );
}

function v6Pattern(client: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(`[${client}]`),
    fc.constantFrom(0, 16, 32, 64, 112, 120, 128, 129).map((b) => `[2001:db8::]/${b}`),
    fc.constant("[2001:db8::1]"),
  );
}

/** Where include file N is written. */
const includePath = (n: number) => join(dir, `include${n}`);

/** Include files' contents (patterns near the client, blank or comma separated). */
function includes(client: string): fc.Arbitrary<string[]> {
  const near = client.includes(":") ? v6Pattern(client) : v4Pattern(client);
  const one = fc
    .tuple(fc.array(near, { minLength: 1, maxLength: 3 }), fc.constantFrom(" ", ", ", "\n"))
    .map(([pats, sep]) => `# generated\n${pats.join(sep)}\n`);
  return fc.array(one, { maxLength: 2 });
}

/** A client-list word, or a /file include (one of `files` include files). */
function clientWord(client: string, files: number): fc.Arbitrary<string> {
  const near = client.includes(":") ? v6Pattern(client) : v4Pattern(client);
  const keyword = fc.constantFrom("ALL", "LOCAL", "KNOWN", "UNKNOWN", "PARANOID").chain(caseOf);
  const names = fc.constantFrom(
    ".example.com",
    "@staff",
    "host1",
    "unk*",
    "ALL@ALL",
    "KNOWN@ALL",
    "ALL@192.0.2.7",
  );
  // include{files} is never written: an unreadable file.
  const file = fc.integer({ min: 0, max: files }).map(includePath);
  return fc.oneof({ weight: 5, arbitrary: near }, keyword, names, { weight: 1, arbitrary: file });
}

function list(word: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const sep = fc.constantFrom(" ", ", ", ",");
  const words = fc.array(word, { minLength: 1, maxLength: 3 });
  const except = fc.constantFrom(" EXCEPT ", " except ");
  return fc
    .tuple(words, fc.option(fc.tuple(except, words, fc.option(fc.tuple(except, words)))), sep)
    .map(([w, ex, s]) => {
      let out = w.join(s);
      if (ex) {
        out += ex[0] + ex[1].join(s);
        if (ex[2]) out += ex[2][0] + ex[2][1].join(s);
      }
      return out;
    });
}

const daemonWord = fc.constantFrom(
  "ALL",
  "in.telnetd",
  "telnetd",
  "sshd",
  "in.",
  "*telnetd",
  ".telnetd",
  "IN.TELNETD",
  "ALL@ALL",
  "in.telnetd@192.0.2.1",
);
const options = fc.constantFrom(
  "",
  "",
  "",
  " : allow",
  " : deny",
  " : ALLOW",
  " : spawn /bin/echo %a",
  " : spawn /bin/true : deny",
  " : twist /bin/echo no",
  " : severity auth.info",
  " : severity bogus",
  " : keepalive",
  " : bogus",
  " : deny : allow",
  " :",
);

function ruleLine(client: string, files: number): fc.Arbitrary<string> {
  return fc
    .tuple(list(daemonWord), list(clientWord(client, files)), options, fc.nat(9))
    .map(([d, c, o, style]) => {
      const line = `${d}: ${c}${o}`;
      if (style === 0) return `# ${line}`;
      if (style === 1) return line.replace(" ", " \\\n  ");
      return line;
    });
}

function file(client: string, files: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(ruleLine(client, files), { maxLength: 4 }), fc.nat(9))
    .map(([lines, n]) => (lines.length === 0 ? "" : lines.join("\n") + (n === 0 ? "" : "\n")));
}

const scenario = fc
  .oneof({ weight: 4, arbitrary: v4client.map(([n, o]) => `${n}.${o}`) }, v6client)
  .chain((client) => fc.tuple(fc.constant(client), includes(client)))
  .chain(([client, files]) =>
    fc.record({
      client: fc.constant(client),
      daemon: fc.constantFrom("in.telnetd", "telnetd", "sshd"),
      allow: file(client, files.length),
      deny: file(client, files.length),
      files: fc.constant(files),
    }),
  );

describe("decideAccess agrees with tcpdmatch", { skip }, () => {
  test("hand-picked corner cases", () => {
    const cases: [string, string, string][] = [
      ["in.telnetd: 192.0.2.7/255.255.255.255\n", "ALL: ALL\n", "192.0.2.7"],
      ["in.telnetd: 0.0.0.0/0\n", "ALL: ALL\n", "192.0.2.7"],
      ["in.telnetd: 192.0.2.7", "ALL: ALL\n", "192.0.2.7"],
      [" # in.telnetd: 192.0.2.7\n", "ALL: ALL\n", "192.0.2.7"],
      ["in.telnetd: unk*\n", "ALL: ALL\n", "192.0.2.7"],
      ["in.telnetd: ALL : allow : deny\n", "", "192.0.2.7"],
    ];
    for (const [allow, deny, client] of cases) {
      writeFileSync(join(dir, "hosts.allow"), allow);
      writeFileSync(join(dir, "hosts.deny"), deny);
      const ours = decideAccess({
        daemon: "in.telnetd",
        client: parseAddress(client)!,
        allow: parseHostsAccess(allow, "hosts.allow").value,
        deny: parseHostsAccess(deny, "hosts.deny").value,
      });
      assert.equal(ours.verdict, oracle("in.telnetd", client), `${allow} | ${deny} | ${client}`);
    }
  });

  test("generated rule sets and clients (3000 cases)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        writeFileSync(join(dir, "hosts.allow"), s.allow);
        writeFileSync(join(dir, "hosts.deny"), s.deny);
        rmSync(includePath(s.files.length), { force: true });
        for (const [i, text] of s.files.entries()) writeFileSync(includePath(i), text);
        const ours = decideAccess({
          daemon: s.daemon,
          client: parseAddress(s.client)!,
          allow: parseHostsAccess(s.allow, "hosts.allow").value,
          deny: parseHostsAccess(s.deny, "hosts.deny").value,
          include: (p) => s.files.find((_, i) => includePath(i) === p),
        });
        assert.equal(ours.verdict, oracle(s.daemon, s.client));
      }),
      { numRuns: 3000 },
    );
  });
});
