/** @module teldoc's public API. */
export * from "./errors.js";
export * from "./protocol/index.js";
