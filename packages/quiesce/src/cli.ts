#!/usr/bin/env node
/**
 * The `quiesce` executable: refuses a Node.js older than the packages need, then wires the process
 * to `main` and sets the exit code. The first SIGINT/SIGTERM cancels the running command, which
 * runs its cleanup and exits 130/143; a second one exits at once.
 */
import { unsupportedNode } from "./cli/node-version.js";

// Checked before anything else is loaded: on an older Node the imports below would fail obscurely.
const unsupported = unsupportedNode(process.versions.node);
if (unsupported !== undefined) {
  process.stderr.write(`quiesce: ${unsupported}\n`);
  process.exit(1);
}
const { interruption } = await import("./cli/io.js");
const { main } = await import("./cli/main.js");

const controller = new AbortController();
const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!controller.signal.aborted) {
      controller.abort(interruption(signal));
      return;
    }
    process.stderr.write(`quiesce: ${signal} again: exiting without waiting for cleanup\n`);
    process.exit(codes[signal]);
  });
}
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Touched only when a file argument is `-`.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// An interrupted run may leave sockets or timers of the cancelled work behind: do not wait for them.
if (controller.signal.aborted) process.stdout.write("", () => process.exit(code));
