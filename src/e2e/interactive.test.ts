/**
 * @module End to end on a real terminal: `teldoc connect` inside a tmux pane (100x30,
 * TERM=xterm-256color) against real telnetd + /bin/login. A person's keystrokes go in with
 * `tmux send-keys`; what the screen shows comes back with `capture-pane`. Checks that the
 * server sees the terminal's size and type, the `^]` prompt, and that the terminal is given
 * back in canonical mode with echo when teldoc exits.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  canRunDaemons,
  ensureTestUser,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  type XinetdHandle,
} from "../testing/daemons.js";

const TELDOC = fileURLToPath(new URL("../../bin/teldoc.js", import.meta.url));
const TMUX = "/usr/bin/tmux";
const WIDTH = 100;
const HEIGHT = 30;
const WAIT_MS = 10_000;

function tmuxMissing(): string | undefined {
  const r = spawnSync(TMUX, ["-V"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? undefined : `tmux is not available (${TMUX} -V failed)`;
}

const daemons = canRunDaemons();
const skip = daemons.ok ? (tmuxMissing() ?? false) : daemons.reason;

/** A private tmux server (own socket, no user config) with one detached session. */
class Pane {
  readonly socket = `teldoc-e2e-${process.pid}`;
  readonly target = "teldoc";

  tmux(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        TMUX,
        ["-L", this.socket, ...args],
        { encoding: "utf8", timeout: 5000 },
        (err, stdout, stderr) =>
          err
            ? reject(new Error(`tmux ${args.join(" ")}: ${stderr || err.message}`))
            : resolve(stdout),
      );
    });
  }

  async start(configPath: string, shell: string): Promise<void> {
    await this.tmux(
      "-f",
      configPath,
      "new-session",
      "-d",
      "-s",
      this.target,
      "-x",
      String(WIDTH),
      "-y",
      String(HEIGHT),
      shell,
    );
  }

  /** Type text (literally), optionally followed by Enter. */
  async type(text: string, enter = true): Promise<void> {
    await this.tmux("send-keys", "-t", this.target, "-l", text);
    if (enter) await this.tmux("send-keys", "-t", this.target, "Enter");
  }

  key(name: string): Promise<string> {
    return this.tmux("send-keys", "-t", this.target, name);
  }

  /** The screen and its scrollback, wrapped lines joined, trailing blanks trimmed (so `$`
   * without the m flag is the cursor's line). */
  async capture(): Promise<string> {
    const text = await this.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", this.target);
    return text
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n")
      .trimEnd();
  }

  /** Poll the screen until `pattern` shows (at most `ms`); returns the screen. */
  async waitFor(pattern: RegExp, ms = WAIT_MS): Promise<string> {
    const deadline = Date.now() + ms;
    let screen = "";
    for (;;) {
      screen = await this.capture().catch(() => screen);
      if (pattern.test(screen)) return screen;
      if (Date.now() >= deadline)
        assert.fail(`the screen never showed ${pattern} within ${ms} ms:\n${screen}`);
      await sleep(100);
    }
  }

  async kill(): Promise<void> {
    await this.tmux("kill-server").catch(() => undefined);
  }
}

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
    await pane.type(`node ${TELDOC} connect 127.0.0.1 ${xinetd.port(login.name)}`);
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
    screen = await pane.waitFor(
      /Connected to 127\.0\.0\.1 port \d+; \d+ bytes in, \d+ out[\s\S]*\nteldoc>$/,
    );
    assert.match(screen, /Idle for .*; options: .*they ECHO/);
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
});
