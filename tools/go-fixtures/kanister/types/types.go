// Package types declares k8s.io/apimachinery/pkg/types.UID, as Kanister's template data holds it.
package types

// UID is types.UID.
type UID string
