// kuberay-check: conformance reference for the RayJob linter.
//
// Reads objects of one kind (--kind RayJob, the default, or RayCluster, RayService, RayCronJob)
// as JSON Lines on stdin, applies what the API server would do to such a ray.io object on create
// (structural pruning of unknown fields, dropping of non-nullable nulls, a name from
// metadata.generateName, CRD `default:` values, taken from that kind's CRD file shipped INSIDE
// the KubeRay Go module of the version built against), decodes it into that version's
// rayv1.RayJob / RayCluster / RayService / RayCronJob, sets the operator feature gates, and runs
// KubeRay's own reconcile-time validation for the kind, in the order the kind's controller runs
// it (for RayJob ValidateRayJobMetadata -> ValidateRayJobSpec; per release and kind see
// validate_*.go and `kuberay-check --version`).
//
// One JSON line is printed per input line:
//
//	{"_id": <echoed>, "valid": true|false, "error": "<first KubeRay error or empty>"}
//
// Extra keys: "panic" (validation panicked; valid=false), "defaulted" (only
// with --emit-defaulted: the object after pruning+defaulting).
// Errors of the checker itself (bad JSON, decode failure) are reported as
// valid=false with an error starting with "checker: ".
//
// An input line may carry "_kind": it must then equal --kind (it is removed before pruning, like
// "_id"). For a kind other than RayJob, an object whose "kind" is set to another kind is refused
// with a "checker: " error; for RayJob (the default) "kind" is not looked at, as before --kind.
//
// This file is version independent; build.sh copies it, the validate_*.go files (one family
// selected by build tag) and the version's CRDs (config/crd/bases/ray.io_*.yaml, into crds/)
// into a throwaway module per KubeRay version.
package main

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiserver/pkg/storage/names"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// crds holds the release's CRDs as build.sh copies them from the module's config/crd/bases
// (ray.io_rayjobs.yaml, ray.io_rayclusters.yaml, ray.io_rayservices.yaml and, from 1.6,
// ray.io_raycronjobs.yaml).
//
//go:embed crds/*.yaml
var crds embed.FS

// crdFiles: the CRD file of each kind, inside crds/.
var crdFiles = map[string]string{
	"RayJob":     "crds/ray.io_rayjobs.yaml",
	"RayCluster": "crds/ray.io_rayclusters.yaml",
	"RayService": "crds/ray.io_rayservices.yaml",
	"RayCronJob": "crds/ray.io_raycronjobs.yaml",
}

// allKinds is the order --version lists the kinds in.
var allKinds = []string{"RayJob", "RayCluster", "RayService", "RayCronJob"}

// kindChecker is what this build does for one kind (built by kindCheckers in validate_*.go).
type kindChecker struct {
	// validator names the KubeRay functions called, for --version (or says that none is).
	validator string
	// absent, when set, says why the kind cannot be checked with this release (it does not have
	// the kind); --kind then exits 2 with this message.
	absent string
	// check decodes the pruned and defaulted object into the release's type and validates it:
	// kuberayErr is KubeRay's error, checkerErr a failure to decode.
	check func(data []byte) (kuberayErr error, checkerErr error)
}

// checkAs builds a kindChecker.check that decodes into a new T (case-sensitive, like the
// Kubernetes JSON serializer) and runs validate on it.
func checkAs[T any](typeName string, validate func(*T) error) func([]byte) (error, error) {
	return func(data []byte) (error, error) {
		obj := new(T)
		if err := kjson.UnmarshalCaseSensitivePreserveInts(data, obj); err != nil {
			return nil, fmt.Errorf("decode into %s: %w", typeName, err)
		}
		return validate(obj), nil
	}
}

// kuberayVersion is set with -ldflags "-X main.kuberayVersion=..." by build.sh.
var kuberayVersion = "unknown"

type result struct {
	ID        json.RawMessage `json:"_id"`
	Valid     bool            `json:"valid"`
	Error     string          `json:"error"`
	Panic     string          `json:"panic,omitempty"`
	Defaulted json.RawMessage `json:"defaulted,omitempty"`
}

// schemas maps a CRD version name ("v1", "v1alpha1") to its structural schema.
func loadSchemas(kind string) (map[string]*structuralschema.Structural, error) {
	crdYAML, err := crds.ReadFile(crdFiles[kind])
	if err != nil {
		return nil, fmt.Errorf("%s CRD: %w", kind, err)
	}
	crdJSON, err := yaml.YAMLToJSON(crdYAML)
	if err != nil {
		return nil, fmt.Errorf("CRD yaml: %w", err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := json.Unmarshal(crdJSON, &crd); err != nil {
		return nil, fmt.Errorf("CRD decode: %w", err)
	}
	out := map[string]*structuralschema.Structural{}
	for _, v := range crd.Spec.Versions {
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			continue
		}
		internal := &apiextensions.JSONSchemaProps{}
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, internal, nil); err != nil {
			return nil, fmt.Errorf("CRD %s schema conversion: %w", v.Name, err)
		}
		s, err := structuralschema.NewStructural(internal)
		if err != nil {
			return nil, fmt.Errorf("CRD %s structural schema: %w", v.Name, err)
		}
		s = s.DeepCopy()
		// Same as the apiextensions-apiserver CR handler.
		if err := structuraldefaulting.PruneDefaults(s); err != nil {
			return nil, fmt.Errorf("CRD %s prune defaults: %w", v.Name, err)
		}
		out[v.Name] = s
	}
	if crd.Spec.Names.Kind != kind {
		return nil, fmt.Errorf("%s holds the CRD of %q, not %s", crdFiles[kind], crd.Spec.Names.Kind, kind)
	}
	if out["v1"] == nil {
		return nil, fmt.Errorf("%s CRD has no v1 schema", kind)
	}
	return out, nil
}

// coerce mimics the API server for a create of a custom resource:
// prune unknown fields, drop non-nullable nulls, apply defaults.
func coerce(obj map[string]interface{}, schemas map[string]*structuralschema.Structural) {
	ver := "v1"
	if av, ok := obj["apiVersion"].(string); ok {
		if i := strings.LastIndex(av, "/"); i >= 0 && schemas[av[i+1:]] != nil {
			ver = av[i+1:]
		}
	}
	s := schemas[ver]
	structuralpruning.Prune(obj, s, true)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, s)
	structuraldefaulting.Default(obj, s)
	generateName(obj)
}

// generateName gives an object created with metadata.generateName its name, as the API server does
// on create (same generator: the prefix cut to 58 characters plus 5 random lower-case letters and
// digits), so KubeRay's name checks see what they see in a cluster. The random part never
// changes KubeRay's verdict or message: it is always 5 characters of [a-z0-9].
func generateName(obj map[string]interface{}) {
	meta, ok := obj["metadata"].(map[string]interface{})
	if !ok {
		return
	}
	name, _ := meta["name"].(string)
	prefix, _ := meta["generateName"].(string)
	if name == "" && prefix != "" {
		meta["name"] = names.SimpleNameGenerator.GenerateName(prefix)
	}
}

func checkOne(line []byte, kind string, kc kindChecker, schemas map[string]*structuralschema.Structural, emitDefaulted bool) (res result) {
	var obj map[string]interface{}
	// Preserve integers as int64 like the API server's unstructured decoder.
	if err := kjson.UnmarshalCaseSensitivePreserveInts(line, &obj); err != nil {
		res.Error = "checker: invalid JSON input: " + err.Error()
		return res
	}
	if raw, ok := obj["_id"]; ok {
		b, _ := json.Marshal(raw)
		res.ID = b
		delete(obj, "_id")
	}
	if obj == nil {
		res.Error = "checker: input is not a JSON object"
		return res
	}
	if raw, ok := obj["_kind"]; ok {
		delete(obj, "_kind")
		if k, _ := raw.(string); k != kind {
			res.Error = fmt.Sprintf("checker: \"_kind\" is %v but --kind is %s", raw, kind)
			return res
		}
	}
	if k, ok := obj["kind"].(string); ok && k != "" && k != kind && kind != "RayJob" {
		res.Error = fmt.Sprintf("checker: the object is a %s but --kind is %s", k, kind)
		return res
	}

	defer func() {
		if r := recover(); r != nil {
			res.Valid = false
			res.Error = ""
			stack := string(debug.Stack())
			res.Panic = fmt.Sprintf("%v", r)
			if os.Getenv("KUBERAY_CHECK_STACK") != "" {
				res.Panic += "\n" + stack
			}
		}
	}()

	coerce(obj, schemas)
	data, err := json.Marshal(obj)
	if err != nil {
		res.Error = "checker: re-encode: " + err.Error()
		return res
	}
	if emitDefaulted {
		res.Defaulted = data
	}
	kuberayErr, checkerErr := kc.check(data)
	if checkerErr != nil {
		res.Error = "checker: " + checkerErr.Error()
		return res
	}
	if kuberayErr != nil {
		res.Error = kuberayErr.Error()
		return res
	}
	res.Valid = true
	return res
}

func main() {
	featureGates := flag.String("feature-gates", "", "A set of key=value pairs that describe feature gates (same syntax as the operator flag), e.g. RayJobDeletionPolicy=true")
	emitDefaulted := flag.Bool("emit-defaulted", false, "add the pruned+defaulted object to each output line as \"defaulted\"")
	showVersion := flag.Bool("version", false, "print the KubeRay version this binary was built against, the validator called per kind and the effective feature gates, then exit")
	kind := flag.String("kind", "RayJob", "the kind of the objects on stdin: RayJob, RayCluster, RayService or RayCronJob")
	flag.Parse()

	checkers := kindCheckers()
	kc, known := checkers[*kind]
	if _, ok := crdFiles[*kind]; !ok || !known {
		fmt.Fprintf(os.Stderr, "kuberay-check: --kind %q: not one of %s\n", *kind, strings.Join(allKinds, ", "))
		os.Exit(2)
	}

	if *featureGates != "" {
		if err := utilfeature.DefaultMutableFeatureGate.Set(*featureGates); err != nil {
			fmt.Fprintf(os.Stderr, "kuberay-check: --feature-gates: %v\n", err)
			os.Exit(2)
		}
	}
	if *showVersion {
		// First line as before --kind: the RayJob validator.
		fmt.Printf("kuberay %s (%s)\n", kuberayVersion, checkers["RayJob"].validator)
		fmt.Printf("validators (--kind):\n")
		for _, k := range allKinds {
			if c := checkers[k]; c.absent != "" {
				fmt.Printf("  %s: not checkable: %s\n", k, c.absent)
			} else {
				fmt.Printf("  %s: %s\n", k, c.validator)
			}
		}
		fmt.Printf("feature gates:\n")
		for _, g := range knownGates() {
			fmt.Printf("  %s=%v\n", g, utilfeature.DefaultFeatureGate.Enabled(g))
		}
		return
	}

	if kc.absent != "" {
		fmt.Fprintf(os.Stderr, "kuberay-check: --kind %s: %s\n", *kind, kc.absent)
		os.Exit(2)
	}
	schemas, err := loadSchemas(*kind)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kuberay-check: %v\n", err)
		os.Exit(2)
	}

	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, readErr := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			res := checkOne(line, *kind, kc, schemas, *emitDefaulted)
			if err := enc.Encode(res); err != nil {
				fmt.Fprintf(os.Stderr, "kuberay-check: encode: %v\n", err)
				os.Exit(2)
			}
		}
		if readErr != nil {
			break
		}
	}
}

// kuberayGates are the operator feature gates of any KubeRay version (the
// binary also links k8s.io/apiserver, which registers its own gates; those
// are accepted by --feature-gates but irrelevant and not listed).
var kuberayGates = []featuregate.Feature{
	"RayClusterStatusConditions", "RayJobDeletionPolicy", "RayMultiHostIndexing",
	"RayServiceIncrementalUpgrade", "RayCronJob", "AsyncJobInfoQuery",
	"SidecarSubmitterRestart", "GCSFaultToleranceEmbeddedStorage", "RayClusterNetworkPolicy",
	"RayClusterMTLS", "RayClusterHistoryServer", "KubernetesWAS",
}

// knownGates lists the KubeRay gates registered in this build, sorted, plus
// any other registered gate whose name starts with "Ray".
func knownGates() []featuregate.Feature {
	all := utilfeature.DefaultMutableFeatureGate.GetAll()
	seen := map[featuregate.Feature]bool{}
	var gates []featuregate.Feature
	for _, g := range kuberayGates {
		if _, ok := all[g]; ok {
			gates = append(gates, g)
			seen[g] = true
		}
	}
	for g := range all {
		if strings.HasPrefix(string(g), "Ray") && !seen[g] {
			gates = append(gates, g)
		}
	}
	sort.Slice(gates, func(i, j int) bool { return gates[i] < gates[j] })
	return gates
}
