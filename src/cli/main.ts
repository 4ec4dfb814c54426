/**
 * @module The teldoc command line: one program, commands loaded lazily, usage errors as one
 * line and exit code 2, never a stack trace.
 */
import { Command, CommanderError } from "commander";
import { isTeldocError } from "../errors.js";
import { connectHelpText } from "./escape-help.js";
import { mistypedCommand } from "./suggest.js";
import { VERSION } from "./version.js";

/** Exit codes of the contract. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** HOST [PORT] and --connect-timeout: what every command that connects takes first. */
function withTarget(cmd: Command): Command {
  return cmd
    .argument("<host>", "a name, an IPv4 or IPv6 address ([::1]:2323 carries the port)")
    .argument("[port]", "TCP port (default: 23)", undefined)
    .option("--connect-timeout <dur>", "give up connecting after this long", "10s");
}

const SCRIPT_HELP = `
Script steps (--script FILE: one a line, # starts a comment):
  expect REGEX [TIMEOUT]  wait for the pattern in the server's text (default: 10s)
  send TEXT               send exactly TEXT, no line end added; escapes: \\r \\n \\t \\\\ \\xHH
                          (blanks around TEXT are dropped: \\x20 is a space)
  sendline TEXT           send TEXT and the line end (CR LF, or CR in BINARY mode)
  sleep DUR               pause
  wait [DUR]              wait for the far end to close (at most DUR)
  close                   close the connection
A step that fails (an expect that times out, the connection ended) stops the script
with one line on stderr, and teldoc exits 1.

Example: PW=secret teldoc r1 --user admin --password-env PW --script show.txt
  show.txt:  expect [#>$] ?$ 10s
             sendline show version
             expect [#>$] ?$ 30s
             sendline exit
             wait 5s`;

export function buildProgram(): Command {
  const program = new Command("teldoc")
    .description(
      "A Telnet client and troubleshooter that tells you why a session ended, with the evidence.",
    )
    .version(VERSION, "--version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .option("--no-color", "plain output, no colour")
    .option("-q, --quiet", "print less")
    .option("-v, --verbose", "print more")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 the connection ended abnormally or a check failed, 2 usage error.
Durations are written with a unit: 500ms, 10s, 5m, 2h (a bare 10 is an error); a timeout
must be more than 0. PORT defaults to 23.`,
    );
  // Before the commands are added: subcommands copy these settings when they are created.
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.startsWith("error:") ? `teldoc: ${s.slice(7)}` : s),
  });
  withTarget(
    program
      .command("connect", { isDefault: true })
      .description("open a Telnet session; when it ends, say why (also: teldoc HOST [PORT])"),
  )
    .option(
      "--keepalive <dur>",
      "TCP keepalive and IAC NOP at this interval, or off (default: off)",
    )
    .option("--anti-idle <text>", "send these keystrokes periodically (defeats idle policies)")
    .option("--anti-idle-every <dur>", "interval for --anti-idle")
    .option(
      "--login-timeout <dur>",
      "give up when the login has not completed in this time (default: off; --user waits 30s for its prompts)",
    )
    .option(
      "--dead-peer <dur>",
      "after sending, how long without an answer before calling the path dead, or off",
      "30s",
    )
    .option("--trace <file>", "record every event and raw byte as JSON Lines")
    .option(
      "--pcap <file>",
      "write the session as pcapng (Wireshark: Decode As Telnet on other ports than 23)",
    )
    .option("--script <file>", "run a script of steps, one a line (see Script steps below)")
    .option("--user <name>", "answer the login prompt with this name")
    .option(
      "--password-env <var>",
      "answer the password prompt with this environment variable's value",
    )
    .option(
      "--linger <dur>",
      "after standard input ends, wait this long before closing (0s: at once)",
      "2s",
    )
    .option("--json", "print every event and the end as JSON Lines on stdout")
    .addHelpText("after", `${SCRIPT_HELP}\n\n${connectHelpText()}`)
    .action(async (host: string, port: string | undefined, _opts, cmd: Command) => {
      const { runConnect } = await import("./connect.js");
      exitCode = await runConnect(host, port, cmd.optsWithGlobals());
    });
  withTarget(
    program
      .command("diagnose")
      .description(
        "run the troubleshooting checklist and end with a verdict (exit 0 when healthy)",
      ),
  )
    .option("--user <name>", "also test the login with this user name")
    .option("--password-env <var>", "the password is in this environment variable (never printed)")
    .option(
      "--idle-test <max>",
      "hold a session idle up to MAX and measure how it dies, then retry with keepalive",
    )
    .option("--concurrency <n>", "open up to N sessions at once to find the session limit")
    .option("--port-ssh <port>", "where to look for SSH as an alternative", "22")
    .option("--json", "print the report as one JSON object")
    .option("--markdown", "print the report as Markdown, for a ticket")
    .addHelpText(
      "after",
      `
Checks: dns, route (TCP connect times; ping and tracepath/mtr/traceroute when present), tcp
(open, refused, filtered, unreachable, local-firewall), telnet (banner, options, login prompt,
or another protocol), ssh, and with flags: login, limits, idle.

Examples:
  teldoc diagnose switch1                       the quick checklist (a healthy host: ~1 s)
  teldoc diagnose 10.0.0.5 2323 --markdown      paste the result into a ticket
  PW=secret teldoc diagnose r1 --user admin --password-env PW --idle-test 15m
                                                why does my session drop after a while?`,
    )
    .action(async (host: string, port: string | undefined, _opts, cmd: Command) => {
      const { runDiagnose } = await import("./diagnose.js");
      exitCode = await runDiagnose(host, port, cmd.optsWithGlobals());
    });
  program
    .command("lab")
    .description("run a Telnet server that ends sessions in one of the ways teldoc diagnoses")
    .argument(
      "[scenario]",
      "healthy, acl-rejected, service-unavailable, auth-failed, login-timeout, idle-timeout, peer-reset, server-closed, wrong-service",
    )
    .option("--list", "describe every scenario and the cause it produces")
    .option("--port <port>", "TCP port to listen on", "2323")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--variant <name>", "a scenario's variant (see --list)")
    .option("--user <name>", "the login that works (healthy, limit)", "demo")
    .option("--password <text>", "its password", "demo")
    .option("--tries <n>", "failed logins before the server gives up", "3")
    .option("--login-timeout <dur>", "how long the login prompt waits", "60s")
    .option("--idle-timeout <dur>", "idle time before idle-timeout logs out", "5m")
    .option("--message <text>", "what the server says before it closes (\\n for newlines)")
    .option("--limit <n>", "sessions served at once by service-unavailable --variant limit", "2")
    .option(
      "--after <dur>",
      "how long peer-reset and server-closed serve before ending (0s: at once)",
      "1s",
    )
    .option(
      "--netns",
      "root: build client/middlebox/server network namespaces, serve on 198.18.2.2 port 23 in the server one",
    )
    .option(
      "--fault <kind>",
      "with --netns: filtered, unreachable, local-firewall, middlebox-timeout, network-failure",
    )
    .action(async (scenario: string | undefined, _opts, cmd: Command) => {
      const { runLab } = await import("./lab.js");
      exitCode = await runLab(scenario, cmd.optsWithGlobals());
    });
  program
    .command("demo")
    .description("show teldoc at work: sessions against the built-in lab, each diagnosed")
    .option("--json", "print the results as one JSON object")
    .action(async (_opts, cmd: Command) => {
      const { runDemo } = await import("./demo.js");
      exitCode = await runDemo(cmd.optsWithGlobals());
    });
  const trace = program.command("trace").description("work with a trace saved by connect --trace");
  trace
    .command("show")
    .description("render a trace as a timeline: both directions, decoded options, silences marked")
    .argument("<file>", "a JSON Lines file written by connect --trace")
    .option("--raw", "also show every raw read and write")
    .option("--gap <dur>", "mark silences at least this long", "1s")
    .action(async (file: string, opts) => {
      const { runTraceShow } = await import("./trace.js");
      exitCode = runTraceShow(file, opts);
    });
  trace
    .command("diagnose")
    .description("run the diagnosis again on a saved trace")
    .argument("<file>", "a JSON Lines file written by connect --trace")
    .option("--json", "print the end object as JSON")
    .action(async (file: string, _opts, cmd: Command) => {
      const { runTraceDiagnose } = await import("./trace.js");
      exitCode = runTraceDiagnose(file, cmd.optsWithGlobals());
    });
  plainDefaults(program);
  return program;
}

/**
 * Defaults shown as they are typed (`(default: 10s)`, not commander's `(default: "10s")`), for
 * every option of every command.
 */
function plainDefaults(cmd: Command): void {
  for (const o of cmd.options)
    if (typeof o.defaultValue === "string" && o.defaultValueDescription === undefined)
      o.defaultValueDescription = o.defaultValue;
  for (const sub of cmd.commands) plainDefaults(sub);
}

let exitCode: number = EXIT.ok;

/** Run the CLI with the given arguments (without node and script); resolves to an exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  exitCode = EXIT.ok;
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  const typo = mistypedCommand(argv, [...program.commands.map((c) => c.name()), "help"]);
  if (typo) {
    process.stderr.write(`teldoc: unknown command "${typo.word}": did you mean "${typo.meant}"?\n`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version")
        return EXIT.ok;
      if (err.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (isTeldocError(err)) {
      process.stderr.write(`teldoc: ${err.message}\n`);
      return err.code === "TELDOC_ERR_USAGE" || err.code.startsWith("TELDOC_ERR_BAD_")
        ? EXIT.usage
        : EXIT.failed;
    }
    process.stderr.write(
      `teldoc: internal error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return EXIT.failed;
  }
}
