/** @module The one rule of `putTargets` both stores share: a vantage records only its own targets. */
import { TeldocError } from "../../errors.js";
import type { TargetInfo } from "./types.js";

/** Every target given to putTargets must be the vantage's own (TELDOC_ERR_INVALID_ARGUMENT). */
export function checkVantage(vantage: string, targets: readonly TargetInfo[]): void {
  const other = targets.find((t) => t.vantage !== vantage);
  if (other)
    throw new TeldocError(
      "TELDOC_ERR_INVALID_ARGUMENT",
      `putTargets("${vantage}"): target "${other.name}" belongs to vantage "${other.vantage}"`,
    );
}
