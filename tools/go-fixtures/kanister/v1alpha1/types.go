// Package v1alpha1 declares the Kanister CR types (pkg/apis/cr/v1alpha1/types.go) its template data holds.
package v1alpha1

// JSONMap is Kanister's JSONMap (strategicpatch.JSONMap: a map[string]interface{}).
type JSONMap map[string]interface{}

// Artifact is v1alpha1.Artifact.
type Artifact struct {
	KeyValue      map[string]string `json:"keyValue,omitempty"`
	KopiaSnapshot string            `json:"kopiaSnapshot,omitempty"`
}

// LocationType is v1alpha1.LocationType.
type LocationType string

// Location is v1alpha1.Location.
type Location struct {
	Type     LocationType `json:"type"`
	Bucket   string       `json:"bucket"`
	Endpoint string       `json:"endpoint"`
	Prefix   string       `json:"prefix"`
	Region   string       `json:"region"`
}
