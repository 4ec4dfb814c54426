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
export function runCommand(
  host: ExecHost,
  command: string,
  ors: string,
  rules: ExecRules,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ExecOutcome> {
  const run = new CommandRun(host, command, rules);
  host.write(`${command}${ors}`);
  return host.inbox.waitThen(run, timeoutMs, signal);
}

/** One command's wait: the rules above as a check the inbox runs on every change. */
class CommandRun {
  readonly start: number;
  private readonly t0: number;
  private readonly cmd: string;
  private pages = 0;
  /** inbox.end when the prompt rule last asked to look again after the quiet time. */
  private quietFrom = -1;

  constructor(
    private readonly host: ExecHost,
    private readonly command: string,
    private readonly rules: ExecRules,
  ) {
    const inbox = host.inbox;
    this.t0 = inbox.clock.now();
    this.start = inbox.end;
    inbox.consumed = this.start;
    inbox.pinned = this.start;
    this.cmd = command.trim();
  }

  /** The wait is over: free the text, shape the outcome. */
  done(outcome: WaitOutcome<ExecResult | "too-big">): ExecOutcome {
    const { inbox } = this.host;
    if (inbox.pinned === this.start) inbox.pinned = undefined;
    inbox.consumed = inbox.end;
    if (!outcome.ok) return outcome;
    if (outcome.value === "too-big")
      return { ok: false, why: "output-limit", waitedMs: outcome.waitedMs };
    return outcome as WaitOutcome<ExecResult>;
  }

  check(): CheckResult<ExecResult | "too-big"> {
    const { inbox } = this.host;
    const { rules, start } = this;
    const end = inbox.end;
    if (end - start > rules.maxOutput) return { value: "too-big" };
    if (end === start) return undefined;
    const mark = inbox.lastMark(start + 1);
    if (mark && mark.at === end) return { value: this.finish(inbox.since(start), mark.by) };
    // A finished line is neither a pager nor a prompt: nothing more to look at.
    if (inbox.lastCharCode() === 10) return undefined;
    // Pagers and prompts live on the last line: look at a bounded tail, not the whole output.
    const whole = end - start <= TAIL;
    const tail = inbox.since(whole ? start : end - TAIL);
    if (tail.length === 0) return undefined;
    if (rules.pager) {
      const at = findPager(tail, rules.pager);
      if (at >= 0) {
        inbox.cut(end - tail.length + at, end);
        this.pages++;
        this.host.write(" ");
        return undefined;
      }
    }
    const line = lastLine(tail);
    if (!isPrompt(line, rules.prompt)) return undefined;
    const text = whole ? tail : inbox.since(start);
    const bodyEnd = text.length - line.length;
    const echoAt = this.cmd === "" ? 0 : text.indexOf(this.cmd);
    const afterEcho = echoAt >= 0 && echoAt < bodyEnd ? text.indexOf("\n", echoAt) : -1;
    if (afterEcho >= 0 && afterEcho < bodyEnd && hasText(text, afterEcho + 1, bodyEnd))
      return { value: this.finish(text, "prompt-after-output") };
    // Not sure yet: it is the prompt only if nothing follows it for quietMs.
    if (rules.quietMs <= 0 || this.quietFrom === end)
      return { value: this.finish(text, "prompt-then-quiet") };
    this.quietFrom = end;
    return { recheckInMs: rules.quietMs };
  }

  private finish(text: string, endedBy: PromptRule): ExecResult {
    const r = splitResponse(text, this.command, this.rules.knownPrompt);
    return {
      output: r.output,
      prompt: r.prompt,
      echoStripped: r.echoStripped,
      command: this.command,
      durationMs: Math.round((this.host.inbox.clock.now() - this.t0) * 1000) / 1000,
      pages: this.pages,
      endedBy,
    };
  }
}

/** True when text[from, to) has a character other than white space. */
function hasText(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20) return true;
  }
  return false;
}
