/** The tcpSocket action: success when the port accepts a connection within the prober's time limit. */
import { connect } from "node:net";
import { ErrorCodes, formatDuration, QuiesceError } from "@quiesce/core";
import type { ExecutorContext } from "../executor.js";
import type { TargetOutcome } from "../result.js";

/** Opens (and immediately closes) a TCP connection to `host:port`. */
export function runTcpAction(
  endpoint: { host: string; port: number },
  ctx: ExecutorContext,
): Promise<TargetOutcome> {
  const { host, port } = endpoint;
  return new Promise<TargetOutcome>((resolve) => {
    if (ctx.signal.aborted) {
      resolve({ status: "failed", error: ctx.signal.reason });
      return;
    }
    const socket = connect({ host, port });
    // kmodules.xyz/prober probe/tcp: net.DialTimeout with the prober's DefaultProbeTimeout (the
    // run's own limit, if any, ends it through the signal).
    const probeMs = ctx.settings.probeTimeoutMs;
    const timer = Number.isFinite(probeMs)
      ? setTimeout(
          () =>
            done({
              status: "failed",
              error: new QuiesceError(
                ErrorCodes.TCP_FAILED,
                `tcp ${host}:${port} did not open within ${formatDuration(probeMs)}: i/o timeout`,
                { details: { host, port, probeTimeoutMs: probeMs } },
              ),
            }),
          probeMs,
        )
      : undefined;
    const done = (outcome: TargetOutcome) => {
      ctx.signal.removeEventListener("abort", onAbort);
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => done({ status: "failed", error: ctx.signal.reason });
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => done({ status: "succeeded", stdout: "", stderr: "" }));
    socket.once("error", (err: NodeJS.ErrnoException) =>
      done({
        status: "failed",
        error: new QuiesceError(
          ErrorCodes.TCP_FAILED,
          `tcp ${host}:${port} did not open: ${err.code ?? err.message}`,
          {
            cause: err,
            details: { host, port, errorCode: err.code },
          },
        ),
      }),
    );
  });
}
