/** @module `--user NAME --password-env VAR`: the password read from the environment, checked once for every command. */
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
