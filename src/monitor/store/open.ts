/**
 * @module One door to the stores: `openStore(url)` picks the backend from the URL and loads its
 * driver only then (dynamic import), so commands that store nothing never load better-sqlite3
 * or pg. `sqlite:PATH` (relative to the current directory; `sqlite::memory:` for a private
 * in-memory database), `postgres://…` or `postgresql://…`. A URL is only ever shown with its
 * password removed.
 */
import { resolve } from "node:path";
import { TeldocError } from "../../errors.js";
import { DEFAULT_RETENTION, type Retention, type Store } from "./types.js";

export interface OpenStoreOptions {
  /** Retention used by keepTrace and compact (default DEFAULT_RETENTION). */
  readonly retention?: Retention;
  /** PostgreSQL: how long to wait for a connection, ms (default 5000). */
  readonly connectTimeoutMs?: number;
  /** PostgreSQL: pool size (default 4). */
  readonly poolSize?: number;
}

/**
 * A URL fit for messages: a password (in the authority or as `?password=`) removed. A string
 * that is no URL comes back with anything between "://" and "@" removed.
 * @example redactUrl("postgres://me:secret@db/x") // "postgres://me@db/x"
 */
export function redactUrl(url: string): string {
  if (!/^postgres(?:ql)?:/i.test(url)) return url;
  try {
    const u = new URL(url);
    u.password = "";
    u.searchParams.delete("password");
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

/**
 * Open the store at `url`, creating and migrating its schema when needed.
 * @example const store = await openStore("sqlite:teldoc-monitor.db");
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const retention = options.retention ?? DEFAULT_RETENTION;
  if (/^sqlite:/i.test(url)) {
    const path = url.slice("sqlite:".length);
    if (path === "")
      throw new TeldocError(
        "TELDOC_ERR_BAD_CONFIG",
        `storage URL "${url}" has no path: write sqlite:PATH, e.g. sqlite:teldoc-monitor.db`,
      );
    const { openSqliteStore } = await import("./sqlite.js");
    return openSqliteStore(path === ":memory:" ? path : resolve(path), url, { retention });
  }
  if (/^postgres(?:ql)?:\/\//i.test(url)) {
    const { openPostgresStore } = await import("./postgres.js");
    return openPostgresStore(url, { ...options, retention });
  }
  throw new TeldocError(
    "TELDOC_ERR_BAD_CONFIG",
    `storage URL "${redactUrl(url)}" is not supported: use sqlite:PATH or postgres://USER@HOST:PORT/DB`,
  );
}
