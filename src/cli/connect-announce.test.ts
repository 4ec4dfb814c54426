import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientSession } from "../session/client.js";
import { type ManualClock, manualClock } from "../testing/manual-clock.js";
import { announceConnect, progressText } from "./connect-announce.js";

/** What a terminal shows for this output: CR goes to the line start, ESC [2K clears the line. */
function screen(written: string): string {
  const lines = [""];
  for (const part of written.split(/(\r|\n|\u001b\[2K)/)) {
    if (part === "\n") lines.push("");
    else if (part === "\r" || part === "") continue;
    else if (part === "\u001b[2K") lines[lines.length - 1] = "";
    else lines[lines.length - 1] += part;
  }
  return lines.join("\n");
}

function announced(interactive = true): {
  session: ClientSession;
  clock: ManualClock;
  out: () => string;
} {
  const clock = manualClock();
  const session = new ClientSession({ host: "sw1", port: 23, clock });
  let written = "";
  const out = {
    columns: 100,
    write(s: string) {
      written += s;
      return true;
    },
  };
  announceConnect(session, {
    out: out as unknown as NodeJS.WriteStream,
    connectTimeoutMs: 10_000,
    escape: interactive,
  });
  return { session, clock, out: () => written };
}

const connecting = {
  type: "connecting",
  address: "198.18.0.9",
  family: 4,
  port: 23,
  attempt: 1,
} as const;

const connected = {
  type: "connected",
  local: { address: "198.18.1.2", port: 40000 },
  remote: { address: "198.18.0.9", port: 23 },
  family: 4,
  durationMs: 5,
} as const;

test("progress: what it waits for, the seconds waited and the timeout", () => {
  const w = { kind: "connect", address: "198.18.0.9", since: 0 } as const;
  assert.equal(progressText(w, 3200, 10_000), "Trying 198.18.0.9... 3 s of 10 s (no answer yet)");
  assert.equal(progressText(w, 1000, 2500), "Trying 198.18.0.9... 1 s of 2.5 s (no answer yet)");
  assert.equal(
    progressText({ kind: "resolve", host: "sw1", since: 0 }, 2000, 10_000),
    "Resolving sw1... 2 s (waiting for DNS)",
  );
});

test("a slow connect: Trying at once, the count from 1 s on, updated in place; cleared when it fails", () => {
  const { session, clock, out } = announced();
  session.recorder.emit(connecting);
  assert.equal(screen(out()), "Trying 198.18.0.9...");
  clock.advance(999);
  assert.equal(screen(out()), "Trying 198.18.0.9...", "nothing more within the first second");
  clock.advance(1);
  assert.equal(screen(out()), "Trying 198.18.0.9... 1 s of 10 s (no answer yet)");
  clock.advance(2000);
  assert.equal(screen(out()), "Trying 198.18.0.9... 3 s of 10 s (no answer yet)");
  session.recorder.emit({
    type: "connect-failed",
    address: "198.18.0.9",
    port: 23,
    outcome: "timeout",
    code: "TIMEOUT",
    durationMs: 3000,
  });
  assert.equal(screen(out()), "Trying 198.18.0.9...\n");
  assert.equal(clock.pending, 0, "no timer left");
});

test("a connect: Trying, Connected to HOST, the escape character; nothing after that", () => {
  const { session, clock, out } = announced();
  session.recorder.emit({ type: "resolving", host: "sw1" });
  clock.advance(2000);
  assert.equal(screen(out()), "Resolving sw1... 2 s (waiting for DNS)");
  session.recorder.emit({
    type: "resolved",
    host: "sw1",
    addresses: [{ address: "198.18.0.9", family: 4 }],
    durationMs: 2000,
  });
  assert.equal(screen(out()), "", "the resolve's progress is cleared");
  session.recorder.emit(connecting);
  session.recorder.emit(connected);
  assert.equal(
    screen(out()),
    "Trying 198.18.0.9...\nConnected to sw1.\nEscape character is '^]'.\n",
  );
  const before = out();
  clock.advance(5000);
  session.recorder.emit({ type: "fin" });
  assert.equal(out(), before);
  assert.equal(clock.pending, 0);
});

test("not interactive (a script on a terminal): no escape character line", () => {
  const { session, out } = announced(false);
  session.recorder.emit(connecting);
  session.recorder.emit(connected);
  assert.equal(screen(out()), "Trying 198.18.0.9...\nConnected to sw1.\n");
});
