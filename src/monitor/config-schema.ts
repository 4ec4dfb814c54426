/**
 * @module The monitor config's shape in zod, one strict object per section (the top, `defaults`,
 * each target, each alert), so a broken section does not hide the problems of the others. Each
 * value goes through its reader (config-values.ts); zod's own issues become problems with the
 * setting's path and its place in the file.
 */
import { z } from "zod";
import { type ConfigProblem, formatPath } from "./config-error.js";
import {
  Bad,
  readCommand,
  readConnects,
  readCount,
  readDuration,
  readEnvName,
  readHost,
  readInterval,
  readLevel,
  readListen,
  readName,
  readPort,
  readStorage,
  readTags,
  readUser,
  readWebhook,
  show,
} from "./config-values.js";
import type { YamlSource } from "./config-yaml.js";
import { MAX_ALERT_WITHIN, MIN_HOLD_MS } from "./plan.js";

/** A zod value read by `read`; its Bad becomes the issue's message. */
function field<T>(read: (v: unknown) => T | Bad) {
  return z.unknown().transform((v, ctx): T => {
    const r = read(v);
    if (r instanceof Bad) {
      ctx.addIssue({ code: "custom", message: r.message, input: v });
      return z.NEVER;
    }
    return r;
  });
}

const opt = <T>(read: (v: unknown) => T | Bad) => field(read).optional();

/** The top level; the sections are read on their own. */
export const topSchema = z.strictObject({
  vantage: opt(readName),
  storage: opt(readStorage),
  listen: opt(readListen),
  token_env: opt((v) => readEnvName(v, "token")),
  defaults: z.unknown().optional(),
  targets: z.unknown().optional(),
  alerts: z.unknown().optional(),
});

export const defaultsSchema = z.strictObject({
  interval: opt(readInterval),
  timeout: opt((v) => readDuration(v)),
  level: opt(readLevel),
  connects: opt(readConnects),
});

export const targetSchema = z.strictObject({
  name: opt(readName),
  host: field(readHost),
  port: opt(readPort),
  level: opt(readLevel),
  user: opt(readUser),
  password_env: opt((v) => readEnvName(v, "password")),
  interval: opt(readInterval),
  timeout: opt((v) => readDuration(v)),
  connects: opt(readConnects),
  tags: opt(readTags),
  hold: opt((v) => readDuration(v, MIN_HOLD_MS)),
});

export const alertSchema = z.strictObject({
  webhook: opt(readWebhook),
  command: opt(readCommand),
  after: opt((v) => readCount(v, 1, MAX_ALERT_WITHIN)),
  within: opt((v) => readCount(v, 1, MAX_ALERT_WITHIN)),
});

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "a mapping (key: value lines)",
  array: "a list",
  string: "text",
  number: "a number",
};

/** What zod's own issues say, in our words (ours come through as they are). */
function zodWords(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === "invalid_type")
    return `must be ${TYPE_WORDS[iss.expected] ?? iss.expected} (got ${show(iss.input)})`;
  return undefined;
}

/** Keys people write for a setting that is named otherwise here. */
const HINTS: Readonly<Record<string, string>> = {
  password:
    "a password is never written in the config: put it in an environment variable and name that variable with password_env",
  token:
    "a token is never written in the config: put it in an environment variable and name that variable with token_env",
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The message for a key this section does not have: a hint, a close key, or the list. */
export function unknownKey(key: string, allowed: readonly string[]): string {
  if (HINTS[key]) return `unknown key "${key}": ${HINTS[key]}`;
  const norm = (k: string) =>
    k
      .replace(/([a-z])([A-Z])/g, "$1_$2")
      .replace(/-/g, "_")
      .toLowerCase();
  const close =
    allowed.find((k) => norm(k) === norm(key)) ??
    allowed.find((k) => distance(norm(k), norm(key)) <= Math.min(2, Math.floor(k.length / 3)));
  if (close) return `unknown key "${key}": did you mean ${close}?`;
  return `unknown key "${key}": the keys here are ${allowed.join(", ")}`;
}

/**
 * Parse one section; its problems carry `base` in their path and their place in the file.
 * @example parseSection(targetSchema, raw, ["targets", 2], src) // { data } or { problems }
 */
export function parseSection<S extends z.ZodObject>(
  schema: S,
  raw: unknown,
  base: readonly PropertyKey[],
  src: YamlSource,
): { data?: z.output<S>; problems: ConfigProblem[] } {
  const r = schema.safeParse(raw, { error: zodWords });
  if (r.success) return { data: r.data, problems: [] };
  const allowed = Object.keys(schema.shape);
  const problems = r.error.issues.flatMap((iss): ConfigProblem[] => {
    const path = [...base, ...iss.path];
    if (iss.code === "unrecognized_keys")
      return iss.keys.map((key) => ({
        where: src.where([...path, key], "key"),
        path: formatPath([...path, key]),
        message: unknownKey(key, allowed),
      }));
    return [{ where: src.where(path), path: formatPath(path), message: iss.message }];
  });
  return { problems };
}
