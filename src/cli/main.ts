/**
 * @module The teldoc command line: one program, commands loaded lazily, usage errors as one
 * line and exit code 2, never a stack trace.
 */
import { Command, CommanderError } from "commander";
import { isTeldocError } from "../errors.js";
import {
  addOptions,
  CONNECT,
  type ConnectFlags,
  DEMO,
  type DemoFlags,
  DIAGNOSE,
  type DiagnoseFlags,
  defineCommand,
  LAB,
  type LabFlags,
  LOGS,
  type LogsFlags,
  MONITOR,
  MONITOR_CHECK,
  MONITOR_EXPORT,
  MONITOR_IMPORT,
  MONITOR_REPORT,
  type MonitorExportFlags,
  type MonitorFlags,
  type MonitorImportFlags,
  type MonitorReportFlags,
  PROGRAM,
  SERVER_CHECK,
  type ServerCheckFlags,
  TRACE,
  TRACE_DIAGNOSE,
  TRACE_SHOW,
  type TraceDiagnoseFlags,
  type TraceShowFlags,
} from "./options/index.js";
import { mistypedCommand } from "./suggest.js";
import { VERSION } from "./version.js";

/** Exit codes of the contract. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** `teldoc monitor` and its subcommands. */
function addMonitor(program: Command): void {
  const monitor = defineCommand(program, MONITOR).action(
    async (config: string | undefined, _o, cmd: Command) => {
      const { runMonitor } = await import("./monitor.js");
      exitCode = await runMonitor(config, cmd.optsWithGlobals<MonitorFlags>());
    },
  );
  defineCommand(monitor, MONITOR_CHECK).action(async (config: string) => {
    const { runMonitorCheck } = await import("./monitor.js");
    exitCode = await runMonitorCheck(config);
  });
  defineCommand(monitor, MONITOR_REPORT).action(async (_o, cmd: Command) => {
    const { runMonitorReport } = await import("./monitor-data.js");
    exitCode = await runMonitorReport(cmd.optsWithGlobals<MonitorReportFlags>());
  });
  defineCommand(monitor, MONITOR_EXPORT).action(async (_o, cmd: Command) => {
    const { runMonitorExport } = await import("./monitor-data.js");
    exitCode = await runMonitorExport(cmd.optsWithGlobals<MonitorExportFlags>());
  });
  defineCommand(monitor, MONITOR_IMPORT).action(async (file: string, _o, cmd: Command) => {
    const { runMonitorImport } = await import("./monitor-data.js");
    exitCode = await runMonitorImport(file, cmd.optsWithGlobals<MonitorImportFlags>());
  });
}

/** The administrator's side: `teldoc server-check` and `teldoc logs`. */
function addServerSide(program: Command): void {
  defineCommand(program, SERVER_CHECK).action(async (_o, cmd: Command) => {
    const { runServerCheck } = await import("./server-check.js");
    exitCode = await runServerCheck(cmd.optsWithGlobals<ServerCheckFlags>());
  });
  defineCommand(program, LOGS).action(async (files: string[], _o, cmd: Command) => {
    const { runLogs } = await import("./logs.js");
    exitCode = await runLogs(files, cmd.optsWithGlobals<LogsFlags>());
  });
}

/** `teldoc trace show|diagnose`. */
function addTrace(program: Command): void {
  const trace = defineCommand(program, TRACE);
  defineCommand(trace, TRACE_SHOW).action(async (file: string, _o, cmd: Command) => {
    const { runTraceShow } = await import("./trace.js");
    exitCode = runTraceShow(file, cmd.optsWithGlobals<TraceShowFlags>());
  });
  defineCommand(trace, TRACE_DIAGNOSE).action(async (file: string, _o, cmd: Command) => {
    const { runTraceDiagnose } = await import("./trace.js");
    exitCode = runTraceDiagnose(file, cmd.optsWithGlobals<TraceDiagnoseFlags>());
  });
}

export function buildProgram(): Command {
  const program = new Command(PROGRAM.name)
    .description(PROGRAM.description)
    .version(VERSION, "--version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .showSuggestionAfterError(true)
    .addHelpText("after", PROGRAM.after);
  addOptions(program, PROGRAM.options);
  // Before the commands are added: subcommands copy these settings when they are created.
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.startsWith("error:") ? `teldoc: ${s.slice(7)}` : s),
  });
  defineCommand(program, CONNECT, { isDefault: true }).action(
    async (host: string, port: string | undefined, _o, cmd: Command) => {
      const { runConnect } = await import("./connect.js");
      exitCode = await runConnect(host, port, cmd.optsWithGlobals<ConnectFlags>());
    },
  );
  defineCommand(program, DIAGNOSE).action(
    async (host: string, port: string | undefined, _o, cmd: Command) => {
      const { runDiagnose } = await import("./diagnose.js");
      exitCode = await runDiagnose(host, port, cmd.optsWithGlobals<DiagnoseFlags>());
    },
  );
  defineCommand(program, LAB).action(async (scenario: string | undefined, _o, cmd: Command) => {
    const { runLab } = await import("./lab.js");
    exitCode = await runLab(scenario, cmd.optsWithGlobals<LabFlags>());
  });
  defineCommand(program, DEMO).action(async (_o, cmd: Command) => {
    const { runDemo } = await import("./demo.js");
    exitCode = await runDemo(cmd.optsWithGlobals<DemoFlags>());
  });
  addMonitor(program);
  addServerSide(program);
  addTrace(program);
  return program;
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
