/**
 * @module Test support for the checklist: run it against lab scenarios and loopback servers
 * that share one manual clock with it, driven to the end (see clock-drive.ts), so waits of
 * seconds or minutes — idle holds, silence, a prompt that never comes — take milliseconds. The
 * report's durations and the trace's times are the clock's.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { runChecklist } from "../checks/run.js";
import type { CheckId, CheckResult, DiagnoseOptions, DiagnoseReport } from "../checks/types.js";
import { type Lab, startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { type DriveOptions, drive } from "./clock-drive.js";
import { type ManualClock, manualClock } from "./manual-clock.js";

/** One test's world: a manual clock, and the servers to close after it. */
export class ClockedWorld {
  readonly clock: ManualClock = manualClock();
  private readonly labs: Lab[] = [];
  private readonly servers: Server[] = [];
  /** The servers' connections: a server that does not read never sees the client's FIN. */
  private readonly sockets = new Set<Socket>();

  /** A lab scenario whose timers run on the world's clock; its port. */
  async lab(scenario: string, config: Partial<LabConfig> = {}): Promise<number> {
    const l = await startLab({ scenario, port: 0, config, clock: this.clock });
    this.labs.push(l);
    return l.port;
  }

  /** A loopback TCP server that runs `behave` on every connection (closed with the world). */
  async server(behave: (s: Socket) => void): Promise<number> {
    const server = createServer((s) => {
      this.sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => this.sockets.delete(s));
      behave(s);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.servers.push(server);
    const a = server.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  /** A port with nothing listening (bound, then closed). */
  async closedPort(): Promise<number> {
    const port = await this.server(() => {});
    const s = this.servers.pop();
    await new Promise((r) => s?.close(r));
    return port;
  }

  /** Run the checklist on loopback on the world's clock: no ICMP or path tools, no SSH. */
  async check(
    port: number,
    extra: Partial<DiagnoseOptions> = {},
    drivenBy: DriveOptions = {},
  ): Promise<DiagnoseReport> {
    const sshPort = await this.closedPort();
    const options: DiagnoseOptions = {
      host: "127.0.0.1",
      port,
      connectTimeoutMs: 3000,
      sshPort,
      tools: { ping: false, path: [] },
      ...extra,
      clock: this.clock,
    };
    return drive(this.clock, runChecklist(options), drivenBy);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.labs.map((l) => l.close()));
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** The result of check `id` (it must be in the report). */
export function checkOf(r: DiagnoseReport, id: CheckId): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is in the report`);
  return c;
}

/** Assert the verdict's cause, showing the verdict and every check's line when it differs. */
export function assertVerdict(r: DiagnoseReport, cause: string): void {
  assert.equal(
    r.verdict.cause,
    cause,
    `verdict ${JSON.stringify(r.verdict, null, 1)}\nchecks:\n${r.checks.map((c) => `${c.id} ${c.status} ${c.summary}`).join("\n")}`,
  );
}
