/**
 * What Kanister puts on the pods its functions create: `podLabels` / `podAnnotations` arguments
 * merged with the ActionSet's (the Blueprint's win), Kanister's `createdBy: kanister` label, and
 * the checks its webhook runs on them (ValidatePodLabelsAndAnnotations). Shared by every function
 * that creates a pod.
 */
import { z } from "zod";
import { looseString } from "../args.js";
import type { TemplateParams } from "../template-params.js";

/** Kanister's label on every pod it creates (pkg/consts: LabelKeyCreatedBy / LabelValueKanister). */
export const KANISTER_CREATED_BY = { createdBy: "kanister" } as const;

/**
 * The `podLabels` and `podAnnotations` arguments: maps decoded as Kanister's mapstructure
 * WeakDecode does (a number becomes its text, a boolean "1"/"0", null "").
 */
export function podMetadataArgs() {
  const map = () =>
    z
      .record(
        z.string(),
        z.preprocess((v) => (v === null ? "" : v), looseString()),
      )
      .optional();
  return { podLabels: map(), podAnnotations: map() };
}

/** Labels and annotations for a function's pod. */
export interface PodMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The labels and annotations of a pod Kanister creates: the ActionSet's (`params.PodLabels` /
 * `PodAnnotations`) merged with the Blueprint's arguments, the Blueprint's winning
 * (pkg/function/utils.go MergeBPLabels / MergeBPAnnotations), over `createdBy: kanister`
 * (pkg/kube/pod.go createPodSpec sets it first, so a `createdBy` label of the Blueprint wins).
 */
export function podMetadata(
  params: TemplateParams,
  args: {
    podLabels?: Record<string, string> | undefined;
    podAnnotations?: Record<string, string> | undefined;
  },
): PodMetadata {
  return {
    labels: { ...KANISTER_CREATED_BY, ...(params.PodLabels ?? {}), ...(args.podLabels ?? {}) },
    annotations: { ...(params.PodAnnotations ?? {}), ...(args.podAnnotations ?? {}) },
  };
}

// k8s.io/apimachinery pkg/util/validation/validation.go (v0.33, Kanister's pin): messages and patterns.
const QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const maxLenError = (n: number) => `must be no more than ${n} characters`;
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (bytes(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

/** Kubernetes' IsQualifiedName (label and annotation keys): the problems, or `[]`. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (bytes(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name))
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")}`,
    );
  return errs;
}

/** Kubernetes' IsValidLabelValue: the problems, or `[]`. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (bytes(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value))
    errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
  return errs;
}

/** Go's `%s` of a []string. */
const goList = (items: string[]) => `[${items.join(" ")}]`;

/** One finding of {@link podMetadataProblem}: which argument, and Kanister's message. */
export interface PodMetadataProblem {
  arg: "podLabels" | "podAnnotations";
  key?: string;
  message: string;
}

/**
 * Kanister's ValidatePodLabelsAndAnnotations (pkg/function/utils.go) on raw arguments, as its
 * webhook runs it: a `podLabels`/`podAnnotations` value that is not a map, a label key or value,
 * or an annotation key Kubernetes would refuse. Values that are not strings are skipped, as
 * Kanister skips them; templates are checked as written (Kanister validates unrendered arguments).
 * Returns the first problem with Kanister's message, or undefined.
 */
export function podMetadataProblem(args: Record<string, unknown>): PodMetadataProblem | undefined {
  for (const check of CHECKS) {
    const map = args[check.arg];
    if (map === undefined || map === null) continue;
    if (!isMap(map)) {
      return {
        arg: check.arg,
        message: `Kanister function validation failed, while getting pod ${check.what} from function args: ${check.arg} are not in correct format. ${check.format}`,
      };
    }
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== "string") continue;
      const problems: Array<[string, string[]]> = [[`key '${key}'`, qualifiedNameErrors(key)]];
      if (check.values) problems.push([`value '${value}'`, labelValueErrors(value)]);
      for (const [what, errs] of problems) {
        if (errs.length === 0) continue;
        return {
          arg: check.arg,
          key,
          message: `Kanister function validation failed, while validating ${check.what}: ${check.noun} ${what} failed validation. ${goList(errs)}`,
        };
      }
    }
  }
  return undefined;
}

// ValidatePodLabelsAndAnnotations checks labels (keys and values) first, then annotations (keys only).
const CHECKS = [
  {
    arg: "podLabels",
    what: "labels",
    noun: "label",
    values: true,
    format: "Expected format is map[string]interface{}.",
  },
  {
    arg: "podAnnotations",
    what: "annotations",
    noun: "annotation",
    values: false,
    format: "expected format is map[string]string.",
  },
] as const;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
