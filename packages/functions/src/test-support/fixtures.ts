/** Shared set-up of the tests that run the repository's own Blueprints (packages/testing/fixtures). */
import { readFixture } from "@quiesce/testing/corpus";
import { loadBlueprint } from "../blueprint/load.js";
import type { Profile } from "../profile/types.js";

/** A fixture Blueprint, loaded. */
export const blueprint = (file: string) => loadBlueprint(readFixture(`kanister/${file}`)).blueprint;
export const time = new Date("2027-03-04T05:06:07.089Z");
export const profile: Profile = {
  Location: { Type: "s3Compliant", Bucket: "archives", Endpoint: "", Prefix: "", Region: "eu-west-1" },
  Credential: {
    Type: "keyPair",
    KeyPair: { ID: "AKIDLEDGER", Secret: "ledger-profile-secret" },
    Secret: null,
    KopiaServerSecret: null,
  },
  SkipSSLVerify: false,
};
export const b64 = (s: string) => Buffer.from(s).toString("base64");
export const script = (argv: readonly string[]) => argv.at(-1) ?? "";
/** What `kando output k v` prints, for each such line of a script whose variables are given. */
export const kandoOutputs = (text: string, vars: Record<string, string>) =>
  [...text.matchAll(/kando output (\w+) (\S+)/g)]
    .map(([, key, value]) => {
      const v = (value as string).replace(/\$\{?(\w+)\}?/g, (_m, name: string) => vars[name] ?? "");
      return `###Phase-output###: ${JSON.stringify({ key, value: v })}\n`;
    })
    .join("");

/** A StatefulSet of `replicas` pods with the given containers and a `data` claim per pod, mounted by the first. */
export function statefulSet(namespace: string, name: string, replicas: number, containers: string[]): string {
  return `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${name}, namespace: ${namespace}, labels: { app.kubernetes.io/instance: ${name}-prod } }
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: ${JSON.stringify(
        containers.map((c, i) => ({
          name: c,
          image: `example/${c}:1`,
          ...(i === 0 ? { volumeMounts: [{ name: "data", mountPath: "/var/lib/data" }] } : {}),
        })),
      )}
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;
}

export const crd = (group: string, kind: string, plural: string, version: string) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${plural}.${group} }
spec:
  group: ${group}
  scope: Namespaced
  names: { plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind} }
  versions: [{ name: ${version}, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;
