/** @module Command-line values that several commands take, read and checked in one place. */
import { TeldocError } from "../errors.js";

/**
 * The password named by `--password-env`, or undefined when none was asked for. A usage error
 * when it comes without `--user` or the variable is not set.
 * @example passwordFromEnv({ user: "admin", passwordEnv: "PW" }) // process.env.PW
 */
export function passwordFromEnv(f: { user?: string; passwordEnv?: string }): string | undefined {
  if (f.passwordEnv === undefined) return undefined;
  if (f.user === undefined)
    throw new TeldocError("TELDOC_ERR_USAGE", "--password-env needs --user NAME");
  const password = process.env[f.passwordEnv];
  if (password === undefined)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `--password-env ${f.passwordEnv}: that environment variable is not set (export ${f.passwordEnv}=...)`,
    );
  return password;
}

/**
 * A count flag (`--limit`, `--tries`, `--concurrency`): a whole number from 1 to `max`.
 * @example parseCount("3", "--tries") // 3
 */
export function parseCount(text: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= max))
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `${flag} must be a whole number of at least 1${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ""} (got "${text}")`,
    );
  return n;
}
