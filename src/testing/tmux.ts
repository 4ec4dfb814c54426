/**
 * @module Test support: a real terminal — a private tmux server (own socket, no user config)
 * with one detached pane. Keystrokes go in with `send-keys`, the screen comes back with
 * `capture-pane`; every wait is bounded.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const TMUX = "/usr/bin/tmux";
export const PANE_WIDTH = 100;
export const PANE_HEIGHT = 30;
const WAIT_MS = 10_000;

/** Why tmux cannot be used here, or undefined when it can. */
export function tmuxMissing(): string | undefined {
  const r = spawnSync(TMUX, ["-V"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? undefined : `tmux is not available (${TMUX} -V failed)`;
}

/** One tmux pane of PANE_WIDTH x PANE_HEIGHT. */
export class Pane {
  readonly target = "teldoc";

  constructor(readonly socket = `teldoc-e2e-${process.pid}`) {}

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
      String(PANE_WIDTH),
      "-y",
      String(PANE_HEIGHT),
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
