/** @module The lab's defaults, in one place. */
import type { LabConfig } from "./types.js";

export const LAB_DEFAULTS: LabConfig = {
  user: "demo",
  password: "demo",
  tries: 3,
  loginTimeoutMs: 60_000,
  idleTimeoutMs: 300_000,
  message: undefined,
  variant: undefined,
  limit: 2,
  banner: "teldoc lab - a Telnet server that ends sessions on purpose",
  motd: "",
  hostname: "lab",
  afterMs: 1000,
};
