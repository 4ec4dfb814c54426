/**
 * @module STATUS (RFC 859): SEND asks the other side for its view of the options; IS answers
 * with WILL/DO pairs for every option in effect. A data byte equal to SE is doubled in IS.
 */
import { DO, SE, WILL } from "../constants.js";

export const STATUS_IS = 0;
export const STATUS_SEND = 1;

export type StatusMessage =
  | { readonly kind: "send" }
  | { readonly kind: "is"; readonly will: readonly number[]; readonly do: readonly number[] };

/** Encode IS from the options we perform (`will`) and those we asked the peer to perform (`do`). */
export function encodeStatusIs(will: readonly number[], doing: readonly number[]): Buffer {
  const bytes: number[] = [STATUS_IS];
  const push = (verb: number, opt: number) => {
    bytes.push(verb, opt);
    if (opt === SE) bytes.push(SE);
  };
  for (const o of will) push(WILL, o);
  for (const o of doing) push(DO, o);
  return Buffer.from(bytes);
}

export function decodeStatus(payload: Buffer): StatusMessage | undefined {
  if (payload.length === 1 && payload[0] === STATUS_SEND) return { kind: "send" };
  if (payload.length < 1 || payload[0] !== STATUS_IS) return undefined;
  const will: number[] = [];
  const doing: number[] = [];
  for (let i = 1; i + 1 < payload.length; i += 2) {
    const verb = payload[i];
    const opt = payload[i + 1];
    if (opt === SE && payload[i + 2] === SE) i++;
    if (verb === WILL) will.push(opt);
    else if (verb === DO) doing.push(opt);
    else if (verb !== 0xfc && verb !== 0xfe) break; // an embedded SB summary: not decoded
  }
  return { kind: "is", will, do: doing };
}
