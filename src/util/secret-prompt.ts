/**
 * @module The one test for "the server is asking for a secret": a password, passcode, PIN or
 * passphrase prompt at the end of a line. The session masks what the user types after it; the
 * diagnosis reads it as the password step of a login. Importable from every layer.
 */

/**
 * A prompt for a secret at the end of a line: `Password:`, `Passcode:`, `PIN:`, `passwd:`,
 * `Enter passphrase for key '/k':`, `[sudo] password for demo:`, `Passwort:`, `Mot de passe :`.
 */
export const SECRET_PROMPT =
  /(?:pass(?:word|wd|code|phrase|wort)|\bpin(?: code)?|mot de passe|contrase.{1,2}a|senha)(?: for [^:\r\n]{1,80})?\s*:\s*$/i;

/** Longer last lines are output, not a prompt. */
const MAX_PROMPT_LINE = 160;

/**
 * True when `line` (the server's unfinished last line, without escape sequences) asks for a
 * secret.
 * @example asksForSecret("lab login: demo\r\nPassword: ".split("\n").pop()!) // true
 */
export function asksForSecret(line: string): boolean {
  return line.length <= MAX_PROMPT_LINE && SECRET_PROMPT.test(line);
}
