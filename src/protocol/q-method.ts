/**
 * @module RFC 1143 "The Q Method of Implementing TELNET Option Negotiation", as a table.
 *
 * Each option has two halves: `us` (do we perform it: we send WILL/WONT, the peer sends DO/DONT)
 * and `him` (does the peer perform it: we send DO/DONT, the peer sends WILL/WONT). Each half is
 * in one of six states: NO, YES, WANTNO, WANTYES, each WANT state with a queue bit (EMPTY or
 * OPPOSITE: the user changed their mind while the request was in flight).
 *
 * Inputs, seen from one half:
 * - `recvYes` / `recvNo`: the peer sent the enabling (WILL or DO) / disabling (WONT or DONT) verb;
 *   `recvYes` in state NO consults the policy: `accept` or `refuse`.
 * - `askYes` / `askNo`: our side asks to enable / disable.
 *
 * Rules the table keeps (RFC 1143 §7): a request that would not change the state is never
 * answered, so two conforming stacks cannot loop; a peer that answers a DONT with WILL (or a
 * DO with WONT... ) is reported as an error and the state is settled without a new request.
 */

export type QState = "NO" | "YES" | "WANTNO" | "WANTNO_OPP" | "WANTYES" | "WANTYES_OPP";
export type QInput = "recvYes" | "recvNo" | "askYes" | "askNo";

/** What to send: the enabling verb (`yes`: WILL or DO), the disabling one (`no`), or nothing. */
export type QSend = "yes" | "no" | null;

export interface QTransition {
  readonly next: QState;
  readonly send: QSend;
  /** A protocol violation by the peer, or a redundant request by us. */
  readonly error?: string;
}

type Row = Readonly<Record<QInput, QTransition | { accept: QTransition; refuse: QTransition }>>;

/** The RFC 1143 table. Read a row as: in this state, on this input, go there and send that. */
export const Q_TABLE: Readonly<Record<QState, Row>> = {
  NO: {
    recvYes: { accept: { next: "YES", send: "yes" }, refuse: { next: "NO", send: "no" } },
    recvNo: { next: "NO", send: null },
    askYes: { next: "WANTYES", send: "yes" },
    askNo: { next: "NO", send: null, error: "already disabled" },
  },
  YES: {
    recvYes: { next: "YES", send: null },
    recvNo: { next: "NO", send: "no" },
    askYes: { next: "YES", send: null, error: "already enabled" },
    askNo: { next: "WANTNO", send: "no" },
  },
  WANTNO: {
    recvYes: { next: "NO", send: null, error: "peer answered a disabling request by enabling" },
    recvNo: { next: "NO", send: null },
    askYes: { next: "WANTNO_OPP", send: null },
    askNo: { next: "WANTNO", send: null, error: "already negotiating to disable" },
  },
  WANTNO_OPP: {
    recvYes: { next: "YES", send: null, error: "peer answered a disabling request by enabling" },
    recvNo: { next: "WANTYES", send: "yes" },
    askYes: { next: "WANTNO_OPP", send: null, error: "already queued to enable" },
    askNo: { next: "WANTNO", send: null },
  },
  WANTYES: {
    recvYes: { next: "YES", send: null },
    recvNo: { next: "NO", send: null },
    askYes: { next: "WANTYES", send: null, error: "already negotiating to enable" },
    askNo: { next: "WANTYES_OPP", send: null },
  },
  WANTYES_OPP: {
    recvYes: { next: "WANTNO", send: "no" },
    recvNo: { next: "NO", send: null },
    askYes: { next: "WANTYES", send: null },
    askNo: { next: "WANTYES_OPP", send: null, error: "already queued to disable" },
  },
};

/**
 * One step of the Q method.
 * @example qStep("NO", "recvYes", true) // { next: "YES", send: "yes" }
 */
export function qStep(state: QState, input: QInput, accept: boolean): QTransition {
  const cell = Q_TABLE[state][input];
  if ("accept" in cell) return accept ? cell.accept : cell.refuse;
  return cell;
}

/** True when the half is enabled (YES) — the only state in which the option is in effect. */
export function qEnabled(state: QState): boolean {
  return state === "YES";
}
