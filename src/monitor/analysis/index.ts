/** @module The monitor's analysis: rollups and failed samples in, the contract's Report out (pure). */
export {
  type AnalysisInput,
  analyse,
  type ReportBuilder,
  type ReportOptions,
  reportBuilder,
} from "./builder.js";
export { isNotable, reportMarkdown, reportText } from "./render.js";
export type * from "./types.js";
export { FINDING_KINDS } from "./types.js";
