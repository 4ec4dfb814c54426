/**
 * @module Test support: REAL Debian daemons on loopback for end-to-end tests (xinetd + inetutils
 * telnetd + the real /bin/login + bash, tcpd, sshd). Root only; every daemon binds 127.0.0.1
 * on a port picked here, and every wait is bounded.
 *
 * FACTS (measured on Debian 12: inetutils-telnetd 2:2.4-2+deb12u3, xinetd 1:2.3.15.3-1+b1
 * ("libwrap loadavg"), /bin/login from Debian's `login` package = shadow 4.13 (NOT util-linux's
 * login on Debian 12), bash 5.2.15, tcpd 7.6.q-32, OpenSSH 9.2p1; proven by daemons.test.ts):
 *
 * telnetd under xinetd (`server = /usr/sbin/telnetd`, `server_args = -h`):
 * - Speaks first, within ~10 ms, in this order: IAC WILL AUTHENTICATION(37), WILL ENCRYPT(38),
 *   DO TTYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON, DO OLD-ENVIRON(36); WILL SGA, DO ECHO,
 *   DO LINEMODE, DO NAWS, WILL STATUS, DO LFLOW; WILL ECHO, DO TIMING-MARK, DO BINARY; and
 *   WILL SGA, WILL ECHO again. Refusing everything (WONT/DONT) is enough: `<hostname> login: `
 *   follows within ~20 ms (the prompt carries the machine's hostname, e.g. "vm login: ").
 * - Accepting SGA (DO SGA) but refusing LINEMODE: telnetd then sends WONT SGA on its own — BSD
 *   telnetd's "kludge linemode" — and the session runs with the server's ECHO only.
 * - `-h` (--no-hostinfo) suppresses the host banner printed before login; `-E PROG` would
 *   replace /bin/login. Nothing else is needed under xinetd (stdin/stdout = the socket).
 * - Good login: "Password: " (echo off) -> "\r\n" + motd (~30 ms) -> `user@host:~$ `.
 * - Wrong password (or unknown user): "\r\nLogin incorrect\r\n" ~3 s after the password
 *   (pam_faildelay delay=3000000 in /etc/pam.d/login; PAM randomizes it by up to 25 %: seen
 *   3.0 s and 3.6 s), then a fresh `<hostname> login: `
 *   prompt on the same connection (no close).
 * - `exit` in the shell: "logout\r\n", then FIN.
 * - XinetdHandle.stop() (SIGTERM to xinetd and its descendants): live sessions see a FIN.
 *
 * bash idle auto-logout (TMOUT): a login shell (login execs "-bash") reads /etc/profile, then the
 * FIRST of ~/.bash_profile, ~/.bash_login, ~/.profile. With `TMOUT=3; readonly TMOUT` in
 * ~/.bash_profile the server sends, 3.0 s after the prompt, exactly
 * "\x07timed out waiting for input: auto-logout\r\n" (note the leading BEL), then FIN (~2 ms).
 *
 * Login timeout: shadow's login reads LOGIN_TIMEOUT from /etc/login.defs (Debian: 60) at every
 * start; login has no flag for it and telnetd passes none. At the "login: " prompt it prints
 * "\r\nLogin timed out after N seconds.\r\n" exactly N s after it started, then FIN. Two ways:
 * `telnetdLogin({ loginTimeout: N })` runs telnetd in a private mount namespace with a copy of
 * login.defs bind-mounted over /etc/login.defs (nothing global changes; needs `unshare -m`), or
 * `withLoginTimeout(N, fn)` rewrites the real file for the duration of fn and restores it.
 *
 * tcpd: xinetd sets argv[0] to basename(server), but tcpd takes the daemon's path AND its
 * hosts.allow/deny name from argv[0]. So `server = /usr/sbin/tcpd` + `server_args = /path/name`
 * makes tcpd exec itself in a loop (100 % CPU, no bytes), and `flags = NAMEINARGS` makes the
 * xinetd child SIGSEGV (connection closed at once, "status=1"). What works: a script
 * `exec -a /dir/NAME /usr/sbin/tcpd -h` with /dir/NAME -> /usr/sbin/telnetd (telnetdViaTcpd).
 * - tcpd DENY: the handshake succeeds, no byte at all is sent, and the FIN comes only after
 *   5.0 s (tcp_wrappers' clean_exit() sleeps 5 s before exit) — not RST, not immediate.
 *   xinetd logs START then "EXIT: <svc> status=0 ... duration=5(sec)"; tcpd itself logs
 *   "refused connect from 127.0.0.1" to syslog only.
 *   Allowed: identical to plain telnetd (negotiation, then login prompt).
 *
 * xinetd's own refusals (all: no bytes unless banner_fail is set, then FIN within ~5 ms; the
 * listener keeps accepting, so the TCP handshake always succeeds — never RST, never refused):
 * - only_from / no_access:  log "FAIL: <svc> address from=127.0.0.1".
 * - instances = N (N+1th concurrent): log "FAIL: <svc> service_limit from=...".
 * - per_source = N:          log "FAIL: <svc> per_source_limit from=...".
 * - built-in libwrap (xinetd is compiled with it): checks hosts.allow/deny under the name given
 *   by the `libwrap` attribute, by default basename(server) — a host's "telnetd: ALL" line makes
 *   xinetd drop telnetd services itself: log "FAIL: <svc> libwrap from=...". This module sets
 *   `libwrap = <service name>` so host rules for "telnetd" do not leak into fixtures.
 * - banner_fail = FILE: the file's bytes are sent verbatim before the FIN on every one of these
 *   refusals (checked for only_from, per_source, instances and libwrap).
 * - A port that is already taken: xinetd logs "bind failed ... service = X" ten times, then
 *   "Service X failed to start and is deactivated." and keeps running the others.
 *
 * Concurrency: hosts.deny and login.defs edits are read-modify-write on shared files; two test
 * processes editing them at the same moment can race. Prefer the namespaced login timeout.
 *
 * sshd: needs /run/sshd (created here), `-D -e -f conf`; it sends its banner
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n" within ~10 ms of a connection.
 */
export * from "./daemons/base.js";
export * from "./daemons/login-defs.js";
export * from "./daemons/processes.js";
export * from "./daemons/services.js";
export * from "./daemons/sshd.js";
export * from "./daemons/tcpd.js";
export * from "./daemons/users.js";
export * from "./daemons/xinetd.js";
