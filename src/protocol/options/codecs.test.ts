import assert from "node:assert/strict";
import { test } from "node:test";
import { commandName, Opt, optionCode, optionName } from "../constants.js";
import { encodeSubnegotiation } from "../encoder.js";
import {
  answerCharsetRequest,
  CHARSET_ACCEPTED,
  CHARSET_REJECTED,
  CHARSET_REQUEST,
  decodeCharset,
  encodeCharsetRequest,
} from "./charset.js";
import { describeSubneg } from "./describe.js";
import {
  answerLinemodeMode,
  decodeLinemode,
  LM_MODE,
  MODE_ACK,
  MODE_EDIT,
  MODE_LIT_ECHO,
  MODE_SOFT_TAB,
  MODE_TRAPSIG,
} from "./linemode.js";
import {
  decodeGmcp,
  decodeVarVal,
  encodeGmcp,
  MSDP_ARRAY_CLOSE,
  MSDP_ARRAY_OPEN,
  MSDP_TABLE_CLOSE,
  MSDP_TABLE_OPEN,
  MSDP_VAL,
  MSDP_VAR,
  MSSP_VAL,
  MSSP_VAR,
} from "./mud.js";
import { decodeNaws, encodeNaws } from "./naws.js";
import {
  answerEnvironSend,
  decodeEnviron,
  type EnvEntry,
  encodeEnviron,
  encodeEnvironSend,
} from "./new-environ.js";
import { decodeStatus, encodeStatusIs } from "./status.js";
import { decodeTspeed, encodeTspeedIs } from "./tspeed.js";
import { decodeTtype, encodeTtypeIs, TtypeCycler } from "./ttype.js";

/** Bytes from a mix of numbers and latin1 strings. */
function bytes(...parts: (number | string)[]): Buffer {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(...Buffer.from(p, "latin1"));
  }
  return Buffer.from(out);
}

// ---------------------------------------------------------------- constants (option codes)

test("RFC 1091/1073/1079/1572/859/2066/1184/860 §1: option codes match the RFCs", () => {
  assert.equal(Opt.TTYPE, 24);
  assert.equal(Opt.NAWS, 31);
  assert.equal(Opt.TSPEED, 32);
  assert.equal(Opt.NEW_ENVIRON, 39);
  assert.equal(Opt.STATUS, 5);
  assert.equal(Opt.CHARSET, 42);
  assert.equal(Opt.LINEMODE, 34);
  assert.equal(Opt.TIMING_MARK, 6);
});

test("optionName: registry names, MUD names, and OPT-<n> for unassigned codes", () => {
  assert.equal(optionName(0), "BINARY");
  assert.equal(optionName(6), "TIMING-MARK");
  assert.equal(optionName(24), "TTYPE");
  assert.equal(optionName(31), "NAWS");
  assert.equal(optionName(39), "NEW-ENVIRON");
  assert.equal(optionName(69), "MSDP");
  assert.equal(optionName(86), "MCCP2");
  assert.equal(optionName(201), "GMCP");
  assert.equal(optionName(255), "EXOPL");
  assert.equal(optionName(50), "OPT-50");
  assert.equal(optionName(100), "OPT-100");
});

test("optionName: every Opt constant's name is its key with _ read as -", () => {
  for (const [key, code] of Object.entries(Opt)) {
    assert.equal(optionName(code), key.replaceAll("_", "-"), key);
  }
});

test("optionCode: names (any case), OPT-<n> and bare numbers; undefined otherwise", () => {
  assert.equal(optionCode("NAWS"), 31);
  assert.equal(optionCode("naws"), 31);
  assert.equal(optionCode("timing-mark"), 6);
  assert.equal(optionCode("3270-REGIME"), 29);
  assert.equal(optionCode("OPT-100"), 100);
  assert.equal(optionCode("opt-7"), 7);
  assert.equal(optionCode("42"), 42);
  assert.equal(optionCode("255"), 255);
  assert.equal(optionCode("256"), undefined);
  assert.equal(optionCode("OPT-1000"), undefined);
  assert.equal(optionCode("-1"), undefined);
  assert.equal(optionCode("bogus"), undefined);
  assert.equal(optionCode(""), undefined);
});

test("optionCode(optionName(n)) === n for every byte", () => {
  for (let n = 0; n < 256; n++) assert.equal(optionCode(optionName(n)), n, String(n));
});

test("RFC 854: commandName names stand-alone commands only", () => {
  assert.equal(commandName(0xf1), "NOP");
  assert.equal(commandName(0xf9), "GA");
  assert.equal(commandName(0xef), "EOR");
  assert.equal(commandName(0xfb), undefined);
  assert.equal(commandName(0xff), undefined);
  assert.equal(commandName(0x41), undefined);
});

// ---------------------------------------------------------------- TTYPE (RFC 1091)

test("RFC 1091 §2: IS carries the name as ASCII after IS=0, upper-cased", () => {
  assert.deepEqual(encodeTtypeIs("ibm-3278-2"), bytes(0, "IBM-3278-2"));
  assert.deepEqual(encodeTtypeIs("DEC-VT100"), bytes(0, "DEC-VT100"));
});

test("RFC 1091 §2: SEND is the single byte 1; IS decodes its name", () => {
  assert.deepEqual(decodeTtype(bytes(1)), { kind: "send" });
  assert.deepEqual(decodeTtype(bytes(0, "XTERM")), { kind: "is", name: "XTERM" });
  assert.deepEqual(decodeTtype(encodeTtypeIs("vt220")), { kind: "is", name: "VT220" });
});

test("RFC 1091 §2: anything but IS or SEND is not a TTYPE message", () => {
  assert.equal(decodeTtype(bytes()), undefined);
  assert.equal(decodeTtype(bytes(2)), undefined);
  assert.equal(decodeTtype(bytes(1, 0)), undefined);
});

test("RFC 1091 §5: the client cycles its list, repeats the last name once, then starts over", () => {
  const c = new TtypeCycler(["xterm-256color", "xterm", "vt100"]);
  const seen = Array.from({ length: 9 }, () => c.next());
  assert.deepEqual(seen, [
    "XTERM-256COLOR",
    "XTERM",
    "VT100",
    "VT100",
    "XTERM-256COLOR",
    "XTERM",
    "VT100",
    "VT100",
    "XTERM-256COLOR",
  ]);
});

test("RFC 1091 §5: a single-name list sends that name every time; an empty list sends UNKNOWN", () => {
  const one = new TtypeCycler(["ansi"]);
  assert.deepEqual([one.next(), one.next(), one.next()], ["ANSI", "ANSI", "ANSI"]);
  const none = new TtypeCycler([]);
  assert.deepEqual([none.next(), none.next()], ["UNKNOWN", "UNKNOWN"]);
});

// ---------------------------------------------------------------- NAWS (RFC 1073)

test("RFC 1073 §2: 80x24 is IAC SB NAWS 0 80 0 24 IAC SE", () => {
  assert.deepEqual(encodeNaws({ width: 80, height: 24 }), bytes(0, 80, 0, 24));
  assert.deepEqual(
    encodeSubnegotiation(Opt.NAWS, encodeNaws({ width: 80, height: 24 })),
    bytes(0xff, 0xfa, 31, 0, 80, 0, 24, 0xff, 0xf0),
  );
});

test("RFC 1073 §2: sizes are 16-bit big-endian; 0xFF bytes stay single in the payload", () => {
  assert.deepEqual(encodeNaws({ width: 255, height: 65535 }), bytes(0, 0xff, 0xff, 0xff));
  assert.deepEqual(encodeNaws({ width: 300, height: 256 }), bytes(1, 44, 1, 0));
});

test("RFC 1073 §2 / RFC 855: the subnegotiation encoder doubles each 0xFF size byte", () => {
  assert.deepEqual(
    encodeSubnegotiation(Opt.NAWS, encodeNaws({ width: 255, height: 65535 })),
    bytes(0xff, 0xfa, 31, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0),
  );
});

test("RFC 1073 §2: sizes are clamped to 0..65535 (and non-numbers to 0)", () => {
  assert.deepEqual(encodeNaws({ width: 70000, height: -5 }), bytes(0xff, 0xff, 0, 0));
  assert.deepEqual(encodeNaws({ width: 80.9, height: 24.2 }), bytes(0, 80, 0, 24));
  assert.deepEqual(encodeNaws({ width: Number.NaN, height: Infinity }), bytes(0, 0, 0, 0));
});

test("RFC 1073 §2: decode round-trips and rejects payloads that are not 4 bytes", () => {
  for (const size of [
    { width: 0, height: 0 },
    { width: 80, height: 24 },
    { width: 255, height: 255 },
    { width: 65535, height: 1 },
  ]) {
    assert.deepEqual(decodeNaws(encodeNaws(size)), size);
  }
  assert.equal(decodeNaws(bytes(0, 80, 0)), undefined);
  assert.equal(decodeNaws(bytes(0, 80, 0, 24, 0)), undefined);
  assert.equal(decodeNaws(bytes()), undefined);
});

// ---------------------------------------------------------------- NEW-ENVIRON (RFC 1572)

test('RFC 1572 §2: IS VAR "USER" VALUE "joe" is 0 0 USER 1 joe', () => {
  assert.deepEqual(
    encodeEnviron("is", [{ kind: "VAR", name: "USER", value: "joe" }]),
    bytes(0, 0, "USER", 1, "joe"),
  );
});

test("RFC 1572 §2: USERVAR is type 3 and INFO is command 2", () => {
  assert.deepEqual(
    encodeEnviron("info", [{ kind: "USERVAR", name: "TZ", value: "UTC" }]),
    bytes(2, 3, "TZ", 1, "UTC"),
  );
});

test("RFC 1572 §2: an undefined variable has no VALUE; an empty one has VALUE and nothing after", () => {
  const entries: EnvEntry[] = [
    { kind: "VAR", name: "DISPLAY" },
    { kind: "VAR", name: "ACCT", value: "" },
    { kind: "USERVAR", name: "X", value: "1" },
  ];
  const encoded = encodeEnviron("is", entries);
  assert.deepEqual(encoded, bytes(0, 0, "DISPLAY", 0, "ACCT", 1, 3, "X", 1, "1"));
  const decoded = decodeEnviron(encoded);
  assert.deepEqual(decoded, {
    kind: "is",
    entries: [
      { kind: "VAR", name: "DISPLAY" },
      { kind: "VAR", name: "ACCT", value: "" },
      { kind: "USERVAR", name: "X", value: "1" },
    ],
  });
  assert.ok(decoded?.kind === "is" && !("value" in decoded.entries[0]));
});

test("RFC 1572 §2: bytes 0-3 (VAR, VALUE, ESC, USERVAR) in names and values are escaped by ESC", () => {
  const entries: EnvEntry[] = [{ kind: "USERVAR", name: "A\x00B", value: "\x01\x02\x03z" }];
  const encoded = encodeEnviron("is", entries);
  assert.deepEqual(encoded, bytes(0, 3, "A", 2, 0, "B", 1, 2, 1, 2, 2, 2, 3, "z"));
  assert.deepEqual(decodeEnviron(encoded), { kind: "is", entries });
});

test("RFC 1572 §2: bytes above 3 are not escaped (IAC doubling is the SB encoder's job)", () => {
  assert.deepEqual(
    encodeEnviron("is", [{ kind: "VAR", name: "\x04", value: "\x7f" }]),
    bytes(0, 0, 4, 1, 0x7f),
  );
});

test("RFC 1572 §2: encode/decode round-trips IS and INFO with UTF-8 text", () => {
  const entries: EnvEntry[] = [
    { kind: "VAR", name: "USER", value: "zoë" },
    { kind: "USERVAR", name: "LANG", value: "fr_FR.UTF-8" },
    { kind: "VAR", name: "JOB" },
  ];
  assert.deepEqual(decodeEnviron(encodeEnviron("is", entries)), { kind: "is", entries });
  assert.deepEqual(decodeEnviron(encodeEnviron("info", entries)), { kind: "info", entries });
});

test("RFC 1572 §2: SEND lists the requested names by type; an empty SEND asks for everything", () => {
  assert.deepEqual(encodeEnvironSend([]), bytes(1));
  const req = [
    { kind: "VAR" as const, name: "USER" },
    { kind: "USERVAR" as const, name: "X" },
  ];
  const encoded = encodeEnvironSend(req);
  assert.deepEqual(encoded, bytes(1, 0, "USER", 3, "X"));
  assert.deepEqual(decodeEnviron(encoded), { kind: "send", requested: req });
  assert.deepEqual(decodeEnviron(bytes(1)), { kind: "send", requested: [] });
  assert.deepEqual(decodeEnviron(bytes(1, 0)), {
    kind: "send",
    requested: [{ kind: "VAR", name: "" }],
  });
});

test("RFC 1572 §1: a first byte other than IS, SEND or INFO is not a NEW-ENVIRON message", () => {
  assert.equal(decodeEnviron(bytes()), undefined);
  assert.equal(decodeEnviron(bytes(3, 0, "USER")), undefined);
  assert.equal(decodeEnviron(bytes(0xff)), undefined);
});

test("RFC 1572 §2: answerEnvironSend with no list sends the whole default environment", () => {
  const known: EnvEntry[] = [
    { kind: "VAR", name: "USER", value: "joe" },
    { kind: "USERVAR", name: "X", value: "1" },
  ];
  const answer = answerEnvironSend([], known);
  assert.deepEqual(answer, known);
  assert.notEqual(answer, known, "a copy");
});

test("RFC 1572 §2: answerEnvironSend answers each requested variable in order, unknown ones without VALUE", () => {
  const known: EnvEntry[] = [
    { kind: "VAR", name: "USER", value: "joe" },
    { kind: "USERVAR", name: "USER", value: "other" },
    { kind: "VAR", name: "DISPLAY", value: "" },
  ];
  const answer = answerEnvironSend(
    [
      { kind: "VAR", name: "DISPLAY" },
      { kind: "VAR", name: "PRINTER" },
      { kind: "USERVAR", name: "USER" },
      { kind: "USERVAR", name: "NOPE" },
    ],
    known,
  );
  assert.deepEqual(answer, [
    { kind: "VAR", name: "DISPLAY", value: "" },
    { kind: "VAR", name: "PRINTER" },
    { kind: "USERVAR", name: "USER", value: "other" },
    { kind: "USERVAR", name: "NOPE" },
  ]);
  assert.deepEqual(
    encodeEnviron("is", answer),
    bytes(0, 0, "DISPLAY", 1, 0, "PRINTER", 3, "USER", 1, "other", 3, "NOPE"),
  );
});

test("RFC 1572 §2: a SEND type with no name asks for all the variables of that type", () => {
  const known: EnvEntry[] = [
    { kind: "VAR", name: "USER", value: "joe" },
    { kind: "VAR", name: "DISPLAY", value: "host:0" },
    { kind: "USERVAR", name: "X", value: "1" },
  ];
  assert.deepEqual(answerEnvironSend([{ kind: "VAR", name: "" }], known), [
    { kind: "VAR", name: "USER", value: "joe" },
    { kind: "VAR", name: "DISPLAY", value: "host:0" },
  ]);
});

// ---------------------------------------------------------------- TSPEED (RFC 1079)

test('RFC 1079 §2: IS is 0 then "transmit,receive" in ASCII', () => {
  assert.deepEqual(encodeTspeedIs(38400, 19200), bytes(0, "38400,19200"));
  assert.deepEqual(decodeTspeed(bytes(0, "38400,19200")), {
    kind: "is",
    transmit: 38400,
    receive: 19200,
  });
});

test("RFC 1079 §2: SEND is the single byte 1", () => {
  assert.deepEqual(decodeTspeed(bytes(1)), { kind: "send" });
  assert.equal(decodeTspeed(bytes(1, 0)), undefined);
});

test("RFC 1079 §2: encode/decode round-trips; malformed IS payloads decode to undefined", () => {
  for (const [t, r] of [
    [0, 0],
    [9600, 9600],
    [115200, 4800],
  ]) {
    assert.deepEqual(decodeTspeed(encodeTspeedIs(t, r)), { kind: "is", transmit: t, receive: r });
  }
  assert.equal(decodeTspeed(bytes()), undefined);
  assert.equal(decodeTspeed(bytes(0)), undefined);
  assert.equal(decodeTspeed(bytes(0, "38400")), undefined);
  assert.equal(decodeTspeed(bytes(0, "fast,slow")), undefined);
  assert.equal(decodeTspeed(bytes(0, "38400,19200 ")), undefined);
  assert.equal(decodeTspeed(bytes(2, "1,1")), undefined);
});

// ---------------------------------------------------------------- STATUS (RFC 859)

test("RFC 859 §5: IS lists WILL for options we perform and DO for those we asked of the peer", () => {
  assert.deepEqual(
    encodeStatusIs([Opt.ECHO, Opt.SGA], [Opt.TTYPE]),
    bytes(0, 0xfb, 1, 0xfb, 3, 0xfd, 24),
  );
  assert.deepEqual(encodeStatusIs([], []), bytes(0));
});

test("RFC 859 §5: an SE data byte (option 240) is doubled as SE SE", () => {
  assert.deepEqual(
    encodeStatusIs([240], [240, 1]),
    bytes(0, 0xfb, 240, 240, 0xfd, 240, 240, 0xfd, 1),
  );
  assert.deepEqual(decodeStatus(bytes(0, 0xfb, 240, 240, 0xfd, 240, 240, 0xfd, 1)), {
    kind: "is",
    will: [240],
    do: [240, 1],
  });
});

test("RFC 859 §5: encode/decode round-trips IS", () => {
  const will = [0, 1, 3, 239, 240, 241, 255];
  const doing = [240, 24, 31, 240];
  assert.deepEqual(decodeStatus(encodeStatusIs(will, doing)), { kind: "is", will, do: doing });
});

test("RFC 859 §5: SEND is the single byte 1; other first bytes are not STATUS", () => {
  assert.deepEqual(decodeStatus(bytes(1)), { kind: "send" });
  assert.equal(decodeStatus(bytes()), undefined);
  assert.equal(decodeStatus(bytes(2)), undefined);
  assert.equal(decodeStatus(bytes(1, 0)), undefined);
  assert.deepEqual(decodeStatus(bytes(0)), { kind: "is", will: [], do: [] });
});

test("RFC 859 §5: WONT/DONT pairs are skipped and an embedded SB ends the decoded list", () => {
  assert.deepEqual(decodeStatus(bytes(0, 0xfc, 5, 0xfb, 1, 0xfe, 6, 0xfd, 3)), {
    kind: "is",
    will: [1],
    do: [3],
  });
  assert.deepEqual(decodeStatus(bytes(0, 0xfb, 31, 0xfa, 31, 0, 80, 0, 24, 0xf0, 0xfd, 1)), {
    kind: "is",
    will: [31],
    do: [],
  });
});

// ---------------------------------------------------------------- CHARSET (RFC 2066)

test("RFC 2066 §1: REQUEST=1, ACCEPTED=2, REJECTED=3", () => {
  assert.deepEqual([CHARSET_REQUEST, CHARSET_ACCEPTED, CHARSET_REJECTED], [1, 2, 3]);
});

test("RFC 2066 §2: REQUEST's first octet after the command is the separator, chosen by the sender", () => {
  assert.deepEqual(decodeCharset(bytes(1, ";UTF-8;ISO-8859-1;US-ASCII")), {
    kind: "request",
    charsets: ["UTF-8", "ISO-8859-1", "US-ASCII"],
  });
  assert.deepEqual(decodeCharset(bytes(1, " UTF-8")), { kind: "request", charsets: ["UTF-8"] });
  assert.deepEqual(decodeCharset(bytes(1)), { kind: "request", charsets: [] });
});

test('RFC 2066 §2: REQUEST with "[TTABLE]" and its version octet skips both before the list', () => {
  assert.deepEqual(decodeCharset(bytes(1, "[TTABLE]", 1, ";UTF-8;US-ASCII")), {
    kind: "request",
    charsets: ["UTF-8", "US-ASCII"],
  });
  assert.deepEqual(decodeCharset(bytes(1, "[TTABLE]", 1, " KOI8-R")), {
    kind: "request",
    charsets: ["KOI8-R"],
  });
});

test("RFC 2066 §2: encodeCharsetRequest uses a space separator and round-trips", () => {
  const payload = encodeCharsetRequest(["UTF-8", "US-ASCII"]);
  assert.deepEqual(payload, bytes(1, " UTF-8 US-ASCII"));
  assert.deepEqual(decodeCharset(payload), { kind: "request", charsets: ["UTF-8", "US-ASCII"] });
});

test("RFC 2066 §2: ACCEPTED carries the chosen charset; REJECTED is the bare command", () => {
  assert.deepEqual(decodeCharset(bytes(2, "UTF-8")), { kind: "accepted", charset: "UTF-8" });
  assert.deepEqual(decodeCharset(bytes(3)), { kind: "rejected" });
  assert.deepEqual(decodeCharset(bytes(4, 1)), { kind: "ttable" });
  assert.deepEqual(decodeCharset(bytes(5)), { kind: "ttable" });
  assert.equal(decodeCharset(bytes()), undefined);
});

test("RFC 2066 §2: the answer accepts the first offered charset we support (case-insensitive), as offered", () => {
  assert.deepEqual(
    answerCharsetRequest(["ISO-8859-1", "utf-8", "US-ASCII"], ["US-ASCII", "UTF-8"]),
    bytes(2, "utf-8"),
  );
  assert.deepEqual(answerCharsetRequest(["UTF-8"], ["utf-8"]), bytes(2, "UTF-8"));
});

test("RFC 2066 §2: the answer is REJECTED when no offered charset is supported", () => {
  assert.deepEqual(answerCharsetRequest(["EBCDIC-US"], ["UTF-8"]), bytes(3));
  assert.deepEqual(answerCharsetRequest([], ["UTF-8"]), bytes(3));
  const req = decodeCharset(bytes(1, ";KOI8-R;UTF-8"));
  assert.ok(req?.kind === "request");
  assert.deepEqual(answerCharsetRequest(req.charsets, ["UTF-8"]), bytes(2, "UTF-8"));
});

// ---------------------------------------------------------------- LINEMODE (RFC 1184)

test("RFC 1184 §2: MODE mask bits EDIT=1 TRAPSIG=2 MODE_ACK=4 SOFT_TAB=8 LIT_ECHO=16", () => {
  assert.deepEqual(
    [LM_MODE, MODE_EDIT, MODE_TRAPSIG, MODE_ACK, MODE_SOFT_TAB, MODE_LIT_ECHO],
    [1, 1, 2, 4, 8, 16],
  );
});

test("RFC 1184 §2: decodeLinemode reads MODE, FORWARDMASK and SLC", () => {
  assert.deepEqual(decodeLinemode(bytes(1, 0x03)), {
    kind: "mode",
    mask: 3,
    edit: true,
    ack: false,
  });
  assert.deepEqual(decodeLinemode(bytes(1, 0x06)), {
    kind: "mode",
    mask: 6,
    edit: false,
    ack: true,
  });
  assert.deepEqual(decodeLinemode(bytes(0xfd, 2, 0xff, 0xff)), { kind: "forwardmask", verb: 0xfd });
  assert.deepEqual(decodeLinemode(bytes(0xfc, 2)), { kind: "forwardmask", verb: 0xfc });
  assert.deepEqual(decodeLinemode(bytes(3, 1, 2, 3, 4, 5, 6, 7)), { kind: "slc", triplets: 2 });
  assert.deepEqual(decodeLinemode(bytes(1)), { kind: "other", first: 1 });
  assert.deepEqual(decodeLinemode(bytes(0xfd, 3)), { kind: "other", first: 0xfd });
  assert.equal(decodeLinemode(bytes()), undefined);
});

test("RFC 1184 §2 (MODE): a mode without EDIT is acknowledged with MODE_ACK set", () => {
  assert.deepEqual(answerLinemodeMode(0), bytes(1, MODE_ACK));
  assert.deepEqual(answerLinemodeMode(MODE_TRAPSIG), bytes(1, MODE_TRAPSIG | MODE_ACK));
  assert.deepEqual(
    answerLinemodeMode(MODE_TRAPSIG | MODE_SOFT_TAB | MODE_LIT_ECHO),
    bytes(1, 0x1e),
  );
});

test("RFC 1184 §2 (MODE): a mode with EDIT is answered by proposing it without EDIT and without ACK", () => {
  assert.deepEqual(answerLinemodeMode(MODE_EDIT), bytes(1, 0));
  assert.deepEqual(answerLinemodeMode(MODE_EDIT | MODE_TRAPSIG), bytes(1, MODE_TRAPSIG));
  assert.deepEqual(answerLinemodeMode(MODE_EDIT | MODE_SOFT_TAB | 0xe0), bytes(1, MODE_SOFT_TAB));
});

test("RFC 1184 §2 (MODE): a MODE with MODE_ACK set is never answered (no loop)", () => {
  assert.equal(answerLinemodeMode(MODE_ACK), undefined);
  assert.equal(answerLinemodeMode(MODE_ACK | MODE_EDIT), undefined);
  assert.equal(answerLinemodeMode(MODE_ACK | MODE_TRAPSIG), undefined);
});

test("RFC 1184 §2 (MODE): our answer's ack bit and edit bit decode as sent", () => {
  const answer = answerLinemodeMode(MODE_EDIT | MODE_TRAPSIG);
  assert.ok(answer);
  assert.deepEqual(decodeLinemode(answer), { kind: "mode", mask: 2, edit: false, ack: false });
});

// ---------------------------------------------------------------- MUD: GMCP, MSDP, MSSP

test("GMCP: the payload is a package name, a space, then JSON", () => {
  assert.deepEqual(decodeGmcp(Buffer.from('Core.Hello {"client":"teldoc","version":"0.1"}')), {
    package: "Core.Hello",
    json: '{"client":"teldoc","version":"0.1"}',
  });
  assert.deepEqual(decodeGmcp(Buffer.from("Core.Ping")), { package: "Core.Ping", json: "" });
  assert.deepEqual(decodeGmcp(Buffer.from('Char.Vitals\n  {"hp": 10} ')), {
    package: "Char.Vitals",
    json: '{"hp": 10}',
  });
  assert.deepEqual(decodeGmcp(Buffer.from('Comm.Say "héllo"', "utf8")), {
    package: "Comm.Say",
    json: '"héllo"',
  });
});

test("GMCP: encodeGmcp writes UTF-8 and round-trips", () => {
  assert.deepEqual(encodeGmcp("Core.Ping"), Buffer.from("Core.Ping"));
  assert.deepEqual(
    encodeGmcp("Core.Supports.Set", '["Char 1"]'),
    Buffer.from('Core.Supports.Set ["Char 1"]'),
  );
  assert.deepEqual(decodeGmcp(encodeGmcp("Comm.Say", '"é"')), { package: "Comm.Say", json: '"é"' });
});

test("MSSP: VAR name VAL value pairs decode in order", () => {
  assert.deepEqual([MSSP_VAR, MSSP_VAL], [1, 2]);
  const payload = bytes(MSSP_VAR, "NAME", MSSP_VAL, "Foo MUD", MSSP_VAR, "PLAYERS", MSSP_VAL, "5");
  assert.deepEqual(decodeVarVal(payload), [
    { name: "NAME", value: "Foo MUD" },
    { name: "PLAYERS", value: "5" },
  ]);
});

test("MSSP: a variable with several VALs reads as a comma-separated list", () => {
  const payload = bytes(
    MSSP_VAR,
    "PORT",
    MSSP_VAL,
    "23",
    MSSP_VAL,
    "4000",
    MSSP_VAR,
    "UPTIME",
    MSSP_VAL,
    "1",
  );
  assert.deepEqual(decodeVarVal(payload), [
    { name: "PORT", value: "23,4000" },
    { name: "UPTIME", value: "1" },
  ]);
});

test("MSDP: a flat VAR/VAL payload decodes, and an empty payload has no pairs", () => {
  assert.deepEqual(decodeVarVal(bytes(MSDP_VAR, "HEALTH", MSDP_VAL, "100")), [
    { name: "HEALTH", value: "100" },
  ]);
  assert.deepEqual(decodeVarVal(bytes(MSDP_VAR, "REPORTABLE")), [
    { name: "REPORTABLE", value: "" },
  ]);
  assert.deepEqual(decodeVarVal(bytes()), []);
});

test("MSDP: an array value is kept as one value in [ ] brackets", () => {
  const payload = bytes(
    MSDP_VAR,
    "LIST",
    MSDP_VAL,
    MSDP_ARRAY_OPEN,
    MSDP_VAL,
    "a",
    MSDP_VAL,
    "b",
    MSDP_ARRAY_CLOSE,
  );
  assert.deepEqual(decodeVarVal(payload), [{ name: "LIST", value: "[a,b]" }]);
});

test("MSDP: a nested table stays inside its variable's value (module doc: kept as raw text in { })", () => {
  const payload = bytes(
    MSDP_VAR,
    "ROOM",
    MSDP_VAL,
    MSDP_TABLE_OPEN,
    MSDP_VAR,
    "VNUM",
    MSDP_VAL,
    "6008",
    MSDP_TABLE_CLOSE,
    MSDP_VAR,
    "HEALTH",
    MSDP_VAL,
    "100",
  );
  const pairs = decodeVarVal(payload);
  assert.deepEqual(
    pairs.map((p) => p.name),
    ["ROOM", "HEALTH"],
  );
  assert.match(pairs[0].value, /^\{.*VNUM.*6008.*\}$/);
  assert.equal(pairs[1].value, "100");
});

// ---------------------------------------------------------------- describeSubneg

test("describeSubneg: TTYPE, NAWS and TSPEED one-liners", () => {
  assert.equal(describeSubneg(Opt.TTYPE, bytes(1)), "SEND");
  assert.equal(describeSubneg(Opt.TTYPE, bytes(0, "XTERM")), "IS XTERM");
  assert.equal(describeSubneg(Opt.NAWS, bytes(0, 80, 0, 24)), "80x24");
  assert.equal(describeSubneg(Opt.NAWS, bytes(0xff, 0xff, 1, 0)), "65535x256");
  assert.equal(describeSubneg(Opt.NAWS, bytes(0, 80, 0)), "3 bytes");
  assert.equal(describeSubneg(Opt.TSPEED, bytes(1)), "SEND");
  assert.equal(describeSubneg(Opt.TSPEED, bytes(0, "38400,19200")), "IS 38400,19200");
  assert.equal(describeSubneg(Opt.TTYPE, bytes(7, 7)), "2 bytes");
});

test("describeSubneg: NEW-ENVIRON SEND, IS and INFO", () => {
  assert.equal(describeSubneg(Opt.NEW_ENVIRON, bytes(1)), "SEND (all)");
  assert.equal(
    describeSubneg(Opt.NEW_ENVIRON, bytes(1, 0, "USER", 3, "X")),
    "SEND VAR USER, USERVAR X",
  );
  assert.equal(
    describeSubneg(Opt.NEW_ENVIRON, bytes(0, 0, "USER", 1, "joe", 0, "DISPLAY", 3, "E", 1)),
    "IS VAR USER=joe, VAR DISPLAY, USERVAR E=",
  );
  assert.equal(describeSubneg(Opt.NEW_ENVIRON, bytes(2, 3, "TZ", 1, "UTC")), "INFO USERVAR TZ=UTC");
  assert.equal(describeSubneg(Opt.NEW_ENVIRON, bytes(9, 9)), "2 bytes");
});

test("describeSubneg: STATUS SEND and IS with option names", () => {
  assert.equal(describeSubneg(Opt.STATUS, bytes(1)), "SEND");
  assert.equal(
    describeSubneg(Opt.STATUS, bytes(0, 0xfb, 1, 0xfb, 3, 0xfd, 24)),
    "IS WILL ECHO SGA; DO TTYPE",
  );
  assert.equal(describeSubneg(Opt.STATUS, bytes(0)), "IS WILL -; DO -");
});

test("describeSubneg: CHARSET REQUEST, ACCEPTED, REJECTED, TTABLE", () => {
  assert.equal(describeSubneg(Opt.CHARSET, bytes(1, ";UTF-8;US-ASCII")), "REQUEST UTF-8 US-ASCII");
  assert.equal(describeSubneg(Opt.CHARSET, bytes(2, "UTF-8")), "ACCEPTED UTF-8");
  assert.equal(describeSubneg(Opt.CHARSET, bytes(3)), "REJECTED");
  assert.equal(describeSubneg(Opt.CHARSET, bytes(4, 1)), "TTABLE");
});

test("describeSubneg: LINEMODE MODE, SLC, FORWARDMASK", () => {
  assert.equal(describeSubneg(Opt.LINEMODE, bytes(1, 0x03)), "MODE EDIT (mask 3)");
  assert.equal(describeSubneg(Opt.LINEMODE, bytes(1, 0x06)), "MODE character ACK (mask 6)");
  assert.equal(describeSubneg(Opt.LINEMODE, bytes(3, 1, 2, 3, 4, 5, 6)), "SLC 2 triplets");
  assert.equal(describeSubneg(Opt.LINEMODE, bytes(0xfd, 2, 0)), "FORWARDMASK");
  assert.equal(describeSubneg(Opt.LINEMODE, bytes(9, 9)), "2 bytes");
});

test("describeSubneg: GMCP, MSDP, MSSP and MCCP2", () => {
  assert.equal(describeSubneg(Opt.GMCP, Buffer.from('Core.Hello {"a":1}')), 'Core.Hello {"a":1}');
  assert.equal(describeSubneg(Opt.GMCP, Buffer.from("Core.Ping")), "Core.Ping");
  assert.equal(
    describeSubneg(Opt.MSSP, bytes(1, "NAME", 2, "Foo", 1, "PLAYERS", 2, "5")),
    "NAME=Foo PLAYERS=5",
  );
  assert.equal(describeSubneg(Opt.MSDP, bytes(1, "HEALTH", 2, "100")), "HEALTH=100");
  assert.equal(describeSubneg(Opt.MCCP2, bytes()), "compression starts");
  assert.equal(describeSubneg(Opt.MCCP2, bytes(1, 2)), "2 bytes");
});

test("describeSubneg: an option without a codec is described by its length", () => {
  assert.equal(describeSubneg(99, bytes(1, 2, 3)), "3 bytes");
  assert.equal(describeSubneg(Opt.XDISPLOC, bytes()), "0 bytes");
});

test("describeSubneg: text is capped at 120 characters, ending with an ellipsis", () => {
  const json = JSON.stringify({ text: "x".repeat(300) });
  const text = describeSubneg(Opt.GMCP, Buffer.from(`Comm.Channel ${json}`));
  assert.equal(text.length, 120);
  assert.ok(text.endsWith("…"));
  assert.equal(text.slice(0, 119), `Comm.Channel ${json}`.slice(0, 119));
  const exact = "P".repeat(120);
  assert.equal(describeSubneg(Opt.GMCP, Buffer.from(exact)), exact);
});
