/**
 * @module One server-side session while its lines are being gathered: who, which pids, its
 * lines (bounded: the first ones and the last ones are kept, the middle counted), and the
 * facts the rules read once it is over.
 */
import { normalizeAddress } from "./address.js";
import type { SessionFacts, SessionLine } from "./types.js";

/** Lines kept from a session's start, and from its end. */
const HEAD_LINES = 30;
const TAIL_LINES = 10;

export class OpenSession {
  protocol: "telnet" | "ssh";
  service: string | undefined;
  /** The process that carried the connection: xinetd's child, tcpd/telnetd, sshd. */
  pid: number | undefined;
  /** login's pid (a child of telnetd), once known. */
  loginPid: number | undefined;
  client: string | undefined;
  user: string | undefined;
  readonly start: number;
  last: number;
  /** True once a line says the session is over (xinetd EXIT, a refusal, a closing line). */
  ended = false;
  /** True when it was refused (xinetd FAIL, tcpd): no login belongs to it. */
  refused = false;
  /** True when telnetd logged that the client went away (its own end; xinetd's EXIT follows). */
  carrierDone = false;
  /** True when xinetd started it: its EXIT line will close it. */
  xinetd = false;
  /** True while it waits for the process that serves it (inetd logged the connection). */
  awaitingChild = false;
  private readonly head: SessionLine[] = [];
  private tail: SessionLine[] = [];
  private dropped = 0;

  constructor(protocol: "telnet" | "ssh", start: number) {
    this.protocol = protocol;
    this.start = start;
    this.last = start;
  }

  /** Add a line (in time order); the client is set from the first line that names one. */
  add(line: SessionLine, client?: string): void {
    if (client !== undefined && this.client === undefined) this.client = normalizeAddress(client);
    if (line.time > this.last) this.last = line.time;
    if (this.head.length < HEAD_LINES) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) {
      this.tail.shift();
      this.dropped++;
    }
  }

  /** Every line kept, in order. */
  lines(): SessionLine[] {
    return [...this.head, ...this.tail];
  }

  /** Take out the lines `pick` chooses (login's, moved to the session they belong to). */
  take(pick: (l: SessionLine) => boolean): SessionLine[] {
    const out = this.lines().filter(pick);
    const keep = this.lines().filter((l) => !pick(l));
    this.head.length = 0;
    this.head.push(...keep.slice(0, HEAD_LINES));
    this.tail = keep.slice(HEAD_LINES);
    return out;
  }

  /** True when it has no line of its own left. */
  empty(): boolean {
    return this.head.length === 0;
  }

  facts(): SessionFacts {
    const lines = this.lines().sort((a, b) => a.time - b.time);
    return {
      client: this.client,
      protocol: this.protocol,
      service: this.service,
      pid: this.pid,
      user: this.user,
      start: Math.min(this.start, lines[0]?.time ?? this.start),
      end: this.last,
      ended: this.ended,
      lines,
      droppedLines: this.dropped,
    };
  }
}
