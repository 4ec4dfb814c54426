/** @module server-check's door: the command's engine, its report type and its pure parts. */
export { parseAddress } from "./address.js";
export { clientCause, type ServerCheckOptions, serverCheck, serverChecks } from "./server-check.js";
export {
  SERVER_CHECK_IDS,
  type ServerCheck,
  type ServerCheckId,
  type ServerCheckReport,
} from "./types.js";
