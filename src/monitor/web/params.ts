/**
 * @module The dashboard's query parameters, each validated (zod): a bad one is a 400 whose
 * message names the parameter, the value and what it takes — never a crash. Unknown parameters
 * are ignored (a browser may add its own).
 */
import { z } from "zod";
import { isTeldocError } from "../../errors.js";
import { parsePeriod } from "../../util/duration.js";
import { CAUSE_NAMES } from "../sample.js";

const DAY_MS = 86_400_000;
/** The longest period a page reads (the 1-h rollups are kept 400 days). */
export const MAX_SINCE_MS = 400 * DAY_MS;
/** The shortest period a page reads. */
export const MIN_SINCE_MS = 3_600_000;

/** `since`: 7d, 2w, 36h, 90m (from 1 h to 400 days). */
export function parseSinceParam(text: string): number {
  const ms = parsePeriod(text, "since");
  if (!(ms >= MIN_SINCE_MS && ms <= MAX_SINCE_MS))
    throw new RangeError(`"${text}" is out of range: write 1h to 400d (e.g. 24h, 7d)`);
  return ms;
}

const since = z
  .string()
  .transform((text, ctx) => {
    try {
      return parseSinceParam(text);
    } catch (err) {
      const why = isTeldocError(err) || err instanceof RangeError ? err.message : String(err);
      ctx.addIssue({ code: "custom", message: why.replace(/^since: /, "") });
      return z.NEVER;
    }
  })
  .optional();

const name = z.string().max(200, "is longer than 200 characters").optional();
const count = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `takes a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `takes a whole number from ${min} to ${max}`)
    .optional();

export const STATUSES = ["failing", "flapping", "healthy", "no-data"] as const;
export type Status = (typeof STATUSES)[number];
export const SORTS = ["status", "name", "availability", "rtt"] as const;
export type Sort = (typeof SORTS)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `takes one of ${values.join(", ")}` }).optional();

/** `/` and `/api/overview`. */
export const overviewParams = z.object({
  page: count(1, 1_000_000),
  per: count(10, 500),
  sort: oneOf(SORTS),
  tag: name,
  cause: z
    .enum(CAUSE_NAMES, { error: "takes a cause name (see docs/causes.md)" })
    .or(z.literal(""))
    .optional(),
  vantage: name,
  status: oneOf(STATUSES).or(z.literal("")),
  q: name,
});
export type OverviewParams = z.output<typeof overviewParams>;

/** `/target/NAME`, `/compare/NAME` and their `/api`. */
export const targetParams = z.object({ vantage: name, since });
export type TargetParams = z.output<typeof targetParams>;

/** A kept trace's time in its path: epoch ms. */
export const traceTime = z
  .string()
  .regex(/^\d{1,15}$/, "takes the trace's time in epoch milliseconds (a link on the target page)")
  .transform(Number);

/** Parse, or the message a 400 carries: `page: "x" takes a whole number from 1 to 1000000`. */
export function parse<S extends z.ZodType>(
  schema: S,
  input: Record<string, string>,
): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? "query");
  const value = input[key];
  const shown = value === undefined ? "" : ` ${JSON.stringify(value.slice(0, 80))}`;
  return { ok: false, message: `${key}${shown}: ${issue.message}` };
}
