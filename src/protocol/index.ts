/** @module The sans-I/O Telnet protocol layer: parser, encoder, negotiation, option codecs. */
export * from "./connection.js";
export * from "./constants.js";
export * from "./encoder.js";
export * from "./events.js";
export * from "./negotiator.js";
export * from "./options/index.js";
export * from "./parser.js";
export * from "./policy.js";
export * from "./q-method.js";
