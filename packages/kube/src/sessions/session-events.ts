/** Kubernetes Events about a session record, where `kubectl describe configmap` and `kubectl get events` show them. */
import { type Logger, serializeError, toLogger } from "@quiesce/core";
import type { Cluster } from "../cluster.js";

/** One Event about a session. */
export interface SessionEvent {
  type: "Normal" | "Warning";
  /** CamelCase, e.g. `SessionRecovered`. */
  reason: string;
  message: string;
}

/**
 * Records `event` on the session's ConfigMap (a core/v1 Event). A failure is logged, never thrown:
 * the session's work does not depend on its Events.
 */
export async function recordSessionEvent(
  cluster: Cluster,
  session: { namespace: string; name: string; uid?: string | undefined },
  event: SessionEvent,
  options: { identity?: string | undefined; logger?: Logger | undefined } = {},
): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  try {
    await cluster.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: `${session.name}.`, namespace: session.namespace },
      involvedObject: {
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: session.namespace,
        name: session.name,
        ...(session.uid ? { uid: session.uid } : {}),
      },
      type: event.type,
      reason: event.reason,
      message: event.message.length > 1024 ? `${event.message.slice(0, 1021)}...` : event.message,
      source: { component: "quiesce" },
      reportingComponent: "quiesce.dev/sessions",
      reportingInstance: options.identity ?? "",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  } catch (err) {
    toLogger(options.logger).warn(
      `could not record event ${event.reason} on ${session.namespace}/${session.name}`,
      {
        error: serializeError(err).message,
      },
    );
  }
}
