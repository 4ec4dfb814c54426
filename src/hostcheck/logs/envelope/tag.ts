/** @module The syslog tag: `prog[pid]: message` (or `prog: message`) split into its parts. */

const TAG = /^([^\s[\]:]{1,64})(?:\[(\d{1,10})\])?: ?/;

/** A program name as the parsers know it: no path, lower case (`/usr/sbin/in.telnetd` → `in.telnetd`). */
export function programName(name: string): string {
  const slash = name.lastIndexOf("/");
  return (slash >= 0 ? name.slice(slash + 1) : name).toLowerCase();
}

/**
 * Split `prog[pid]: message`; a text without a tag has the program "".
 * @example splitTag("login[42]: FAILED LOGIN") // { program: "login", pid: 42, message: "FAILED LOGIN" }
 */
export function splitTag(text: string): {
  program: string;
  pid: number | undefined;
  message: string;
} {
  const m = TAG.exec(text);
  // A message without a tag (`syslogd started: ...` from BusyBox, `last message repeated`) is
  // a line of no program of ours.
  if (!m) return { program: "", pid: undefined, message: text };
  return {
    program: programName(m[1]!),
    pid: m[2] === undefined ? undefined : Number(m[2]),
    message: text.slice(m[0].length),
  };
}
