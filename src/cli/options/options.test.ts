/**
 * @module The option tables: each builds commander's definition with a help line per option,
 * shows the defaults of the layers that own them, lists what the registries hold, and types
 * the flags the commands receive.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Command } from "commander";
import { CHECK_IDS } from "../../checks/types.js";
import { LAB_DEFAULTS } from "../../lab/config.js";
import { PATH_FAULTS } from "../../lab/path-faults.js";
import { SCENARIO_NAMES } from "../../lab/types.js";
import { SESSION_DEFAULTS } from "../../session/options.js";
import { serverArgs } from "../lab.js";
import { buildProgram } from "../main.js";
import { CONNECT, DIAGNOSE, LAB, LAB_SCENARIO_OPTIONS } from "./index.js";
import { addOptions, durationFlag, type FlagsOf, longFlag } from "./table.js";

/** Every command of the program, subcommands too, by its path (`trace show`). */
function commands(cmd: Command, path = ""): [string, Command][] {
  return cmd.commands.flatMap((sub) => {
    const name = `${path}${sub.name()}`;
    return [[name, sub] as [string, Command], ...commands(sub, `${name} `)];
  });
}

/** The help line of `flag` in `command` (`--dead-peer`). */
function helpLine(command: string, flag: string): string {
  const found = commands(buildProgram()).find(([name]) => name === command);
  const option = found?.[1].options.find((o) => o.long === flag);
  assert.ok(option, `${command} ${flag}`);
  return option.description;
}

describe("option tables", () => {
  test("every option of every command has a help line", () => {
    const program = buildProgram();
    for (const [name, cmd] of [["teldoc", program] as [string, Command], ...commands(program)])
      for (const o of cmd.options) assert.ok(o.description.length > 5, `${name} ${o.flags}`);
  });

  test("help shows the defaults of the layers that own them", () => {
    const shown = (ms: number) => `(default: ${durationFlag(ms)})`;
    assert.ok(helpLine("connect", "--dead-peer").endsWith(shown(SESSION_DEFAULTS.deadPeerMs)));
    assert.ok(
      helpLine("diagnose", "--connect-timeout").endsWith(shown(SESSION_DEFAULTS.connectTimeoutMs)),
    );
    assert.ok(helpLine("lab", "--idle-timeout").endsWith(shown(LAB_DEFAULTS.idleTimeoutMs)));
    assert.ok(helpLine("lab", "--tries").endsWith(`(default: ${LAB_DEFAULTS.tries})`));
  });

  test("help lists what the registries hold", () => {
    assert.equal(LAB.arguments[0].help, SCENARIO_NAMES.join(", "));
    for (const kind of Object.keys(PATH_FAULTS)) assert.match(LAB.options.fault.help, RegExp(kind));
    for (const id of CHECK_IDS) assert.match(DIAGNOSE.after, new RegExp(`^  ${id} `, "m"));
  });

  test("connect and diagnose share HOST [PORT], --connect-timeout and the login", () => {
    assert.equal(CONNECT.arguments, DIAGNOSE.arguments);
    for (const key of ["connectTimeout", "user", "passwordEnv"] as const)
      assert.equal(CONNECT.options[key], DIAGNOSE.options[key]);
  });

  test("a key that is not commander's name for its flag does not build", () => {
    assert.throws(
      () => addOptions(new Command(), { deadpeer: { flags: "--dead-peer <dur>", help: "x" } }),
      /--dead-peer <dur> arrives as deadPeer, not deadpeer/,
    );
  });

  test("the flags type: strings for values, booleans for switches", () => {
    const f: FlagsOf<typeof CONNECT.options> = { deadPeer: "5s", json: true };
    // @ts-expect-error --dead-peer takes a value
    const bad: FlagsOf<typeof CONNECT.options> = { deadPeer: true };
    assert.deepEqual([f, bad].length, 2);
  });

  test("durations shown as typed: the largest whole unit", () => {
    assert.deepEqual([1500, 2000, 60_000, 300_000, 7_200_000].map(durationFlag), [
      "1500ms",
      "2s",
      "60s",
      "5m",
      "2h",
    ]);
  });

  test("lab --netns hands every scenario flag on to its server, and -q", () => {
    const every = Object.fromEntries(Object.keys(LAB_SCENARIO_OPTIONS).map((k) => [k, "v"]));
    const args = serverArgs({ ...every, port: "23", netns: true, quiet: true });
    const flags = Object.values(LAB_SCENARIO_OPTIONS).map(longFlag);
    assert.deepEqual(args, [...flags.flatMap((flag) => [flag, "v"]), "--quiet"]);
  });
});
