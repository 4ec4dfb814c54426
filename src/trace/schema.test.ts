/**
 * @module The zod schema and the readable types of events.ts are one contract: checked at
 * compile time (each event's `z.infer` is exactly its interface, readonly aside) and at run
 * time (every golden trace validates; the schema knows every type of the union).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { z } from "zod";
import type { EndEvent, TraceEvent } from "./events.js";
import { EVENT_TYPES, endEventSchema, traceEventSchema } from "./schema.js";

/** A type with readonly dropped at every depth (the schema's output is mutable). */
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<T[K]> }
    : T;
/** True only when A and B are the same type (not merely assignable). */
type Same<A, B> =
  (<X>() => X extends Plain<A> ? 1 : 2) extends <X>() => X extends Plain<B> ? 1 : 2 ? true : false;
/** The member(s) of a union whose `type` can be K (IoEvent's type is "read" | "write"). */
type Of<K, E> = E extends { type: infer T } ? (K extends T ? E : never) : never;

type Inferred = z.infer<typeof traceEventSchema>;
type Types = TraceEvent["type"];
/** Event types whose schema differs from their interface: must be none. */
type Drift = {
  [K in Types]: Same<Of<K, TraceEvent>, Of<K, Inferred>> extends true ? never : K;
}[Types];

const noDrift: [Drift] extends [never] ? true : Drift = true;
const sameTypes: Same<Types, Inferred["type"]> = true;
const sameEnd: Same<EndEvent, z.infer<typeof endEventSchema>> = true;

describe("trace schema", () => {
  test("matches events.ts at compile time", () => {
    assert.deepEqual([noDrift, sameTypes, sameEnd], [true, true, true]);
  });

  test("knows every event type, end included", () => {
    const types: Record<Types | "end", true> = {
      resolving: true,
      resolved: true,
      "resolve-failed": true,
      connecting: true,
      connected: true,
      "connect-failed": true,
      read: true,
      write: true,
      data: true,
      option: true,
      subneg: true,
      command: true,
      "protocol-error": true,
      timer: true,
      fin: true,
      "socket-error": true,
      "local-close": true,
      step: true,
      probe: true,
      closed: true,
      end: true,
    };
    assert.deepEqual([...EVENT_TYPES].sort(), Object.keys(types).sort());
  });

  test("every line of every golden trace is valid", () => {
    const dir = new URL("../../test/golden/diagnosis/", import.meta.url);
    let lines = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
      for (const line of readFileSync(new URL(file, dir), "utf8").trim().split("\n")) {
        const obj = JSON.parse(line) as { type: string };
        const r = (obj.type === "end" ? endEventSchema : traceEventSchema).safeParse(obj);
        assert.ok(r.success, `${file}: ${line}: ${r.error?.message}`);
        lines++;
      }
    }
    assert.ok(lines > 300, `${lines} lines`);
  });

  test("a wrong field is refused, an unknown one dropped", () => {
    assert.equal(
      traceEventSchema.safeParse({ t: 1, type: "data", dir: "in", text: 123 }).success,
      false,
    );
    assert.equal(traceEventSchema.safeParse({ t: 1, type: "connected" }).success, false);
    const r = traceEventSchema.safeParse({ t: 1, type: "fin", later: "field" });
    assert.deepEqual(r.data, { t: 1, type: "fin" });
  });
});

describe("docs/trace-format.md", () => {
  test("has a row for every event type", () => {
    const doc = readFileSync(new URL("../../docs/trace-format.md", import.meta.url), "utf8");
    for (const type of EVENT_TYPES)
      assert.match(doc, new RegExp(`^\\| (\`[a-z-]+\`, )?\`${type}\``, "m"), type);
  });
});
