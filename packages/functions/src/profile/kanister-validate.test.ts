import { describe, expect, it } from "vitest";
import type { SecretParams } from "../template-params.js";
import { kanisterProfileProblem } from "./kanister-validate.js";
import type { Profile } from "./types.js";

const keyPair: Profile = {
  Location: { Type: "s3Compliant", Bucket: "b", Endpoint: "", Prefix: "", Region: "" },
  Credential: { Type: "keyPair", KeyPair: { ID: "id", Secret: "s" }, Secret: null, KopiaServerSecret: null },
  SkipSSLVerify: false,
};

const secret = (type: string, keys: string[]): SecretParams => ({
  Name: "creds",
  Namespace: "kanister",
  Type: type,
  Data: Object.fromEntries(keys.map((k) => [k, new TextEncoder().encode("v")])),
  StringData: {},
  Labels: {},
  Annotations: {},
  ObjectMeta: {},
});

const withSecret = (s: SecretParams | null): Profile => ({
  ...keyPair,
  Credential: { Type: "secret", KeyPair: null, Secret: s, KopiaServerSecret: null },
});

const kopia = (over: Partial<NonNullable<Profile["Credential"]["KopiaServerSecret"]>>): Profile => ({
  ...keyPair,
  Credential: {
    Type: "kopia",
    KeyPair: null,
    Secret: null,
    KopiaServerSecret: {
      Username: "u",
      Hostname: "h",
      Password: "p",
      Cert: "c",
      ConnectOptions: null,
      ...over,
    },
  },
});

describe("Kanister's ValidateProfile words (pkg/function/utils.go, pkg/secrets)", () => {
  it("accepts a usable Profile, kopia locations included", () => {
    expect(kanisterProfileProblem(keyPair)).toBeUndefined();
    expect(
      kanisterProfileProblem({ ...keyPair, Location: { ...keyPair.Location, Type: "kopia" } }),
    ).toBeUndefined();
    expect(
      kanisterProfileProblem(withSecret(secret("secrets.kanister.io/aws", ["aws_access_key_id", "role"]))),
    ).toBe(undefined);
    expect(kanisterProfileProblem(kopia({}))).toBeUndefined();
  });

  it("names what is missing as Kanister does", () => {
    expect(kanisterProfileProblem(null)).toBe("Profile must be non-nil");
    expect(kanisterProfileProblem({ ...keyPair, Credential: { ...keyPair.Credential, KeyPair: null } })).toBe(
      "Empty KeyPair field",
    );
    expect(kanisterProfileProblem(withSecret(null))).toBe("Nil secret");
    expect(kanisterProfileProblem(kopia({ Username: "" }))).toBe("Kopia Username is not set");
    expect(kanisterProfileProblem(kopia({ Password: "" }))).toBe("Kopia UserPassphrase is not set");
    expect(kanisterProfileProblem(kopia({ Hostname: "" }))).toBe("Kopia Hostname is not set");
    expect(kanisterProfileProblem(kopia({ Cert: "" }))).toBe("Kopia TLSCert is not set");
  });

  it("checks a credential Secret as pkg/secrets does — errkit keeps the format verbs of its messages", () => {
    const problem = (type: string, keys: string[]) => kanisterProfileProblem(withSecret(secret(type, keys)));
    expect(problem("secrets.kanister.io/aws", ["aws_access_key_id", "region"])).toBe(
      "Secret has an unknown field",
    );
    expect(problem("secrets.kanister.io/azure", ["azure_storage_key", "x"])).toBe(
      "Secret has an unknown field",
    );
    expect(problem("secrets.kanister.io/gcp", [])).toBe(
      "Empty secret. Expected at least one key value pair in the secret '%s:%s': validation Failed",
    );
    expect(problem("secrets.kanister.io/gcp", ["gcp_project_id"])).toBe(
      "Missing required field %s in the secret '%s:%s': validation Failed",
    );
    expect(problem("secrets.kanister.io/filestore", ["anything"])).toBeUndefined();
    expect(problem("Opaque", ["a"])).toBe("Unsupported type 'Opaque' for secret 'kanister:creds'");
  });
});
