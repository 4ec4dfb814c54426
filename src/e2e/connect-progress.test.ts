/**
 * `teldoc connect` on a real terminal (tmux) over a real path (network namespaces): a connect
 * that takes long says what it waits for, for how long and until when, in place, and the
 * progress is gone once it fails; Ctrl-C ends a connect at once; `-q` shows none of it.
 * Faults: a middlebox dropping SYNs (filtered) and an address on the client's own subnet that
 * nobody answers ARP for. Root and tmux only; addresses from 198.18.0.0/15.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { createPathLab, type PathLab, pathLabUnsupported } from "../lab/netns.js";
import { PATH_SERVER, startPathServer } from "../lab/netns-client.js";
import { TELDOC_BIN } from "../testing/cli.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { Pane, tmuxMissing } from "../testing/tmux.js";

const skip =
  skipUnlessCI("network namespaces", pathLabUnsupported()) || skipUnlessCI("tmux", tmuxMissing());
/** On the client's subnet (198.18.1.0/24), and nobody has it: ARP goes unanswered. */
const NOBODY = "198.18.1.77";
const ENDED = /\nexit=\d+\nlocal>$/;

describe("connect progress on a real terminal over a real path", { skip }, () => {
  let lab: PathLab;
  let work: string;
  let config: string;
  let pane: Pane;
  let panes = 0;

  before(async () => {
    lab = await createPathLab({ prefix: "tdprog" });
    await startPathServer(lab);
    await lab.fault("filtered");
    work = await mkdtemp(join(tmpdir(), "teldoc-progress-"));
    config = join(work, "tmux.conf");
    await writeFile(config, "set -g default-terminal xterm-256color\nset -g status off\n");
  });
  // A fresh terminal per test: no screen of an earlier one can satisfy a wait.
  beforeEach(async () => {
    pane = new Pane(`teldoc-progress-${process.pid}-${++panes}`);
    await pane.start(config, "env PS1='local> ' /bin/sh");
    await pane.waitFor(/^local>$/);
  });
  afterEach(async () => {
    await pane?.kill();
  });
  after(async () => {
    await lab?.teardown();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Start teldoc in the client namespace; the pane shows `exit=N` when it is over. */
  const connect = (args: string) =>
    pane.type(
      `ip netns exec ${lab.names.client} ${process.execPath} ${TELDOC_BIN} connect ${args}; echo exit=$?`,
    );

  test("filtered: the count goes up in place while the SYN goes unanswered, then it is cleared", async () => {
    await connect(`${PATH_SERVER} --connect-timeout 4s`);
    await pane.waitFor(/^Trying 198\.18\.2\.2\.\.\. 1 s of 4 s \(no answer yet\)$/m);
    await pane.waitFor(/^Trying 198\.18\.2\.2\.\.\. 3 s of 4 s \(no answer yet\)$/m);
    const screen = await pane.waitFor(ENDED, 10_000);
    assert.match(screen, /^Trying 198\.18\.2\.2\.\.\.\n/m, "the classic line stays");
    assert.doesNotMatch(screen, /s of 4 s|no answer yet/, "the progress is gone");
    assert.match(screen, /teldoc: filtered[\s\S]*\nexit=1\n/);
  });

  test("no ARP answer on the local subnet: progress until the kernel gives up (~3 s)", async () => {
    await connect(NOBODY);
    await pane.waitFor(/^Trying 198\.18\.1\.77\.\.\. [12] s of 10 s \(no answer yet\)$/m);
    const screen = await pane.waitFor(ENDED, 15_000);
    assert.doesNotMatch(screen, /no answer yet/);
    assert.match(screen, /^Trying 198\.18\.1\.77\.\.\.\n/m);
    assert.match(screen, /teldoc: unreachable[\s\S]*EHOSTUNREACH[\s\S]*\nexit=1\n/);
  });

  test("Ctrl-C while connecting ends it at once: closed here, not filtered", async () => {
    await connect(`${PATH_SERVER} --connect-timeout 30s`);
    await pane.waitFor(/^Trying 198\.18\.2\.2\.\.\. 1 s of 30 s \(no answer yet\)$/m);
    const t0 = Date.now();
    await pane.key("C-c");
    const screen = await pane.waitFor(ENDED, 5000);
    assert.ok(Date.now() - t0 < 5000);
    assert.match(screen, /teldoc: local-close[\s\S]*interrupted by a signal/);
    assert.doesNotMatch(screen, /no answer yet|teldoc: filtered/);
  });

  test("-q: no Trying line and no progress; the end in one line", async () => {
    await connect(`${PATH_SERVER} --connect-timeout 2s -q`);
    const screen = await pane.waitFor(ENDED, 10_000);
    const out = screen
      .slice(screen.indexOf("exit=$?") + "exit=$?".length)
      .trim()
      .split("\n");
    assert.equal(out.length, 3, screen);
    assert.match(out[0] ?? "", /^teldoc: filtered: No answer from 198\.18\.2\.2:23 within 2\.0 s/);
    assert.deepEqual(out.slice(1), ["exit=1", "local>"]);
  });
});
