/**
 * @module Test requirements: a test that needs what this machine lacks (root, a real daemon, a
 * network namespace, a tool such as tmux, tshark or openssl) skips with the reason on a
 * developer's machine. Under CI (`CI=true`) it fails instead, naming what is missing, so a CI
 * run cannot go green by skipping: `.ci/apt-packages` must have installed it.
 *
 * A test that does not apply (a check for another platform, a fallback that is not needed) is
 * not a missing requirement: it is written so that it does not skip at all.
 */
import assert from "node:assert/strict";
import { test } from "node:test";

/** The value of a test's `skip` option: false, or the reason. */
export type SkipValue = string | false;

/** True under CI: `CI` is `true`, `1` or `yes` (GitHub Actions, GitLab, most CI set `CI=true`). */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(?:true|1|yes)$/i.test(env["CI"] ?? "");
}

/** The failure a missing requirement is under CI: "needs WHAT: WHY". */
function missingMessage(what: string, why: string): string {
  return `needs ${what}: ${why} (CI=true: a missing requirement fails instead of skipping; see .ci/apt-packages)`;
}

/** How a failing stand-in test is registered (node:test's `test`; replaced in the helper's own test). */
type Register = (name: string, fn: () => void) => unknown;

/**
 * The `skip` option for a test or suite that needs `what`. `missing` says why it cannot run
 * here (false or undefined: nothing is missing). Outside CI: the reason, so it skips. Under
 * CI: it still skips, and a test named "needs WHAT: WHY" that fails is registered in its place.
 * Call it once per file and requirement, at module level.
 * @example
 * const daemons = canRunDaemons();
 * const skip = skipUnlessCI("real daemons", daemons.ok ? false : daemons.reason);
 * describe("against real telnetd", { skip }, () => { ... });
 */
export function skipUnlessCI(
  what: string,
  missing: string | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
  register: Register = test,
): SkipValue {
  if (missing === undefined || missing === false) return false;
  if (inCI(env)) {
    const message = missingMessage(what, missing);
    register(`needs ${what}`, () => assert.fail(message));
  }
  return missing;
}

/** What a running test's context must offer for skipOrFail. */
interface Skippable {
  skip(message?: string): void;
}

/**
 * Inside a running test, when a requirement turns out to be missing (a daemon did not start,
 * a tool is absent): skip the test outside CI, fail it under CI. Return right after it.
 * @example if (!sshd) return skipOrFail(t, "sshd", "it did not start");
 */
export function skipOrFail(
  t: Skippable,
  what: string,
  why: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (inCI(env)) assert.fail(missingMessage(what, why));
  t.skip(`needs ${what}: ${why}`);
}

/**
 * For a test that goes on without an optional tool and checks less (ping absent: no ICMP
 * figures to check): under CI the tool must be there, and its absence fails the test.
 * @example requireInCI("ping", ping.status === "ok" ? false : `ping was ${ping.status}`);
 */
export function requireInCI(
  what: string,
  missing: string | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (missing && inCI(env)) assert.fail(missingMessage(what, missing));
}
