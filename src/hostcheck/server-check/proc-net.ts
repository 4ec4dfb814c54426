/**
 * @module Reader of /proc/net/tcp and /proc/net/tcp6 (proc(5)): one socket a line, addresses
 * in the kernel's hex (each 32-bit word in host byte order, little-endian here), the state
 * (0A = LISTEN, 01 = ESTABLISHED), the owning uid and the socket's inode. Pure.
 */
import { parseAddress } from "./address.js";
import type { Parsed, Problem } from "./types.js";

export interface TcpSocket {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** LISTEN, ESTABLISHED, ... (the state's name; the hex code when unknown). */
  readonly state: string;
  readonly uid: number;
  readonly inode: string;
}

const STATES: Readonly<Record<string, string>> = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
  "0C": "NEW_SYN_RECV",
};

/** One little-endian 32-bit word of hex as 4 bytes in network order. */
function word(hex: string): number[] {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}

/** The kernel's hex address as text: dotted quad, or IPv6 (v4-mapped shown as IPv4). */
export function hexAddress(hex: string): string | undefined {
  if (/^[0-9A-Fa-f]{8}$/.test(hex)) return word(hex).join(".");
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes = [0, 8, 16, 24].flatMap((i) => word(hex.slice(i, i + 8)));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return parseAddress(groups.join(":"))?.text;
}

/**
 * The sockets of a /proc/net/tcp or tcp6 file.
 * @example parseProcNetTcp(text, "/proc/net/tcp").value.filter((s) => s.state === "LISTEN")
 */
export function parseProcNetTcp(text: string, file: string): Parsed<readonly TcpSocket[]> {
  const sockets: TcpSocket[] = [];
  const problems: Problem[] = [];
  text.split("\n").forEach((raw, i) => {
    const f = raw.trim().split(/\s+/);
    if (i === 0 || f.length < 10) return;
    const [, local = "", remote = "", st = "", , , , uid = "", , inode = ""] = f;
    const [la = "", lp = ""] = local.split(":");
    const [ra = "", rp = ""] = remote.split(":");
    const localAddress = hexAddress(la);
    const remoteAddress = hexAddress(ra);
    if (localAddress === undefined || remoteAddress === undefined) {
      problems.push({ file, line: i + 1, message: `not a socket line: ${raw.trim()}` });
      return;
    }
    sockets.push({
      localAddress,
      localPort: Number.parseInt(lp, 16),
      remoteAddress,
      remotePort: Number.parseInt(rp, 16),
      state: STATES[st.toUpperCase()] ?? st,
      uid: Number(uid),
      inode,
    });
  });
  return { value: sockets, problems };
}
