/** Shared fixtures of the cluster tests: the HookTemplate CRD, a MySQL-like workload, a webhook receiver. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** The HookTemplate CRD, so templates can be applied to and read from the local cluster. */
export const hookTemplateCrd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: hooktemplates.core.kubestash.com }
spec:
  group: core.kubestash.com
  scope: Namespaced
  names: { plural: hooktemplates, singular: hooktemplate, kind: HookTemplate, listKind: HookTemplateList }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

/** Two pods labelled like the KubeDB MySQL pods the corpus templates select. */
export function mysqlPods(namespace: string): string {
  const pod = (i: number) => `
apiVersion: v1
kind: Pod
metadata:
  name: sample-mysql-${i}
  namespace: ${namespace}
  labels:
    app.kubernetes.io/instance: sample-mysql
    app.kubernetes.io/managed-by: kubedb.com
    app.kubernetes.io/name: mysqls.kubedb.com
spec:
  containers:
    - { name: mysql, image: mysql:8 }
    - { name: exporter, image: exporter:1 }
`;
  return [pod(0), pod(1)].join("---\n");
}

/** One request a {@link startReceiver} received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver on 127.0.0.1 (port 0) that records requests and answers `status`. */
export async function startReceiver(status = 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
