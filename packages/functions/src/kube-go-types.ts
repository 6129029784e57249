/**
 * Go types of the Kubernetes objects Kanister hands to templates as typed values
 * (k8s.io/api/core/v1, k8s.io/apimachinery/pkg/apis/meta/v1): field order, JSON tags and the
 * custom JSON of metav1.Time, so `toJson` of such a value is what Go's encoding/json writes.
 */
import {
  GoRawJson,
  type GoStruct,
  goTypes,
  goValue,
  goValueFromJson,
  mapOf,
  namedType,
  pointerTo,
  sliceOf,
  sprint,
  structType,
  zeroValue,
} from "@quiesce/template";

const ZERO_TIME_SECONDS = (zeroValue(goTypes.time) as { unixSeconds: number }).unixSeconds;

/** metav1.Time: a time.Time whose JSON is RFC 3339 in UTC to the second, `null` when zero. */
export const MetaTimeType = structType(
  "v1.Time",
  { Time: { type: goTypes.time, embedded: true } },
  {
    stringer: (self) => sprint((self as GoStruct).get("Time")),
    marshalJson: (self) => {
      const t = (self as GoStruct).get("Time") as { unixSeconds: number };
      if (t.unixSeconds === ZERO_TIME_SECONDS) return new GoRawJson("null");
      return new GoRawJson(`"${new Date(t.unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")}"`);
    },
    unmarshalJson: (json) =>
      goValue(
        MetaTimeType,
        json === null || json === undefined ? {} : { Time: goValueFromJson(goTypes.time, json) },
      ),
  },
);

/** metav1.FieldsV1: raw JSON kept as it came. */
const FieldsV1Type = structType(
  "v1.FieldsV1",
  { Raw: { type: goTypes.bytes, json: "-" } },
  {
    marshalJson: (self) => {
      const raw = (self as GoStruct).get("Raw") as Uint8Array;
      return new GoRawJson(raw.length === 0 ? "null" : Buffer.from(raw).toString("utf8"));
    },
    unmarshalJson: (json) =>
      goValue(FieldsV1Type, { Raw: new Uint8Array(Buffer.from(JSON.stringify(json))) }),
  },
);

const UID = namedType("types.UID", goTypes.string);

const OwnerReferenceType = structType("v1.OwnerReference", {
  APIVersion: { type: goTypes.string, json: "apiVersion" },
  Kind: { type: goTypes.string, json: "kind" },
  Name: { type: goTypes.string, json: "name" },
  UID: { type: UID, json: "uid" },
  Controller: { type: pointerTo(goTypes.bool), json: "controller,omitempty" },
  BlockOwnerDeletion: { type: pointerTo(goTypes.bool), json: "blockOwnerDeletion,omitempty" },
});

const ManagedFieldsEntryType = structType("v1.ManagedFieldsEntry", {
  Manager: { type: goTypes.string, json: "manager,omitempty" },
  Operation: {
    type: namedType("v1.ManagedFieldsOperationType", goTypes.string),
    json: "operation,omitempty",
  },
  APIVersion: { type: goTypes.string, json: "apiVersion,omitempty" },
  Time: { type: pointerTo(MetaTimeType), json: "time,omitempty" },
  FieldsType: { type: goTypes.string, json: "fieldsType,omitempty" },
  FieldsV1: { type: pointerTo(FieldsV1Type), json: "fieldsV1,omitempty" },
  Subresource: { type: goTypes.string, json: "subresource,omitempty" },
});

/** metav1.TypeMeta (inlined into objects). */
export const TypeMetaType = structType("v1.TypeMeta", {
  Kind: { type: goTypes.string, json: "kind,omitempty" },
  APIVersion: { type: goTypes.string, json: "apiVersion,omitempty" },
});

/** metav1.ObjectMeta. */
export const ObjectMetaType = structType("v1.ObjectMeta", {
  Name: { type: goTypes.string, json: "name,omitempty" },
  GenerateName: { type: goTypes.string, json: "generateName,omitempty" },
  Namespace: { type: goTypes.string, json: "namespace,omitempty" },
  SelfLink: { type: goTypes.string, json: "selfLink,omitempty" },
  UID: { type: UID, json: "uid,omitempty" },
  ResourceVersion: { type: goTypes.string, json: "resourceVersion,omitempty" },
  Generation: { type: goTypes.int64, json: "generation,omitempty" },
  CreationTimestamp: { type: MetaTimeType, json: "creationTimestamp,omitempty" },
  DeletionTimestamp: { type: pointerTo(MetaTimeType), json: "deletionTimestamp,omitempty" },
  DeletionGracePeriodSeconds: {
    type: pointerTo(goTypes.int64),
    json: "deletionGracePeriodSeconds,omitempty",
  },
  Labels: { type: mapOf(goTypes.string), json: "labels,omitempty" },
  Annotations: { type: mapOf(goTypes.string), json: "annotations,omitempty" },
  OwnerReferences: { type: sliceOf(OwnerReferenceType), json: "ownerReferences,omitempty" },
  Finalizers: { type: sliceOf(goTypes.string), json: "finalizers,omitempty" },
  ManagedFields: { type: sliceOf(ManagedFieldsEntryType), json: "managedFields,omitempty" },
});

/** corev1.Secret. */
export const SecretType = structType("v1.Secret", {
  TypeMeta: { type: TypeMetaType, json: ",inline", embedded: true },
  ObjectMeta: { type: ObjectMetaType, json: "metadata,omitempty", embedded: true },
  Immutable: { type: pointerTo(goTypes.bool), json: "immutable,omitempty" },
  Data: { type: mapOf(goTypes.bytes), json: "data,omitempty" },
  StringData: { type: mapOf(goTypes.string), json: "stringData,omitempty" },
  Type: { type: namedType("v1.SecretType", goTypes.string), json: "type,omitempty" },
});

/**
 * A Secret as a typed client (client-go) returns it: the object the API served, without `kind`
 * and `apiVersion` (typed clients leave TypeMeta empty), as a Go-typed `*corev1.Secret`.
 */
export function typedSecretPointer(object: Record<string, unknown>): unknown {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return goValueFromJson(pointerTo(SecretType), rest);
}
