/**
 * @module Kernel counters read as evidence (Linux). TcpExt TCPRetransFail counts TCP
 * retransmissions the kernel failed to send; a SYN retransmission dropped by this machine's
 * own netfilter OUTPUT rule fails with EPERM and counts, a SYN lost on the path does not. That
 * tells a local firewall from a filtered port when both look like a connect timeout.
 */
import { readFile } from "node:fs/promises";

/** The namespace's TCPRetransFail counter, or undefined where /proc/net/netstat is missing. */
export async function readTcpRetransFail(): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile("/proc/net/netstat", "utf8");
  } catch {
    return undefined;
  }
  return netstatValue(text, "TcpExt:", "TCPRetransFail");
}

/** A value from /proc/net/netstat's header/value line pairs. */
function netstatValue(text: string, prefix: string, name: string): number | undefined {
  const lines = text.split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith(prefix) || !lines[i + 1].startsWith(prefix)) continue;
    const names = lines[i].trim().split(/\s+/);
    const values = lines[i + 1].trim().split(/\s+/);
    const at = names.indexOf(name);
    if (at > 0) return Number(values[at]);
  }
  return undefined;
}

/** The last read of the counter, shared by every dial in this process. */
let lastRead: { at: number; value: Promise<number | undefined> } | undefined;

/**
 * The counter as it was at most `maxAgeMs` ago on `clock`, read again only when older: a dial
 * needs a value from before its SYN, and the counter only grows, so an earlier value serves.
 * Dials at once (a monitor's burst) then share one read of /proc instead of one each.
 */
export function readTcpRetransFailBefore(
  clock: { now(): number },
  maxAgeMs = 1000,
): Promise<number | undefined> {
  const now = clock.now();
  if (!lastRead || now - lastRead.at > maxAgeMs || now < lastRead.at)
    lastRead = { at: now, value: readTcpRetransFail() };
  return lastRead.value;
}
