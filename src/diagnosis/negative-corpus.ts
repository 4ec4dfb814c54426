/** @module The negative corpus, as data: text servers print that sounds like a reason to close but is not one (banners, legal notices, MOTDs, command output). */

/** Where a text is printed, and so where the tests place it in a trace. */
export type InnocentKind = "legal-banner" | "motd" | "command-output";

/** One text that must never, by itself, change why a session ended. */
export interface InnocentText {
  readonly kind: InnocentKind;
  /** As printed (LF line ends; the tests send CR LF). */
  readonly text: string;
  /** Who prints it; "illustrative" when it is made up in the style of real ones. */
  readonly source: string;
  /** The words in it that a rule could take for a reason. */
  readonly lure: string;
}

/** Where each kind of text comes from. */
export const INNOCENT_KINDS: Readonly<Record<InnocentKind, string>> = {
  "legal-banner":
    "before the login prompt: /etc/issue.net (telnetd), Cisco `banner login`/`banner motd`, Junos `system login message`; legal notices warn the unauthorised",
  motd: "after the login, before the first shell prompt: /etc/motd, pam_motd and update-motd.d, pam_lastlog, a device's MOTD banner",
  "command-output":
    "in a session, what the user's commands print: clients refused by their own servers, full disks, permissions, wall messages",
};

/**
 * The corpus. A new text is a new row; `negative-corpus.test.ts` places every row in
 * realistic traces and checks the cause does not change.
 */
export const NEGATIVE_CORPUS: readonly InnocentText[] = [
  // --- legal banners -----------------------------------------------------------------------
  {
    kind: "legal-banner",
    text: "If you are not authorized to use this system, disconnect now.",
    source: "illustrative (the usual closing line of /etc/issue.net notices)",
    lure: "not authorized",
  },
  {
    kind: "legal-banner",
    text: "UNAUTHORIZED ACCESS TO THIS DEVICE IS PROHIBITED\nYou must have explicit, authorized permission to access or configure this device.\nUnauthorized attempts and actions to access or use this system may result in civil and/or criminal penalties.\nAll activities performed on this device are logged and monitored.",
    source: "Cisco IOS default login banner (Cisco Configuration Professional / SDM)",
    lure: "unauthorized, prohibited",
  },
  {
    kind: "legal-banner",
    text: "Authorized access only! Disconnect IMMEDIATELY if you are not an authorized user!",
    source: "Cisco `banner motd` as Cisco Networking Academy labs configure it",
    lure: "not an authorized user",
  },
  {
    kind: "legal-banner",
    text: "Authorized uses only. All activity may be monitored and reported.",
    source: "CIS Benchmarks' recommended /etc/issue and /etc/issue.net",
    lure: "authorized",
  },
  {
    kind: "legal-banner",
    text: "You are accessing a U.S. Government (USG) Information System (IS) that is provided for USG-authorized use only.",
    source: "DoD standard notice and consent banner (first sentence)",
    lure: "authorized use only",
  },
  {
    kind: "legal-banner",
    text: "This system is for the use of authorized users only. Individuals using this computer\nsystem without authority, or in excess of their authority, are subject to having all\nof their activities on this system monitored and recorded by system personnel.",
    source: "CERT advisory CA-1992-19's sample banner, still in many /etc/issue.net",
    lure: "without authority",
  },
  {
    kind: "legal-banner",
    text: "WARNING: Unauthorized access to this system is forbidden and will be prosecuted by law.\nBy accessing this system, you agree that your actions may be monitored if unauthorized usage is suspected.",
    source: "common /etc/issue.net sample in Linux hardening guides",
    lure: "unauthorized, forbidden",
  },
  {
    kind: "legal-banner",
    text: "Access to this system is restricted to authorized personnel. Access denied to all others.",
    source: "illustrative",
    lure: "access denied",
  },
  {
    kind: "legal-banner",
    text: "You are not allowed to connect unless you have been granted access by the NOC.",
    source: "illustrative",
    lure: "not allowed to connect",
  },
  {
    kind: "legal-banner",
    text: "Telnet is deprecated on this host and will be shut down on June 30; please use SSH.",
    source: "illustrative (a notice in /etc/issue.net)",
    lure: "shut down",
  },
  {
    kind: "legal-banner",
    text: "Accounts are locked for 15 minutes after 5 failed logins. Session limit: 2 per user.",
    source: "illustrative (a login policy notice)",
    lure: "limit",
  },
  // --- MOTDs ---------------------------------------------------------------------------------
  {
    kind: "motd",
    text: "Scheduled maintenance: Sundays 02:00-04:00",
    source: "illustrative (/etc/motd)",
    lure: "scheduled maintenance",
  },
  {
    kind: "motd",
    text: "The system is going down for maintenance on Saturday 22:00 UTC.",
    source: "illustrative (/etc/motd announcing a window, in the shutdown wall's words)",
    lure: "going down for maintenance",
  },
  {
    kind: "motd",
    text: "*** System restart required ***",
    source: "Ubuntu update-motd.d/98-reboot-required",
    lure: "restart",
  },
  {
    kind: "motd",
    text: "Expanded Security Maintenance for Applications is not enabled.",
    source: "Ubuntu 22.04 update-motd.d (ESM notice)",
    lure: "maintenance",
  },
  {
    kind: "motd",
    text: "This system has been minimized by removing packages and content that are\nnot required on a system that users do not log into.",
    source: "Ubuntu minimal images, update-motd.d/60-unminimize",
    lure: "not required",
  },
  {
    kind: "motd",
    text: "The programs included with the Debian GNU/Linux system are free software;\nthe exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\nDebian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.",
    source: "Debian /etc/motd",
    lure: "permitted",
  },
  {
    kind: "motd",
    text: "Last failed login: Tue Mar  5 08:01:22 UTC 2024 from 198.51.100.23 on ssh:notty\nThere were 3 failed login attempts since the last successful login.",
    source: "pam_lastlog (RHEL, Fedora)",
    lure: "failed login",
  },
  {
    kind: "motd",
    text: "Warning: disk quota exceeded on /home (limit 5G).",
    source: "illustrative (a quota check in /etc/profile.d)",
    lure: "exceeded, limit",
  },
  {
    kind: "motd",
    text: "This server is busy on weekdays 09:00-17:00; run batch jobs at night.",
    source: "illustrative (/etc/motd)",
    lure: "busy",
  },
  {
    kind: "motd",
    text: "Too many users on this box - please log out when you are done.",
    source: "illustrative (/etc/motd)",
    lure: "too many users",
  },
  {
    kind: "motd",
    text: "Server is shutting down for good on 2024-12-31; move your files.",
    source: "illustrative (/etc/motd)",
    lure: "server is shutting down",
  },
  {
    kind: "motd",
    text: "Idle sessions are logged out due to inactivity after 15 minutes.",
    source: "illustrative (/etc/motd explaining TMOUT)",
    lure: "logged out due to inactivity",
  },
  // --- command output -----------------------------------------------------------------------
  {
    kind: "command-output",
    text: "ERROR 1045 (28000): Access denied for user 'bob'@'localhost' (using password: YES)",
    source: "MySQL client",
    lure: "access denied",
  },
  {
    kind: "command-output",
    text: "mysqladmin: connect to server at 'localhost' failed\nerror: 'Too many connections'",
    source: "MySQL client (ER_CON_COUNT_ERROR)",
    lure: "too many connections",
  },
  {
    kind: "command-output",
    text: 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  sorry, too many clients already',
    source: "PostgreSQL client",
    lure: "too many clients",
  },
  {
    kind: "command-output",
    text: "/: write failed, file system is full",
    source: "BSD kernel (ffs) on the console and in dmesg",
    lure: "system is full",
  },
  {
    kind: "command-output",
    text: "cp: error writing 'big.iso': No space left on device",
    source: "GNU coreutils",
    lure: "no space",
  },
  {
    kind: "command-output",
    text: "-bash: /etc/shadow: Permission denied",
    source: "bash",
    lure: "denied",
  },
  {
    kind: "command-output",
    text: "alice is not in the sudoers file.  This incident will be reported.",
    source: "sudo (before 1.9.9)",
    lure: "not in the sudoers",
  },
  {
    kind: "command-output",
    text: "su: Authentication failure",
    source: "util-linux su",
    lure: "authentication failure",
  },
  {
    kind: "command-output",
    text: "Failed to restart nginx.service: Access denied\nSee system logs and 'systemctl status nginx.service' for details.",
    source: "systemctl (polkit refusal)",
    lure: "access denied",
  },
  {
    kind: "command-output",
    text: "ssh: connect to host 192.0.2.9 port 22: Connection refused",
    source: "OpenSSH client",
    lure: "refused",
  },
  {
    kind: "command-output",
    text: "rm: cannot remove '/mnt/usb': Device or resource busy",
    source: "GNU coreutils (EBUSY)",
    lure: "busy",
  },
  {
    kind: "command-output",
    text: "-bash: fork: retry: Resource temporarily unavailable",
    source: "bash (EAGAIN)",
    lure: "temporarily unavailable",
  },
  {
    kind: "command-output",
    text: "tail: inotify cannot be used, reverting to polling: Too many open files",
    source: "GNU coreutils (EMFILE)",
    lure: "too many",
  },
  {
    kind: "command-output",
    text: "-bash: ulimit: open files: cannot modify limit: Operation not permitted",
    source: "bash",
    lure: "limit, not permitted",
  },
  {
    kind: "command-output",
    text: "HTTP/1.1 503 Service Unavailable\nRetry-After: 120",
    source: "curl -I against a web server",
    lure: "service unavailable",
  },
  {
    kind: "command-output",
    text: "HTTP/1.1 403 Forbidden",
    source: "curl -I against a web server",
    lure: "forbidden",
  },
  {
    kind: "command-output",
    text: "waiting for server to shut down.... done\nserver stopped",
    source: "PostgreSQL pg_ctl stop",
    lure: "shut down",
  },
  {
    kind: "command-output",
    text: "Broadcast message from root@host on pts/1 (Sun 2024-03-10 00:00:00 UTC):\n\nThe system is going down for reboot at Sun 2024-03-10 10:00:00 UTC!",
    source:
      "systemd shutdown wall for `shutdown -r 10:00` (a scheduled, not an imminent, shutdown)",
    lure: "going down for reboot",
  },
  {
    kind: "command-output",
    text: "% Authorization failed.",
    source: "Cisco IOS (AAA command authorization)",
    lure: "failed",
  },
  {
    kind: "command-output",
    text: "Login incorrect",
    source: "`login` run inside the session, or `su -l` on some systems",
    lure: "login incorrect",
  },
  {
    kind: "command-output",
    text: "timed out waiting for input: auto-logout",
    source:
      "bash TMOUT of a nested shell (`bash -c 'TMOUT=5 bash'`), after which the outer shell goes on",
    lure: "auto-logout",
  },
];
