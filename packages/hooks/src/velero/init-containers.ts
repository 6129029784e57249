/**
 * Velero's restore init hooks for hosts that create pods themselves: the pod manifest about to be
 * created, returned with the init containers Velero's restore item action would add
 * (pkg/restore/actions/init_restorehook_pod_action.go → internal/hook/item_hook_handler.go
 * InitContainerRestoreHookHandler.HandleRestoreHooks).
 */
import { randomUUID } from "node:crypto";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { matchesLabelSelector } from "../label-selector.js";
import { parseVeleroAnnotations } from "./annotations.js";
import { includedBy } from "./glob.js";
import type { LoadedVeleroHooks } from "./load.js";

/** Velero's own init container that waits for pod volume restores (pkg/restorehelper WaitInitContainer). */
export const VELERO_RESTORE_WAIT_CONTAINER = "restore-wait";

// The JSON fields of a core/v1 Container: Velero decodes each init container into that type, so
// anything else is dropped.
const CONTAINER_FIELDS = new Set([
  "name",
  "image",
  "command",
  "args",
  "workingDir",
  "ports",
  "envFrom",
  "env",
  "resources",
  "resizePolicy",
  "restartPolicy",
  "restartPolicyRules",
  "volumeMounts",
  "volumeDevices",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "imagePullPolicy",
  "securityContext",
  "stdin",
  "stdinOnce",
  "tty",
]);

type Container = Record<string, unknown> & { name?: unknown };

/** Options of {@link addVeleroInitContainers}. */
export interface AddVeleroInitContainersOptions {
  /** What {@link loadVeleroHooks} returned for the Restore (its `restore`). */
  hooks: Pick<LoadedVeleroHooks, "restore">;
  /** Source → target namespaces; default: the Restore's own `spec.namespaceMapping`. */
  namespaceMapping?: Readonly<Record<string, string>>;
  /** The suffix of a generated container name (Velero: the first group of a random UUID). */
  nameSuffix?: () => string;
}

function invalid(path: string, message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${message}`, { details: { path } });
}

// ValidateContainer, then json.Unmarshal into a core/v1 Container.
function asContainer(raw: unknown, path: string): Container {
  const c = (raw ?? {}) as Record<string, unknown>;
  const command = c.command;
  if (!Array.isArray(command) || command.length === 0 || !c.name || !c.image) {
    throw invalid(
      path,
      "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field",
    );
  }
  return Object.fromEntries(Object.entries(c).filter(([k]) => CONTAINER_FIELDS.has(k)));
}

/**
 * Returns `pod` (a Pod manifest about to be created in a restore) with Velero's restore init
 * containers added, exactly where Velero adds them: Velero's `restore-wait` container (if the pod
 * already starts with it) first, then the container from the pod's own
 * `init.hook.restore.velero.io/*` annotations — or, without those, the `init` hooks of every
 * Restore rule whose namespaces (after `namespaceMapping`) and labelSelector match the pod, in
 * order — then the pod's other init containers. Anything that is not a Pod is returned as it is.
 * An init container without a name, an image or a command is an error, as in Velero.
 *
 * Unlike Velero, an annotation with an image but no command leaves the container's command unset
 * (its image's entrypoint), where Velero's command parser would fail on the empty string.
 *
 * @example
 * ```ts
 * const hooks = loadVeleroHooks(restoreYaml);
 * for (const manifest of podsToCreate) await cluster.create(addVeleroInitContainers(manifest, { hooks }));
 * ```
 */
export function addVeleroInitContainers<T>(pod: T, options: AddVeleroInitContainersOptions): T {
  const doc = pod as { kind?: unknown; metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  if (doc === null || typeof doc !== "object" || doc.kind !== "Pod") return pod;
  const out = structuredClone(doc) as typeof doc & { spec: Record<string, unknown> };
  out.spec ??= {};
  const existing = [...((out.spec.initContainers as Container[] | undefined) ?? [])];
  const added: Container[] = [];
  if (existing[0]?.name === VELERO_RESTORE_WAIT_CONTAINER) added.push(existing.shift() as Container);
  const metadata = (out.metadata ?? {}) as {
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const fromAnnotation = parseVeleroAnnotations(metadata.annotations).hooks.init;
  if (fromAnnotation) {
    const suffix = options.nameSuffix?.() ?? randomUUID().split("-")[0];
    const container: Container = {
      name: fromAnnotation.containerName ?? `velero-restore-init-${suffix}`,
      image: fromAnnotation.containerImage,
    };
    if (fromAnnotation.command) container.command = fromAnnotation.command;
    added.push(container);
  } else {
    const restore = options.hooks.restore;
    const mapping = options.namespaceMapping ?? restore?.namespaceMapping ?? {};
    const source = metadata.namespace ?? "";
    // "Apply the hook according to the target namespace in which the pod will be restored".
    const namespace = mapping[source] ?? source;
    const labels = metadata.labels ?? {};
    (restore?.resources ?? []).forEach((rule, i) => {
      if (!includedBy(namespace, rule.includedNamespaces, rule.excludedNamespaces)) return;
      if (rule.labelSelector && !matchesLabelSelector(rule.labelSelector, labels)) return;
      rule.postHooks.forEach((hook, j) => {
        if (!hook.init) return;
        hook.init.initContainers.forEach((raw, k) => {
          added.push(
            asContainer(raw, `spec.hooks.resources[${i}].postHooks[${j}].init.initContainers[${k}]`),
          );
        });
      });
    });
  }
  const all = [...added, ...existing];
  // An empty list is omitted, as the typed Pod Velero converts back omits it.
  if (all.length > 0) out.spec.initContainers = all;
  else delete out.spec.initContainers;
  return out as T;
}
