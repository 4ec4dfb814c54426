/**
 * @module Runs on a path lab (netns.ts): the lab server in the `server` namespace and the
 * teldoc CLI (`connect --json`) in the `client` namespace, its JSON Lines collected. Shared by
 * `teldoc demo` and the namespace tests.
 */
import { fileURLToPath } from "node:url";
import { createPathLab, type PathLab } from "./netns.js";

const BIN = fileURLToPath(new URL("../../bin/teldoc.js", import.meta.url));
export const PATH_SERVER = "198.18.2.2";

/** One JSON line of `connect --json`. */
export interface JsonLine {
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface ClientRun {
  readonly lines: JsonLine[];
  /** The last line, when it is the `end` object. */
  readonly end:
    | (JsonLine & { diagnosis: { cause: string; summary: string; evidence: string[] } })
    | undefined;
  readonly code: number | null;
  readonly ms: number;
  readonly stderr: string;
}

/** Start the lab's healthy server on 198.18.2.2:23 in the server namespace and wait for it. */
export async function startPathServer(lab: PathLab): Promise<void> {
  lab.spawn(
    "server",
    process.execPath,
    [BIN, "lab", "healthy", "--host", PATH_SERVER, "--port", "23", "-q"],
    {
      stdio: "ignore",
    },
  );
  await lab.waitListening("server", 23, 10_000);
}

/**
 * Run `fn` on a new path lab (namespaces named after `prefix`) whose healthy server listens on
 * 198.18.2.2:23; the lab is torn down afterwards, whatever `fn` does.
 * @example await withPathServer("tdtest", async (lab) => { await lab.fault("filtered"); ... });
 */
export async function withPathServer(
  prefix: string,
  fn: (lab: PathLab) => Promise<void>,
): Promise<void> {
  const lab = await createPathLab({ prefix });
  try {
    await startPathServer(lab);
    await fn(lab);
  } finally {
    await lab.teardown();
  }
}

/** A finished CLI run in the client namespace. */
interface Collected {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

/**
 * Run the teldoc CLI with `args` in the client namespace, SIGKILL after `limitMs`; `onStdout`
 * sees stdout as it arrives.
 */
function runInClient(
  lab: PathLab,
  args: readonly string[],
  limitMs: number,
  env: Record<string, string> = {},
  onStdout?: (text: string) => void,
): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = lab.spawn("client", process.execPath, [BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      onStdout?.(d);
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, ms: Date.now() - t0 });
    });
  });
}

/**
 * Run `teldoc connect 198.18.2.2 23 --json --connect-timeout 3s --dead-peer 2s ARGS` in the
 * client namespace; killed after `limitMs`. `onLine` sees each JSON line as it arrives; `host`
 * replaces the server's address (e.g. an address on the client's subnet where no host is).
 */
export async function runPathClient(
  lab: PathLab,
  args: readonly string[],
  limitMs: number,
  onLine?: (l: JsonLine) => void,
  host: string = PATH_SERVER,
): Promise<ClientRun> {
  const lines: JsonLine[] = [];
  let buf = "";
  const r = await runInClient(
    lab,
    ["connect", host, "23", "--json", "--connect-timeout", "3s", "--dead-peer", "2s", ...args],
    limitMs,
    {},
    (d) => {
      buf += d;
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (text.trim() === "") continue;
        const l = JSON.parse(text) as JsonLine;
        lines.push(l);
        onLine?.(l);
      }
    },
  );
  const last = lines.at(-1);
  const end = last?.type === "end" ? (last as ClientRun["end"]) : undefined;
  return { lines, end, code: r.code, ms: r.ms, stderr: r.stderr };
}

/** `teldoc diagnose --json`'s object, as far as the tests read it. */
export interface DiagnoseRun extends Collected {
  readonly report:
    | {
        readonly checks: {
          id: string;
          status: string;
          summary: string;
          data: Record<string, unknown>;
        }[];
        readonly verdict: {
          cause: string;
          confidence: number;
          summary: string;
          evidence: string[];
          advice: string[];
        };
        readonly adminNote?: string | null;
      }
    | undefined;
}

/**
 * Run `teldoc diagnose 198.18.2.2 23 --json --connect-timeout 3s ARGS` in the client namespace
 * (`host` replaces the server's address).
 */
export async function runPathDiagnose(
  lab: PathLab,
  args: readonly string[],
  limitMs: number,
  env: Record<string, string> = {},
  host: string = PATH_SERVER,
): Promise<DiagnoseRun> {
  const r = await runInClient(
    lab,
    ["diagnose", host, "23", "--json", "--connect-timeout", "3s", ...args],
    limitMs,
    env,
  );
  let report: DiagnoseRun["report"];
  try {
    report = JSON.parse(r.stdout) as DiagnoseRun["report"];
  } catch {
    report = undefined;
  }
  return { ...r, report };
}
