/**
 * @module What the telnet check waits for after connect, as one event-driven wait on the
 * session's inbox: it looks again when text comes, when any byte is read (negotiation), and at
 * the next moment a time limit falls due — never on a polling tick. It stops at a login or shell
 * prompt, another protocol's banner, text that stops without a prompt, or silence; and it presses
 * Enter once, as a person would, when the server seems to wait for it — only after a quiet time
 * that grows with the path's round trip as the session measures it (see telnetWait and
 * ClientSession.rttMs: the negotiation measures the path as the application sees it).
 */
import {
  endsWithShellPrompt,
  promptAtEnd,
  stripControls,
  summarize,
  wrongService,
} from "../diagnosis/index.js";
import type { CheckResult as WaitCheck } from "../session/inbox.js";
import { type OpenSession, telnetWait } from "./telnet.js";

export type PromptKind = "login" | "password" | "shell";

/** What the watch saw: the telnet check's facts. */
export interface ServiceSeen {
  readonly text: string;
  readonly firstByteAt?: number;
  readonly promptKind?: PromptKind;
  readonly promptAt?: number;
  readonly nudged: boolean;
  readonly nudgedAt?: number;
}

/** Text the check looks at (the server's first words; a flood is cut). */
const LOOK_AT = 16_384;

class ServiceWatch {
  firstByteAt: number | undefined;
  lastByteAt: number | undefined;
  promptKind: PromptKind | undefined;
  promptAt: number | undefined;
  protocol = false;
  nudgedAt: number | undefined;
  private bytesLooked = -1;
  private textLooked = -1;
  private readonly connectedAt: number;

  constructor(private readonly open: OpenSession) {
    this.connectedAt = open.session.recorder.elapsed();
  }

  /** A read event: bytes came (text or not); the wait looks again. */
  read(t: number): void {
    this.firstByteAt ??= t;
    this.lastByteAt = t;
    this.open.inbox.touch();
  }

  get text(): string {
    return this.open.inbox.tail(LOOK_AT);
  }

  /**
   * The prompt and another protocol's banner: looked for only when new bytes or text came (a
   * read is seen before its text is decoded into the inbox).
   */
  private lookAtText(): void {
    const session = this.open.session;
    const end = this.open.inbox.end;
    if (session.bytesIn === this.bytesLooked && end === this.textLooked) return;
    this.bytesLooked = session.bytesIn;
    this.textLooked = end;
    const clean = stripControls(this.text);
    this.promptKind = promptAtEnd(clean) ?? (endsWithShellPrompt(clean) ? "shell" : undefined);
    if (!this.promptKind) this.promptAt = undefined;
    else this.promptAt ??= this.lastByteAt;
    this.protocol = wrongService(summarize(session.recorder.events()), []) !== undefined;
  }

  /** One look: done, or when to look again. */
  check(): WaitCheck<true> {
    const w = telnetWait(this.open.session.rttMs);
    const now = this.open.session.recorder.elapsed();
    this.lookAtText();
    const sinceConnect = now - this.connectedAt;
    const quiet = now - (this.lastByteAt ?? this.connectedAt);
    const textSeen = this.open.inbox.end > 0;
    const kind = this.promptKind;
    if (this.protocol && quiet >= 100) return { value: true };
    if (kind && quiet >= w.afterPromptMs) return { value: true };
    // No text yet, or text that stopped without a prompt ("Press RETURN to get started"):
    // press Enter once, once the line has been quiet long enough for a prompt on its way.
    if (!kind && this.nudgedAt === undefined && quiet >= w.nudgeQuietMs) {
      if (textSeen || sinceConnect >= w.nudgeAfterMs) {
        this.nudgedAt = now;
        this.open.nudged = true;
        this.open.session.send("\r\n");
        return { recheckInMs: w.nudgeQuietMs };
      }
    }
    const sinceNudge = this.nudgedAt === undefined ? Number.POSITIVE_INFINITY : now - this.nudgedAt;
    if (textSeen && quiet >= w.afterTextMs && sinceNudge >= w.nudgeQuietMs) return { value: true };
    if (this.firstByteAt === undefined && sinceConnect >= w.silentMs) return { value: true };
    if (!textSeen && this.firstByteAt !== undefined && quiet >= w.silentMs) return { value: true };
    if (sinceConnect >= w.maxMs) return { value: true };
    return { recheckInMs: this.nextDue(quiet, sinceConnect, sinceNudge) };
  }

  /** Milliseconds until the next limit falls due (bytes that come sooner wake the wait). */
  private nextDue(quiet: number, sinceConnect: number, sinceNudge: number): number {
    const w = telnetWait(this.open.session.rttMs);
    const limits = [
      w.maxMs - sinceConnect,
      this.protocol ? 100 - quiet : Number.POSITIVE_INFINITY,
      this.promptKind ? w.afterPromptMs - quiet : Number.POSITIVE_INFINITY,
      this.nudgedAt === undefined ? w.nudgeQuietMs - quiet : Number.POSITIVE_INFINITY,
      this.nudgedAt === undefined ? w.nudgeAfterMs - sinceConnect : Number.POSITIVE_INFINITY,
      w.afterTextMs - quiet,
      w.nudgeQuietMs - sinceNudge,
      w.silentMs - quiet,
      w.silentMs - sinceConnect,
    ].filter((ms) => ms > 0);
    return Math.max(5, Math.ceil(Math.min(...limits)));
  }
}

/**
 * Watch the service until the telnet check has seen enough.
 * @example const seen = await watchForPrompt(open);
 */
export async function watchForPrompt(open: OpenSession): Promise<ServiceSeen> {
  const watch = new ServiceWatch(open);
  const off = open.session.recorder.subscribe((e) => {
    if (e.type === "read") watch.read(e.t);
  });
  // The deadline is a backstop: the watch ends itself at its maxMs (which grows with the RTT).
  await open.inbox.wait(watch, telnetWait(2000).maxMs + 1000);
  off();
  return {
    text: watch.text,
    firstByteAt: watch.firstByteAt,
    promptKind: watch.promptKind,
    promptAt: watch.promptAt,
    nudged: watch.nudgedAt !== undefined,
    nudgedAt: watch.nudgedAt,
  };
}
