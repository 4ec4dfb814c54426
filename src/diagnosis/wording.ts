/** @module Families of wording, as data: what a refusal means when no known server's message matches it (the fallback after messages.ts). */
import type { Cause } from "../trace/events.js";
import { lineOf } from "./text.js";

/** Words that say why a server will not serve, whoever wrote them. */
export interface WordingFamily {
  /** Stable id. */
  readonly id: string;
  readonly cause: Extract<Cause, "acl-rejected" | "service-unavailable">;
  /** How the evidence names it: `wording of the family "too many / limit"`. */
  readonly name: string;
  /** Case-insensitive, never global. */
  readonly pattern: RegExp;
  /** Wording no row of messages.ts knows, that the family must classify (tests check each). */
  readonly examples: readonly string[];
}

/**
 * The families, in the order they are tried: the specific reasons (a limit, busy, maintenance,
 * going down) before the bare verbs of refusal (denied, refused), and "try again later",
 * which goes with either, last. Only a server's words before any login, right before it
 * closes, are read this way (reason.ts); anywhere else these words are ordinary text.
 */
export const WORDING_FAMILIES: readonly WordingFamily[] = [
  {
    id: "too-many",
    cause: "service-unavailable",
    name: "too many / limit",
    pattern:
      /\btoo many\b|\blimits?\b|\bmax(?:imum)?\b[^\n]{0,40}\b(?:reached|exceeded|hit)\b|\bexceed(?:s|ed)?\b/i,
    examples: [
      "Too many telnet sessions from your address (limit 1). Try again later.",
      "Connection limit reached for 198.51.100.23",
      "Max sessions (4) reached, bye.",
    ],
  },
  {
    id: "busy",
    cause: "service-unavailable",
    name: "busy / full",
    pattern:
      /\bbusy\b|\b(?:is|are|all) (?:\w+ )?full\b|\bno (?:free|available|more|spare) (?:lines?|ports?|slots?|sessions?|connections?|terminals?)\b|\bout of (?:lines|ports|slots|sessions|terminals)\b|\boverloaded\b/i,
    examples: ["All ports are busy.", "No free lines, call back later.", "Node overloaded"],
  },
  {
    id: "maintenance",
    cause: "service-unavailable",
    name: "maintenance",
    pattern: /\bmaintenance\b/i,
    examples: ["Maintenance window in progress, back at 14:00 UTC."],
  },
  {
    id: "going-down",
    cause: "service-unavailable",
    name: "shutting down",
    pattern:
      /\bshutting down\b|\b(?:going|goes) down\b|\bshut ?down\b|\b(?:rebooting|restarting)\b/i,
    examples: ["Node is rebooting, come back in 5 minutes.", "BBS shutdown in progress"],
  },
  {
    id: "not-allowed",
    cause: "acl-rejected",
    name: "not allowed / not authorized",
    pattern: /\bnot (?:allowed|permitted|authori[sz]ed)\b|\bunauthori[sz]ed\b|\bforbidden\b/i,
    examples: ["Your network is not permitted here.", "Unauthorized host 198.51.100.23"],
  },
  {
    id: "not-welcome",
    cause: "acl-rejected",
    name: "not welcome / banned",
    pattern: /\bnot welcome\b|\bbanned\b|\bblock(?:ed|listed)\b|\bblacklisted\b/i,
    examples: ["Your site is banned from this MUD.", "198.51.100.23 is blocklisted"],
  },
  {
    id: "denied",
    cause: "acl-rejected",
    name: "denied / refused",
    pattern: /\bden(?:ied|y)\b|\brefuse[ds]?\b|\brejected\b/i,
    examples: ["Telnet from your host denied.", "Connection rejected."],
  },
  {
    id: "try-later",
    cause: "service-unavailable",
    name: "try again later",
    pattern:
      /\b(?:try|retry|call back|come back)(?: again)? (?:later|in \d+|soon)\b|\b(?:temporarily|currently) (?:not available|unavailable)\b|\bunavailable\b/i,
    examples: ["Please come back later.", "Service temporarily unavailable"],
  },
];

/** A family found in some text, with the line it was found on. */
export interface FamilyMatch {
  readonly family: WordingFamily;
  readonly line: string;
}

/**
 * The first family (in WORDING_FAMILIES's order) whose wording is in `text`.
 * @example findFamily("Too many telnet sessions (limit 1).")?.family.name // "too many / limit"
 */
export function findFamily(
  text: string,
  families: readonly WordingFamily[] = WORDING_FAMILIES,
): FamilyMatch | undefined {
  for (const family of families) {
    const line = lineOf(text, family.pattern);
    if (line !== undefined) return { family, line };
  }
  return undefined;
}
