// A child process for bench/probe-endpoint.mjs: teldoc's /probe alone (no schedule, no store),
// so its CPU is measured apart from the load generator's. Prints the port on stdout.
import { Monitor } from "../dist/monitor/monitor.js";
import { startWeb } from "../dist/monitor/web/server.js";
import { systemClock } from "../dist/session/clock.js";

const none = async () => {};
const store = {
  url: "none",
  write: none,
  putTargets: none,
  keepTrace: none,
  compact: async () => ({}),
  close: none,
};
const monitor = new Monitor({
  vantage: "bench",
  store,
  clock: systemClock,
  wallNow: Date.now,
  compactEveryMs: 0,
});
const web = await startWeb({
  host: "127.0.0.1",
  port: 0,
  targets: () => [],
  probe: (spec) => monitor.probeNow(spec),
});
process.stdout.write(`${web.port}\n`);
process.on("SIGTERM", () => process.exit(0));
