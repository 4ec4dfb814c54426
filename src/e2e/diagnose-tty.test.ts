/**
 * `teldoc diagnose` on a real terminal (tmux): progress and the idle countdown show while the
 * checks run, each check is listed once, and the verdict follows. Against the lab (no root
 * needed; tmux is).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { TELDOC_BIN } from "../testing/cli.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { Pane, tmuxMissing } from "../testing/tmux.js";

const skip = skipUnlessCI("tmux", tmuxMissing());

describe("teldoc diagnose on a real terminal (tmux)", { skip }, () => {
  const pane = new Pane(`teldoc-diag-tty-${process.pid}`);
  let lab: Lab;
  let work: string;

  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0 });
    work = await mkdtemp(join(tmpdir(), "teldoc-diag-tty-"));
    const config = join(work, "tmux.conf");
    await writeFile(config, "set -g default-terminal xterm-256color\nset -g status off\n");
    await pane.start(config, "env PS1='local> ' /bin/sh");
  });
  after(async () => {
    await pane.kill();
    await lab?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("a live countdown during --idle-test, then each check once and the verdict", async () => {
    await pane.type(
      `PW=demo ${process.execPath} ${TELDOC_BIN} diagnose 127.0.0.1 ${lab.port} --port-ssh 1 --user demo --password-env PW --idle-test 4s; echo "exit=$?"`,
    );
    await pane.waitFor(/holding a session idle: \d s of 4 s/, 15_000);
    const screen = await pane.waitFor(/exit=\d/, 30_000);
    assert.match(screen, /exit=0/);
    assert.match(screen, /Verdict: healthy/);
    for (const id of ["dns", "route", "tcp", "telnet", "ssh", "login", "idle", "limits"]) {
      const lines = screen.split("\n").filter((l) => new RegExp(`^  \\S ${id}\\b`).test(l));
      assert.equal(lines.length, 1, `${id} is listed once:\n${screen}`);
    }
  });
});
