/** @module HOST [PORT] as users write it: names, IPv4, IPv6 literals, `[::1]:2323`. */
import { isIP } from "node:net";
import { TeldocError } from "../errors.js";

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parse a port (number or a few service names). */
export function parsePort(text: string): number {
  const named: Record<string, number> = { telnet: 23, ssh: 22, http: 80 };
  const n = /^\d+$/.test(text) ? Number(text) : named[text.toLowerCase()];
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new TeldocError(
      "TELDOC_ERR_BAD_TARGET",
      `port "${text}" is not valid: use a number from 1 to 65535`,
    );
  }
  return n;
}

/**
 * Read HOST and optional PORT. `[::1]:2323` and `host:2323` carry the port in the host.
 * @example parseTarget("[::1]:2323") // { host: "::1", port: 2323 }
 */
export function parseTarget(hostArg: string, portArg?: string, defaultPort = 23): HostPort {
  let host = hostArg.trim();
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracket) {
    host = bracket[1];
    if (bracket[2] !== undefined) port = parsePort(bracket[2]);
  } else if (isIP(host) === 0 && /^[^:]+:\d+$/.test(host)) {
    const at = host.lastIndexOf(":");
    port = parsePort(host.slice(at + 1));
    host = host.slice(0, at);
  }
  if (portArg !== undefined) {
    if (port !== undefined) {
      throw new TeldocError(
        "TELDOC_ERR_BAD_TARGET",
        `the port is given twice: "${hostArg}" and "${portArg}"`,
      );
    }
    port = parsePort(portArg);
  }
  if (host === "" || (bracket && isIP(host) !== 6)) {
    throw new TeldocError(
      "TELDOC_ERR_BAD_TARGET",
      `host "${hostArg}" is not valid: give a name, an IPv4 or an IPv6 address`,
    );
  }
  if (isIP(host) === 0 && !/^[A-Za-z0-9._-]+$/.test(host)) {
    throw new TeldocError(
      "TELDOC_ERR_BAD_TARGET",
      `host "${hostArg}" is not a valid name or address (IPv6 with a port is written [::1]:2323)`,
    );
  }
  return { host, port: port ?? defaultPort };
}
