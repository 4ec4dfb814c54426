/** @module How the dashboard answers: HTML pages, and a 400 that names the bad parameter. */
import type { Context } from "hono";
import type { Html } from "./html.js";
import { errorPage } from "./pages/layout.js";

/** An HTML answer. */
export function sendHtml(c: Context, body: Html, status: 200 | 400 | 404 = 200): Response {
  return c.html(body.text, status);
}

/** A 400 for a bad parameter: HTML for pages, JSON for /api. */
export function badRequest(c: Context, message: string, api: boolean): Response {
  if (api) return c.json({ error: message }, 400);
  return sendHtml(c, errorPage("Bad request", message), 400);
}
