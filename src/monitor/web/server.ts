/**
 * @module The monitor's HTTP listener (read-only): `/metrics`, `/probe`, and whatever routes
 * the dashboard adds. It binds 127.0.0.1 by default; any other address needs a token, or it
 * refuses to start. With a token, every request must carry `Authorization: Bearer TOKEN`
 * (Prometheus: `authorization: {credentials: ...}`), or, for a browser, `?token=` once, which
 * sets an HttpOnly cookie. Only GET and HEAD exist; every answer has a strict CSP.
 */
import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isTeldocError, TeldocError } from "../../errors.js";
import type { MonitorTarget } from "../monitor.js";
import { isLoopback } from "../plan.js";
import type { ProbeOutcome, ProbeSpec } from "../probe.js";
import type { MonitorMetrics } from "./metrics.js";
import { probeSpecOf, probeText } from "./probe-endpoint.js";

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface WebOptions {
  readonly host: string;
  readonly port: number;
  /** Required when `host` is not a loopback address. */
  readonly token?: string;
  readonly metrics?: MonitorMetrics;
  /** One round now (the /probe endpoint). */
  readonly probe: (spec: ProbeSpec) => Promise<ProbeOutcome>;
  /** The configured targets (/probe by name uses their level and credentials). */
  readonly targets: () => readonly MonitorTarget[];
  /** More routes (the dashboard's pages and /api). */
  readonly routes?: (app: Hono) => void;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const COOKIE = "teldoc_token";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The app, without a socket (tests call `app.request`). */
export function webApp(o: Omit<WebOptions, "host" | "port">): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    // Set before the answer is made: set after, hono would copy the whole response.
    c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    await next();
  });
  app.use(async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD")
      return c.text("read-only: only GET and HEAD\n", 405, { Allow: "GET, HEAD" });
    const token = o.token;
    if (token === undefined) return next();
    const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer !== undefined && same(bearer, token)) return next();
    const cookie = getCookie(c, COOKIE);
    if (cookie !== undefined && same(cookie, token)) return next();
    const query = c.req.query("token");
    if (query !== undefined && same(query, token)) {
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    return c.text("a token is needed: Authorization: Bearer TOKEN\n", 401, {
      "WWW-Authenticate": 'Bearer realm="teldoc"',
    });
  });
  app.get("/metrics", async (c) => {
    if (!o.metrics) return c.text("no metrics here\n", 404);
    return c.body(await o.metrics.text(), 200, { "Content-Type": o.metrics.contentType });
  });
  app.get("/probe", async (c) => {
    let spec: ProbeSpec;
    try {
      spec = probeSpecOf(
        c.req.query(),
        o.targets(),
        c.req.header("x-prometheus-scrape-timeout-seconds"),
      );
    } catch (err) {
      if (isTeldocError(err)) return c.text(`${err.message}\n`, 400);
      throw err;
    }
    const outcome = await o.probe(spec);
    return c.body(await probeText(spec, outcome), 200, {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });
  o.routes?.(app);
  app.onError((err, c) => c.text(`internal error: ${err.message}\n`, 500));
  return app;
}

/**
 * Listen. Refuses a non-loopback address without a token (TELDOC_ERR_USAGE).
 * @example const web = await startWeb({ host: "127.0.0.1", port: 9323, probe, targets: () => [] });
 */
export async function startWeb(o: WebOptions): Promise<WebServer> {
  if (!isLoopback(o.host) && (o.token === undefined || o.token === ""))
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `listening on ${o.host} needs a token (token_env in the config): the dashboard and /probe would be open to anyone who reaches ${o.host}`,
    );
  const app = webApp(o);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, () => resolve(s));
    s.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new TeldocError(
          "TELDOC_ERR_USAGE",
          `cannot listen on ${o.host}:${o.port}: ${err.code === "EADDRINUSE" ? "the port is in use (set listen: in the config)" : (err.code ?? err.message)}`,
        ),
      ),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
