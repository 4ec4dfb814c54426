/**
 * @module Which configuration starts a Telnet service on the port, from the facts: xinetd
 * service blocks (with the defaults block and its `disabled`/`enabled` lists), inetd.conf lines,
 * systemd socket units, BusyBox telnetd processes. Each with the line that turns it on or off,
 * the tcp wrappers daemon names that apply, and its access lists and limits. Pure.
 */
import { basename } from "node:path";
import type { ServerFacts } from "./facts.js";
import type { Where } from "./types.js";
import type { XinetdBlock } from "./xinetd.js";

export interface Limit {
  readonly value: number;
  readonly where: Where;
}

export interface TelnetService {
  readonly kind: "xinetd" | "inetd" | "systemd" | "busybox";
  /** The service's name (xinetd/inetd), unit file name, or process id. */
  readonly name: string;
  readonly enabled: boolean;
  /** The line that turns it on or off (or the block or line that defines it). */
  readonly decidedBy: Where;
  /** Why it is off, for people (`disable = yes`, commented out, not enabled). */
  readonly why: string;
  readonly server?: string;
  /** tcp wrappers names that are checked for it, with who checks (tcpd, xinetd's libwrap). */
  readonly wrappers: readonly { daemon: string; by: string }[];
  readonly onlyFrom?: { values: readonly string[]; where: Where };
  readonly noAccess?: { values: readonly string[]; where: Where };
  readonly instances?: Limit;
  readonly perSource?: Limit;
  readonly cps?: Limit;
}

const PORTS: Readonly<Record<string, number>> = { telnet: 23, telnets: 992 };

function attr(b: XinetdBlock, defaults: XinetdBlock | undefined, key: string) {
  const own = b.attrs.get(key);
  if (own) return { values: own.values, where: { file: b.file, line: own.line } };
  const d = defaults?.attrs.get(key);
  return d && defaults
    ? { values: d.values, where: { file: defaults.file, line: d.line } }
    : undefined;
}

function limit(b: XinetdBlock, defaults: XinetdBlock | undefined, key: string): Limit | undefined {
  const a = attr(b, defaults, key);
  const n = a ? Number(a.values[0]) : Number.NaN;
  return a && Number.isFinite(n) ? { value: n, where: a.where } : undefined;
}

/** Whether an xinetd service is on, and the line that says so. */
function xinetdEnabled(b: XinetdBlock, defaults: XinetdBlock | undefined) {
  const disable = b.attrs.get("disable");
  if (disable?.values[0] === "yes")
    return { enabled: false, where: { file: b.file, line: disable.line }, why: "disable = yes" };
  const listed = (key: string) => defaults?.attrs.get(key);
  const disabled = listed("disabled");
  if (disabled?.values.includes(b.name) && defaults)
    return {
      enabled: false,
      where: { file: defaults.file, line: disabled.line },
      why: `"disabled" lists ${b.name}`,
    };
  const enabledList = listed("enabled");
  if (enabledList && defaults && !enabledList.values.includes(b.name))
    return {
      enabled: false,
      where: { file: defaults.file, line: enabledList.line },
      why: `"enabled" does not list ${b.name}`,
    };
  return { enabled: true, where: { file: b.file, line: disable?.line ?? b.line }, why: "" };
}

function xinetdService(b: XinetdBlock, defaults: XinetdBlock | undefined): TelnetService {
  const on = xinetdEnabled(b, defaults);
  const server = b.attrs.get("server")?.values[0];
  const args = b.attrs.get("server_args")?.values ?? [];
  const flags = attr(b, defaults, "flags")?.values ?? [];
  const libwrap = b.attrs.get("libwrap")?.values[0] ?? (server ? basename(server) : b.name);
  const wrappers = [{ daemon: libwrap, by: "xinetd's libwrap" }];
  if (server && basename(server) === "tcpd")
    wrappers.push({
      daemon: basename(flags.includes("NAMEINARGS") && args[0] ? args[0] : server),
      by: "tcpd",
    });
  const onlyFrom = attr(b, defaults, "only_from");
  const noAccess = attr(b, defaults, "no_access");
  const instances = limit(b, defaults, "instances");
  const perSource = limit(b, defaults, "per_source");
  const cps = limit(b, defaults, "cps");
  return {
    kind: "xinetd",
    name: b.name,
    enabled: on.enabled,
    decidedBy: on.where,
    why: on.why,
    ...(server ? { server } : {}),
    wrappers,
    ...(onlyFrom ? { onlyFrom } : {}),
    ...(noAccess ? { noAccess } : {}),
    ...(instances ? { instances } : {}),
    ...(perSource ? { perSource } : {}),
    ...(cps ? { cps } : {}),
  };
}

/** The live sockets listening on `port` (IPv4 and IPv6). */
export function listeners(f: ServerFacts, port: number) {
  return (f.live?.sockets ?? []).filter((s) => s.state === "LISTEN" && s.localPort === port);
}

/** The port a service name or number stands for (telnet → 23). */
function portOf(service: string): number | undefined {
  return /^\d+$/.test(service) ? Number(service) : PORTS[service];
}

/** Every configuration that would start a Telnet service on `port`. */
export function telnetServices(f: ServerFacts, port: number): TelnetService[] {
  const out: TelnetService[] = [];
  const defaults = f.xinetd.find((b) => b.kind === "defaults");
  for (const b of f.xinetd) {
    if (b.kind !== "service") continue;
    const p = b.attrs.get("port")?.values[0];
    if ((p !== undefined ? Number(p) : portOf(b.name)) === port)
      out.push(xinetdService(b, defaults));
  }
  if (f.inetd.state === "read")
    for (const e of f.inetd.value) {
      if (portOf(e.service) !== port || e.socketType !== "stream") continue;
      const tcpd = basename(e.server) === "tcpd";
      out.push({
        kind: "inetd",
        name: e.service,
        enabled: e.enabled,
        decidedBy: { file: e.file, line: e.line },
        why: e.enabled ? "" : "the line is commented out",
        server: tcpd ? (e.argv[0] ?? e.server) : e.server,
        wrappers: tcpd ? [{ daemon: basename(e.argv[0] ?? "in.telnetd"), by: "tcpd" }] : [],
      });
    }
  for (const u of f.socketUnits) {
    const l = u.listen.find((x) => x.port === port);
    if (!l) continue;
    const maxPer = u.maxPerSource;
    const max = u.maxConnections;
    out.push({
      kind: "systemd",
      name: basename(u.file),
      enabled: u.enabledBy !== undefined,
      decidedBy: u.enabledBy ? { file: u.enabledBy } : { file: u.file, line: l.line },
      why: u.enabledBy
        ? ""
        : `no link in /etc/systemd/system/sockets.target.wants (\`systemctl enable --now ${basename(u.file)}\`)`,
      wrappers: [],
      ...(max ? { instances: { value: max.value, where: { file: u.file, line: max.line } } } : {}),
      ...(maxPer
        ? { perSource: { value: maxPer.value, where: { file: u.file, line: maxPer.line } } }
        : {}),
    });
  }
  const listening = new Set(listeners(f, port).map((s) => s.inode));
  for (const p of f.live?.processes ?? []) {
    // A telnetd that listens itself: BusyBox `telnetd [-p PORT]`, not one run per connection.
    if (!/telnetd/.test(p.comm) || ![...p.sockets].some((i) => listening.has(i))) continue;
    out.push({
      kind: "busybox",
      name: `${p.argv.join(" ")} (pid ${p.pid})`,
      enabled: true,
      decidedBy: { file: `/proc/${p.pid}/cmdline` },
      why: "",
      wrappers: [],
    });
  }
  return out;
}
