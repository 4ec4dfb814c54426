/**
 * Every cell of Q_TABLE against RFC 1143 section 7 ("The Q Method of Implementing TELNET Option
 * Negotiation"). The RFC's text is quoted for the `him` half (receipt of WILL/WONT, our DO/DONT);
 * the `us` half is the same table with DO/DONT and WILL/WONT swapped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Q_TABLE, type QInput, type QSend, type QState, qEnabled, qStep } from "./q-method.js";

interface Cell {
  readonly state: QState;
  readonly input: QInput;
  /** For `recvYes` in NO only: the policy's answer. */
  readonly accept?: boolean;
  readonly next: QState;
  readonly send: QSend;
  readonly error: boolean;
  /** RFC 1143 section 7's words for this cell. */
  readonly rfc: string;
}

const CELLS: readonly Cell[] = [
  // "Upon receipt of WILL, we choose based upon him and himq:"
  {
    state: "NO",
    input: "recvYes",
    accept: true,
    next: "YES",
    send: "yes",
    error: false,
    rfc: "NO + WILL, we agree: him=YES, send DO",
  },
  {
    state: "NO",
    input: "recvYes",
    accept: false,
    next: "NO",
    send: "no",
    error: false,
    rfc: "NO + WILL, we do not agree: send DONT",
  },
  {
    state: "YES",
    input: "recvYes",
    next: "YES",
    send: null,
    error: false,
    rfc: "YES + WILL: ignore",
  },
  {
    state: "WANTNO",
    input: "recvYes",
    next: "NO",
    send: null,
    error: true,
    rfc: "WANTNO EMPTY + WILL: error, DONT answered by WILL; him=NO",
  },
  {
    state: "WANTNO_OPP",
    input: "recvYes",
    next: "YES",
    send: null,
    error: true,
    rfc: "WANTNO OPPOSITE + WILL: error, DONT answered by WILL; him=YES, himq=EMPTY",
  },
  {
    state: "WANTYES",
    input: "recvYes",
    next: "YES",
    send: null,
    error: false,
    rfc: "WANTYES EMPTY + WILL: him=YES",
  },
  {
    state: "WANTYES_OPP",
    input: "recvYes",
    next: "WANTNO",
    send: "no",
    error: false,
    rfc: "WANTYES OPPOSITE + WILL: him=WANTNO, himq=EMPTY, send DONT",
  },
  // "Upon receipt of WONT, we choose based upon him and himq:"
  { state: "NO", input: "recvNo", next: "NO", send: null, error: false, rfc: "NO + WONT: ignore" },
  {
    state: "YES",
    input: "recvNo",
    next: "NO",
    send: "no",
    error: false,
    rfc: "YES + WONT: him=NO, send DONT",
  },
  {
    state: "WANTNO",
    input: "recvNo",
    next: "NO",
    send: null,
    error: false,
    rfc: "WANTNO EMPTY + WONT: him=NO",
  },
  {
    state: "WANTNO_OPP",
    input: "recvNo",
    next: "WANTYES",
    send: "yes",
    error: false,
    rfc: "WANTNO OPPOSITE + WONT: him=WANTYES, himq=NONE, send DO",
  },
  {
    state: "WANTYES",
    input: "recvNo",
    next: "NO",
    send: null,
    error: false,
    rfc: "WANTYES EMPTY + WONT: him=NO",
  },
  {
    state: "WANTYES_OPP",
    input: "recvNo",
    next: "NO",
    send: null,
    error: false,
    rfc: "WANTYES OPPOSITE + WONT: him=NO, himq=NONE (refused into the right state)",
  },
  // "If we decide to ask him to enable:"
  {
    state: "NO",
    input: "askYes",
    next: "WANTYES",
    send: "yes",
    error: false,
    rfc: "ask enable in NO: him=WANTYES, send DO",
  },
  {
    state: "YES",
    input: "askYes",
    next: "YES",
    send: null,
    error: true,
    rfc: "ask enable in YES: error, already enabled",
  },
  {
    state: "WANTNO",
    input: "askYes",
    next: "WANTNO_OPP",
    send: null,
    error: false,
    rfc: "ask enable in WANTNO EMPTY (queueing): himq=OPPOSITE",
  },
  {
    state: "WANTNO_OPP",
    input: "askYes",
    next: "WANTNO_OPP",
    send: null,
    error: true,
    rfc: "ask enable in WANTNO OPPOSITE: error, already queued an enable request",
  },
  {
    state: "WANTYES",
    input: "askYes",
    next: "WANTYES",
    send: null,
    error: true,
    rfc: "ask enable in WANTYES EMPTY: error, already negotiating for enable",
  },
  {
    state: "WANTYES_OPP",
    input: "askYes",
    next: "WANTYES",
    send: null,
    error: false,
    rfc: "ask enable in WANTYES OPPOSITE: himq=EMPTY",
  },
  // "If we decide to ask him to disable:"
  {
    state: "NO",
    input: "askNo",
    next: "NO",
    send: null,
    error: true,
    rfc: "ask disable in NO: error, already disabled",
  },
  {
    state: "YES",
    input: "askNo",
    next: "WANTNO",
    send: "no",
    error: false,
    rfc: "ask disable in YES: him=WANTNO, send DONT",
  },
  {
    state: "WANTNO",
    input: "askNo",
    next: "WANTNO",
    send: null,
    error: true,
    rfc: "ask disable in WANTNO EMPTY: error, already negotiating for disable",
  },
  {
    state: "WANTNO_OPP",
    input: "askNo",
    next: "WANTNO",
    send: null,
    error: false,
    rfc: "ask disable in WANTNO OPPOSITE: himq=EMPTY",
  },
  {
    state: "WANTYES",
    input: "askNo",
    next: "WANTYES_OPP",
    send: null,
    error: false,
    rfc: "ask disable in WANTYES EMPTY (queueing): himq=OPPOSITE",
  },
  {
    state: "WANTYES_OPP",
    input: "askNo",
    next: "WANTYES_OPP",
    send: null,
    error: true,
    rfc: "ask disable in WANTYES OPPOSITE: error, already queued a disable request",
  },
];

for (const cell of CELLS) {
  test(`RFC 1143 §7: ${cell.rfc}`, () => {
    const t = qStep(cell.state, cell.input, cell.accept ?? true);
    assert.equal(t.next, cell.next);
    assert.equal(t.send, cell.send);
    if (cell.error) {
      assert.equal(typeof t.error, "string");
      assert.ok((t.error ?? "").length > 0);
    } else {
      assert.equal(t.error, undefined);
    }
  });
}

const STATES: readonly QState[] = ["NO", "YES", "WANTNO", "WANTNO_OPP", "WANTYES", "WANTYES_OPP"];
const INPUTS: readonly QInput[] = ["recvYes", "recvNo", "askYes", "askNo"];

test("RFC 1143 §7: the checks above cover every cell of Q_TABLE, and the table has no others", () => {
  assert.deepEqual(Object.keys(Q_TABLE).sort(), [...STATES].sort());
  for (const state of STATES) {
    assert.deepEqual(Object.keys(Q_TABLE[state]).sort(), [...INPUTS].sort());
    for (const input of INPUTS) {
      const covered = CELLS.filter((c) => c.state === state && c.input === input);
      const expected = state === "NO" && input === "recvYes" ? 2 : 1;
      assert.equal(covered.length, expected, `${state}/${input}`);
    }
  }
});

test("RFC 1143 §7: only NO + WILL consults the policy; every other cell ignores `accept`", () => {
  for (const state of STATES) {
    for (const input of INPUTS) {
      if (state === "NO" && input === "recvYes") {
        assert.notDeepEqual(qStep(state, input, true), qStep(state, input, false));
      } else {
        assert.deepEqual(
          qStep(state, input, true),
          qStep(state, input, false),
          `${state}/${input}`,
        );
      }
    }
  }
});

test("RFC 1143 §7: a received verb that leaves the state unchanged is never answered (no loops)", () => {
  for (const state of STATES) {
    for (const input of ["recvYes", "recvNo"] as const) {
      for (const accept of [true, false]) {
        const t = qStep(state, input, accept);
        // The only self-loop that answers is a refusal in NO, which answers an enabling request.
        if (t.next === state && !(state === "NO" && input === "recvYes")) {
          assert.equal(t.send, null, `${state}/${input}/${accept}`);
        }
      }
    }
  }
});

test("RFC 1143 §7: peer errors never generate a new request (the * note on DONT answered by WILL)", () => {
  for (const state of STATES) {
    for (const input of ["recvYes", "recvNo"] as const) {
      const t = qStep(state, input, true);
      if (t.error !== undefined) assert.equal(t.send, null, `${state}/${input}`);
    }
  }
});

test("RFC 1143 §7: the refusal of NO + WILL sends DONT but leaves him=NO", () => {
  assert.deepEqual(qStep("NO", "recvYes", false), { next: "NO", send: "no" });
  assert.deepEqual(qStep("NO", "recvYes", true), { next: "YES", send: "yes" });
});

test("RFC 1143 §7: a full round trip of two conforming sides settles without loops", () => {
  // We ask (NO -> WANTYES, send DO); the peer agrees (WILL): YES, nothing more is sent.
  const a = qStep("NO", "askYes", false);
  assert.deepEqual([a.next, a.send], ["WANTYES", "yes"]);
  const b = qStep(a.next, "recvYes", false);
  assert.deepEqual([b.next, b.send], ["YES", null]);
  // We change our mind twice while a DONT is in flight: the queue collapses, then empties.
  const c = qStep(b.next, "askNo", false);
  assert.deepEqual([c.next, c.send], ["WANTNO", "no"]);
  const d = qStep(c.next, "askYes", false);
  assert.deepEqual([d.next, d.send], ["WANTNO_OPP", null]);
  const e = qStep(d.next, "recvNo", false);
  assert.deepEqual([e.next, e.send], ["WANTYES", "yes"]);
  const f = qStep(e.next, "recvYes", false);
  assert.deepEqual([f.next, f.send], ["YES", null]);
});

test("RFC 1143 §7: qEnabled is true only in YES (WANT states are not yet in effect)", () => {
  for (const state of STATES) assert.equal(qEnabled(state), state === "YES", state);
});
