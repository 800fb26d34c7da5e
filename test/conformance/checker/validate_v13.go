//go:build kr_v13

// KubeRay v1.3.x: controllers/ray/utils exports, and the controllers call before acting:
//
//   - RayJob: ValidateRayJobSpec(*rayv1.RayJob) only (no metadata validation; the RayJob
//     controller does not call ValidateRayClusterSpec).
//   - RayCluster: ValidateRayClusterSpec(*rayv1.RayCluster) (rayClusterReconcile; no metadata
//     validation, no setDefaults in this release).
//   - RayService: ValidateRayServiceSpec(*rayv1.RayService) (Reconcile; no metadata validation).
//   - RayCronJob: the kind does not exist before 1.6.
package main

import "github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"

func kindCheckers() map[string]kindChecker {
	return map[string]kindChecker{
		"RayJob": {
			validator: "utils.ValidateRayJobSpec",
			check:     checkAs("rayv1.RayJob", utils.ValidateRayJobSpec),
		},
		"RayCluster": {
			validator: "utils.ValidateRayClusterSpec",
			check:     checkAs("rayv1.RayCluster", utils.ValidateRayClusterSpec),
		},
		"RayService": {
			validator: "utils.ValidateRayServiceSpec",
			check:     checkAs("rayv1.RayService", utils.ValidateRayServiceSpec),
		},
		"RayCronJob": {absent: noRayCronJob()},
	}
}
