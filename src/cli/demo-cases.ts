/**
 * @module The demo's loopback cases: one lab scenario each (or a port where nothing listens),
 * driven by a script through a ClientSession in this process, ended in its own way.
 */

import { endEvent } from "../diagnosis/index.js";
import { closedPort } from "../lab/closed-port.js";
import { startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { ClientSession } from "../session/client.js";
import { parseScript, runScript } from "../session/script.js";
import { textInbox, whenConnected } from "../session/text-inbox.js";
import type { Cause, EndEvent } from "../trace/events.js";

export interface DemoCase {
  readonly name: string;
  readonly expect: Cause;
  readonly story: string;
  /** The lab scenario, or undefined for a port where nothing listens. */
  readonly scenario?: string;
  readonly config?: Partial<LabConfig>;
  readonly script: string;
}

const LOGIN =
  "expect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend demo\\r\\n\nexpect \\$ 5s\n";

export const DEMO_CASES: readonly DemoCase[] = [
  {
    name: "healthy",
    expect: "logout",
    story: "log in, run a command, log out",
    scenario: "healthy",
    script: `${LOGIN}send echo hello\\r\\n\nexpect hello 5s\nsend exit\\r\\n\nwait 5s\n`,
  },
  { name: "refused", expect: "refused", story: "nothing listens on the port", script: "wait 5s\n" },
  {
    name: "acl-rejected",
    expect: "acl-rejected",
    story: "tcp wrappers accept, then close at once",
    scenario: "acl-rejected",
    script: "wait 5s\n",
  },
  {
    name: "service-unavailable",
    expect: "service-unavailable",
    story: "the server is busy",
    scenario: "service-unavailable",
    script: "wait 5s\n",
  },
  {
    name: "wrong-service",
    expect: "wrong-service",
    story: "an SSH server on the Telnet port",
    scenario: "wrong-service",
    script: "wait 5s\n",
  },
  {
    name: "auth-failed",
    expect: "auth-failed",
    story: "a wrong password three times",
    scenario: "auth-failed",
    config: { tries: 3 },
    script:
      "expect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nexpect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nexpect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend wrong\\r\\n\nwait 5s\n",
  },
  {
    name: "login-timeout",
    expect: "login-timeout",
    story: "nobody types at the login prompt",
    scenario: "login-timeout",
    config: { loginTimeoutMs: 2000 },
    script: "expect login: 5s\nwait 6s\n",
  },
  {
    name: "idle-timeout",
    expect: "idle-timeout",
    story: "logged in, then idle past the shell's TMOUT",
    scenario: "idle-timeout",
    config: { idleTimeoutMs: 2000 },
    script: `${LOGIN}wait 6s\n`,
  },
  {
    name: "peer-reset",
    expect: "peer-reset",
    story: "the server aborts the session with RST",
    scenario: "peer-reset",
    config: { afterMs: 1500 },
    script: `${LOGIN}send uptime\\r\\n\nwait 5s\n`,
  },
  {
    name: "server-closed",
    expect: "server-closed",
    story: "the server closes for no stated reason",
    scenario: "server-closed",
    config: { afterMs: 1500 },
    script: `${LOGIN}wait 5s\n`,
  },
  {
    name: "local-close",
    expect: "local-close",
    story: "we close the session ourselves",
    scenario: "healthy",
    script: `${LOGIN}close\n`,
  },
];

export interface DemoResult {
  readonly name: string;
  readonly expect: Cause;
  readonly end: EndEvent;
  readonly ok: boolean;
}

/** Run one case; aborting `signal` closes its session at once. */
export async function runCase(c: DemoCase, signal?: AbortSignal): Promise<DemoResult> {
  const lab = c.scenario ? await startLab({ scenario: c.scenario, config: c.config }) : undefined;
  try {
    const port = lab ? lab.port : await closedPort();
    const session = new ClientSession({
      host: "127.0.0.1",
      port,
      connectTimeoutMs: 3000,
      deadPeerMs: 10_000,
      signal,
    });
    const running = session.run();
    const inbox = textInbox(session, running);
    const drive = (async () => {
      if (await whenConnected(session, running))
        await runScript(session, inbox, parseScript(c.script));
      if (!inbox.ended) session.close("script");
    })();
    const result = await running;
    await drive;
    const end = endEvent(result.events, session.recorder.elapsed(), session);
    return { name: c.name, expect: c.expect, end, ok: end.diagnosis.cause === c.expect };
  } finally {
    await lab?.close();
  }
}
