/** Running restic in a container: the exec, restic's failures as coded errors, and Kanister's repository check. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type ContainerRef, type ExecResult, ExecTimeoutError, type V1Pod } from "@quiesce/kube";
import { nonZeroExit } from "../builtins/common.js";
import { execCallFailed } from "../builtins/exec-failure.js";
import type { FunctionContext } from "../function-types.js";
import { gcsCredentials } from "../profile/credentials.js";
import { LocationTypes, type Profile } from "../profile/types.js";
import { DataErrorCodes } from "./errors.js";
import { wrapError } from "./kanister-wrap.js";
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

/**
 * Runs a restic command in `target`; resolves with its result whatever the exit code. When the
 * phase's time limit cuts it short, rejects with a QUIESCE_TIMEOUT error that says restic may still
 * be running and carries the tails of what it printed (a store that stopped answering makes restic
 * retry for minutes).
 */
export async function execRestic(
  ctx: FunctionContext,
  target: ResticTarget,
  command: ResticCommand,
  what = "restic",
): Promise<ExecResult> {
  try {
    return await ctx.cluster.exec(
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
  } catch (err) {
    // An exec that failed without an exit code (pod gone, API refusal): Kanister's words for it,
    // behind what the command was for.
    if (!(err instanceof ExecTimeoutError)) {
      const worded = execCallFailed(err, ctx.signal);
      throw ctx.signal.aborted ? worded : wrapError(worded, what);
    }
    const { pod, container, stdout, stderr } = err.partial;
    const last = lastWords(stderr);
    throw new QuiesceError(
      ErrorCodes.TIMEOUT,
      `${what}: restic ${command.args[0]} in ${pod}/${container} did not finish in time and may still be running${last ? `: ${last}` : ""}`,
      {
        cause: err,
        secrets: command.secrets,
        details: {
          command: ["restic", ...command.args],
          pod,
          container,
          possiblyStillRunning: true,
          stdout: tail(stdout),
          stderr: tail(stderr),
        },
      },
    );
  }
}

/** restic's most telling stderr line: the first Fatal/error line, else the last line. */
function lastWords(stderr: string): string {
  const lines = stderr
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.find((l) => /Fatal|error/i.test(l)) ?? lines.at(-1) ?? "";
}

/**
 * The coded error for a restic command that failed, in Kanister's words: `<what>: Failed to exec
 * command in pod: command terminated with exit code N.` and the tails of stdout and stderr
 * (pkg/kube/exec.go ExecError). The code says what restic's stderr said (a wrong key, no
 * repository there); the command, exit code and longer tails are in the details.
 */
export function resticError(what: string, command: ResticCommand, result: ExecResult): QuiesceError {
  const code = isPasswordIncorrect(result.stderr)
    ? DataErrorCodes.RESTIC_PASSWORD_INCORRECT
    : isRepositoryMissing(result.stderr)
      ? DataErrorCodes.RESTIC_REPOSITORY_UNAVAILABLE
      : DataErrorCodes.RESTIC_FAILED;
  return new QuiesceError(code, `${what}: ${nonZeroExit(result).message}`, {
    secrets: command.secrets,
    details: {
      command: ["restic", ...command.args],
      pod: result.pod,
      container: result.container,
      exitCode: result.exitCode,
      stdout: tail(result.stdout),
      stderr: tail(result.stderr),
    },
  });
}

/** Runs a restic command and throws {@link resticError} unless it exits 0. */
export async function runRestic(
  ctx: FunctionContext,
  target: ResticTarget,
  command: ResticCommand,
  what: string,
): Promise<ExecResult> {
  const result = await execRestic(ctx, target, command, what);
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
  const what = "Failed to create object store backup location";
  // Any failure of the listing — also a command that cannot be built (a location restic cannot
  // reach) or an exec that cannot run — leads to the init, whose failure is reported (Kanister).
  const notListed = { exitCode: -1, stderr: "" } as const;
  let listed: { exitCode: number; stderr: string } = notListed;
  try {
    const probe = resticCommand(profile, repository, encryptionKey, resticArgs.latestSnapshots(insecureTLS));
    listed = await execRestic(ctx, target, probe, what);
  } catch (err) {
    if (ctx.signal.aborted || QuiesceError.is(err, ErrorCodes.TIMEOUT)) throw err;
  }
  if (listed.exitCode === 0) return;
  let init: ResticCommand;
  try {
    init = resticCommand(profile, repository, encryptionKey, resticArgs.init(insecureTLS));
  } catch (err) {
    throw wrapError(err, "Failed to create init command");
  }
  const created = await execRestic(ctx, target, init, what);
  if (created.exitCode === 0) return;
  // Kanister reports the failed init (its words); what the listing said first is why (a wrong key,
  // a store that cannot be reached), so the code comes from it.
  const err = resticError(what, init, created);
  const cause = isPasswordIncorrect(listed.stderr)
    ? DataErrorCodes.RESTIC_PASSWORD_INCORRECT
    : isRepositoryMissing(listed.stderr) && err.code === DataErrorCodes.RESTIC_FAILED
      ? DataErrorCodes.RESTIC_REPOSITORY_UNAVAILABLE
      : err.code;
  throw new QuiesceError(cause, err.message, {
    cause: err,
    secrets: init.secrets,
    details: { ...err.details, listing: { exitCode: listed.exitCode, stderr: tail(listed.stderr) } },
  });
}

/**
 * Runs `body` with the Profile's credential file in place in the target container, and removes the
 * file afterwards whatever `body` did (see {@link writeProfileCredentials}).
 */
export async function withProfileCredentials<T>(
  ctx: FunctionContext,
  target: ResticTarget,
  profile: Profile,
  body: () => Promise<T>,
): Promise<T> {
  const removeCredentials = await writeProfileCredentials(ctx, target, profile);
  try {
    return await body();
  } finally {
    await removeCredentials();
  }
}

/**
 * For a gcs Profile, writes the service account key to the container's /tmp/creds.txt, where
 * `GOOGLE_APPLICATION_CREDENTIALS` points (Kanister GetPodWriter / MaybeWriteProfileCredentials);
 * returns the clean-up, which removes it. A no-op for other location types.
 */
async function writeProfileCredentials(
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
    // Kanister MaybeWriteProfileCredentials: "Unable to write Google credentials" around the write's error.
    throw new QuiesceError(
      DataErrorCodes.RESTIC_FAILED,
      `Unable to write Google credentials: ${nonZeroExit(written).message}`,
      {
        details: {
          pod: written.pod,
          container: written.container,
          stderr: tail(written.stderr),
          exitCode: written.exitCode,
        },
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
