//go:build kr_legacy

// KubeRay v1.1.x / v1.2.x: the RayJob checks are the unexported
// validateRayJobSpec(*rayv1.RayJob) in package controllers/ray
// (rayjob_controller.go). It is called here, unmodified, through a
// //go:linkname pull reference (allowed for non-standard-library symbols).
package main

import (
	_ "unsafe" // for go:linkname

	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	_ "github.com/ray-project/kuberay/ray-operator/controllers/ray"
)

const validatorName = "controllers/ray.validateRayJobSpec (unexported, via go:linkname)"

//go:linkname kuberayValidateRayJobSpec github.com/ray-project/kuberay/ray-operator/controllers/ray.validateRayJobSpec
func kuberayValidateRayJobSpec(rayJob *rayv1.RayJob) error

func validate(rayJob *rayv1.RayJob) error {
	return kuberayValidateRayJobSpec(rayJob)
}
