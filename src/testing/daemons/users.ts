/**
 * @module Test support: the test users (created once, with the shells and TMOUT the tests need),
 * and run() for the system tools that manage them.
 */
import { execFile } from "node:child_process";
import { chown, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BIN,
  IDLE_PASSWORD,
  IDLE_TMOUT_SECONDS,
  IDLE_USER,
  TEST_PASSWORD,
  TEST_USER,
} from "./base.js";

// ---------------------------------------------------------------------------------------------
// Users.

export function run(
  file: string,
  args: string[],
  input?: string,
  timeoutMs = 10_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (err, so, se) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout: so, stderr: se || (err && code === -1 ? String(err) : "") });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function passwdEntry(user: string): Promise<{ uid: number; gid: number; home: string }> {
  const r = await run("/usr/bin/getent", ["passwd", user]);
  const fields = r.stdout.trim().split(":");
  if (r.code !== 0 || fields.length < 7) throw new Error(`getent passwd ${user}: ${r.code}`);
  return { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? "" };
}

async function ensureUser(
  user: string,
  password: string,
): Promise<{ uid: number; gid: number; home: string }> {
  for (let attempt = 0; ; attempt++) {
    const exists = (await run("/usr/bin/getent", ["passwd", user])).code === 0;
    if (exists) break;
    const r = await run(BIN.useradd, ["--create-home", "--shell", "/bin/bash", user]);
    if (r.code === 0 || r.code === 9 /* already exists: a concurrent process won */) break;
    // 10: /etc/passwd locked by a concurrent useradd; retry briefly.
    if (attempt >= 10) throw new Error(`useradd ${user} failed (${r.code}): ${r.stderr.trim()}`);
    await sleep(200);
  }
  for (let attempt = 0; ; attempt++) {
    const r = await run(BIN.chpasswd, [], `${user}:${password}\n`);
    if (r.code === 0) break;
    if (attempt >= 10) throw new Error(`chpasswd ${user} failed (${r.code}): ${r.stderr.trim()}`);
    await sleep(200);
  }
  const entry = await passwdEntry(user);
  await mkdir(entry.home, { recursive: true });
  await chown(entry.home, entry.uid, entry.gid);
  return entry;
}

/**
 * Create (idempotently) TEST_USER and IDLE_USER with known passwords, a home and /bin/bash.
 * IDLE_USER's ~/.bash_profile sets `TMOUT=IDLE_TMOUT_SECONDS; readonly TMOUT` (bash reads it,
 * not ~/.profile, because it exists; /bin/login starts bash as a login shell).
 */
export async function ensureTestUser(): Promise<void> {
  await ensureUser(TEST_USER, TEST_PASSWORD);
  const idle = await ensureUser(IDLE_USER, IDLE_PASSWORD);
  const profile = join(idle.home, ".bash_profile");
  await writeFile(
    profile,
    [
      "# Written by teldoc's test fixtures (src/testing/daemons.ts): idle sessions end quickly.",
      `TMOUT=${IDLE_TMOUT_SECONDS}`,
      "readonly TMOUT",
      "",
    ].join("\n"),
  );
  await chown(profile, idle.uid, idle.gid);
}
