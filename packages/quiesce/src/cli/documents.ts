/** Reading YAML files into documents, recognising their kind, and mapping document paths to lines. */
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import {
  assertDocumentShape,
  ErrorCodes,
  MAX_YAML_ALIAS_COUNT,
  QuiesceError,
  yamlDocumentToValue,
} from "@quiesce/core";
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments, parseDocument } from "yaml";
import { type ReadInputsOptions, readAllInputs } from "./inputs.js";
import type { CliIO } from "./io.js";

/** The document kinds quiesce understands. */
export type DocumentKind =
  | "Blueprint"
  | "HookTemplate"
  | "BackupConfiguration"
  | "RestoreSession"
  | "VeleroBackup"
  | "VeleroRestore";

/** A YAML syntax error: the parser's message, where it is, and the lines it points into. */
export interface YamlIssue {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The parser's message without its position (`Map keys must be unique`). */
  message: string;
  /** The source lines around the error with a `^` under the column, as the parser prints them. */
  excerpt: string;
}

/** One YAML document of a file. */
export interface SourceDocument {
  file: string;
  /** 1-based position of the document in its file. */
  index: number;
  apiVersion: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  /** The quiesce kind, or undefined for any other document. */
  quiesceKind: DocumentKind | undefined;
  /** The parsed value (best effort when the YAML has errors). */
  value: unknown;
  /** YAML syntax errors, with their position and the excerpt the parser points into. */
  yamlErrors: YamlIssue[];
  /** Line of the node a document path (`actions.backup.phases[2].args`) points at, or of its nearest parent. */
  lineOf(path: string): number | undefined;
}

const KINDS: Record<string, DocumentKind> = {
  "cr.kanister.io/v1alpha1 Blueprint": "Blueprint",
  "core.kubestash.com/v1alpha1 HookTemplate": "HookTemplate",
  "core.kubestash.com/v1alpha1 BackupConfiguration": "BackupConfiguration",
  "core.kubestash.com/v1alpha1 RestoreSession": "RestoreSession",
  "velero.io/v1 Backup": "VeleroBackup",
  "velero.io/v1 Restore": "VeleroRestore",
};

/** Resolves `file` against `cwd` and reads it; a missing file is a coded error naming it. */
export async function readText(file: string, cwd: string): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new QuiesceError("QUIESCE_CLI_FILE", `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}

/** Splits YAML text into its documents (empty ones, e.g. only comments, are left out). */
export function splitDocuments(file: string, text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const out: SourceDocument[] = [];
  for (const doc of list) {
    if (doc.contents === null && doc.errors.length === 0) continue;
    const yamlErrors = doc.errors.map((e) => yamlIssue(e, lineCounter));
    let value: unknown;
    if (yamlErrors.length > 0) value = bestEffort(doc);
    else {
      try {
        // The loaders' guard: an alias bomb, a cycle, or a document too deep or too large is an
        // issue of the document, found before anything reads it.
        value = yamlDocumentToValue(doc, "document");
      } catch (err) {
        yamlErrors.push(guardIssue(err, doc, lineCounter));
      }
    }
    // Read from the syntax tree when there is no value, so a refused document still names its kind.
    const head = (
      value !== null && typeof value === "object"
        ? value
        : {
            apiVersion: doc.get("apiVersion"),
            kind: doc.get("kind"),
            metadata: { name: doc.getIn(["metadata", "name"]) },
          }
    ) as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown };
    };
    const apiVersion = typeof head.apiVersion === "string" ? head.apiVersion : undefined;
    const kind = typeof head.kind === "string" ? head.kind : undefined;
    const name = typeof head.metadata?.name === "string" ? head.metadata.name : undefined;
    out.push({
      file,
      index: out.length + 1,
      apiVersion,
      kind,
      name,
      quiesceKind: KINDS[`${apiVersion} ${kind}`],
      value,
      yamlErrors,
      lineOf: (path) => lineOfPath(doc, lineCounter, path),
    });
  }
  return out;
}

// The value of a document with syntax errors, as far as it goes (a Velero document may be damaged
// outside its hooks), under the same alias and size limits; none when even that fails.
function bestEffort(doc: Document.Parsed): unknown {
  try {
    if (doc.options) doc.options.logLevel = "error";
    const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    assertDocumentShape(value, "document");
    return value;
  } catch {
    return undefined;
  }
}

// A document the guard refused, at the line where it starts.
function guardIssue(err: unknown, doc: Document.Parsed, lines: LineCounter): YamlIssue {
  const { line, col } = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]);
  return { line, column: col, message: err instanceof Error ? err.message : String(err), excerpt: "" };
}

/** Splits a yaml parser error into message, position and excerpt. */
function yamlIssue(e: { message: string; pos: [number, number] }, lines: LineCounter): YamlIssue {
  const { line, col } = lines.linePos(e.pos[0]);
  // The parser's message reads "<what> at line L, column C:\n\n<excerpt>\n".
  const m = /^([\s\S]*?) at line \d+, column \d+:?\n?([\s\S]*)$/.exec(e.message);
  const message = m?.[1] ?? e.message.split("\n")[0] ?? e.message;
  const excerpt = (m?.[2] ?? "")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/^\n+/, "")
    .trimEnd();
  return { line, column: col, message, excerpt };
}

/** `file#doc:line:column YAML: message`, then the excerpt indented (the whole parser message). */
export function formatYamlIssue(where: string, issue: YamlIssue, indent = "    "): string {
  const head = `${where}:${issue.line}:${issue.column} YAML: ${issue.message}`;
  if (!issue.excerpt) return head;
  return `${head}\n${issue.excerpt
    .split("\n")
    .map((l) => `${indent}${l}`)
    .join("\n")}`;
}

/** Parses one YAML (or JSON) document; a syntax error is thrown with its position and excerpt. */
export function parseYamlText(name: string, text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const first = doc.errors[0];
  if (first) {
    const issue = yamlIssue(first, lineCounter);
    throw new QuiesceError(ErrorCodes.VALIDATION, formatYamlIssue(name, issue, "  "), {
      details: { file: name, line: issue.line, column: issue.column },
    });
  }
  return yamlDocumentToValue(doc, name);
}

/** Parses a document path (`a.b[2]["x.y"]`) into segments. */
export function parsePath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) segments.push(Number(m[1]));
    else if (m[2] !== undefined) segments.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) segments.push(m[3]);
  }
  return segments;
}

function lineOfPath(doc: Document, lines: LineCounter, path: string): number | undefined {
  if (path === "(root)" || path === "") return undefined;
  let node: unknown = doc.contents;
  let found: { range?: [number, number, number] | null | undefined } | undefined;
  for (const segment of parsePath(path)) {
    let next: unknown;
    if (isMap(node)) next = node.get(segment, true);
    else if (isSeq(node) && typeof segment === "number") next = node.get(segment, true);
    if (next === undefined || next === null) break;
    node = next;
    found = next as typeof found;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/** Reads the inputs (files, directories, `-`) and splits them into documents; a YAML error is thrown. */
export async function readDocuments(
  specs: readonly string[],
  io: Pick<CliIO, "cwd" | "stdin">,
  options: ReadInputsOptions,
): Promise<SourceDocument[]> {
  const docs = (await readAllInputs(specs, io, options)).flatMap((input) =>
    splitDocuments(input.name, input.text),
  );
  for (const doc of docs) {
    const issue = doc.yamlErrors[0];
    if (issue) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        formatYamlIssue(`${doc.file}#${doc.index}`, issue, "  "),
        {
          details: { file: doc.file, document: doc.index, line: issue.line, column: issue.column },
        },
      );
    }
  }
  return docs;
}

/** Reads the inputs of `render` and `run`, which must hold exactly one Blueprint. */
export async function readBlueprintDocument(
  specs: readonly string[],
  io: Pick<CliIO, "cwd" | "stdin">,
  options: ReadInputsOptions,
): Promise<SourceDocument> {
  const docs = await readDocuments(specs, io, options);
  const blueprints = docs.filter((d) => d.quiesceKind === "Blueprint");
  if (blueprints.length !== 1) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${specs.join(", ")}: expected one Blueprint (cr.kanister.io/v1alpha1) document, found ${blueprints.length}`,
    );
  }
  return blueprints[0] as SourceDocument;
}
