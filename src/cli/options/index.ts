/**
 * @module Every command's options as one typed table each (table.ts), shared ones declared once
 * (common.ts). Light on purpose: main.ts builds the program from these before any command's
 * engine is loaded.
 */
export { type GlobalFlags, PROGRAM } from "./common.js";
export { CONNECT, CONNECT_OPTIONS, type ConnectFlags } from "./connect.js";
export { DEMO, type DemoFlags } from "./demo.js";
export { DIAGNOSE, type DiagnoseFlags } from "./diagnose.js";
export { LAB, LAB_OPTIONS, LAB_SCENARIO_OPTIONS, type LabFlags, SCENARIO_ARGUMENT } from "./lab.js";
export { LOGS, type LogsFlags } from "./logs.js";
export {
  MONITOR,
  MONITOR_CHECK,
  MONITOR_EXPORT,
  MONITOR_IMPORT,
  MONITOR_REPORT,
  type MonitorExportFlags,
  type MonitorFlags,
  type MonitorImportFlags,
  type MonitorReportFlags,
} from "./monitor.js";
export { SERVER_CHECK, type ServerCheckFlags } from "./server-check.js";
export {
  addOptions,
  type CommandSpec,
  defineCommand,
  type FlagsOf,
  type OptionSpec,
} from "./table.js";
export {
  TRACE,
  TRACE_DIAGNOSE,
  TRACE_SHOW,
  type TraceDiagnoseFlags,
  type TraceShowFlags,
} from "./trace.js";
