// Drive a dialogue by hand with expect() and sendLine(), as a script would.
//   npx teldoc lab healthy --port 2323 &
//   node examples/expect.mjs 127.0.0.1 2323
import { connect } from "teldoc";

const [host = "127.0.0.1", port = "2323"] = process.argv.slice(2);
const s = await connect({ host, port: Number(port) });
await s.expect(/login: $/, { timeout: "10s" });
s.sendLine("demo");
await s.expect(/Password: $/);
s.sendLine(process.env.TELDOC_PASSWORD ?? "demo", { masked: true }); // masked in every record
await s.expect(/\$ $/);
s.sendLine("uptime");
const m = await s.expect(/up (\d+) seconds?/); // the lab's shell; a real one says "up 3 days"
console.log(`matched ${JSON.stringify(m.match)}, group ${m.groups[0]}`);
const end = await s.close();
console.log(`ended: ${end.diagnosis.cause}`);
