/**
 * @module A mistyped command (diagnos 127.0.0.1 for diagnose) is told so, with the command meant,
 * instead of being taken for a host. `teldoc HOST [PORT]` is the default command, so the first
 * word is a host unless all of these hold: it is close to a command's name, it is no address
 * or dotted name, and the word after it is there and is no port. Such a line is one the default
 * command refuses anyway (`port "127.0.0.1" is not valid`), so no host name loses its meaning:
 * lab1 2323, or diagnos alone, still connect to that host.
 */

/** Global flags that may come before the command (they take no value). */
const GLOBAL_FLAGS: ReadonlySet<string> = new Set([
  "--no-color",
  "-q",
  "--quiet",
  "-v",
  "--verbose",
]);

/**
 * Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.
 * @example editDistance("diagnos", "diagnose") // 1
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The command `word` is a slip for: one or two edits away (one for short names), or its start. */
function closest(word: string, commands: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of commands) {
    const distance = editDistance(word.toLowerCase(), name);
    const limit = name.length <= 4 ? 1 : 2;
    const prefix = word.length >= 3 && name.startsWith(word.toLowerCase());
    if ((distance <= limit || prefix) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/** A TCP port as connect takes it: a whole number from 1 to 65535. */
function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/**
 * The mistyped command on this command line and the command meant, or undefined when the
 * line means what it says (a command, or a host for the default command).
 * @example mistypedCommand(["diagnos", "127.0.0.1"], ["connect", "diagnose"]) // { word: "diagnos", meant: "diagnose" }
 * @example mistypedCommand(["lab1", "2323"], ["lab"]) // undefined: a host and its port
 */
export function mistypedCommand(
  argv: readonly string[],
  commands: readonly string[],
): { word: string; meant: string } | undefined {
  let i = 0;
  while (i < argv.length && GLOBAL_FLAGS.has(argv[i])) i++;
  const [word, next] = [argv[i], argv[i + 1]];
  if (word === undefined || word.startsWith("-") || commands.includes(word)) return undefined;
  // Addresses and dotted names are hosts; a host alone, or with a port, is a host.
  if (/[.:[\]]/.test(word) || next === undefined || next.startsWith("-") || isPort(next))
    return undefined;
  const meant = closest(word, commands);
  return meant === undefined ? undefined : { word, meant };
}
