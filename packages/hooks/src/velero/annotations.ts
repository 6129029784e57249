/**
 * Velero's hook annotations on pods (and pod templates), read exactly as Velero reads them
 * (internal/hook/item_hook_handler.go: getPodExecHookFromAnnotations,
 * getPodExecRestoreHookFromAnnotations, getInitContainerFromAnnotation, parseStringToCommand):
 * Velero never rejects an annotation — a value it cannot parse falls back to its default and is
 * logged — so every problem found here is a warning, never an error.
 */
import { ErrorCodes, parseDuration, QuiesceError } from "@quiesce/core";
import type { VeleroBackupExec, VeleroRestoreExec } from "./schema.js";

/** The annotation prefixes Velero reads; `legacy` is the phase-less form Velero reads as a pre hook. */
export const VELERO_ANNOTATION_PREFIXES = {
  pre: "pre.hook.backup.velero.io/",
  post: "post.hook.backup.velero.io/",
  legacy: "hook.backup.velero.io/",
  restore: "post.hook.restore.velero.io/",
  init: "init.hook.restore.velero.io/",
} as const;

/** An init container a pod's `init.hook.restore.velero.io/*` annotations ask for. */
export interface VeleroAnnotationInit {
  /** Absent: Velero generates `velero-restore-init-<8 hex digits>` when it adds the container. */
  containerName?: string;
  containerImage: string;
  /** Absent: the image's entrypoint. */
  command?: string[];
}

/** The hooks a pod's annotations declare. */
export interface VeleroAnnotationHooks {
  /** From `pre.hook.backup.velero.io/*`, else the legacy `hook.backup.velero.io/*`. */
  pre?: VeleroBackupExec;
  post?: VeleroBackupExec;
  restore?: VeleroRestoreExec;
  init?: VeleroAnnotationInit;
}

/** One problem found in a set of annotations: the annotation's path and what Velero does about it. */
export interface AnnotationIssue {
  path: string;
  message: string;
}

const annotationPath = (base: string, key: string) => `${base}[${JSON.stringify(key)}]`;

/**
 * Velero's command annotation (parseStringToCommand): a value starting with `[` is read as a JSON
 * array of strings; anything else — including a `[…]` that is not such an array — is one argv
 * element, untouched (no trimming, no shell splitting).
 *
 * @example
 * ```ts
 * parseVeleroCommand('["/sbin/fsfreeze", "--freeze", "/var/log"]'); // ["/sbin/fsfreeze", "--freeze", "/var/log"]
 * parseVeleroCommand("/bin/sync");                                    // ["/bin/sync"]
 * parseVeleroCommand("[not json");                                    // ["[not json"]
 * ```
 */
export function parseVeleroCommand(value: string): string[] {
  if (typeof value !== "string") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `a Velero hook command must be a string, got ${typeof value}`,
      {
        details: { path: "" },
      },
    );
  }
  if (!value.startsWith("[")) return [value];
  try {
    const parsed: unknown = JSON.parse(value);
    // Go's json.Unmarshal into []string fails on anything but an array of strings.
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === "string")) return parsed as string[];
  } catch {
    // Not JSON: the whole value is the command, as Velero falls back to.
  }
  return [value];
}

const KNOWN: Record<keyof typeof VELERO_ANNOTATION_PREFIXES, readonly string[]> = {
  pre: ["container", "command", "on-error", "timeout"],
  post: ["container", "command", "on-error", "timeout"],
  legacy: ["container", "command", "on-error", "timeout"],
  restore: ["container", "command", "on-error", "exec-timeout", "wait-timeout", "wait-for-ready"],
  init: ["container-image", "container-name", "command", "timeout"],
};

// strconv.ParseBool's accepted spellings.
const BOOLS: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

class Reader {
  readonly warnings: AnnotationIssue[] = [];
  constructor(
    readonly all: Readonly<Record<string, string>>,
    readonly base: string,
  ) {}

  get(key: string): string {
    const value: unknown = this.all[key];
    // Annotation values are strings; a YAML file may still hold `timeout: 30` unquoted.
    return value === undefined || value === null ? "" : String(value);
  }

  warn(key: string, message: string): void {
    this.warnings.push({ path: annotationPath(this.base, key), message });
  }

  onError(key: string): "Fail" | "Continue" | undefined {
    const value = this.get(key);
    if (value === "Fail" || value === "Continue") return value;
    if (value !== "") this.warn(key, `"${value}" is neither Continue nor Fail: Velero treats it as unset`);
    return undefined;
  }

  duration(key: string, fallback: string): string | undefined {
    const value = this.get(key);
    if (value === "") return undefined;
    try {
      parseDuration(value);
      return value;
    } catch (err) {
      this.warn(key, `${(err as Error).message}: Velero uses ${fallback}`);
      return undefined;
    }
  }
}

/**
 * Reads Velero's hook annotations. `base` is the path of the annotations map in its document
 * (`spec.template.metadata.annotations`), so every warning names the exact annotation.
 *
 * @example
 * ```ts
 * const { hooks } = parseVeleroAnnotations({
 *   "pre.hook.backup.velero.io/container": "fsfreeze",
 *   "pre.hook.backup.velero.io/command": '["/sbin/fsfreeze", "--freeze", "/var/log/nginx"]',
 * });
 * hooks.pre; // { container: "fsfreeze", command: ["/sbin/fsfreeze", "--freeze", "/var/log/nginx"] }
 * ```
 */
export function parseVeleroAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  base = "metadata.annotations",
): { hooks: VeleroAnnotationHooks; warnings: AnnotationIssue[] } {
  const r = new Reader(annotations ?? {}, base);
  const hooks: VeleroAnnotationHooks = {};
  unknownKeys(r);
  const pre = backupHook(r, VELERO_ANNOTATION_PREFIXES.pre);
  // Only a pre hook falls back to the phase-less keys (HandleHooks: phase == PhasePre).
  const pick = pre ?? backupHook(r, VELERO_ANNOTATION_PREFIXES.legacy);
  if (pick) hooks.pre = pick;
  const post = backupHook(r, VELERO_ANNOTATION_PREFIXES.post);
  if (post) hooks.post = post;
  const restore = restoreHook(r);
  if (restore) hooks.restore = restore;
  const init = initHook(r);
  if (init) hooks.init = init;
  return { hooks, warnings: r.warnings };
}

function unknownKeys(r: Reader): void {
  // The legacy prefix is a suffix of the phased backup ones: test the longest prefixes first.
  const prefixes = Object.entries(VELERO_ANNOTATION_PREFIXES).sort((a, b) => b[1].length - a[1].length);
  for (const key of Object.keys(r.all)) {
    const hit = prefixes.find(([, p]) => key.startsWith(p));
    if (!hit) continue;
    const [set, prefix] = hit as [keyof typeof VELERO_ANNOTATION_PREFIXES, string];
    if (!KNOWN[set].includes(key.slice(prefix.length))) {
      r.warn(key, `not an annotation Velero reads (known: ${KNOWN[set].map((k) => prefix + k).join(", ")})`);
    }
  }
}

function commandOf(r: Reader, prefix: string, keys: readonly string[]): string[] | undefined {
  const value = r.get(`${prefix}command`);
  if (value === "") {
    const others = keys.filter((k) => k !== "command" && r.get(prefix + k) !== "");
    if (others.length > 0) {
      r.warn(`${prefix}${others[0]}`, `${prefix}command is missing or empty: Velero declares no hook here`);
    }
    return undefined;
  }
  return parseVeleroCommand(value);
}

function backupHook(r: Reader, prefix: string): VeleroBackupExec | undefined {
  const command = commandOf(r, prefix, KNOWN.pre);
  if (command === undefined) return undefined;
  const hook: VeleroBackupExec = { command };
  const container = r.get(`${prefix}container`);
  if (container !== "") hook.container = container;
  const onError = r.onError(`${prefix}on-error`);
  if (onError) hook.onError = onError;
  const timeout = r.duration(`${prefix}timeout`, "its default (30s)");
  if (timeout !== undefined) hook.timeout = timeout;
  return hook;
}

function restoreHook(r: Reader): VeleroRestoreExec | undefined {
  const prefix = VELERO_ANNOTATION_PREFIXES.restore;
  const command = commandOf(r, prefix, KNOWN.restore);
  if (command === undefined) return undefined;
  const hook: VeleroRestoreExec = { command };
  const container = r.get(`${prefix}container`);
  if (container !== "") hook.container = container;
  const onError = r.onError(`${prefix}on-error`);
  if (onError) hook.onError = onError;
  const exec = r.duration(`${prefix}exec-timeout`, "its default exec timeout (30s)");
  if (exec !== undefined) hook.execTimeout = exec;
  const wait = r.duration(`${prefix}wait-timeout`, "no wait timeout");
  if (wait !== undefined) hook.waitTimeout = wait;
  const ready = r.get(`${prefix}wait-for-ready`);
  // The annotation form always sets waitForReady (default false); strconv.ParseBool's spellings.
  hook.waitForReady = BOOLS[ready] ?? false;
  if (ready !== "" && BOOLS[ready] === undefined) {
    r.warn(`${prefix}wait-for-ready`, `"${ready}" is not a boolean: Velero uses false`);
  }
  return hook;
}

function initHook(r: Reader): VeleroAnnotationInit | undefined {
  const prefix = VELERO_ANNOTATION_PREFIXES.init;
  const image = r.get(`${prefix}container-image`);
  if (image === "") {
    const present = KNOWN.init.filter((k) => r.get(prefix + k) !== "");
    if (present.length > 0) {
      r.warn(`${prefix}${present[0]}`, `${prefix}container-image is missing: Velero adds no init container`);
    }
    return undefined;
  }
  const init: VeleroAnnotationInit = { containerImage: image };
  const name = r.get(`${prefix}container-name`);
  if (name !== "") init.containerName = name;
  const command = r.get(`${prefix}command`);
  if (command !== "") init.command = parseVeleroCommand(command);
  return init;
}
