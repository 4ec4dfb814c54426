/** @module `teldoc demo`: its options and help. */
import { type GlobalFlags, jsonOption } from "./common.js";
import type { CommandSpec, FlagsOf } from "./table.js";

const DEMO_OPTIONS = { json: jsonOption("print the results as one JSON object") } as const;

export type DemoFlags = FlagsOf<typeof DEMO_OPTIONS> & GlobalFlags;

export const DEMO = {
  name: "demo",
  description: "show teldoc at work: sessions against the built-in lab, each diagnosed",
  options: DEMO_OPTIONS,
} as const satisfies CommandSpec;
