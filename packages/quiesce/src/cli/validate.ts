/** `quiesce validate`: every document of every file checked with the packages' own loaders. */
import { QuiesceError } from "@quiesce/core";
import { KUBESTASH_TEMPLATE_OPTIONS } from "@quiesce/executors";
import { type FunctionRegistry, loadBlueprint, validateBlueprint } from "@quiesce/functions";
import {
  type HookTemplate,
  loadHookReferences,
  loadHookTemplate,
  loadVeleroHooks,
  VELERO_ANNOTATION_PREFIXES,
} from "@quiesce/hooks";
import { compile } from "@quiesce/template";
import type { SourceDocument, YamlIssue } from "./documents.js";

/** One problem found in a document. */
export interface Finding {
  /** A path into the document (`actions.backup.phases[2].args.command`), or "" for the whole document. */
  path: string;
  message: string;
  /** The line the path points at (or its nearest parent), when known. */
  line?: number;
  /** YAML errors: the column, and the source lines the parser points into. */
  column?: number;
  excerpt?: string;
  /** What kind of problem: schema, unknown-function, template, yaml, unsupported-kind, quirk, … */
  kind: string;
}

/** The verdict on one document. */
export interface DocumentReport {
  file: string;
  document: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** `valid` (warnings allowed), `invalid`, or `unsupported` (not a quiesce format: not checked). */
  status: "valid" | "invalid" | "unsupported";
  errors: Finding[];
  warnings: Finding[];
}

/** Options of {@link validateDocument}. */
export interface ValidateDocumentOptions {
  registry: FunctionRegistry;
  /** Report Blueprint functions that are not registered as warnings instead of errors. */
  allowMissingFunctions: boolean;
}

/** Checks one document with the loader/validator of its kind. Never throws. */
export function validateDocument(doc: SourceDocument, options: ValidateDocumentOptions): DocumentReport {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const report: DocumentReport = { file: doc.file, document: doc.index, status: "valid", errors, warnings };
  if (doc.apiVersion !== undefined) report.apiVersion = doc.apiVersion;
  if (doc.kind !== undefined) report.kind = doc.kind;
  if (doc.name !== undefined) report.name = doc.name;
  const at = (path: string, message: string, kind: string): Finding => {
    const line = doc.lineOf(path);
    return line === undefined ? { path, message, kind } : { path, message, kind, line };
  };

  const velero = doc.quiesceKind === "VeleroBackup" || doc.quiesceKind === "VeleroRestore";
  if (velero || (doc.quiesceKind === undefined && hasVeleroAnnotations(doc.value))) {
    checkVelero(doc, at, errors, warnings);
    if (errors.length > 0) report.status = "invalid";
    return report;
  }

  if (doc.quiesceKind === undefined) {
    if (doc.apiVersion === undefined || doc.kind === undefined) {
      for (const e of doc.yamlErrors) errors.push(yamlFinding(e));
      errors.push({
        path: "",
        message: "not a Kubernetes-style document: apiVersion and kind are required",
        kind: "schema",
      });
      report.status = "invalid";
      return report;
    }
    // Foreign formats (Velero, plain Kubernetes objects, …) are not checked at all, syntax included.
    warnings.push({
      path: "",
      message: `unsupported document kind ${doc.apiVersion} ${doc.kind}: not a quiesce format, not validated`,
      kind: "unsupported-kind",
    });
    report.status = "unsupported";
    return report;
  }

  if (doc.yamlErrors.length > 0) {
    for (const e of doc.yamlErrors) errors.push(yamlFinding(e));
    report.status = "invalid";
    return report;
  }

  switch (doc.quiesceKind) {
    case "Blueprint":
      checkBlueprint(doc.value, options, at, errors, warnings);
      break;
    case "HookTemplate":
      checkHookTemplate(doc.value, at, errors);
      break;
    case "BackupConfiguration":
    case "RestoreSession":
      checkReferences(doc.value, at, errors, warnings);
      break;
    default:
      break;
  }
  if (errors.length > 0) report.status = "invalid";
  return report;
}

type At = (path: string, message: string, kind: string) => Finding;

function checkBlueprint(
  value: unknown,
  options: ValidateDocumentOptions,
  at: At,
  errors: Finding[],
  warnings: Finding[],
): void {
  let loaded: ReturnType<typeof loadBlueprint>;
  try {
    loaded = loadBlueprint(value);
  } catch (err) {
    errors.push(...issuesOf(err, at));
    return;
  }
  for (const w of loaded.warnings) warnings.push(at(w.path, w.message, w.kind));
  const result = validateBlueprint(loaded.blueprint, { registry: options.registry });
  for (const e of result.errors) {
    const finding = at(e.path, e.message, e.kind);
    if (options.allowMissingFunctions && e.kind === "unknown-function") warnings.push(finding);
    else errors.push(finding);
  }
  // loadBlueprint and validateBlueprint may both report a quirk; keep one of each.
  const seen = new Set(warnings.map((w) => `${w.path}\n${w.message}`));
  for (const w of result.warnings) {
    if (!seen.has(`${w.path}\n${w.message}`)) warnings.push(at(w.path, w.message, w.kind));
  }
}

function checkHookTemplate(value: unknown, at: At, errors: Finding[]): void {
  let template: HookTemplate;
  try {
    template = loadHookTemplate(value);
  } catch (err) {
    errors.push(...issuesOf(err, at));
    return;
  }
  // The exec command and the httpPost body are Go templates: check their syntax now, not at run time.
  const action = template.spec.action ?? {};
  const sources: Array<[string, string]> = [];
  (action.exec?.command ?? []).forEach((arg, i) => {
    sources.push([`spec.action.exec.command[${i}]`, arg]);
  });
  if (typeof action.httpPost?.body === "string")
    sources.push(["spec.action.httpPost.body", action.httpPost.body]);
  for (const [path, source] of sources) {
    if (!source.includes("{{")) continue;
    try {
      // KubeStash renders HookTemplates with sprig v3.
      compile(source, { ...KUBESTASH_TEMPLATE_OPTIONS, name: path });
    } catch (err) {
      errors.push(at(path, `template syntax: ${(err as Error).message}`, "template"));
    }
  }
}

function checkReferences(value: unknown, at: At, errors: Finding[], warnings: Finding[]): void {
  try {
    const loaded = loadHookReferences(value);
    for (const w of loaded.warnings) {
      // The loader's warnings start with the path they are about.
      const m = /^(\S+) (.*)$/s.exec(w);
      if (m?.[1]?.startsWith("spec.")) warnings.push(at(m[1], m[2] ?? w, "quirk"));
      else warnings.push({ path: "", message: w, kind: "quirk" });
    }
  } catch (err) {
    errors.push(...issuesOf(err, at));
  }
}

/** True when any annotation map in the document carries a Velero hook annotation. */
function hasVeleroAnnotations(value: unknown): boolean {
  const prefixes = Object.values(VELERO_ANNOTATION_PREFIXES);
  const seen = (node: unknown, depth: number): boolean => {
    if (depth > 8 || node === null || typeof node !== "object") return false;
    const annotations = (node as { metadata?: { annotations?: unknown } }).metadata?.annotations;
    if (annotations && typeof annotations === "object") {
      if (Object.keys(annotations).some((k) => prefixes.some((p) => k.startsWith(p)))) return true;
    }
    return Object.values(node).some((v) => seen(v, depth + 1));
  };
  return seen(value, 0);
}

// Velero documents load despite YAML damage outside their hooks (a "..." line copied from the
// docs): the YAML errors are warnings, and a damaged hook part still fails its schema.
function checkVelero(doc: SourceDocument, at: At, errors: Finding[], warnings: Finding[]): void {
  for (const e of doc.yamlErrors) warnings.push(yamlFinding(e));
  try {
    const loaded = loadVeleroHooks(doc.value);
    for (const w of loaded.warnings) warnings.push(at(w.path, w.message, w.kind));
  } catch (err) {
    errors.push(...issuesOf(err, at));
  }
}

function yamlFinding(e: YamlIssue): Finding {
  const finding: Finding = {
    path: "",
    message: `YAML: ${e.message}`,
    kind: "yaml",
    line: e.line,
    column: e.column,
  };
  if (e.excerpt) finding.excerpt = e.excerpt;
  return finding;
}

/** The path-level issues of a loader's validation error (or the error itself). */
function issuesOf(err: unknown, at: At): Finding[] {
  if (err instanceof QuiesceError) {
    const issues = err.details.issues;
    if (Array.isArray(issues) && issues.length > 0) {
      return issues.map((i: { path?: unknown; message?: unknown; kind?: unknown; code?: unknown }) =>
        at(
          typeof i.path === "string" ? i.path : "",
          String(i.message),
          typeof i.kind === "string" ? i.kind : typeof i.code === "string" ? i.code : "schema",
        ),
      );
    }
  }
  return [{ path: "", message: err instanceof Error ? err.message : String(err), kind: "schema" }];
}
