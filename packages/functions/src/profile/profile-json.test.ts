/**
 * `{{ toJson .Profile }}` of the Profile loadProfile builds is byte for byte what Kanister renders,
 * recorded with Go's encoding/json over Kanister's structs (tools/profile-json).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { render } from "@quiesce/template";
import { describe, expect, it } from "vitest";
import { profileGoValue } from "../go-params/template-data.js";
import type { SecretParams } from "../template-params.js";
import type { Profile } from "./types.js";

/** A case as the Go recorder reads it: Location under its JSON names, the Secret as the API serves it. */
interface Case {
  name: string;
  Location: {
    type: Profile["Location"]["Type"];
    bucket: string;
    endpoint: string;
    prefix: string;
    region: string;
  };
  Credential: Omit<Profile["Credential"], "Secret"> & { Secret: Record<string, unknown> | null };
  SkipSSLVerify: boolean;
}

/** What readSecret makes of a Secret the API served. */
function secretParams(obj: Record<string, unknown>): SecretParams {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  return {
    Name: String(meta.name ?? ""),
    Namespace: String(meta.namespace ?? ""),
    Type: typeof obj.type === "string" ? obj.type : "Opaque",
    Data: Object.fromEntries(
      Object.entries((obj.data ?? {}) as Record<string, string>).map(([k, v]) => [
        k,
        new Uint8Array(Buffer.from(v, "base64")),
      ]),
    ),
    StringData: {},
    Labels: (meta.labels ?? {}) as Record<string, string>,
    Annotations: (meta.annotations ?? {}) as Record<string, string>,
    ObjectMeta: meta,
    ...(typeof obj.immutable === "boolean" ? { Immutable: obj.immutable } : {}),
  };
}

const profileOfCase = (c: Case): Profile => ({
  Location: {
    Type: c.Location.type,
    Bucket: c.Location.bucket,
    Endpoint: c.Location.endpoint,
    Prefix: c.Location.prefix,
    Region: c.Location.region,
  },
  Credential: { ...c.Credential, Secret: c.Credential.Secret ? secretParams(c.Credential.Secret) : null },
  SkipSSLVerify: c.SkipSSLVerify,
});

const dir = resolve(import.meta.dirname, "testdata");
const cases = JSON.parse(readFileSync(resolve(dir, "profile-cases.json"), "utf8")) as Case[];
const results = JSON.parse(readFileSync(resolve(dir, "profile-json-results.json"), "utf8")) as {
  name: string;
  toJson: string;
}[];

describe(".Profile in templates", () => {
  it.each(cases.map((c, i) => [c.name, c, results[i]?.toJson] as const))(
    "%s: toJson is what Kanister renders",
    (_name, c, expected) => {
      expect(render("{{ toJson .Profile }}", { Profile: profileGoValue(profileOfCase(c)) })).toBe(expected);
    },
  );

  it("exposes Go field names, the Secret's promoted fields and Go's nil pointers", () => {
    const value = profileGoValue(profileOfCase(cases.find((c) => c.name === "secret aws") as Case));
    const out = render(
      "{{ .Profile.Location.Prefix }}|{{ .Profile.Credential.Type }}|{{ .Profile.Credential.Secret.Name }}|" +
        '{{ index .Profile.Credential.Secret.Data "aws_access_key_id" | toString }}|{{ .Profile.Credential.KeyPair }}|{{ .Profile.SkipSSLVerify }}',
      { Profile: value },
    );
    expect(out).toBe("team-a|secret|aws-creds|AKIATYPED|<nil>|false");
    expect(() => render("{{ .Profile.Credential.KeyPair.ID }}", { Profile: value })).toThrow(
      /nil pointer evaluating \*param\.KeyPair\.ID/,
    );
  });
});
