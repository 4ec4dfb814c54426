/** @module Signatures of other protocols, as data: what the first server bytes look like when the port is not Telnet. */
import { hostPort } from "./format.js";

/** One protocol's opening bytes. */
export interface ProtocolSignature {
  readonly id: string;
  /** The protocol's name, for the summary. */
  readonly name: string;
  /** Matched against the first incoming text (latin1, as received). */
  readonly text?: RegExp;
  /** Matched against the first bytes in lowercase hex (a `read` event, or the text's bytes). */
  readonly hex?: RegExp;
  /** What to do instead, for this host and port (as the user wrote the host). */
  readonly advice: (host: string, port: number) => string;
  /** An example of the opening, for tests and docs. */
  readonly example: string;
}

/** Checked in order: specific before generic. */
export const PROTOCOL_SIGNATURES: readonly ProtocolSignature[] = [
  {
    id: "ssh",
    name: "SSH",
    text: /^SSH-(?:2\.0|1\.99|1\.\d+)-/,
    advice: (host, port) =>
      `This port speaks SSH: connect with \`ssh${port !== 22 ? ` -p ${port}` : ""} ${host}\` (add \`-l NAME\` for another login name).`,
    example: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
  },
  {
    id: "http",
    name: "HTTP",
    text: /^HTTP\/\d(?:\.\d)? \d{3}/,
    advice: (host, port) =>
      `This is a web server: open http://${hostPort(host, port)}/ in a browser or use curl.`,
    example: "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n",
  },
  {
    id: "ftp",
    name: "FTP",
    text: /^220[ -][^\r\n]*(?:FTP|FileZilla)/i,
    advice: () => "This is an FTP server: use an FTP or SFTP client, or check the port number.",
    example: "220 (vsFTPd 3.0.3)\r\n",
  },
  {
    id: "smtp",
    name: "SMTP",
    text: /^220[ -][^\r\n]*(?:SMTP|Postfix|Exim|Sendmail|mail)/i,
    advice: () =>
      "This is a mail server (SMTP): check the port number; Telnet is usually on port 23.",
    example: "220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n",
  },
  {
    id: "smtp-or-ftp",
    name: "an SMTP or FTP banner",
    text: /^220[ -]/,
    advice: () =>
      "A 220 greeting is SMTP or FTP: check the port number; Telnet is usually on port 23.",
    example: "220 gateway ready\r\n",
  },
  {
    id: "pop3",
    name: "POP3",
    text: /^\+OK\b/,
    advice: () => "This is a POP3 mail server: check the port number.",
    example: "+OK Dovecot (Debian) ready.\r\n",
  },
  {
    id: "imap",
    name: "IMAP",
    text: /^\* (?:OK|PREAUTH)\b/,
    advice: () => "This is an IMAP mail server: check the port number.",
    example:
      "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+] Dovecot (Debian) ready.\r\n",
  },
  {
    id: "vnc",
    name: "VNC (RFB)",
    text: /^RFB \d{3}\.\d{3}\n/,
    advice: () => "This is a VNC server: use a VNC viewer.",
    example: "RFB 003.008\n",
  },
  {
    id: "tls",
    name: "TLS",
    hex: /^1[56]030[0-4]/,
    advice: (host, port) =>
      `This port expects TLS (for example telnets on 992, or an HTTPS/LDAPS service): use \`openssl s_client -connect ${hostPort(host, port)}\`, or check the port number.`,
    example: "\x15\x03\x03\x00\x02\x02\x32",
  },
  {
    id: "mysql",
    name: "MySQL",
    text: /is not allowed to connect to this (?:MySQL|MariaDB) server/,
    hex: /^[0-9a-f]{4}0000(?:0a3\d|ff6a04)/,
    advice: () => "This is a MySQL/MariaDB server: use the mysql client, or check the port number.",
    example: "J\x00\x00\x00\x0a8.0.36\x00",
  },
  {
    id: "redis",
    name: "Redis",
    text: /^-(?:ERR|DENIED|NOAUTH)\b/,
    advice: () => "This is a Redis server: use redis-cli, or check the port number.",
    example: "-ERR unknown command\r\n",
  },
];

/** The hex of a latin1 text's bytes. */
export function textHex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++)
    hex += (text.charCodeAt(i) & 0xff).toString(16).padStart(2, "0");
  return hex;
}

/**
 * The protocol the first server bytes belong to, if they are not Telnet.
 * @example detectProtocol("SSH-2.0-OpenSSH_9.2p1\r\n")?.name // "SSH"
 */
export function detectProtocol(
  firstText: string,
  firstHex?: string,
  signatures: readonly ProtocolSignature[] = PROTOCOL_SIGNATURES,
): ProtocolSignature | undefined {
  const hexes = [firstHex, firstText === "" ? undefined : textHex(firstText.slice(0, 64))].filter(
    (h): h is string => h !== undefined && h !== "",
  );
  return signatures.find(
    (p) => (p.text?.test(firstText) ?? false) || hexes.some((h) => p.hex?.test(h) ?? false),
  );
}
