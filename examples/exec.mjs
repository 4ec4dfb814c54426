// Log in and run commands; print each output, then why the session ended.
//   npx teldoc lab healthy --port 2323 &
//   node examples/exec.mjs 127.0.0.1 2323 demo          (password: $TELDOC_PASSWORD, default "demo")
import { connect, isTeldocError } from "teldoc";

const [host = "127.0.0.1", port = "2323", user = "demo", ...commands] = process.argv.slice(2);
const password = process.env.TELDOC_PASSWORD ?? "demo";

let session;
try {
  // connect() is inside try too: a host that cannot be reached throws, with the diagnosis.
  session = await connect({
    host,
    port: Number(port),
    connectTimeout: "5s",
    loginTimeout: "20s",
    commandTimeout: "10s",
  });
  const { prompt } = await session.login({ user, password });
  console.log(`logged in, prompt: ${prompt}`);
  for (const command of commands.length > 0 ? commands : ["whoami", "uptime"]) {
    const r = await session.execDetails(command);
    console.log(
      `$ ${command}    (${r.durationMs.toFixed(1)} ms, ended by ${r.endedBy})\n${r.output}`,
    );
  }
} catch (err) {
  if (!isTeldocError(err)) throw err; // a bug in this script, not a Telnet problem
  // A stable code; when the session ended (or never opened), the diagnosis says why.
  const d = err.diagnosis;
  console.error(d ? `${err.code}: ${d.cause} — ${d.summary}` : `${err.code}: ${err.message}`);
  if (d?.advice[0]) console.error(`what to do: ${d.advice[0]}`);
  process.exitCode = 1;
} finally {
  const end = await session?.close();
  if (end) console.log(`session ended: ${end.diagnosis.cause} — ${end.diagnosis.summary}`);
}
