/**
 * The exec channel protocol over a WebSocket (`v5.channel.k8s.io`, falling back to `v4`): every
 * binary frame starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 status (a JSON Status),
 * 4 resize, 255 close (v5 only: "channel N is done").
 *
 * Why not client-node's `Exec`: it resolves when the socket opens rather than when the command
 * ends; on a v5 close frame it ends the *process's* stdout/stderr (its default streams) and then
 * throws "Unknown stream: 255" inside the socket's message handler; on v4 it closes the whole socket
 * when stdin ends, losing the output and the exit status; it applies no backpressure to stdin; and a
 * refused upgrade surfaces without the Status body. This module speaks the same protocol with the
 * `ws` package (which client-node uses too), authenticated by client-node's KubeConfig.
 * (client-node 2.0.1 itself offers v5 first, then v4, v3, v2 and channel.k8s.io; we offer v5 and v4,
 * whose status channel carries the exit code.)
 */
import { ErrorCodes } from "@quiesce/core";
import WebSocket from "ws";
import type { ExecOptions } from "./cluster.js";
import { KubeApiError, type RequestFacts } from "./errors.js";
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

/** What a session needs. */
export interface ExecChannelOptions {
  url: string;
  wsOptions: WebSocket.ClientOptions;
  stdin?: ExecOptions["stdin"];
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
    const ws = new WebSocket(options.url, [...(options.protocols ?? EXEC_PROTOCOLS)], {
      ...options.wsOptions,
      perMessageDeflate: false,
      maxPayload: 256 * 1024 * 1024,
      // An upgrade that is never answered (a hung proxy or API server) fails like a silent session.
      ...(heartbeat ? { handshakeTimeout: heartbeat.timeoutMs } : {}),
    });
    let settled = false;
    let opened = false;
    let status: KubeStatus | undefined;
    let lastError: unknown;
    let received = 0;
    let beat: { heard(): void; stop(): void } | undefined;
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
      ws.terminate();
    };
    signal.addEventListener("abort", onAbort, { once: true });

    ws.on("unexpected-response", (req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        finish(() =>
          reject(new KubeApiError(facts, { statusCode: res.statusCode, status: parseStatus(text), text })),
        );
        req.destroy();
      });
      res.on("error", (err) =>
        finish(() => reject(new KubeApiError(facts, { statusCode: res.statusCode }, { cause: err }))),
      );
    });
    ws.on("open", () => {
      opened = true;
      if (heartbeat) {
        beat = startHeartbeat(ws, heartbeat, (silentMs) => {
          finish(() => reject(lost(silentMs, true)));
          ws.terminate();
        });
      }
      if (options.stdin !== undefined) {
        pumpStdin(ws, options.stdin, signal).catch((err: unknown) => {
          lastError = err;
          ws.terminate();
        });
      }
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      beat?.heard();
      if (!isBinary || data.length === 0) return;
      const channel = data[0];
      const payload = data.subarray(1);
      received += payload.length;
      if (channel === STDOUT) options.onStdout(payload);
      else if (channel === STDERR) options.onStderr(payload);
      else if (channel === STATUS) {
        status = parseStatusFrame(payload) ?? {
          status: "Failure",
          message: `unreadable status: ${payload.toString("utf8")}`,
        };
        const end = { status, protocol: ws.protocol };
        finish(() => resolve(end));
        ws.close(1000);
      }
      // CLOSE (v5, channel 255): the server finished a channel; the status frame follows.
    });
    ws.on("error", (err) => {
      lastError = err;
    });
    ws.on("close", (code, reason) => {
      if (!opened && heartbeat && isHandshakeTimeout(lastError)) {
        finish(() => reject(lost(heartbeat.timeoutMs, false)));
        return;
      }
      finish(() => {
        const dropped = lastError !== undefined && isConnectionReset(lastError);
        reject(
          new KubeApiError(
            facts,
            { text: "exec stream ended without a status" },
            {
              cause:
                lastError ??
                new Error(`websocket closed (${code}${reason.length ? ` ${reason.toString()}` : ""})`),
              details: {
                why: "exec stream ended without a status",
                closeCode: code,
                closeReason: reason.toString(),
                receivedBytes: received,
                connectionReset: dropped,
                possiblyStillRunning: true,
              },
            },
          ),
        );
      });
    });
  });
}

// ws reports an unanswered upgrade (its handshakeTimeout) with this message.
function isHandshakeTimeout(err: unknown): boolean {
  return err instanceof Error && /opening handshake has timed out/i.test(err.message);
}

async function pumpStdin(
  ws: WebSocket,
  stdin: NonNullable<ExecOptions["stdin"]>,
  signal: AbortSignal,
): Promise<void> {
  const send = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const frame = Buffer.allocUnsafe(chunk.byteLength + 1);
      frame[0] = STDIN;
      frame.set(chunk, 1);
      // The callback fires once the frame is written: natural backpressure for large inputs.
      ws.send(frame, { binary: true }, (err) => (err ? reject(err) : resolve()));
    });
  if (typeof stdin === "string") await send(Buffer.from(stdin, "utf8"));
  else if (stdin instanceof Uint8Array) await send(stdin);
  else {
    for await (const chunk of stdin) {
      if (signal.aborted || ws.readyState !== WebSocket.OPEN) return;
      if (chunk.byteLength > 0) await send(chunk);
    }
  }
  // v5 can say "stdin is done"; v4 cannot without closing the whole session, so stdin stays open there.
  if (ws.protocol === "v5.channel.k8s.io" && ws.readyState === WebSocket.OPEN) {
    ws.send(Buffer.from([CLOSE, STDIN]), { binary: true });
  }
}
