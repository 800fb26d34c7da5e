//go:build kr_v14 || kr_v16plus

// KubeRay v1.4.0 and later (families kr_v14: 1.4–1.5, kr_v16plus: 1.6+). controllers/ray/utils
// exports the validators; the controllers call them, before acting, in this order:
//
//   - RayJob (rayjob_controller.go): ValidateRayJobMetadata -> ValidateRayJobSpec (then Status,
//     which is not relevant for manifests and is not run here).
//   - RayCluster (raycluster_controller.go, rayClusterReconcile): setDefaults(instance) ->
//     ValidateRayClusterMetadata -> ValidateRayClusterSpec(&spec, annotations) ->
//     [1.6+] ValidateRayClusterUpgradeOptions(instance) (then Status). setDefaults is KubeRay's
//     unexported controllers/ray.setDefaults (it gives the head group and every worker group an
//     empty rayStartParams map when it has none); it is called here, unmodified, through a
//     //go:linkname pull reference like validate_legacy.go does.
//   - RayService (rayservice_controller.go; 1.4–1.5 inline in Reconcile, 1.6+ its unexported
//     validateRayService, which runs the same two in the same order):
//     ValidateRayServiceMetadata -> ValidateRayServiceSpec.
//
// Not modelled (they do not depend on the object alone): a RayCluster whose spec.managedBy names
// another controller is skipped by the operator before any check; 1.7.0 refuses a RayCluster
// with tlsOptions when cert-manager is not installed in the cluster.
package main

import (
	_ "unsafe" // for go:linkname

	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	_ "github.com/ray-project/kuberay/ray-operator/controllers/ray"
	"github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"
)

//go:linkname kuberaySetDefaults github.com/ray-project/kuberay/ray-operator/controllers/ray.setDefaults
func kuberaySetDefaults(instance *rayv1.RayCluster)

func validateRayJob(rayJob *rayv1.RayJob) error {
	if err := utils.ValidateRayJobMetadata(rayJob.ObjectMeta); err != nil {
		return err
	}
	return utils.ValidateRayJobSpec(rayJob)
}

func validateRayCluster(instance *rayv1.RayCluster) error {
	kuberaySetDefaults(instance)
	if err := utils.ValidateRayClusterMetadata(instance.ObjectMeta); err != nil {
		return err
	}
	if err := utils.ValidateRayClusterSpec(&instance.Spec, instance.Annotations); err != nil {
		return err
	}
	if validateRayClusterUpgradeOptions != nil {
		return validateRayClusterUpgradeOptions(instance)
	}
	return nil
}

func validateRayService(rayService *rayv1.RayService) error {
	if err := utils.ValidateRayServiceMetadata(rayService.ObjectMeta); err != nil {
		return err
	}
	return utils.ValidateRayServiceSpec(rayService)
}

func kindCheckers() map[string]kindChecker {
	cluster := "controllers/ray.setDefaults (unexported, via go:linkname) + utils.ValidateRayClusterMetadata + utils.ValidateRayClusterSpec"
	if validateRayClusterUpgradeOptions != nil {
		cluster += " + utils.ValidateRayClusterUpgradeOptions"
	}
	return map[string]kindChecker{
		"RayJob": {
			validator: "utils.ValidateRayJobMetadata + utils.ValidateRayJobSpec",
			check:     checkAs("rayv1.RayJob", validateRayJob),
		},
		"RayCluster": {
			validator: cluster,
			check:     checkAs("rayv1.RayCluster", validateRayCluster),
		},
		"RayService": {
			validator: "utils.ValidateRayServiceMetadata + utils.ValidateRayServiceSpec",
			check:     checkAs("rayv1.RayService", validateRayService),
		},
		"RayCronJob": rayCronJobChecker(),
	}
}
