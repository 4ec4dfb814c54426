// Connect, log in, and when anything fails, print the cause, the evidence and the advice.
//   npx teldoc lab auth-failed --port 2324 &
//   node examples/why-it-failed.mjs 127.0.0.1 2324 demo wrong-password
import { connect, SessionError } from "teldoc";

const [host = "127.0.0.1", port = "23", user = "demo", password = "demo"] = process.argv.slice(2);

try {
  const s = await connect({ host, port: Number(port), connectTimeout: "3s" });
  await s.login({ user, password, timeout: "15s" });
  console.log(await s.exec("whoami"));
  await s.close();
} catch (err) {
  if (!(err instanceof SessionError)) throw err;
  console.log(`code:   ${err.code}`);
  const d = err.diagnosis;
  if (d) {
    console.log(`cause:  ${d.cause} (confidence ${d.confidence})`);
    console.log(`why:    ${d.summary}`);
    for (const e of d.evidence) console.log(`  evidence: ${e}`);
    for (const a of d.advice) console.log(`  advice:   ${a}`);
  } else {
    console.log(err.message);
  }
  process.exitCode = 1;
}
