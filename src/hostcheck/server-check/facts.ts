/**
 * @module Everything server-check reads, gathered once: each config source through its reader
 * (under the root), and on the live host (root `/`) the sockets, the processes and the
 * firewall rules. The rules (rules-*.ts) are pure over these facts.
 */
import { basename, dirname } from "node:path";
import { type AccessEntry, parseHostsAccess } from "./hosts-access.js";
import { type InetdEntry, parseInetd } from "./inetd.js";
import {
  type PamLine,
  parseLoginDefs,
  parsePam,
  parseSecuretty,
  parseTmout,
  type Setting,
  type TmoutFacts,
} from "./login-policy.js";
import { parseProcNetTcp, type TcpSocket } from "./proc-net.js";
import { listProcesses, type ProcessInfo } from "./processes.js";
import { type FileRead, TreeReader, type Unreadable } from "./read-tree.js";
import { parseSocketUnit, type SocketUnit } from "./systemd-socket.js";
import type { Parsed, Problem } from "./types.js";
import { parseXinetd, type XinetdBlock } from "./xinetd.js";

/** A file's state for the report: read (with facts), missing, or unreadable. */
export type Source<T> =
  | { readonly state: "read"; readonly file: string; readonly value: T }
  | { readonly state: "missing" | "unreadable"; readonly file: string; readonly reason?: string };

export interface SocketUnitFacts extends SocketUnit {
  /** The enablement link, when one exists (sockets.target.wants). */
  readonly enabledBy?: string;
}

/** The live host: sockets and processes (absent under --root). */
export interface LiveFacts {
  readonly sockets: readonly TcpSocket[];
  readonly processes: readonly ProcessInfo[];
  /** Firewall rule dumps by tool, when the tool exists. */
  readonly firewall: readonly { tool: string; text: string }[];
}

export interface ServerFacts {
  readonly root: string;
  readonly hostsAllow: Source<readonly AccessEntry[]>;
  readonly hostsDeny: Source<readonly AccessEntry[]>;
  /** Files named in client lists (`/etc/telnet.allow`), undefined when unreadable. */
  readonly includes: ReadonlyMap<string, string | undefined>;
  readonly inetd: Source<readonly InetdEntry[]>;
  /** Every xinetd block of every file read (xinetd.conf, its includes, a running -f FILE). */
  readonly xinetd: readonly XinetdBlock[];
  readonly xinetdFiles: readonly string[];
  readonly socketUnits: readonly SocketUnitFacts[];
  readonly loginDefs: Source<ReadonlyMap<string, Setting<string>>>;
  readonly tmout: readonly { file: string; facts: TmoutFacts }[];
  /** The login PAM stack with its @includes expanded, in order. */
  readonly pamLogin: Source<readonly PamLine[]>;
  readonly securetty: Source<readonly string[]>;
  readonly nologin: readonly { file: string; text: string }[];
  readonly live?: LiveFacts;
  readonly unreadable: readonly Unreadable[];
  readonly problems: readonly Problem[];
}

type Reader<T> = (text: string, file: string) => Parsed<T>;

/** Read one file through its reader; problems are collected. */
async function source<T>(
  t: TreeReader,
  file: string,
  reader: Reader<T>,
  problems: Problem[],
): Promise<Source<T>> {
  const r: FileRead = await t.read(file);
  if (r.kind === "missing") return { state: "missing", file };
  if (r.kind === "unreadable") return { state: "unreadable", file, reason: r.reason };
  const parsed = reader(r.text, file);
  problems.push(...parsed.problems);
  return { state: "read", file, value: parsed.value };
}

const valueOr = <T>(s: Source<T>, fallback: T): T => (s.state === "read" ? s.value : fallback);

/** xinetd.conf, the files a running xinetd was given with -f, and what they include. */
async function readXinetd(t: TreeReader, extra: readonly string[], problems: Problem[]) {
  const blocks: XinetdBlock[] = [];
  const seen = new Set<string>();
  const queue = ["/etc/xinetd.conf", ...extra];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const s = await source(t, file, parseXinetd, problems);
    if (s.state !== "read") continue;
    blocks.push(...s.value.blocks);
    for (const inc of s.value.includes) {
      if (inc.kind === "file") queue.push(inc.path);
      else
        for (const name of await t.list(inc.path))
          if (!/[.~]/.test(name)) queue.push(`${inc.path}/${name}`);
    }
  }
  return { blocks, files: [...seen] };
}

/** telnet.socket wherever systemd keeps units, and whether it is enabled. */
async function readSocketUnits(t: TreeReader, problems: Problem[]): Promise<SocketUnitFacts[]> {
  const out: SocketUnitFacts[] = [];
  for (const dir of ["/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"]) {
    for (const name of await t.list(dir)) {
      if (!/^telnet.*\.socket$/.test(name)) continue;
      const s = await source(t, `${dir}/${name}`, parseSocketUnit, problems);
      if (s.state !== "read" || out.some((u) => basename(u.file) === name)) continue;
      const link = `/etc/systemd/system/sockets.target.wants/${name}`;
      out.push({ ...s.value, ...((await t.exists(link)) ? { enabledBy: link } : {}) });
    }
  }
  return out;
}

/** TMOUT in the files bash reads for a login shell, in the order they run. */
async function readTmout(t: TreeReader, problems: Problem[]) {
  const files = [
    "/etc/profile",
    "/etc/bash.bashrc",
    ...(await t.list("/etc/profile.d"))
      .filter((n) => n.endsWith(".sh"))
      .map((n) => `/etc/profile.d/${n}`),
  ];
  const out: { file: string; facts: TmoutFacts }[] = [];
  for (const file of files) {
    const s = await source(t, file, parseTmout, problems);
    if (s.state === "read" && (s.value.set || s.value.readonly)) out.push({ file, facts: s.value });
  }
  return out;
}

/** /etc/pam.d/login with its @includes expanded in place. */
async function readPam(t: TreeReader, problems: Problem[]): Promise<Source<readonly PamLine[]>> {
  const top = await source(t, "/etc/pam.d/login", parsePam, problems);
  if (top.state !== "read") return top;
  const lines: PamLine[] = [];
  const expand = async (
    v: { lines: readonly PamLine[]; includes: readonly { name: string; line: number }[] },
    depth: number,
  ) => {
    const all = [
      ...v.lines.map((l) => ({ at: l.line, l })),
      ...v.includes.map((i) => ({ at: i.line, i })),
    ];
    for (const x of all.sort((a, b) => a.at - b.at)) {
      if ("l" in x) lines.push(x.l);
      else if (depth < 5) {
        const inc = await source(t, `/etc/pam.d/${x.i.name}`, parsePam, problems);
        if (inc.state === "read") await expand(inc.value, depth + 1);
      }
    }
  };
  await expand(top.value, 0);
  return { state: "read", file: top.file, value: lines };
}

/** Files named in client lists, read under the root. */
async function readIncludes(t: TreeReader, entries: readonly AccessEntry[]) {
  const out = new Map<string, string | undefined>();
  for (const e of entries) {
    if (e.kind !== "rule") continue;
    for (const w of e.clients.split(/[\s,]+/))
      if (w.startsWith("/") && !out.has(w)) {
        const r = await t.read(w);
        out.set(w, r.kind === "text" ? r.text : undefined);
      }
  }
  return out;
}

/** The live host's sockets, processes and firewall dumps. */
async function readLive(
  t: TreeReader,
  problems: Problem[],
  firewall: () => Promise<LiveFacts["firewall"]>,
): Promise<LiveFacts> {
  const tcp = await source(t, "/proc/net/tcp", parseProcNetTcp, problems);
  const tcp6 = await source(t, "/proc/net/tcp6", parseProcNetTcp, problems);
  return {
    sockets: [...valueOr(tcp, []), ...valueOr(tcp6, [])],
    processes: await listProcesses(),
    firewall: await firewall(),
  };
}

/** The files a running xinetd reads instead of /etc/xinetd.conf (`xinetd -f FILE`). */
function xinetdArgFiles(live: LiveFacts | undefined): string[] {
  return (live?.processes ?? [])
    .filter((p) => p.comm === "xinetd")
    .flatMap((p) => {
      const i = p.argv.indexOf("-f");
      return i >= 0 && p.argv[i + 1] ? [p.argv[i + 1]!] : [];
    });
}

/**
 * Read everything server-check looks at. `root` "/" means the live host (sockets, processes
 * and `firewall()` are read too); another root is a copied configuration tree.
 */
export async function gatherFacts(
  root: string,
  firewall: () => Promise<LiveFacts["firewall"]> = async () => [],
): Promise<ServerFacts> {
  const t = new TreeReader(root);
  const problems: Problem[] = [];
  const live = root === "/" ? await readLive(t, problems, firewall) : undefined;
  const hostsAllow = await source(t, "/etc/hosts.allow", parseHostsAccess, problems);
  const hostsDeny = await source(t, "/etc/hosts.deny", parseHostsAccess, problems);
  const xinetd = await readXinetd(t, xinetdArgFiles(live), problems);
  const nologin: { file: string; text: string }[] = [];
  for (const file of ["/etc/nologin", "/run/nologin", "/var/run/nologin"]) {
    const r = await t.read(file);
    if (r.kind === "text") nologin.push({ file, text: r.text });
  }
  return {
    root,
    hostsAllow,
    hostsDeny,
    includes: await readIncludes(t, [...valueOr(hostsAllow, []), ...valueOr(hostsDeny, [])]),
    inetd: await source(t, "/etc/inetd.conf", parseInetd, problems),
    xinetd: xinetd.blocks,
    xinetdFiles: xinetd.files.filter((f) => dirname(f) !== ""),
    socketUnits: await readSocketUnits(t, problems),
    loginDefs: await source(t, "/etc/login.defs", parseLoginDefs, problems),
    tmout: await readTmout(t, problems),
    pamLogin: await readPam(t, problems),
    securetty: await source(t, "/etc/securetty", parseSecuretty, problems),
    nologin,
    ...(live ? { live } : {}),
    unreadable: t.unreadable,
    problems,
  };
}
