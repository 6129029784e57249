/** What the API server adds to a new Job: a selector of its own pods, and the labels it selects. */
import type { StoredObject } from "../api/seams.js";

/**
 * kubernetes pkg/registry/batch/job/strategy.go (generateSelector, with the batch.kubernetes.io/
 * labels of 1.27+): unless `spec.manualSelector` is true, the pod template gets `job-name`,
 * `batch.kubernetes.io/job-name`, `controller-uid` and `batch.kubernetes.io/controller-uid` (labels
 * already set are kept), and `spec.selector.matchLabels` selects
 * `batch.kubernetes.io/controller-uid` — so `kubectl logs job/x` finds exactly this Job's pods.
 */
export function generateJobSelector(job: StoredObject): void {
  const spec = (job.spec ?? {}) as {
    manualSelector?: boolean;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
  };
  if (spec.manualSelector === true) return;
  const { name, uid } = job.metadata;
  const labels = { ...spec.template?.metadata?.labels };
  for (const key of ["job-name", "batch.kubernetes.io/job-name"]) labels[key] ??= name;
  for (const key of ["controller-uid", "batch.kubernetes.io/controller-uid"]) labels[key] ??= uid;
  const matchLabels = { ...spec.selector?.matchLabels };
  matchLabels["batch.kubernetes.io/controller-uid"] ??= uid;
  job.spec = {
    ...spec,
    selector: { ...spec.selector, matchLabels },
    template: { ...spec.template, metadata: { ...spec.template?.metadata, labels } },
  };
}
