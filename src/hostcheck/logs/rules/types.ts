/** @module The shape of a rule: a finished session's facts → a verdict, or undefined. */
import type { SessionFacts, Verdict } from "../types.js";

export type LogRule = (f: SessionFacts) => Verdict | undefined;
