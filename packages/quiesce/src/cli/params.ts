/** Template parameters from the command line: a YAML/JSON file and `--set Key.Path=value` overrides. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { emptyTemplateParams, type TemplateParams } from "@quiesce/functions";
import { parse as parseYaml } from "yaml";
import { parsePath, parseYamlText, readText } from "./documents.js";
import { UsageError } from "./io.js";

/** Options of {@link loadTemplateParams}. */
export interface ParamsInput {
  /** A YAML or JSON file holding (part of) Kanister's TemplateParams. */
  paramsFile?: string | undefined;
  /** `Key.Path=value` pairs; the value is read as YAML (`3` is a number, `[a, b]` a list). */
  sets: readonly string[];
  /** `.Time` (RFC 3339); default now. */
  time?: string | undefined;
  cwd: string;
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Builds TemplateParams: Kanister's empty parameters, the file merged over them, then each
 * `--set`. Secret `Data` values given as strings become bytes, as Kanister's templates see them
 * (`{{ .Secrets.aws.Data.key | toString }}`).
 */
export async function loadTemplateParams(input: ParamsInput): Promise<TemplateParams> {
  let time: Date | undefined;
  if (input.time !== undefined) {
    time = new Date(input.time);
    if (Number.isNaN(time.getTime())) throw new UsageError(`--time: "${input.time}" is not an RFC 3339 time`);
  }
  const params = emptyTemplateParams(time ? { time } : {}) as unknown as Record<string, unknown>;
  if (input.paramsFile !== undefined) {
    const value = parseYamlText(input.paramsFile, await readText(input.paramsFile, input.cwd));
    if (value !== null && value !== undefined) {
      if (typeof value !== "object" || Array.isArray(value)) {
        throw new QuiesceError(
          ErrorCodes.VALIDATION,
          `${input.paramsFile}: expected a map of TemplateParams`,
        );
      }
      deepMerge(params, value as Record<string, unknown>);
    }
  }
  for (const set of input.sets) {
    const eq = set.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects Key.Path=value, got "${set}"`);
    setPath(params, set.slice(0, eq), setValue(set.slice(0, eq), set.slice(eq + 1)));
  }
  secretsToBytes(params.Secrets);
  for (const phase of Object.values((params.Phases ?? {}) as Record<string, { Secrets?: unknown }>)) {
    secretsToBytes(phase?.Secrets);
  }
  return params as unknown as TemplateParams;
}

function setValue(key: string, text: string): unknown {
  try {
    return parseYaml(text) ?? "";
  } catch (err) {
    throw new UsageError(`--set ${key}: the value is not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const current = target[key];
    if (isPlainMap(value) && isPlainMap(current)) deepMerge(current, value);
    else target[key] = value;
  }
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = parsePath(path).map(String);
  if (segments.length === 0 || segments.some((s) => UNSAFE_KEYS.has(s))) {
    throw new UsageError(`--set: invalid key path "${path}"`);
  }
  let node = root;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (!isPlainMap(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[segments[segments.length - 1] as string] = value;
}

function secretsToBytes(secrets: unknown): void {
  if (!isPlainMap(secrets)) return;
  const encoder = new TextEncoder();
  for (const secret of Object.values(secrets)) {
    if (!isPlainMap(secret) || !isPlainMap(secret.Data)) continue;
    for (const [k, v] of Object.entries(secret.Data)) {
      if (typeof v === "string") secret.Data[k] = encoder.encode(v);
    }
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return (
    value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
