/**
 * @module Reader of a systemd socket unit (systemd.socket(5)) such as Fedora's and Debian's
 * `telnet.socket`: `[Socket]` `ListenStream=` (a port, `ADDR:PORT`, `[V6]:PORT`), `Accept=`,
 * `MaxConnections=`, `MaxConnectionsPerSource=`. Pure: (text, file) → what it listens on.
 */
import type { Parsed, Problem } from "./types.js";

export interface SocketUnit {
  readonly file: string;
  /** Ports from ListenStream=, each with its line. */
  readonly listen: readonly { port: number; address?: string; line: number }[];
  readonly accept?: boolean;
  readonly maxConnections?: { value: number; line: number };
  readonly maxPerSource?: { value: number; line: number };
}

function listenOf(value: string): { port: number; address?: string } | undefined {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(value.trim());
  if (!m?.[2]) return undefined;
  return { port: Number(m[2]), ...(m[1] ? { address: m[1].replace(/^\[|\]$/g, "") } : {}) };
}

/**
 * What a socket unit listens on.
 * @example parseSocketUnit("[Socket]\nListenStream=23\nAccept=yes\n", "telnet.socket").value.listen[0]?.port // 23
 */
export function parseSocketUnit(text: string, file: string): Parsed<SocketUnit> {
  const problems: Problem[] = [];
  const listen: { port: number; address?: string; line: number }[] = [];
  let section = "";
  let accept: boolean | undefined;
  let maxConnections: SocketUnit["maxConnections"];
  let maxPerSource: SocketUnit["maxPerSource"];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    const line = i + 1;
    if (l === "" || l.startsWith("#") || l.startsWith(";")) return;
    const s = /^\[(.+)\]$/.exec(l);
    if (s?.[1]) {
      section = s[1];
      return;
    }
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(l);
    if (!kv?.[1]) {
      problems.push({ file, line, message: `not a key=value line: ${l}` });
      return;
    }
    if (section !== "Socket") return;
    const [, key, value = ""] = kv;
    if (key === "ListenStream") {
      const at = listenOf(value);
      if (at) listen.push({ ...at, line });
      else problems.push({ file, line, message: `ListenStream=${value}: no port teldoc can read` });
    } else if (key === "Accept") accept = /^(yes|true|1|on)$/i.test(value.trim());
    else if (key === "MaxConnections") maxConnections = { value: Number(value), line };
    else if (key === "MaxConnectionsPerSource") maxPerSource = { value: Number(value), line };
  });
  return {
    value: {
      file,
      listen,
      ...(accept !== undefined ? { accept } : {}),
      ...(maxConnections ? { maxConnections } : {}),
      ...(maxPerSource ? { maxPerSource } : {}),
    },
    problems,
  };
}
