// Exec round trips over loopback: log into the lab's fake shell (healthy scenario), run `echo N`
// many times, check every answer. teldoc's library next to telnet-client (the popular npm
// client) on the same server in the same run; each client runs in its own child process so its
// CPU (process.cpuUsage over the exec loop only) is its own. Round trips/s from wall time.
import { spawn } from "node:child_process";
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

function child(kind, port, n) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [SELF, "--client", kind, String(port), String(n)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
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

/** Both clients, alternating, `rounds` times; medians and ratios. */
export async function benchExec({ n = 10_000, rounds = 3, log = () => {} } = {}) {
  const { startLab } = await import("../dist/lab/server.js");
  const lab = await startLab({ scenario: "healthy" });
  const runs = { teldoc: [], telnetClient: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      runs.teldoc.push(await child("teldoc", lab.port, n));
      runs.telnetClient.push(await child("telnet-client", lab.port, n));
    }
  } finally {
    await lab.close();
  }
  const summary = (xs) => ({
    rps: median(xs.map((x) => x.rps)),
    cpuMsPerCommand: Number(median(xs.map((x) => x.cpuMsPerCommand)).toFixed(4)),
  });
  const teldoc = summary(runs.teldoc);
  const telnetClient = summary(runs.telnetClient);
  const out = {
    teldoc,
    telnetClient,
    commands: n,
    rounds,
    rpsRatio: Number((teldoc.rps / telnetClient.rps).toFixed(2)),
    cpuRatio: Number((telnetClient.cpuMsPerCommand / teldoc.cpuMsPerCommand).toFixed(2)),
  };
  log(
    `exec      ${n} checked \`echo\` round trips against the lab's fake shell, median of ${rounds}`,
  );
  return out;
}

if (process.argv[2] === "--client") {
  await runClient(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else if (process.argv[1] === SELF) {
  const r = await benchExec({ log: (l) => console.log(l) });
  console.log(JSON.stringify(r, null, 2));
}
