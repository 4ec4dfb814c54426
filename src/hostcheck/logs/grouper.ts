/**
 * @module Lines → sessions, streaming. A Telnet session under xinetd is a chain of processes:
 * xinetd logs `START: svc pid=N from=ADDR`; N is tcpd or telnetd (tcpd execs telnetd in the same
 * process); telnetd forks login (another pid), which logs the login and PAM lines; telnetd logs
 * `child process L exited`; xinetd logs `EXIT: svc ... pid=N`. Lines join a session by pid;
 * login's lines by its pid once telnetd names it, and before that by time: the oldest session of
 * that client still without a login (see `adoptLogin`). A session is handed on (`emit`) a grace
 * period after its end was seen (late lines of the same second), or when nothing was heard of
 * it for the horizon; at most `maxOpen` are held, so memory stays bounded on any log.
 */
import { sameClient } from "./address.js";
import { OpenSession } from "./session-state.js";
import type { LogEvent, SessionFacts, SessionLine } from "./types.js";

export interface GrouperOptions {
  /** Log time a session is held after its end was seen, for late lines (default 2 s). */
  readonly graceMs?: number;
  /** A session with no line for this long (log time) is handed on as unfinished (default 6 h). */
  readonly horizonMs?: number;
  /** Sessions held at most; beyond, the oldest is handed on (default 100 000). */
  readonly maxOpen?: number;
}

const FAIL_JOINS_START_MS = 2_000;
/**
 * The refusals xinetd decides in the child it forked (after logging START: address, libwrap);
 * the limits (service_limit, per_source_limit, cps, load) are decided before, with no START.
 */
const CHILD_CHECKS = new Set(["address", "libwrap"]);
const LOGIN_LINK_MS = 600_000;
const TELNETD = new Set(["telnetd", "in.telnetd", "telnetlogin", "in.telnetd-ssl", "utelnetd"]);

/** Where a login line says it came from. */
function hostOf(e: LogEvent): string | undefined {
  if ("from" in e) return e.from;
  if (e.kind === "pam-auth-failure") return e.rhost;
  return undefined;
}

export class SessionGrouper {
  private readonly graceMs: number;
  private readonly horizonMs: number;
  private readonly maxOpen: number;
  /** Every session not yet handed on, oldest first. */
  private readonly open = new Set<OpenSession>();
  private readonly byPid = new Map<number, OpenSession>();
  private readonly byLoginPid = new Map<number, OpenSession>();
  private readonly closing: OpenSession[] = [];
  /** The sessions xinetd started last (a FAIL line joins its START). */
  private recentStarts: OpenSession[] = [];
  private now = Number.NEGATIVE_INFINITY;
  private sinceSweep = 0;

  constructor(
    private readonly emit: (s: SessionFacts) => void,
    options: GrouperOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 2_000;
    this.horizonMs = options.horizonMs ?? 6 * 3_600_000;
    this.maxOpen = options.maxOpen ?? 100_000;
  }

  /** Add one parsed line (lines come in time order, give or take the same second). */
  add(line: SessionLine): void {
    if (line.time > this.now) this.now = line.time;
    this.route(line);
    this.settle();
  }

  /** The log is over: hand on every session still held. */
  flush(): void {
    for (const s of [...this.open]) this.finish(s);
  }

  private route(line: SessionLine): void {
    const e = line.event;
    if (e.kind.startsWith("xinetd-")) this.xinetd(line);
    else if (e.kind.startsWith("inetd-")) this.inetd(line);
    else if (line.program === "sshd" || line.program === "sshd-session") this.sshd(line);
    else if (TELNETD.has(line.program) || e.kind.startsWith("tcpd-")) this.carrier(line);
    else this.login(line);
  }

  private create(protocol: "telnet" | "ssh", line: SessionLine, pid?: number): OpenSession {
    const s = new OpenSession(protocol, line.time);
    if (pid !== undefined) {
      const stale = this.byPid.get(pid);
      if (stale) this.finish(stale);
      s.pid = pid;
      this.byPid.set(pid, s);
    }
    this.open.add(s);
    if (this.open.size > this.maxOpen) this.finish(this.open.values().next().value!);
    return s;
  }

  private close(s: OpenSession): void {
    if (s.ended) return;
    s.ended = true;
    this.closing.push(s);
  }

  private xinetd(line: SessionLine): void {
    const e = line.event;
    if (e.kind === "xinetd-start") {
      const s = this.create("telnet", line, e.pid);
      s.service = e.service;
      s.xinetd = true;
      s.add(line, e.from);
      this.recentStarts.push(s);
      if (this.recentStarts.length > 64) this.recentStarts = this.recentStarts.slice(-32);
    } else if (e.kind === "xinetd-exit") {
      const s = this.byPid.get(e.pid) ?? this.create("telnet", line, e.pid);
      s.service ??= e.service;
      s.xinetd = true;
      s.add(line);
      this.close(s);
    } else if (e.kind === "xinetd-fail") {
      const own = line.pid === undefined ? undefined : this.byPid.get(line.pid);
      const s = own?.xinetd
        ? own
        : CHILD_CHECKS.has(e.reason)
          ? this.freshStart(e.service, e.from, line.time)
          : undefined;
      if (s) {
        s.refused = true;
        s.add(line);
        return;
      }
      const refused = this.create("telnet", line);
      refused.service = e.service;
      refused.refused = true;
      refused.add(line, e.from);
      this.close(refused);
    }
  }

  /** The session xinetd just started for this service and client (its FAIL follows its START). */
  private freshStart(service: string, from: string | undefined, time: number) {
    for (let i = this.recentStarts.length - 1; i >= 0; i--) {
      const s = this.recentStarts[i]!;
      if (time - s.start > FAIL_JOINS_START_MS) break;
      if (s.ended || s.service !== service || s.lines().length !== 1) continue;
      if (from === undefined || sameClient(s.client, from)) return s;
    }
    return undefined;
  }

  private inetd(line: SessionLine): void {
    const e = line.event;
    if (e.kind !== "inetd-connection" && e.kind !== "inetd-rate-limit") return;
    const s = this.create("telnet", line);
    s.service = e.service;
    s.add(line, e.from);
    if (e.kind === "inetd-connection") s.awaitingChild = true;
    else this.close(s);
  }

  /** tcpd and telnetd: the process that carries the connection. */
  private carrier(line: SessionLine): void {
    const e = line.event;
    const pid = line.pid;
    let s = pid === undefined ? undefined : this.byPid.get(pid);
    if (!s) s = this.adoptChild(line) ?? this.create("telnet", line, pid);
    s.add(line, "from" in e ? e.from : undefined);
    if (e.kind === "telnetd-child-exit") this.linkLogin(s, e.child);
    if (e.kind === "tcpd-refused") s.refused = true;
    if (e.kind === "telnetd-peer-died" || e.kind === "telnetd-read-error") s.carrierDone = true;
    const last = ["telnetd-peer-died", "telnetd-read-error", "telnetd-child-exit"].includes(e.kind);
    if (!s.xinetd && (last || e.kind === "tcpd-refused")) this.close(s);
  }

  /**
   * A telnetd whose connection inetd logged (inetd logs under its own pid, and telnetd may speak
   * only at the end): the oldest connection still waiting for its process.
   */
  private adoptChild(line: SessionLine): OpenSession | undefined {
    for (const s of this.open) {
      if (!s.awaitingChild || line.time - s.start > this.horizonMs) continue;
      s.awaitingChild = false;
      s.pid = line.pid;
      if (line.pid !== undefined) this.byPid.set(line.pid, s);
      return s;
    }
    return undefined;
  }

  /** telnetd named its child: login `child`'s lines belong to `s`. */
  private linkLogin(s: OpenSession, child: number): void {
    const other = this.byLoginPid.get(child);
    if (other && other !== s) {
      for (const l of other.take((l) => l.pid === child && !TELNETD.has(l.program))) s.add(l);
      if (other.loginPid === child) {
        other.loginPid = undefined;
        s.user ??= other.user;
        other.user = undefined;
      }
      if (other.empty()) this.drop(other);
    }
    s.loginPid = child;
    this.byLoginPid.set(child, s);
  }

  private login(line: SessionLine): void {
    const pid = line.pid;
    const host = hostOf(line.event);
    let s = pid === undefined ? undefined : this.byLoginPid.get(pid);
    if (!s) s = this.adoptLogin(host, line.time);
    if (!s) s = this.create("telnet", line);
    if (pid !== undefined && s.loginPid === undefined) {
      s.loginPid = pid;
      this.byLoginPid.set(pid, s);
    }
    s.add(line, host);
    const e = line.event;
    if ("user" in e && e.user !== undefined) s.user ??= e.user;
    if (!s.xinetd && s.pid === undefined && this.endsLogin(e)) this.close(s);
  }

  private endsLogin(e: LogEvent): boolean {
    return ["login-too-many", "login-timeout", "pam-session-close", "login-root-refused"].includes(
      e.kind,
    );
  }

  /**
   * The session a login line belongs to when its pid is not known yet: the oldest open Telnet
   * session without a login, started before the line and not over before it, of the same client
   * when the line names an address (login writes names too: `localhost`; a name matches any).
   */
  private adoptLogin(host: string | undefined, time: number): OpenSession | undefined {
    const addr = host !== undefined && /^[0-9a-f.:[\]]+$/i.test(host) ? host : undefined;
    // A session still running is likelier its owner than one whose end was already logged.
    return this.loginOwner(addr, time, false) ?? this.loginOwner(addr, time, true);
  }

  private loginOwner(addr: string | undefined, time: number, ended: boolean) {
    for (const s of this.open) {
      if ((s.ended || s.carrierDone) !== ended) continue;
      // An ended session still in its grace period may get its login's last lines.
      if (s.refused || s.protocol !== "telnet" || s.loginPid !== undefined) continue;
      if (s.pid === undefined && !s.awaitingChild) continue;
      if (s.start > time || time - s.start > LOGIN_LINK_MS) continue;
      // An ended session takes only lines of its last second (a merge puts them after its end).
      if ((s.ended || s.carrierDone) && time > s.last) continue;
      if (addr !== undefined && s.client !== undefined && !sameClient(s.client, addr)) continue;
      return s;
    }
    return undefined;
  }

  private sshd(line: SessionLine): void {
    const e = line.event;
    const pid = line.pid;
    let s = pid === undefined ? undefined : this.byPid.get(pid);
    if (s?.protocol !== "ssh") s = this.create("ssh", line, pid);
    s.add(line, "from" in e ? e.from : undefined);
    if ("user" in e && e.user !== undefined) s.user ??= e.user;
    if (e.kind === "ssh-closed" || e.kind === "ssh-timeout") this.close(s);
  }

  /** Hand on what is over: ended past the grace period, silent past the horizon. */
  private settle(): void {
    while (this.closing.length > 0 && this.now - this.closing[0]!.last > this.graceMs)
      this.finish(this.closing.shift()!);
    if (++this.sinceSweep < 4096) return;
    this.sinceSweep = 0;
    for (const s of this.open) if (!s.ended && this.now - s.last > this.horizonMs) this.finish(s);
  }

  private drop(s: OpenSession): void {
    this.open.delete(s);
    if (s.pid !== undefined && this.byPid.get(s.pid) === s) this.byPid.delete(s.pid);
    if (s.loginPid !== undefined && this.byLoginPid.get(s.loginPid) === s)
      this.byLoginPid.delete(s.loginPid);
  }

  private finish(s: OpenSession): void {
    if (!this.open.has(s)) return;
    this.drop(s);
    if (!s.empty()) this.emit(s.facts());
  }
}
