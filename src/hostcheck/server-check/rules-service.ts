/**
 * @module Rules for `listening` (who holds the port on the live host) and `service` (which
 * configuration starts Telnet there, on or off). Nothing listening and nothing on → the
 * `refused` a client would see; another program on the port → `wrong-service`. Pure.
 */
import type { ServerFacts } from "./facts.js";
import { listeners, type TelnetService } from "./services.js";
import { type ServerCheck, skippedCheck } from "./types.js";

/** Programs that hold a Telnet port for a telnetd: super-servers and systemd's socket. */
const TELNET_HOLDERS =
  /^(xinetd|inetd|openbsd-inetd|inetutils-inetd|systemd|.*telnetd.*|tcpsvd|busybox)$/;

/** The `listening` check: who listens on the port, from /proc (live only). */
export function listeningCheck(f: ServerFacts, port: number): ServerCheck {
  if (!f.live)
    return skippedCheck("listening", `not the live host (--root ${f.root}): sockets are not read`);
  const socks = listeners(f, port);
  if (socks.length === 0)
    return {
      id: "listening",
      status: "fail",
      summary: `nothing listens on TCP port ${port}: a client's connection is refused (RST)`,
      data: { port, sockets: [] },
      file: "/proc/net/tcp",
      cause: "refused",
      advice: [
        "Start the service that should listen there (see `service`), e.g. `systemctl start xinetd`.",
      ],
    };
  const owners = socks.map((s) => ({
    address: s.localAddress,
    inode: s.inode,
    processes: f
      .live!.processes.filter((p) => p.sockets.has(s.inode))
      .map((p) => ({ pid: p.pid, comm: p.comm, argv: p.argv })),
  }));
  const names = [...new Set(owners.flatMap((o) => o.processes.map((p) => p.comm)))];
  const where = [
    ...new Set(
      socks.map((s) => (s.localAddress.includes(":") ? `[${s.localAddress}]` : s.localAddress)),
    ),
  ].join(", ");
  const data = { port, sockets: owners };
  if (names.length === 0)
    return {
      id: "listening",
      status: "warn",
      summary: `port ${port} listens on ${where}, but its process is not visible (another namespace, or not ours to read)`,
      data,
    };
  const other = names.filter((n) => !TELNET_HOLDERS.test(n));
  if (other.length > 0)
    return {
      id: "listening",
      status: "fail",
      summary: `port ${port} is held by ${other.join(", ")} on ${where}, not by a Telnet service: a client gets that program (wrong-service)`,
      data,
      cause: "wrong-service",
      advice: [
        `Move Telnet or that program to another port; \`ss -ltnp 'sport = :${port}'\` shows it.`,
      ],
    };
  return {
    id: "listening",
    status: "pass",
    summary: `${names.join(", ")} listens on ${where} port ${port}`,
    data,
  };
}

function describe(s: TelnetService): string {
  const at = `${s.decidedBy.file}${s.decidedBy.line ? `:${s.decidedBy.line}` : ""}`;
  return `${s.kind} ${s.name} (${at})${s.enabled ? "" : `: off, ${s.why}`}`;
}

/** The `service` check: which configuration starts Telnet on the port. */
export function serviceCheck(
  f: ServerFacts,
  port: number,
  services: readonly TelnetService[],
): ServerCheck {
  const on = services.filter((s) => s.enabled);
  const data = {
    port,
    services: services.map((s) => ({
      kind: s.kind,
      name: s.name,
      enabled: s.enabled,
      ...s.decidedBy,
      ...(s.server ? { server: s.server } : {}),
    })),
    xinetdFiles: f.xinetdFiles,
  };
  const first = on[0];
  if (first)
    return {
      id: "service",
      status: "pass",
      summary: `Telnet on port ${port} is started by ${on.map(describe).join("; ")}`,
      data,
      ...first.decidedBy,
    };
  const off = services[0];
  const listening = f.live ? listeners(f, port).length > 0 : false;
  if (off)
    return {
      id: "service",
      status: listening ? "warn" : "fail",
      summary: `Telnet on port ${port} is configured but turned off: ${services.map(describe).join("; ")}${listening ? " (yet something listens: see listening)" : ": a client's connection is refused"}`,
      data,
      ...off.decidedBy,
      ...(listening ? {} : { cause: "refused" as const }),
      advice: [serviceAdvice(off)],
    };
  return {
    id: "service",
    status: listening ? "warn" : "fail",
    summary: `no inetd, xinetd or systemd configuration starts Telnet on port ${port}${listening ? " (something listens anyway: see listening)" : ": a client's connection is refused"}`,
    data,
    ...(listening ? {} : { cause: "refused" as const }),
    advice: [
      "Install and enable a telnetd (Debian: `apt install inetutils-telnetd` with xinetd or openbsd-inetd).",
    ],
  };
}

function serviceAdvice(s: TelnetService): string {
  const at = `${s.decidedBy.file}${s.decidedBy.line ? `:${s.decidedBy.line}` : ""}`;
  if (s.kind === "xinetd")
    return `Set \`disable = no\` (${at}) and reload xinetd (\`systemctl reload xinetd\`).`;
  if (s.kind === "inetd") return `Uncomment ${at} and reload inetd (\`systemctl reload inetd\`).`;
  return `\`systemctl enable --now ${s.name}\`.`;
}
