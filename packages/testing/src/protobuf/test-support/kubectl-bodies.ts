/**
 * Request bodies kubectl 1.33 sent to the local cluster (recorded from the commands named), as
 * base64: what the protobuf decoder must read.
 */
export const KUBECTL_133_BODIES = {
  /** `kubectl create configmap settings --from-literal=mode=fast --from-literal=empty=` → POST /api/v1/namespaces/default/configmaps */
  configMap:
    "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEjMKGAoIc2V0dGluZ3MSABoAIgAqADIAOABCABIJCgVlbXB0eRIAEgwKBG1vZGUSBGZh" +
    "c3QaACIA",
  /** `kubectl create secret generic creds --from-literal=password=s3cret` → POST /api/v1/namespaces/default/secrets */
  secret: "azhzAAoMCgJ2MRIGU2VjcmV0Ei0KFQoFY3JlZHMSABoAIgAqADIAOABCABISCghwYXNzd29yZBIGczNjcmV0GgAaACIA",
  /** `kubectl create job report --image=busybox -- sh -c "echo hi"` → POST /apis/batch/v1/namespaces/default/jobs */
  job:
    "azhzAAoPCghiYXRjaC92MRIDSm9iEpMBChYKBnJlcG9ydBIAGgAiACoAMgA4AEIAEm8ybQoQCgASABoAIgAqADIAOABCABJZ" +
    "EjYKBnJlcG9ydBIHYnVzeWJveBoCc2gaAi1jGgdlY2hvIGhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBY" +
    "AGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==",
  /** `kubectl create deployment api --image=nginx:1 --replicas=0 --port=8080` → POST /apis/apps/v1/namespaces/default/deployments */
  deployment:
    "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErsBCh8KA2FwaRIAGgAiACoAMgA4AEIAWgoKA2FwcBIDYXBpEokBCAASDAoK" +
    "CgNhcHASA2FwaRpvChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDYXBpEk8SMQoFbmdpbngSB25naW54OjEqADILCgAQABiQ" +
    "PyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4" +
    "ABoAIgA=",
  /** `kubectl auth can-i create pods` → POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews */
  accessReview:
    "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPwoQCgASABoAIgAqADIA" +
    "OABCABIhCh8KB2RlZmF1bHQSBmNyZWF0ZRoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=",
  /** `kubectl auth can-i delete deployments -n kube-system` → POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews */
  accessReviewNamespaced:
    "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSTgoQCgASABoAIgAqADIA" +
    "OABCABIwCi4KC2t1YmUtc3lzdGVtEgZkZWxldGUaBGFwcHMiACoLZGVwbG95bWVudHMyADoAGggIABIAGgAgABoAIgA=",
  /** `kubectl auth can-i --list` → POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews */
  rulesReview:
    "azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4" +
    "AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA",
  /** `kubectl auth whoami` → POST /apis/authentication.k8s.io/v1/selfsubjectreviews */
  selfReview:
    "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgAS" +
    "BgoECgASABoAIgA=",
} as const;
