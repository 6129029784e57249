/**
 * The host's side of the data: copying each database pod's claim into a backup folder while the
 * database is frozen (and proving the copy is consistent), and checking a claim against a backup.
 */
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ErrorCodes, QuiesceError, sleep } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";

export const JOURNAL = "journal.log";
/** Files of the freeze protocol (see database.mjs): never part of a backup. */
const CONTROL_FILES = new Set(["FROZEN", "FROZEN.ack"]);

/** What the backup step did for one claim. */
export interface ClaimBackup {
  pod: string;
  claim: string;
  /** The record the database acknowledged the freeze at. */
  frozenAtRecord: number;
  /** Records in the copied journal. */
  records: number;
  bytes: number;
  sha256: string;
  /** The journal did not change while it was copied, and the copy is byte-identical. */
  consistent: boolean;
}

/** Where the host finds a claim's data: the local cluster's process runtime keeps each PVC in a host directory. */
export type ClaimDirectory = (namespace: string, claim: string) => string;

const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Records in a journal (one per line). */
export function countRecords(journal: Uint8Array): number {
  let lines = 0;
  for (const byte of journal) if (byte === 10) lines++;
  return lines;
}

/**
 * The backup step: for every Running pod of the StatefulSet (found through the API), copies each
 * claim it mounts into `<dest>/<claim>` and verifies the copy. While frozen the database must not
 * write: the journal is hashed before the copy, again after a pause longer than the database's
 * write interval, and compared with the copy; the copy must end at the acknowledged record.
 */
export async function backupClaims(options: {
  cluster: Cluster;
  claimDir: ClaimDirectory;
  namespace: string;
  statefulSet: string;
  dest: string;
  /** How long to watch the journal for writes during the copy (several write intervals). */
  settleMs?: number;
  signal: AbortSignal;
}): Promise<ClaimBackup[]> {
  const { cluster, namespace, signal } = options;
  const facts = await cluster.workloadFacts(
    { kind: "StatefulSet", namespace, name: options.statefulSet },
    { signal },
  );
  const backups: ClaimBackup[] = [];
  for (const pod of facts.pods) {
    for (const claim of Object.keys(facts.persistentVolumeClaims[pod] ?? {})) {
      const source = options.claimDir(namespace, claim);
      const ack = await readFile(join(source, "FROZEN.ack"), "utf8").catch(() => undefined);
      if (ack === undefined) {
        throw new QuiesceError(
          "QUIESCE_DEMO_NOT_FROZEN",
          `${namespace}/${pod}: claim ${claim} is not frozen (no acknowledgement); refusing to copy a live journal`,
        );
      }
      const before = await readFile(join(source, JOURNAL));
      const target = join(options.dest, claim);
      await mkdir(target, { recursive: true });
      await cp(source, target, {
        recursive: true,
        filter: (from) => !CONTROL_FILES.has(from.slice(source.length + 1)),
      });
      await sleep(options.settleMs ?? 30, { signal });
      const after = await readFile(join(source, JOURNAL));
      const copy = await readFile(join(target, JOURNAL));
      const records = countRecords(copy);
      const frozenAtRecord = Number(ack.trim());
      const sha256 = digest(copy);
      const consistent = digest(before) === sha256 && digest(after) === sha256 && records === frozenAtRecord;
      backups.push({ pod, claim, frozenAtRecord, records, bytes: copy.length, sha256, consistent });
      if (!consistent) {
        throw new QuiesceError(
          "QUIESCE_DEMO_INCONSISTENT_COPY",
          `${namespace}/${pod}: the journal of ${claim} changed during the copy (${frozenAtRecord} acknowledged, ${records} copied)`,
          { details: { before: before.length, after: after.length, copied: copy.length } },
        );
      }
    }
  }
  if (backups.length === 0) {
    throw new QuiesceError(
      "QUIESCE_DEMO_NOTHING_TO_BACK_UP",
      `${namespace}/${options.statefulSet} has no Running pod with a claim`,
    );
  }
  return backups;
}

/** How a claim compares with its backup after the restore. */
export interface ClaimCheck {
  claim: string;
  /** The backup's journal is intact at the start of the claim's journal. */
  matches: boolean;
  backupRecords: number;
  /** Records written since the database came back. */
  newRecords: number;
}

/**
 * Checks each backed-up claim: its journal must begin with the backup's journal byte for byte
 * (the database appends again once it is back, so it may have grown since).
 */
export async function checkAgainstBackup(options: {
  claimDir: ClaimDirectory;
  namespace: string;
  backupDir: string;
}): Promise<ClaimCheck[]> {
  const checks: ClaimCheck[] = [];
  for (const claim of (await readdir(options.backupDir)).sort()) {
    if (!(await stat(join(options.backupDir, claim))).isDirectory()) continue;
    const backup = await readFile(join(options.backupDir, claim, JOURNAL));
    const current = await readFile(join(options.claimDir(options.namespace, claim), JOURNAL)).catch(
      () => new Uint8Array(),
    );
    const head = current.subarray(0, backup.length);
    const matches = current.length >= backup.length && Buffer.compare(head, backup) === 0;
    checks.push({
      claim,
      matches,
      backupRecords: countRecords(backup),
      newRecords: matches ? countRecords(current.subarray(backup.length)) : 0,
    });
  }
  return checks;
}

/**
 * Waits until each claim of the StatefulSet (`<template>-<name>-<ordinal>`) has at least
 * `min(claim)` records; resolves with "claim n records" per claim. Bounded by `timeoutMs`.
 */
export async function waitForRecords(options: {
  claimDir: ClaimDirectory;
  namespace: string;
  claims: readonly string[];
  min: (claim: string) => number;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}): Promise<string[]> {
  const { claims, signal } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(
      claims.map(async (claim) => {
        const journal = join(options.claimDir(options.namespace, claim), JOURNAL);
        return countRecords(await readFile(journal).catch(() => new Uint8Array()));
      }),
    );
    if (counts.every((n, i) => n >= options.min(claims[i] ?? ""))) {
      return claims.map((c, i) => `${c} ${counts[i]} records`);
    }
    if (Date.now() > deadline) {
      throw new QuiesceError(
        ErrorCodes.TIMEOUT,
        `the database did not write within ${timeoutMs} ms: ${claims.map((c, i) => `${c} ${counts[i]} records`).join(", ")}`,
      );
    }
    await sleep(10, signal ? { signal } : {});
  }
}
