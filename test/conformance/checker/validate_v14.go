//go:build kr_v14

// KubeRay v1.4.x / v1.5.x: no ValidateRayClusterUpgradeOptions (RayCluster upgradeStrategy came
// in 1.6) and no RayCronJob. The rest is in validate_v14plus.go.
package main

import rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"

var validateRayClusterUpgradeOptions func(*rayv1.RayCluster) error

func rayCronJobChecker() kindChecker { return kindChecker{absent: noRayCronJob()} }
