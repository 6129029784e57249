#!/usr/bin/env node
/** The `quiesce` executable: wires the process to {@link main} and sets the exit code. */
import { main } from "./cli/main.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort(new Error(`interrupted by ${signal}`)));
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
