/**
 * @module The demo's path scenarios (root only): each in its own set of network namespaces
 * (lab/netns.ts) — the lab's healthy server behind a middlebox, the client run by the real CLI
 * inside the client namespace, one fault per scenario.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPathLab, type PathFault, type PathLab, pathLabUnsupported } from "../lab/netns.js";
import type { Cause, EndEvent } from "../trace/events.js";

const BIN = fileURLToPath(new URL("../../bin/teldoc.js", import.meta.url));
const SERVER = "198.18.2.2";
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

async function runPathCase(
  c: PathCase,
  dir: string,
): Promise<{ name: string; expect: Cause; end: EndEvent }> {
  const lab: PathLab = await createPathLab({ prefix: "tddemo" });
  try {
    lab.spawn(
      "server",
      process.execPath,
      [BIN, "lab", "healthy", "--host", SERVER, "--port", "23", "-q"],
      {
        stdio: "ignore",
      },
    );
    await lab.waitListening("server", 23, 10_000);
    if (!c.afterLogin) await lab.fault(c.name, { idleSeconds: 3 });
    const file = join(dir, `${c.name}.txt`);
    writeFileSync(file, c.script);
    const args = [
      BIN,
      "connect",
      SERVER,
      "23",
      "--json",
      "--connect-timeout",
      "3s",
      "--dead-peer",
      "2s",
      "--script",
      file,
    ];
    const child = lab.spawn("client", process.execPath, args, {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    let faulted: Promise<void> | undefined;
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (c.afterLogin && !faulted && /"dir":"in","text":"[^"]*\$ "/.test(out))
        faulted = lab.fault(c.name);
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    await new Promise<void>((resolve) => child.once("close", () => resolve()));
    clearTimeout(killer);
    await faulted;
    const last = out.trim().split("\n").at(-1) ?? "";
    const end = JSON.parse(last) as EndEvent;
    return { name: c.name, expect: c.expect, end };
  } finally {
    await lab.teardown();
  }
}

/** Run every path case in parallel; each in its own namespaces. */
export async function runPathCases(): Promise<
  { name: string; expect: Cause; end: EndEvent; ok: boolean }[]
> {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-demo-"));
  try {
    const results = await Promise.all(PATH_CASES.map((c) => runPathCase(c, dir)));
    return results.map((r) => ({
      ...r,
      ok: r.end.type === "end" && r.end.diagnosis.cause === r.expect,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
