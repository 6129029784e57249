/** loadVeleroHooks: Velero Backups, Restores and annotated pods/workloads, from YAML text or objects, validated. */
import { assertDocumentShape, codedLoad, ErrorCodes, QuiesceError, yamlDocumentToValue } from "@quiesce/core";
import { parseAllDocuments } from "yaml";
import type { LabelSelector } from "../label-selector.js";
import { parseWith } from "../validation.js";
import { parseVeleroAnnotations, type VeleroAnnotationHooks } from "./annotations.js";
import { podsIncluded } from "./glob.js";
import {
  type VeleroBackupExec,
  type VeleroRestoreExec,
  type VeleroRestoreInit,
  veleroBackupSchema,
  veleroRestoreSchema,
} from "./schema.js";

/** Which namespaces and pods a rule (or a whole Backup/Restore) covers, lists normalised (null → []). */
export interface VeleroScope {
  includedNamespaces: string[];
  excludedNamespaces: string[];
  includedResources: string[];
  excludedResources: string[];
  labelSelector?: LabelSelector;
}

/** A `spec.hooks.resources[]` entry of a Backup. */
export interface VeleroBackupRule extends VeleroScope {
  name: string;
  pre: VeleroBackupExec[];
  post: VeleroBackupExec[];
}

/** A `spec.hooks.resources[]` entry of a Restore. */
export interface VeleroRestoreRule extends VeleroScope {
  name: string;
  /** Each entry as declared: `exec`, `init`, both (Velero applies both), or neither (nothing). */
  postHooks: Array<{ exec?: VeleroRestoreExec; init?: VeleroRestoreInit }>;
}

/** The hook part of a Backup or Restore, with the object's own selection (hooks run only on what it covers). */
export interface VeleroHookSet<R> {
  name: string | undefined;
  namespace: string | undefined;
  /** The Backup/Restore's own `includedNamespaces`, `excludedNamespaces`, `labelSelector`. */
  scope: VeleroScope & {
    orLabelSelectors: LabelSelector[];
    includedNamespaceScopedResources?: string[];
    excludedNamespaceScopedResources?: string[];
  };
  resources: R[];
  /** A Restore's `spec.namespaceMapping` (source namespace → target namespace). */
  namespaceMapping?: Record<string, string>;
}

/** A pod or workload whose (pod template) annotations declare Velero hooks. */
export interface VeleroAnnotated {
  document: number;
  kind: string;
  name: string | undefined;
  namespace: string | undefined;
  /** Path of the annotations map in the document. */
  path: string;
  hooks: VeleroAnnotationHooks;
}

/** Something worth telling the user that does not stop the document from loading. */
export interface VeleroWarning {
  /** 1-based position of the document in its input. */
  document: number;
  path: string;
  message: string;
  kind: "quirk" | "unsupported" | "ignored";
}

/** What {@link loadVeleroHooks} returns. */
export interface LoadedVeleroHooks {
  backup?: VeleroHookSet<VeleroBackupRule>;
  restore?: VeleroHookSet<VeleroRestoreRule>;
  annotated: VeleroAnnotated[];
  warnings: VeleroWarning[];
}

/** Where each workload kind keeps its pod template's annotations. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: ["metadata", "annotations"],
  Deployment: ["spec", "template", "metadata", "annotations"],
  StatefulSet: ["spec", "template", "metadata", "annotations"],
  DaemonSet: ["spec", "template", "metadata", "annotations"],
  ReplicaSet: ["spec", "template", "metadata", "annotations"],
  ReplicationController: ["spec", "template", "metadata", "annotations"],
  Job: ["spec", "template", "metadata", "annotations"],
  PodTemplate: ["template", "metadata", "annotations"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "metadata", "annotations"],
};

function dig(value: unknown, keys: readonly string[]): unknown {
  let node = value;
  for (const k of keys)
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined;
  return node;
}

const arr = <T>(v: T[] | null | undefined): T[] => v ?? [];

function scopeOf(raw: {
  includedNamespaces?: string[] | null | undefined;
  excludedNamespaces?: string[] | null | undefined;
  includedResources?: string[] | null | undefined;
  excludedResources?: string[] | null | undefined;
  labelSelector?: LabelSelector | null | undefined;
}): VeleroScope {
  const scope: VeleroScope = {
    includedNamespaces: arr(raw.includedNamespaces),
    excludedNamespaces: arr(raw.excludedNamespaces),
    includedResources: arr(raw.includedResources),
    excludedResources: arr(raw.excludedResources),
  };
  if (raw.labelSelector) scope.labelSelector = raw.labelSelector;
  return scope;
}

// A Backup/Restore's own selection fields are passed through unchecked; read them leniently.
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function objectScope(spec: Record<string, unknown>): VeleroHookSet<never>["scope"] {
  const scope: VeleroHookSet<never>["scope"] = {
    includedNamespaces: strings(spec.includedNamespaces),
    excludedNamespaces: strings(spec.excludedNamespaces),
    includedResources: strings(spec.includedResources),
    excludedResources: strings(spec.excludedResources),
    orLabelSelectors: Array.isArray(spec.orLabelSelectors) ? (spec.orLabelSelectors as LabelSelector[]) : [],
  };
  for (const key of ["includedNamespaceScopedResources", "excludedNamespaceScopedResources"] as const) {
    if (Array.isArray(spec[key])) scope[key] = strings(spec[key]);
  }
  if (spec.labelSelector && typeof spec.labelSelector === "object")
    scope.labelSelector = spec.labelSelector as LabelSelector;
  return scope;
}

/**
 * A literal `...` (an elision copied from documentation) is either a value — the string "..." —
 * or, on a line of its own, runs into the next key (`... includedNamespaces`): say where and what it cost.
 */
function findEllipses(value: unknown, path: string, out: Array<{ path: string; message: string }>): void {
  if (value === "...") {
    const list = /(Namespaces|Resources)$/.test(path);
    out.push({
      path: path || "(root)",
      message: `the value is the string "..." (an elision left from documentation?); Velero expects ${list ? "a list of names here and would reject this document" : "a real value here"}; quiesce ignores it`,
    });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) findEllipses(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const plain = /^[A-Za-z_][\w-]*$/.test(k);
      const child = plain ? (path === "" ? k : `${path}.${k}`) : `${path}[${JSON.stringify(k)}]`;
      const lost = /^\.\.\.\s+(\S+)$/.exec(k)?.[1];
      if (lost !== undefined) {
        const field = path === "" ? lost : `${path}.${lost}`;
        out.push({
          path: child,
          message: `a literal "..." line (an elision left from documentation) runs into the next key: YAML reads the key ${JSON.stringify(k)}, so ${field} is lost and the field above the "..." is empty (null); Velero would reject this document; quiesce loads the hooks, which it does not touch`,
        });
      }
      findEllipses(v, child, out);
    }
  }
}

interface SourceDoc {
  value: unknown;
  yamlErrors: Array<{ line: number | undefined; message: string }>;
}

// The document's value without letting alias errors (an undefined alias, an alias bomb) or a
// cyclic, too deep or too large document escape uncoded; YAML syntax errors stay warnings.
function safeValue(
  doc: { toJS(o?: { maxAliasCount?: number }): unknown; options?: { logLevel?: string } },
  n: number,
): unknown {
  const what = `Velero document ${n}`;
  return codedLoad(what, () =>
    yamlDocumentToValue(
      { errors: [], toJS: (o) => doc.toJS(o), ...(doc.options ? { options: doc.options } : {}) },
      what,
    ),
  );
}

function docsOf(input: unknown): SourceDoc[] {
  if (typeof input === "string") {
    const docs = parseAllDocuments(input);
    const list = Array.isArray(docs) ? docs : [];
    // A YAML error does not stop the load: the best-effort document is validated like any other
    // (a damaged hook part fails its schema) and the error is reported as a warning with its line.
    return list
      .filter((d) => d.contents !== null)
      .map((d, i) => ({
        value: safeValue(d, i + 1),
        yamlErrors: d.errors.map((e) => ({
          line: e.linePos?.[0]?.line,
          message: e.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? e.message,
        })),
      }));
  }
  return (Array.isArray(input) ? input : [input]).map((value, i) => {
    assertDocumentShape(value, `Velero document ${i + 1}`);
    return { value, yamlErrors: [] };
  });
}

/**
 * Loads Velero hook declarations from YAML text (multi-document), an object, or a list of objects:
 * a `velero.io/v1` Backup (`spec.hooks.resources[]` with `pre`/`post` exec hooks), a Restore
 * (`spec.hooks.resources[].postHooks[]`), and any Pod or workload whose pod template carries
 * `pre.hook.backup.velero.io/*`, `post.hook.backup.velero.io/*` or `post.hook.restore.velero.io/*`
 * annotations. Other documents are ignored. Every hook is validated (durations as Go durations);
 * a problem throws `QUIESCE_VALIDATION` naming each path (`details.issues`, `details.document`).
 * Quirks that Velero itself would trip on but that do not touch the hooks — a `...` placeholder, a
 * rule that can match no pod — and restore `init` hooks (validated; quiesce does not restore pods)
 * are returned as warnings.
 *
 * @example
 * ```ts
 * const loaded = loadVeleroHooks(readFileSync("backup.yaml", "utf8"));
 * loaded.backup?.resources[0]?.pre[0]?.command; // ["/bin/uname", "-a"]
 * ```
 */
export function loadVeleroHooks(input: unknown): LoadedVeleroHooks {
  return codedLoad("Velero hook documents", () => loadChecked(input));
}

function loadChecked(input: unknown): LoadedVeleroHooks {
  const out: LoadedVeleroHooks = { annotated: [], warnings: [] };
  for (const [i, doc] of docsOf(input).entries()) {
    for (const e of doc.yamlErrors) {
      out.warnings.push({
        document: i + 1,
        path: "",
        message: `YAML${e.line === undefined ? "" : ` line ${e.line}`}: ${e.message}; the document was read as far as possible`,
        kind: "quirk",
      });
    }
    loadDocument(doc.value, i + 1, out);
  }
  return out;
}

function fail(document: number, message: string, issues: Array<{ path: string; message: string }>): never {
  throw new QuiesceError(ErrorCodes.VALIDATION, `document ${document}: ${message}`, {
    // The whole document is at fault when no narrower path is named.
    details: { document, path: issues[0]?.path ?? "", issues: issues.map((i) => ({ ...i, code: "custom" })) },
  });
}

function rethrow(document: number, err: unknown): never {
  if (err instanceof QuiesceError) {
    throw new QuiesceError(err.code, `document ${document}: ${err.message}`, {
      details: { ...err.details, document },
      cause: err,
    });
  }
  throw err;
}

function loadDocument(doc: unknown, document: number, out: LoadedVeleroHooks): void {
  if (doc === null || typeof doc !== "object") return;
  const head = doc as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  };
  const kind = typeof head.kind === "string" ? head.kind : "";
  const warn = (path: string, message: string, k: VeleroWarning["kind"]) =>
    out.warnings.push({ document, path, message, kind: k });
  if (head.apiVersion === "velero.io/v1" && (kind === "Backup" || kind === "Restore")) {
    const ellipses: Array<{ path: string; message: string }> = [];
    findEllipses(doc, "", ellipses);
    for (const e of ellipses) warn(e.path, e.message, "quirk");
    if (kind === "Backup") loadBackup(doc, document, out, warn);
    else loadRestore(doc, document, out, warn);
    return;
  }
  const path = TEMPLATE_PATHS[kind];
  if (!path) return;
  const annotations = dig(doc, path);
  if (annotations === undefined || annotations === null || typeof annotations !== "object") return;
  const base = path.join(".");
  const parsed = parseVeleroAnnotations(annotations as Record<string, string>, base);
  // Velero never rejects an annotation: what it cannot read it logs and replaces by a default.
  for (const w of parsed.warnings) warn(w.path, w.message, "ignored");
  if (Object.keys(parsed.hooks).length === 0) return;
  if (parsed.hooks.init) {
    warn(
      `${base}["init.hook.restore.velero.io/container-image"]`,
      "restore init hooks add an init container to the pod as it is restored: pass the pod manifests the host creates through addVeleroInitContainers",
      "unsupported",
    );
  }
  out.annotated.push({
    document,
    kind,
    name: typeof head.metadata?.name === "string" ? head.metadata.name : undefined,
    namespace: typeof head.metadata?.namespace === "string" ? head.metadata.namespace : undefined,
    path: base,
    hooks: parsed.hooks,
  });
}

type Warn = (path: string, message: string, kind: VeleroWarning["kind"]) => void;

function header(doc: {
  metadata?: { name?: string | undefined; namespace?: string | undefined } | undefined;
}) {
  return { name: doc.metadata?.name, namespace: doc.metadata?.namespace };
}

function checkRuleScope(rule: VeleroScope, path: string, warn: Warn) {
  if (!podsIncluded(rule.includedResources, rule.excludedResources)) {
    warn(
      `${path}.includedResources`,
      "Velero hooks act on pods only: this rule's resources exclude pods, so it matches nothing",
      "quirk",
    );
  }
}

// internal/hook/item_hook_handler.go GetRestoreHooksFromSpec: a restore rule's resource selector
// is always "pods"; includedResources/excludedResources are not read.
function checkRestoreRuleScope(rule: VeleroScope, path: string, warn: Warn) {
  if (rule.includedResources.length > 0 || rule.excludedResources.length > 0) {
    const field = rule.includedResources.length > 0 ? "includedResources" : "excludedResources";
    warn(
      `${path}.${field}`,
      "Velero does not read a restore hook rule's resources: the rule applies to the pods its namespaces and labelSelector match",
      "ignored",
    );
  }
}

function loadBackup(doc: unknown, document: number, out: LoadedVeleroHooks, warn: Warn) {
  if (out.backup) fail(document, "more than one Backup in one input; load them separately", []);
  let parsed: ReturnType<typeof veleroBackupSchema.parse>;
  try {
    parsed = parseWith(veleroBackupSchema, doc, "Velero Backup");
  } catch (err) {
    rethrow(document, err);
  }
  const spec = (parsed.spec ?? {}) as Record<string, unknown>;
  const resources = (parsed.spec?.hooks?.resources ?? []).map((r, i): VeleroBackupRule => {
    const rule = {
      ...scopeOf(r),
      name: r.name,
      pre: arr(r.pre).map((h) => h.exec),
      post: arr(r.post).map((h) => h.exec),
    };
    checkRuleScope(rule, `spec.hooks.resources[${i}]`, warn);
    return rule;
  });
  const scope = objectScope(spec);
  if (scope.labelSelector && scope.orLabelSelectors.length > 0) {
    warn(
      "spec.orLabelSelectors",
      "labelSelector and orLabelSelectors cannot co-exist (Velero rejects such a Backup); quiesce requires a pod to match both",
      "quirk",
    );
  }
  out.backup = { ...header(parsed), scope, resources };
}

function loadRestore(doc: unknown, document: number, out: LoadedVeleroHooks, warn: Warn) {
  if (out.restore) fail(document, "more than one Restore in one input; load them separately", []);
  let parsed: ReturnType<typeof veleroRestoreSchema.parse>;
  try {
    parsed = parseWith(veleroRestoreSchema, doc, "Velero Restore");
  } catch (err) {
    rethrow(document, err);
  }
  const spec = (parsed.spec ?? {}) as Record<string, unknown>;
  const resources = (parsed.spec?.hooks?.resources ?? []).map((r, i): VeleroRestoreRule => {
    const path = `spec.hooks.resources[${i}]`;
    const postHooks = arr(r.postHooks).map((h, j) => {
      const hook: { exec?: VeleroRestoreExec; init?: VeleroRestoreInit } = {};
      if (h.init) {
        warn(
          `${path}.postHooks[${j}].init`,
          "restore init hooks add init containers to pods as they are restored: pass the pod manifests the host creates through addVeleroInitContainers",
          "unsupported",
        );
        hook.init = h.init;
      }
      if (h.exec) hook.exec = h.exec;
      if (!h.init && !h.exec) {
        warn(
          `${path}.postHooks[${j}]`,
          "neither exec nor init: this restore hook declares nothing",
          "ignored",
        );
      }
      return hook;
    });
    const rule = { ...scopeOf(r), name: r.name, postHooks };
    checkRestoreRuleScope(rule, path, warn);
    return rule;
  });
  out.restore = { ...header(parsed), scope: objectScope(spec), resources };
  const mapping = spec.namespaceMapping;
  if (mapping && typeof mapping === "object" && !Array.isArray(mapping)) {
    out.restore.namespaceMapping = Object.fromEntries(
      Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  }
}
