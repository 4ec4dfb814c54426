// The session as a Node Duplex: type into it, read from it (a minimal raw client).
//   node examples/pipe.mjs 127.0.0.1 2323
import { connect, isTeldocError } from "teldoc";

const [host = "127.0.0.1", port = "23"] = process.argv.slice(2);
try {
  const s = await connect({ host, port: Number(port) });
  const stream = s.stream();
  process.stdin.pipe(stream).pipe(process.stdout);
  const end = await s.closed; // never rejects: the end object, with why it ended
  process.stdin.unpipe(stream);
  process.stdin.pause();
  console.error(`\n[${end.diagnosis.cause}] ${end.diagnosis.summary}`);
} catch (err) {
  if (!isTeldocError(err)) throw err;
  const d = err.diagnosis; // connect() failed: why, and what to do
  console.error(d ? `${err.code}: ${d.cause} — ${d.summary}` : `${err.code}: ${err.message}`);
  if (d?.advice[0]) console.error(`what to do: ${d.advice[0]}`);
  process.exitCode = 1;
}
