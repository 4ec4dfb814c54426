/**
 * @module A pcapng writer for a Telnet session (pcapng: IETF draft-ietf-opsawg-pcapng). From the
 * trace events it synthesizes Ethernet/IP/TCP around the bytes really read and written: the real
 * addresses, ports and times, a three-way handshake at `connected`, sequence and
 * acknowledgement numbers that follow the bytes, FIN and RST where they happened. Wireshark
 * dissects it as Telnet (port 23 at once; another port with Decode As, or
 * `tshark -d tcp.port==PORT,telnet`). A masked write (a password line) becomes a segment whose
 * payload is the placeholder `********` with a packet comment saying so: sequence numbers
 * follow the bytes in the file, so the capture stays consistent and carries no secret.
 * Pure: events in, bytes out.
 */
import type { TraceEvent } from "./events.js";

const MAX_SEGMENT = 16_384;
const CLIENT_MAC = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
const SERVER_MAC = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x02]);
const FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;
/** The packet comment (opt_comment) on a masked write. */
export const MASKED_COMMENT =
  "teldoc: a secret line (password) was sent here; the payload is a placeholder, the real bytes and length are not recorded";

interface Flow {
  clientIp: Buffer;
  serverIp: Buffer;
  v6: boolean;
  clientPort: number;
  serverPort: number;
  clientSeq: number;
  serverSeq: number;
}

/**
 * Turns trace events into pcapng blocks.
 * @example
 * const w = new PcapngWriter(Date.now());
 * out.write(w.header());
 * for (const e of events) for (const b of w.blocks(e)) out.write(b);
 */
export class PcapngWriter {
  private flow: Flow | undefined;
  private finSent = { client: false, server: false };

  constructor(private readonly startEpochMs: number) {}

  /** Section header and interface description: the first bytes of the file. */
  header(comment?: string): Buffer {
    const shbBody = Buffer.alloc(16);
    shbBody.writeUInt32LE(0x1a2b3c4d, 0);
    shbBody.writeUInt16LE(1, 4);
    shbBody.writeUInt16LE(0, 6);
    shbBody.writeBigInt64LE(-1n, 8);
    const opts = comment
      ? Buffer.concat([option(1, Buffer.from(comment, "utf8")), option(0, Buffer.alloc(0))])
      : Buffer.alloc(0);
    const idbBody = Buffer.alloc(8);
    idbBody.writeUInt16LE(1, 0); // LINKTYPE_ETHERNET
    idbBody.writeUInt32LE(262_144, 4);
    const tsresol = Buffer.concat([option(9, Buffer.from([6])), option(0, Buffer.alloc(0))]); // microseconds
    return Buffer.concat([
      block(0x0a0d0d0a, Buffer.concat([shbBody, opts])),
      block(1, Buffer.concat([idbBody, tsresol])),
    ]);
  }

  /** The packets one event stands for (none for most events). */
  blocks(e: TraceEvent): Buffer[] {
    if (e.type === "connected") {
      const clientIp = ipBytes(e.local.address);
      const serverIp = ipBytes(e.remote.address);
      if (!clientIp || !serverIp) return [];
      this.flow = {
        clientIp,
        serverIp,
        v6: clientIp.length === 16,
        clientPort: e.local.port,
        serverPort: e.remote.port,
        clientSeq: 0x1000,
        serverSeq: 0x8000,
      };
      const t = e.t - e.durationMs;
      const syn = this.packet(t, "client", FLAG.SYN, Buffer.alloc(0), false);
      this.flow.clientSeq++;
      const synAck = this.packet(
        t + e.durationMs / 2,
        "server",
        FLAG.SYN | FLAG.ACK,
        Buffer.alloc(0),
      );
      this.flow.serverSeq++;
      return [syn, synAck, this.packet(e.t, "client", FLAG.ACK, Buffer.alloc(0))];
    }
    const f = this.flow;
    if (!f) return [];
    switch (e.type) {
      case "read":
      case "write": {
        const from = e.type === "read" ? "server" : "client";
        const bytes = Buffer.from(e.hex, "hex");
        const out: Buffer[] = [];
        const comment = e.type === "write" && e.masked ? MASKED_COMMENT : undefined;
        for (let i = 0; i < bytes.length; i += MAX_SEGMENT) {
          const payload = bytes.subarray(i, i + MAX_SEGMENT);
          out.push(this.packet(e.t, from, FLAG.PSH | FLAG.ACK, payload, true, comment));
        }
        return out;
      }
      case "fin":
        return this.fin(e.t, "server");
      case "local-close":
        return this.fin(e.t, "client");
      case "socket-error":
        return e.code === "ECONNRESET"
          ? [this.packet(e.t, "server", FLAG.RST | FLAG.ACK, Buffer.alloc(0))]
          : [];
      case "closed":
        return e.by === "remote" && this.finSent.server && !this.finSent.client
          ? this.fin(e.t, "client")
          : [];
      default:
        return [];
    }
  }

  private fin(t: number, from: "client" | "server"): Buffer[] {
    if (this.finSent[from]) return [];
    this.finSent[from] = true;
    const p = this.packet(t, from, FLAG.FIN | FLAG.ACK, Buffer.alloc(0));
    if (from === "client") this.flow!.clientSeq++;
    else this.flow!.serverSeq++;
    return [p];
  }

  /** One Enhanced Packet Block; advances the sender's sequence number by the payload. */
  private packet(
    t: number,
    from: "client" | "server",
    flags: number,
    payload: Buffer,
    ack = true,
    comment?: string,
  ): Buffer {
    const f = this.flow!;
    const c2s = from === "client";
    const tcp = tcpHeader(
      c2s ? f.clientPort : f.serverPort,
      c2s ? f.serverPort : f.clientPort,
      c2s ? f.clientSeq : f.serverSeq,
      ack ? (c2s ? f.serverSeq : f.clientSeq) : 0,
      flags,
    );
    const src = c2s ? f.clientIp : f.serverIp;
    const dst = c2s ? f.serverIp : f.clientIp;
    tcp.writeUInt16BE(tcpChecksum(src, dst, tcp, payload), 16);
    const ip = f.v6
      ? ipv6Header(src, dst, tcp.length + payload.length)
      : ipv4Header(src, dst, tcp.length + payload.length);
    const eth = Buffer.concat([
      c2s ? SERVER_MAC : CLIENT_MAC,
      c2s ? CLIENT_MAC : SERVER_MAC,
      Buffer.from(f.v6 ? [0x86, 0xdd] : [0x08, 0x00]),
    ]);
    const frame = Buffer.concat([eth, ip, tcp, payload]);
    if (c2s) f.clientSeq = (f.clientSeq + payload.length) >>> 0;
    else f.serverSeq = (f.serverSeq + payload.length) >>> 0;
    const us = BigInt(Math.round((this.startEpochMs + t) * 1000));
    const head = Buffer.alloc(20);
    head.writeUInt32LE(0, 0);
    head.writeUInt32LE(Number(us >> 32n), 4);
    head.writeUInt32LE(Number(us & 0xffffffffn), 8);
    head.writeUInt32LE(frame.length, 12);
    head.writeUInt32LE(frame.length, 16);
    const opts = comment
      ? [option(1, Buffer.from(comment, "utf8")), option(0, Buffer.alloc(0))]
      : [];
    return block(6, Buffer.concat([head, pad4(frame), ...opts]));
  }
}

function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(len, 4);
  body.copy(out, 8);
  out.writeUInt32LE(len, len - 4);
  return out;
}

function option(code: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(code, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, pad4(value)]);
}

function pad4(b: Buffer): Buffer {
  const extra = (4 - (b.length % 4)) % 4;
  return extra === 0 ? b : Buffer.concat([b, Buffer.alloc(extra)]);
}

/** An IPv4 or IPv6 literal as bytes (IPv4-mapped IPv6 becomes IPv4). */
export function ipBytes(address: string): Buffer | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1] : address;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) return Buffer.from(v4.slice(1).map(Number));
  if (!a.includes(":")) return undefined;
  const [headPart, tailPart] = a.split("::");
  const parse = (s: string | undefined) => (s ? s.split(":").filter((x) => x !== "") : []);
  const head = parse(headPart);
  const tail = tailPart === undefined ? [] : parse(tailPart);
  const groups = [...head, ...new Array(8 - head.length - tail.length).fill("0"), ...tail];
  if (groups.length !== 8) return undefined;
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(Number.parseInt(groups[i], 16) & 0xffff, i * 2);
  return out;
}

function tcpHeader(sport: number, dport: number, seq: number, ack: number, flags: number): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return h;
}

function ipv4Header(src: Buffer, dst: Buffer, payloadLength: number): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(Math.min(65535, 20 + payloadLength), 2);
  h[6] = 0x40; // don't fragment
  h[8] = 64;
  h[9] = 6;
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(checksum([h]), 10);
  return h;
}

function ipv6Header(src: Buffer, dst: Buffer, payloadLength: number): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(payloadLength, 4);
  h[6] = 6;
  h[7] = 64;
  src.copy(h, 8);
  dst.copy(h, 24);
  return h;
}

function tcpChecksum(src: Buffer, dst: Buffer, tcp: Buffer, payload: Buffer): number {
  const len = tcp.length + payload.length;
  const pseudo = src.length === 4 ? Buffer.alloc(12) : Buffer.alloc(40);
  if (src.length === 4) {
    src.copy(pseudo, 0);
    dst.copy(pseudo, 4);
    pseudo[9] = 6;
    pseudo.writeUInt16BE(len, 10);
  } else {
    src.copy(pseudo, 0);
    dst.copy(pseudo, 16);
    pseudo.writeUInt32BE(len, 32);
    pseudo[39] = 6;
  }
  return checksum([pseudo, tcp, payload]);
}

/** The Internet checksum (RFC 1071) over buffers laid end to end. */
function checksum(parts: Buffer[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
