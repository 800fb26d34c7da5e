//go:build kr_v13

// KubeRay v1.3.x: controllers/ray/utils exports ValidateRayJobSpec(*rayv1.RayJob)
// only (no metadata validation; ValidateRayClusterSpec exists but is not
// called for RayJobs).
package main

import (
	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	"github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"
)

const validatorName = "utils.ValidateRayJobSpec"

func validate(rayJob *rayv1.RayJob) error {
	return utils.ValidateRayJobSpec(rayJob)
}
