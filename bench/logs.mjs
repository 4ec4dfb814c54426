// `teldoc logs` on a large generated log: a realistic syslog (/var/log/messages-like: cron,
// kernel, systemd noise around xinetd/telnetd/login/sshd sessions of many clients, refusals,
// limits, failed logins, logouts), ~200 MB by default (TELDOC_BENCH_LOGS_MB). The real CLI reads
// it (`teldoc logs FILE --json > /dev/null`); its lines/s are compared with `grep -c -F` over the
// same file in the same run, the floor no line reader beats. Peak memory from /usr/bin/time
// and a capped V8 heap (the run must finish) show the file is streamed, not held.
import { execFile, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/teldoc.js", import.meta.url));
const HEAP_CAP_MB = 64;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A syslog time stamp `Nov 30 14:00:01` for second `s` of the year 2026. */
function stamp(s) {
  const d = new Date(Date.UTC(2026, 0, 1) + s * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const NOISE = [
  (t, i) =>
    `${t} srv CRON[${i % 30000}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`,
  (t, i) =>
    `${t} srv kernel: [${(i / 7).toFixed(6)}] IPv4: martian source 10.0.${i % 255}.1 from 10.0.0.${i % 250}, on dev eth0`,
  (t, i) =>
    `${t} srv systemd[1]: Started session-${i % 9000}.scope - Session ${i % 9000} of User alice.`,
  (t, i) => `${t} srv rsyslogd[612]: imjournal: ${i % 97} messages lost due to rate-limiting`,
];

/** One telnet session's lines (xinetd via syslog, login, telnetd), by kind. */
function session(kind, s, pid, client) {
  const x = (msg) => `${stamp(s)} srv xinetd[700]: ${msg}`;
  const start = x(`START: telnet pid=${pid} from=::ffff:${client}`);
  const login = (d, msg) => `${stamp(s + d)} srv login[${pid + 1}]: ${msg}`;
  switch (kind) {
    case 0:
      return [
        start,
        `${stamp(s)} srv xinetd[${pid}]: FAIL: telnet address from=::ffff:${client}`,
        x(`EXIT: telnet status=0 pid=${pid} duration=0(sec)`),
      ];
    case 1:
      return [x(`FAIL: telnet per_source_limit from=::ffff:${client}`)];
    case 2:
      return [
        start,
        login(
          4,
          `FAILED LOGIN (1) on '/dev/pts/3' from '${client}' FOR 'bob', Authentication failure`,
        ),
        login(9, `TOO MANY LOGIN TRIES (2) on '/dev/pts/3' from '${client}' FOR 'bob'`),
        `${stamp(s + 9)} srv telnetd[${pid}]: child process ${pid + 1} exited: 0`,
        `${stamp(s + 9)} srv xinetd[700]: EXIT: telnet status=0 pid=${pid} duration=9(sec)`,
      ];
    default:
      return [
        start,
        login(
          5,
          "pam_unix(login:session): session opened for user alice(uid=1000) by LOGIN(uid=0)",
        ),
        login(900, "pam_unix(login:session): session closed for user alice"),
        `${stamp(s + 900)} srv telnetd[${pid}]: child process ${pid + 1} exited: 0`,
        `${stamp(s + 900)} srv xinetd[700]: EXIT: telnet status=0 pid=${pid} duration=900(sec)`,
      ];
  }
}

/** Write ~`mb` MB of log to `path`: sessions every few seconds, noise between; lines in time order. */
export async function generate(path, mb) {
  const out = createWriteStream(path);
  const target = mb * 1024 * 1024;
  let bytes = 0;
  let i = 0;
  const pending = []; // [time, line] of sessions' later lines, kept sorted by time
  for (let s = 0; bytes < target; s++) {
    const lines = [];
    for (let k = 0; k < 8; k++) lines.push(NOISE[(i + k) % NOISE.length](stamp(s), i + k));
    i += 8;
    if (s % 3 === 0) {
      const pid = 10000 + ((s / 3) % 50000) * 2;
      const client = `198.51.${(s >> 8) & 255}.${s & 255}`;
      const [first, ...rest] = session((s / 3) % 4, s, pid, client);
      lines.push(first);
      for (const l of rest) pending.push(l);
    }
    // Lines of sessions whose time has come (their stamp sorts by text within a day).
    const now = stamp(s);
    for (let k = pending.length - 1; k >= 0; k--)
      if (pending[k].slice(0, 15) <= now) lines.push(...pending.splice(k, 1));
    const chunk = `${lines.join("\n")}\n`;
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
}

export async function benchLogs({
  log = () => {},
  mb = Number(process.env.TELDOC_BENCH_LOGS_MB ?? 200),
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-logs-"));
  const path = join(dir, "messages");
  try {
    await generate(path, mb);
    const size = statSync(path).size;
    const g0 = performance.now();
    const grep = await run("grep", ["-c", "-F", "telnet", path]);
    const grepS = (performance.now() - g0) / 1000;
    const wc = Number((await run("wc", ["-l", path])).stdout.trim().split(/\s/)[0]);
    // A capped V8 heap: finishing proves the log streams in bounded memory.
    const args = [`--max-old-space-size=${HEAP_CAP_MB}`, BIN, "logs", path, "--json"];
    const timed = existsSync("/usr/bin/time");
    const t0 = performance.now();
    const r = timed
      ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { maxBuffer: 1 << 30 })
      : spawnSync(process.execPath, args, { maxBuffer: 1 << 30 });
    const teldocS = (performance.now() - t0) / 1000;
    if (r.status !== 0)
      throw new Error(`teldoc logs failed (heap cap ${HEAP_CAP_MB} MB): ${r.stderr}`);
    const json = JSON.parse(r.stdout.toString());
    const maxRssMb = timed
      ? Math.round(Number(r.stderr.toString().trim().split("\n").pop()) / 1024)
      : null;
    const result = {
      mb: Math.round(size / 1048576),
      lines: wc,
      sessions: json.sessions.length,
      byCause: json.byCause,
      unparsed: json.unparsed,
      teldocLinesPerSecond: Math.round(wc / teldocS),
      grepLinesPerSecond: Math.round(wc / grepS),
      grepMatches: Number(grep.stdout.trim()),
      vsGrep: Number((grepS / teldocS).toFixed(4)),
      maxRssMb,
      heapCapMb: HEAP_CAP_MB,
    };
    log(
      `logs      ${result.mb} MB, ${wc} lines, ${result.sessions} sessions: teldoc ${result.teldocLinesPerSecond} lines/s, grep -c ${result.grepLinesPerSecond} lines/s (teldoc/grep ${result.vsGrep}); peak RSS ${maxRssMb ?? "?"} MB under a ${HEAP_CAP_MB} MB heap cap`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchLogs({ log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
