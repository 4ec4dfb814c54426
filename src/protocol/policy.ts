/**
 * @module What we offer, accept and refuse, for each side of each option.
 *
 * `local` is our side (the peer sends DO/DONT, we answer WILL/WONT); `remote` is the peer's side
 * (the peer sends WILL/WONT, we answer DO/DONT). An option missing from a policy is refused on
 * both sides, which RFC 854 requires of options one does not implement.
 */
import { Opt } from "./constants.js";

/** `offer`/`request`: accept, and ask for it as the session starts. */
export type LocalStance = "offer" | "accept" | "refuse";
export type RemoteStance = "request" | "accept" | "refuse";

export interface OptionStance {
  readonly local?: LocalStance;
  readonly remote?: RemoteStance;
}

export type NegotiationPolicy = Readonly<Record<number, OptionStance>>;

/**
 * A client like the classic one: the server may echo, suppress go-ahead, send binary and
 * end-of-record marks; we tell our terminal type, window size, speed, environment and charset
 * when asked, and run in character mode (LINEMODE refused unless the session asks for it).
 */
export const CLIENT_POLICY: NegotiationPolicy = {
  [Opt.BINARY]: { local: "accept", remote: "accept" },
  [Opt.ECHO]: { remote: "accept" },
  [Opt.SGA]: { local: "accept", remote: "request" },
  [Opt.STATUS]: { local: "accept", remote: "accept" },
  [Opt.TIMING_MARK]: { local: "accept", remote: "accept" },
  [Opt.TTYPE]: { local: "accept" },
  [Opt.EOR]: { local: "accept", remote: "accept" },
  [Opt.NAWS]: { local: "accept" },
  [Opt.TSPEED]: { local: "accept" },
  [Opt.NEW_ENVIRON]: { local: "accept" },
  [Opt.CHARSET]: { local: "accept", remote: "accept" },
  [Opt.GMCP]: { remote: "accept" },
  [Opt.MSDP]: { remote: "accept" },
  [Opt.MSSP]: { remote: "accept" },
};

/** A server like telnetd: it echoes and suppresses go-ahead, and asks for the terminal's facts. */
export const SERVER_POLICY: NegotiationPolicy = {
  [Opt.BINARY]: { local: "accept", remote: "accept" },
  [Opt.ECHO]: { local: "offer" },
  [Opt.SGA]: { local: "offer", remote: "accept" },
  [Opt.STATUS]: { local: "accept", remote: "accept" },
  [Opt.TIMING_MARK]: { local: "accept", remote: "accept" },
  [Opt.TTYPE]: { remote: "request" },
  [Opt.NAWS]: { remote: "request" },
  [Opt.TSPEED]: { remote: "accept" },
  [Opt.NEW_ENVIRON]: { remote: "request" },
  [Opt.CHARSET]: { local: "accept", remote: "accept" },
  [Opt.EOR]: { local: "accept", remote: "accept" },
};

/** A copy of `base` with some stances replaced. */
export function withStances(
  base: NegotiationPolicy,
  changes: Readonly<Record<number, OptionStance>>,
): NegotiationPolicy {
  const out: Record<number, OptionStance> = { ...base };
  for (const [k, v] of Object.entries(changes)) out[Number(k)] = { ...out[Number(k)], ...v };
  return out;
}
