/** @module The server-message corpus, as data: what real systems print when they end a session. */
import type { Cause } from "../trace/events.js";
import type { Stage } from "./types.js";

/** One known server message. */
export interface ServerMessage {
  /** Stable id: `<system>-<what>`. */
  readonly id: string;
  readonly cause: Cause;
  /** Case-insensitive, never global (no lastIndex state). */
  readonly pattern: RegExp;
  /** Who prints it. */
  readonly system: string;
  /** The wording as that system prints it (matches `pattern`, and no other cause's pattern). */
  readonly example: string;
  /** Advice specific to this system, when there is one. */
  readonly advice?: string;
  /** Set when the wording is from memory and not checked against the source or a capture. */
  readonly unverified?: true;
  /** Where it can explain the close, when not its cause's CAUSE_STAGES. */
  readonly stages?: readonly Stage[];
  /** How long before the close it may come, when not CLOSING_WORDS_MS (closing.ts). */
  readonly leadMs?: number;
}

/**
 * Where in a session each cause's wording can explain the close (a row may say otherwise):
 * a refusal before the login or right after the credentials (pam_nologin answers the
 * password), a login timer before the login is done, an idle timer in a session.
 */
export const CAUSE_STAGES: Readonly<Partial<Record<Cause, readonly Stage[]>>> = {
  "acl-rejected": ["before-login", "after-credentials"],
  "service-unavailable": ["before-login", "after-credentials"],
  "auth-failed": ["after-credentials"],
  "login-timeout": ["before-login", "after-credentials"],
  "idle-timeout": ["before-login", "session"],
};

/** Where a message can explain the close. */
export function stagesOf(m: ServerMessage): readonly Stage[] {
  return m.stages ?? CAUSE_STAGES[m.cause] ?? [];
}

/**
 * The corpus. A new message is a new row; `messages.test.ts` checks every row.
 * Rows marked `unverified` should be confirmed against a capture when one is available.
 */
export const SERVER_MESSAGES: readonly ServerMessage[] = [
  // --- auth-failed: credentials rejected -------------------------------------------------
  {
    id: "login-incorrect",
    cause: "auth-failed",
    pattern: /\bLogin incorrect\b/i,
    system: "util-linux / shadow / busybox / FreeBSD login (also Junos)",
    example: "Login incorrect",
  },
  {
    id: "util-linux-max-tries",
    cause: "auth-failed",
    pattern: /Maximum number of tries exceeded/i,
    system: "util-linux login",
    example: "Maximum number of tries exceeded (5)",
  },
  {
    id: "cisco-login-invalid",
    cause: "auth-failed",
    pattern: /^% ?Login invalid/im,
    system: "Cisco IOS",
    example: "% Login invalid",
  },
  {
    id: "cisco-authentication-failed",
    cause: "auth-failed",
    pattern: /\bAuthentication failed\b/i,
    system: "Cisco IOS (AAA) and others",
    example: "% Authentication failed",
  },
  {
    id: "cisco-access-denied",
    cause: "auth-failed",
    pattern: /^% ?Access denied/im,
    system: "Cisco IOS",
    example: "% Access denied",
  },
  {
    id: "cisco-bad-passwords",
    cause: "auth-failed",
    pattern: /^% ?Bad passwords?\b/im,
    system: "Cisco IOS (line password, after three tries)",
    example: "% Bad passwords",
  },
  {
    id: "windows-logon-failure",
    cause: "auth-failed",
    pattern: /Logon failure: unknown user name or bad password|\bLogin Failed\b/i,
    system: "Windows Telnet Server",
    example: "Logon failure: unknown user name or bad password.",
    unverified: true,
  },
  {
    id: "mikrotik-login-failed",
    cause: "auth-failed",
    pattern: /Login failed, incorrect username or password/i,
    system: "MikroTik RouterOS",
    example: "Login failed, incorrect username or password",
    unverified: true,
  },
  {
    id: "invalid-username-or-password",
    cause: "auth-failed",
    pattern: /\bInvalid (?:user ?name|login|password)(?: or password)?\b/i,
    system: "HP/Aruba ProCurve and other network gear",
    example: "Invalid username or password",
    unverified: true,
  },
  // --- login-timeout: no credentials in time ---------------------------------------------
  {
    id: "login-timed-out-after",
    cause: "login-timeout",
    pattern: /\bLogin timed out after \d+ seconds?/i,
    system: "shadow / busybox / FreeBSD login",
    example: "Login timed out after 60 seconds.",
    advice:
      "login's timeout is LOGIN_TIMEOUT in /etc/login.defs (shadow) or fixed at 60 s (busybox).",
  },
  {
    id: "util-linux-timed-out",
    cause: "login-timeout",
    pattern: /\blogin: timed out after \d+ seconds?/i,
    system: "util-linux login",
    example: "login: timed out after 60 seconds",
    advice: "util-linux login's timeout is LOGIN_TIMEOUT in /etc/login.defs (default 60 s).",
    unverified: true,
  },
  {
    id: "cisco-timeout-expired",
    cause: "login-timeout",
    pattern: /% ?(?:Username|Password|Login):\s+timeout expired!?/i,
    system: "Cisco IOS",
    example: "% Password:  timeout expired!",
    advice: "On IOS the login wait is `timeout login response` (default 30 s).",
  },
  // --- idle-timeout: an established session without input --------------------------------
  {
    id: "bash-tmout",
    cause: "idle-timeout",
    pattern: /timed out waiting for input: auto-logout/i,
    system: "bash TMOUT (also busybox ash)",
    example: "timed out waiting for input: auto-logout",
    advice:
      "The shell's TMOUT variable ended it (often readonly in /etc/profile.d); only keystrokes reset it.",
  },
  {
    id: "tcsh-autologout",
    cause: "idle-timeout",
    pattern: /^\s*auto-?logout\s*$/im,
    system: "tcsh/csh autologout",
    example: "auto-logout",
    advice: "tcsh's `autologout` shell variable ended it; only keystrokes reset it.",
  },
  {
    id: "ksh-timeout",
    cause: "idle-timeout",
    pattern: /shell will time ?out in \d+ seconds due to inactivity|\bshell time ?out\b/i,
    // Captured from ksh93u+m 1.0.4 (Debian 12) with TMOUT=2: BEL, this line, CR LF when TMOUT
    // runs out — then ksh waits 60 s more before it exits: the FIN comes TMOUT + 60 s after input.
    system: "ksh93 (TMOUT; warns, exits 60 s later)",
    example: "\x07shell will timeout in 60 seconds due to inactivity",
    leadMs: 70_000,
    advice:
      "ksh's TMOUT ended it: ksh warns when TMOUT runs out and exits 60 s later; only keystrokes reset it.",
  },
  {
    id: "junos-idle-timeout",
    cause: "idle-timeout",
    pattern: /Idle timeout exceeded/i,
    system: "Juniper Junos",
    example: "Idle timeout exceeded: closing session",
    advice: "Junos sets it per login class: `set system login class NAME idle-timeout MINUTES`.",
    unverified: true,
  },
  {
    id: "session-timed-out",
    cause: "idle-timeout",
    pattern: /\bsession (?:has )?timed out\b/i,
    system: "HP/Aruba, Windows Telnet Server and others",
    example: "The session has timed out.",
    unverified: true,
  },
  {
    id: "inactivity-logout",
    cause: "idle-timeout",
    pattern:
      /\b(?:logged out|disconnected|logging out|closed) (?:due to|because of|after) (?:\w+ )?(?:inactivity|idle)/i,
    system: "generic",
    example: "You have been logged out due to inactivity.",
  },
  // --- service-unavailable: busy, limits, maintenance, going down -------------------------
  {
    id: "too-many-connections",
    cause: "service-unavailable",
    pattern: /\btoo many (?:connections|sessions|users|clients)\b/i,
    system: "generic (MUDs, embedded telnetd, per-source limits)",
    example: "Too many connections from your host, try again later.",
  },
  {
    id: "maximum-connections",
    cause: "service-unavailable",
    pattern: /\bmaximum (?:number of )?(?:connections|sessions|users)\b.*\b(?:reached|exceeded)/i,
    system: "Windows Telnet Server and others",
    example: "The maximum number of connections has been reached.",
    unverified: true,
  },
  {
    id: "server-busy",
    cause: "service-unavailable",
    pattern: /\b(?:server|system|host|all lines) (?:is |are )?(?:busy|full)\b/i,
    system: "generic",
    example: "Server busy, please try again later.",
  },
  {
    id: "nologin-going-down",
    cause: "service-unavailable",
    pattern:
      /System is (?:going down|booting up)\. Unprivileged users are not permitted to log in/i,
    system: "systemd pam_nologin (/run/nologin)",
    example:
      "System is going down. Unprivileged users are not permitted to log in anymore. For technical details, see pam_nologin(8).",
  },
  {
    id: "shutdown-wall",
    cause: "service-unavailable",
    pattern:
      /The system is going down for (?:reboot|halt|power-?off|maintenance)|The system will (?:reboot|power off|halt) now/i,
    system: "sysvinit / systemd shutdown wall message",
    example: "The system is going down for reboot NOW!",
    // A wall message reaches every open session, then the system stops.
    stages: ["before-login", "after-credentials", "session"],
  },
  {
    id: "shutting-down",
    cause: "service-unavailable",
    pattern: /\b(?:server|service|system) is shutting down\b/i,
    system: "generic",
    example: "Server is shutting down.",
    // A wall message reaches every open session, then the system stops.
    stages: ["before-login", "after-credentials", "session"],
  },
  {
    id: "maintenance",
    cause: "service-unavailable",
    pattern: /\b(?:under|down for|scheduled|in) maintenance\b|\bmaintenance mode\b/i,
    system: "generic",
    example: "System under maintenance, please try again later.",
  },
  // --- acl-rejected: the server says this client may not connect ---------------------------
  {
    id: "access-denied",
    cause: "acl-rejected",
    pattern: /(?<!% ?)\baccess denied\b/i,
    system: "tcpd banners / twist, custom ACL messages",
    example: "Access denied.",
  },
  {
    id: "not-allowed-to-connect",
    cause: "acl-rejected",
    pattern: /\bnot (?:allowed|permitted|authori[sz]ed) to (?:connect|access|use this)/i,
    system: "generic (tcpd banners, daemons with host lists)",
    example: "You are not allowed to connect from 198.51.100.23.",
  },
  {
    id: "refused-by-acl",
    cause: "acl-rejected",
    pattern: /\bconnection (?:refused|rejected|denied) (?:by|due to) (?:ACL|access list|policy)/i,
    system: "network gear with management ACLs",
    example: "Connection refused by ACL",
    unverified: true,
  },
  {
    id: "tcpd-not-welcome",
    cause: "acl-rejected",
    pattern: /\bnot welcome\b/i,
    system: "tcp_wrappers banners (the sample deny banner)",
    example: "Sorry, you are not welcome to use telnet from 198.51.100.23.",
    unverified: true,
  },
  {
    id: "windows-telnetclients",
    cause: "acl-rejected",
    pattern: /not a member of TelnetClients group/i,
    system: "Windows Telnet Server",
    example: "Access Denied: Specified user is not a member of TelnetClients group.",
    advice: "Ask the administrator to add the account to the TelnetClients group.",
  },
];
