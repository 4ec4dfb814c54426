/**
 * @module Test support: xinetd service presets — telnetd + login, telnetd behind tcpd, limits,
 * only_from, a shell command.
 */
import { readFileSync } from "node:fs";
import { BIN, HOSTS_DENY, LOGIN_DEFS, UNSHARE } from "./base.js";
import { rewriteLoginDef, rewriteLoginTimeout } from "./login-defs.js";
import { denyLine } from "./tcpd.js";
import type { FixtureFile, ServiceSpec } from "./xinetd.js";

// ---------------------------------------------------------------------------------------------
// Service presets.

/**
 * inetutils telnetd (`-h`: no host banner) running the real /bin/login. With `loginTimeout`
 * and/or `loginRetries`, telnetd runs in a private mount namespace where /etc/login.defs is a
 * copy with that LOGIN_TIMEOUT / LOGIN_RETRIES (needs canUnshareMount(); the real file is
 * untouched). With LOGIN_RETRIES = N, login prints "Login incorrect" after the Nth wrong
 * password and exits (FIN) instead of asking again.
 */
export function telnetdLogin(
  options: { name?: string; loginTimeout?: number; loginRetries?: number } = {},
): ServiceSpec {
  const { loginTimeout, loginRetries } = options;
  const suffix =
    (loginTimeout === undefined ? "" : `-t${loginTimeout}`) +
    (loginRetries === undefined ? "" : `-r${loginRetries}`);
  const name = options.name ?? `teldoc-login${suffix}`;
  if (loginTimeout === undefined && loginRetries === undefined) {
    return { name, server: BIN.telnetd, serverArgs: ["-h"] };
  }
  let defs = readFileSync(LOGIN_DEFS, "utf8");
  if (loginTimeout !== undefined) defs = rewriteLoginTimeout(defs, loginTimeout);
  if (loginRetries !== undefined) defs = rewriteLoginDef(defs, "LOGIN_RETRIES", loginRetries);
  return {
    name,
    server: `{dir}/${name}.sh`,
    files: [
      { path: `${name}.login.defs`, content: defs },
      {
        path: `${name}.sh`,
        mode: 0o755,
        content: [
          "#!/bin/sh",
          "# A private mount namespace in which /etc/login.defs has our LOGIN_TIMEOUT/LOGIN_RETRIES.",
          `exec ${UNSHARE} --mount --propagation private /bin/sh -c \\`,
          `  'mount --bind "$0" ${LOGIN_DEFS} && exec ${BIN.telnetd} -h' {dir}/${name}.login.defs`,
          "",
        ].join("\n"),
      },
    ],
  };
}

export const DAEMON_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * telnetd behind tcpd, whose hosts.allow/deny name is `daemonName` (tcpd takes it from argv[0]:
 * a script execs tcpd with argv[0] = {dir}/daemonName, a symlink to telnetd).
 *
 * With `denied: true`, tcpd runs in a private mount namespace where /etc/hosts.deny is a copy
 * with a `daemonName: ALL` line (needs canUnshareMount() and an existing /etc/hosts.deny):
 * every connection is denied and the real file is never edited, so concurrent test processes
 * cannot race on it (denyWithTcpd edits the real file).
 */
export function telnetdViaTcpd(
  daemonName: string,
  options: { name?: string; denied?: boolean } = {},
): ServiceSpec {
  if (!DAEMON_NAME.test(daemonName)) throw new Error(`bad daemon name: ${daemonName}`);
  const name = options.name ?? `teldoc-tcpd-${daemonName}${options.denied ? "-denied" : ""}`;
  const exec = `exec -a {dir}/${daemonName} ${BIN.tcpd} -h`;
  const files: FixtureFile[] = [{ path: daemonName, symlinkTo: BIN.telnetd }];
  if (options.denied) {
    const current = readFileSync(HOSTS_DENY, "utf8");
    files.push(
      {
        path: `${name}.hosts.deny`,
        content:
          (current === "" || current.endsWith("\n") ? current : `${current}\n`) +
          denyLine(daemonName),
      },
      {
        path: `${name}.sh`,
        mode: 0o755,
        content: [
          "#!/bin/bash",
          "# A private mount namespace in which /etc/hosts.deny denies this daemon name; tcpd",
          "# takes the daemon's path and its hosts.allow/deny name from argv[0].",
          `exec ${UNSHARE} --mount --propagation private /bin/bash -c \\`,
          `  'mount --bind "$0" ${HOSTS_DENY} && ${exec}' {dir}/${name}.hosts.deny`,
          "",
        ].join("\n"),
      },
    );
  } else {
    files.push({
      path: `${name}.sh`,
      mode: 0o755,
      content: [
        "#!/bin/bash",
        "# tcpd takes the daemon's path and its hosts.allow/deny name from argv[0].",
        exec,
        "",
      ].join("\n"),
    });
  }
  return { name, server: `{dir}/${name}.sh`, files };
}

/** telnetd with xinetd's `instances` / `per_source` limits (and optional banner_fail). */
export function limited(options: {
  instances?: number;
  perSource?: number;
  bannerFail?: string;
  name?: string;
}): ServiceSpec {
  const spec: ServiceSpec = {
    name: options.name ?? "teldoc-limited",
    server: BIN.telnetd,
    serverArgs: ["-h"],
  };
  if (options.instances !== undefined) spec.instances = options.instances;
  if (options.perSource !== undefined) spec.perSource = options.perSource;
  if (options.bannerFail !== undefined) spec.bannerFail = options.bannerFail;
  return spec;
}

/** telnetd that xinetd only serves to `address` (so 127.0.0.1 is refused). */
export function onlyFrom(
  address: string,
  options: { name?: string; bannerFail?: string } = {},
): ServiceSpec {
  const spec: ServiceSpec = {
    name: options.name ?? "teldoc-onlyfrom",
    server: BIN.telnetd,
    serverArgs: ["-h"],
    onlyFrom: [address],
  };
  if (options.bannerFail !== undefined) spec.bannerFail = options.bannerFail;
  return spec;
}

/**
 * A /bin/sh script as the service (stdin/stdout are the socket), e.g. a banner and exit, or a
 * crash, or the wrong protocol: `shellService("teldoc-crash", "printf 'hi\\r\\n'; kill -SEGV $$")`.
 */
export function shellService(
  name: string,
  script: string,
  limits: Pick<
    ServiceSpec,
    "instances" | "perSource" | "onlyFrom" | "noAccess" | "bannerFail"
  > = {},
): ServiceSpec {
  return {
    ...limits,
    name,
    server: `{dir}/${name}.sh`,
    files: [{ path: `${name}.sh`, mode: 0o755, content: `#!/bin/sh\n${script}\n` }],
  };
}
