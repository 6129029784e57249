/**
 * `pnpm demo [--fail-backup | --fail-restore]`: runs the end-to-end scenario (see scenario.ts) and exits 0 only if
 * everything succeeded and every verification passed.
 */
import { parseArgs } from "node:util";
import { runDemo } from "./scenario.js";

const usage = [
  "usage: pnpm demo [--fail-backup | --fail-restore]",
  "  --fail-backup   make the backup step fail (object store unreachable)",
  "  --fail-restore  restore from a missing backup folder (the deferPhase still scales back up)",
  "",
].join("\n");

let failBackup = false;
let failRestore = false;
try {
  const { values } = parseArgs({
    // `pnpm demo -- --fail-backup` passes the separator through; it means nothing here.
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      "fail-backup": { type: "boolean" },
      "fail-restore": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  failBackup = values["fail-backup"] ?? false;
  failRestore = values["fail-restore"] ?? false;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new Error("interrupted")));

try {
  const outcome = await runDemo({
    failBackup,
    failRestore,
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
