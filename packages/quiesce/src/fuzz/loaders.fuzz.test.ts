/**
 * Property-based fuzzing of every public loader: whatever document it is given — mutated
 * fixtures, YAML spliced with anchors, aliases and tags, cyclic or exponentially shared objects,
 * known attacks — it returns or throws a coded QuiesceError naming a path. Short in the normal test
 * run; `./run fuzz` runs it at length and prints the counts.
 */
import fc from "fast-check";
import { describe } from "vitest";
import {
  loadBlueprint,
  loadHookReferences,
  loadHookTemplate,
  loadKubeConfig,
  loadVeleroHooks,
  parseAction,
  parseDuration,
  parseExecutor,
  parseGoDuration,
  parseHookReference,
  parsePhaseOutputs,
  parseQuantity,
  parseSelector,
  parseVeleroAnnotations,
  parseVeleroCommand,
  renderAction,
  validateBlueprint,
  validateProfile,
} from "../index.js";
import { documentArb, fixtureDocs, keyArb, toYaml, valueArb } from "./test-support/arbitraries.js";
import { fuzzTarget } from "./test-support/oracle.js";

const fuzz = (
  target: string,
  arb: fc.Arbitrary<unknown>,
  fn: (input: unknown) => unknown,
  needsPath = true,
) => fuzzTarget(target, arb, fn, { needsPath, ci: 100 });

const kanister = fixtureDocs("kanister");
const kubestash = fixtureDocs("kubestash");
const velero = fixtureDocs("velero");
const ofKind = (docs: unknown[], kind: string) => docs.filter((d) => (d as { kind?: string }).kind === kind);
const hookTemplates = ofKind(kubestash, "HookTemplate");
const sessions = kubestash.filter((d) => hookTemplates.indexOf(d) < 0);
const pick = (docs: unknown[], path: string[]) =>
  docs
    .map((d) => path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], d))
    .filter((v) => v !== undefined);
const references = sessions.flatMap(
  (d) =>
    JSON.stringify(d)
      .match(/\{"name":"[^"]*","hookTemplate":\{[^}]*\}[^}]*\}/g)
      ?.map((s) => JSON.parse(s) as unknown) ?? [],
);

describe("fuzzed Kanister Blueprints", () => {
  fuzz("loadBlueprint", documentArb(kanister), (input) => loadBlueprint(input));
  fuzz("validateBlueprint", documentArb(kanister), (input) => {
    // The realistic path (what loads is validated) and a caller handing over anything at all.
    let loaded: unknown;
    try {
      loaded = loadBlueprint(input).blueprint;
    } catch {
      loaded = typeof input === "string" ? undefined : input;
    }
    if (loaded !== undefined) validateBlueprint(loaded as Parameters<typeof validateBlueprint>[0]);
  });
});

describe("fuzzed KubeStash documents", () => {
  fuzz("loadHookTemplate", documentArb(hookTemplates), (input) => loadHookTemplate(input));
  fuzz("loadHookReferences", documentArb(sessions), (input) => loadHookReferences(input));
  fuzz("parseHookReference", documentArb(references.length ? references : [{}]), (input) =>
    parseHookReference(input),
  );
  fuzz("parseAction", documentArb(pick(hookTemplates, ["spec", "action"])), (input) => parseAction(input));
  fuzz("parseExecutor", documentArb(pick(hookTemplates, ["spec", "executor"])), (input) =>
    parseExecutor(input),
  );
  // What a session renders: a parsed action against any data (also cyclic).
  fuzz(
    "renderAction",
    fc.tuple(documentArb(pick(hookTemplates, ["spec", "action"])), valueArb),
    (input) => {
      const [action, data] = input as [unknown, unknown];
      return renderAction(parseAction(action), data);
    },
    false,
  );
});

describe("fuzzed Profiles and phase output", () => {
  const profile = {
    Location: { Type: "s3Compliant", Bucket: "b", Endpoint: "http://s3", Prefix: "p", Region: "r" },
    Credential: {
      Type: "keyPair",
      KeyPair: { ID: "id", Secret: "key" },
      Secret: null,
      KopiaServerSecret: null,
    },
    SkipSSLVerify: false,
  };
  fuzz("validateProfile", documentArb([profile]), (input) => validateProfile(input as never), false);
  const marker = "###Phase-output###: ";
  fuzz(
    "parsePhaseOutputs",
    fc.oneof(
      fc
        .array(fc.oneof(fc.constant(marker), fc.constant("\n"), fc.json(), fc.string()), { maxLength: 6 })
        .map((parts) => parts.join("")),
      valueArb,
    ),
    (input) => parsePhaseOutputs(input as string),
    false,
  );
});

describe("fuzzed kubeconfig text", () => {
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:6443" } }],
    users: [{ name: "u", user: { token: "t" } }],
    contexts: [{ name: "x", context: { cluster: "c", user: "u", namespace: "ns" } }],
    "current-context": "x",
  };
  fuzz(
    "loadKubeConfig",
    documentArb([kubeconfig]).map((d) => (typeof d === "string" ? d : toYaml(d))),
    (input) => loadKubeConfig({ kubeconfig: input as string }),
    false,
  );
});

describe("fuzzed Velero documents", () => {
  const multi = fc
    .array(documentArb(velero), { minLength: 1, maxLength: 3 })
    .map((docs) => docs.map((d) => (typeof d === "string" ? d : toYaml(d))).join("\n---\n"));
  fuzz("loadVeleroHooks", fc.oneof(documentArb(velero), multi), (input) => loadVeleroHooks(input));
  const annotationKey = fc.oneof(
    fc.constantFrom(
      "pre.hook.backup.velero.io/container",
      "pre.hook.backup.velero.io/command",
      "pre.hook.backup.velero.io/on-error",
      "pre.hook.backup.velero.io/timeout",
      "post.hook.backup.velero.io/command",
      "post.hook.restore.velero.io/command",
      "post.hook.restore.velero.io/wait-timeout",
      "post.hook.restore.velero.io/exec-timeout",
      "init.hook.restore.velero.io/container-image",
    ),
    keyArb,
  );
  fuzz(
    "parseVeleroAnnotations",
    fc.oneof(
      fc.dictionary(annotationKey, fc.oneof(fc.string(), fc.constantFrom('["sh"', "Fail", "30s", "[1]"))),
      valueArb,
    ),
    (input) => parseVeleroAnnotations(input as Record<string, string>),
  );
  fuzz(
    "parseVeleroCommand",
    fc.oneof(fc.string(), fc.json(), valueArb),
    (input) => parseVeleroCommand(input as string),
    false,
  );
});

describe("fuzzed scalars", () => {
  fuzz(
    "parseDuration",
    fc.oneof(fc.string(), fc.stringMatching(/^-?(\d{1,25}(\.\d{0,30})?(ns|us|µs|ms|s|m|h))+$/), valueArb),
    (input) => parseDuration(input as string),
    false,
  );
  fuzz(
    "parseGoDuration",
    fc.oneof(fc.string(), fc.stringMatching(/^[-+]?(\d{1,25}(\.\d{0,30})?(ns|us|µs|ms|s|m|h))+$/), valueArb),
    (input) => parseGoDuration(input as string),
    false,
  );
  fuzz(
    "parseQuantity",
    fc.oneof(
      fc.string(),
      fc.stringMatching(/^[-+]?\d{0,30}(\.\d{0,30})?([eE][-+]?\d{0,5}|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/),
      valueArb,
    ),
    (input) => parseQuantity(input as string),
    false,
  );
  fuzz(
    "parseSelector",
    fc.oneof(fc.string(), fc.stringMatching(/^[a-z!=,() \-in/.]{0,30}$/), valueArb),
    (input) => parseSelector(input as string),
    false,
  );
});
