/**
 * @module One command, start to prompt: send it, answer pagers, and decide when the prompt has
 * come back. The rule, in order: (1) a Telnet prompt mark (IAC GA or IAC EOR, when the server
 * negotiated and sends them) at the end of the text ends the command at once; (2) else the last
 * line must match the prompt pattern, and the command's echo plus some output must precede it
 * to end at once; (3) else the prompt must stay quiet for `quietMs` (a device that prints a
 * prompt early, or a command with no output). Each result says which rule ended it.
 */
import type { CheckResult, Inbox, WaitOutcome } from "./inbox.js";
import { type ExecOutput, findPager, isPrompt, lastLine, splitResponse } from "./output.js";

/** How much of the end of the response is searched for a pager or a prompt. */
const TAIL = 2048;

/** How exec decided the command had finished. */
export type PromptRule = "GA" | "EOR" | "prompt-after-output" | "prompt-then-quiet";

/** A command's result, with how it was read. */
export interface ExecResult extends ExecOutput {
  readonly command: string;
  readonly durationMs: number;
  /** Pager prompts answered with a space (and removed from the output). */
  readonly pages: number;
  readonly endedBy: PromptRule;
}

export interface ExecRules {
  readonly prompt: RegExp;
  /** `false`: never answer pagers. */
  readonly pager: RegExp | false;
  readonly quietMs: number;
  /** The prompt seen before (drawn), to split output the device did not end with a line break. */
  readonly knownPrompt?: string;
  /** Longest response kept (characters); past it the command fails with TELDOC_ERR_OUTPUT_LIMIT. */
  readonly maxOutput: number;
}

/** What the exec loop needs from its session. */
export interface ExecHost {
  readonly inbox: Inbox;
  /** Send text as typed (no line end added). */
  write(text: string): void;
}

export type ExecOutcome =
  | WaitOutcome<ExecResult>
  | { readonly ok: false; readonly why: "output-limit"; readonly waitedMs: number };

/**
 * Run `command` (the line end `ors` is appended) and wait for the prompt under `rules`.
 * @example const r = await runCommand(host, "show clock", "\r\n", rules, 10_000); if (r.ok) r.value.output
 */
export async function runCommand(
  host: ExecHost,
  command: string,
  ors: string,
  rules: ExecRules,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ExecOutcome> {
  const inbox = host.inbox;
  const start = inbox.end;
  inbox.consumed = start;
  inbox.pinned = start;
  let pages = 0;
  let t0 = 0;
  const finish = (text: string, endedBy: PromptRule): ExecResult => {
    const r = splitResponse(text, command, rules.knownPrompt);
    return {
      output: r.output,
      prompt: r.prompt,
      echoStripped: r.echoStripped,
      command,
      durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
      pages,
      endedBy,
    };
  };
  const cmd = command.trim();
  /** inbox.end when the prompt rule last asked to look again after the quiet time. */
  let quietFrom = -1;
  const check = (): CheckResult<ExecResult | "too-big"> => {
    if (inbox.end - start > rules.maxOutput) return { value: "too-big" };
    // Pagers and prompts live on the last line: look at a bounded tail, not the whole output.
    const tail = inbox.since(Math.max(start, inbox.end - TAIL));
    if (tail.length === 0) return undefined;
    if (rules.pager) {
      const at = findPager(tail, rules.pager);
      if (at >= 0) {
        inbox.cut(inbox.end - tail.length + at, inbox.end);
        pages++;
        host.write(" ");
        return undefined;
      }
    }
    const mark = inbox.lastMark(start + 1);
    if (mark && mark.at === inbox.end) return { value: finish(inbox.since(start), mark.by) };
    const line = lastLine(tail);
    if (!isPrompt(line, rules.prompt)) return undefined;
    const text = inbox.since(start);
    const body = text.slice(0, text.length - line.length);
    const echoAt = cmd === "" ? 0 : body.indexOf(cmd);
    const afterEcho = echoAt >= 0 ? body.indexOf("\n", echoAt) : -1;
    if (afterEcho >= 0 && body.slice(afterEcho + 1).trim().length > 0)
      return { value: finish(text, "prompt-after-output") };
    // Not sure yet: it is the prompt only if nothing follows it for quietMs.
    if (rules.quietMs <= 0 || quietFrom === inbox.end)
      return { value: finish(text, "prompt-then-quiet") };
    quietFrom = inbox.end;
    return { recheckInMs: rules.quietMs };
  };
  t0 = performance.now();
  host.write(`${command}${ors}`);
  const outcome = await inbox.wait(check, timeoutMs, signal);
  if (inbox.pinned === start) inbox.pinned = undefined;
  inbox.consumed = inbox.end;
  if (!outcome.ok) return outcome;
  if (outcome.value === "too-big")
    return { ok: false, why: "output-limit", waitedMs: outcome.waitedMs };
  return outcome as WaitOutcome<ExecResult>;
}
