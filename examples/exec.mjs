// Log in and run commands; print each output, then why the session ended.
//   npx teldoc lab healthy --port 2323 &
//   node examples/exec.mjs 127.0.0.1 2323 demo          (password: $TELDOC_PASSWORD, default "demo")
import teldoc from "teldoc";

const [host = "127.0.0.1", port = "2323", user = "demo", ...commands] = process.argv.slice(2);
const password = process.env.TELDOC_PASSWORD ?? "demo";

const session = await teldoc.connect({
  host,
  port: Number(port),
  connectTimeout: "5s",
  loginTimeout: "20s",
  commandTimeout: "10s",
});
try {
  const { prompt } = await session.login({ user, password });
  console.log(`logged in, prompt: ${prompt}`);
  for (const command of commands.length > 0 ? commands : ["whoami", "uptime"]) {
    const r = await session.execDetails(command);
    console.log(`$ ${command}    (${r.durationMs} ms, ended by ${r.endedBy})\n${r.output}`);
  }
} catch (err) {
  // Every error has a stable code; one that ended the session says why.
  console.error(`${err.code}: ${err.message}`);
  process.exitCode = 1;
} finally {
  const end = await session.close();
  console.log(`session ended: ${end.diagnosis.cause} — ${end.diagnosis.summary}`);
}
