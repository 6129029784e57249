import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { render } from "@quiesce/template";
import { describe, expect, it } from "vitest";
import { profileOf, profileTemplateValue } from "./template-value.js";
import type { Profile } from "./types.js";

/** A case as the Go recorder reads it: Location under its JSON names. */
interface Case {
  name: string;
  Location: {
    type: Profile["Location"]["Type"];
    bucket: string;
    endpoint: string;
    prefix: string;
    region: string;
  };
  Credential: Profile["Credential"];
  SkipSSLVerify: boolean;
}

const profileOfCase = (c: Case): Profile => ({
  Location: {
    Type: c.Location.type,
    Bucket: c.Location.bucket,
    Endpoint: c.Location.endpoint,
    Prefix: c.Location.prefix,
    Region: c.Location.region,
  },
  Credential: c.Credential,
  SkipSSLVerify: c.SkipSSLVerify,
});

const dir = resolve(import.meta.dirname, "testdata");
const cases = JSON.parse(readFileSync(resolve(dir, "profile-cases.json"), "utf8")) as Case[];
// Recorded with Go's encoding/json over Kanister's structs (tools/profile-json).
const results = JSON.parse(readFileSync(resolve(dir, "profile-json-results.json"), "utf8")) as {
  name: string;
  toJson: string;
}[];

describe(".Profile in templates", () => {
  it.each(cases.map((c, i) => [c.name, c, results[i]?.toJson] as const))(
    "%s: toJson is byte for byte what Kanister renders",
    (_name, c, expected) => {
      const profile = profileOfCase(c);
      expect(render("{{ toJson .Profile }}", { Profile: profileTemplateValue(profile) })).toBe(expected);
    },
  );

  it("exposes Go field names, promoted Secret fields and Go's nil pointers; the Profile comes back for the functions", () => {
    const secretCase = cases.find((c) => c.name === "secret aws") as Case;
    const profile = profileOfCase(secretCase);
    const value = profileTemplateValue(profile);
    const out = render(
      "{{ .Profile.Location.Prefix }}|{{ .Profile.Credential.Type }}|{{ .Profile.Credential.Secret.Name }}|" +
        '{{ index .Profile.Credential.Secret.Data "aws_access_key_id" | toString }}|{{ .Profile.Credential.KeyPair }}|{{ .Profile.SkipSSLVerify }}',
      { Profile: value },
    );
    expect(out).toBe("team-a|secret|aws-creds|AKIATYPED|<nil>|false");
    expect(() => render("{{ .Profile.Credential.KeyPair.ID }}", { Profile: value })).toThrow(
      /nil pointer evaluating \*param\.KeyPair\.ID/,
    );
    expect(() => render("{{ .Profile.Location.bucket }}", { Profile: value })).toThrow();
    expect(profileOf(value)).toBe(profile);
    expect(profileOf(null)).toBeNull();
  });
});
