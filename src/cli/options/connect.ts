/** @module `teldoc connect HOST [PORT]`: its options and help, declared once. */
import { SESSION_DEFAULTS } from "../../session/options.js";
import { connectHelpText } from "../escape-help.js";
import {
  type GlobalFlags,
  jsonOption,
  LOGIN_OPTIONS,
  TARGET_ARGUMENTS,
  TARGET_OPTIONS,
} from "./common.js";
import { type CommandSpec, durationFlag, type FlagsOf } from "./table.js";

const SCRIPT_HELP = `
Script steps (--script FILE: one a line, # starts a comment):
  expect REGEX [TIMEOUT]  wait for the pattern in the server's text (default: ${durationFlag(SESSION_DEFAULTS.scriptExpectMs)})
  send TEXT               send exactly TEXT, no line end added; escapes: \\r \\n \\t \\\\ \\xHH
                          (blanks around TEXT are dropped: \\x20 is a space)
  sendline TEXT           send TEXT and the line end (CR LF, or CR in BINARY mode)
  sleep DUR               pause
  wait [DUR]              wait for the far end to close (at most DUR)
  close                   close the connection
A step that fails (an expect that times out, the connection ended) stops the script
with one line on stderr, and teldoc exits 1.

Example: PW=secret teldoc r1 --user admin --password-env PW --script show.txt
  show.txt:  expect [#>$] ?$ 10s
             sendline show version
             expect [#>$] ?$ 30s
             sendline exit
             wait 5s`;

export const CONNECT_OPTIONS = {
  ...TARGET_OPTIONS,
  keepalive: {
    flags: "--keepalive <dur>",
    help: "TCP keepalive and IAC NOP at this interval, or off",
    default: "off",
  },
  antiIdle: {
    flags: "--anti-idle <text>",
    help: "send these keystrokes periodically (defeats idle policies)",
  },
  antiIdleEvery: { flags: "--anti-idle-every <dur>", help: "interval for --anti-idle" },
  loginTimeout: {
    flags: "--login-timeout <dur>",
    help: "give up when the login has not completed in this time",
    default: `off; --user waits ${durationFlag(SESSION_DEFAULTS.loginTimeoutMs)} for its prompts`,
  },
  deadPeer: {
    flags: "--dead-peer <dur>",
    help: "after sending, how long without an answer before calling the path dead, or off",
    default: durationFlag(SESSION_DEFAULTS.deadPeerMs),
  },
  trace: { flags: "--trace <file>", help: "record every event and raw byte as JSON Lines" },
  pcap: {
    flags: "--pcap <file>",
    help: "write the session as pcapng (Wireshark: Decode As Telnet on other ports than 23)",
  },
  script: {
    flags: "--script <file>",
    help: "run a script of steps, one a line (see Script steps below)",
  },
  ...LOGIN_OPTIONS,
  linger: {
    flags: "--linger <dur>",
    help: "after standard input ends, wait this long before closing (0s: at once)",
    default: "2s",
  },
  json: jsonOption("print every event and the end as JSON Lines on stdout"),
} as const;

export type ConnectFlags = FlagsOf<typeof CONNECT_OPTIONS> & GlobalFlags;

export const CONNECT = {
  name: "connect",
  description: "open a Telnet session; when it ends, say why (also: teldoc HOST [PORT])",
  arguments: TARGET_ARGUMENTS,
  options: CONNECT_OPTIONS,
  after: `${SCRIPT_HELP}\n\n${connectHelpText()}`,
} as const satisfies CommandSpec;
