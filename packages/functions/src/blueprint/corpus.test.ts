import { CORPUS_TAG, corpusFiles, fixtureFiles, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { registerBuiltins } from "../builtins/index.js";
import { createRegistry } from "../registry.js";
import { loadBlueprint } from "./load.js";
import { validateBlueprint } from "./validate.js";

const files = corpusFiles("kanister");
const read = (file: string) => readCorpus(`kanister/${file}`);
const registry = createRegistry();
registerBuiltins(registry);

// Every function of the corpus is built in (RDS snapshot functions would not be).
const NOT_BUILT_IN = new Set<string>([]);

describe("the Kanister fixtures", () => {
  const fixtures = fixtureFiles("kanister");
  const load = (file: string) => loadBlueprint(readFixture(`kanister/${file}`));

  it.each(fixtures)("%s loads and validates, or names exactly what is wrong", (file) => {
    const { blueprint, warnings } = load(file);
    const result = validateBlueprint(blueprint, { registry });
    if (file === "tape-archive-blueprint.yaml") {
      expect(result.ok).toBe(false);
      expect(result.missingFunctions).toEqual(["ArchiveToTape", "RecallFromTape"]);
      expect(result.errors.map((e) => [e.kind, e.path])).toEqual([
        ["unknown-function", "actions.backup.phases[1].func"],
        ["unknown-function", "actions.restore.phases[0].func"],
      ]);
      expect(result.errors[0]?.message).toMatch(
        /^function ArchiveToTape is not registered \(registered: BackupData, /,
      );
    } else {
      expect(result.errors).toEqual([]);
      expect(result.ok).toBe(true);
    }
    if (file !== "export-session-blueprint.yaml") expect([...warnings, ...result.warnings]).toEqual([]);
  });

  it("reports a deferPhase without a name and a Wait condition without { } as quirks, with paths", () => {
    const { blueprint, warnings } = load("export-session-blueprint.yaml");
    expect(warnings).toEqual([
      expect.objectContaining({ path: "actions.backup.deferPhase.name", kind: "quirk" }),
    ]);
    expect(validateBlueprint(blueprint, { registry }).warnings).toEqual([
      expect.objectContaining({
        path: "actions.backup.phases[1].args.conditions.anyOf[0].condition",
        kind: "quirk",
        message: expect.stringContaining("JSONPath written without { }"),
      }),
    ]);
  });

  it("cover the eight built-ins real Blueprints call (KubeExec … WaitV2), besides two plugin functions", () => {
    const used = new Set<string>();
    for (const file of fixtures) {
      for (const action of Object.values(load(file).blueprint.actions)) {
        for (const p of [...action.phases, ...(action.deferPhase ? [action.deferPhase] : [])])
          used.add(p.func);
      }
    }
    expect([...used].sort()).toEqual([
      "ArchiveToTape",
      "KubeExec",
      "KubeExecAll",
      "KubeOps",
      "KubeTask",
      "PrepareData",
      "RecallFromTape",
      "ScaleWorkload",
      "Wait",
      "WaitV2",
    ]);
  });
});

describe("the Kanister corpus", { tags: [CORPUS_TAG] }, () => {
  it("has the 22 Blueprints", () => {
    expect(files).toHaveLength(22);
  });

  // What Kanister's validating webhook answers for each Blueprint (pkg/blueprint/validate Do: its
  // functions, their Arguments()/RequiredArgs(), pod labels and annotations, phase names).
  const VERDICTS: Record<string, true | string> = Object.fromEntries(files.map((f) => [f, true]));
  VERDICTS["elasticsearch-incremental-elasticsearch-incremental-blueprint.yaml"] =
    "Invalid blueprint, Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore'";

  it.each(files)("%s loads and validates as Kanister's webhook decides", (file) => {
    const { blueprint, warnings } = loadBlueprint(read(file));
    const result = validateBlueprint(blueprint, { registry });
    const verdict = VERDICTS[file] ?? true;
    expect(result.kanister).toEqual(
      verdict === true ? { allowed: true } : { allowed: false, message: verdict },
    );
    // quiesce's own errors: the functions it does not run, and exactly what Kanister refuses.
    for (const e of result.errors.filter((x) => x.kind === "unknown-function"))
      expect(e.message).toMatch(/is not registered \(registered: BackupData, /);
    const refusals = result.errors.filter((e) => e.kind !== "unknown-function");
    if (verdict === true) expect(refusals).toEqual([]);
    else expect(refusals.map((e) => e.kanister)).toContain(verdict.replace("Invalid blueprint, ", ""));
    for (const name of result.missingFunctions) expect(NOT_BUILT_IN.has(name)).toBe(true);
    expect([...warnings, ...result.warnings].every((w) => w.kind === "quirk")).toBe(true);
  });

  it("reports elasticsearch-incremental's phase name, used in three actions, with Kanister's message and both paths", () => {
    const result = validateBlueprint(
      loadBlueprint(read("elasticsearch-incremental-elasticsearch-incremental-blueprint.yaml")).blueprint,
      { registry },
    );
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        path: "actions.restore.phases[2].name",
        message:
          "Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore' (also at actions.backup.phases[0])",
        kind: "duplicate-phase",
        kanister:
          "Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore'",
      },
      {
        path: "actions.delete.phases[0].name",
        message:
          "Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore' (also at actions.backup.phases[0])",
        kind: "duplicate-phase",
        kanister:
          "Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore'",
      },
    ]);
  });

  it("validates csi-snapshot clean: the CSI snapshot functions are built in", () => {
    const text = read("csi-snapshot-csi-snapshot-blueprint.yaml");
    const result = validateBlueprint(loadBlueprint(text).blueprint, { registry });
    expect(result).toEqual({
      ok: true,
      errors: [],
      warnings: [],
      missingFunctions: [],
      kanister: { allowed: true },
    });
  });

  it("reports the README's quirks as warnings with paths", () => {
    const hook = loadBlueprint(read("postgresql-ha-postgres-ha-hook.yaml"));
    const hookCheck = validateBlueprint(hook.blueprint, { registry });
    expect(hookCheck.ok).toBe(true);
    expect(hookCheck.warnings.map((w) => w.path)).toEqual([
      "actions.postrestorehook.phases[0].args.conditions.anyOf[0].condition",
    ]);

    const startStop = loadBlueprint(read("postgresql-postgres-start-stop-blueprint.yaml"));
    expect(startStop.warnings).toEqual([
      expect.objectContaining({ path: "actions.backup.deferPhase.name", kind: "quirk" }),
    ]);
  });

  it("runs every implemented function of the corpus through the registry", () => {
    const used = new Set<string>();
    for (const file of files) {
      const { blueprint } = loadBlueprint(read(file));
      for (const action of Object.values(blueprint.actions)) {
        for (const p of [...action.phases, ...(action.deferPhase ? [action.deferPhase] : [])])
          used.add(p.func);
      }
    }
    const implemented = [...used].filter((f) => !NOT_BUILT_IN.has(f)).sort();
    expect(implemented).toEqual([
      "BackupData",
      "BackupDataAll",
      "CopyVolumeData",
      "CreateCSISnapshot",
      "DeleteCSISnapshot",
      "DeleteData",
      "DeleteDataAll",
      "KubeExec",
      "KubeExecAll",
      "KubeOps",
      "KubeTask",
      "LocationDelete",
      "PrepareData",
      "RestoreCSISnapshot",
      "RestoreData",
      "RestoreDataAll",
      "ScaleWorkload",
      "Wait",
      "WaitV2",
    ]);
    for (const f of implemented) expect(registry.has(f)).toBe(true);
  });
});
