/**
 * @module MUD protocols carried in subnegotiations: GMCP (201: "Package.Name json"), MSDP (69)
 * and MSSP (70) variable/value lists, MCCP2 (86: compression starts right after IAC SE).
 */
export const MSDP_VAR = 1;
export const MSDP_VAL = 2;
export const MSDP_TABLE_OPEN = 3;
export const MSDP_TABLE_CLOSE = 4;
export const MSDP_ARRAY_OPEN = 5;
export const MSDP_ARRAY_CLOSE = 6;
export const MSSP_VAR = 1;
export const MSSP_VAL = 2;

export interface GmcpMessage {
  readonly package: string;
  /** The JSON text after the package name ("" when none). */
  readonly json: string;
}

/** Split a GMCP payload into package name and JSON text. */
export function decodeGmcp(payload: Buffer): GmcpMessage {
  const text = payload.toString("utf8");
  const space = text.search(/\s/);
  if (space === -1) return { package: text, json: "" };
  return { package: text.slice(0, space), json: text.slice(space + 1).trim() };
}

export function encodeGmcp(pkg: string, json?: string): Buffer {
  return Buffer.from(json === undefined ? pkg : `${pkg} ${json}`, "utf8");
}

/**
 * Flatten an MSSP or MSDP payload into name/value pairs (nested MSDP tables and arrays are kept
 * as their raw text, with the bracket bytes shown as { } [ ]).
 */
export function decodeVarVal(payload: Buffer): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  let mode: "none" | "var" | "val" = "none";
  let name: number[] = [];
  let value: number[] = [];
  const flush = () => {
    if (name.length > 0 || value.length > 0) {
      out.push({
        name: Buffer.from(name).toString("utf8"),
        value: Buffer.from(value).toString("utf8"),
      });
    }
    name = [];
    value = [];
  };
  // Inside a table or array (depth > 0) the bytes are the value's text: VAR reads as a
  // separator before a name, VAL as "=" in a table and as a separator in an array.
  let depth = 0;
  let afterOpen = false;
  for (const b of payload) {
    if (depth > 0) {
      if (b === MSDP_TABLE_OPEN || b === MSDP_ARRAY_OPEN) {
        depth++;
        value.push(b === MSDP_TABLE_OPEN ? 0x7b : 0x5b);
        afterOpen = true;
      } else if (b === MSDP_TABLE_CLOSE || b === MSDP_ARRAY_CLOSE) {
        depth--;
        value.push(b === MSDP_TABLE_CLOSE ? 0x7d : 0x5d);
        afterOpen = false;
      } else if (b === MSDP_VAR || b === MSDP_VAL) {
        const inArray = value.lastIndexOf(0x5b) > value.lastIndexOf(0x7b);
        if (b === MSDP_VAL && !inArray) value.push(0x3d);
        else if (!afterOpen) value.push(0x2c);
        afterOpen = false;
      } else {
        value.push(b);
        afterOpen = false;
      }
    } else if (b === MSDP_VAR) {
      if (mode === "val") flush();
      mode = "var";
    } else if (b === MSDP_VAL) {
      if (mode === "val") value.push(0x2c); // a second VAL: an MSSP list, shown comma-separated
      mode = "val";
    } else if (mode === "val" && (b === MSDP_TABLE_OPEN || b === MSDP_ARRAY_OPEN)) {
      depth = 1;
      value.push(b === MSDP_TABLE_OPEN ? 0x7b : 0x5b);
      afterOpen = true;
    } else if (mode === "var") {
      name.push(b);
    } else if (mode === "val") {
      value.push(b);
    }
  }
  flush();
  return out;
}
