/**
 * @module Test support: /etc/hosts.deny lines for tcpd and xinetd's libwrap, always removed again.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { HOSTS_DENY, MARK, onExit } from "./base.js";
import { DAEMON_NAME } from "./services.js";

// ---------------------------------------------------------------------------------------------
// /etc/hosts.deny (tcpd, and xinetd's built-in libwrap).

interface DenyRecord {
  added: string;
  createdFile: boolean;
}
const denies = new Map<string, DenyRecord & { forgetExitHook: () => void }>();

export function denyLine(daemonName: string): string {
  return `${daemonName}: ALL ${MARK}\n`;
}

function undenySync(record: DenyRecord): void {
  let current: string;
  try {
    current = readFileSync(HOSTS_DENY, "utf8");
  } catch {
    return;
  }
  const at = current.lastIndexOf(record.added);
  if (at < 0) return;
  const restored = current.slice(0, at) + current.slice(at + record.added.length);
  if (record.createdFile && restored === "") {
    spawnSync("/bin/rm", ["-f", HOSTS_DENY]);
  } else {
    writeFileSync(HOSTS_DENY, restored);
  }
}

/** Append a marked `daemonName: ALL` line to /etc/hosts.deny (undone by undenyTcpd). */
export async function denyWithTcpd(daemonName: string): Promise<void> {
  if (!DAEMON_NAME.test(daemonName)) throw new Error(`bad daemon name: ${daemonName}`);
  if (denies.has(daemonName)) return;
  let original: string | undefined;
  try {
    original = await readFile(HOSTS_DENY, "utf8");
  } catch {
    original = undefined;
  }
  const text = original ?? "";
  const added = (text === "" || text.endsWith("\n") ? "" : "\n") + denyLine(daemonName);
  const record: DenyRecord = { added, createdFile: original === undefined };
  const forgetExitHook = onExit(() => undenySync(record));
  denies.set(daemonName, { ...record, forgetExitHook });
  await writeFile(HOSTS_DENY, text + added);
}

/** Remove exactly what denyWithTcpd(daemonName) added, leaving /etc/hosts.deny as it was. */
export async function undenyTcpd(daemonName: string): Promise<void> {
  const record = denies.get(daemonName);
  if (!record) return;
  denies.delete(daemonName);
  undenySync(record);
  record.forgetExitHook();
}

/** denyWithTcpd for the duration of `fn`, undone even if it throws. */
export async function withTcpdDeny<T>(daemonName: string, fn: () => Promise<T>): Promise<T> {
  await denyWithTcpd(daemonName);
  try {
    return await fn();
  } finally {
    await undenyTcpd(daemonName);
  }
}
