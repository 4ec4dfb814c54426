/**
 * @module Option negotiation for both sides of every option, per RFC 1143 (see q-method.ts),
 * driven by a policy (policy.ts). Sans-I/O: verbs in, bytes to send and state changes out.
 *
 * Beyond the table: TIMING-MARK (RFC 860) is a one-shot, not a state — every DO TIMING-MARK is
 * answered and both halves return to NO; and a peer that keeps renegotiating one option past
 * `maxRenegotiations` times with no data in between is reported once and then ignored for that
 * option until data flows again, so a WILL/WONT storm costs bounded output. TIMING-MARK
 * answers are one per request and never amplify, so they are not counted.
 */
import { Opt, type Verb } from "./constants.js";
import { encodeNegotiation } from "./encoder.js";
import type { NegotiationPolicy } from "./policy.js";
import { type QInput, type QState, qStep } from "./q-method.js";

export type Side = "local" | "remote";

export type NegotiationOutput =
  | { readonly type: "send"; readonly bytes: Buffer; readonly verb: Verb; readonly option: number }
  | {
      readonly type: "change";
      readonly side: Side;
      readonly option: number;
      readonly enabled: boolean;
    }
  | { readonly type: "timing-mark"; readonly option: number; readonly answered: boolean }
  | {
      readonly type: "error";
      readonly code: "TELDOC_ERR_NEGOTIATION" | "TELDOC_ERR_NEGOTIATION_STORM";
      readonly message: string;
      readonly option: number;
    };

export interface NegotiatorOptions {
  /** Peer requests per option after which the option is ignored (default 1000). */
  readonly maxRenegotiations?: number;
}

const VERB_FOR: Readonly<Record<Side, { yes: Verb; no: Verb }>> = {
  local: { yes: "WILL", no: "WONT" },
  remote: { yes: "DO", no: "DONT" },
};

/**
 * Both halves of every option, negotiated per RFC 1143.
 * @example
 * const n = new Negotiator(CLIENT_POLICY);
 * n.receive("WILL", Opt.ECHO); // [{type:"send", verb:"DO"...}, {type:"change", side:"remote", enabled:true...}]
 */
export class Negotiator {
  private readonly states: Record<Side, QState[]> = {
    local: new Array<QState>(256).fill("NO"),
    remote: new Array<QState>(256).fill("NO"),
  };
  private readonly requests = new Uint32Array(256);
  /** Any request counted since the last sawData(). */
  private stormy = false;
  private readonly maxRenegotiations: number;

  constructor(
    private policy: NegotiationPolicy,
    options: NegotiatorOptions = {},
  ) {
    this.maxRenegotiations = options.maxRenegotiations ?? 1000;
  }

  /** Replace the policy; states already reached stay as they are. */
  setPolicy(policy: NegotiationPolicy): void {
    this.policy = policy;
  }

  /** The requests we make as the session starts: WILL for `offer`, DO for `request`. */
  start(): NegotiationOutput[] {
    const out: NegotiationOutput[] = [];
    for (const [key, stance] of Object.entries(this.policy)) {
      const option = Number(key);
      if (stance.local === "offer") out.push(...this.ask("local", option, true));
      if (stance.remote === "request") out.push(...this.ask("remote", option, true));
    }
    return out;
  }

  /**
   * Data arrived: negotiation since the last data was no storm. (A storm is a run of
   * negotiation with no data between; normal renegotiation over a long session is not.)
   */
  sawData(): void {
    if (this.stormy) {
      this.requests.fill(0);
      this.stormy = false;
    }
  }

  /** The Q state of one half of an option. */
  state(side: Side, option: number): QState {
    return this.states[side][option];
  }

  /** True when that half is in effect. */
  enabled(side: Side, option: number): boolean {
    return this.states[side][option] === "YES";
  }

  /** Our side asks to enable or disable one half of an option. */
  ask(side: Side, option: number, enable: boolean): NegotiationOutput[] {
    return this.step(side, option, enable ? "askYes" : "askNo", false);
  }

  /** A verb received from the peer. */
  receive(verb: Verb, option: number): NegotiationOutput[] {
    const side: Side = verb === "DO" || verb === "DONT" ? "local" : "remote";
    const yes = verb === "DO" || verb === "WILL";
    if (option === Opt.TIMING_MARK) return this.timingMark(side, yes);
    const count = ++this.requests[option];
    this.stormy = true;
    if (count > this.maxRenegotiations) {
      if (count > this.maxRenegotiations + 1) return [];
      return [
        {
          type: "error",
          code: "TELDOC_ERR_NEGOTIATION_STORM",
          message: `the peer negotiated option ${option} ${this.maxRenegotiations} times; ignoring it from now on`,
          option,
        },
      ];
    }
    const stance = side === "local" ? this.policy[option]?.local : this.policy[option]?.remote;
    const accept = stance !== undefined && stance !== "refuse";
    return this.step(side, option, yes ? "recvYes" : "recvNo", accept);
  }

  private step(side: Side, option: number, input: QInput, accept: boolean): NegotiationOutput[] {
    const before = this.states[side][option];
    const t = qStep(before, input, accept);
    this.states[side][option] = t.next;
    const out: NegotiationOutput[] = [];
    if (t.send !== null) {
      const verb = VERB_FOR[side][t.send];
      out.push({ type: "send", bytes: encodeNegotiation(verb, option), verb, option });
    }
    if (t.error !== undefined && input.startsWith("recv")) {
      out.push({
        type: "error",
        code: "TELDOC_ERR_NEGOTIATION",
        message: `option ${option}: ${t.error}`,
        option,
      });
    }
    const wasOn = before === "YES";
    const isOn = t.next === "YES";
    if (wasOn !== isOn) out.push({ type: "change", side, option, enabled: isOn });
    return out;
  }

  /** RFC 860: a DO TIMING-MARK is answered WILL (or WONT when refused) each time; no state. */
  private timingMark(side: Side, yes: boolean): NegotiationOutput[] {
    const option = Opt.TIMING_MARK;
    if (side === "local") {
      if (!yes) return [];
      const accept = (this.policy[option]?.local ?? "refuse") !== "refuse";
      const verb: Verb = accept ? "WILL" : "WONT";
      return [
        { type: "send", bytes: encodeNegotiation(verb, option), verb, option },
        { type: "timing-mark", option, answered: accept },
      ];
    }
    // The peer's answer to our DO TIMING-MARK (or an unsolicited WILL, which we decline).
    const asked = this.states.remote[option] !== "NO";
    this.states.remote[option] = "NO";
    if (asked) return [{ type: "timing-mark", option, answered: yes }];
    if (!yes) return [];
    return [{ type: "send", bytes: encodeNegotiation("DONT", option), verb: "DONT", option }];
  }
}
