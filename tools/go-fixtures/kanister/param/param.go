// Package param declares Kanister's TemplateParams (pkg/param/param.go) field for field: the value
// Kanister passes to text/template.
package param

import (
	"../v1"
	"../v1alpha1"
)

// TemplateParams is param.TemplateParams.
type TemplateParams struct {
	StatefulSet      *StatefulSetParams
	DeploymentConfig *DeploymentConfigParams
	Deployment       *DeploymentParams
	PVC              *PVCParams
	Namespace        *NamespaceParams
	ArtifactsIn      map[string]v1alpha1.Artifact
	ConfigMaps       map[string]v1.ConfigMap
	Secrets          map[string]v1.Secret
	Time             string
	Profile          *Profile
	Options          map[string]string
	Object           map[string]interface{}
	CurrentPhase     *Phase
	Phases           map[string]*Phase
	DeferPhase       *Phase
	PodOverride      v1alpha1.JSONMap
	PodAnnotations   map[string]string
	PodLabels        map[string]string
}

// DeploymentConfigParams is param.DeploymentConfigParams.
type DeploymentConfigParams struct {
	Name                   string
	Namespace              string
	Pods                   []string
	Containers             [][]string
	PersistentVolumeClaims map[string]map[string]string
}

// StatefulSetParams is param.StatefulSetParams.
type StatefulSetParams struct {
	Name                   string
	Namespace              string
	Pods                   []string
	Containers             [][]string
	PersistentVolumeClaims map[string]map[string]string
}

// DeploymentParams is param.DeploymentParams.
type DeploymentParams struct {
	Name                   string
	Namespace              string
	Pods                   []string
	Containers             [][]string
	PersistentVolumeClaims map[string]map[string]string
}

// PVCParams is param.PVCParams.
type PVCParams struct {
	Name      string
	Namespace string
}

// NamespaceParams is param.NamespaceParams.
type NamespaceParams struct {
	Name      string
	Namespace string
}

// Profile is param.Profile.
type Profile struct {
	Location      v1alpha1.Location
	Credential    Credential
	SkipSSLVerify bool
}

// CredentialType is param.CredentialType.
type CredentialType string

// Credential is param.Credential.
type Credential struct {
	Type              CredentialType
	KeyPair           *KeyPair
	Secret            *v1.Secret
	KopiaServerSecret *KopiaServerCreds
}

// KeyPair is param.KeyPair.
type KeyPair struct {
	ID     string
	Secret string
}

// KopiaServerCreds is param.KopiaServerCreds.
type KopiaServerCreds struct {
	Username       string
	Hostname       string
	Password       string
	Cert           string
	ConnectOptions map[string]int
}

// Phase is param.Phase.
type Phase struct {
	Secrets    map[string]v1.Secret
	ConfigMaps map[string]v1.ConfigMap
	Output     map[string]interface{}
}
