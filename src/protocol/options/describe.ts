/**
 * @module Human-readable summaries of subnegotiations, for traces and `trace show`.
 */
import { Opt, optionName } from "../constants.js";
import { decodeCharset } from "./charset.js";
import { decodeLinemode } from "./linemode.js";
import { decodeGmcp, decodeVarVal } from "./mud.js";
import { decodeNaws } from "./naws.js";
import { decodeEnviron } from "./new-environ.js";
import { decodeStatus } from "./status.js";
import { decodeTspeed } from "./tspeed.js";
import { decodeTtype } from "./ttype.js";

const MAX_TEXT = 120;

type Describer = (payload: Buffer) => string | undefined;

/** One describer per option that has a codec: a registry map, not a switch. */
const DESCRIBERS: Readonly<Record<number, Describer>> = {
  [Opt.TTYPE]: (p) => {
    const m = decodeTtype(p);
    return m && (m.kind === "send" ? "SEND" : `IS ${m.name}`);
  },
  [Opt.NAWS]: (p) => {
    const m = decodeNaws(p);
    return m && `${m.width}x${m.height}`;
  },
  [Opt.TSPEED]: (p) => {
    const m = decodeTspeed(p);
    return m && (m.kind === "send" ? "SEND" : `IS ${m.transmit},${m.receive}`);
  },
  [Opt.NEW_ENVIRON]: (p) => {
    const m = decodeEnviron(p);
    if (!m) return undefined;
    if (m.kind === "send") {
      return `SEND ${m.requested.map((r) => `${r.kind} ${r.name}`).join(", ") || "(all)"}`;
    }
    const list = m.entries.map(
      (e) => `${e.kind} ${e.name}${e.value === undefined ? "" : `=${e.value}`}`,
    );
    return `${m.kind.toUpperCase()} ${list.join(", ")}`;
  },
  [Opt.STATUS]: (p) => {
    const m = decodeStatus(p);
    if (!m) return undefined;
    if (m.kind === "send") return "SEND";
    return `IS WILL ${m.will.map(optionName).join(" ") || "-"}; DO ${m.do.map(optionName).join(" ") || "-"}`;
  },
  [Opt.CHARSET]: (p) => {
    const m = decodeCharset(p);
    if (!m) return undefined;
    if (m.kind === "request") return `REQUEST ${m.charsets.join(" ")}`;
    if (m.kind === "accepted") return `ACCEPTED ${m.charset}`;
    return m.kind.toUpperCase();
  },
  [Opt.LINEMODE]: (p) => {
    const m = decodeLinemode(p);
    if (!m) return undefined;
    if (m.kind === "mode")
      return `MODE ${m.edit ? "EDIT" : "character"}${m.ack ? " ACK" : ""} (mask ${m.mask})`;
    if (m.kind === "slc") return `SLC ${m.triplets} triplets`;
    if (m.kind === "forwardmask") return "FORWARDMASK";
    return undefined;
  },
  [Opt.GMCP]: (p) => {
    const m = decodeGmcp(p);
    return `${m.package}${m.json ? ` ${m.json}` : ""}`;
  },
  [Opt.MSDP]: (p) =>
    decodeVarVal(p)
      .map((v) => `${v.name}=${v.value}`)
      .join(" "),
  [Opt.MSSP]: (p) =>
    decodeVarVal(p)
      .map((v) => `${v.name}=${v.value}`)
      .join(" "),
  [Opt.MCCP2]: (p) => (p.length === 0 ? "compression starts" : undefined),
};

/**
 * A one-line description of a subnegotiation payload.
 * @example describeSubneg(31, Buffer.from([0, 80, 0, 24])) // "80x24"
 */
export function describeSubneg(option: number, payload: Buffer): string {
  const described = DESCRIBERS[option]?.(payload);
  const text = described ?? `${payload.length} bytes`;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
