// Connect, log in, and when anything fails, print the cause, the evidence and the advice.
//   npx teldoc lab auth-failed --port 2324 &
//   node examples/why-it-failed.mjs 127.0.0.1 2324 demo wrong-password
import { connect, isTeldocError } from "teldoc";

const [host = "127.0.0.1", port = "23", user = "demo", password = "demo"] = process.argv.slice(2);

let s;
try {
  s = await connect({ host, port: Number(port), connectTimeout: "3s" });
  await s.login({ user, password, timeout: "15s" });
  console.log(await s.exec("whoami"));
} catch (err) {
  if (!isTeldocError(err)) throw err; // a bug in this script, not a Telnet problem
  console.log(`code:   ${err.code}`);
  const d = err.diagnosis; // set when the session ended or never opened
  if (d) {
    console.log(`cause:  ${d.cause} (confidence ${d.confidence})`);
    console.log(`why:    ${d.summary}`);
    for (const e of d.evidence) console.log(`  evidence: ${e}`);
    for (const a of d.advice) console.log(`  advice:   ${a}`);
  } else {
    console.log(err.message);
  }
  process.exitCode = 1;
} finally {
  await s?.close();
}
