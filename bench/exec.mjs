// Exec round trips over loopback: log into the lab's fake shell (healthy scenario), run `echo N`
// many times, check every answer. teldoc's library next to telnet-client (the popular npm
// client) on the same server in the same run; each client runs in its own child process so its
// CPU (process.cpuUsage over the exec loop only, after a warm-up) is its own. Round trips/s
// from wall time. A loopback round trip costs most in the kernel and in waking the other
// process, and that cost depends on where the scheduler puts the two: with taskset the lab is
// pinned to CPU 0 and the clients to CPU 1 (the main figures), then to CPU 0 (`sameCore`).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const WARMUP = 3000;

/** In a child: one client, `n` checked execs; prints {rps, cpuMsPerCommand} as JSON. */
async function runClient(kind, port, n) {
  const { session, exec, close } = await open(kind, port);
  void session;
  for (let i = 0; i < WARMUP; i++) await exec(`echo w${i}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const out = await exec(`echo r${i}`);
    if (out.trim() !== `r${i}`) throw new Error(`${kind}: exec ${i} gave ${JSON.stringify(out)}`);
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await close();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ rps: Math.round((n / wall) * 1000), cpuMsPerCommand: cpuMs / n })}\n`,
  );
  process.exit(0);
}

async function open(kind, port) {
  if (kind === "teldoc") {
    const { connect } = await import("../dist/index.js");
    const s = await connect({ host: "127.0.0.1", port });
    await s.login({ user: "demo", password: "demo" });
    return { session: s, exec: (c) => s.exec(c), close: () => s.close() };
  }
  const { Telnet } = await import("telnet-client");
  const t = new Telnet();
  await t.connect({
    host: "127.0.0.1",
    port,
    shellPrompt: /demo@lab:~\$ $/,
    loginPrompt: /login: $/,
    passwordPrompt: /Password: $/,
    username: "demo",
    password: "demo",
    timeout: 10_000,
    execTimeout: 10_000,
  });
  return { session: t, exec: (c) => t.exec(c), close: () => t.end() };
}

const TASKSET = "/usr/bin/taskset";
const canPin = existsSync(TASKSET) && spawnSync(TASKSET, ["-c", "1", "true"]).status === 0;

/** argv for a node process, pinned to `cpu` when taskset works. */
function pinned(cpu, args) {
  return canPin && cpu !== undefined
    ? [TASKSET, ["-c", String(cpu), process.execPath, ...args]]
    : [process.execPath, args];
}

/** The lab (healthy) in its own process; resolves with its port and a stop function. */
function startLabProcess(cpu) {
  const code = `const { startLab } = await import(${JSON.stringify(new URL("../dist/lab/server.js", import.meta.url).href)});
const lab = await startLab({ scenario: "healthy" });
process.stdout.write(lab.port + "\\n");
process.stdin.on("end", () => lab.close().then(() => process.exit(0)));
process.stdin.resume();`;
  const [file, args] = pinned(cpu, ["--input-type=module", "-e", code]);
  const p = spawn(file, args, { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    p.once("exit", (c) => reject(new Error(`the lab exited (${c})`)));
    p.stdout.once("data", (d) =>
      resolve({
        port: Number(String(d).trim()),
        stop: () =>
          new Promise((r) => {
            p.removeAllListeners("exit");
            p.once("exit", r);
            p.stdin.end();
          }),
      }),
    );
  });
}

function child(kind, port, n, cpu) {
  return new Promise((resolve, reject) => {
    const [file, args] = pinned(cpu, [SELF, "--client", kind, String(port), String(n)]);
    const p = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), 120_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${kind} client failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Both clients, alternating, `rounds` times, with the clients on `cpu`; medians and ratios. */
async function compare(port, n, rounds, cpu) {
  const runs = { teldoc: [], telnetClient: [] };
  for (let r = 0; r < rounds; r++) {
    runs.teldoc.push(await child("teldoc", port, n, cpu));
    runs.telnetClient.push(await child("telnet-client", port, n, cpu));
  }
  const summary = (xs) => ({
    rps: median(xs.map((x) => x.rps)),
    cpuMsPerCommand: Number(median(xs.map((x) => x.cpuMsPerCommand)).toFixed(4)),
  });
  const teldoc = summary(runs.teldoc);
  const telnetClient = summary(runs.telnetClient);
  return {
    teldoc,
    telnetClient,
    rpsRatio: Number((teldoc.rps / telnetClient.rps).toFixed(2)),
    cpuRatio: Number((telnetClient.cpuMsPerCommand / teldoc.cpuMsPerCommand).toFixed(2)),
  };
}

/**
 * The comparison with the lab on CPU 0 and the clients on CPU 1 (the main figures), and with
 * everything on CPU 0 (`sameCore`). Without taskset, unpinned (`pinned: false`).
 */
export async function benchExec({ n = 10_000, rounds = 3, log = () => {} } = {}) {
  const lab = await startLabProcess(0);
  try {
    const main = await compare(lab.port, n, rounds, 1);
    const sameCore = canPin ? await compare(lab.port, n, rounds, 0) : undefined;
    log(
      `exec      ${n} checked \`echo\` round trips against the lab's fake shell, median of ${rounds}${canPin ? "" : " (unpinned: no taskset)"}`,
    );
    return { ...main, ...(sameCore ? { sameCore } : {}), commands: n, rounds, pinned: canPin };
  } finally {
    await lab.stop();
  }
}

if (process.argv[2] === "--client") {
  await runClient(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else if (process.argv[1] === SELF) {
  const r = await benchExec({ log: (l) => console.log(l) });
  console.log(JSON.stringify(r, null, 2));
}
