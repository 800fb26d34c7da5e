//go:build kr_v14plus

// KubeRay v1.4.0 and later: controllers/ray/utils exports
// ValidateRayJobMetadata(metav1.ObjectMeta) and ValidateRayJobSpec(*rayv1.RayJob).
// The RayJob controller runs Metadata -> Spec -> Status (status is not
// relevant for manifests and is not run here).
package main

import (
	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	"github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"
)

const validatorName = "utils.ValidateRayJobMetadata + utils.ValidateRayJobSpec"

func validate(rayJob *rayv1.RayJob) error {
	if err := utils.ValidateRayJobMetadata(rayJob.ObjectMeta); err != nil {
		return err
	}
	return utils.ValidateRayJobSpec(rayJob)
}
