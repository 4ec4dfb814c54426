/**
 * @module Server wording end to end (the library against the lab on loopback): a refusal in
 * words no known server prints is read by its family, words that match nothing are quoted
 * as the reason, and banners, MOTDs and command output from the negative corpus do not
 * change the cause.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { NEGATIVE_CORPUS } from "../diagnosis/negative-corpus.js";
import { connect } from "../session/connect.js";
import type { Diagnosis } from "../trace/events.js";
import { type Lab, startLab } from "./server.js";
import type { LabConfig } from "./types.js";

const labs: Lab[] = [];
after(async () => {
  for (const l of labs) await l.close();
});

async function lab(scenario: string, config: Partial<LabConfig>): Promise<Lab> {
  const l = await startLab({ scenario, config });
  labs.push(l);
  return l;
}

/** Connect and wait for the server to end the session, doing nothing. */
async function refused(scenario: string, config: Partial<LabConfig>): Promise<Diagnosis> {
  const s = await connect({ host: "127.0.0.1", port: (await lab(scenario, config)).port });
  return (await s.closed).diagnosis;
}

/**
 * Log in, optionally run a command, then wait for the server to end the session. The login is
 * typed by hand: the library's login() has its own refusal words (session/login-dialogue.ts), and
 * this test is about the diagnosis.
 */
async function served(config: Partial<LabConfig>, command?: string): Promise<Diagnosis> {
  const l = await lab("idle-timeout", { idleTimeoutMs: 400, ...config });
  const s = await connect({ host: "127.0.0.1", port: l.port });
  await s.expect(/login: $/, { timeout: "5s" });
  s.sendLine("demo");
  await s.expect(/Password: $/, { timeout: "5s" });
  s.sendLine("demo", { masked: true });
  await s.expect(/\$ $/, { timeout: "5s" });
  if (command !== undefined) await s.exec(command, { timeout: "5s" });
  return (await s.closed).diagnosis;
}

const THE_SENTENCE = "Too many telnet sessions from your address (limit 1). Try again later.";

describe("a refusal in unknown words, end to end", () => {
  test("the per-source limit sentence: service-unavailable, by the family", async () => {
    const d = await refused("service-unavailable", {
      variant: "busy",
      message: `${THE_SENTENCE}\n`,
    });
    assert.equal(d.cause, "service-unavailable", d.summary);
    assert.ok(d.evidence.some((e) => e.includes('family "too many / limit"')));
  });
  test("a ban in a MUD's words: acl-rejected, by the family", async () => {
    const d = await refused("acl-rejected", {
      variant: "message",
      message: "Your site is banned.\n",
    });
    assert.equal(d.cause, "acl-rejected", d.summary);
    assert.ok(d.evidence.some((e) => e.includes('family "not welcome / banned"')));
  });
  test("words that match nothing are quoted as the server's reason", async () => {
    const d = await refused("acl-rejected", {
      variant: "message",
      message: "Goodbye, stranger.\n",
    });
    assert.equal(d.cause, "server-closed", d.summary);
    assert.ok(d.summary.includes("Goodbye, stranger."), d.summary);
    assert.doesNotMatch(d.summary, /without saying why/);
  });
});

/** The brief's own examples, and the first text of each kind. */
const picked = [
  ...NEGATIVE_CORPUS.filter((t) =>
    /not authorized to use|Scheduled maintenance|ERROR 1045|file system is full/.test(t.text),
  ),
  ...["legal-banner", "motd", "command-output"].map(
    (kind) => NEGATIVE_CORPUS.find((t) => t.kind === kind && !t.text.includes("\n"))!,
  ),
].filter((t, i, all) => all.indexOf(t) === i);

describe("text that is not a reason, end to end", () => {
  test("the picked texts are single lines the fake shell can echo", () => {
    assert.ok(picked.length >= 4);
    for (const t of picked) assert.ok(!t.text.includes("\n"), t.text);
  });
  test("a banner before the login prompt: still login-timeout", async () => {
    const config = { loginTimeoutMs: 300 };
    const control = await refused("login-timeout", config);
    assert.equal(control.cause, "login-timeout");
    const ds = await Promise.all(
      picked.map((t) => refused("login-timeout", { ...config, banner: t.text })),
    );
    for (const [i, d] of ds.entries())
      assert.equal(d.cause, control.cause, `${picked[i].text}: ${d.summary}`);
  });
  for (const variant of ["silent", "message"]) {
    test(`a MOTD, then the idle close (${variant}): the cause without the MOTD`, async () => {
      const control = await served({ variant });
      const ds = await Promise.all(picked.map((t) => served({ variant, motd: t.text })));
      for (const [i, d] of ds.entries())
        assert.equal(d.cause, control.cause, `${picked[i].text}: ${d.summary}`);
    });
  }
  test("command output, then the idle close: the cause without the output", async () => {
    const control = await served({ variant: "silent" }, "echo all is well");
    const ds = await Promise.all(
      picked.map((t) => served({ variant: "silent" }, `echo ${t.text}`)),
    );
    for (const [i, d] of ds.entries())
      assert.equal(d.cause, control.cause, `${picked[i].text}: ${d.summary}`);
  });
});
