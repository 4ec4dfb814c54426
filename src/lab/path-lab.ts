/**
 * @module `teldoc lab --netns`: a lab scenario served behind a real path. Builds the three
 * namespaces (netns.ts), runs the lab server (the teldoc CLI) in the server one, applies the
 * fault, and removes everything when asked to stop. The CLI parses the flags and prints; what
 * happens here reaches it through callbacks.
 */
import { fileURLToPath } from "node:url";
import { createPathLab, type PathLab } from "./netns.js";
import { PATH_ADDRESSES, PATH_SERVER_PORT, type PathFault } from "./path-faults.js";

/** The conntrack idle timeout of the middlebox-timeout fault (what the diagnosis calls long idle). */
export const MIDDLEBOX_IDLE_S = 30;
/** How long the network-failure fault lets the first session run before it cuts the path. */
export const NETWORK_FAILURE_AFTER_S = 20;

const BIN = fileURLToPath(new URL("../../bin/teldoc.js", import.meta.url));

export interface PathLabRun {
  readonly scenario: string;
  readonly fault?: PathFault;
  /** `teldoc lab` flags for the server in its namespace (all but --host and --port). */
  readonly serverArgs: readonly string[];
  /** The server listens and the fault is in place (network-failure: waits for a session). */
  readonly onReady: (names: PathLab["names"]) => void;
  /** A line for people on what the lab does (a session connected, the fault bit). */
  readonly say: (line: string) => void;
  /** A line of the server's connection log. */
  readonly log: (line: string) => void;
  /** Aborting stops the lab (Ctrl-C). */
  readonly signal: AbortSignal;
}

/**
 * Serve `scenario` behind the path with its fault until `signal` aborts ("stopped") or the
 * server ends on its own ("server-exited"); the namespaces are removed either way. Rejects,
 * after removing them, when the lab cannot be set up.
 * @example await servePathLab({ scenario: "healthy", fault: "filtered", serverArgs: [], ... })
 */
export async function servePathLab(o: PathLabRun): Promise<"stopped" | "server-exited"> {
  let lab: PathLab;
  try {
    lab = await createPathLab();
  } catch (err) {
    throw new Error(`cannot build the namespaces: ${(err as Error).message}`);
  }
  let stopWatching = () => {};
  try {
    const exited = await startServer(lab, o);
    if (o.fault === "middlebox-timeout")
      await lab.fault(o.fault, { idleSeconds: MIDDLEBOX_IDLE_S });
    else if (o.fault !== undefined && o.fault !== "network-failure") await lab.fault(o.fault);
    if (!o.signal.aborted) o.onReady(lab.names);
    if (o.fault === "network-failure") stopWatching = cutAfterFirstSession(lab, o.say);
    return await untilStopped(exited, o);
  } finally {
    stopWatching();
    await lab.teardown();
  }
}

/**
 * Start the lab server in the server namespace and wait until it listens; its connection log
 * goes to `o.log` (not its own "listening... try:" lines). Resolves to a promise of its exit code.
 */
async function startServer(lab: PathLab, o: PathLabRun): Promise<{ exit: Promise<number> }> {
  const port = String(PATH_SERVER_PORT);
  const args = [BIN, "lab", o.scenario, "--host", PATH_ADDRESSES.server, "--port", port];
  const server = lab.spawn("server", process.execPath, [...args, ...o.serverArgs], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let pending = "";
  server.stderr?.setEncoding("utf8").on("data", (d: string) => {
    pending += d;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const l of lines) if (!l.startsWith("teldoc lab:") && !l.startsWith("  try:")) o.log(l);
  });
  const exit = new Promise<number>((resolve) => server.once("exit", (code) => resolve(code ?? 1)));
  const listening = lab.waitListening("server", PATH_SERVER_PORT, 10_000).then(() => -1);
  listening.catch(() => {});
  const early = await Promise.race([listening, exit]);
  if (early !== -1) throw new Error(`the lab server stopped at once (exit ${early})`);
  return { exit };
}

/** Wait for the stop, or the server's own end (a Ctrl-C reaches both: the stop has the first word). */
function untilStopped(
  server: { exit: Promise<number> },
  o: PathLabRun,
): Promise<"stopped" | "server-exited"> {
  return new Promise((resolve) => {
    if (o.signal.aborted) return resolve("stopped");
    o.signal.addEventListener("abort", () => resolve("stopped"), { once: true });
    void server.exit.then((code) =>
      setTimeout(() => {
        if (o.signal.aborted) return;
        o.say(`teldoc lab: the lab server stopped (exit ${code})`);
        resolve("server-exited");
      }, 200),
    );
  });
}

/**
 * network-failure: once a session is established, let it run NETWORK_FAILURE_AFTER_S, then
 * make the middlebox drop everything. Returns a function that stops the watch.
 */
function cutAfterFirstSession(lab: PathLab, say: (line: string) => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const cut = () =>
    lab.fault("network-failure").then(
      () => say("teldoc lab: network-failure: the middlebox now drops every packet"),
      (err: Error) => say(`teldoc lab: cannot apply the fault: ${err.message}`),
    );
  const poll = async () => {
    const sport = `sport = :${PATH_SERVER_PORT}`;
    const r = await lab
      .exec("server", "ss", ["-Htn", "state", "established", sport], { allowFailure: true })
      .catch(() => undefined);
    if (stopped) return;
    if (!r?.stdout.trim()) {
      timer = setTimeout(() => void poll(), 250);
      return;
    }
    say(`teldoc lab: a session connected; the path fails in ${NETWORK_FAILURE_AFTER_S} s`);
    timer = setTimeout(() => void cut(), NETWORK_FAILURE_AFTER_S * 1000);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
