// Test-only: findings from real manifests, for the report tests (never bundled).
import type { Finding } from '../../src/lint/findings.js'
import { lintText } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

/** Two files: one with a KubeRay error, a schema error and a silenced one, one with a warning. */
export function sampleFindings(): Finding[] {
  const options = { kuberayVersion: '1.7.0' as const, featureGates: defaultFeatureGates('1.7.0') }
  const broken = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train
  namespace: team-a
spec:
  entrypoint: python train.py
  suspend: true
  backofLimit: 2
  clusterSelector:
    ray.io/cluster: shared
---
# rayjob-lint-disable schema-unknown-field
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: quiet
spec:
  entrypoint: python x.py
  backofLimit: 2
  clusterSelector:
    ray.io/cluster: shared
`
  const warned = `apiVersion: ray.io/v1alpha1
kind: RayJob
metadata:
  name: old
spec:
  entrypoint: python x.py
  clusterSelector:
    ray.io/cluster: shared
`
  return [...lintText('jobs/train.yaml', broken, options).findings, ...lintText('legacy/old.yaml', warned, options).findings]
}
