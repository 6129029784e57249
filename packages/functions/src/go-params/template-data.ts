/**
 * TemplateParams as Kanister's templates see them: the host-facing JS object turned into Go-typed
 * data (param.TemplateParams with its pointers, typed maps and corev1 objects) for rendering.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { GoStruct, goTypeOf, goValue, goValueFromJson, mapOf, pointerTo } from "@quiesce/template";
import {
  type ConfigMapParams,
  type PhaseParams,
  type SecretParams,
  type TemplateParams,
  UNINITIALISED_PHASE,
} from "../template-params.js";
import {
  ArtifactType,
  CredentialType,
  DeploymentConfigParamsType,
  DeploymentParamsType,
  JSONMapType,
  KeyPairType,
  KopiaServerCredsType,
  LocationType,
  NamespaceParamsType,
  PhaseType,
  ProfileType,
  PVCParamsType,
  StatefulSetParamsType,
  TemplateParamsType,
} from "./kanister-types.js";
import { ConfigMapType, ObjectMetaType, SecretType } from "./kube-types.js";

/** The metadata JSON of a Secret/ConfigMap as templates see it (from the object, else its parts). */
function metadataOf(p: {
  Name?: string;
  Namespace?: string;
  Labels?: Record<string, string>;
  Annotations?: Record<string, string>;
  ObjectMeta?: Record<string, unknown>;
}): unknown {
  const meta = p.ObjectMeta !== undefined && Object.keys(p.ObjectMeta).length > 0 ? p.ObjectMeta : undefined;
  return goValueFromJson(
    ObjectMetaType,
    meta ?? {
      name: p.Name,
      namespace: p.Namespace,
      labels: p.Labels && Object.keys(p.Labels).length > 0 ? p.Labels : undefined,
      annotations: p.Annotations && Object.keys(p.Annotations).length > 0 ? p.Annotations : undefined,
    },
  );
}

/** A Secret as Kanister holds it: a corev1.Secret (read through client-go: TypeMeta empty). */
export function secretGoValue(s: SecretParams | GoStruct): unknown {
  if (s instanceof GoStruct) return s;
  return goValue(SecretType, {
    ObjectMeta: metadataOf(s),
    Immutable: s.Immutable ?? null,
    Data: s.Data,
    StringData: s.StringData !== undefined && Object.keys(s.StringData).length > 0 ? s.StringData : null,
    Type: s.Type,
  });
}

/** A ConfigMap as Kanister holds it: a corev1.ConfigMap. */
export function configMapGoValue(c: ConfigMapParams | GoStruct): unknown {
  if (c instanceof GoStruct) return c;
  return goValue(ConfigMapType, {
    ObjectMeta: metadataOf(c),
    Data: c.Data !== undefined && Object.keys(c.Data).length > 0 ? c.Data : null,
    BinaryData: c.BinaryData !== undefined && Object.keys(c.BinaryData).length > 0 ? c.BinaryData : null,
  });
}

function mapValues<T>(
  m: Record<string, T> | null | undefined,
  f: (v: T) => unknown,
): Record<string, unknown> | null {
  if (m === null || m === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}

function phaseValue(p: PhaseParams | null | undefined): unknown {
  if (p === null || p === undefined) return null;
  if (p === UNINITIALISED_PHASE) return goValue(pointerTo(PhaseType), {});
  return goValue(pointerTo(PhaseType), {
    Secrets: mapValues(p.Secrets, secretGoValue),
    ConfigMaps: mapValues(p.ConfigMaps, configMapGoValue),
    Output: p.Output,
  });
}

interface PlainProfile {
  Location?: unknown;
  Credential?: {
    Type?: unknown;
    KeyPair?: unknown;
    Secret?: SecretParams | GoStruct | null;
    KopiaServerSecret?: unknown;
  };
  SkipSSLVerify?: unknown;
}

/**
 * `.Profile` as Kanister holds it: a `*param.Profile` (Location, Credential with the whole credential
 * Secret as a corev1.Secret, SkipSSLVerify). Takes a Go value built with the exported types, or the
 * plain object of the same shape.
 */
export function profileGoValue(profile: unknown): unknown {
  if (profile === null || profile === undefined) return goValue(pointerTo(ProfileType), null);
  if (goTypeOf(profile) !== undefined) return goValue(pointerTo(ProfileType), profile);
  const p = profile as PlainProfile;
  const c = p.Credential ?? {};
  const credential = {
    ...(c.Type !== undefined ? { Type: c.Type } : {}),
    KeyPair: goValue(pointerTo(KeyPairType), c.KeyPair ?? null),
    Secret: c.Secret === null || c.Secret === undefined ? null : secretGoValue(c.Secret),
    KopiaServerSecret: goValue(pointerTo(KopiaServerCredsType), c.KopiaServerSecret ?? null),
  };
  return goValue(pointerTo(ProfileType), {
    Location: goValue(LocationType, p.Location ?? {}),
    Credential: goValue(CredentialType, credential),
    ...(p.SkipSSLVerify !== undefined ? { SkipSSLVerify: p.SkipSSLVerify } : {}),
  });
}

function convert(params: TemplateParams): unknown {
  return goValue(TemplateParamsType, {
    StatefulSet: goValue(pointerTo(StatefulSetParamsType), params.StatefulSet),
    DeploymentConfig: goValue(pointerTo(DeploymentConfigParamsType), params.DeploymentConfig),
    Deployment: goValue(pointerTo(DeploymentParamsType), params.Deployment),
    PVC: goValue(pointerTo(PVCParamsType), params.PVC),
    Namespace: goValue(pointerTo(NamespaceParamsType), params.Namespace),
    ArtifactsIn: goValue(mapOf(ArtifactType), params.ArtifactsIn),
    ConfigMaps: mapValues(params.ConfigMaps, configMapGoValue),
    Secrets: mapValues(params.Secrets, secretGoValue),
    Time: params.Time,
    Profile: profileGoValue(params.Profile),
    Options: params.Options,
    Object: params.Object,
    CurrentPhase: phaseValue(params.CurrentPhase),
    Phases: mapValues(params.Phases, phaseValue),
    DeferPhase: phaseValue(params.DeferPhase),
    PodOverride: goValue(JSONMapType, params.PodOverride),
    PodAnnotations: params.PodAnnotations,
    PodLabels: params.PodLabels,
  });
}

/**
 * The Go-typed template data for `params`: what `{{ … }}` in a Blueprint sees, as Kanister passes
 * its `param.TemplateParams` to text/template (pkg/param/render.go renderStringArg). Throws
 * `QUIESCE_VALIDATION`, naming the field, when a part does not fit Kanister's type (Options values
 * must be strings, artifact KeyValues strings…).
 *
 * @example
 * ```ts
 * render('{{ index .Options "missing" | quote }}', kanisterTemplateData(params)); // '""'
 * ```
 */
export function kanisterTemplateData(params: TemplateParams): unknown {
  try {
    return convert(params);
  } catch (err) {
    if (err instanceof QuiesceError && err.code === ErrorCodes.VALIDATION) {
      throw new QuiesceError(ErrorCodes.VALIDATION, `template parameters: ${err.message}`, {
        cause: err,
        details: err.details,
      });
    }
    throw err;
  }
}
