/**
 * @module Advice never points to a command or flag that does not exist: every `teldoc WORD`
 * and every `--flag` in what the diagnosis and the checks tell people (rule outputs over the
 * golden traces, docs/causes.md's source, the server-message corpus, and every backticked
 * `teldoc ...` in the sources and docs) is checked against the commander program's registry.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Command } from "commander";
import { causesMarkdown } from "../diagnosis/docs.js";
import { diagnose, summarize } from "../diagnosis/index.js";
import { SERVER_MESSAGES } from "../diagnosis/messages.js";
import { PROTOCOL_SIGNATURES } from "../diagnosis/protocols.js";
import { RULES } from "../diagnosis/rules/index.js";
import type { TraceEvent } from "../trace/events.js";
import { buildProgram } from "./main.js";

const ROOT = new URL("../../", import.meta.url);

/** The registry, from the program itself: each command's flags, and its subcommands. */
interface Known {
  readonly flags: ReadonlySet<string>;
  readonly subcommands: ReadonlyMap<string, Known>;
}

function known(cmd: Command, inherited: ReadonlySet<string>): Known {
  const flags = new Set([...inherited, ...cmd.options.flatMap((o) => (o.long ? [o.long] : []))]);
  const subcommands = new Map<string, Known>();
  for (const sub of cmd.commands)
    for (const name of [sub.name(), ...sub.aliases()]) subcommands.set(name, known(sub, flags));
  return { flags, subcommands };
}

// --help is commander's own, on every command.
const PROGRAM = known(buildProgram(), new Set(["--help"]));
const EVERY_FLAG = new Set(
  [...PROGRAM.subcommands.values()].flatMap((c) => [
    ...c.flags,
    ...[...c.subcommands.values()].flatMap((s) => [...s.flags]),
  ]),
);

/** What is wrong with `teldoc ARGS` (the words after teldoc), or undefined when it exists. */
function checkCommand(args: string): string | undefined {
  const words = args.trim().split(/\s+/);
  // `teldoc HOST` is connect (the default command); COMMAND is any command.
  let cmd = /^[A-Z]/.test(words[0])
    ? PROGRAM.subcommands.get("connect")
    : PROGRAM.subcommands.get(words[0]);
  if (!cmd) return `"teldoc ${words[0]}" is no command`;
  // A placeholder (CONFIG, [CONFIG]) is the command's own argument, not a subcommand.
  if (cmd.subcommands.size > 0 && words[1] && !/^[-A-Z[]/.test(words[1])) {
    const names = words[1].split(/\\?\|/);
    const missing = names.find((n) => !cmd?.subcommands.has(n));
    if (missing !== undefined) return `"teldoc ${words[0]} ${missing}" is no command`;
    cmd = cmd.subcommands.get(names[0]);
  }
  const flag = words
    .map((w) => /^--[a-z][a-z-]*[a-z]/.exec(w)?.[0])
    .find((f) => f && !cmd?.flags.has(f));
  return flag ? `"teldoc ${words.slice(0, 2).join(" ")}" has no ${flag}` : undefined;
}

/** Commands in a text: backticked `teldoc ...`, or teldoc WORD followed by a PLACEHOLDER or a flag. */
function commandsIn(text: string): string[] {
  const found = [...text.matchAll(/`teldoc ([a-zA-Z][^`]*?)\\?`/g)].map((m) => m[1]);
  for (const m of text.matchAll(
    /(?<!`)\bteldoc ([a-z][a-z-]*(?: [a-z][a-z-]*)? (?:[A-Z]{2,}|--)[^\s`]*)/g,
  ))
    found.push(m[1]);
  return found.filter((c) => /^([a-z][a-z-]*|[A-Z]+)(\s|\\?$|$)/.test(c));
}

/** Problems in one text: unknown commands, unknown flags (a flag alone belongs to some command). */
function problems(where: string, text: string): string[] {
  const out = commandsIn(text).flatMap((c) => {
    const p = checkCommand(c);
    return p ? [`${where}: ${p}`] : [];
  });
  for (const m of text.matchAll(/(?<![\w-])--[a-z][a-z-]*[a-z]/g))
    if (!EVERY_FLAG.has(m[0])) out.push(`${where}: no command has ${m[0]}`);
  return out;
}

function goldenTraces(): [string, TraceEvent[]][] {
  const dir = new URL("test/golden/diagnosis/", ROOT);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => [
      f,
      readFileSync(new URL(f, dir), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as TraceEvent)
        .filter((e) => (e.type as string) !== "end"),
    ]);
}

/** Every text the diagnosis produces for the golden traces (each rule's candidate, whole and cut). */
function ruleTexts(): [string, string][] {
  const out: [string, string][] = [];
  for (const [file, events] of goldenTraces()) {
    for (const trace of [events, events.slice(0, Math.ceil(events.length / 2))]) {
      const s = summarize(trace);
      const candidates = [...RULES.map((rule) => rule(s, trace)), diagnose(trace)];
      for (const c of candidates)
        if (c) for (const t of [c.summary, ...c.evidence, ...c.advice]) out.push([file, t]);
    }
  }
  for (const t of diagnose([]).advice) out.push(["an empty trace", t]);
  return out;
}

/** Sources and docs that people read: non-test TypeScript under src/, README.md, docs/*.md. */
function sourceTexts(): [string, string][] {
  const files = readdirSync(new URL("src/", ROOT), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => `src/${f}`);
  const docs = readdirSync(new URL("docs/", ROOT)).filter((f) => f.endsWith(".md"));
  return [...files, "README.md", ...docs.map((f) => `docs/${f}`)].map((f) => [
    f,
    readFileSync(new URL(f, ROOT), "utf8"),
  ]);
}

describe("advice points only to commands and flags that exist", () => {
  test("the checker itself: it knows the registry and refuses what is not there", () => {
    assert.equal(checkCommand("diagnose HOST --idle-test 10m"), undefined);
    assert.equal(checkCommand("trace show|diagnose FILE"), undefined);
    assert.equal(checkCommand("HOST [PORT]"), undefined);
    assert.equal(checkCommand("monitor CONFIG"), undefined);
    assert.equal(checkCommand("monitor report --since 7d"), undefined);
    assert.equal(checkCommand("monitor replay FILE"), '"teldoc monitor replay" is no command');
    assert.equal(checkCommand("server-check --client ADDR --port 2323"), undefined);
    assert.equal(
      checkCommand("server-status --client ADDR"),
      '"teldoc server-status" is no command',
    );
    assert.equal(
      checkCommand("server-check --client ADDR --user x"),
      '"teldoc server-check --client" has no --user',
    );
    assert.equal(checkCommand("trace replay FILE"), '"teldoc trace replay" is no command');
    assert.equal(
      checkCommand("diagnose HOST --keepalive 1s"),
      '"teldoc diagnose HOST" has no --keepalive',
    );
    assert.deepEqual(commandsIn("run `teldoc server-check` there, or teldoc logs --journal"), [
      "server-check",
      "logs --journal",
    ]);
    assert.deepEqual(commandsIn("teldoc closed the connection; teldoc's --login-timeout"), []);
    assert.deepEqual(problems("x", "use --no-such-flag"), ["x: no command has --no-such-flag"]);
  });

  test("rule outputs over the golden traces (whole and cut)", () => {
    const texts = ruleTexts();
    assert.ok(texts.length > 200, `${texts.length} texts`);
    assert.deepEqual(
      texts.flatMap(([where, t]) => problems(where, t)),
      [],
    );
  });

  test("docs/causes.md's source and the server-message and protocol corpus", () => {
    const texts: [string, string][] = [
      ["causesMarkdown()", causesMarkdown()],
      ...SERVER_MESSAGES.flatMap((m): [string, string][] => (m.advice ? [[m.id, m.advice]] : [])),
      ...PROTOCOL_SIGNATURES.map((p): [string, string] => [p.id, p.advice("sw1", 2323)]),
    ];
    assert.deepEqual(
      texts.flatMap(([where, t]) => problems(where, t)),
      [],
    );
  });

  test("every backticked `teldoc ...` in the sources and docs", () => {
    const texts = sourceTexts();
    const out = texts.flatMap(([file, text]) =>
      commandsIn(text).flatMap((c) => {
        const p = checkCommand(c);
        return p ? [`${file}: ${p}`] : [];
      }),
    );
    assert.deepEqual(out, []);
  });
});
