/**
 * `pods/exec` over SPDY — what kubectl before 1.30 (and client-go's SPDY executor) speaks. Kubelet
 * cri/streaming/remotecommand/httpstream.go: the client opens one stream per channel (`streamtype`
 * error, stdin, stdout, stderr, resize); once the expected ones are there the command runs, its
 * output goes to stdout/stderr, and the `v4.channel.k8s.io` status (a JSON Status, as on the
 * WebSocket protocols) is written to the error stream before everything is closed.
 */
import { ApiStatusError } from "../../api/errors.js";
import type { ExecStreams, PodIO } from "../../api/seams.js";
import { errorStatus, exitStatus } from "../channels.js";
import type { ExecTarget } from "../exec.js";
import { StdinQueue } from "../stdin-queue.js";
import { SpdyConnection, type SpdyStream, type SpdyTransport } from "./connection.js";

/** The remote-command protocols over SPDY, most preferred first. */
export const SPDY_EXEC_PROTOCOLS = [
  "v4.channel.k8s.io",
  "v3.channel.k8s.io",
  "v2.channel.k8s.io",
  "channel.k8s.io",
];

/** How long the client gets to open its streams (kubelet's streamCreationTimeout is 30 s). */
const STREAM_WAIT_MS = 30_000;

/** Runs an exec session on `transport` with `protocol`; returns the connection to feed the client's bytes to. */
export function spdyExec(
  transport: SpdyTransport,
  target: ExecTarget,
  protocol: string,
  podIO: PodIO,
): SpdyConnection {
  const wanted = new Set(["error"]);
  if (target.stdin) wanted.add("stdin");
  if (target.stdout) wanted.add("stdout");
  if (target.stderr && !target.tty) wanted.add("stderr");
  const streams = new Map<string, SpdyStream>();
  const stdin = target.stdin ? new StdinQueue() : undefined;
  const controller = new AbortController();
  let started = false;
  const timer = setTimeout(() => connection.close(), STREAM_WAIT_MS);

  const start = () => {
    started = true;
    clearTimeout(timer);
    void run();
  };
  const run = async () => {
    const out = (name: string) => (chunk: Uint8Array) => {
      streams.get(name)?.write(Buffer.from(chunk));
    };
    const io: ExecStreams = {
      ...(stdin ? { stdin } : {}),
      stdout: out("stdout"),
      // With a tty, stderr is merged into stdout, as on a terminal.
      stderr: target.tty ? out("stdout") : out("stderr"),
    };
    let status: string | undefined;
    try {
      const { exitCode } = await podIO.exec(
        {
          namespace: target.namespace,
          pod: target.pod,
          container: target.container,
          command: target.command,
          tty: target.tty,
        },
        io,
        controller.signal,
      );
      status = exitStatus(protocol, target.command, exitCode);
    } catch (err) {
      const e =
        err instanceof ApiStatusError
          ? err
          : ApiStatusError.internal(err instanceof Error ? err.message : String(err));
      status = errorStatus(protocol, e);
    }
    const error = streams.get("error");
    if (status !== undefined) error?.write(Buffer.from(status, "utf8"));
    for (const stream of streams.values()) stream.end();
    connection.close();
  };

  const connection = new SpdyConnection(transport, (stream) => {
    const type = stream.header("streamtype") ?? "";
    if (type === "resize") {
      // There is no terminal to resize: the size messages are read and dropped.
      return;
    }
    if (!wanted.has(type) || streams.has(type)) {
      stream.reset();
      return;
    }
    streams.set(type, stream);
    if (type === "stdin" && stdin) {
      stream.onData = (chunk) => stdin.push(chunk);
      stream.onEnd = () => stdin.end();
      stream.onReset = () => stdin.end();
      if (stream.clientDone) stdin.end();
    }
    if (!started && [...wanted].every((w) => streams.has(w))) start();
  });
  connection.onClose = () => {
    clearTimeout(timer);
    stdin?.end();
    controller.abort(
      new ApiStatusError(499, "ClientClosedRequest", "the exec stream was closed by the client"),
    );
  };
  return connection;
}
