/**
 * @module End to end on a real terminal: `teldoc connect` inside a tmux pane (100x30,
 * TERM=xterm-256color) against real telnetd + /bin/login. A person's keystrokes go in with
 * `tmux send-keys`; what the screen shows comes back with `capture-pane`. Checks that the
 * server sees the terminal's size and type, the `^]` prompt, that the terminal is given back in
 * canonical mode with echo when teldoc exits, that every `teldoc>` command gives the keyboard
 * back to the session, and that a password typed key by key at login's prompt is in no record
 * (--trace, --pcap).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TELDOC_BIN } from "../testing/cli.js";
import {
  canRunDaemons,
  ensureTestUser,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  type XinetdHandle,
} from "../testing/daemons.js";
import { PROMPT_ROUNDS, runPromptRounds } from "../testing/prompt-rounds.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { PANE_HEIGHT, PANE_WIDTH, Pane, tmuxMissing } from "../testing/tmux.js";

const daemons = canRunDaemons();
const skip =
  skipUnlessCI("real daemons", daemons.ok ? false : daemons.reason) ||
  skipUnlessCI("tmux", tmuxMissing());
const HEIGHT = PANE_HEIGHT;
const WIDTH = PANE_WIDTH;

describe("interactive teldoc on a real terminal (tmux)", { skip }, () => {
  let xinetd: XinetdHandle;
  let work: string;
  const pane = new Pane();
  const login = telnetdLogin({ name: "teldoc-e2e-tty" });

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "teldoc-e2e-tty-"));
    await ensureTestUser();
    xinetd = await startXinetd([login]);
    const config = join(work, "tmux.conf");
    // The pane's TERM is tmux's default-terminal; a local shell without line editing (dash
    // does not touch the terminal modes, so `stty -a` shows what teldoc left behind).
    await writeFile(
      config,
      [
        "set -g default-terminal xterm-256color",
        "set -g history-limit 5000",
        "set -g status off",
        "",
      ].join("\n"),
    );
    await pane.start(config, "env PS1='local> ' /bin/sh");
  });
  after(async () => {
    await pane.kill();
    await xinetd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("login, the server sees 100x30 and xterm-256color, ^] prompt, status, close", async () => {
    await pane.waitFor(/local>$/);
    await pane.type(`node ${TELDOC_BIN} connect 127.0.0.1 ${xinetd.port(login.name)}`);
    await pane.waitFor(/login:$/);
    await pane.type(TEST_USER);
    await pane.waitFor(/Password:$/);
    await pane.type(TEST_PASSWORD);
    await pane.waitFor(new RegExp(`${TEST_USER}@\\S*\\$$`));

    // What the server's pty says about our terminal (NAWS and TTYPE at work).
    await pane.type("stty size; echo $TERM");
    let screen = await pane.waitFor(/^xterm-256color$/m);
    assert.match(screen, new RegExp(`^${HEIGHT} ${WIDTH}$`, "m"));
    assert.ok(!screen.includes(TEST_PASSWORD), "the password is not echoed on the screen");

    // The escape character opens the teldoc> prompt.
    await pane.key("C-]");
    await pane.waitFor(/\nteldoc>$/);
    await pane.type("status");
    screen = await pane.waitFor(/Connected to 127\.0\.0\.1 port \d+; \d+ bytes in, \d+ out\n/);
    assert.match(screen, /Idle for .*; options: .*they ECHO/);
    // As in the classic client, status goes back to the session; ^] opens the prompt again.
    await pane.key("C-]");
    await pane.waitFor(/\nteldoc>$/);
    await pane.type("close");

    // The classic line, then the diagnosis; then the local shell again.
    screen = await pane.waitFor(/teldoc: local-close[\s\S]*\nlocal>$/);
    assert.match(screen, /teldoc: local-close/);
    assert.match(screen, /local-close \(user\)/);

    // The terminal is given back: canonical mode and echo on (not -icanon / -echo).
    await pane.type(
      "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo MODES-END",
    );
    screen = await pane.waitFor(/^(?:-?icanon|-?echo| )+MODES-END$/m);
    const modes = /^((?:-?icanon|-?echo| )+)MODES-END$/m.exec(screen)?.[1]?.trim().split(/\s+/);
    assert.deepEqual(modes?.sort(), ["echo", "icanon"], `terminal modes after teldoc: ${modes}`);
  });

  test("every teldoc> command returns to the session; ^] works again after each", async () => {
    await pane.type("clear");
    await pane.waitFor(/^local>$/m);
    await pane.tmux("clear-history", "-t", pane.target);
    await pane.type(
      `node ${TELDOC_BIN} connect 127.0.0.1 ${xinetd.port(login.name)}; echo exit=$?`,
    );
    await pane.waitFor(/login:$/);
    await pane.type(TEST_USER);
    await pane.waitFor(/Password:$/);
    await pane.type(TEST_PASSWORD);
    const shell = new RegExp(`${TEST_USER}@\\S*\\$$`);
    const first = await pane.waitFor(shell);
    assert.match(first, /\nConnected to 127\.0\.0\.1\.\nEscape character is '\^\]'\.\n/);
    // telnetd answers AYT: the command reached the server.
    const rounds = PROMPT_ROUNDS.map((r) =>
      r.type === "send ayt" ? { ...r, shows: /^sent IAC AYT\n+\[Yes\]$/m } : r,
    );
    await runPromptRounds(pane, rounds);
    await pane.key("C-]");
    await pane.waitFor(/\nteldoc>$/);
    await pane.type("close");
    const screen = await pane.waitFor(/\nexit=\d+\nlocal>$/);
    assert.match(screen, /teldoc> close\nConnection closed\.\n[\s\S]*local-close \(user\)/);
    assert.match(screen, /\nexit=0\nlocal>$/);
  });

  test("a password typed at login's prompt is masked in the trace and the pcap (0600)", async () => {
    const trace = join(work, "typed.jsonl");
    const pcap = join(work, "typed.pcapng");
    await pane.type("clear");
    await pane.waitFor(/^local>$/m);
    await pane.type(
      `node ${TELDOC_BIN} connect 127.0.0.1 ${xinetd.port(login.name)} --trace ${trace} --pcap ${pcap}`,
    );
    await pane.waitFor(/login:$/);
    await pane.type(TEST_USER);
    await pane.waitFor(/Password:$/);
    await pane.type(TEST_PASSWORD);
    await pane.waitFor(new RegExp(`${TEST_USER}@\\S*\\$$`));
    await pane.type("exit");
    await pane.waitFor(/teldoc: logout[\s\S]*\nlocal>$/);

    const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");
    const text = await readFile(trace, "utf8");
    const events = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; dir?: string; hex?: string; masked?: boolean });
    // Character mode: every key went out on its own; joined, they would spell the password.
    const written = events.map((e) => (e.type === "write" ? (e.hex ?? "") : "")).join("");
    assert.ok(!text.includes(TEST_PASSWORD), "no clear password in the trace");
    assert.ok(!written.includes(hex(TEST_PASSWORD)), "not in the raw writes, joined");
    assert.ok(!written.includes(hex(TEST_PASSWORD.slice(0, 4))), "nor a part of it");
    assert.equal(events.filter((e) => e.type === "write" && e.masked).length, 1);
    assert.ok(events.some((e) => e.type === "data" && e.dir === "out" && e.masked));
    assert.ok(written.includes(hex(TEST_USER)), "the user name is recorded as typed");
    const capture = await readFile(pcap);
    assert.ok(!capture.includes(TEST_PASSWORD), "no clear password in the pcap");
    assert.ok(!capture.includes(TEST_PASSWORD.slice(0, 4)), "nor a part of it");
    for (const file of [trace, pcap]) assert.equal((await stat(file)).mode & 0o777, 0o600, file);
  });
});
