/**
 * @module The `limits` rule: xinetd `instances` / `per_source` / `cps` (or a socket unit's
 * MaxConnections / MaxConnectionsPerSource) against the sessions open now (established
 * connections to the port in /proc/net/tcp; with a client, its own). A full limit means the
 * next client is accepted and closed at once (service-unavailable). Pure.
 */
import type { Address } from "./address.js";
import type { ServerFacts } from "./facts.js";
import type { Limit, TelnetService } from "./services.js";
import { type ServerCheck, skippedCheck } from "./types.js";

const at = (l: Limit) => `${l.where.file}${l.where.line ? `:${l.where.line}` : ""}`;

/** The `limits` check. */
export function limitsCheck(
  f: ServerFacts,
  port: number,
  services: readonly TelnetService[],
  client: Address | undefined,
): ServerCheck {
  const s = services.find((x) => x.enabled && (x.instances || x.perSource || x.cps));
  if (!s) return skippedCheck("limits", "no instances, per_source or cps limit for the service");
  const limits = {
    ...(s.instances ? { instances: { value: s.instances.value, at: at(s.instances) } } : {}),
    ...(s.perSource ? { perSource: { value: s.perSource.value, at: at(s.perSource) } } : {}),
    ...(s.cps ? { cps: { value: s.cps.value, at: at(s.cps) } } : {}),
  };
  const said = Object.entries(limits)
    .map(([k, v]) => `${k} ${v.value} (${v.at})`)
    .join(", ");
  if (!f.live)
    return {
      id: "limits",
      status: "pass",
      summary: `${s.kind} ${s.name}: ${said}; sessions not counted (not the live host)`,
      data: { limits },
      ...(s.instances ?? s.perSource ?? s.cps)!.where,
    };
  const est = f.live.sockets.filter((x) => x.state === "ESTABLISHED" && x.localPort === port);
  const sessions = est.length;
  const fromClient = client ? est.filter((x) => x.remoteAddress === client.text).length : undefined;
  const data = { limits, sessions, ...(fromClient !== undefined ? { fromClient } : {}) };
  const full =
    s.instances && sessions >= s.instances.value
      ? s.instances
      : client && s.perSource && (fromClient ?? 0) >= s.perSource.value
        ? s.perSource
        : undefined;
  if (full)
    return {
      id: "limits",
      status: "fail",
      summary: `${full === s.instances ? `${sessions} session(s) open, instances = ${full.value}` : `${fromClient} session(s) from ${client?.text}, per_source = ${full.value}`} (${at(full)}): the next connection is accepted and closed at once → service-unavailable`,
      data,
      ...full.where,
      cause: "service-unavailable",
      advice: [
        "Close stale sessions (`who`, `ss -tnp 'sport = :" +
          port +
          "'`) or raise the limit and reload xinetd.",
      ],
    };
  return {
    id: "limits",
    status: "pass",
    summary: `${sessions} session(s) open${fromClient !== undefined ? ` (${fromClient} from ${client?.text})` : ""}; ${said}`,
    data,
    ...(s.instances ?? s.perSource ?? s.cps)!.where,
  };
}
