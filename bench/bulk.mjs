// Bulk receive: a loopback server sends a workload 4 times (256 MiB), the client writes the data
// to stdout redirected to /dev/null. teldoc next to inetutils telnet and a raw Node
// net.connect().pipe(stdout), in the same run; MB/s from wall time, CPU seconds from the
// child's rusage (/usr/bin/time). Also teldoc with --trace, to price the trace.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorkloads } from "./workloads.mjs";

const teldoc = fileURLToPath(new URL("../bin/teldoc.js", import.meta.url));
const REPEAT = 4;

function serve(payload, { binary }) {
  return new Promise((resolve) => {
    const server = createServer((s) => {
      s.on("error", () => {});
      // A server that would send such data offers BINARY first, as telnetd does for 8-bit data.
      if (binary) s.write(Buffer.from([0xff, 0xfb, 0x00]));
      let i = 0;
      const pump = () => {
        while (i < REPEAT) {
          i++;
          if (!s.write(payload)) return s.once("drain", pump);
        }
        s.end();
      };
      pump();
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port }));
  });
}

/** Run a shell command with stdout to /dev/null; returns wall and CPU seconds. */
function timed(cmd) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "%U %S %M", "bash", "-c", cmd], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", () => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(err.trim());
      if (!m) return reject(new Error(`cannot time ${cmd}: ${err}`));
      resolve({ wall, cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchBulk({ rounds = 3, log = () => {} } = {}) {
  if (!existsSync("/usr/bin/time"))
    throw new Error("/usr/bin/time is missing (Debian package time)");
  const telnet = ["/usr/bin/telnet", "/usr/bin/inetutils-telnet"].find((p) => existsSync(p));
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bulk-"));
  const out = {};
  try {
    for (const w of loadWorkloads(["plain", "binary"])) {
      const binary = w.name === "binary";
      const { server, port } = await serve(w.bytes, { binary });
      const mb = (w.bytes.length * REPEAT) / 1e6;
      // stdin stays open, as with a person at the keyboard; bash does not wait for <(...).
      const hold = "< <(sleep 600)";
      const cmds = {
        teldoc: `${process.execPath} ${teldoc} connect 127.0.0.1 ${port} -q ${hold}`,
        teldocTrace: `${process.execPath} ${teldoc} connect 127.0.0.1 ${port} -q --trace ${join(dir, "t.jsonl")} ${hold}`,
        rawPipe: `${process.execPath} -e "require('net').connect(${port},'127.0.0.1').pipe(process.stdout)"`,
        ...(telnet ? { telnet: `${telnet} 127.0.0.1 ${port} ${hold}` } : {}),
      };
      const runs = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
      for (let r = 0; r < rounds; r++) {
        for (const [k, cmd] of Object.entries(cmds)) {
          runs[k].push(await timed(`${cmd}; pkill -P $$ sleep 2>/dev/null; true`));
        }
      }
      server.close();
      // The floor under --trace: writing as many bytes as the trace has, with dd, costs this.
      const traceBytes = statSync(join(dir, "t.jsonl")).size;
      const floor = await timed(
        `dd if=/dev/zero of=${join(dir, "floor.bin")} bs=128k count=${Math.ceil(traceBytes / 131072)} 2>/dev/null`,
      );
      rmSync(join(dir, "floor.bin"), { force: true });
      const m = (k) => ({
        mbps: mb / median(runs[k].map((r) => r.wall)),
        cpu: median(runs[k].map((r) => r.cpu)),
        rssMb: Math.max(...runs[k].map((r) => r.rssMb)),
      });
      const t = m("teldoc");
      const tr = m("teldocTrace");
      const raw = m("rawPipe");
      const tn = telnet ? m("telnet") : undefined;
      out[w.name] = {
        mbps: Math.round(t.mbps),
        cpuSeconds: Number(t.cpu.toFixed(2)),
        vsTelnet: tn ? Number((t.mbps / tn.mbps).toFixed(2)) : null,
        vsRawPipe: Number((t.mbps / raw.mbps).toFixed(2)),
        telnetMbps: tn ? Math.round(tn.mbps) : null,
        telnetCpuSeconds: tn ? Number(tn.cpu.toFixed(2)) : null,
        rawPipeMbps: Math.round(raw.mbps),
        traceMbps: Math.round(tr.mbps),
        traceCpuRatio: Number((tr.cpu / t.cpu).toFixed(2)),
        peakRssMb: Math.round(t.rssMb),
        tracePeakRssMb: Math.round(tr.rssMb),
        traceBytes,
        traceWriteFloorCpuSeconds: Number(floor.cpu.toFixed(2)),
      };
      log(`bulk ${w.name}: ${JSON.stringify(out[w.name])}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchBulk({ log: console.error })));
}
