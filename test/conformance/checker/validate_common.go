package main

import "fmt"

// noRayCronJob is why --kind RayCronJob cannot be checked with a release before 1.6.
func noRayCronJob() string {
	return fmt.Sprintf("KubeRay %s has no RayCronJob (the kind and its CRD were added in KubeRay 1.6.0)", kuberayVersion)
}
