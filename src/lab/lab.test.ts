import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, test } from "node:test";
import { SCENARIOS } from "./registry.js";
import { startLab } from "./server.js";
import { SCENARIO_NAMES } from "./types.js";

/** Connect, collect everything until the server closes (or `ms` pass), optionally send lines. */
function session(port: number, opts: { send?: string[]; ms?: number; garbage?: Buffer } = {}) {
  return new Promise<{ text: string; how: "fin" | "rst" | "timeout" }>((resolve) => {
    const s: Socket = connect(port, "127.0.0.1");
    let text = "";
    let how: "fin" | "rst" | "timeout" = "timeout";
    const lines = [...(opts.send ?? [])];
    const timer = setTimeout(() => s.destroy(), opts.ms ?? 5000);
    s.on("data", (d) => {
      text += d.toString("latin1");
      if (/(login|Password): $/.test(text) && lines.length > 0) s.write(`${lines.shift()}\r\n`);
      else if (/\$ $/.test(text) && lines.length > 0) s.write(`${lines.shift()}\r\n`);
    });
    s.on("connect", () => opts.garbage && s.write(opts.garbage));
    s.on("end", () => {
      how = "fin";
    });
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ECONNRESET") how = "rst";
    });
    s.on("close", () => {
      clearTimeout(timer);
      resolve({ text: text.replace(/\xff[\xfb-\xfe]./gs, ""), how });
    });
  });
}

describe("lab scenarios end sessions as they say", () => {
  test("every scenario has a cause and a summary, under its own name", () => {
    assert.deepEqual(Object.keys(SCENARIOS), [...SCENARIO_NAMES]);
    for (const [name, s] of Object.entries(SCENARIOS)) {
      assert.equal(s.name, name);
      assert.ok(s.summary.length > 10 && s.cause.length > 0, s.name);
    }
  });

  test("healthy: login, a command, logout", async () => {
    const lab = await startLab({ scenario: "healthy" });
    try {
      const r = await session(lab.port, { send: ["demo", "demo", "echo hello-lab", "exit"] });
      assert.match(r.text, /hello-lab/);
      assert.match(r.text, /logout/);
      assert.equal(r.how, "fin");
    } finally {
      await lab.close();
    }
  });

  test("acl-rejected: closed at once, not a byte sent", async () => {
    const lab = await startLab({ scenario: "acl-rejected" });
    try {
      const r = await session(lab.port);
      assert.equal(r.text, "");
      assert.equal(r.how, "fin");
    } finally {
      await lab.close();
    }
  });

  test("auth-failed: three tries, Login incorrect, closed", async () => {
    const lab = await startLab({ scenario: "auth-failed" });
    try {
      const r = await session(lab.port, { send: ["a", "b", "a", "b", "a", "b"] });
      assert.equal(r.text.match(/Login incorrect/g)?.length, 3);
      assert.equal(r.how, "fin");
    } finally {
      await lab.close();
    }
  });

  test("login-timeout: the prompt gives up with login's words", async () => {
    const lab = await startLab({ scenario: "login-timeout", config: { loginTimeoutMs: 300 } });
    try {
      const r = await session(lab.port);
      assert.match(r.text, /Login timed out after 0 seconds\./);
    } finally {
      await lab.close();
    }
  });

  test("idle-timeout: auto-logout after the idle time", async () => {
    const lab = await startLab({ scenario: "idle-timeout", config: { idleTimeoutMs: 300 } });
    try {
      const r = await session(lab.port, { send: ["x", "y"] });
      assert.match(r.text, /timed out waiting for input: auto-logout/);
      assert.equal(r.how, "fin");
    } finally {
      await lab.close();
    }
  });

  test("peer-reset: RST", async () => {
    const lab = await startLab({ scenario: "peer-reset", config: { afterMs: 200 } });
    try {
      const r = await session(lab.port, { send: ["x", "y"] });
      assert.equal(r.how, "rst");
    } finally {
      await lab.close();
    }
  });

  test("service-unavailable limit: the session past the limit is refused with a message", async () => {
    const lab = await startLab({
      scenario: "service-unavailable",
      config: { variant: "limit", limit: 1 },
    });
    try {
      const first = session(lab.port, { ms: 800 });
      await new Promise((r) => setTimeout(r, 100));
      const second = await session(lab.port);
      assert.match(second.text, /Too many connections/);
      assert.equal(second.how, "fin");
      assert.match((await first).text, /login: $/);
    } finally {
      await lab.close();
    }
  });

  test("wrong-service: an SSH banner", async () => {
    const lab = await startLab({ scenario: "wrong-service" });
    try {
      const r = await session(lab.port, { ms: 300 });
      assert.match(r.text, /^SSH-2\.0-OpenSSH/);
    } finally {
      await lab.close();
    }
  });

  test("survives 1,000 connections in a burst and clients that send garbage", async () => {
    const lab = await startLab({ scenario: "healthy" });
    try {
      const garbage = Buffer.alloc(4096);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
      const burst = Array.from({ length: 1000 }, (_, i) =>
        session(lab.port, { ms: 1500, garbage: i % 10 === 0 ? garbage : undefined }),
      );
      const results = await Promise.all(burst);
      const greeted = results.filter((r) => r.text.includes("login:")).length;
      assert.ok(greeted >= 990, `${greeted} of 1000 sessions were served`);
      // And it still serves a normal session afterwards.
      const after = await session(lab.port, { send: ["demo", "demo", "exit"] });
      assert.match(after.text, /logout/);
    } finally {
      await lab.close();
    }
  });
});
