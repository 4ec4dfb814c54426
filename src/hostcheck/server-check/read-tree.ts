/**
 * @module The I/O under server-check: files read under a root (`/` or --root DIR) by their path
 * on the server, each read reported as text, missing, or unreadable (with the reason: a
 * permission is never guessed around). Read-only: nothing is ever written.
 */
import { lstat, readdir, readFile, readlink, stat } from "node:fs/promises";
import { join } from "node:path";

export type FileRead =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "missing" }
  | { readonly kind: "unreadable"; readonly reason: string };

/** A path that could not be read, and why. */
export interface Unreadable {
  readonly path: string;
  readonly reason: string;
}

/** Reads server paths under a root and remembers what it could not read. */
export class TreeReader {
  readonly unreadable: Unreadable[] = [];

  constructor(readonly root: string) {}

  /** The local path of a server path. */
  local(path: string): string {
    return this.root === "/" ? path : join(this.root, path);
  }

  private fail(path: string, err: unknown): FileRead {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    const reason =
      code === "EACCES" || code === "EPERM" ? "permission denied" : code || String(err);
    this.unreadable.push({ path, reason });
    return { kind: "unreadable", reason };
  }

  /** A file's text. */
  async read(path: string): Promise<FileRead> {
    try {
      return { kind: "text", text: await readFile(this.local(path), "utf8") };
    } catch (err) {
      return this.fail(path, err);
    }
  }

  /** A folder's entries, sorted (none when it is missing or unreadable). */
  async list(path: string): Promise<string[]> {
    try {
      return (await readdir(this.local(path))).sort();
    } catch (err) {
      this.fail(path, err);
      return [];
    }
  }

  /** Whether a path exists (a dangling symlink counts: systemd's enablement links). */
  async exists(path: string): Promise<boolean> {
    try {
      await lstat(this.local(path));
      return true;
    } catch {
      return false;
    }
  }

  /** Whether a path is a directory. */
  async isDir(path: string): Promise<boolean> {
    return stat(this.local(path)).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  /** A symlink's target, undefined when it is none. */
  async link(path: string): Promise<string | undefined> {
    return readlink(this.local(path)).catch(() => undefined);
  }
}
