// Run a task, reconnecting with backoff when the diagnosis says a retry can help
// (a reset, a filtered port, a busy server), and never after wrong credentials.
//   npx teldoc lab peer-reset --port 2325 --after 2s &
//   node examples/reconnect.mjs 127.0.0.1 2325
import { isTeldocError, retryDecision, withReconnect } from "teldoc";

const [host = "127.0.0.1", port = "2325"] = process.argv.slice(2);

console.log("policy after auth-failed:", retryDecision("auth-failed", 1).why);
console.log("policy after peer-reset: ", JSON.stringify(retryDecision("peer-reset", 1)));

try {
  const out = await withReconnect(
    { host, port: Number(port) },
    async (s) => {
      await s.login({ user: "demo", password: "demo" });
      return s.exec("show version");
    },
    {
      retries: 3,
      initialDelayMs: 200,
      onRetry: (r) => console.log(`retry ${r.attempt} in ${r.delayMs} ms after ${r.cause}`),
    },
  );
  console.log(out);
} catch (err) {
  if (!isTeldocError(err)) throw err;
  // The last attempt's error: retries used up, or a cause no retry can cure.
  const d = err.diagnosis;
  console.error(d ? `${err.code}: ${d.cause} — ${d.summary}` : `${err.code}: ${err.message}`);
  if (d?.advice[0]) console.error(`what to do: ${d.advice[0]}`);
  process.exitCode = 1;
}
