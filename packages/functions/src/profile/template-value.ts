/**
 * The Profile as template data: a Go-typed `*param.Profile` (pkg/param/param.go, with
 * crv1alpha1.Location's JSON tags), so `{{ .Profile.Location.Bucket }}` and `{{ toJson .Profile }}`
 * are what Kanister renders — and the way back from that value to the Profile the data functions read.
 */
import { goTypes, goValue, mapOf, namedType, pointerTo, structType } from "@quiesce/template";
import { SecretType, typedSecretPointer } from "../kube-go-types.js";
import type { Profile } from "./types.js";

const LocationGoType = structType("v1alpha1.Location", {
  Type: { type: namedType("v1alpha1.LocationType", goTypes.string), json: "type" },
  Bucket: { type: goTypes.string, json: "bucket" },
  Endpoint: { type: goTypes.string, json: "endpoint" },
  Prefix: { type: goTypes.string, json: "prefix" },
  Region: { type: goTypes.string, json: "region" },
});

const KeyPairGoType = structType("param.KeyPair", { ID: goTypes.string, Secret: goTypes.string });

const KopiaServerCredsGoType = structType("param.KopiaServerCreds", {
  Username: goTypes.string,
  Hostname: goTypes.string,
  Password: goTypes.string,
  Cert: goTypes.string,
  ConnectOptions: mapOf(goTypes.int),
});

const CredentialGoType = structType("param.Credential", {
  Type: namedType("param.CredentialType", goTypes.string),
  KeyPair: pointerTo(KeyPairGoType),
  Secret: pointerTo(SecretType),
  KopiaServerSecret: pointerTo(KopiaServerCredsGoType),
});

/** `param.Profile`, which templates see through a pointer (`TemplateParams.Profile *Profile`). */
export const ProfileGoType = structType("param.Profile", {
  Location: LocationGoType,
  Credential: CredentialGoType,
  SkipSSLVerify: goTypes.bool,
});

const profiles = new WeakMap<object, Profile>();

/** The value templates see as `.Profile` for `profile`: a Go-typed `*param.Profile`. */
export function profileTemplateValue(profile: Profile): unknown {
  const c = profile.Credential;
  const value = goValue(pointerTo(ProfileGoType), {
    Location: profile.Location,
    Credential: {
      Type: c.Type,
      KeyPair: c.KeyPair,
      Secret: c.Secret ? typedSecretPointer(c.Secret) : null,
      KopiaServerSecret: c.KopiaServerSecret,
    },
    SkipSSLVerify: profile.SkipSSLVerify,
  }) as object;
  profiles.set(value, profile);
  return value;
}

/** The Profile behind a `.Profile` template value (`null` when the action has none). */
export function profileOf(value: unknown): Profile | null {
  if (value === null || value === undefined || typeof value !== "object") return null;
  return profiles.get(value) ?? (value as Profile);
}
