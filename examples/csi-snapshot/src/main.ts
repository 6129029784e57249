/**
 * `pnpm --filter @quiesce/example-csi-snapshot start`: runs the scenario (see scenario.ts) and
 * prints what the snapshot holds next to what the database wrote; exits 0 only if the snapshot
 * holds none of the orders accepted while the database was frozen.
 */
import { runScenario } from "./scenario.js";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new Error("interrupted")));

const outcome = await runScenario({ signal: controller.signal });
const out = (line: string) => process.stdout.write(`${line}\n`);
out(`session: ${outcome.session.outcome} (${outcome.session.decidedBy})`);
for (const hook of outcome.session.hooks) out(`  hook ${hook.phase} ${hook.name}: ${hook.status}`);
const info = outcome.snapshot?.outputArtifacts.snapshotInfo?.KeyValue ?? {};
out(`snapshot: ${info.name ?? "-"} of ${info.pvc ?? "-"} (${info.restoreSize ?? "-"})`);
const frozenAt = outcome.frozenAt;
const thawedAt = outcome.thawedAt ?? "";
const held = outcome.liveJournal.filter(
  (r) => frozenAt && r.acceptedAt >= frozenAt.at && r.acceptedAt <= thawedAt,
);
const inSnapshot = new Set(outcome.snapshotJournal.map((r) => r.seq));
const leaked = held.filter((r) => inSnapshot.has(r.seq));
out(`frozen at record ${frozenAt?.record ?? "-"} (${frozenAt?.at ?? "-"}), thawed ${thawedAt || "-"}`);
out(
  `snapshot journal: ${outcome.snapshotJournal.length} records, last ${outcome.snapshotJournal.at(-1)?.seq ?? "-"}`,
);
const range = held.length > 0 ? ` (${held[0]?.seq}–${held.at(-1)?.seq})` : "";
out(`accepted while frozen: ${held.length} records${range}, in the snapshot: ${leaked.length}`);
const ok = outcome.session.outcome === "succeeded" && held.length > 0 && leaked.length === 0;
out(ok ? "VERDICT: PASS" : "VERDICT: FAIL");
process.exitCode = ok ? 0 : 1;
