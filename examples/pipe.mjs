// The session as a Node Duplex: type into it, read from it (a minimal raw client).
//   node examples/pipe.mjs 127.0.0.1 2323
import { connect } from "teldoc";

const [host = "127.0.0.1", port = "23"] = process.argv.slice(2);
const s = await connect({ host, port: Number(port) });
const stream = s.stream();
process.stdin.pipe(stream).pipe(process.stdout);
const end = await s.closed;
process.stdin.unpipe(stream);
process.stdin.pause();
console.error(`\n[${end.diagnosis.cause}] ${end.diagnosis.summary}`);
