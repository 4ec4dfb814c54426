import assert from "node:assert/strict";
import { test } from "node:test";
import { Opt, type Verb } from "./constants.js";
import { type NegotiationOutput, Negotiator } from "./negotiator.js";
import { CLIENT_POLICY, type NegotiationPolicy, SERVER_POLICY, withStances } from "./policy.js";

const IAC = 0xff;
const CODE: Readonly<Record<Verb, number>> = { WILL: 0xfb, WONT: 0xfc, DO: 0xfd, DONT: 0xfe };

/** The bytes sent, concatenated, in order. */
function sent(out: readonly NegotiationOutput[]): number[] {
  const bytes: number[] = [];
  for (const o of out) if (o.type === "send") bytes.push(...o.bytes);
  return bytes;
}

function neg(verb: Verb, option: number): number[] {
  return [IAC, CODE[verb], option];
}

function ofType<T extends NegotiationOutput["type"]>(
  out: readonly NegotiationOutput[],
  type: T,
): Extract<NegotiationOutput, { type: T }>[] {
  return out.filter((o): o is Extract<NegotiationOutput, { type: T }> => o.type === type);
}

test("RFC 1143 §7 (NO + WILL, agreed): accept sends DO, him=YES, reports the change", () => {
  const n = new Negotiator(CLIENT_POLICY);
  const out = n.receive("WILL", Opt.ECHO);
  assert.deepEqual(out, [
    { type: "send", bytes: Buffer.from(neg("DO", Opt.ECHO)), verb: "DO", option: Opt.ECHO },
    { type: "change", side: "remote", option: Opt.ECHO, enabled: true },
  ]);
  assert.equal(n.state("remote", Opt.ECHO), "YES");
  assert.equal(n.enabled("remote", Opt.ECHO), true);
  assert.equal(n.state("local", Opt.ECHO), "NO");
});

test("RFC 1143 §7 (NO + DO, agreed): accept on our side sends WILL, us=YES", () => {
  const n = new Negotiator(CLIENT_POLICY);
  const out = n.receive("DO", Opt.TTYPE);
  assert.deepEqual(sent(out), neg("WILL", Opt.TTYPE));
  assert.deepEqual(ofType(out, "change"), [
    { type: "change", side: "local", option: Opt.TTYPE, enabled: true },
  ]);
  assert.equal(n.enabled("local", Opt.TTYPE), true);
  assert.equal(n.enabled("remote", Opt.TTYPE), false);
});

test("RFC 854 / RFC 1143 §7 (NO + WILL, refused): an option missing from the policy gets DONT", () => {
  const n = new Negotiator(CLIENT_POLICY);
  const out = n.receive("WILL", Opt.LOGOUT);
  assert.deepEqual(out, [
    { type: "send", bytes: Buffer.from(neg("DONT", Opt.LOGOUT)), verb: "DONT", option: Opt.LOGOUT },
  ]);
  assert.equal(n.state("remote", Opt.LOGOUT), "NO");
});

test("RFC 854 / RFC 1143 §7 (NO + DO, refused): a stance of refuse gets WONT, no change", () => {
  const policy = withStances(CLIENT_POLICY, { [Opt.NAWS]: { local: "refuse" } });
  const n = new Negotiator(policy);
  const out = n.receive("DO", Opt.NAWS);
  assert.deepEqual(out, [
    { type: "send", bytes: Buffer.from(neg("WONT", Opt.NAWS)), verb: "WONT", option: Opt.NAWS },
  ]);
  assert.equal(n.state("local", Opt.NAWS), "NO");
});

test("RFC 1143 §7: the local and remote halves are separate (DO ECHO refused, WILL ECHO accepted)", () => {
  const n = new Negotiator(CLIENT_POLICY); // ECHO: remote accept, no local stance
  assert.deepEqual(sent(n.receive("DO", Opt.ECHO)), neg("WONT", Opt.ECHO));
  assert.deepEqual(sent(n.receive("WILL", Opt.ECHO)), neg("DO", Opt.ECHO));
  assert.equal(n.state("local", Opt.ECHO), "NO");
  assert.equal(n.state("remote", Opt.ECHO), "YES");
});

test("RFC 1143 §7 (ask enable in NO): start() sends WILL for offer and DO for request", () => {
  const n = new Negotiator(SERVER_POLICY);
  const out = n.start();
  assert.deepEqual(sent(out), [
    ...neg("WILL", Opt.ECHO),
    ...neg("WILL", Opt.SGA),
    ...neg("DO", Opt.TTYPE),
    ...neg("DO", Opt.NAWS),
    ...neg("DO", Opt.NEW_ENVIRON),
  ]);
  assert.equal(ofType(out, "change").length, 0);
  assert.equal(n.state("local", Opt.ECHO), "WANTYES");
  assert.equal(n.state("remote", Opt.TTYPE), "WANTYES");
  // A second start() asks nothing: "already negotiating for enable".
  assert.deepEqual(n.start(), []);
});

test("RFC 1143 §7 (ask enable): the client policy requests only SGA", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(sent(n.start()), neg("DO", Opt.SGA));
});

test("RFC 1143 §7 (WANTYES + WILL): the peer's agreement enables without any answer", () => {
  const n = new Negotiator(SERVER_POLICY);
  n.start();
  assert.deepEqual(n.receive("DO", Opt.ECHO), [
    { type: "change", side: "local", option: Opt.ECHO, enabled: true },
  ]);
  assert.deepEqual(n.receive("WILL", Opt.TTYPE), [
    { type: "change", side: "remote", option: Opt.TTYPE, enabled: true },
  ]);
  assert.equal(n.state("remote", Opt.TTYPE), "YES");
});

test("RFC 1143 §7 (WANTYES + WONT): the peer's refusal settles in NO without any answer", () => {
  const n = new Negotiator(SERVER_POLICY);
  n.start();
  assert.deepEqual(n.receive("WONT", Opt.NAWS), []);
  assert.equal(n.state("remote", Opt.NAWS), "NO");
  assert.deepEqual(n.receive("DONT", Opt.SGA), []);
  assert.equal(n.state("local", Opt.SGA), "NO");
});

test("RFC 1143 §7 / RFC 854: a request that does not change the state is not answered (no loops)", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  for (let i = 0; i < 5; i++) assert.deepEqual(n.receive("WILL", Opt.ECHO), [], "YES + WILL");
  n.receive("DO", Opt.BINARY);
  assert.deepEqual(n.receive("DO", Opt.BINARY), [], "YES + DO");
  assert.deepEqual(n.receive("WONT", Opt.SGA), [], "NO + WONT");
  assert.deepEqual(n.receive("DONT", Opt.NAWS), [], "NO + DONT");
  assert.deepEqual(n.receive("DONT", 200), [], "NO + DONT, unknown option");
});

test("RFC 1143 §7 (YES + WONT): the peer disabling is acknowledged with DONT and reported", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  assert.deepEqual(n.receive("WONT", Opt.ECHO), [
    { type: "send", bytes: Buffer.from(neg("DONT", Opt.ECHO)), verb: "DONT", option: Opt.ECHO },
    { type: "change", side: "remote", option: Opt.ECHO, enabled: false },
  ]);
  assert.equal(n.state("remote", Opt.ECHO), "NO");
});

test("RFC 1143 §7 (YES + DONT): disabling our side is acknowledged with WONT", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("DO", Opt.NAWS);
  const out = n.receive("DONT", Opt.NAWS);
  assert.deepEqual(sent(out), neg("WONT", Opt.NAWS));
  assert.deepEqual(ofType(out, "change"), [
    { type: "change", side: "local", option: Opt.NAWS, enabled: false },
  ]);
});

test("RFC 1143 §7 (ask disable in YES, then WANTNO + WONT): DONT sent once, settled in NO", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  const out = n.ask("remote", Opt.ECHO, false);
  assert.deepEqual(sent(out), neg("DONT", Opt.ECHO));
  assert.deepEqual(ofType(out, "change"), [
    { type: "change", side: "remote", option: Opt.ECHO, enabled: false },
  ]);
  assert.equal(n.state("remote", Opt.ECHO), "WANTNO");
  assert.deepEqual(n.receive("WONT", Opt.ECHO), []);
  assert.equal(n.state("remote", Opt.ECHO), "NO");
});

test("RFC 1143 §7 (redundant requests by us): asking for the state we are in sends nothing", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(n.ask("local", Opt.TTYPE, false), [], "already disabled");
  n.receive("DO", Opt.TTYPE);
  assert.deepEqual(n.ask("local", Opt.TTYPE, true), [], "already enabled");
  assert.deepEqual(sent(n.ask("remote", Opt.SGA, true)), neg("DO", Opt.SGA));
  assert.deepEqual(n.ask("remote", Opt.SGA, true), [], "already negotiating for enable");
});

test("RFC 1143 §7 (WANTYES OPPOSITE + WILL): a queued disable sends DONT when the WILL arrives", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(sent(n.ask("remote", Opt.SGA, true)), neg("DO", Opt.SGA));
  assert.deepEqual(n.ask("remote", Opt.SGA, false), [], "queued, nothing sent yet");
  assert.equal(n.state("remote", Opt.SGA), "WANTYES_OPP");
  const out = n.receive("WILL", Opt.SGA);
  assert.deepEqual(out, [
    { type: "send", bytes: Buffer.from(neg("DONT", Opt.SGA)), verb: "DONT", option: Opt.SGA },
  ]);
  assert.equal(n.state("remote", Opt.SGA), "WANTNO");
  assert.deepEqual(n.receive("WONT", Opt.SGA), []);
  assert.equal(n.state("remote", Opt.SGA), "NO");
});

test("RFC 1143 §7 (WANTNO OPPOSITE + WONT): a queued enable sends DO when the WONT arrives", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  n.ask("remote", Opt.ECHO, false);
  assert.deepEqual(n.ask("remote", Opt.ECHO, true), []);
  assert.equal(n.state("remote", Opt.ECHO), "WANTNO_OPP");
  assert.deepEqual(sent(n.receive("WONT", Opt.ECHO)), neg("DO", Opt.ECHO));
  assert.equal(n.state("remote", Opt.ECHO), "WANTYES");
});

test("RFC 1143 §7 (WANTNO EMPTY + WILL): DONT answered by WILL is a TELDOC_ERR_NEGOTIATION, him=NO", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  n.ask("remote", Opt.ECHO, false);
  let out: NegotiationOutput[] = [];
  assert.doesNotThrow(() => {
    out = n.receive("WILL", Opt.ECHO);
  });
  assert.equal(sent(out).length, 0, "no new request to a non-compliant peer");
  const errors = ofType(out, "error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, "TELDOC_ERR_NEGOTIATION");
  assert.equal(errors[0].option, Opt.ECHO);
  assert.equal(ofType(out, "change").length, 0);
  assert.equal(n.state("remote", Opt.ECHO), "NO");
});

test("RFC 1143 §7 (WANTNO OPPOSITE + WILL): the error is reported and him=YES", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("DO", Opt.BINARY);
  n.ask("local", Opt.BINARY, false);
  n.ask("local", Opt.BINARY, true);
  const out = n.receive("DO", Opt.BINARY);
  assert.equal(sent(out).length, 0);
  assert.deepEqual(
    ofType(out, "error").map((e) => [e.code, e.option]),
    [["TELDOC_ERR_NEGOTIATION", Opt.BINARY]],
  );
  assert.deepEqual(ofType(out, "change"), [
    { type: "change", side: "local", option: Opt.BINARY, enabled: true },
  ]);
  assert.equal(n.state("local", Opt.BINARY), "YES");
});

test("RFC 1143 §7: a random peer never makes the negotiator throw; errors carry negotiation codes", () => {
  const verbs: readonly Verb[] = ["WILL", "WONT", "DO", "DONT"];
  const options = [Opt.ECHO, Opt.SGA, Opt.TIMING_MARK, Opt.NAWS, 99];
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const n = new Negotiator(CLIENT_POLICY, { maxRenegotiations: 50 });
  for (let i = 0; i < 2000; i++) {
    const option = options[rand(options.length)];
    const out =
      rand(4) === 0
        ? n.ask(rand(2) === 0 ? "local" : "remote", option, rand(2) === 0)
        : n.receive(verbs[rand(4)], option);
    for (const o of out) {
      if (o.type === "error") {
        assert.ok(o.code === "TELDOC_ERR_NEGOTIATION" || o.code === "TELDOC_ERR_NEGOTIATION_STORM");
      }
      if (o.type === "send") assert.equal(o.bytes.length, 3);
    }
  }
});

test("RFC 860: every DO TIMING-MARK is answered WILL, and our side stays NO", () => {
  const n = new Negotiator(CLIENT_POLICY);
  for (let i = 0; i < 3; i++) {
    const out = n.receive("DO", Opt.TIMING_MARK);
    assert.deepEqual(out, [
      {
        type: "send",
        bytes: Buffer.from(neg("WILL", Opt.TIMING_MARK)),
        verb: "WILL",
        option: Opt.TIMING_MARK,
      },
      { type: "timing-mark", option: Opt.TIMING_MARK, answered: true },
    ]);
    assert.equal(n.state("local", Opt.TIMING_MARK), "NO");
  }
});

test("RFC 860: a refused TIMING-MARK is answered WONT every time", () => {
  const policy = withStances(CLIENT_POLICY, { [Opt.TIMING_MARK]: { local: "refuse" } });
  const n = new Negotiator(policy);
  for (let i = 0; i < 2; i++) {
    const out = n.receive("DO", Opt.TIMING_MARK);
    assert.deepEqual(sent(out), neg("WONT", Opt.TIMING_MARK));
    assert.deepEqual(ofType(out, "timing-mark"), [
      { type: "timing-mark", option: Opt.TIMING_MARK, answered: false },
    ]);
  }
  assert.deepEqual(sent(new Negotiator({}).receive("DO", Opt.TIMING_MARK)), neg("WONT", 6));
});

test("RFC 860: DONT TIMING-MARK needs no answer", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(n.receive("DONT", Opt.TIMING_MARK), []);
  assert.equal(n.state("local", Opt.TIMING_MARK), "NO");
});

test("RFC 860: the peer's WILL/WONT answering our DO TIMING-MARK is reported and state returns to NO", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(sent(n.ask("remote", Opt.TIMING_MARK, true)), neg("DO", Opt.TIMING_MARK));
  assert.equal(n.state("remote", Opt.TIMING_MARK), "WANTYES");
  assert.deepEqual(n.receive("WILL", Opt.TIMING_MARK), [
    { type: "timing-mark", option: Opt.TIMING_MARK, answered: true },
  ]);
  assert.equal(n.state("remote", Opt.TIMING_MARK), "NO");
  // Back in NO, so a second mark can be asked for.
  assert.deepEqual(sent(n.ask("remote", Opt.TIMING_MARK, true)), neg("DO", Opt.TIMING_MARK));
  assert.deepEqual(n.receive("WONT", Opt.TIMING_MARK), [
    { type: "timing-mark", option: Opt.TIMING_MARK, answered: false },
  ]);
  assert.equal(n.state("remote", Opt.TIMING_MARK), "NO");
});

test("RFC 860: an unsolicited WILL TIMING-MARK is declined with DONT; an unsolicited WONT is ignored", () => {
  const n = new Negotiator(CLIENT_POLICY);
  assert.deepEqual(n.receive("WILL", Opt.TIMING_MARK), [
    {
      type: "send",
      bytes: Buffer.from(neg("DONT", Opt.TIMING_MARK)),
      verb: "DONT",
      option: Opt.TIMING_MARK,
    },
  ]);
  assert.deepEqual(n.receive("WONT", Opt.TIMING_MARK), []);
  assert.equal(n.state("remote", Opt.TIMING_MARK), "NO");
});

test("storm cap: past maxRenegotiations, TELDOC_ERR_NEGOTIATION_STORM is reported once, then the option is ignored", () => {
  const n = new Negotiator(CLIENT_POLICY, { maxRenegotiations: 4 });
  const verbs: Verb[] = ["WILL", "WONT", "WILL", "WONT"];
  for (const v of verbs) assert.notDeepEqual(n.receive(v, Opt.ECHO), []);
  assert.equal(n.state("remote", Opt.ECHO), "NO");
  const storm = n.receive("WILL", Opt.ECHO);
  assert.equal(storm.length, 1);
  assert.equal(storm[0].type, "error");
  assert.equal(storm[0].type === "error" && storm[0].code, "TELDOC_ERR_NEGOTIATION_STORM");
  assert.equal(storm[0].option, Opt.ECHO);
  assert.equal(n.state("remote", Opt.ECHO), "NO", "the storming request is not applied");
  for (let i = 0; i < 100; i++) {
    assert.deepEqual(n.receive(i % 2 === 0 ? "WILL" : "DO", Opt.ECHO), []);
  }
  assert.equal(n.state("remote", Opt.ECHO), "NO");
  assert.equal(n.state("local", Opt.ECHO), "NO");
});

test("storm cap: counted per option, so other options still negotiate", () => {
  const n = new Negotiator(CLIENT_POLICY, { maxRenegotiations: 2 });
  n.receive("WILL", Opt.ECHO);
  n.receive("WONT", Opt.ECHO);
  assert.equal(ofType(n.receive("WILL", Opt.ECHO), "error").length, 1);
  assert.deepEqual(sent(n.receive("WILL", Opt.SGA)), neg("DO", Opt.SGA));
  assert.deepEqual(sent(n.receive("DO", Opt.TTYPE)), neg("WILL", Opt.TTYPE));
});

test("storm cap: the default allows 1000 requests per option, the 1001st is the storm", () => {
  const n = new Negotiator(CLIENT_POLICY);
  for (let i = 0; i < 1000; i++) {
    const out = n.receive(i % 2 === 0 ? "WILL" : "WONT", Opt.ECHO);
    assert.equal(ofType(out, "error").length, 0, `request ${i + 1}`);
  }
  const out = n.receive("WILL", Opt.ECHO);
  assert.deepEqual(
    out.map((o) => (o.type === "error" ? o.code : o.type)),
    ["TELDOC_ERR_NEGOTIATION_STORM"],
  );
  assert.deepEqual(n.receive("WILL", Opt.ECHO), []);
});

test("policy: setPolicy changes later answers and keeps the states already reached", () => {
  const n = new Negotiator(CLIENT_POLICY);
  n.receive("WILL", Opt.ECHO);
  assert.deepEqual(sent(n.receive("DO", Opt.LINEMODE)), neg("WONT", Opt.LINEMODE));
  n.setPolicy(withStances(CLIENT_POLICY, { [Opt.LINEMODE]: { local: "accept" } }));
  assert.deepEqual(sent(n.receive("DO", Opt.LINEMODE)), neg("WILL", Opt.LINEMODE));
  assert.equal(n.enabled("remote", Opt.ECHO), true);
});

test("policy: withStances merges one side and leaves the base policy untouched", () => {
  const changed: NegotiationPolicy = withStances(CLIENT_POLICY, { [Opt.ECHO]: { local: "offer" } });
  assert.deepEqual(changed[Opt.ECHO], { local: "offer", remote: "accept" });
  assert.deepEqual(CLIENT_POLICY[Opt.ECHO], { remote: "accept" });
  assert.deepEqual(changed[Opt.SGA], CLIENT_POLICY[Opt.SGA]);
});

test("policy: request and offer stances also accept the peer's own request", () => {
  const n = new Negotiator({ [Opt.NAWS]: { remote: "request" }, [Opt.ECHO]: { local: "offer" } });
  assert.deepEqual(sent(n.receive("WILL", Opt.NAWS)), neg("DO", Opt.NAWS));
  assert.deepEqual(sent(n.receive("DO", Opt.ECHO)), neg("WILL", Opt.ECHO));
});
