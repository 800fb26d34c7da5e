// probe: prints how the libraries KubeRay uses treat edge-case inputs, so the
// TypeScript linter can mirror them. Not part of kuberay-check; build it in a
// throwaway module with the dependency versions of the KubeRay release of
// interest (see README "Library probe"), e.g.
//
//	go mod init probe && go get github.com/Masterminds/semver/v3@v3.4.0 \
//	  k8s.io/apimachinery@v0.35.0 && go run .
package main

import (
	"encoding/json"
	"fmt"

	semver "github.com/Masterminds/semver/v3"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/version"
	"k8s.io/apimachinery/pkg/util/yaml"
)

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

func main() {
	versions := []string{"2.52", "v2.52.0", "2.52.0-rc1", "2.52.0+build", "nightly", "", "2", "2.5", "2.6", "2.6.0", "2.6.0-rc1", "2.46.0", "latest", " 2.52.0", "2.52.0.1", "02.52.0"}
	fmt.Println("## Masterminds/semver/v3 NewVersion + Constraint(\">= 2.6.0\") (common/job.go GetMetadataJson)")
	c, _ := semver.NewConstraint(">= 2.6.0")
	for _, s := range versions {
		v, err := semver.NewVersion(s)
		if err != nil {
			fmt.Printf("%-16s parse error: %v\n", q(s), err)
			continue
		}
		fmt.Printf("%-16s -> %s  >=2.6.0: %v\n", q(s), v.String(), c.Check(v))
	}
	fmt.Println("## k8s.io/apimachinery/pkg/util/version ParseGeneric + LessThan(2.52.0) (token auth; also 2.55.0 k8s auth)")
	min := version.MustParseGeneric("2.52.0")
	for _, s := range versions {
		v, err := version.ParseGeneric(s)
		if err != nil {
			fmt.Printf("%-16s parse error: %v\n", q(s), err)
			continue
		}
		fmt.Printf("%-16s -> %s  <2.52.0: %v\n", q(s), v.String(), v.LessThan(min))
	}
	fmt.Println("## validation.IsDNS1035Label")
	for _, s := range []string{"a", "1a", "a.b", "A", "a-", "", "a_b"} {
		fmt.Printf("%-10s %q\n", q(s), validation.IsDNS1035Label(s))
	}
	fmt.Println("## validation.IsQualifiedName (label keys)")
	for _, s := range []string{"a", "invalid_key!", "-a", "ex.com/a", "ex.com/", "/a", "Ex_.com/a", "a/b/c", "", "x/" + string(make([]byte, 0))} {
		fmt.Printf("%-14s %q\n", q(s), validation.IsQualifiedName(s))
	}
	fmt.Println("## validation.IsValidLabelValue")
	long := ""
	for i := 0; i < 64; i++ {
		long += "x"
	}
	for _, s := range []string{"", "a", "invalid/value", "-a", long} {
		fmt.Printf("%-14s %q\n", q(s), validation.IsValidLabelValue(s))
	}
	fmt.Println("## validation.IsDNS1123Label")
	for _, s := range []string{"a", "1a", "a.b", "A", ""} {
		fmt.Printf("%-10s %q\n", q(s), validation.IsDNS1123Label(s))
	}
	fmt.Println("## k8s.io/apimachinery/pkg/util/yaml.Unmarshal into map[string]interface{} (UnmarshalRuntimeEnvYAML)")
	for _, s := range []string{"", "a: 1", "- a", "invalid_yaml_str", "{", "null", "a: [", "123", "~", "[]", "{}", "a: 1\na: 2", "a: b: c", "'quoted'", "true", "---", "a: 1\n---\nb: 2", "\ta: 1", "a: .inf", "1: x", "null: x", "a: 1 # c", "{\"a\": 1}"} {
		var m map[string]interface{}
		err := yaml.Unmarshal([]byte(s), &m)
		if err != nil {
			fmt.Printf("%-22s ERR %v\n", q(s), err)
		} else {
			b, _ := json.Marshal(m)
			fmt.Printf("%-22s ok  %s\n", q(s), b)
		}
	}
}
