/**
 * @module telnetd's lines about a session's end. inetutils telnetd (Debian's telnetd, measured
 * in logs.e2e.test.ts): `telnetd:  peer died` when the client went away (FIN or RST alike),
 * `child process 4711 exited: 0` when login (its child) ended. netkit and the BSDs (utility.c
 * ttloop()): `ttloop:  peer died: EOF`, `ttloop:  read: Connection reset by peer`;
 * `telnetd: read: Connection timed out` and the like from fatalperror().
 */
import type { LogEvent } from "../types.js";

const PEER_DIED = /peer died:?\s*(.*)$/;
const READ_ERROR = /\bread:\s*(.+?)\s*$/;
const CHILD = /child process (\d+) exited: (-?\d+)/;
const KNOWN =
  /^(?:telnetd: )?(?:getpeername|all network ports in use|Out of ptys|ttloop|setsockopt|.*: No such file|.*unknown option)/i;

/**
 * A telnetd message → its event; null for known lines that say nothing about a session's end.
 * @example parseTelnetd("ttloop:  peer died: EOF") // { kind: "telnetd-peer-died", detail: "EOF" }
 */
export function parseTelnetd(message: string): LogEvent | null | undefined {
  const died = PEER_DIED.exec(message);
  if (died) return { kind: "telnetd-peer-died", detail: died[1]!.trim() };
  const read = READ_ERROR.exec(message);
  if (read) return { kind: "telnetd-read-error", error: read[1]! };
  if (/Connection reset by peer|Connection timed out|No route to host|Broken pipe/.test(message))
    return { kind: "telnetd-read-error", error: message.replace(/^[\w.]+:\s*/, "") };
  const child = CHILD.exec(message);
  if (child)
    return { kind: "telnetd-child-exit", child: Number(child[1]), status: Number(child[2]) };
  return KNOWN.test(message) ? { kind: "telnetd-other", detail: message } : undefined;
}
