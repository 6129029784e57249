/**
 * Freeze → CSI snapshot → thaw, on the local cluster with the process runtime:
 *
 * 1. the database Deployment runs, accepting an order every few milliseconds into its journal;
 * 2. `runWithHooks` runs the KubeStash `inventory-freeze` hook (pre), then the step — the
 *    Blueprint action `snapshot` (CreateCSISnapshot, waited until ready to use) — then
 *    `inventory-thaw` (post, Always). While frozen the database keeps accepting orders but holds
 *    them in memory; the thaw writes them;
 * 3. the snapshot is restored into a new claim (`restore-copy`) and read by a one-off pod
 *    (`inspect-copy`), then deleted (`delete`).
 *
 * The outcome carries both journals, so a caller can check that the snapshot holds exactly what
 * was written before the freeze and none of the orders accepted during it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { QuiesceError } from "@quiesce/core";
import { type ActionResult, loadBlueprint, runBlueprintAction } from "@quiesce/functions";
import "@quiesce/functions/builtins";
import { inMemoryTemplates, loadHookTemplate, runWithHooks, type SessionResult } from "@quiesce/hooks";
import type { Cluster } from "@quiesce/kube";
import { type LocalCluster, type ProcessRuntime, startLocalCluster } from "@quiesce/testing";
import {
  blueprintYaml,
  CLAIM,
  CONTROL_DIR,
  DATABASE,
  freezeTemplateYaml,
  type HostPaths,
  hostPaths,
  NAMESPACE,
  SNAPSHOT_CLASS,
  thawTemplateYaml,
  workloadYaml,
} from "./manifests.js";

/** One journal record: its sequence number and when the database accepted it. */
export interface JournalRecord {
  seq: number;
  acceptedAt: string;
}

/** What the scenario did and found. */
export interface ScenarioOutcome {
  session: SessionResult;
  /** The `snapshot` action, run as the session's step. */
  snapshot?: ActionResult;
  /** The record the database had written when it acknowledged the freeze, and when. */
  frozenAt?: { record: number; at: string };
  /** When the thaw hook finished (the end of the freeze window). */
  thawedAt?: string;
  /** Orders the database held in memory, unwritten, when the snapshot was ready. */
  heldWhenSnapshotted: number;
  restoreCopy?: ActionResult;
  inspectCopy?: ActionResult;
  deleted?: ActionResult;
  /** The journal of the claim restored from the snapshot. */
  snapshotJournal: JournalRecord[];
  /** The live journal, after the thaw. */
  liveJournal: JournalRecord[];
}

const SUBJECT = { kind: "Deployment", namespace: NAMESPACE, name: DATABASE } as const;
const COPY_CLAIM = `${CLAIM}-copy`;

function parseJournal(text: string): JournalRecord[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [seq, acceptedAt] = line.split("\t");
      return { seq: Number(seq), acceptedAt: acceptedAt ?? "" };
    });
}

async function databaseStatus(cluster: Cluster, pod: string, paths: HostPaths, signal?: AbortSignal) {
  const result = await cluster.exec(
    { namespace: NAMESPACE, pod, container: "db" },
    [paths.node, paths.script, "status", `--control-dir=${CONTROL_DIR}`],
    signal ? { signal } : {},
  );
  return JSON.parse(result.stdout || "{}") as { frozen?: boolean; durable?: number; held?: number };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new QuiesceError("QUIESCE_EXAMPLE_TIMEOUT", `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs the scenario on a fresh local cluster, which it stops at the end. */
export async function runScenario(options: { signal?: AbortSignal } = {}): Promise<ScenarioOutcome> {
  const lc: LocalCluster<ProcessRuntime> = await startLocalCluster({
    runtime: "process",
    podStartDelayMs: 0,
    readyDelayMs: 0,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    return await scenario(lc, hostPaths(), options.signal);
  } finally {
    await lc.stop();
  }
}

async function scenario(lc: LocalCluster<ProcessRuntime>, paths: HostPaths, signal?: AbortSignal) {
  const { cluster } = lc;
  const withSignal = signal ? { signal } : {};
  await lc.apply(workloadYaml(paths, lc.csi?.name ?? ""));
  const [pod] = await until(
    () => cluster.selectPods(NAMESPACE, { selector: `app=${DATABASE}`, phase: "Running" }),
    (pods) => pods.length === 1,
    "the database pod",
  );
  const podName = pod!.metadata!.name!;
  await until(
    () => databaseStatus(cluster, podName, paths, signal),
    (s) => (s.durable ?? 0) >= 20,
    "some orders",
  );

  const { blueprint } = loadBlueprint(blueprintYaml);
  let snapshot: ActionResult | undefined;
  let heldWhenSnapshotted = 0;
  const session = await runWithHooks(
    {
      cluster,
      subject: SUBJECT,
      sessionName: `${DATABASE}-snapshot`,
      templates: inMemoryTemplates([
        loadHookTemplate(freezeTemplateYaml(paths)),
        loadHookTemplate(thawTemplateYaml(paths)),
      ]),
      hooks: {
        pre: [
          {
            name: "freeze",
            hookTemplate: { name: "inventory-freeze", namespace: NAMESPACE },
            timeout: "30s",
          },
        ],
        post: [
          {
            name: "thaw",
            hookTemplate: { name: "inventory-thaw", namespace: NAMESPACE },
            executionPolicy: "Always",
            timeout: "30s",
          },
        ],
      },
      ...withSignal,
    },
    async (ctx) => {
      // Orders keep arriving while frozen: let a few be held before the snapshot is cut.
      await until(
        () => databaseStatus(cluster, podName, paths, ctx.signal),
        (s) => (s.held ?? 0) >= 3,
        "held orders",
      );
      snapshot = await runBlueprintAction(blueprint, "snapshot", {
        cluster,
        subject: SUBJECT,
        options: { snapshotClass: SNAPSHOT_CLASS },
        signal: ctx.signal,
      });
      if (snapshot.status !== "succeeded") {
        throw new QuiesceError(
          "QUIESCE_EXAMPLE_SNAPSHOT_FAILED",
          snapshot.error?.message ?? "the snapshot failed",
        );
      }
      heldWhenSnapshotted = (await databaseStatus(cluster, podName, paths, ctx.signal)).held ?? 0;
      return { snapshot: snapshot.outputArtifacts.snapshotInfo?.KeyValue ?? {} };
    },
  );

  const outcome: ScenarioOutcome = {
    session,
    ...(snapshot ? { snapshot } : {}),
    heldWhenSnapshotted,
    snapshotJournal: [],
    liveJournal: [],
  };
  const freeze = session.hooks.find((h) => h.name === "freeze");
  const ack = /frozen at record (\d+) at (\S+)/.exec(freeze?.targets[0]?.stdout ?? "");
  if (ack) outcome.frozenAt = { record: Number(ack[1]), at: ack[2]! };
  const thaw = session.hooks.find((h) => h.name === "thaw");
  if (thaw?.finishedAt) outcome.thawedAt = thaw.finishedAt;
  if (session.outcome !== "succeeded" || !snapshot) return outcome;

  const artifacts = snapshot.outputArtifacts;
  const copyOptions = { copyClaim: COPY_CLAIM, node: paths.node, script: paths.script };
  outcome.restoreCopy = await runBlueprintAction(blueprint, "restore-copy", {
    cluster,
    subject: SUBJECT,
    artifacts,
    options: copyOptions,
    ...withSignal,
  });
  // The one-off pod mounting the new claim is scheduled once the claim is restored and Bound.
  outcome.inspectCopy = await runBlueprintAction(blueprint, "inspect-copy", {
    cluster,
    subject: SUBJECT,
    options: copyOptions,
    ...withSignal,
  });
  const journal = (claim: string) =>
    readFile(join(lc.runtime.pvcDir(NAMESPACE, claim), "journal.log"), "utf8");
  outcome.snapshotJournal = parseJournal(await journal(COPY_CLAIM));
  outcome.liveJournal = parseJournal(await journal(CLAIM));
  outcome.deleted = await runBlueprintAction(blueprint, "delete", {
    cluster,
    subject: SUBJECT,
    artifacts,
    ...withSignal,
  });
  return outcome;
}
