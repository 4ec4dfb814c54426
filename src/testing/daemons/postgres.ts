/**
 * @module Test support: a REAL, throwaway PostgreSQL cluster. `initdb` + `pg_ctl` in a temp
 * dir, listening on 127.0.0.1 at a free port (and a unix socket in the dir), trust auth for
 * the user `teldoc`, fsync off (speed; the data is thrown away). initdb refuses to run as
 * root, so under root the cluster runs as `postgres` (Debian's package creates it) or else
 * `nobody`, owning the dir. Binaries: PATH first, else /usr/lib/postgresql/<newest>/bin (where
 * Debian's `postgresql` package puts them). Every wait is bounded; `stop()` (or the test
 * process's exit) stops it with `pg_ctl stop -m immediate` and deletes the dir.
 */
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { onExit } from "./base.js";

/** Where initdb and pg_ctl are, or why not. */
export type PostgresBinaries = { ok: true; dir: string } | { ok: false; reason: string };

/** Find initdb and pg_ctl: PATH, then /usr/lib/postgresql/<newest>/bin. */
export function findPostgres(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const has = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));
  for (const dir of (env["PATH"] ?? "").split(delimiter))
    if (dir && has(dir)) return { ok: true, dir };
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions)
    if (has(join(root, v, "bin"))) return { ok: true, dir: join(root, v, "bin") };
  return {
    ok: false,
    reason:
      "initdb/pg_ctl not found in PATH or /usr/lib/postgresql/*/bin: install Debian's postgresql",
  };
}

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  /** The superuser the tests connect as (trust auth, no password). */
  readonly user: string;
  /** A URL for database `db` (default "postgres"). */
  url(db?: string): string;
  /**
   * The same database through the cluster's unix socket: reachable from a network namespace,
   * which has its own loopback but shares the file system.
   */
  socketUrl(db?: string): string;
  /** Create a new empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The uid/gid to run the server as: ourselves, or (as root) postgres, else nobody. */
function serverUser(): { uid?: number; gid?: number; name: string } {
  if (process.getuid?.() !== 0) return { name: "self" };
  for (const name of ["postgres", "nobody"]) {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid), name };
  }
  throw new Error("running as root, and neither user postgres nor nobody exists");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(
  file: string,
  args: string[],
  as: { uid?: number; gid?: number },
  cwd: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        uid: as.uid,
        gid: as.gid,
        cwd,
        timeout: timeoutMs,
        env: { PATH: process.env["PATH"] ?? "", LC_ALL: "C" },
      },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`${file} ${args.join(" ")}: ${err.message}\n${stderr}`))
          : resolve(stdout),
    );
  });
}

/**
 * Start a throwaway cluster (about 1-3 s). Throws when it cannot start (the caller turns that
 * into skipOrFail).
 * @example const pgc = await startPostgres(bin.dir); after(() => pgc.stop());
 */
export async function startPostgres(binDir: string): Promise<PostgresCluster> {
  const as = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "teldoc-pg-"));
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
  const data = join(dir, "data");
  const pgCtl = join(binDir, "pg_ctl");
  let started = false;
  const stopNow = () => {
    if (started)
      spawnSync(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], {
        uid: as.uid,
        gid: as.gid,
        cwd: dir,
        timeout: 15_000,
      });
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const unhook = onExit(stopNow);
  try {
    await run(
      join(binDir, "initdb"),
      ["-D", data, "-U", "teldoc", "--auth=trust", "-E", "UTF8", "--no-locale", "-N"],
      as,
      dir,
      60_000,
    );
    const port = await freePort();
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await run(
      pgCtl,
      ["start", "-D", data, "-w", "-t", "30", "-l", join(dir, "log"), "-o", opts],
      as,
      dir,
      40_000,
    );
    started = true;
    return cluster(port, dir, () => {
      unhook();
      stopNow();
    });
  } catch (e) {
    unhook();
    const log = existsSync(join(dir, "log"))
      ? readFileSync(join(dir, "log"), "utf8").slice(-2000)
      : "";
    stopNow();
    throw new Error(
      `PostgreSQL did not start (as ${as.name}): ${(e as Error).message}${log ? `\nlog: ${log}` : ""}`,
    );
  }
}

function cluster(port: number, socketDir: string, stop: () => void): PostgresCluster {
  const host = "127.0.0.1";
  const url = (db = "postgres") => `postgres://teldoc@${host}:${port}/${db}`;
  return {
    host,
    port,
    user: "teldoc",
    url,
    socketUrl: (db = "postgres") =>
      `postgres://teldoc@${encodeURIComponent(socketDir)}:${port}/${db}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      stop();
    },
  };
}
