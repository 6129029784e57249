/**
 * Kanister's template data as Go types (pkg/param/param.go TemplateParams and the structs it holds;
 * pkg/apis/cr/v1alpha1 types.go Artifact, Location, JSONMap), field for field, so templates see
 * Kanister's zero values, printing, `toJson` shapes and refusals.
 */
import { goTypes, mapOf, namedType, pointerTo, sliceOf, structType } from "@quiesce/template";
import { ConfigMapType, SecretType } from "./kube-types.js";

const str = goTypes.string;
const stringMap = mapOf(str);

/** v1alpha1.JSONMap (`type JSONMap sp.JSONMap`: a map[string]interface{}). */
export const JSONMapType = namedType("v1alpha1.JSONMap", mapOf(goTypes.interface));

/** v1alpha1.Artifact. */
export const ArtifactType = structType("v1alpha1.Artifact", {
  KeyValue: { type: stringMap, json: "keyValue,omitempty" },
  KopiaSnapshot: { type: str, json: "kopiaSnapshot,omitempty" },
});

/** v1alpha1.LocationType: `s3Compliant`, `gcs`, `azure`, `kopia`. */
export const LocationTypeType = namedType("v1alpha1.LocationType", str);

/** v1alpha1.Location (JSON names are lower case). */
export const LocationType = structType("v1alpha1.Location", {
  Type: { type: LocationTypeType, json: "type" },
  Bucket: { type: str, json: "bucket" },
  Endpoint: { type: str, json: "endpoint" },
  Prefix: { type: str, json: "prefix" },
  Region: { type: str, json: "region" },
});

/** param.CredentialType: `keyPair`, `secret`, `kopia`. */
export const CredentialTypeType = namedType("param.CredentialType", str);

/** param.KeyPair. */
export const KeyPairType = structType("param.KeyPair", { ID: str, Secret: str });

/** param.KopiaServerCreds. */
export const KopiaServerCredsType = structType("param.KopiaServerCreds", {
  Username: str,
  Hostname: str,
  Password: str,
  Cert: str,
  ConnectOptions: mapOf(goTypes.int),
});

/** param.Credential: one of KeyPair, Secret (the whole corev1.Secret) or KopiaServerSecret is set. */
export const CredentialType = structType("param.Credential", {
  Type: CredentialTypeType,
  KeyPair: pointerTo(KeyPairType),
  Secret: pointerTo(SecretType),
  KopiaServerSecret: pointerTo(KopiaServerCredsType),
});

/** param.Profile (no json tags: `toJson .Profile` has keys Location, Credential, SkipSSLVerify). */
export const ProfileType = structType("param.Profile", {
  Location: LocationType,
  Credential: CredentialType,
  SkipSSLVerify: goTypes.bool,
});

function workloadParams(name: string) {
  return structType(name, {
    Name: str,
    Namespace: str,
    Pods: sliceOf(str),
    Containers: sliceOf(sliceOf(str)),
    PersistentVolumeClaims: mapOf(stringMap),
  });
}

/** param.StatefulSetParams. */
export const StatefulSetParamsType = workloadParams("param.StatefulSetParams");
/** param.DeploymentParams. */
export const DeploymentParamsType = workloadParams("param.DeploymentParams");
/** param.DeploymentConfigParams (OpenShift). */
export const DeploymentConfigParamsType = workloadParams("param.DeploymentConfigParams");

/** param.PVCParams. */
export const PVCParamsType = structType("param.PVCParams", { Name: str, Namespace: str });
/** param.NamespaceParams. */
export const NamespaceParamsType = structType("param.NamespaceParams", { Name: str, Namespace: str });

/** param.Phase: the objects a phase read and its output. */
export const PhaseType = structType("param.Phase", {
  Secrets: mapOf(SecretType),
  ConfigMaps: mapOf(ConfigMapType),
  Output: mapOf(goTypes.interface),
});

/** param.TemplateParams, in Kanister's field order. */
export const TemplateParamsType = structType("param.TemplateParams", {
  StatefulSet: pointerTo(StatefulSetParamsType),
  DeploymentConfig: pointerTo(DeploymentConfigParamsType),
  Deployment: pointerTo(DeploymentParamsType),
  PVC: pointerTo(PVCParamsType),
  Namespace: pointerTo(NamespaceParamsType),
  ArtifactsIn: mapOf(ArtifactType),
  ConfigMaps: mapOf(ConfigMapType),
  Secrets: mapOf(SecretType),
  Time: str,
  Profile: pointerTo(ProfileType),
  Options: stringMap,
  Object: mapOf(goTypes.interface),
  CurrentPhase: pointerTo(PhaseType),
  Phases: mapOf(pointerTo(PhaseType)),
  DeferPhase: pointerTo(PhaseType),
  PodOverride: JSONMapType,
  PodAnnotations: stringMap,
  PodLabels: stringMap,
});
