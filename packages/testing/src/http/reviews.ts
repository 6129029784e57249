/**
 * The review APIs clients ask "who am I, what may I do" with: SelfSubjectAccessReview and
 * SelfSubjectRulesReview (`kubectl auth can-i`), SelfSubjectReview (`kubectl auth whoami`). The
 * local cluster has one user, the bearer token of its kubeconfig, and that user may do everything.
 */
import type { ServerResponse } from "node:http";
import { ApiStatusError } from "../api/errors.js";
import { sendJson } from "./respond.js";

/** The user the token authenticates as. */
export const LOCAL_USER = {
  username: "quiesce-local-admin",
  uid: "quiesce-local-admin",
  groups: ["system:masters", "system:authenticated"],
};

interface Review {
  group: string;
  version: string;
  resource: string;
  kind: string;
  status(spec: unknown): Record<string, unknown>;
}

const REVIEWS: readonly Review[] = [
  {
    group: "authorization.k8s.io",
    version: "v1",
    resource: "selfsubjectaccessreviews",
    kind: "SelfSubjectAccessReview",
    status: () => ({ allowed: true, reason: "the local cluster allows everything to its token" }),
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    resource: "selfsubjectrulesreviews",
    kind: "SelfSubjectRulesReview",
    status: () => ({
      resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
      nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
      incomplete: false,
    }),
  },
  // v1 since Kubernetes 1.28; kubectl 1.26/1.27 ask v1beta1 or v1alpha1 first.
  ...["v1", "v1beta1", "v1alpha1"].map((version) => ({
    group: "authentication.k8s.io",
    version,
    resource: "selfsubjectreviews",
    kind: "SelfSubjectReview",
    status: () => ({ userInfo: { ...LOCAL_USER, groups: [...LOCAL_USER.groups] } }),
  })),
];

/** The review resources, for discovery: create-only, cluster-scoped. */
export function reviewResources(): ReadonlyArray<Pick<Review, "group" | "version" | "resource" | "kind">> {
  return REVIEWS;
}

/** The review a path addresses (`/apis/<group>/<version>/<resource>`), if any. */
export function reviewFor(pathname: string): Review | undefined {
  const parts = pathname.split("/").filter((p) => p !== "");
  if (parts.length !== 4 || parts[0] !== "apis") return undefined;
  return REVIEWS.find((r) => r.group === parts[1] && r.version === parts[2] && r.resource === parts[3]);
}

/**
 * Answers a review: `201 Created` with the object sent back and its `status` filled in, as the
 * API server does (it stores nothing).
 */
export function answerReview(review: Review, method: string, body: unknown, res: ServerResponse): void {
  if (method !== "POST") {
    throw ApiStatusError.methodNotAllowed("the server does not allow this method on the requested resource");
  }
  const object = (body !== null && typeof body === "object" ? body : {}) as Record<string, unknown>;
  sendJson(res, 201, {
    ...object,
    apiVersion: `${review.group}/${review.version}`,
    kind: review.kind,
    metadata: { ...((object.metadata as object | undefined) ?? {}), creationTimestamp: null },
    spec: object.spec ?? {},
    status: review.status(object.spec),
  });
}
