/**
 * @module The lab server: one scenario on one port, every connection logged (who, when, what
 * the scenario did). Survives bursts and garbage: each session is independent, errors are
 * contained, and the number of open sessions is capped.
 */
import type { Server } from "node:net";
import type { Clock } from "../session/clock.js";
import { createServer } from "../session/create-server.js";
import type { ServerSession } from "../session/server-session.js";
import { LAB_DEFAULTS } from "./config.js";
import { SCENARIOS } from "./registry.js";
import type { LabConfig, Scenario } from "./types.js";

export interface LabOptions {
  readonly scenario: string;
  readonly host?: string;
  readonly port?: number;
  readonly config?: Partial<LabConfig>;
  /** Where connection logs go (default: nowhere). */
  readonly log?: (line: string) => void;
  /** Most sessions open at once; more are closed at once (default 2000). */
  readonly maxSessions?: number;
  /**
   * Where the scenarios' timers come from (login and idle timeouts, --after): each session's
   * `clock` (default: the system's clock). Tests share a manual clock with the client.
   */
  readonly clock?: Clock;
}

export interface Lab {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly scenario: Scenario;
  /** Stop listening and end every open session. */
  close(): Promise<void>;
}

/** Start a lab server. Throws on an unknown scenario name. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const scenario = SCENARIOS[options.scenario];
  if (!scenario) throw new Error(`unknown scenario ${options.scenario}`);
  const config: LabConfig = { ...LAB_DEFAULTS, ...options.config };
  const log = options.log ?? (() => {});
  const max = options.maxSessions ?? 2000;
  let counter = 0;
  // The library's server role tracks the open sessions and closes them all on close().
  let open: ReadonlySet<ServerSession> = new Set();
  const srv = await createServer(
    {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0,
      autoStart: false,
      ...(options.clock ? { clock: options.clock } : {}),
    },
    (s) => {
      const id = ++counter;
      const who = s.remote;
      // The log's time is a date for people to read (wall-clock time), not a duration.
      const say = (what: string) =>
        log(`${new Date().toISOString()} #${id} ${who} ${scenario.name}: ${what}`);
      // `open` counts this session too.
      if (open.size > max) {
        say(`refused: ${open.size - 1} sessions open`);
        s.reset();
        return;
      }
      s.on("close", () => say("closed"));
      say("connected");
      if (scenario.telnet !== false) s.start();
      try {
        scenario.handle(s, config, { active: open.size, log: say });
      } catch (err) {
        say(`scenario error: ${(err as Error).message}`);
        s.reset();
      }
    },
  );
  open = srv.sessions;
  return { server: srv.server, host: srv.host, port: srv.port, scenario, close: srv.close };
}
