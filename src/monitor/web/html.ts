/**
 * @module HTML for the dashboard, escaped by default: `html` is a tagged template whose every
 * interpolation is escaped unless it is itself `html` (or `raw`), so a target name, a piece of
 * evidence or a server's text from the store can never become markup.
 */

/** Markup that is already safe (made by `html` or `raw`). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text as HTML text or attribute value.
 * @example escapeHtml("<script>") // "&lt;script&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** What may go into `html`: text (escaped), numbers, markup, lists of them; null/undefined/false: nothing. */
export type Part = string | number | Html | null | undefined | false | readonly Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return "";
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return p.map(render).join("");
  return escapeHtml(String(p));
}

/**
 * Markup with every interpolation escaped.
 * @example html`<td>${name}</td>` // name "<b>" gives "<td>&lt;b&gt;</td>"
 */
export function html(strings: TemplateStringsArray, ...parts: readonly Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += render(parts[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup written by this program (never text from outside). */
export function raw(text: string): Html {
  return new Html(text);
}

/**
 * A path with its query: values are URL-encoded, empty ones left out (escape it again in HTML,
 * which `html` does).
 * @example hrefOf("/", { q: "a b", page: 2 }) // "/?q=a%20b&page=2"
 */
export function hrefOf(
  path: string,
  query: Readonly<Record<string, string | number | undefined>>,
): string {
  const q = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return q ? `${path}?${q}` : path;
}

/** The path of a target's page (names may hold any character). */
export function targetPath(name: string, rest = ""): string {
  return `/target/${encodeURIComponent(name)}${rest}`;
}
