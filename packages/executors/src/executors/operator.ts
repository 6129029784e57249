/** The Operator executor: the host process itself performs the action (http/tcp from here; exec only when allowed). */
import { hostname } from "node:os";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { actionHandlers } from "../action-schema.js";
import { runHandlers } from "../actions/handlers.js";
import { runHttpAction } from "../actions/http.js";
import { runLocalExec } from "../actions/local-exec.js";
import { resolvePort } from "../actions/ports.js";
import { runTcpAction } from "../actions/tcp.js";
import type { Executor } from "../executor.js";

/**
 * KubeStash's Operator executor: the action runs in the host process. `httpGet`, `httpPost` and
 * `tcpSocket` need an explicit `host` (there is no pod IP to default to) and a numeric port.
 * `exec` runs a local process (argv, no shell) only when the host passed `allowLocalExec: true`;
 * otherwise the run is refused with `QUIESCE_POLICY_REFUSED` before anything runs.
 */
export const operatorExecutor: Executor = {
  type: "Operator",
  check({ action, settings }) {
    if (action.exec && !settings.allowLocalExec) {
      throw new QuiesceError(
        ErrorCodes.POLICY_REFUSED,
        "an exec action with the Operator executor runs a process on the host; the host has not enabled it (allowLocalExec: true)",
        { details: { executor: "Operator", action: "exec" } },
      );
    }
    for (const kind of actionHandlers(action)) {
      if (kind === "exec") continue;
      const spec =
        kind === "httpGet" ? action.httpGet : kind === "httpPost" ? action.httpPost : action.tcpSocket;
      if (spec === undefined) continue;
      if (spec.host === undefined) {
        throw new QuiesceError(
          ErrorCodes.VALIDATION,
          `action.${kind}.host is required with the Operator executor (there is no pod IP to default to)`,
          { details: { path: `action.${kind}.host` } },
        );
      }
      // kmodules.xyz/prober extractPort: a string port (a name, or digits in quotes) is resolved in
      // the executor pod, and the Operator executor has none ("failed to extract port. invalid pod").
      if (typeof spec.port === "string") {
        throw new QuiesceError(
          ErrorCodes.VALIDATION,
          `action.${kind}.port "${spec.port}" is a string, which KubeStash resolves only in a pod's container (Pod executor); write the port as a number`,
          { details: { path: `action.${kind}.port` } },
        );
      }
    }
  },
  async targets() {
    return [{ kind: "Host", name: hostname() }];
  },
  async run(_target, ctx) {
    const { action } = ctx;
    // Several handlers run in the prober's order until one fails (see runHandlers).
    return runHandlers(action, async (kind) => {
      if (kind === "exec" && action.exec) return runLocalExec(action.exec.command, ctx);
      const spec =
        kind === "httpGet" ? action.httpGet : kind === "httpPost" ? action.httpPost : action.tcpSocket;
      if (spec === undefined || spec.host === undefined) {
        throw new QuiesceError(ErrorCodes.VALIDATION, `the action's ${kind} has no host`);
      }
      const endpoint = { host: spec.host, port: resolvePort(spec.port, undefined) };
      if (kind === "httpGet" && action.httpGet) return runHttpAction("GET", action.httpGet, endpoint, ctx);
      if (kind === "httpPost" && action.httpPost)
        return runHttpAction("POST", action.httpPost, endpoint, ctx);
      return runTcpAction(endpoint, ctx);
    });
  },
};
