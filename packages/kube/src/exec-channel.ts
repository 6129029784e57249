/**
 * The exec channel protocol over a WebSocket (`v5.channel.k8s.io`, falling back to `v4`): every
 * binary message starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 status (a JSON
 * Status), 4 resize, 255 close (v5 only: "channel N is done").
 *
 * Why not client-node's `Exec`: it resolves when the socket opens rather than when the command
 * ends; on a v5 close frame it ends the *process's* stdout/stderr (its default streams) and then
 * throws "Unknown stream: 255" inside the socket's message handler; on v4 it closes the whole socket
 * when stdin ends, losing the output and the exit status; it applies no backpressure to stdin; and a
 * refused upgrade surfaces without the Status body. This module speaks the same protocol over the
 * connection exec-socket.ts opens (its own reader for direct connections, `ws` behind a proxy),
 * authenticated by client-node's KubeConfig. Output is handed on as it arrives, message pieces
 * included, without assembling messages. (client-node 2.0.1 itself offers v5 first, then v4, v3,
 * v2 and channel.k8s.io; we offer v5 and v4, whose status channel carries the exit code.)
 */
import { ErrorCodes } from "@quiesce/core";
import type WebSocket from "ws";
import type { ExecOptions } from "./cluster.js";
import { KubeApiError, type RequestFacts } from "./errors.js";
import {
  type DirectTarget,
  type ExecSocket,
  type ExecSocketHandlers,
  openDirectExecSocket,
  openWsExecSocket,
} from "./exec-socket.js";
import { type ResolvedHeartbeat, startHeartbeat } from "./heartbeat.js";
import { isConnectionReset } from "./retry.js";
import { type KubeStatus, parseStatus, parseStatusFrame } from "./status.js";

/** Subprotocols offered, best first. v5 adds the close frame, so stdin EOF can be signalled. */
export const EXEC_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE = 255;
/** Most bytes of a status message kept (a Status is a small JSON object). */
const MAX_STATUS_BYTES = 64 * 1024;

/** How to reach the API server: directly, or through `ws` with an agent (a proxy). */
export type ExecConnection =
  | { kind: "direct"; target: DirectTarget }
  | { kind: "ws"; url: string; wsOptions: WebSocket.ClientOptions };

/** What a session needs. */
export interface ExecChannelOptions {
  connection: ExecConnection;
  stdin?: ExecOptions["stdin"];
  /** Output as it arrives; a chunk is only valid during the call (the read buffer is reused). */
  onStdout: (chunk: Buffer) => void;
  onStderr: (chunk: Buffer) => void;
  signal: AbortSignal;
  facts: RequestFacts;
  /** Subprotocols to offer (default {@link EXEC_PROTOCOLS}). */
  protocols?: readonly string[] | undefined;
  /** Ping/pong liveness; also bounds the wait for the upgrade's answer. Undefined: none. */
  heartbeat?: ResolvedHeartbeat | undefined;
}

/** Why an exec session ended without a status when its connection went silent. */
export const CONNECTION_LOST = "exec connection lost";

/** The end of a session: the Status from channel 3 and the negotiated subprotocol. */
export interface ExecChannelEnd {
  status: KubeStatus;
  protocol: string;
}

/**
 * Runs one exec session and resolves with the status frame. Rejects with `signal.reason` when
 * aborted (the socket is closed at once), with a KubeApiError carrying the Status when the upgrade
 * is refused, and with a QUIESCE_KUBE_API error "exec stream ended without a status" when the
 * connection ends before the status frame (the command's fate is then unknown). With a heartbeat,
 * a connection silent for `heartbeat.timeoutMs` (no pong, no frame) — or an upgrade not answered
 * within it — is closed and the session rejects with QUIESCE_KUBE_CONNECTION_LOST.
 */
export function runExecChannel(options: ExecChannelOptions): Promise<ExecChannelEnd> {
  const { signal, facts } = options;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<ExecChannelEnd>((resolve, reject) => {
    const { heartbeat } = options;
    const protocols = options.protocols ?? EXEC_PROTOCOLS;
    let settled = false;
    let opened = false;
    let protocol = "";
    let received = 0;
    let beat: { heard(): void; stop(): void } | undefined;
    // The channel of the message in progress (-1: its first byte has not arrived yet).
    let channel = -1;
    let statusParts: Buffer[] = [];
    let stdinError: unknown;
    let statusBytes = 0;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      beat?.stop();
      signal.removeEventListener("abort", onAbort);
      fn();
    };
    const lost = (silentMs: number, upgraded: boolean) => {
      const explanation = `${
        upgraded
          ? `${CONNECTION_LOST}: nothing heard for ${silentMs}ms (no pong to pings every ${heartbeat?.intervalMs}ms)`
          : `${CONNECTION_LOST}: the exec upgrade got no answer within ${heartbeat?.timeoutMs}ms`
      }; the command may still be running`;
      return new KubeApiError(
        facts,
        { text: explanation },
        {
          code: ErrorCodes.KUBE_CONNECTION_LOST,
          details: {
            why: CONNECTION_LOST,
            explanation,
            upgraded,
            silentMs,
            heartbeatIntervalMs: heartbeat?.intervalMs,
            heartbeatTimeoutMs: heartbeat?.timeoutMs,
            receivedBytes: received,
            possiblyStillRunning: true,
          },
        },
      );
    };
    const onAbort = () => {
      finish(() => reject(signal.reason));
      socket.terminate();
    };
    signal.addEventListener("abort", onAbort, { once: true });

    const onStatus = (payload: Buffer) => {
      const status = parseStatusFrame(payload) ?? {
        status: "Failure",
        message: `unreadable status: ${payload.toString("utf8")}`,
      };
      const end = { status, protocol };
      finish(() => resolve(end));
      socket.close(1000);
    };
    const handlers: ExecSocketHandlers = {
      open(negotiated) {
        opened = true;
        protocol = negotiated;
        if (heartbeat) {
          beat = startHeartbeat(
            () => socket.ping(),
            heartbeat,
            (silentMs) => {
              finish(() => reject(lost(silentMs, true)));
              socket.terminate();
            },
          );
        }
        if (options.stdin !== undefined) {
          pumpStdin(socket, () => protocol, options.stdin, signal).catch((err: unknown) => {
            stdinError = err;
            socket.terminate();
          });
        }
      },
      heard() {
        beat?.heard();
      },
      data(piece, binary, first, last) {
        if (!binary) return;
        let bytes = piece;
        if (first) channel = -1;
        if (channel === -1 && bytes.length > 0) {
          channel = bytes[0] as number;
          bytes = bytes.subarray(1);
        }
        received += bytes.length;
        if (channel === STDOUT) {
          if (bytes.length > 0) options.onStdout(bytes);
        } else if (channel === STDERR) {
          if (bytes.length > 0) options.onStderr(bytes);
        } else if (channel === STATUS) {
          // A Status is small; its pieces are copied (the read buffer is reused) up to a bound.
          if (statusBytes < MAX_STATUS_BYTES) {
            const part = bytes.subarray(0, MAX_STATUS_BYTES - statusBytes);
            statusParts.push(Buffer.from(part));
            statusBytes += part.length;
          }
          if (last) {
            const payload = Buffer.concat(statusParts);
            statusParts = [];
            statusBytes = 0;
            onStatus(payload);
          }
        }
        // CLOSE (v5, channel 255): the server finished a channel; the status message follows.
      },
      refused(statusCode, text) {
        finish(() => reject(new KubeApiError(facts, { statusCode, status: parseStatus(text), text })));
      },
      closed({ code, reason, error: socketError }) {
        const error = socketError ?? stdinError;
        if (!opened && heartbeat && isHandshakeTimeout(error)) {
          finish(() => reject(lost(heartbeat.timeoutMs, false)));
          return;
        }
        finish(() => {
          const dropped = error !== undefined && isConnectionReset(error);
          reject(
            new KubeApiError(
              facts,
              { text: "exec stream ended without a status" },
              {
                cause: error ?? new Error(`websocket closed (${code}${reason.length ? ` ${reason}` : ""})`),
                details: {
                  why: "exec stream ended without a status",
                  closeCode: code,
                  closeReason: reason,
                  receivedBytes: received,
                  connectionReset: dropped,
                  possiblyStillRunning: true,
                },
              },
            ),
          );
        });
      },
    };
    // An upgrade that is never answered (a hung proxy or API server) fails like a silent session.
    const handshakeTimeout = heartbeat?.timeoutMs;
    const socket: ExecSocket =
      options.connection.kind === "direct"
        ? openDirectExecSocket(options.connection.target, protocols, handshakeTimeout, handlers)
        : openWsExecSocket(
            options.connection.url,
            options.connection.wsOptions,
            protocols,
            handshakeTimeout,
            handlers,
          );
  });
}

// ws reports an unanswered upgrade (its handshakeTimeout) with this message.
function isHandshakeTimeout(err: unknown): boolean {
  return err instanceof Error && /opening handshake has timed out/i.test(err.message);
}

async function pumpStdin(
  socket: ExecSocket,
  protocol: () => string,
  stdin: NonNullable<ExecOptions["stdin"]>,
  signal: AbortSignal,
): Promise<void> {
  let open = true;
  const message = (payload: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      // The callback fires once the message is written: natural backpressure for large inputs.
      socket.send(payload, (err) => {
        if (err) {
          open = false;
          reject(err);
        } else resolve();
      });
    });
  const send = (chunk: Uint8Array) => {
    const payload = Buffer.allocUnsafe(chunk.byteLength + 1);
    payload[0] = STDIN;
    payload.set(chunk, 1);
    return message(payload);
  };
  if (typeof stdin === "string") await send(Buffer.from(stdin, "utf8"));
  else if (stdin instanceof Uint8Array) await send(stdin);
  else {
    for await (const chunk of stdin) {
      if (signal.aborted || !open) return;
      if (chunk.byteLength > 0) await send(chunk);
    }
  }
  // v5 can say "stdin is done"; v4 cannot without closing the whole session, so stdin stays open there.
  if (protocol() === "v5.channel.k8s.io" && open) await message(Buffer.from([CLOSE, STDIN]));
}
