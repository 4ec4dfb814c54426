/**
 * The library against small devices built with createServer (real sockets on loopback): prompts
 * marked by GA or EOR, a prompt printed before the output, output and prompt on one line, three
 * pager styles, a server that never negotiates, a device that hangs; and 100 sessions at once.
 */
import assert from "node:assert/strict";
import { createServer as netServer, type Server } from "node:net";
import { after, describe, test } from "node:test";
import { startLab } from "../lab/server.js";
import { Opt } from "../protocol/constants.js";
import { SERVER_POLICY, withStances } from "../protocol/policy.js";
import { connect } from "./connect.js";
import { createServer, type TelnetServer } from "./create-server.js";
import { ExpectError } from "./errors.js";
import type { ServerSession } from "./server-session.js";

const servers: TelnetServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

/** A device: a prompt, and `answer(line)` for each command (the prompt follows). */
async function device(
  prompt: string,
  answer: (line: string, s: ServerSession) => string | undefined,
  options: {
    policy?: Parameters<typeof createServer>[0]["policy"];
    after?: (s: ServerSession) => void;
  } = {},
): Promise<number> {
  const srv = await createServer({ policy: options.policy }, (s) => {
    const showPrompt = () => {
      s.write(prompt);
      options.after?.(s);
    };
    s.on("line", (line: string) => {
      const out = answer(line.trim(), s);
      if (out !== undefined) {
        s.write(out);
        showPrompt();
      }
    });
    s.write("Welcome\n");
    showPrompt();
  });
  servers.push(srv);
  return srv.port;
}

const sendCommand = (s: ServerSession, c: "GA" | "EOR") =>
  s.socket.write(s.telnet.sendCommand(c).data);

describe("prompt detection", () => {
  test("GA after the prompt ends a command even when the prompt pattern would not match", async () => {
    // No SGA: the server sends IAC GA when it is the user's turn (RFC 854's half duplex).
    const policy = withStances(SERVER_POLICY, { [Opt.SGA]: { local: "refuse", remote: "refuse" } });
    const port = await device("Enter command", (l) => `you said ${l}\n`, {
      policy,
      after: (s) => sendCommand(s, "GA"),
    });
    const s = await connect({ host: "127.0.0.1", port });
    await s.expect("Enter command");
    const r = await s.execDetails("status");
    assert.equal(r.endedBy, "GA");
    assert.equal(r.output, "you said status");
    await s.close();
  });

  test("EOR after the prompt (negotiated with WILL EOR) ends a command", async () => {
    const policy = withStances(SERVER_POLICY, { [Opt.EOR]: { local: "offer" } });
    const port = await device("READY", (l) => `ok ${l}\nline 2\n`, {
      policy,
      after: (s) => sendCommand(s, "EOR"),
    });
    const s = await connect({ host: "127.0.0.1", port });
    await s.expect("READY");
    const r = await s.execDetails("list");
    assert.equal(r.endedBy, "EOR");
    assert.equal(r.output, "ok list\nline 2");
    await s.close();
  });

  test("a device that prints the prompt before the output: the quiet time waits for it", async () => {
    const port = await device("router# ", (line, s) => {
      if (line !== "show log") return "";
      s.write("router# ");
      setTimeout(() => {
        s.write("\n%LINK-3-UPDOWN: interface up\nlast line\n");
        s.write("router# ");
      }, 60);
      return undefined;
    });
    const s = await connect({ host: "127.0.0.1", port, quietTime: "300ms" });
    await s.expect(/# $/);
    const r = await s.execDetails("show log");
    assert.match(r.output, /interface up\nlast line$/);
    assert.equal(r.prompt, "router#");
    await s.close();
  });

  test("output and prompt on one line, no line break between them", async () => {
    const port = await device("r1>", (line) => (line === "get" ? "value=42" : "\n"));
    const s = await connect({ host: "127.0.0.1", port });
    await s.expect("r1>");
    assert.equal(await s.exec(""), "");
    assert.equal(await s.exec("get"), "value=42");
    await s.close();
  });

  test("a command that never gets its prompt fails with the prompt, the wait and the tail", async () => {
    const port = await device("r1# ", (line, s) => {
      if (line !== "hang") return "";
      s.write("working...\n");
      return undefined;
    });
    const s = await connect({ host: "127.0.0.1", port });
    await s.expect("r1# ");
    const err = await s.exec("hang", { timeout: "300ms" }).then(
      () => assert.fail("exec should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ExpectError);
    assert.equal(err.code, "TELDOC_ERR_COMMAND_TIMEOUT");
    assert.ok(err.waitedMs >= 290, `waited ${err.waitedMs}`);
    assert.match(err.tail, /working\.\.\./);
    assert.equal(err.snapshot?.state, "connected");
    assert.equal(err.diagnosis, undefined, "the session is still up");
    await s.close();
  });
});

describe("pagers are answered with a space and removed", () => {
  const styles: [string, string, string][] = [
    [
      "Cisco --More-- with backspaces",
      " --More-- ",
      `\b\b\b\b\b\b\b\b\b\b${" ".repeat(10)}\b\b\b\b\b\b\b\b\b\b`,
    ],
    ["<--- More ---> with CR and blanks", "<--- More --->", `\r${" ".repeat(14)}\r`],
    ["Press any key with ESC [2K", "Press any key to continue (Q to quit)", "\x1b[2K\r"],
  ];
  for (const [name, pager, erase] of styles) {
    test(name, async () => {
      let pages = 0;
      const port = await device("sw1# ", (line, s) => {
        if (line !== "show run") return "";
        const page = (n: number) => {
          for (let i = 1; i <= 5; i++) s.write(`page ${n} line ${i}\n`);
          if (n === 3) {
            s.write("sw1# ");
            return;
          }
          s.write(pager);
          s.once("data", (b: Buffer) => {
            if (b.toString() !== " ") return;
            pages++;
            s.socket.write(erase);
            page(n + 1);
          });
        };
        page(1);
        return undefined;
      });
      const s = await connect({ host: "127.0.0.1", port });
      await s.expect("sw1# ");
      const r = await s.execDetails("show run");
      assert.equal(r.pages, 2);
      assert.equal(pages, 2);
      const want = [1, 2, 3].flatMap((n) => [1, 2, 3, 4, 5].map((i) => `page ${n} line ${i}`));
      assert.deepEqual(r.output.split("\n"), want);
      await s.close();
    });
  }
});

describe("a server that never negotiates (no IAC at all)", () => {
  let server: Server;
  after(() => server?.close());
  test("login and exec work over plain TCP text", async () => {
    server = netServer((sock) => {
      let buf = "";
      let stage = "user";
      sock.write("Access\r\nUser: ");
      sock.on("data", (b: Buffer) => {
        // Ignore the client's negotiation (bytes >= 0xF0 and the option byte after them).
        buf += b.toString("latin1").replace(/\xff[\xfb-\xfe]./gs, "");
        let i = buf.indexOf("\r");
        while (i >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1).replace(/^\n/, "");
          if (stage === "user") {
            stage = "password";
            sock.write("Password: ");
          } else if (stage === "password") {
            stage = "shell";
            sock.write(line === "secret" ? "\r\nplain> " : "\r\nAccess denied\r\n");
          } else sock.write(`\r\nresult of ${line}\r\nplain> `);
          i = buf.indexOf("\r");
        }
      });
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const s = await connect({ host: "127.0.0.1", port });
    const login = await s.login({ user: "op", password: "secret" });
    assert.equal(login.prompt, "plain>");
    assert.equal(await s.exec("uptime"), "result of uptime");
    await s.close();
  });
});

describe("many sessions", () => {
  test("100 concurrent sessions to one lab server log in and run a command", async () => {
    const lab = await startLab({ scenario: "healthy" });
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const s = await connect({ host: "127.0.0.1", port: lab.port, connectTimeout: "20s" });
          await s.login({ user: "demo", password: "demo", timeout: "30s" });
          const out = await s.exec(`echo session ${i}`, { timeout: "30s" });
          const end = await s.close();
          return { out, cause: end.diagnosis.cause };
        }),
      );
      results.forEach((r, i) => {
        assert.equal(r.out, `session ${i}`);
        assert.equal(r.cause, "local-close");
      });
    } finally {
      await lab.close();
    }
  });
});
