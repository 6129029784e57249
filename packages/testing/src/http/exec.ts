/**
 * The pod `exec` subresource over WebSocket (v5/v4 channel protocols): stdin in, stdout/stderr out,
 * exit status on channel 3, with backpressure so large outputs stream in bounded memory.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { ApiStatusError } from "../api/errors.js";
import type { ExecStreams, ObjectStore, PodIO, StoredObject } from "../api/seams.js";
import type { Faults } from "../faults/faults.js";
import {
  CLOSE,
  errorStatus,
  exitStatus,
  negotiate,
  RESIZE,
  STATUS,
  STDERR,
  STDIN,
  STDOUT,
} from "./channels.js";
import { FramePool } from "./frame-pool.js";
import { resolveContainer } from "./log.js";
import { queryBool } from "./query.js";
import { StdinQueue } from "./stdin-queue.js";

/** Bytes queued towards the client above which the runtime is asked to wait. */
const HIGH_WATER = 4 * 1024 * 1024;

/** A validated exec request, ready to upgrade. */
export interface ExecTarget {
  namespace: string;
  pod: StoredObject;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const flag = queryBool;

/**
 * Validates an exec request before the upgrade. Throws 404 when the pod does not exist and
 * 400 BadRequest when the container is not in the pod, the pod has ended, or no command is given —
 * the API server's answers before it upgrades the connection.
 */
export function prepareExec(
  store: ObjectStore,
  namespace: string,
  name: string,
  q: URLSearchParams,
): ExecTarget {
  const podType = store.typeFor("", "v1", "pods")!;
  // Only read: the stored pod itself when the store offers it, not a deep copy per exec.
  const pod: StoredObject | undefined =
    store.peek?.(podType, namespace, name) ?? store.get(podType, namespace, name);
  if (!pod) throw ApiStatusError.notFound(podType, name);
  const container = resolveContainer(pod, q.get("container"));
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === "Succeeded" || phase === "Failed") {
    throw ApiStatusError.badRequest(
      `cannot exec into a container in a completed pod; current phase is ${phase}`,
    );
  }
  const command = q.getAll("command");
  if (command.length === 0) throw ApiStatusError.badRequest("you must specify at least 1 command");
  const target: ExecTarget = {
    namespace,
    pod,
    container,
    command,
    stdin: flag(q, "stdin"),
    stdout: flag(q, "stdout"),
    stderr: flag(q, "stderr"),
    tty: flag(q, "tty"),
  };
  if (!target.stdin && !target.stdout && !target.stderr) {
    throw ApiStatusError.badRequest("you must specify at least 1 of stdin, stdout, stderr");
  }
  return target;
}

/**
 * Accepts exec WebSockets for one API server.
 *
 * Errors are reported where client-node surfaces them: a request that cannot run at all (pod
 * missing, container unknown, pod ended, no command) is refused before the upgrade with an HTTP
 * Status body (readable through ws's `unexpected-response`); a failure once the session is open
 * (the runtime rejects, e.g. the pod stopped running) arrives as a Failure Status on channel 3,
 * as the kubelet sends it, followed by a normal close. Channel 255 is never sent to the client.
 */
export class ExecEndpoint {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => negotiate(offered),
    // Pongs are sent by hand, so that a stalled session (fault injection) can stop answering pings.
    autoPong: false,
  });
  private readonly sessions = new Set<WebSocket>();

  constructor(
    private readonly podIO: PodIO,
    private readonly faults: Faults | undefined,
  ) {}

  /** Completes the upgrade and runs the session; `silent` makes it a blackholed session from the start. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ExecTarget, silent = false): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sessions.add(ws);
      ws.on("close", () => this.sessions.delete(ws));
      void this.run(ws, target, silent);
    });
  }

  /** Ends every open session (server shutdown). */
  closeAll(): void {
    for (const ws of this.sessions) ws.terminate();
    this.wss.close();
  }

  private async run(ws: WebSocket, target: ExecTarget, silent: boolean): Promise<void> {
    const protocol = ws.protocol;
    const controller = new AbortController();
    let queued = 0;
    let drainWaiters: (() => void)[] = [];
    // cut: the connection was destroyed; stalled: it stays open, but nothing is sent, read or ponged.
    let cut = false;
    let stalled = silent;
    // A lost node: the API server still answers pings, but nothing comes from the kubelet any more.
    const node = (target.pod.spec as { nodeName?: string } | undefined)?.nodeName;
    let quiet = false;
    const nodeLost = () => (quiet ||= this.faults?.isNodeLost(node) ?? false);
    const fault = this.faults?.takeExecFault({
      namespace: target.namespace,
      pod: target.pod.metadata.name,
      container: target.container,
    });
    const counted = { stdout: 0, stderr: 0, stdin: 0 };

    const release = () => {
      if (queued > HIGH_WATER) return;
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const w of waiters) w();
    };
    const frames = new FramePool();
    const send = (channel: number, chunk: Uint8Array) => {
      if (cut || stalled || nodeLost() || ws.readyState !== ws.OPEN || chunk.length === 0) return;
      const frame = frames.take(chunk.length + 1);
      frame[0] = channel;
      frame.set(chunk, 1);
      queued += frame.length;
      ws.send(frame, { binary: true }, (err) => {
        queued -= frame.length;
        // Only a frame the socket has written is free again; after an error ws may still hold it.
        if (!err) frames.give(frame);
        release();
      });
    };
    /** Passes the part of `chunk` the scripted fault lets through, and triggers the fault when due. */
    const throughFault = (stream: "stdout" | "stderr" | "stdin", chunk: Uint8Array): Uint8Array => {
      if (!fault || fault.stream !== stream || cut || stalled) return chunk;
      const room = fault.afterBytes - counted[stream];
      counted[stream] += chunk.length;
      if (chunk.length < room) return chunk;
      const head = chunk.subarray(0, Math.max(0, room));
      if (fault.action === "stall") {
        queueMicrotask(() => {
          stalled = true;
        });
      } else {
        queueMicrotask(() => {
          cut = true;
          // Let the partial output reach the socket, then drop the connection without a status.
          setImmediate(() => ws.terminate());
          controller.abort(
            new ApiStatusError(500, "InternalError", "exec stream dropped by fault injection"),
          );
        });
      }
      return head;
    };
    const stdinQueue = target.stdin ? new StdinQueue(ws) : undefined;
    ws.on("ping", (data: Buffer) => {
      if (!stalled && !cut && ws.readyState === ws.OPEN) ws.pong(data);
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (stalled || cut || nodeLost()) return;
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length === 0) return;
      const channel = buf[0];
      if (channel === STDIN) stdinQueue?.push(throughFault("stdin", buf.subarray(1)));
      else if (channel === CLOSE && buf[1] === STDIN) stdinQueue?.end();
      // RESIZE (4) carries a terminal size; there is no terminal to resize.
      else if (channel === RESIZE) return;
    });
    let finished = false;
    ws.on("close", () => {
      stdinQueue?.end();
      // Only a command still running is told the client went away (no error is built per normal close).
      if (!finished) {
        controller.abort(
          new ApiStatusError(499, "ClientClosedRequest", "the exec stream was closed by the client"),
        );
      }
      release();
      for (const w of drainWaiters) w();
      drainWaiters = [];
    });
    ws.on("error", () => {});

    const backpressure = (): Promise<void> | undefined =>
      queued > HIGH_WATER && ws.readyState === ws.OPEN && !stalled
        ? new Promise<void>((resolve) => drainWaiters.push(resolve))
        : undefined;
    const streams: ExecStreams = {
      ...(stdinQueue ? { stdin: stdinQueue } : {}),
      stdout: (chunk) => {
        if (!target.stdout) return undefined;
        send(STDOUT, throughFault("stdout", chunk));
        return backpressure();
      },
      stderr: (chunk) => {
        const passed = throughFault("stderr", chunk);
        if (target.stderr && !target.tty) send(STDERR, passed);
        else if (target.tty) send(STDOUT, passed);
        return backpressure();
      },
      waitForDrain: () => backpressure() ?? Promise.resolve(),
    };

    let statusBody: string | undefined;
    try {
      const { exitCode } = await this.podIO.exec(
        {
          namespace: target.namespace,
          pod: target.pod,
          container: target.container,
          command: target.command,
          tty: target.tty,
        },
        streams,
        controller.signal,
      );
      statusBody = exitStatus(protocol, target.command, exitCode);
    } catch (err) {
      const e =
        err instanceof ApiStatusError
          ? err
          : ApiStatusError.internal(err instanceof Error ? err.message : String(err));
      statusBody = errorStatus(protocol, e);
    }
    finished = true;
    if (cut || stalled || nodeLost() || ws.readyState !== ws.OPEN) return;
    if (statusBody !== undefined) send(STATUS, Buffer.from(statusBody, "utf8"));
    ws.close(1000);
  }
}
