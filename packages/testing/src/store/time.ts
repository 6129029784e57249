/** Kubernetes timestamps. */

/** `RFC3339` with whole seconds, as Kubernetes timestamps are. */
export function kubeTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
