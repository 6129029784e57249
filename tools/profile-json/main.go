// Records what Kanister's `{{ toJson .Profile }}` prints for a set of Profiles: the structs below
// mirror, field for field and tag for tag, pkg/param/param.go (Profile, Credential, KeyPair,
// KopiaServerCreds), pkg/apis/cr/v1alpha1/types.go (Location) and k8s.io/api/core/v1.Secret with
// its metav1.ObjectMeta and metav1.Time (whose MarshalJSON is RFC 3339 in UTC to the second, null
// when zero). Encoding is Go's encoding/json, as sprig's toJson uses it.
//
// Usage: go run . < cases.json > results.json
package main

import (
	"encoding/json"
	"os"
	"time"
)

type Time struct{ time.Time }

func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(time.RFC3339) + `"`), nil
}

func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return err
	}
	t.Time = p.Local()
	return nil
}

type FieldsV1 struct{ Raw []byte }

func (f FieldsV1) MarshalJSON() ([]byte, error) {
	if f.Raw == nil {
		return []byte("null"), nil
	}
	return f.Raw, nil
}

func (f *FieldsV1) UnmarshalJSON(b []byte) error {
	f.Raw = append(f.Raw[0:0], b...)
	return nil
}

type OwnerReference struct {
	APIVersion         string `json:"apiVersion"`
	Kind               string `json:"kind"`
	Name               string `json:"name"`
	UID                string `json:"uid"`
	Controller         *bool  `json:"controller,omitempty"`
	BlockOwnerDeletion *bool  `json:"blockOwnerDeletion,omitempty"`
}

type ManagedFieldsEntry struct {
	Manager     string    `json:"manager,omitempty"`
	Operation   string    `json:"operation,omitempty"`
	APIVersion  string    `json:"apiVersion,omitempty"`
	Time        *Time     `json:"time,omitempty"`
	FieldsType  string    `json:"fieldsType,omitempty"`
	FieldsV1    *FieldsV1 `json:"fieldsV1,omitempty"`
	Subresource string    `json:"subresource,omitempty"`
}

type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

type ObjectMeta struct {
	Name                       string               `json:"name,omitempty"`
	GenerateName               string               `json:"generateName,omitempty"`
	Namespace                  string               `json:"namespace,omitempty"`
	SelfLink                   string               `json:"selfLink,omitempty"`
	UID                        string               `json:"uid,omitempty"`
	ResourceVersion            string               `json:"resourceVersion,omitempty"`
	Generation                 int64                `json:"generation,omitempty"`
	CreationTimestamp          Time                 `json:"creationTimestamp,omitempty"`
	DeletionTimestamp          *Time                `json:"deletionTimestamp,omitempty"`
	DeletionGracePeriodSeconds *int64               `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string    `json:"labels,omitempty"`
	Annotations                map[string]string    `json:"annotations,omitempty"`
	OwnerReferences            []OwnerReference     `json:"ownerReferences,omitempty"`
	Finalizers                 []string             `json:"finalizers,omitempty"`
	ManagedFields              []ManagedFieldsEntry `json:"managedFields,omitempty"`
}

type Secret struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Immutable  *bool             `json:"immutable,omitempty"`
	Data       map[string][]byte `json:"data,omitempty"`
	StringData map[string]string `json:"stringData,omitempty"`
	Type       string            `json:"type,omitempty"`
}

type Location struct {
	Type     string `json:"type"`
	Bucket   string `json:"bucket"`
	Endpoint string `json:"endpoint"`
	Prefix   string `json:"prefix"`
	Region   string `json:"region"`
}

type KeyPair struct {
	ID     string
	Secret string
}

type KopiaServerCreds struct {
	Username       string
	Hostname       string
	Password       string
	Cert           string
	ConnectOptions map[string]int
}

type Credential struct {
	Type              string
	KeyPair           *KeyPair
	Secret            *Secret
	KopiaServerSecret *KopiaServerCreds
}

type Profile struct {
	Location      Location
	Credential    Credential
	SkipSSLVerify bool
}

type Case struct {
	Name       string `json:"name"`
	Location   Location
	Credential struct {
		Type              string
		KeyPair           *KeyPair
		Secret            json.RawMessage
		KopiaServerSecret *KopiaServerCreds
	}
	SkipSSLVerify bool
}

func main() {
	time.Local = time.UTC
	var cases []Case
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	out := []map[string]string{}
	for _, c := range cases {
		p := &Profile{Location: c.Location, SkipSSLVerify: c.SkipSSLVerify}
		p.Credential.Type = c.Credential.Type
		p.Credential.KeyPair = c.Credential.KeyPair
		p.Credential.KopiaServerSecret = c.Credential.KopiaServerSecret
		if len(c.Credential.Secret) > 0 && string(c.Credential.Secret) != "null" {
			// A typed client's Get leaves TypeMeta empty.
			s := &Secret{}
			if err := json.Unmarshal(c.Credential.Secret, s); err != nil {
				panic(err)
			}
			s.TypeMeta = TypeMeta{}
			p.Credential.Secret = s
		}
		b, err := json.Marshal(p)
		if err != nil {
			panic(err)
		}
		out = append(out, map[string]string{"name": c.Name, "toJson": string(b)})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
