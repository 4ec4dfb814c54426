/** @module Test support: a builder for realistic traces (telnetd negotiation, prompts, closes) with explicit times. */
import type { TraceEvent } from "../../trace/events.js";

/** A trace event without its time; the builder stamps it. */
export type Unstamped<E = TraceEvent> = E extends TraceEvent ? Omit<E, "t"> : never;

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");

/**
 * Builds a trace step by step; `wait(ms)` moves the clock.
 * @example trace().resolve().connect().negotiate().in("login: ").wait(60_000).fin().events
 */
export class TraceBuilder {
  t = 0;
  readonly events: TraceEvent[] = [];
  host = "host.example";
  address = "192.0.2.7";
  port = 23;

  /** Move the clock forward. */
  wait(ms: number): this {
    this.t = Math.round((this.t + ms) * 1000) / 1000;
    return this;
  }

  push(e: Unstamped): this {
    this.events.push({ t: this.t, ...e } as TraceEvent);
    return this;
  }

  resolve(host = this.host, address = this.address, ms = 1.2): this {
    this.host = host;
    this.address = address;
    this.push({ type: "resolving", host }).wait(ms);
    const family = address.includes(":") ? 6 : 4;
    return this.push({ type: "resolved", host, addresses: [{ address, family }], durationMs: ms });
  }

  connect(ms = 0.8, port = this.port): this {
    this.port = port;
    const family = this.address.includes(":") ? 6 : 4;
    this.push({ type: "connecting", address: this.address, family, port, attempt: 1 }).wait(ms);
    return this.push({
      type: "connected",
      local: { address: family === 6 ? "::1" : "192.0.2.1", port: 51234 },
      remote: { address: this.address, port },
      family,
      durationMs: ms,
    });
  }

  option(
    dir: "in" | "out",
    verb: "WILL" | "WONT" | "DO" | "DONT",
    option: string,
    code: number,
  ): this {
    return this.push({ type: "option", dir, verb, option, code });
  }

  /** What inetutils telnetd and our client exchange in the first few milliseconds. */
  negotiate(): this {
    this.wait(1.5)
      .option("in", "DO", "TERMINAL-TYPE", 24)
      .option("out", "WILL", "TERMINAL-TYPE", 24)
      .option("in", "DO", "TSPEED", 32)
      .option("out", "WONT", "TSPEED", 32)
      .option("in", "DO", "NAWS", 31)
      .option("out", "WILL", "NAWS", 31)
      .push({ type: "subneg", dir: "out", option: "NAWS", code: 31, text: "80x24", bytes: 4 })
      .wait(0.6)
      .push({
        type: "subneg",
        dir: "in",
        option: "TERMINAL-TYPE",
        code: 24,
        text: "SEND",
        bytes: 1,
      })
      .push({
        type: "subneg",
        dir: "out",
        option: "TERMINAL-TYPE",
        code: 24,
        text: "IS xterm",
        bytes: 6,
      })
      .wait(1.1)
      .option("in", "WILL", "SUPPRESS-GO-AHEAD", 3)
      .option("out", "DO", "SUPPRESS-GO-AHEAD", 3)
      .option("in", "DO", "ECHO", 1)
      .option("out", "WONT", "ECHO", 1)
      .option("in", "WILL", "ECHO", 1)
      .option("out", "DO", "ECHO", 1);
    return this.wait(2);
  }

  /** Server text (with a `read` of its bytes when `raw`). */
  in(text: string, raw = false): this {
    if (raw) this.push({ type: "read", bytes: text.length, hex: hex(text) });
    return this.push({ type: "data", dir: "in", text });
  }

  out(text: string): this {
    return this.push({ type: "data", dir: "out", text });
  }

  /** A masked password, as the session records it. */
  password(): this {
    return this.push({ type: "data", dir: "out", text: "********", masked: true });
  }

  /** Typed one key at a time, each echoed by the server. */
  type(line: string, gapMs = 120): this {
    for (const c of line) this.out(c).wait(1).in(c).wait(gapMs);
    return this.out("\r").wait(1).in("\r\n");
  }

  fin(): this {
    return this.push({ type: "fin" });
  }

  socketError(code: string, message = `read ${code}`): this {
    return this.push({ type: "socket-error", code, message });
  }

  closed(
    by: "remote" | "local",
    transport: Extract<TraceEvent, { type: "closed" }>["transport"],
  ): this {
    return this.push({ type: "closed", by, transport });
  }

  /** The server's FIN and the socket closing. */
  serverCloses(): this {
    return this.fin().wait(0.4).closed("remote", "fin");
  }

  /** The usual Debian login up to the shell prompt; `motd` is printed before the prompt. */
  login(user = "alice", motd = ""): this {
    this.in("\r\nDebian GNU/Linux 12\r\nhost login: ").wait(3200).out(`${user}\r\n`).wait(4);
    this.in(`${user}\r\n`).wait(2).in("Password: ").wait(900).password().wait(180);
    this.in("\r\nLinux host 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64\r\n");
    this.wait(40).in("Last login: Mon Mar  4 09:12:01 from 192.0.2.1\r\n");
    if (motd !== "") this.wait(10).in(`\r\n${motd.replaceAll(/\r?\n/g, "\r\n")}\r\n\r\n`);
    return this.wait(30).in("alice@host:~$ ");
  }
}

/** A new trace builder. */
export function trace(): TraceBuilder {
  return new TraceBuilder();
}
