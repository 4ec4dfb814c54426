// A Telnet service in a few lines: a prompt, an echo command, and `quit`.
//   node examples/server.mjs 2330 &
//   teldoc 127.0.0.1 2330
import { createServer } from "teldoc";

const port = Number(process.argv[2] ?? 2330);
const srv = await createServer({ port }, onSession).catch((err) => {
  // EADDRINUSE: another program listens there; EACCES: ports below 1024 need root.
  console.error(`cannot listen on port ${port}: ${err.code ?? err.message}`);
  process.exit(1);
});
console.log(`listening on ${srv.host}:${srv.port}`);
process.on("SIGINT", () => void srv.close().then(() => process.exit(0)));

function onSession(s) {
  const prompt = () => s.write("svc> ");
  s.write("Welcome to a teldoc createServer() example\n");
  prompt();
  s.on("line", (line) => {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    if (cmd === "quit") return s.close("bye\n");
    if (cmd === "echo") s.write(`${rest.join(" ")}\n`);
    else if (cmd) s.write(`unknown command: ${cmd}\n`);
    prompt();
  });
}
