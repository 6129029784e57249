/** `quiesce render`: every phase's arguments (and output artifacts) of one action, rendered without running anything. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type Blueprint,
  type BlueprintPhase,
  globalRegistry,
  kanisterTemplateData,
  loadBlueprint,
  type TemplateParams,
} from "@quiesce/functions";
import "@quiesce/functions/builtins";
import { renderArgs } from "@quiesce/template";
import { readBlueprintDocument } from "./documents.js";
import { COMMON_FLAGS, FILE_FLAGS, fileArguments, parseCommand } from "./flags.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { type OutputFormat, outputFormat, writeStructured } from "./output.js";
import { loadTemplateParams } from "./params.js";
import { importPlugins } from "./plugins.js";

/** Options of the render command. */
export interface RenderCommandOptions {
  /** Files, directories or `-`, holding exactly one Blueprint. */
  files: readonly string[];
  recursive: boolean;
  action: string;
  paramsFile?: string | undefined;
  sets: readonly string[];
  time?: string | undefined;
  /** `text`: the rendered action as YAML, errors on stderr; `json`/`yaml`: the same with `ok` and `errors`. */
  output: OutputFormat;
}

interface RenderedPhase {
  name: string;
  func: string;
  objects?: unknown;
  args?: unknown;
  /** Set for functions that render their own arguments at run time (Wait's conditions). */
  note?: string;
}

interface RenderFailure {
  path: string;
  code: string;
  message: string;
}

/** Renders the action; returns the exit code (1 when any template failed). */
export async function renderCommand(opts: RenderCommandOptions, io: CliIO): Promise<number> {
  const doc = await readBlueprintDocument(opts.files, io, { recursive: opts.recursive });
  const { blueprint } = loadBlueprint(doc.value);
  const action = blueprint.actions[opts.action];
  if (!action) {
    throw new UsageError(
      `${doc.file}: no action "${opts.action}" (actions: ${Object.keys(blueprint.actions).join(", ")})`,
    );
  }
  const params = await loadTemplateParams({
    paramsFile: opts.paramsFile,
    sets: opts.sets,
    time: opts.time,
    cwd: io.cwd,
  });
  const failures: RenderFailure[] = [];
  const base = `actions.${opts.action}`;
  const phases = action.phases.map((phase, i) =>
    renderPhase(phase, `${base}.phases[${i}]`, params, failures, false),
  );
  const out: Record<string, unknown> = { blueprint: blueprintName(blueprint), action: opts.action, phases };
  if (action.deferPhase) {
    out.deferPhase = renderPhase(action.deferPhase, `${base}.deferPhase`, params, failures, true);
  }
  if (action.outputArtifacts) {
    const artifacts: Record<string, unknown> = {};
    for (const [name, artifact] of Object.entries(action.outputArtifacts)) {
      artifacts[name] = attempt(`${base}.outputArtifacts.${name}`, failures, () =>
        renderArgs(artifact, kanisterTemplateData(params), { name: "outputArtifacts" }),
      );
    }
    out.outputArtifacts = artifacts;
  }
  if (opts.output !== "text") {
    writeStructured(io, opts.output, { ...out, ok: failures.length === 0, errors: failures });
  } else {
    writeStructured(io, "yaml", out);
    for (const f of failures) io.stderr.write(`error: ${f.path}: ${f.message}\n`);
  }
  return failures.length === 0 ? EXIT_OK : EXIT_FAILED;
}

function renderPhase(
  phase: BlueprintPhase,
  path: string,
  params: Record<string, unknown> | object,
  failures: RenderFailure[],
  deferred: boolean,
): RenderedPhase {
  const p = params as {
    Phases: Record<string, unknown>;
    DeferPhase: unknown;
    CurrentPhase: unknown;
  };
  const name = phase.name || "deferPhase";
  // A phase sees earlier phases under .Phases and .CurrentPhase nil (Kanister renders arguments
  // before it sets CurrentPhase, pkg/phase.go Exec); outputs the caller supplied
  // (Phases.<name>.Output in the params) are kept.
  const given = (deferred ? p.DeferPhase : p.Phases[name]) as Record<string, unknown> | undefined;
  const own = { Secrets: {}, ConfigMaps: {}, Output: {}, ...(given ?? {}) };
  if (deferred) p.DeferPhase = own;
  else p.Phases[name] = own;
  p.CurrentPhase = null;
  const rendered: RenderedPhase = { name, func: phase.func };
  if (phase.objects) {
    rendered.objects = attempt(`${path}.objects`, failures, () =>
      renderArgs(phase.objects, kanisterTemplateData(params as TemplateParams), { name: "objects" }),
    );
  }
  const fn = globalRegistry().find(phase.func);
  if (fn?.rawArgs) {
    rendered.args = phase.args;
    rendered.note = `${phase.func} renders its own arguments while it runs; shown as written`;
    return rendered;
  }
  // The runner's view: Kanister's Go-typed TemplateParams.
  const args = attempt(`${path}.args`, failures, () =>
    renderArgs(phase.args, kanisterTemplateData(params as TemplateParams), { name: "args" }),
  );
  rendered.args = args;
  if (fn && args !== undefined) {
    const parsed = fn.args.safeParse(args);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const sub = (issue.path as PropertyKey[])
          .map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`))
          .join("");
        failures.push({ path: `${path}.args${sub}`, code: ErrorCodes.VALIDATION, message: issue.message });
      }
    }
  }
  return rendered;
}

function attempt(path: string, failures: RenderFailure[], fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    const code = err instanceof QuiesceError ? err.code : ErrorCodes.TEMPLATE_EXEC;
    failures.push({ path, code, message: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

function blueprintName(bp: Blueprint): string {
  return bp.metadata.name ?? "";
}

/** `quiesce render` from its argv. */
export async function renderCli(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...COMMON_FLAGS,
    ...FILE_FLAGS,
    action: { type: "string" },
    params: { type: "string" },
    set: { type: "string", multiple: true },
    time: { type: "string" },
  });
  const files = fileArguments(positionals, values.filename);
  if (files.length === 0)
    throw new UsageError("render needs the Blueprint: a file, a directory or - (stdin)");
  if (!values.action) throw new UsageError("render needs --action <name>");
  const output = outputFormat(values);
  await importPlugins(values.import ?? [], io.cwd);
  return renderCommand(
    {
      files,
      recursive: values.recursive ?? false,
      action: values.action,
      paramsFile: values.params,
      sets: values.set ?? [],
      time: values.time,
      output,
    },
    io,
  );
}
