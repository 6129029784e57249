/** Running restic in a container: the exec, restic's failures as coded errors, and Kanister's repository check. */
import { QuiesceError } from "@quiesce/core";
import type { ContainerRef, ExecResult, V1Pod } from "@quiesce/kube";
import type { FunctionContext } from "../function-types.js";
import { gcsCredentials } from "../profile/credentials.js";
import { LocationTypes, type Profile } from "../profile/types.js";
import { DataErrorCodes } from "./errors.js";
import {
  GOOGLE_CLOUD_CREDS_FILE,
  isPasswordIncorrect,
  isRepositoryMissing,
  type ResticCommand,
  resticArgs,
  resticCommand,
} from "./restic.js";

/** Where restic runs: a container of a pod (optionally the pod object, which saves a request). */
export interface ResticTarget extends ContainerRef {
  object?: V1Pod;
}

// JSON listings may be long; other output is kept as a tail.
const STDOUT_LIMIT = 16 * 1024 * 1024;
const TAIL = 4096;
const tail = (text: string) => (text.length > TAIL ? `…${text.slice(-TAIL)}` : text);

/** Runs a restic command in `target`; resolves with its result whatever the exit code. */
export function execRestic(
  ctx: FunctionContext,
  target: ResticTarget,
  command: ResticCommand,
): Promise<ExecResult> {
  return ctx.cluster.exec(
    {
      namespace: target.namespace,
      pod: target.pod,
      ...(target.container ? { container: target.container } : {}),
    },
    command.argv,
    {
      stdin: command.stdin,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      stdoutLimitBytes: STDOUT_LIMIT,
      ...(target.object ? { pod: target.object } : {}),
    },
  );
}

/** The coded error for a restic command that failed: `what` it was for, restic's last words, tails in details. */
export function resticError(what: string, command: ResticCommand, result: ExecResult): QuiesceError {
  const code = isPasswordIncorrect(result.stderr)
    ? DataErrorCodes.RESTIC_PASSWORD_INCORRECT
    : isRepositoryMissing(result.stderr)
      ? DataErrorCodes.RESTIC_REPOSITORY_UNAVAILABLE
      : DataErrorCodes.RESTIC_FAILED;
  const last =
    result.stderr
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "")
      .find((l) => /Fatal|error/i.test(l)) ??
    result.stderr.trim().split("\n").pop() ??
    "";
  return new QuiesceError(
    code,
    `${what}: restic ${command.args[0]} in ${result.pod}/${result.container} exited with code ${result.exitCode}${last ? `: ${last.trim()}` : ""}`,
    {
      secrets: command.secrets,
      details: {
        command: ["restic", ...command.args],
        pod: result.pod,
        container: result.container,
        exitCode: result.exitCode,
        stdout: tail(result.stdout),
        stderr: tail(result.stderr),
      },
    },
  );
}

/** Runs a restic command and throws {@link resticError} unless it exits 0. */
export async function runRestic(
  ctx: FunctionContext,
  target: ResticTarget,
  command: ResticCommand,
  what: string,
): Promise<ExecResult> {
  const result = await execRestic(ctx, target, command);
  if (result.exitCode !== 0) throw resticError(what, command, result);
  return result;
}

/**
 * Kanister's GetOrCreateRepository (pkg/restic/restic.go): lists the latest snapshots; when that
 * fails for any reason, initialises a repository there (which fails on a wrong password, since
 * one exists).
 */
export async function getOrCreateRepository(
  ctx: FunctionContext,
  target: ResticTarget,
  profile: Profile,
  repository: string,
  encryptionKey: string,
  insecureTLS: boolean,
): Promise<void> {
  const probe = resticCommand(profile, repository, encryptionKey, resticArgs.latestSnapshots(insecureTLS));
  if ((await execRestic(ctx, target, probe)).exitCode === 0) return;
  const init = resticCommand(profile, repository, encryptionKey, resticArgs.init(insecureTLS));
  await runRestic(ctx, target, init, "Failed to create object store backup location");
}

/**
 * For a gcs Profile, writes the service account key to the container's /tmp/creds.txt, where
 * `GOOGLE_APPLICATION_CREDENTIALS` points (Kanister GetPodWriter / MaybeWriteProfileCredentials);
 * returns the clean-up, which removes it. A no-op for other location types.
 */
export async function writeProfileCredentials(
  ctx: FunctionContext,
  target: ResticTarget,
  profile: Profile,
): Promise<() => Promise<void>> {
  if (profile.Location.Type !== LocationTypes.GCS) return async () => {};
  const { serviceKey } = gcsCredentials(profile);
  const ref = {
    namespace: target.namespace,
    pod: target.pod,
    ...(target.container ? { container: target.container } : {}),
  };
  const written = await ctx.cluster.exec(ref, ["sh", "-c", 'cat - > "$0"', GOOGLE_CLOUD_CREDS_FILE], {
    stdin: serviceKey,
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
  });
  if (written.exitCode !== 0) {
    throw new QuiesceError(
      DataErrorCodes.RESTIC_FAILED,
      `Unable to write Google credentials to ${written.pod}/${written.container}`,
      {
        details: { stderr: tail(written.stderr), exitCode: written.exitCode },
      },
    );
  }
  return async () => {
    // The phase may be over (aborted): the file is removed under a fresh, short time limit.
    await ctx.cluster
      .exec(ref, ["rm", GOOGLE_CLOUD_CREDS_FILE], { timeoutMs: 30_000 })
      .catch(() => undefined);
  };
}
