/**
 * Wording teldoc has never seen, from a REAL xinetd: `per_source = 1` with a `banner_fail`
 * file in words of no vendor corpus. The banner is the server's stated reason, read by its
 * family: a limit is service-unavailable, a refusal acl-rejected, and words of no family are
 * quoted as the reason — never "without saying why". Through the real CLI (connect and diagnose).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runTeldoc } from "../testing/cli.js";
import {
  canRunDaemons,
  holdSlot,
  limited,
  onlyFrom,
  startXinetd,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipUnlessCI } from "../testing/requirement.js";

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);

const svc = {
  limit: limited({
    perSource: 1,
    name: "teldoc-word-limit",
    bannerFail: "Too many telnet sessions from your address (limit 1). Try again later.\r\n",
  }),
  denied: onlyFrom("127.0.0.2", {
    name: "teldoc-word-denied",
    bannerFail: "Connections from 127.0.0.1 are not allowed on this terminal server.\r\n",
  }),
  odd: onlyFrom("127.0.0.2", {
    name: "teldoc-word-odd",
    bannerFail: "Line 7 is reserved for the night shift.\r\n",
  }),
};

interface End {
  diagnosis: { cause: string; summary: string; evidence: string[] };
}

async function connectEnd(port: number): Promise<End> {
  const r = await runTeldoc(["connect", "127.0.0.1", String(port), "--json"], { limitMs: 20_000 });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  const end = JSON.parse(last) as End & { type: string };
  assert.equal(end.type, "end", r.stdout);
  return end;
}

describe("unseen wording from a real xinetd banner_fail", { skip }, () => {
  let xinetd: XinetdHandle;
  before(async () => {
    xinetd = await startXinetd(Object.values(svc));
  });
  after(async () => {
    await xinetd?.stop();
  });

  test("a per-source limit in its own words: service-unavailable (connect and diagnose)", async () => {
    const port = xinetd.port(svc.limit.name);
    const held = await holdSlot(port);
    try {
      const end = await connectEnd(port);
      assert.equal(end.diagnosis.cause, "service-unavailable", JSON.stringify(end.diagnosis));
      assert.match(end.diagnosis.evidence.join("\n"), /Too many telnet sessions/);
      const r = await runTeldoc(
        ["diagnose", "127.0.0.1", String(port), "--port-ssh", "1", "--json"],
        { limitMs: 30_000 },
      );
      const report = JSON.parse(r.stdout) as { verdict: { cause: string } };
      assert.equal(report.verdict.cause, "service-unavailable", r.stdout);
    } finally {
      held.destroy();
    }
  });

  test("a refusal in its own words: acl-rejected", async () => {
    const end = await connectEnd(xinetd.port(svc.denied.name));
    assert.equal(end.diagnosis.cause, "acl-rejected", JSON.stringify(end.diagnosis));
  });

  test("words of no family are quoted as the server's reason", async () => {
    const end = await connectEnd(xinetd.port(svc.odd.name));
    const d = end.diagnosis;
    assert.match(`${d.summary}\n${d.evidence.join("\n")}`, /reserved for the night shift/);
    assert.doesNotMatch(d.summary, /without saying why/);
  });
});
