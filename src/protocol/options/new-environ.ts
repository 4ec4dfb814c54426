/**
 * @module NEW-ENVIRON (RFC 1572): IS / SEND / INFO with VAR, USERVAR, VALUE and ESC.
 * Bytes 0-3 inside a name or value are escaped with ESC.
 */
export const ENV_IS = 0;
export const ENV_SEND = 1;
export const ENV_INFO = 2;
export const ENV_VAR = 0;
export const ENV_VALUE = 1;
export const ENV_ESC = 2;
export const ENV_USERVAR = 3;

export type EnvKind = "VAR" | "USERVAR";

export interface EnvEntry {
  readonly kind: EnvKind;
  readonly name: string;
  /** undefined: the variable is not defined (no VALUE); "" : defined and empty. */
  readonly value?: string | undefined;
}

export type EnvironMessage =
  | { readonly kind: "send"; readonly requested: readonly { kind: EnvKind; name: string }[] }
  | { readonly kind: "is" | "info"; readonly entries: readonly EnvEntry[] };

/** Encode IS or INFO with the given entries. */
export function encodeEnviron(kind: "is" | "info", entries: readonly EnvEntry[]): Buffer {
  const bytes: number[] = [kind === "is" ? ENV_IS : ENV_INFO];
  for (const e of entries) {
    bytes.push(e.kind === "VAR" ? ENV_VAR : ENV_USERVAR);
    pushEscaped(bytes, e.name);
    if (e.value !== undefined) {
      bytes.push(ENV_VALUE);
      pushEscaped(bytes, e.value);
    }
  }
  return Buffer.from(bytes);
}

/** Encode SEND for the given names (none: send everything). */
export function encodeEnvironSend(requested: readonly { kind: EnvKind; name: string }[]): Buffer {
  const bytes: number[] = [ENV_SEND];
  for (const r of requested) {
    bytes.push(r.kind === "VAR" ? ENV_VAR : ENV_USERVAR);
    pushEscaped(bytes, r.name);
  }
  return Buffer.from(bytes);
}

/** Decode a NEW-ENVIRON payload; undefined when the first byte is not IS, SEND or INFO. */
export function decodeEnviron(payload: Buffer): EnvironMessage | undefined {
  if (payload.length === 0 || payload[0] > ENV_INFO) return undefined;
  const items = tokenize(payload.subarray(1));
  if (payload[0] === ENV_SEND) {
    const requested = items
      .filter((t) => t.kind !== "VALUE")
      .map((t) => ({ kind: t.kind as EnvKind, name: t.text }));
    return { kind: "send", requested };
  }
  const entries: EnvEntry[] = [];
  for (const t of items) {
    if (t.kind === "VALUE") {
      const last = entries.pop();
      if (last) entries.push({ ...last, value: t.text });
    } else {
      entries.push({ kind: t.kind, name: t.text });
    }
  }
  return { kind: payload[0] === ENV_IS ? "is" : "info", entries };
}

/**
 * The answer to a SEND: the requested variables we know (all of `known` when the request names
 * none); a requested VAR we do not know is sent without VALUE, meaning "not defined".
 */
export function answerEnvironSend(
  requested: readonly { kind: EnvKind; name: string }[],
  known: readonly EnvEntry[],
): EnvEntry[] {
  if (requested.length === 0) return [...known];
  // RFC 1572 §2: a type with no name asks for every variable of that type.
  return requested.flatMap((r) =>
    r.name === "" ? known.filter((k) => k.kind === r.kind) : [lookupEnv(r, known)],
  );
}

function lookupEnv(r: { kind: EnvKind; name: string }, known: readonly EnvEntry[]): EnvEntry {
  return (
    known.find((k) => k.kind === r.kind && k.name === r.name) ?? { kind: r.kind, name: r.name }
  );
}

function pushEscaped(bytes: number[], text: string): void {
  for (const b of Buffer.from(text, "utf8")) {
    if (b <= ENV_USERVAR) bytes.push(ENV_ESC);
    bytes.push(b);
  }
}

function tokenize(body: Buffer): { kind: "VAR" | "USERVAR" | "VALUE"; text: string }[] {
  const out: { kind: "VAR" | "USERVAR" | "VALUE"; text: string }[] = [];
  let current: { kind: "VAR" | "USERVAR" | "VALUE"; bytes: number[] } | undefined;
  const close = () => {
    if (current)
      out.push({ kind: current.kind, text: Buffer.from(current.bytes).toString("utf8") });
  };
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b === ENV_ESC) {
      if (i + 1 < body.length) current?.bytes.push(body[++i]);
    } else if (b === ENV_VAR || b === ENV_USERVAR || b === ENV_VALUE) {
      close();
      current = {
        kind: b === ENV_VAR ? "VAR" : b === ENV_USERVAR ? "USERVAR" : "VALUE",
        bytes: [],
      };
    } else {
      current?.bytes.push(b);
    }
  }
  close();
  return out;
}
