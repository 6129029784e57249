/**
 * Guards for documents handed to loaders: no cycles, no nesting past a depth, no expansion past a
 * size (YAML aliases and shared objects can describe exponentially large trees in a few bytes),
 * and YAML parsed without letting alias errors or bombs escape uncoded. Every failure is a
 * `QUIESCE_VALIDATION` error naming the path where the problem is.
 */
import { ErrorCodes, QuiesceError } from "./errors.js";

/** Limits of {@link assertDocumentShape}. */
export interface DocumentLimits {
  /** Deepest nesting of maps and lists (default 200). */
  maxDepth?: number;
  /** Most values the document expands to, shared subtrees counted each time (default 1,000,000). */
  maxNodes?: number;
}

/** Default limits: far above any real Blueprint, HookTemplate or Velero document. */
export const DEFAULT_DOCUMENT_LIMITS: Readonly<Required<DocumentLimits>> = Object.freeze({
  maxDepth: 200,
  maxNodes: 1_000_000,
});

/** Appends a key to a path the way error paths read: `a.b[2]["odd key"]`. */
export function appendPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

interface Frame {
  node: Record<string, unknown> | unknown[];
  keys: string[];
  next: number;
  path: string;
  size: number;
}

/**
 * Throws a `QUIESCE_VALIDATION` error (with `details.path`) when `value` — a document about to be
 * validated or rendered — is cyclic, nests deeper than `maxDepth`, or expands to more than
 * `maxNodes` values. Walks iteratively, each shared object once, so it is linear in the object
 * graph however large the expansion.
 *
 * @example
 * ```ts
 * const args: Record<string, unknown> = {};
 * args.self = args;
 * assertDocumentShape(args, "phase args", "actions.backup.phases[0].args"); // throws: cyclic at …args.self
 * ```
 */
export function assertDocumentShape(
  value: unknown,
  what: string,
  basePath = "",
  limits: DocumentLimits = {},
): void {
  if (!isContainer(value)) return;
  const maxDepth = limits.maxDepth ?? DEFAULT_DOCUMENT_LIMITS.maxDepth;
  const maxNodes = limits.maxNodes ?? DEFAULT_DOCUMENT_LIMITS.maxNodes;
  const sizes = new Map<object, number>();
  const onStack = new Set<object>();
  const fail = (path: string, why: string) =>
    new QuiesceError(ErrorCodes.VALIDATION, `invalid ${what}: ${path || "(root)"}: ${why}`, {
      details: { path, issues: [{ path, message: why }] },
    });
  const stack: Frame[] = [{ node: value, keys: Object.keys(value), next: 0, path: basePath, size: 1 }];
  onStack.add(value);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next < frame.keys.length) {
      const key = frame.keys[frame.next++] as string;
      const child = (frame.node as Record<string, unknown>)[key];
      const childPath = appendPath(frame.path, Array.isArray(frame.node) ? Number(key) : key);
      if (!isContainer(child)) {
        frame.size += 1;
      } else if (onStack.has(child)) {
        throw fail(
          childPath,
          "refers back to a map or list that contains it (a cycle, e.g. a YAML alias inside its own anchor)",
        );
      } else {
        const known = sizes.get(child);
        if (known !== undefined) frame.size += known;
        else {
          if (stack.length >= maxDepth) throw fail(childPath, `nests deeper than ${maxDepth} levels`);
          onStack.add(child);
          stack.push({ node: child, keys: Object.keys(child), next: 0, path: childPath, size: 1 });
          continue;
        }
      }
      if (frame.size > maxNodes) {
        throw fail(
          frame.path,
          `expands to more than ${maxNodes} values (shared subtrees or YAML aliases repeat it)`,
        );
      }
      continue;
    }
    stack.pop();
    onStack.delete(frame.node);
    sizes.set(frame.node, frame.size);
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.size += frame.size;
      if (parent.size > maxNodes) {
        throw fail(
          parent.path,
          `expands to more than ${maxNodes} values (shared subtrees or YAML aliases repeat it)`,
        );
      }
    }
  }
}

/** The part of a `yaml` Document that {@link yamlDocumentToValue} uses. */
export interface YamlDocumentLike {
  readonly errors: ReadonlyArray<{
    message: string;
    linePos?: ReadonlyArray<{ line: number; col: number }> | undefined;
  }>;
  toJS(options?: { maxAliasCount?: number }): unknown;
  /** The document's options: its `logLevel` is lowered so that converting it prints nothing. */
  options?: { logLevel?: string };
}

/** Most alias expansions a YAML document may use (the `yaml` package's guard against alias bombs). */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * Turns a parsed YAML document into a plain value for a loader, or throws a `QUIESCE_VALIDATION`
 * error: syntax errors (with line and column), alias errors (an undefined `*alias`, an alias bomb
 * past {@link MAX_YAML_ALIAS_COUNT} expansions), and documents that are cyclic (`a: &a [*a]`), too
 * deep or too large (see {@link assertDocumentShape}).
 *
 * @example
 * ```ts
 * import { parseDocument } from "yaml";
 * const value = yamlDocumentToValue(parseDocument(text), "Blueprint");
 * ```
 */
export function yamlDocumentToValue(
  doc: YamlDocumentLike,
  what: string,
  limits: DocumentLimits = {},
): unknown {
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    throw new QuiesceError(ErrorCodes.VALIDATION, `invalid ${what} YAML: ${first.message}`, {
      details: {
        path: "",
        ...(at ? { line: at.line, column: at.col } : {}),
        issues: doc.errors.map((e) => ({ path: "", message: e.message, kind: "yaml" })),
      },
    });
  }
  let value: unknown;
  try {
    // A collection used as a map key makes the yaml package print a process warning to stderr;
    // a library writes nothing there (the key still becomes its string form, as it would).
    if (doc.options) doc.options.logLevel = "error";
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (cause) {
    // An undefined alias, an alias bomb, or a document too deep for the YAML library itself.
    const why =
      cause instanceof RangeError
        ? "nests too deeply"
        : cause instanceof Error
          ? cause.message
          : String(cause);
    throw new QuiesceError(ErrorCodes.VALIDATION, `invalid ${what} YAML: ${why}`, {
      cause,
      details: { path: "", issues: [{ path: "", message: why, kind: "yaml" }] },
    });
  }
  assertDocumentShape(value, what, "", limits);
  return value;
}

/**
 * Runs a loader body so that nothing escapes uncoded: a QuiesceError passes through; anything else
 * (a bug, a stack overflow on a pathological input) becomes a `QUIESCE_VALIDATION` error at the
 * document's root, with the original as `cause`.
 */
export function codedLoad<T>(what: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof QuiesceError) throw err;
    const why =
      err instanceof RangeError
        ? "the document nests too deeply"
        : err instanceof Error
          ? err.message
          : String(err);
    throw new QuiesceError(ErrorCodes.VALIDATION, `invalid ${what}: ${why}`, {
      cause: err,
      details: { path: "", issues: [{ path: "", message: why }] },
    });
  }
}
