/**
 * @module The checklist as data: one entry per check — the checks it waits for, why it would
 * not run (a skip reason, or undefined), and how it runs — in one map, as blackbox_exporter's
 * `Probers` map does. The runner (run.ts) knows no check by name: order, skipping and
 * interruption come from here. Checks hand facts on through the context's state (the resolved
 * addresses, the connection the tcp check made, the session left open at a login prompt).
 */
import type { Target } from "../trace/events.js";
import { checkDns } from "./dns.js";
import { checkIdle } from "./idle.js";
import { checkLimits } from "./limits.js";
import { logIn } from "./login.js";
import { checkRoute } from "./route.js";
import { checkSsh } from "./ssh.js";
import { type OpenSession, probeTelnet, type TelnetProbe } from "./telnet.js";
import type { CheckId, CheckResult, DiagnoseOptions } from "./types.js";

/** What the checks found that later checks use. */
export interface ChecklistState {
  addresses?: readonly { readonly address: string; readonly family: 4 | 6 }[];
  target: Target;
  probe?: TelnetProbe;
  open?: OpenSession;
  localAddress?: string;
}

/** What a check is given: the options, the results so far, the shared state, a news line. */
export interface CheckContext {
  readonly o: DiagnoseOptions;
  readonly state: ChecklistState;
  result(id: CheckId): CheckResult | undefined;
  news(text: string): void;
}

/** One check: one signature. */
export interface Check {
  /** Checks that must have finished first. */
  readonly after: readonly CheckId[];
  /** Why the check does not run here (a skip reason), or undefined when it runs. */
  skip(ctx: CheckContext): string | undefined;
  run(ctx: CheckContext): Promise<CheckResult>;
}

const resolved = (ctx: CheckContext) =>
  ctx.state.addresses?.length ? undefined : "the name did not resolve";

/** The first address the name resolved to (a check that runs has one: see `resolved`). */
const first = (ctx: CheckContext) => ctx.state.addresses![0];

/** True when the connection worked and the service did not refuse it. */
const usable = (ctx: CheckContext) =>
  ctx.result("tcp")?.status !== "fail" && ctx.result("telnet")?.status !== "fail";

const dns: Check = {
  after: [],
  skip: () => undefined,
  async run(ctx) {
    const { o, state } = ctx;
    const answer = await checkDns(o.host, o.connectTimeoutMs, o.resolvers, o.clock);
    state.addresses = answer.addresses;
    const a = answer.addresses[0];
    if (a) state.target = { host: o.host, port: o.port, address: a.address, family: a.family };
    return answer.result;
  },
};

const ssh: Check = {
  after: ["dns"],
  skip: resolved,
  run(ctx) {
    const { address, family } = first(ctx);
    const o = ctx.o;
    return checkSsh(address, family, o.sshPort, Math.min(o.connectTimeoutMs, 3000), {
      signal: o.signal,
      host: o.host,
      ...(o.user !== undefined ? { user: o.user } : {}),
      clock: o.clock,
    });
  },
};

const tcp: Check = {
  after: ["dns"],
  skip: resolved,
  async run(ctx) {
    // With explicit resolvers, the connection uses what they answered, not the system's lookup.
    const o = ctx.o.resolvers ? { ...ctx.o, host: first(ctx).address } : ctx.o;
    const keep = o.user !== undefined ? "prompt" : "never";
    const probe = await probeTelnet(o, keep, ctx.news);
    const { state } = ctx;
    state.probe = probe;
    const remote = probe.tcp.data.address as string | undefined;
    const family = (probe.tcp.data.family as 4 | 6 | undefined) ?? first(ctx).family;
    if (remote) state.target = { ...state.target, address: remote, family };
    state.localAddress = (probe.tcp.data.local as { address?: string } | undefined)?.address;
    return probe.tcp;
  },
};

const route: Check = {
  after: ["tcp"],
  skip: resolved,
  run(ctx) {
    const { o, state } = ctx;
    return checkRoute({
      address: state.target.address ?? first(ctx).address,
      family: state.target.family ?? first(ctx).family,
      port: o.port,
      sampleTimeoutMs: Math.min(o.connectTimeoutMs, 2000),
      tools: o.tools,
      signal: o.signal,
      clock: o.clock,
    });
  },
};

const telnet: Check = {
  after: ["tcp"],
  skip: (ctx) => resolved(ctx) ?? (ctx.state.probe?.telnet ? undefined : "no connection: see tcp"),
  async run(ctx) {
    const t = await ctx.state.probe!.telnet!;
    ctx.state.open = t.open;
    return t.result;
  },
};

const login: Check = {
  after: ["telnet"],
  skip(ctx) {
    const unresolved = resolved(ctx);
    if (unresolved) return unresolved;
    if (ctx.o.user === undefined)
      return "give --user NAME (and --password-env VAR) to test the login";
    if (ctx.state.open) return undefined;
    return ctx.result("telnet")?.data.prompt === "shell"
      ? "the server gave a prompt without asking anyone to log in"
      : "no login prompt to answer: see telnet";
  },
  async run(ctx) {
    const open = ctx.state.open!;
    const r = await logIn(open, ctx.o.user!, ctx.o.password, 10_000);
    open.session.close("script");
    await open.ended;
    return r.result;
  },
};

const limits: Check = {
  // After the path and SSH checks: its sessions must not disturb their timing.
  after: ["login", "route", "ssh"],
  skip(ctx) {
    const unresolved = resolved(ctx);
    if (unresolved) return unresolved;
    if (ctx.o.concurrency === undefined) return "give --concurrency N to find the session limit";
    return usable(ctx) ? undefined : "the first session already failed";
  },
  run: (ctx) => checkLimits(ctx.o, ctx.news),
};

const idle: Check = {
  after: ["limits"],
  skip(ctx) {
    const unresolved = resolved(ctx);
    if (unresolved) return unresolved;
    if (ctx.o.idleTestMs === undefined)
      return "give --idle-test MAX (e.g. 10m) to measure idle timeouts";
    return usable(ctx) && ctx.result("login")?.status !== "fail"
      ? undefined
      : "no session to hold: an earlier check failed";
  },
  run: (ctx) => checkIdle(ctx.o, ctx.news),
};

/** Every check, by id (the report lists them in CHECK_IDS order). */
export const CHECKS: Readonly<Record<CheckId, Check>> = {
  dns,
  route,
  tcp,
  telnet,
  ssh,
  login,
  idle,
  limits,
};
