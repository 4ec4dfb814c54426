/**
 * @module The teldoc command line: one program, commands loaded lazily, usage errors as one
 * line and exit code 2, never a stack trace.
 */
import { Command, CommanderError } from "commander";
import { VERSION } from "./version.js";

/** Exit codes of the contract. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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
Durations are written 500ms, 10s, 5m, 2h. PORT defaults to 23.`,
    );
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.startsWith("error:") ? `teldoc: ${s.slice(7)}` : s),
  });
  return program;
}

/** Run the CLI with the given arguments (without node and script); resolves to an exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version")
        return EXIT.ok;
      if (err.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    process.stderr.write(
      `teldoc: internal error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return EXIT.failed;
  }
}
