/**
 * Counts the TLS handshakes this process makes, and how many resumed a session, by wrapping
 * `tls.connect` (which node:https, ws and undici all call): whether exec connections resume
 * their TLS sessions is then a printed figure rather than an assumption.
 */
import tls from "node:tls";

/** Handshakes completed since the counter started (or was reset). */
export interface HandshakeCounter {
  readonly full: number;
  readonly resumed: number;
  reset(): void;
  /** Restores the original `tls.connect`. */
  stop(): void;
}

/** Starts counting; only one counter should run at a time. */
export function countTlsHandshakes(): HandshakeCounter {
  const original = tls.connect;
  let full = 0;
  let resumed = 0;
  const counting = ((...args: Parameters<typeof tls.connect>) => {
    const socket = original(...args);
    socket.once("secureConnect", () => {
      if (socket.isSessionReused()) resumed++;
      else full++;
    });
    return socket;
  }) as typeof tls.connect;
  (tls as { connect: typeof tls.connect }).connect = counting;
  return {
    get full() {
      return full;
    },
    get resumed() {
      return resumed;
    },
    reset() {
      full = 0;
      resumed = 0;
    },
    stop() {
      (tls as { connect: typeof tls.connect }).connect = original;
    },
  };
}
