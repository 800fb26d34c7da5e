//go:build kr_v16plus

// KubeRay v1.6.0 and later: the RayCluster controller also calls
// utils.ValidateRayClusterUpgradeOptions (after ValidateRayClusterSpec), and the RayCronJob kind
// exists: its controller (raycronjob_controller.go) calls utils.ValidateRayCronJobSpec before
// acting. The operator only runs the RayCronJob controller with the RayCronJob feature gate on
// (off by default); the checker validates whatever the gate says. The rest is in
// validate_v14plus.go.
package main

import "github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"

var validateRayClusterUpgradeOptions = utils.ValidateRayClusterUpgradeOptions

func rayCronJobChecker() kindChecker {
	return kindChecker{
		validator: "utils.ValidateRayCronJobSpec (the operator runs the RayCronJob controller only with the RayCronJob feature gate on)",
		check:     checkAs("rayv1.RayCronJob", utils.ValidateRayCronJobSpec),
	}
}
