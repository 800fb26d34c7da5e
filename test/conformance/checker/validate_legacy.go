//go:build kr_legacy

// KubeRay v1.1.x / v1.2.x.
//
// RayJob: the checks are the unexported validateRayJobSpec(*rayv1.RayJob) in package
// controllers/ray (rayjob_controller.go). It is called here, unmodified, through a
// //go:linkname pull reference (allowed for non-standard-library symbols).
//
// RayCluster, RayService: these releases have no validation for them. The RayCluster
// reconciler (rayClusterReconcile) and the RayService reconciler (Reconcile) go straight to
// acting (finalizers, reconcileRayCluster, ...) without any check that refuses the object, so
// every object is valid; the checker still prunes, defaults and decodes it.
//
// RayCronJob: the kind does not exist before 1.6.
package main

import (
	"fmt"
	_ "unsafe" // for go:linkname

	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	_ "github.com/ray-project/kuberay/ray-operator/controllers/ray"
)

//go:linkname kuberayValidateRayJobSpec github.com/ray-project/kuberay/ray-operator/controllers/ray.validateRayJobSpec
func kuberayValidateRayJobSpec(rayJob *rayv1.RayJob) error

func kindCheckers() map[string]kindChecker {
	return map[string]kindChecker{
		"RayJob": {
			validator: "controllers/ray.validateRayJobSpec (unexported, via go:linkname)",
			check:     checkAs("rayv1.RayJob", kuberayValidateRayJobSpec),
		},
		"RayCluster": {
			validator: fmt.Sprintf("none (KubeRay %s does not validate RayClusters)", kuberayVersion),
			check:     checkAs("rayv1.RayCluster", func(*rayv1.RayCluster) error { return nil }),
		},
		"RayService": {
			validator: fmt.Sprintf("none (KubeRay %s does not validate RayServices)", kuberayVersion),
			check:     checkAs("rayv1.RayService", func(*rayv1.RayService) error { return nil }),
		},
		"RayCronJob": {absent: noRayCronJob()},
	}
}
