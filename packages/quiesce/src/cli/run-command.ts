/** `quiesce run`: one Blueprint action against a cluster, with a readable (or JSON) result. */
import { createDeadline, parseDuration } from "@quiesce/core";
import {
  type Artifact,
  BlueprintEvents,
  type NamedObjectRef,
  runBlueprintAction,
  type Subject,
} from "@quiesce/functions";
import "@quiesce/functions/builtins";
import { connect } from "@quiesce/kube";
import { parse as parseYaml } from "yaml";
import { readBlueprintDocument, readText } from "./documents.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { formatActionResult } from "./summary.js";

/** Options of the run command. */
export interface RunCommandOptions {
  file: string;
  action: string;
  subject: string;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  timeout: string;
  phaseTimeout?: string | undefined;
  options: readonly string[];
  secrets: readonly string[];
  configMaps: readonly string[];
  artifactsFile?: string | undefined;
  json: boolean;
  quiet: boolean;
}

/** The default time limit of the whole action. */
export const DEFAULT_RUN_TIMEOUT = "30m";

/** Runs the action; exit code 1 when it did not succeed. */
export async function runCommand(opts: RunCommandOptions, io: CliIO): Promise<number> {
  const subject = parseSubject(opts.subject);
  const timeoutMs = parseDuration(opts.timeout);
  const doc = await readBlueprintDocument(opts.file, io.cwd);
  const artifacts = opts.artifactsFile
    ? (parseYaml(await readText(opts.artifactsFile, io.cwd)) as Record<string, Artifact>)
    : undefined;
  const kubeconfigPath = opts.kubeconfig ?? firstKubeconfig(io.env.KUBECONFIG);
  const cluster = connect({
    ...(kubeconfigPath !== undefined ? { kubeconfigPath } : {}),
    ...(opts.context !== undefined ? { context: opts.context } : {}),
  });

  const events = new BlueprintEvents();
  if (!opts.json && !opts.quiet) {
    events.on("phase:started", (e) => {
      io.stderr.write(`> ${e.deferred ? "deferPhase" : "phase"} ${e.phase} (${e.func})\n`);
    });
    events.on("phase:progress", (e) => {
      io.stderr.write(`  ${e.phase}: ${e.message ?? `${e.percent}%`}\n`);
    });
  }
  const deadline = createDeadline({ signal: io.signal, timeoutMs }, `action ${opts.action}`);
  try {
    const result = await runBlueprintAction(doc.value, opts.action, {
      cluster,
      subject,
      signal: deadline.signal,
      events,
      options: pairs(opts.options, "--option"),
      secrets: refs(opts.secrets, "--secret"),
      configMaps: refs(opts.configMaps, "--configmap"),
      ...(artifacts ? { artifacts } : {}),
      ...(opts.phaseTimeout !== undefined ? { phaseTimeout: opts.phaseTimeout } : {}),
    });
    const label = `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ""}${subject.name}`;
    io.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatActionResult(result, label));
    return result.status === "succeeded" ? EXIT_OK : EXIT_FAILED;
  } finally {
    deadline.dispose();
  }
}

const KINDS: Record<string, string> = {
  statefulset: "StatefulSet",
  sts: "StatefulSet",
  deployment: "Deployment",
  deploy: "Deployment",
  namespace: "Namespace",
  ns: "Namespace",
  pvc: "PVC",
  persistentvolumeclaim: "PVC",
};

/** `kind/namespace/name`, or `namespace/<name>` for a Namespace subject. */
export function parseSubject(text: string): Subject {
  const parts = text.split("/");
  const kind = KINDS[parts[0]?.toLowerCase() ?? ""];
  if (kind === "Namespace" && parts.length === 2 && parts[1]) return { kind, name: parts[1] };
  if (kind && parts.length === 3 && parts[1] && parts[2])
    return { kind, namespace: parts[1], name: parts[2] };
  throw new UsageError(
    `--subject: expected <kind>/<namespace>/<name> (kind: statefulset, deployment, pvc) or namespace/<name>, got "${text}"`,
  );
}

function pairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} expects key=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function refs(list: readonly string[], flag: string): Record<string, NamedObjectRef> {
  const out: Record<string, NamedObjectRef> = {};
  for (const [alias, ref] of Object.entries(pairs(list, flag))) {
    const [namespace, name, extra] = ref.split("/");
    if (!namespace || !name || extra !== undefined) {
      throw new UsageError(`${flag} expects alias=namespace/name, got "${alias}=${ref}"`);
    }
    out[alias] = { namespace, name };
  }
  return out;
}

function firstKubeconfig(value: string | undefined): string | undefined {
  const first = value?.split(":").find((p) => p.length > 0);
  return first;
}
