/**
 * @module The trace events as a zod schema: what `trace show|diagnose` accept from a file. It
 * mirrors the readable types of events.ts field for field; schema.test.ts checks, at compile
 * time, that `z.infer` of each event is exactly its type there, so the two cannot drift.
 * Unknown fields are dropped (a newer teldoc may add some); a wrong or missing one is an error.
 */
import { z } from "zod";
import { CAUSE_NAMES } from "./events.js";

const family = z.literal([4, 6]);
const dir = z.enum(["in", "out"]);
const endpoint = z.object({ address: z.string(), port: z.number() });
const connectOutcome = z.enum([
  "refused",
  "timeout",
  "unreachable",
  "local-firewall",
  "local-error",
]);
const transport = z.enum([
  "fin",
  "rst",
  "timeout",
  "refused",
  "unreachable",
  "dns",
  "local-error",
  "local-close",
  "unknown",
]);

/** One event: `type`, `t` and the fields of that type. */
function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ t: z.number(), type: z.literal(type), ...shape });
}

/** Every event type but `end`, one schema each. */
const EVENT_SCHEMAS = [
  event("resolving", { host: z.string(), port: z.number().optional() }),
  event("resolved", {
    host: z.string(),
    addresses: z.array(z.object({ address: z.string(), family })),
    durationMs: z.number(),
  }),
  event("resolve-failed", {
    host: z.string(),
    code: z.string(),
    message: z.string(),
    durationMs: z.number(),
  }),
  event("connecting", { address: z.string(), family, port: z.number(), attempt: z.number() }),
  event("connected", { local: endpoint, remote: endpoint, family, durationMs: z.number() }),
  event("connect-failed", {
    address: z.string(),
    port: z.number(),
    outcome: connectOutcome,
    code: z.string(),
    durationMs: z.number(),
    localSendFailures: z.number().optional(),
    nextHop: z
      .object({
        onLink: z.boolean(),
        device: z.string().optional(),
        gateway: z.string().optional(),
        resolved: z.boolean().optional(),
      })
      .optional(),
  }),
  z.object({
    t: z.number(),
    type: z.enum(["read", "write"]),
    bytes: z.number(),
    hex: z.string().regex(/^(?:[0-9a-f]{2})*$/, "hex digits, two per byte"),
    masked: z.boolean().optional(),
  }),
  event("data", {
    dir,
    text: z.string(),
    masked: z.boolean().optional(),
    bytes: z.number().optional(),
  }),
  event("option", {
    dir,
    verb: z.enum(["WILL", "WONT", "DO", "DONT"]),
    option: z.string(),
    code: z.number(),
  }),
  event("subneg", {
    dir,
    option: z.string(),
    code: z.number(),
    text: z.string(),
    bytes: z.number(),
  }),
  event("command", { dir, command: z.string() }),
  event("protocol-error", { code: z.string(), message: z.string() }),
  event("timer", {
    name: z.enum([
      "connect",
      "keepalive",
      "nop",
      "anti-idle",
      "login",
      "dead-peer",
      "linger",
      "wait",
    ]),
    detail: z.string().optional(),
  }),
  event("fin", {}),
  event("socket-error", { code: z.string(), message: z.string() }),
  event("local-close", {
    reason: z.enum([
      "user",
      "script",
      "stdin-eof",
      "signal",
      "login-timeout",
      "dead-peer",
      "error",
    ]),
  }),
  event("step", { what: z.string(), ok: z.boolean() }),
  event("probe", {
    purpose: z.enum(["dead-peer-check", "reset-check"]),
    ok: z.boolean(),
    outcome: z.union([z.literal("connected"), connectOutcome]),
    durationMs: z.number(),
    gotData: z.boolean().optional(),
  }),
  event("closed", { by: z.enum(["remote", "local"]), transport }),
] as const;

/** Any trace event but `end`. */
export const traceEventSchema = z.discriminatedUnion("type", EVENT_SCHEMAS);

/** Every `type` the schema knows, `end` included. */
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  ...EVENT_SCHEMAS.flatMap((s) => {
    const type = s.shape.type;
    return "options" in type ? type.options : [...type.values];
  }),
  "end",
]);

const cause = z.enum(CAUSE_NAMES);
const confidence = z.number().min(0).max(1);

/** The `end` object: the session's facts and its diagnosis (the last line of a trace). */
export const endEventSchema = event("end", {
  target: z.object({
    host: z.string(),
    port: z.number(),
    address: z.string().optional(),
    family: family.optional(),
  }),
  phase: z.enum(["resolve", "connect", "negotiation", "login", "session"]),
  transport,
  durationMs: z.number(),
  idleMs: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  lastServerText: z.string(),
  diagnosis: z.object({
    cause,
    confidence,
    summary: z.string(),
    evidence: z.array(z.string()),
    advice: z.array(z.string()),
    alternatives: z.array(z.object({ cause, confidence })),
  }),
});
