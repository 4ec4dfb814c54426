/** @module Rules for servers that accept and then will not serve: wrong-service, acl-rejected, service-unavailable. */
import {
  at,
  closedByServer,
  closeWord,
  diagnoseCommand,
  dur,
  firstLine,
  hostOf,
  said,
  serverCheckAdvice,
  spacedHex,
} from "../format.js";
import { detectProtocol, textHex } from "../protocols.js";
import { statedReason } from "../reason.js";
import type { Candidate, Rule, SessionSummary } from "../types.js";

/** A close this soon after connect, with no text, is an access rule at work (tcpd, xinetd, ACL). */
const QUICK_CLOSE_MS = 1500;
/**
 * tcp wrappers (tcpd, libwrap's clean_exit()) hold a denied connection 5 s, sending nothing,
 * before closing; this is that hold with room for a loaded host.
 */
const TCPD_HOLD_MAX_MS = 7000;

/** True when the server closed soon after accepting, having sent no text and little negotiation. */
function silentQuickClose(s: SessionSummary): boolean {
  return (
    s.connectedAt !== undefined &&
    closedByServer(s) &&
    s.firstServerDataAt === undefined &&
    s.optionsSeen <= 2 &&
    s.endAt - s.connectedAt <= QUICK_CLOSE_MS
  );
}

/**
 * True when the server accepted, never sent a single byte (no text, no Telnet negotiation,
 * which every telnetd sends at once) and closed within tcpd's deny hold: tcp wrappers at work.
 * Covers silentQuickClose() and the slower tcpd case (FIN, or RST when our negotiation was
 * left unread, ~5 s after connect).
 */
export function silentDenyHold(s: SessionSummary): boolean {
  return (
    s.connectedAt !== undefined &&
    closedByServer(s) &&
    s.firstServerDataAt === undefined &&
    s.optionsSeen === 0 &&
    s.bytesIn === 0 &&
    s.endAt - s.connectedAt <= TCPD_HOLD_MAX_MS
  );
}

function quickCloseEvidence(s: SessionSummary): string[] {
  const after = s.endAt - (s.connectedAt ?? 0);
  return [
    `connected ${at(s.connectedAt ?? 0)}; the server closed (${closeWord(s)}) ${dur(after)} later`,
    s.optionsSeen === 0
      ? "no text and no option negotiation from the server"
      : `no text and only ${s.optionsSeen} option message(s) from the server`,
  ];
}

/**
 * The first server bytes belong to another protocol (SSH, HTTP, TLS, SMTP, FTP, POP3, IMAP, VNC...).
 * @example wrongService(summarize(sshBannerTrace), [])?.summary // "Port 23 answers with SSH ..."
 */
export const wrongService: Rule = (s) => {
  const p = detectProtocol(s.firstServerText, s.firstReadHex);
  if (!p) return undefined;
  const shown =
    p.text?.test(s.firstServerText) === true
      ? firstLine(s.firstServerText)
      : spacedHex(s.firstReadHex ?? textHex(s.firstServerText));
  const port = s.target.port;
  return {
    cause: "wrong-service",
    confidence: p.id === "smtp-or-ftp" ? 0.85 : 0.95,
    summary: `Port ${port} answers with ${p.name}, not Telnet.`,
    evidence: [
      `first bytes from the server${s.firstServerDataAt !== undefined ? ` ${at(s.firstServerDataAt)}` : ""}: ${shown}`,
      s.optionsSeen === 0
        ? "no Telnet option negotiation from the server"
        : `${s.optionsSeen} Telnet option message(s) seen`,
      ...(closedByServer(s) ? [`the server closed (${closeWord(s)}) ${at(s.endAt)}`] : []),
    ],
    advice: [
      p.advice(hostOf(s.target), port),
      port === 23
        ? "Port 23 is Telnet's: on the server, `ss -ltnp` shows which program listens there instead of telnetd."
        : `Check the port number: Telnet is usually 23 (this was ${port}).`,
    ],
  };
};

const ACL_ADVICE = [
  "Ask the server's administrator to allow your address: tcp wrappers (/etc/hosts.allow, /etc/hosts.deny), xinetd `only_from`/`no_access`, or the device's ACL (Cisco `access-class` on `line vty`).",
  "The server's log names the rule: `refused connect from` (tcpd) or `FAIL: telnet address from=` (xinetd); on the server, `teldoc logs /var/log/auth.log /var/log/syslog` (or `teldoc logs --journal`) finds them, each session with its client address.",
  "Check the source address the server sees (NAT, VPN): it may not be the one you expect.",
];

/**
 * The server accepted, then closed at once with nothing to say, or said access is denied.
 * @example aclRejected(summarize(tcpdDenyTrace), [])?.cause // "acl-rejected"
 */
export const aclRejected: Rule = (s) => {
  const spoken = saidWhy(s, "acl-rejected");
  if (spoken) return spoken;
  if (!silentQuickClose(s)) {
    if (!silentDenyHold(s)) return undefined;
    const after = s.endAt - (s.connectedAt ?? 0);
    return {
      cause: "acl-rejected",
      confidence: 0.75,
      summary: `The server accepted the connection, sent nothing at all and closed it ${dur(after)} later: tcp wrappers (tcpd) deny this client; they hold a refused connection about 5 s before closing.`,
      evidence: [
        ...quickCloseEvidence(s),
        "zero bytes from the server: a telnetd that serves negotiates at once",
        `a silent hold of ${dur(after)} matches tcp wrappers' 5 s pause before closing a denied connection${s.transport === "rst" ? " (RST because our own negotiation was left unread)" : ""}`,
      ],
      advice: [...ACL_ADVICE, serverCheckAdvice(s)],
    };
  }
  return {
    cause: "acl-rejected",
    confidence: s.optionsSeen === 0 ? 0.8 : 0.7,
    summary: `The server accepted the connection and closed it ${dur(s.endAt - (s.connectedAt ?? 0))} later without a word: ${ACL_OR_LIMIT}.`,
    evidence: quickCloseEvidence(s),
    advice: silentCloseAdvice(s),
  };
};

/** What a silent close at once can be: the client side cannot tell these apart. */
const ACL_OR_LIMIT =
  "an access rule (tcp wrappers, only_from, an ACL) or a connection limit (xinetd instances/per_source)";

/** A silent close at once: how to tell an access rule from a limit, then what to do for each. */
function silentCloseAdvice(s: SessionSummary): string[] {
  return [
    `Tell them apart: ${diagnoseCommand(s.target, "--concurrency 3")} holds sessions open one after another; a limit serves some and closes the next the same way, an access rule closes every one.`,
    "Ask the server's administrator which it is: the log says `FAIL: telnet address from=` (xinetd only_from), `refused connect from` (tcpd), or `FAIL: telnet service_limit from=` / `FAIL: telnet per_source_limit from=` (xinetd limits).",
    "If it is a limit: close sessions left open (yours or others'), retry later, or have the limit raised (xinetd `instances`/`per_source`). If it is an access rule: have your address allowed (/etc/hosts.allow, `only_from`, `access-class` on `line vty`); check the source address the server sees (NAT, VPN).",
    serverCheckAdvice(s),
  ];
}

const BUSY_ADVICE = [
  "Retry later; the server is refusing new sessions, not you.",
  "If sessions are left over, close them (Cisco `show users` / `clear line`; on Unix `who` and end stale logins).",
  "The administrator can raise the limit (xinetd `instances`/`per_source`, `line vty 0 15`) or check the maintenance.",
];

/**
 * The server said it is busy, full, in maintenance or going down, and closed.
 * A silent quick close is also a weak candidate: xinetd closes silently over `instances`/`per_source`.
 * @example serviceUnavailable(summarize(busyTrace), [])?.cause // "service-unavailable"
 */
export const serviceUnavailable: Rule = (s) => {
  const spoken = saidWhy(s, "service-unavailable");
  if (spoken) return spoken;
  if (!silentQuickClose(s)) return undefined;
  return {
    cause: "service-unavailable",
    confidence: 0.3,
    summary: `The server closed at once without a word: ${ACL_OR_LIMIT}.`,
    evidence: quickCloseEvidence(s),
    advice: silentCloseAdvice(s),
  };
};

/** How each refusal is worded and weighed when the server says it. */
const REFUSALS = {
  "acl-rejected": {
    says: "The server refused this client",
    /** A known message, then the server closed / did not close. */
    known: [0.92, 0.6],
    /** Wording of one of the families, then the server closed / did not close. */
    family: [0.8, 0.5],
    advice: ACL_ADVICE,
  },
  "service-unavailable": {
    says: "The server would not serve",
    known: [0.9, 0.55],
    family: [0.8, 0.45],
    advice: BUSY_ADVICE,
  },
} as const;

/**
 * The one candidate for a server that said why it would not serve, right before the close:
 * a known message (high confidence) or the wording of a family (lower).
 */
function saidWhy(s: SessionSummary, cause: keyof typeof REFUSALS): Candidate | undefined {
  const r = statedReason(s);
  if (r?.cause !== cause) return undefined;
  const how = REFUSALS[cause];
  const closed = closedByServer(s);
  const [ifClosed, ifOpen] = r.message ? how.known : how.family;
  return {
    cause,
    confidence: closed ? ifClosed : ifOpen,
    summary: `${how.says}: it said "${r.line}"${closed ? ` and closed ${at(s.endAt)}` : ""}.`,
    evidence: [
      r.family
        ? `server said: "${r.line}" (wording of the family "${r.family.name}")`
        : said(r.line),
      ...(closed ? [`the server closed (${closeWord(s)}) ${at(s.endAt)}`] : []),
      r.message
        ? `message known from ${r.message.system}`
        : "said before any login: no known server prints exactly this, but the words name the reason",
    ],
    advice: [...(r.message?.advice ? [r.message.advice] : []), ...how.advice, serverCheckAdvice(s)],
  };
}

export const ACCESS_RULES = [wrongService, aclRejected, serviceUnavailable] as const;
