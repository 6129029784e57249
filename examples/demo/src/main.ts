/**
 * `pnpm demo [--fail-backup]`: runs the end-to-end scenario (see scenario.ts) and exits 0 only if
 * everything succeeded and every verification passed.
 */
import { parseArgs } from "node:util";
import { runDemo } from "./scenario.js";

const usage =
  "usage: pnpm demo [--fail-backup]\n  --fail-backup  make the backup step fail (object store unreachable)\n";

let failBackup = false;
try {
  const { values } = parseArgs({
    // `pnpm demo -- --fail-backup` passes the separator through; it means nothing here.
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: { "fail-backup": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  failBackup = values["fail-backup"] ?? false;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new Error("interrupted")));

try {
  const outcome = await runDemo({
    failBackup,
    out: (line) => process.stdout.write(`${line}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    signal: controller.signal,
  });
  // 130 after Ctrl-C (the cleanup hooks still ran), as a shell reports an interrupted command.
  process.exitCode = outcome.ok ? 0 : controller.signal.aborted ? 130 : 1;
} catch (err) {
  process.stderr.write(`demo aborted: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
