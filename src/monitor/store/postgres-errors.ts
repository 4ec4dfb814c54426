/**
 * @module Why a PostgreSQL connection failed, in words: the host and port tried, what the
 * error means, and what to check. Never the password, never a stack trace.
 */
import { TeldocError } from "../../errors.js";

/** Host and port the URL points at (libpq defaults: localhost, 5432; a socket dir as host). */
export function pgEndpoint(url: string): { host: string; port: string } {
  try {
    const u = new URL(url);
    const host = u.searchParams.get("host") ?? (u.hostname || "localhost");
    return { host: decodeURIComponent(host), port: u.port || "5432" };
  } catch {
    return { host: "?", port: "?" };
  }
}

/** What an error code or message means, and what to check. */
function explain(e: { code?: string; message?: string }, timeoutMs: number): string {
  const message = e.message ?? String(e);
  switch (e.code) {
    case "ECONNREFUSED":
      return "connection refused: is PostgreSQL running, listening on that address and port (listen_addresses, port in postgresql.conf)?";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve: check the host in the URL";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "no route to the host: check the address and the network";
    case "ENOENT":
      return "no socket there: is PostgreSQL running, and is the socket directory right?";
    case "28P01":
    case "28000":
      return `the server refused the login (${message}): check the user, the password and pg_hba.conf`;
    case "3D000":
      return `${message}: create it (createdb) or fix the database name in the URL`;
  }
  if (/timeout|timed out/i.test(message))
    return `no answer within ${timeoutMs} ms: check the host and port, and any firewall in between`;
  return message;
}

/** TELDOC_ERR_STORE for a failed connect to `url` (shown as `shown`, password removed). */
export function connectError(
  url: string,
  shown: string,
  e: unknown,
  timeoutMs: number,
): TeldocError {
  const { host, port } = pgEndpoint(url);
  const why = explain((e ?? {}) as { code?: string; message?: string }, timeoutMs);
  const safe = why.split(url).join(shown);
  return new TeldocError(
    "TELDOC_ERR_STORE",
    `cannot use PostgreSQL at ${host}:${port} (${shown}): ${safe}`,
  );
}
