/**
 * @module The diagnosis speaks to the command line (`--user NAME --password-env VAR`,
 * `--keepalive 240s`); a library user sets options instead (`login({ user, password })`,
 * `keepalive: "240s"`). This table translates each flag the diagnosis names into the option
 * or call that does the same, for the end objects and errors the library hands out. The
 * diagnosis itself is not changed: the CLI prints it as it is. `teldoc ...` commands in the
 * advice stay: a library user can run them too.
 */
import type { Diagnosis, EndEvent } from "../trace/events.js";

/** CLI wording → library wording; applied in order, each to every advice and evidence line. */
const FLAG_TO_OPTION: readonly (readonly [RegExp, string])[] = [
  [
    /`--user NAME --password-env VAR` answers it at once/g,
    "`login({ user, password })` right after `connect()` answers it at once",
  ],
  [/`--user NAME --password-env VAR`/g, "`login({ user, password })`"],
  [/`--trace FILE`/g, '`connect({ trace: "session.jsonl" })`'],
  [/`teldoc trace diagnose FILE`/g, "`teldoc trace diagnose session.jsonl`"],
  [/\(--keepalive\)/g, "(the `keepalive` option)"],
  [/\bUse --keepalive (\d+\w*):/g, 'Use `keepalive: "$1"`:'],
  [
    /`--anti-idle TEXT --anti-idle-every (\d+\w*)` sends keystrokes \(/g,
    'send keystrokes yourself every $1 (`s.sendLine("")` on a timer; ',
  ],
  [
    /Raise --login-timeout, or check that the prompts are the ones teldoc answers \(([^)]*)\)\./g,
    "Raise `loginTimeout` (or `login({ timeout })`), or check that the prompts are the ones teldoc answers ($1) and give others with `login({ prompts })`.",
  ],
  [/teldoc's --login-timeout gave up/g, "teldoc's `loginTimeout` gave up"],
  [
    /If a script drives the login, check that its `expect` patterns/g,
    "If your code drives the login, check that its `expect()` patterns",
  ],
];

/**
 * One line of advice or evidence as the library says it.
 * @example libraryWording("Use --keepalive 240s: the connection died after 5.0 min idle.")
 * // 'Use `keepalive: "240s"`: the connection died after 5.0 min idle.'
 */
export function libraryWording(line: string): string {
  let out = line;
  for (const [cli, lib] of FLAG_TO_OPTION) out = out.replace(cli, lib);
  return out;
}

/** The diagnosis with its advice and evidence in the library's words. */
function libraryDiagnosis(d: Diagnosis): Diagnosis {
  return { ...d, advice: d.advice.map(libraryWording), evidence: d.evidence.map(libraryWording) };
}

/** The end object as the library hands it out: its diagnosis in the library's words. */
export function libraryEnd(end: EndEvent): EndEvent {
  return { ...end, diagnosis: libraryDiagnosis(end.diagnosis) };
}
