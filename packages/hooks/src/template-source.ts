/** Where HookTemplates come from: objects in memory, YAML files, or CRs read from a cluster. */
import { readFile } from "node:fs/promises";
import { ErrorCodes, QuiesceError, throwIfAborted, yamlDocumentToValue } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import { parseAllDocuments } from "yaml";
import { type HookTemplate, loadHookTemplate } from "./hook-template.js";

/** Code of the error a source throws when it has no template under that name. */
export const HOOK_TEMPLATE_NOT_FOUND = "QUIESCE_HOOK_TEMPLATE_NOT_FOUND";

/** Name and namespace of a HookTemplate, as a reference's `hookTemplate` gives them. */
export interface TemplateRef {
  name: string;
  namespace: string;
}

/** Resolves HookTemplate references. Implementations validate what they return. */
export interface HookTemplateSource {
  get(ref: TemplateRef, options?: { signal?: AbortSignal | undefined }): Promise<HookTemplate>;
}

function notFound(ref: TemplateRef, where: string, cause?: unknown): QuiesceError {
  return new QuiesceError(
    HOOK_TEMPLATE_NOT_FOUND,
    `HookTemplate ${ref.namespace}/${ref.name} not found in ${where}`,
    {
      cause,
      details: { name: ref.name, namespace: ref.namespace },
    },
  );
}

function indexTemplates(templates: readonly HookTemplate[]): Map<string, HookTemplate> {
  const byKey = new Map<string, HookTemplate>();
  for (const t of templates) byKey.set(`${t.metadata.namespace ?? ""}/${t.metadata.name}`, t);
  return byKey;
}

function lookup(byKey: Map<string, HookTemplate>, ref: TemplateRef): HookTemplate | undefined {
  // A template without metadata.namespace stands for "the namespace it would be applied to".
  return byKey.get(`${ref.namespace}/${ref.name}`) ?? byKey.get(`/${ref.name}`);
}

/**
 * A source over templates held in memory (objects or YAML text, validated up front).
 *
 * @example
 * ```ts
 * const templates = inMemoryTemplates([loadHookTemplate(yamlText)]);
 * const t = await templates.get({ name: "slack-hook", namespace: "demo" });
 * ```
 */
export function inMemoryTemplates(
  templates: readonly (HookTemplate | string | object)[],
): HookTemplateSource {
  const byKey = indexTemplates(templates.map((t) => loadHookTemplate(t)));
  return {
    async get(ref, options = {}) {
      throwIfAborted(options.signal);
      const found = lookup(byKey, ref);
      if (!found) throw notFound(ref, "the in-memory templates");
      return found;
    },
  };
}

/**
 * A source over YAML files (each may hold several documents; documents of other kinds are
 * ignored). Files are read on first use; a file that fails validation fails every lookup with
 * its path in the message.
 *
 * @example
 * ```ts
 * const templates = fileTemplates(["hooks/freeze.yaml", "hooks/slack.yaml"]);
 * ```
 */
export function fileTemplates(paths: readonly string[]): HookTemplateSource {
  let loaded: Promise<Map<string, HookTemplate>> | undefined;
  const load = async () => {
    const all: HookTemplate[] = [];
    for (const path of paths) {
      const text = await readFile(path, "utf8");
      const docs = parseAllDocuments(text);
      for (const [i, doc] of docs.entries()) {
        if (doc.errors.length > 0) {
          throw new QuiesceError(
            ErrorCodes.VALIDATION,
            `${path}: document ${i + 1} does not parse: ${doc.errors[0]?.message}`,
          );
        }
        let value: unknown;
        try {
          // The loaders' guard: an alias bomb, a cycle, or a document too deep or too large is refused.
          value = yamlDocumentToValue(doc, `document ${i + 1}`);
        } catch (cause) {
          throw new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${(cause as Error).message}`, { cause });
        }
        if ((value as { kind?: unknown } | null)?.kind !== "HookTemplate") continue;
        try {
          all.push(loadHookTemplate(value));
        } catch (cause) {
          throw new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${(cause as Error).message}`, { cause });
        }
      }
    }
    return indexTemplates(all);
  };
  return {
    async get(ref, options = {}) {
      throwIfAborted(options.signal);
      loaded ??= load();
      const found = lookup(await loaded, ref);
      if (!found) throw notFound(ref, `the files ${paths.join(", ")}`);
      return found;
    },
  };
}

/**
 * A source reading `hooktemplates.core.kubestash.com` CRs through the Cluster port. A 404 becomes
 * `QUIESCE_HOOK_TEMPLATE_NOT_FOUND`; any other API failure propagates with its code.
 *
 * @example
 * ```ts
 * const templates = clusterTemplates(cluster);
 * ```
 */
export function clusterTemplates(cluster: Pick<Cluster, "get">): HookTemplateSource {
  return {
    async get(ref, options = {}) {
      let object: unknown;
      try {
        object = await cluster.get(
          { group: "core.kubestash.com", version: "v1alpha1", resource: "hooktemplates", ...ref },
          { signal: options.signal },
        );
      } catch (err) {
        if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) throw notFound(ref, "the cluster", err);
        throw err;
      }
      return loadHookTemplate(object);
    },
  };
}

/**
 * Wraps a source so each template is fetched once per wrapper (failures are not remembered).
 * The lifecycle runner wraps its source per session, so a hook referenced from many namespaces
 * reads its template once.
 *
 * @example
 * ```ts
 * const templates = memoizeTemplates(clusterTemplates(cluster));
 * ```
 */
export function memoizeTemplates(source: HookTemplateSource): HookTemplateSource {
  const seen = new Map<string, Promise<HookTemplate>>();
  return {
    get(ref, options = {}) {
      const key = `${ref.namespace}/${ref.name}`;
      let found = seen.get(key);
      if (!found) {
        found = source.get(ref, options);
        seen.set(key, found);
        found.catch(() => seen.delete(key));
      }
      return found;
    },
  };
}
