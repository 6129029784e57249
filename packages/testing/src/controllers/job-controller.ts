/**
 * Job → Pods: runs pods until `completions` succeed, retries failed pods up to `backoffLimit`, and
 * reports Complete or Failed (BackoffLimitExceeded / DeadlineExceeded) with counts and times.
 */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { type Controller, createController, ownedBy, withCondition, writeStatus } from "./controller.js";
import { recordEvent } from "./events.js";
import { podFromTemplate } from "./replicaset-controller.js";
import { type CoreTypes, field, isPodReady, podPhase, randomSuffix, timestamp, tolerate } from "./util.js";

function finished(job: StoredObject): boolean {
  const conditions = field<{ type: string; status: string }[]>(job, "status", "conditions") ?? [];
  return conditions.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

export function createJobController(store: ObjectStore, types: CoreTypes, logger: Logger): Controller {
  const deadlines = new Map<string, NodeJS.Timeout>();

  const reconcile = (namespace: string, name: string) => {
    const job = store.get(types.jobs, namespace, name);
    const key = `${namespace}/${name}`;
    if (!job || job.metadata.deletionTimestamp) {
      clearTimeout(deadlines.get(key));
      deadlines.delete(key);
      return;
    }
    const uid = job.metadata.uid;
    const labels = {
      "job-name": name,
      "batch.kubernetes.io/job-name": name,
      "controller-uid": uid,
      "batch.kubernetes.io/controller-uid": uid,
    };
    const pods = ownedBy(store, types.pods, job);
    const active = pods.filter(
      (p) => !p.metadata.deletionTimestamp && podPhase(p) !== "Succeeded" && podPhase(p) !== "Failed",
    );
    const succeeded = pods.filter((p) => podPhase(p) === "Succeeded").length;
    const failed = pods.filter((p) => podPhase(p) === "Failed").length;
    const completions = field<number>(job, "spec", "completions") ?? 1;
    const parallelism = field<number>(job, "spec", "parallelism") ?? 1;
    const backoffLimit = field<number>(job, "spec", "backoffLimit") ?? 6;
    const deadlineSeconds = field<number>(job, "spec", "activeDeadlineSeconds");
    const now = timestamp();
    const startTime = field<string>(job, "status", "startTime") ?? now;
    let conditions = field<unknown>(job, "status", "conditions");
    let completionTime = field<string>(job, "status", "completionTime");

    const fail = (reason: string, message: string) => {
      conditions = withCondition(conditions, "FailureTarget", true, reason, message, now);
      conditions = withCondition(conditions, "Failed", true, reason, message, now);
      for (const pod of active) tolerate(() => store.delete(types.pods, namespace, pod.metadata.name));
      recordEvent(store, types, job, "Warning", reason, message, "job-controller");
    };

    const overdue =
      deadlineSeconds !== undefined && Date.parse(startTime) + deadlineSeconds * 1000 <= Date.now();
    if (!finished(job)) {
      if (succeeded >= completions) {
        conditions = withCondition(
          conditions,
          "SuccessCriteriaMet",
          true,
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          now,
        );
        conditions = withCondition(
          conditions,
          "Complete",
          true,
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          now,
        );
        completionTime = now;
        recordEvent(store, types, job, "Normal", "Completed", "Job completed", "job-controller");
      } else if (failed > backoffLimit) {
        fail("BackoffLimitExceeded", "Job has reached the specified backoff limit");
      } else if (overdue) {
        fail("DeadlineExceeded", "Job was active longer than specified deadline");
      } else {
        const want = Math.min(parallelism, completions - succeeded) - active.length;
        for (let i = 0; i < want; i++) {
          const pod = tolerate(() =>
            store.create(types.pods, podFromTemplate(job, `${name}-${randomSuffix()}`, labels)),
          );
          if (pod)
            recordEvent(
              store,
              types,
              job,
              "Normal",
              "SuccessfulCreate",
              `Created pod: ${pod.metadata.name}`,
              "job-controller",
            );
        }
        if (deadlineSeconds !== undefined && !deadlines.has(key)) {
          const wait = Math.max(0, Date.parse(startTime) + deadlineSeconds * 1000 - Date.now());
          const timer = setTimeout(() => {
            deadlines.delete(key);
            controller.enqueue(namespace, name);
          }, wait);
          timer.unref();
          deadlines.set(key, timer);
        }
      }
    }
    const live = ownedBy(store, types.pods, job).filter(
      (p) => !p.metadata.deletionTimestamp && podPhase(p) !== "Succeeded" && podPhase(p) !== "Failed",
    );
    const status: Record<string, unknown> = {
      startTime,
      active: live.length,
      ready: live.filter(isPodReady).length,
      succeeded,
      failed,
      terminating: pods.filter((p) => p.metadata.deletionTimestamp).length,
    };
    if (Array.isArray(conditions) && conditions.length > 0) status.conditions = conditions;
    if (completionTime) status.completionTime = completionTime;
    writeStatus(store, types.jobs, job, status);
  };

  const controller = createController("job", store, types.jobs, [types.pods], reconcile, logger);
  return {
    start: () => controller.start(),
    stop: () => {
      controller.stop();
      for (const timer of deadlines.values()) clearTimeout(timer);
      deadlines.clear();
    },
  };
}
