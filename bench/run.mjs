// `npm run bench [-- --json] [-- --only parser|bulk|diagnose|exec|monitor|store|report|probe|dashboard|logs]`: every
// benchmark suite; ratios are measured in the same run.
import { benchBulk } from "./bulk.mjs";
import { benchDashboard } from "./dashboard.mjs";
import { benchDiagnose } from "./diagnose.mjs";
import { benchExec } from "./exec.mjs";
import { benchLogs } from "./logs.mjs";
import { benchMonitor } from "./monitor.mjs";
import { benchMonitorReport, benchMonitorReportStore } from "./monitor-report.mjs";
import { benchMonitorStore } from "./monitor-store.mjs";
import { benchParser } from "./parser.mjs";
import { benchProbeEndpoint } from "./probe-endpoint.mjs";

const args = process.argv.slice(2);
const json = args.includes("--json");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const log = json ? () => {} : (line) => process.stdout.write(`${line}\n`);

const results = { node: process.version };
if (!only || only === "parser") results.parser = await benchParser({ log });
if (!only || only === "bulk") results.bulk = await benchBulk({ log });
if (!only || only === "diagnose") results.diagnose = await benchDiagnose({ log });
if (!only || only === "exec") results.exec = await benchExec({ log });
// The monitor's benchmarks print their own lines as they go (each has its reference in it).
const live = json ? () => {} : (line) => process.stdout.write(`\n${line}\n`);
if (!only || only === "monitor") results.monitor = await benchMonitor({ log: live });
if (!only || only === "store") results.store = await benchMonitorStore({ log: live });
if (!only || only === "report")
  results.report = {
    analysis: await benchMonitorReport({ log: live }),
    endToEnd: await benchMonitorReportStore({ log: live }),
  };
if (!only || only === "probe") results.probe = await benchProbeEndpoint({ log: live });
if (!only || only === "dashboard") results.dashboard = await benchDashboard({ log: live });
if (!only || only === "logs") results.logs = await benchLogs({ log: live });

if (json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  if (results.parser) {
    const goals = {
      plain: ["vsIndexOf", 0.3],
      binary: ["vsIndexOf", 0.35],
      dense: ["vsTelnetStream", 4],
    };
    log(
      "\nparser    teldoc MB/s  indexOf MB/s  telnet-stream MB/s  vs indexOf  vs telnet-stream  goal",
    );
    for (const [name, r] of Object.entries(results.parser)) {
      const [key, goal] = goals[name];
      const met = r[key] >= goal && r.dataBytesOk ? "met" : "MISSED";
      log(
        `${name.padEnd(8)}  ${String(r.mbps).padStart(11)}  ${String(r.indexOfMbps).padStart(12)}  ${String(r.telnetStreamMbps).padStart(18)}  ${r.vsIndexOf.toFixed(3).padStart(10)}  ${r.vsTelnetStream.toFixed(2).padStart(16)}  ${key} >= ${goal}: ${met}`,
      );
    }
  }
  if (results.bulk) {
    log(
      "\nbulk      teldoc MB/s  CPU s  telnet MB/s  raw pipe MB/s  vs telnet  vs raw pipe  --trace CPU x",
    );
    for (const [name, r] of Object.entries(results.bulk)) {
      log(
        `${name.padEnd(8)}  ${String(r.mbps).padStart(11)}  ${r.cpuSeconds.toFixed(2).padStart(5)}  ${String(r.telnetMbps ?? "-").padStart(11)}  ${String(r.rawPipeMbps).padStart(13)}  ${String(r.vsTelnet ?? "-").padStart(9)}  ${r.vsRawPipe.toFixed(2).padStart(11)}  ${r.traceCpuRatio.toFixed(2).padStart(13)}`,
      );
    }
    log("goals: vs telnet >= 4, vs raw pipe >= 0.5, --trace CPU <= 2x");
  }
  if (results.diagnose) {
    const d = results.diagnose;
    const per = Object.entries(d.checks)
      .map(([id, ms]) => `${id} ${ms}`)
      .join(", ");
    log(
      `\ndiagnose  healthy loopback, median of ${d.runs}: ${d.wallMs} ms wall, checklist ${d.checklistMs} ms (${per}); goal < ${d.goalMs} ms: ${d.wallMs < d.goalMs ? "met" : "MISSED"}`,
    );
  }
  if (results.exec) {
    const e = results.exec;
    const row = (name, r) =>
      `${name.padEnd(28)}${String(r.rps).padStart(13)}  ${r.cpuMsPerCommand.toFixed(4).padStart(14)}`;
    log("\nexec                        round trips/s  CPU ms/command");
    log(row("teldoc (other core)", e.teldoc));
    log(row("telnet-client (other core)", e.telnetClient));
    if (e.sameCore) {
      log(row("teldoc (same core)", e.sameCore.teldoc));
      log(row("telnet-client (same core)", e.sameCore.telnetClient));
    }
    log(
      `ratio: ${e.rpsRatio}x the round trips, ${e.cpuRatio}x less CPU per command${e.sameCore ? ` (same core: ${e.sameCore.rpsRatio}x, ${e.sameCore.cpuRatio}x)` : ""}; goal: both > 1`,
    );
  }
}
