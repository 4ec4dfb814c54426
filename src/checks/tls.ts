/**
 * @module Is this port TLS? A server that says nothing, then closes when we press Enter (or
 * never speaks at all), may be waiting for a TLS ClientHello. One handshake attempt settles it:
 * a completed handshake or a TLS alert means TLS; anything else means not.
 */
import { connect } from "node:tls";
import { type Clock, systemClock } from "../session/clock.js";

export type TlsProbe =
  | {
      readonly tls: true;
      readonly protocol?: string;
      readonly subject?: string;
      readonly alert?: string;
    }
  | { readonly tls: false; readonly why: string };

/**
 * Try a TLS handshake (any certificate accepted: this only asks what the port speaks).
 * @example (await probeTls("127.0.0.1", 992, 2000)).tls // true for telnets
 */
export function probeTls(
  address: string,
  port: number,
  timeoutMs: number,
  clock: Clock = systemClock,
): Promise<TlsProbe> {
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({
      host: address,
      port,
      rejectUnauthorized: false,
      servername: undefined,
    });
    const finish = (r: TlsProbe) => {
      if (done) return;
      done = true;
      timer.cancel();
      socket.destroy();
      resolve(r);
    };
    // The connecting socket keeps the process alive while the timer waits.
    const timer = clock.after(timeoutMs, () => finish({ tls: false, why: "no handshake answer" }));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const subject = cert && typeof cert.subject === "object" ? cert.subject.CN : undefined;
      finish({
        tls: true,
        ...(socket.getProtocol() ? { protocol: socket.getProtocol() ?? undefined } : {}),
        ...(subject ? { subject: String(subject) } : {}),
      });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      // An alert from the server is TLS talking; a reset or wrong version is not.
      const alert = /alert/i.test(err.message) && !/wrong version/i.test(err.message);
      finish(
        alert ? { tls: true, alert: err.message } : { tls: false, why: err.code ?? err.message },
      );
    });
  });
}
