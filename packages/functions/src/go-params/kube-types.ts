/**
 * The Kubernetes Go types Kanister's template data holds (k8s.io/api core/v1 Secret and ConfigMap,
 * k8s.io/apimachinery meta/v1 TypeMeta, ObjectMeta, Time…), declared field for field with their
 * json tags, so `.Secrets.x.Name`, `{{ .Secrets.x }}` and `toJson` behave as in Kanister. Kanister
 * pins k8s.io/api and apimachinery v0.33 (go.mod).
 */
import {
  GoRawJson,
  GoStruct,
  type GoTime,
  goTypes,
  goValueFromJson,
  mapOf,
  namedType,
  pointerTo,
  sliceOf,
  structType,
} from "@quiesce/template";

const str = goTypes.string;
const UID = namedType("types.UID", goTypes.string);

/**
 * metav1.Time: a time.Time embedded (its methods are promoted), encoded as RFC 3339 in UTC at
 * second precision, `null` when zero (apimachinery pkg/apis/meta/v1/time.go MarshalJSON).
 */
export const TimeType = structType(
  "v1.Time",
  { Time: { type: goTypes.time, embedded: true } },
  {
    marshalJson: (self) => {
      const t = (self as GoStruct).values[0] as GoTime;
      if (t.unixSeconds === ZERO_UNIX && t.nanos === 0) return null;
      return t.withZone(0, "UTC").format("2006-01-02T15:04:05Z07:00");
    },
    // time.go UnmarshalJSON: null is the zero time, otherwise RFC 3339 (then .Local(): UTC here).
    unmarshalJson: (json) =>
      new GoStruct(TimeType, [goValueFromJson(goTypes.time, json === null ? ZERO_TEXT : json)]),
  },
);

/** Seconds from the Unix epoch back to Go's zero time (January 1, year 1, UTC). */
const ZERO_UNIX = -62_135_596_800;
const ZERO_TEXT = "0001-01-01T00:00:00Z";

/** metav1.FieldsV1: raw JSON, encoded as it is (MarshalJSON returns Raw). */
export const FieldsV1Type = structType(
  "v1.FieldsV1",
  { Raw: { type: goTypes.bytes, json: "-" } },
  {
    marshalJson: (self) => {
      const raw = (self as GoStruct).values[0] as Uint8Array;
      return raw.length === 0 ? null : new GoRawJson(Buffer.from(raw).toString("utf8"));
    },
    // The API server's JSON, kept as compact text (its key order is kept).
    unmarshalJson: (json) =>
      new GoStruct(FieldsV1Type, [
        goValueFromJson(goTypes.bytes, Buffer.from(JSON.stringify(json ?? null)).toString("base64")),
      ]),
  },
);

/** metav1.OwnerReference. */
export const OwnerReferenceType = structType("v1.OwnerReference", {
  APIVersion: { type: str, json: "apiVersion" },
  Kind: { type: str, json: "kind" },
  Name: { type: str, json: "name" },
  UID: { type: UID, json: "uid" },
  Controller: { type: pointerTo(goTypes.bool), json: "controller,omitempty" },
  BlockOwnerDeletion: { type: pointerTo(goTypes.bool), json: "blockOwnerDeletion,omitempty" },
});

/** metav1.ManagedFieldsEntry. */
export const ManagedFieldsEntryType = structType("v1.ManagedFieldsEntry", {
  Manager: { type: str, json: "manager,omitempty" },
  Operation: { type: namedType("v1.ManagedFieldsOperationType", str), json: "operation,omitempty" },
  APIVersion: { type: str, json: "apiVersion,omitempty" },
  Time: { type: pointerTo(TimeType), json: "time,omitempty" },
  FieldsType: { type: str, json: "fieldsType,omitempty" },
  FieldsV1: { type: pointerTo(FieldsV1Type), json: "fieldsV1,omitempty" },
  Subresource: { type: str, json: "subresource,omitempty" },
});

/** metav1.TypeMeta (empty on objects read through client-go's typed clients). */
export const TypeMetaType = structType("v1.TypeMeta", {
  Kind: { type: str, json: "kind,omitempty" },
  APIVersion: { type: str, json: "apiVersion,omitempty" },
});

/** metav1.ObjectMeta (apimachinery v0.33: creationTimestamp has no omitzero, so a zero one is null). */
export const ObjectMetaType = structType("v1.ObjectMeta", {
  Name: { type: str, json: "name,omitempty" },
  GenerateName: { type: str, json: "generateName,omitempty" },
  Namespace: { type: str, json: "namespace,omitempty" },
  SelfLink: { type: str, json: "selfLink,omitempty" },
  UID: { type: UID, json: "uid,omitempty" },
  ResourceVersion: { type: str, json: "resourceVersion,omitempty" },
  Generation: { type: goTypes.int64, json: "generation,omitempty" },
  CreationTimestamp: { type: TimeType, json: "creationTimestamp,omitempty" },
  DeletionTimestamp: { type: pointerTo(TimeType), json: "deletionTimestamp,omitempty" },
  DeletionGracePeriodSeconds: {
    type: pointerTo(goTypes.int64),
    json: "deletionGracePeriodSeconds,omitempty",
  },
  Labels: { type: mapOf(str), json: "labels,omitempty" },
  Annotations: { type: mapOf(str), json: "annotations,omitempty" },
  OwnerReferences: { type: sliceOf(OwnerReferenceType), json: "ownerReferences,omitempty" },
  Finalizers: { type: sliceOf(str), json: "finalizers,omitempty" },
  ManagedFields: { type: sliceOf(ManagedFieldsEntryType), json: "managedFields,omitempty" },
});

/** corev1.SecretType. */
export const SecretTypeType = namedType("v1.SecretType", str);

/** corev1.Secret (k8s.io/api core/v1 types.go). */
export const SecretType = structType("v1.Secret", {
  TypeMeta: { type: TypeMetaType, json: ",inline", embedded: true },
  ObjectMeta: { type: ObjectMetaType, json: "metadata,omitempty", embedded: true },
  Immutable: { type: pointerTo(goTypes.bool), json: "immutable,omitempty" },
  Data: { type: mapOf(goTypes.bytes), json: "data,omitempty" },
  StringData: { type: mapOf(str), json: "stringData,omitempty" },
  Type: { type: SecretTypeType, json: "type,omitempty" },
});

/** corev1.ConfigMap (k8s.io/api core/v1 types.go). */
export const ConfigMapType = structType("v1.ConfigMap", {
  TypeMeta: { type: TypeMetaType, json: ",inline", embedded: true },
  ObjectMeta: { type: ObjectMetaType, json: "metadata,omitempty", embedded: true },
  Immutable: { type: pointerTo(goTypes.bool), json: "immutable,omitempty" },
  Data: { type: mapOf(str), json: "data,omitempty" },
  BinaryData: { type: mapOf(goTypes.bytes), json: "binaryData,omitempty" },
});
