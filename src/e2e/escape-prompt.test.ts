/**
 * `teldoc connect` on a real terminal (tmux) against the lab: the classic client's lines
 * (Trying, Connected, Escape character), every `teldoc>` command and the way back to the
 * session after it (typed text reaches the server again, `^]` opens the prompt again), Ctrl-C
 * and Ctrl-D at the prompt, line mode, `-q`, and that stdout stays the session's. Needs tmux,
 * not root. The same rounds run against real telnetd in interactive.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { TELDOC_BIN } from "../testing/cli.js";
import { PROMPT_ROUNDS, runPromptRounds } from "../testing/prompt-rounds.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { Pane, tmuxMissing } from "../testing/tmux.js";

const skip = skipUnlessCI("tmux", tmuxMissing());
const TELDOC = `${process.execPath} ${TELDOC_BIN}`;

/** Telnet commands in what the client sends (it offers options; this server ignores them). */
const TELNET_COMMAND = /\xff\xfa[\s\S]*?\xff\xf0|\xff[\xfb-\xfe][\s\S]|\xff[\s\S]/g;

/** A server that never negotiates (so the client stays in line mode) and answers each line. */
async function lineServer(): Promise<{ server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    s.write("line server ready\r\n");
    let pending = "";
    s.on("data", (d) => {
      pending += d.toString("latin1").replace(TELNET_COMMAND, "");
      const lines = pending.split(/\r\n|\r\0|\n/);
      pending = lines.pop() ?? "";
      for (const l of lines) s.write(`got: ${l}\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return { server, close };
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

describe("the teldoc> prompt on a real terminal (tmux, lab)", { skip }, () => {
  let lab: Lab;
  let work: string;
  let config: string;
  let pane: Pane | undefined;
  let panes = 0;

  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0 });
    work = await mkdtemp(join(tmpdir(), "teldoc-prompt-"));
    config = join(work, "tmux.conf");
    await writeFile(config, "set -g default-terminal xterm-256color\nset -g status off\n");
  });
  afterEach(async () => {
    await pane?.kill();
    pane = undefined;
  });
  after(async () => {
    await lab?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A fresh terminal with a plain local shell (`local> `). */
  async function terminal(): Promise<Pane> {
    pane = new Pane(`teldoc-prompt-${process.pid}-${++panes}`);
    await pane.start(config, "env PS1='local> ' /bin/sh");
    await pane.waitFor(/local>$/);
    return pane;
  }

  /** Connect to the lab and log in as demo; the session ends at the lab's shell prompt. */
  async function loggedIn(p: Pane, flags = ""): Promise<string> {
    await p.type(`${TELDOC} connect 127.0.0.1 ${lab.port}${flags}; echo exit=$?`);
    await p.waitFor(/lab login:$/);
    await p.type("demo");
    await p.waitFor(/Password:$/);
    await p.type("demo");
    return p.waitFor(/demo@lab:~\$$/);
  }

  test("every command returns to the session; close ends it with the diagnosis, no stray input", async () => {
    const p = await terminal();
    const first = await loggedIn(p);
    assert.match(
      first,
      /\nTrying 127\.0\.0\.1\.\.\.\nConnected to 127\.0\.0\.1\.\nEscape character is '\^\]'\.\n/,
    );
    await runPromptRounds(p, PROMPT_ROUNDS);
    await p.key("C-]");
    await p.waitFor(/\nteldoc>$/);
    await p.type("close");
    let screen = await p.waitFor(/\nexit=\d+\nlocal>$/);
    assert.match(screen, /\nexit=0\n/);
    assert.match(screen, /teldoc> close\nConnection closed\.\n[\s\S]*teldoc: local-close/);
    // Nothing typed during the session is left for the local shell.
    await p.type("echo shell-ok");
    screen = await p.waitFor(/^shell-ok\nlocal>$/m);
    const tail = screen.slice(screen.lastIndexOf("teldoc: local-close"));
    assert.deepEqual(
      tail.split("\n").filter((l) => l.startsWith("local>") || /not found/.test(l)),
      ["local> echo shell-ok", "local>"],
      tail,
    );
  });

  test("Ctrl-D at the prompt closes the connection, as the classic client does", async () => {
    const p = await terminal();
    await loggedIn(p);
    await p.key("C-]");
    await p.waitFor(/\nteldoc>$/);
    await p.key("C-d");
    const screen = await p.waitFor(/\nexit=\d+\nlocal>$/);
    assert.match(screen, /\nexit=0\n/);
    assert.match(screen, /\nteldoc>\s*\nConnection closed\.\n[\s\S]*local-close \(user\)/);
  });

  test("line mode (the server does not echo): ^] and Enter open the prompt; line mode comes back", async () => {
    const { server, close } = await lineServer();
    try {
      const p = await terminal();
      await p.type(`${TELDOC} connect 127.0.0.1 ${portOf(server)}; echo exit=$?`);
      await p.waitFor(/^line server ready$/m);
      await p.type("hello");
      await p.waitFor(/^got: hello$/m);
      await p.key("C-]");
      await p.key("Enter");
      await p.waitFor(/\nteldoc>$/);
      await p.type("status");
      await p.waitFor(/^Mode: line by line \(local echo\)/m);
      await p.type("again");
      await p.waitFor(/^got: again$/m);
      // The terminal's own line editing is back: the server gets the line as corrected.
      await p.type("typo\u007f\u007fpo");
      await p.waitFor(/^got: typo$/m);
      await p.key("C-]");
      await p.key("Enter");
      await p.waitFor(/\nteldoc>$/);
      await p.type("quit");
      const screen = await p.waitFor(/\nexit=\d+\nlocal>$/);
      assert.match(screen, /\nexit=0\n/);
      assert.match(screen, /local-close \(user\)/);
    } finally {
      await close();
    }
  });

  test("-q on a terminal: no Trying or Connected lines; the end in one line", async () => {
    const p = await terminal();
    const first = await loggedIn(p, " -q");
    assert.doesNotMatch(first, /Trying|Connected to|Escape character/);
    await p.key("C-]");
    await p.waitFor(/\nteldoc>$/);
    await p.type("close");
    const screen = await p.waitFor(/\nexit=\d+\nlocal>$/);
    assert.match(screen, /\nteldoc> close\nConnection closed\.\nexit=0\nlocal>$/);
  });

  test("stdout stays the session's: Trying goes to the terminal, not to a redirected stdout; --json has none", async () => {
    const closed = await lineServer();
    const port = portOf(closed.server);
    await closed.close();
    const out = join(work, "stdout.txt");
    const p = await terminal();
    await p.type(`${TELDOC} connect 127.0.0.1 ${port} > ${out}; echo exit=$?`);
    let screen = await p.waitFor(/\nexit=\d+\nlocal>$/);
    assert.match(screen, /\nTrying 127\.0\.0\.1\.\.\.\n[\s\S]*teldoc: refused[\s\S]*\nexit=1\n/);
    assert.equal(await readFile(out, "utf8"), "", "nothing of ours on stdout");
    await p.type("clear");
    await p.type(`${TELDOC} connect 127.0.0.1 ${port} --json; echo exit=$?`);
    screen = await p.waitFor(/"type":"end"[\s\S]*\nexit=\d+\nlocal>$/);
    assert.doesNotMatch(screen.slice(screen.lastIndexOf("--json; echo")), /Trying/);
  });
});
