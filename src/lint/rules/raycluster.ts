// A RayCluster's own checks: KubeRay's ValidateRayClusterMetadata (1.4.0+) and
// ValidateRayClusterUpgradeOptions (1.6.0+). Its spec gets the cluster rules (cluster.ts) too, in
// the order the RayCluster controller runs them (registry.ts, KIND_PLANS).
import { get, str } from '../../manifest/model.js'
import type { RuleDefinition } from './types.js'
import { nameRules } from './spec.js'

/** KubeRay's MaxRayClusterNameLength: 63 minus the longest Service suffix it adds ("-serve-svc"). */
export const MAX_RAYCLUSTER_NAME = 53
const ORIGINATED_FROM = 'ray.io/originated-from-crd'
const UPGRADE_TYPES = ['Recreate', 'None']

const rayCluster = (rule: Omit<RuleDefinition, 'source' | 'severity'>): RuleDefinition => ({ source: 'kuberay', severity: 'error', ...rule })

export const rayClusterMetadataRules: RuleDefinition[] = nameRules({
  kind: 'RayCluster',
  idPrefix: 'raycluster-',
  max: MAX_RAYCLUSTER_NAME,
  why: 'KubeRay names Services after it (63 max, with suffixes up to "-serve-svc")',
  example: 'ray-cluster-a'
})

const upgradeType = (job: unknown): string | undefined => str(get(job, ['spec', 'upgradeStrategy', 'type']))

export const rayClusterUpgradeRules: RuleDefinition[] = [
  rayCluster({
    id: 'raycluster-upgrade-type-invalid',
    since: '1.6.0',
    title: 'unknown RayCluster upgradeStrategy.type',
    message: 'The RayCluster spec is invalid: Spec.UpgradeStrategy.Type value {type} is invalid, valid options are Recreate or None',
    params: ['type'],
    hint: 'Set spec.upgradeStrategy.type to Recreate (replace the Pods when the spec changes) or None.',
    check: ({ job }) => {
      const type = upgradeType(job)
      return type !== undefined && !UPGRADE_TYPES.includes(type) ? { path: ['spec', 'upgradeStrategy', 'type'], part: 'value', params: { type } } : undefined
    }
  }),
  rayCluster({
    id: 'raycluster-upgrade-strategy-owned',
    since: '1.6.0',
    title: 'upgradeStrategy on a RayCluster a RayJob or RayService made',
    message: 'upgradeStrategy cannot be set when RayCluster is created by {crd}',
    params: ['crd'],
    hint: `Remove spec.upgradeStrategy, or the ${ORIGINATED_FROM} label: only a RayCluster you create directly may have an upgrade strategy.`,
    check: ({ job }) => {
      const creator = str(get(job, ['metadata', 'labels', ORIGINATED_FROM]))
      return upgradeType(job) !== undefined && (creator === 'RayJob' || creator === 'RayService')
        ? { path: ['spec', 'upgradeStrategy', 'type'], params: { crd: creator } }
        : undefined
    }
  })
]
