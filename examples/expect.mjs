// Drive a dialogue by hand with expect() and sendLine(), as a script would.
//   npx teldoc lab healthy --port 2323 &
//   node examples/expect.mjs 127.0.0.1 2323
import { connect, isTeldocError } from "teldoc";

const [host = "127.0.0.1", port = "2323"] = process.argv.slice(2);
let s;
try {
  s = await connect({ host, port: Number(port) });
  await s.expect(/login: $/, { timeout: "10s" });
  s.sendLine("demo");
  await s.expect(/Password: $/);
  s.sendLine(process.env.TELDOC_PASSWORD ?? "demo", { masked: true }); // masked in every record
  await s.expect(/\$ $/);
  s.sendLine("uptime");
  const m = await s.expect(/up (\d+) seconds?/); // the lab's shell; a real one says "up 3 days"
  console.log(`matched ${JSON.stringify(m.match)}, group ${m.groups[0]}`);
} catch (err) {
  if (!isTeldocError(err)) throw err;
  const d = err.diagnosis; // set when the session ended or never opened
  console.error(d ? `${err.code}: ${d.cause} — ${d.summary}` : `${err.code}: ${err.message}`);
  if (d?.advice[0]) console.error(`what to do: ${d.advice[0]}`);
  process.exitCode = 1;
} finally {
  const end = await s?.close();
  if (end) console.log(`ended: ${end.diagnosis.cause}`);
}
