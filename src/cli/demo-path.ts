/**
 * @module The demo's path scenarios (root only): each in its own set of network namespaces
 * (lab/netns.ts) — the lab's healthy server behind a middlebox, the client run by the real CLI
 * inside the client namespace, one fault per scenario.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPathLab, type PathFault, type PathLab, pathLabUnsupported } from "../lab/netns.js";
import { runPathClient, startPathServer } from "../lab/netns-client.js";
import type { Cause, EndEvent } from "../trace/events.js";
import type { DemoResult } from "./demo-cases.js";

const LOGIN =
  "expect login: 5s\nsend demo\\r\\n\nexpect Password: 5s\nsend demo\\r\\n\nexpect \\$ 5s\n";

export interface PathCase {
  readonly name: PathFault;
  readonly expect: Cause;
  readonly story: string;
  readonly script: string;
  /** Apply the fault after the login (the path breaks mid-session) instead of before. */
  readonly afterLogin?: boolean;
}

export const PATH_CASES: readonly PathCase[] = [
  {
    name: "filtered",
    expect: "filtered",
    story: "a firewall on the path drops the SYN",
    script: "close\n",
  },
  {
    name: "unreachable",
    expect: "unreachable",
    story: "a router answers host-unreachable",
    script: "close\n",
  },
  {
    name: "local-firewall",
    expect: "local-firewall",
    story: "this machine's own OUTPUT rule drops the SYN",
    script: "close\n",
  },
  {
    name: "middlebox-timeout",
    expect: "middlebox-timeout",
    story: "a NAT forgets the session after 3 s idle",
    script: `${LOGIN}sleep 6s\nsend uptime\\r\\n\nwait 15s\n`,
  },
  {
    name: "network-failure",
    expect: "network-failure",
    story: "the path stops carrying packets mid-session",
    script: `${LOGIN}sleep 2s\nsend uptime\\r\\n\nwait 15s\n`,
    afterLogin: true,
  },
];

/** Why path scenarios cannot run here, or undefined when they can. */
export function pathDemoUnsupported(): string | undefined {
  return pathLabUnsupported();
}

/**
 * Run one path case in its own namespaces, torn down when it ends; aborting `signal` tears them
 * down at once (killing the client), and the case rejects.
 */
export async function runPathCase(c: PathCase, signal?: AbortSignal): Promise<DemoResult> {
  const lab: PathLab = await createPathLab({ prefix: "tddemo" });
  const stop = () => void lab.teardown();
  signal?.addEventListener("abort", stop, { once: true });
  const dir = mkdtempSync(join(tmpdir(), "teldoc-demo-"));
  try {
    if (signal?.aborted) throw new Error(`${c.name}: stopped`);
    await startPathServer(lab);
    if (!c.afterLogin) await lab.fault(c.name, { idleSeconds: 3 });
    const file = join(dir, `${c.name}.txt`);
    writeFileSync(file, c.script);
    let faulted: Promise<void> | undefined;
    const r = await runPathClient(lab, ["--script", file], 45_000, (l) => {
      // Cut the path at the shell prompt, once logged in.
      if (
        c.afterLogin &&
        !faulted &&
        l.type === "data" &&
        l.dir === "in" &&
        /\$ $/.test(String(l.text))
      )
        faulted = lab.fault(c.name);
    });
    await faulted;
    if (!r.end) throw new Error(`${c.name}: the client printed no end line (exit ${r.code})`);
    const end = r.end as unknown as EndEvent;
    return { name: c.name, expect: c.expect, end, ok: end.diagnosis.cause === c.expect };
  } finally {
    signal?.removeEventListener("abort", stop);
    await lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}
