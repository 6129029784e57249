/**
 * `meta.k8s.io/v1` Table answers for kubectl (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`),
 * with the columns `kubectl get` shows for the common kinds and Name/Age for everything else.
 */
import type { ResourceType, StoredObject } from "../api/seams.js";

interface Column {
  name: string;
  type: "string" | "integer";
  format?: string;
  priority?: number;
  cell(o: StoredObject, now: number): string | number;
}

type Any = Record<string, unknown> & { [k: string]: unknown };
const at = (o: unknown, ...path: string[]): unknown => {
  let cur = o;
  for (const p of path) cur = cur !== null && typeof cur === "object" ? (cur as Any)[p] : undefined;
  return cur;
};
const num = (v: unknown) => (typeof v === "number" ? v : 0);
const str = (v: unknown, fallback = "<none>") => (typeof v === "string" && v !== "" ? v : fallback);

/** kubectl's human duration: 45s, 3m20s, 17m, 5h3m, 30h, 4d2h, 120d, 3y. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const name: Column = { name: "Name", type: "string", format: "name", cell: (o) => o.metadata.name };
const age: Column = {
  name: "Age",
  type: "string",
  cell: (o, now) => humanAge(now - Date.parse(o.metadata.creationTimestamp)),
};

function podStatus(o: StoredObject): string {
  if (o.metadata.deletionTimestamp) return "Terminating";
  const statuses = (at(o, "status", "containerStatuses") as Any[] | undefined) ?? [];
  for (const c of statuses) {
    const waiting = at(c, "state", "waiting", "reason");
    if (typeof waiting === "string") return waiting;
    const terminated = at(c, "state", "terminated", "reason");
    if (typeof terminated === "string" && at(o, "status", "phase") !== "Succeeded") return terminated;
  }
  return str(at(o, "status", "reason"), str(at(o, "status", "phase"), "Pending"));
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    {
      name: "Ready",
      type: "string",
      cell: (o) => {
        const statuses = (at(o, "status", "containerStatuses") as Any[] | undefined) ?? [];
        const total = ((at(o, "spec", "containers") as unknown[] | undefined) ?? []).length;
        return `${statuses.filter((c) => c.ready === true).length}/${total}`;
      },
    },
    { name: "Status", type: "string", cell: podStatus },
    {
      name: "Restarts",
      type: "integer",
      cell: (o) =>
        ((at(o, "status", "containerStatuses") as Any[] | undefined) ?? []).reduce(
          (n, c) => n + num(c.restartCount),
          0,
        ),
    },
    age,
    { name: "IP", type: "string", priority: 1, cell: (o) => str(at(o, "status", "podIP")) },
    { name: "Node", type: "string", priority: 1, cell: (o) => str(at(o, "spec", "nodeName")) },
  ],
  Deployment: [
    name,
    {
      name: "Ready",
      type: "string",
      cell: (o) => `${num(at(o, "status", "readyReplicas"))}/${num(at(o, "spec", "replicas") ?? 1)}`,
    },
    { name: "Up-to-date", type: "integer", cell: (o) => num(at(o, "status", "updatedReplicas")) },
    { name: "Available", type: "integer", cell: (o) => num(at(o, "status", "availableReplicas")) },
    age,
  ],
  StatefulSet: [
    name,
    {
      name: "Ready",
      type: "string",
      cell: (o) => `${num(at(o, "status", "readyReplicas"))}/${num(at(o, "spec", "replicas") ?? 1)}`,
    },
    age,
  ],
  ReplicaSet: [
    name,
    { name: "Desired", type: "integer", cell: (o) => num(at(o, "spec", "replicas") ?? 1) },
    { name: "Current", type: "integer", cell: (o) => num(at(o, "status", "replicas")) },
    { name: "Ready", type: "integer", cell: (o) => num(at(o, "status", "readyReplicas")) },
    age,
  ],
  Job: [
    name,
    {
      name: "Completions",
      type: "string",
      cell: (o) => `${num(at(o, "status", "succeeded"))}/${num(at(o, "spec", "completions") ?? 1)}`,
    },
    age,
  ],
  Namespace: [
    name,
    { name: "Status", type: "string", cell: (o) => str(at(o, "status", "phase"), "Active") },
    age,
  ],
  ConfigMap: [
    name,
    { name: "Data", type: "integer", cell: (o) => Object.keys((o.data as object | undefined) ?? {}).length },
    age,
  ],
  Secret: [
    name,
    { name: "Type", type: "string", cell: (o) => str(o.type, "Opaque") },
    { name: "Data", type: "integer", cell: (o) => Object.keys((o.data as object | undefined) ?? {}).length },
    age,
  ],
  PersistentVolumeClaim: [
    name,
    { name: "Status", type: "string", cell: (o) => str(at(o, "status", "phase"), "Pending") },
    { name: "Volume", type: "string", cell: (o) => str(at(o, "spec", "volumeName"), "") },
    { name: "Capacity", type: "string", cell: (o) => str(at(o, "status", "capacity", "storage"), "") },
    age,
  ],
  // kubernetes pkg/printers/internalversion/printers.go (eventColumnDefinitions, printEvent).
  Event: [
    {
      name: "Last Seen",
      type: "string",
      cell: (o, now) => {
        const last = at(o, "lastTimestamp") ?? at(o, "eventTime") ?? o.metadata.creationTimestamp;
        return typeof last === "string" ? humanAge(now - Date.parse(last)) : "<unknown>";
      },
    },
    { name: "Type", type: "string", cell: (o) => str(at(o, "type"), "") },
    { name: "Reason", type: "string", cell: (o) => str(at(o, "reason"), "") },
    {
      name: "Object",
      type: "string",
      cell: (o) =>
        `${str(at(o, "involvedObject", "kind"), "").toLowerCase()}/${str(at(o, "involvedObject", "name"), "")}`,
    },
    { name: "Message", type: "string", cell: (o) => str(at(o, "message"), "") },
  ],
};

/** True when the client asked for a Table (kubectl does; client-node does not). */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Builds the Table for `objects`; `includeObject` is the request's parameter (default Metadata). */
export function toTable(
  type: ResourceType,
  objects: StoredObject[],
  options: {
    includeObject?: string | null;
    resourceVersion?: string;
    continue?: string;
    withColumns?: boolean;
  },
): Record<string, unknown> {
  const columns = COLUMNS[type.kind] ?? [name, age];
  const now = Date.now();
  const include = options.includeObject ?? "Metadata";
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
    },
    ...(options.withColumns === false
      ? {}
      : {
          columnDefinitions: columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? "",
            description: "",
            priority: c.priority ?? 0,
          })),
        }),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      ...(include === "None"
        ? {}
        : {
            object:
              include === "Object"
                ? o
                : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
          }),
    })),
  };
}
