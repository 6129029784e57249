/**
 * Kanister's prepareActionSetPodSpecOverride (pkg/function/multi_container_run.go): in the
 * ActionSet's podOverride, a container named `container` (what other functions call their pod's
 * container) stands for every container of a MultiContainerRun pod.
 */
import { POD_SPEC_PATCH_SCHEMA, strategicMerge } from "@quiesce/kube";

type Container = Record<string, unknown> & { name?: unknown };
type Override = Record<string, unknown>;

const GENERIC = "container";

function containersOf(override: Override, key: string): Container[] | undefined {
  const list = override[key];
  if (!Array.isArray(list) || !list.every((c) => typeof c === "object" && c !== null && !Array.isArray(c)))
    return undefined;
  return list as Container[];
}

/**
 * Expands the ActionSet override's `container` entry to the `background` and `output` containers
 * (each unless overridden by name) and to the `init` container when the pod has one. Kanister adds
 * the `init` entry even to a pod without an init container, which then cannot be created (an init
 * container without an image); quiesce adds it only when there is one.
 */
export function expandGenericContainer(override: Override | null, hasInit: boolean): Override | null {
  if (!override) return override;
  const containers = containersOf(override, "containers");
  const generic = containers?.find((c) => c.name === GENERIC);
  if (!containers || !generic) return override;
  const rename = (name: string): Container => ({ ...structuredClone(generic), name });
  const others = containers.filter(
    (c) => c.name !== GENERIC && c.name !== "background" && c.name !== "output",
  );
  const background = containers.find((c) => c.name === "background") ?? rename("background");
  const output = containers.find((c) => c.name === "output") ?? rename("output");
  const rest: Override = { ...override };
  delete rest.containers;
  delete rest.initContainers;
  const patch: Override = { containers: [...others, background, output] };
  if (hasInit) {
    const inits = containersOf(override, "initContainers");
    patch.initContainers = inits
      ? inits.some((c) => c.name === "init")
        ? inits
        : [...inits, rename("init")]
      : [rename("init")];
  } else if (override.initContainers !== undefined) {
    patch.initContainers = override.initContainers;
  }
  return strategicMerge(rest, patch, POD_SPEC_PATCH_SCHEMA);
}
