/**
 * @module Test support: a tiny DNS server on loopback UDP, so the dns check's answers, NXDOMAIN
 * and resolver timeouts are tested without any query leaving the machine. It answers A and AAAA
 * from a table, NXDOMAIN for other names, or nothing at all (`silent`); `delayMs` slows it.
 */
import { createSocket, type Socket } from "node:dgram";
import { isIPv4 } from "node:net";

export interface FakeDns {
  /** `127.0.0.1:PORT`, for Resolver.setServers / DiagnoseOptions.resolvers. */
  readonly server: string;
  /** Names asked, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i];
    labels.push(msg.toString("latin1", i + 1, i + 1 + len));
    i += 1 + len;
  }
  return { name: labels.join(".").toLowerCase(), end: i + 1 };
}

function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split(".").map(Number));
  const [head, tail = ""] = address.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const b = Buffer.alloc(16);
  for (const [k, g] of groups.entries()) b.writeUInt16BE(Number.parseInt(g || "0", 16), k * 2);
  return b;
}

/**
 * Start the server.
 * @example const dns = await startFakeDns({ "router.test": { A: ["127.0.0.1"] } });
 */
export async function startFakeDns(
  table: Readonly<Record<string, { A?: readonly string[]; AAAA?: readonly string[] }>>,
  options: { silent?: boolean; delayMs?: number } = {},
): Promise<FakeDns> {
  const socket: Socket = createSocket("udp4");
  const asked: string[] = [];
  socket.on("message", (msg, rinfo) => {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    if (end + 4 > msg.length) return;
    asked.push(name);
    if (options.silent) return;
    const qtype = msg.readUInt16BE(end);
    const entry = table[name];
    const records = entry ? ((qtype === 1 ? entry.A : qtype === 28 ? entry.AAAA : []) ?? []) : [];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    const rd = msg[2] & 0x01;
    header[2] = 0x80 | rd; // QR, RD as asked
    header[3] = 0x80 | (entry ? 0 : 3); // RA; NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const question = msg.subarray(12, end + 4);
    const answers = records.map((address) => {
      const rdata = ipBytes(address);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    const reply = Buffer.concat([header, question, ...answers]);
    setTimeout(() => socket.send(reply, rinfo.port, rinfo.address), options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    asked,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
