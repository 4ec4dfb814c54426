/**
 * @module Test support: login.defs LOGIN_TIMEOUT / LOGIN_RETRIES rewritten for a test, in a
 * private mount namespace where possible.
 */
import { writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { LOGIN_DEFS, onExit } from "./base.js";

// ---------------------------------------------------------------------------------------------
// LOGIN_TIMEOUT.

/** login.defs text with LOGIN_TIMEOUT set to `seconds` (line replaced in place, or appended). */
export function rewriteLoginTimeout(defs: string, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`bad LOGIN_TIMEOUT: ${seconds}`);
  return rewriteLoginDef(defs, "LOGIN_TIMEOUT", seconds);
}

/** login.defs text with `key` set to a positive integer (line replaced in place, or appended). */
export function rewriteLoginDef(defs: string, key: string, value: number): string {
  if (!/^[A-Z_]+$/.test(key)) throw new Error(`bad login.defs key: ${key}`);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bad ${key}: ${value}`);
  const line = new RegExp(`^[ \\t]*${key}[ \\t]+\\S+[ \\t]*$`, "m");
  if (line.test(defs)) return defs.replace(line, `${key}\t\t${value}`);
  return (defs === "" || defs.endsWith("\n") ? defs : defs + "\n") + `${key}\t\t${value}\n`;
}

/**
 * Rewrite LOGIN_TIMEOUT in the real /etc/login.defs for the duration of `fn`, then restore the
 * file byte for byte (also on failure and at process exit). Affects every login on the machine
 * meanwhile: prefer telnetdLogin({ loginTimeout }) where canUnshareMount() is ok.
 */
export async function withLoginTimeout<T>(seconds: number, fn: () => Promise<T>): Promise<T> {
  const original = await readFile(LOGIN_DEFS);
  const restore = () => writeFileSync(LOGIN_DEFS, original);
  const forgetExitHook = onExit(restore);
  try {
    await writeFile(LOGIN_DEFS, rewriteLoginTimeout(original.toString("utf8"), seconds));
    return await fn();
  } finally {
    restore();
    forgetExitHook();
  }
}
