/**
 * An example plugin package for quiesce: it defines two Kanister functions of its own and registers
 * them on the global function registry when imported, like a Go database driver:
 *
 * ```ts
 * import "@quiesce/example-plugin-function";   // FlushRedis and PgCheckpoint are now registered
 * ```
 *
 * A Blueprint can then call them like any built-in function:
 *
 * ```yaml
 * - func: FlushRedis
 *   name: flush
 *   args:
 *     namespace: "{{ .StatefulSet.Namespace }}"
 *     pod: "{{ index .StatefulSet.Pods 0 }}"
 * ```
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { defineFunction, looseBool, looseString, PhaseOutputParser, register } from "@quiesce/functions";
import { z } from "zod";

/**
 * FlushRedis: asks Redis to persist its dataset (`BGSAVE`, or `SAVE` when `wait` is true) in a pod,
 * and outputs `lastSave`, the `LASTSAVE` timestamp after the flush.
 */
export const flushRedis = defineFunction({
  name: "FlushRedis",
  outputs: ["lastSave"],
  args: z.object({
    namespace: looseString(),
    pod: looseString(),
    container: looseString().optional(),
    /** Block until the dump is written (SAVE) instead of forking (BGSAVE). */
    wait: looseBool().optional().default(true),
  }),
  async exec(ctx, args) {
    const target = {
      namespace: args.namespace,
      pod: args.pod,
      ...(args.container ? { container: args.container } : {}),
    };
    const call = { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
    const save = await ctx.cluster.exec(target, ["redis-cli", args.wait ? "SAVE" : "BGSAVE"], call);
    if (save.exitCode !== 0 || !/^(OK|Background saving started)/m.test(save.stdout)) {
      throw new QuiesceError(
        ErrorCodes.EXEC_NONZERO_EXIT,
        `FlushRedis: redis-cli in ${args.pod} failed: ${save.stdout.trim() || save.stderr.trim()}`,
        {
          details: { exitCode: save.exitCode, stdout: save.stdout, stderr: save.stderr },
        },
      );
    }
    ctx.progress(50);
    const last = await ctx.cluster.exec(target, ["redis-cli", "LASTSAVE"], call);
    const lastSave = last.stdout.trim().replace(/^\(integer\)\s*/, "");
    if (last.exitCode !== 0 || !/^\d+$/.test(lastSave)) {
      throw new QuiesceError(
        ErrorCodes.EXEC_NONZERO_EXIT,
        `FlushRedis: LASTSAVE in ${args.pod} answered "${last.stdout.trim()}"`,
      );
    }
    return { lastSave };
  },
});

/**
 * PgCheckpoint: runs `CHECKPOINT` through psql in a pod and outputs the WAL position reported by the
 * command on a `###Phase-output###` line (the same convention Kanister's `kando output` uses).
 */
export const pgCheckpoint = defineFunction({
  name: "PgCheckpoint",
  outputs: ["lsn"],
  args: z.object({
    namespace: looseString(),
    pod: looseString(),
    container: looseString().optional(),
    user: looseString().optional().default("postgres"),
  }),
  async exec(ctx, args) {
    const parser = new PhaseOutputParser();
    const sql =
      "CHECKPOINT; SELECT '###Phase-output###: ' || json_build_object('key','lsn','value',pg_current_wal_lsn()::text)::text;";
    const result = await ctx.cluster.exec(
      { namespace: args.namespace, pod: args.pod, ...(args.container ? { container: args.container } : {}) },
      ["psql", "-U", args.user, "-tAc", sql],
      { signal: ctx.signal, timeoutMs: ctx.timeoutMs, onStdout: (chunk) => parser.write(chunk) },
    );
    if (result.exitCode !== 0) {
      throw new QuiesceError(
        ErrorCodes.EXEC_NONZERO_EXIT,
        `PgCheckpoint: psql exited with ${result.exitCode}: ${result.stderr.trim()}`,
      );
    }
    const outputs = parser.result();
    if (!outputs.lsn)
      throw new QuiesceError(ErrorCodes.OUTPUT_MALFORMED, "PgCheckpoint: psql printed no WAL position");
    return { lsn: outputs.lsn };
  },
});

// Registration at import time; registering the same objects twice (a second import) is a no-op.
register(flushRedis);
register(pgCheckpoint);
