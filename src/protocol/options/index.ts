/** @module Codecs for the subnegotiated options. */
export * from "./charset.js";
export * from "./describe.js";
export * from "./linemode.js";
export * from "./mud.js";
export * from "./naws.js";
export * from "./new-environ.js";
export * from "./status.js";
export * from "./tspeed.js";
export * from "./ttype.js";
