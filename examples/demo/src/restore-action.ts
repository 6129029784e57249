/** The disaster and the restore: a Kanister Blueprint scales the database down, copies the backup back, scales it up. */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ActionResult, BlueprintEvents, loadBlueprint, runBlueprintAction } from "@quiesce/functions";
import { type ClaimBackup, type ClaimCheck, checkAgainstBackup, JOURNAL, waitForRecords } from "./data.js";
import { type DemoEnvironment, SUBJECT, withSignal } from "./environment.js";
import { DATABASE, NAMESPACE, restoreBlueprintYaml } from "./manifests.js";

/** What the restore did. */
export interface RestoreOutcome {
  /** How each claim was damaged. */
  damage: string[];
  action: ActionResult;
  /** Each claim compared with its backup (empty when the action failed). */
  restored: ClaimCheck[];
  problems: string[];
}

/** Deletes the first claim's journal and overwrites the others with garbage. */
export async function damageClaims(
  env: DemoEnvironment,
  copied: readonly Pick<ClaimBackup, "claim">[],
): Promise<string[]> {
  const done: string[] = [];
  for (const [i, c] of copied.entries()) {
    const journal = join(env.claimDir(NAMESPACE, c.claim), JOURNAL);
    if (i === 0) {
      await rm(journal, { force: true });
      done.push(`${c.claim}: journal deleted`);
    } else {
      await writeFile(journal, "\u0000\u0000 bit rot \u0000\n");
      done.push(`${c.claim}: journal overwritten with garbage`);
    }
  }
  return done;
}

/**
 * Damages the data, runs the Blueprint's `restore` action and, once the database writes again,
 * checks every claim against its backup. With `failRestore` the action reads from a folder that
 * does not exist: the copy fails and the deferPhase still scales the database back up.
 */
export async function runRestore(
  env: DemoEnvironment,
  backup: { copied: readonly ClaimBackup[]; backupDir: string },
  options: { failRestore: boolean },
): Promise<RestoreOutcome> {
  const { timeline, claimDir, signal } = env;
  const damage = await damageClaims(env, backup.copied);
  for (const d of damage) timeline.line("disaster", "damage", DATABASE, "done", d);

  const events = new BlueprintEvents();
  timeline.followBlueprint(events, "restore");
  const { blueprint } = loadBlueprint(restoreBlueprintYaml);
  const from = options.failRestore ? join(env.workDir, "no-such-backup") : backup.backupDir;
  const action = await runBlueprintAction(blueprint, "restore", {
    cluster: env.cluster,
    subject: SUBJECT,
    options: { node: env.paths.node, script: env.paths.script, backupDir: from },
    events,
    phaseTimeout: "60s",
    ...withSignal(signal),
  });
  if (action.status !== "succeeded") {
    return {
      damage,
      action,
      restored: [],
      problems: [`restore ${action.status}: ${action.error?.message ?? "?"}`],
    };
  }

  // The database is back: wait until each pod has written again, then compare with the backup.
  const backedUp = (claim: string) => backup.copied.find((c) => c.claim === claim)?.records ?? 0;
  await waitForRecords({
    claimDir,
    namespace: NAMESPACE,
    claims: backup.copied.map((c) => c.claim),
    min: (claim) => backedUp(claim) + 1,
    signal,
  });
  const restored = await checkAgainstBackup({ claimDir, namespace: NAMESPACE, backupDir: backup.backupDir });
  const problems: string[] = [];
  for (const r of restored) {
    timeline.line(
      "restore",
      "verify",
      r.claim,
      r.matches ? "passed" : "failed",
      r.matches
        ? `${r.backupRecords} backed-up records intact, ${r.newRecords} written since restart`
        : "the journal does not start with the backup",
    );
    if (!r.matches) problems.push(`restored ${r.claim} does not match its backup`);
  }
  if (restored.length !== backup.copied.length) problems.push("not every backed-up claim was checked");
  return { damage, action, restored, problems };
}
