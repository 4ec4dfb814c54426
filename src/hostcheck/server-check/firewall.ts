/**
 * @module A simple reading of firewall rule dumps (`iptables-save`, `ip6tables-save`, `nft list
 * ruleset`): the rules that name the TCP port, with their action and source address, and the
 * first one that applies to a client. Chains, jumps, sets and policies are not followed, so
 * the answer says it is unsure. Pure.
 */
import { type Address, inPrefix, parseAddress } from "./address.js";

export interface FirewallRule {
  readonly tool: string;
  /** Line in the dump (1-based). */
  readonly line: number;
  readonly text: string;
  readonly action: "accept" | "drop" | "reject" | "other";
  /** The source it is limited to (`-s`, `ip saddr`), as written. */
  readonly source?: string;
}

const ACTION = /(?:-j\s+|\s)(ACCEPT|DROP|REJECT|accept|drop|reject)\b/;

function mentionsPort(l: string, port: number): boolean {
  const p = String(port);
  const iptables = new RegExp(`--dports?\\s+(?:[\\d:,]*[,])?${p}(?:[,:][\\d:,]*)?(\\s|$)`);
  const nft = new RegExp(`dport\\s+(?:${p}(\\s|$)|\\{[^}]*\\b${p}\\b[^}]*\\})`);
  return iptables.test(l) || nft.test(l) || (port === 23 && /dports?\s+telnet\b/.test(l));
}

/**
 * The rules of one dump that name the port.
 * @example portRules("iptables-save", "-A INPUT -p tcp --dport 23 -j DROP\n", 23)[0]?.action // "drop"
 */
export function portRules(tool: string, text: string, port: number): FirewallRule[] {
  const out: FirewallRule[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (l.startsWith("#") || !mentionsPort(l, port)) return;
    const a = ACTION.exec(l)?.[1]?.toLowerCase();
    const src =
      /(?:^|\s)(?:-s|--source)\s+(\S+)/.exec(l)?.[1] ?? /\bip6? saddr\s+(\S+)/.exec(l)?.[1];
    out.push({
      tool,
      line: i + 1,
      text: l,
      action: a === "accept" || a === "drop" || a === "reject" ? a : "other",
      ...(src ? { source: src } : {}),
    });
  });
  return out;
}

/** Whether a rule's source covers the client (no source: everyone; a set or name: unknown). */
export function appliesTo(rule: FirewallRule, client: Address): boolean | undefined {
  if (rule.source === undefined) return true;
  const negated = rule.source.startsWith("!");
  const [addr = "", bits] = rule.source.replace(/^!/, "").split("/");
  const net = parseAddress(addr);
  if (!net) return undefined;
  const inside = inPrefix(
    client,
    net,
    bits === undefined ? (net.family === 4 ? 32 : 128) : Number(bits),
  );
  return negated ? !inside : inside;
}
