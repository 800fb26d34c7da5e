// The deletion configuration checks of ValidateRayJobSpec: validateDeletionConfiguration since
// v1.5.0 and the single `deletionPolicy` field of v1.3–v1.4.
import { arr, get, isObj, isSet, num, obj, str } from '../../manifest/model.js'
import type { Obj } from '../../manifest/model.js'
import type { JobView, RuleDefinition, Violation } from './types.js'
import { atLeast } from '../versions.js'

const DS = ['spec', 'deletionStrategy'] as const
const POLICY_ORDER = ['DeleteWorkers', 'DeleteCluster', 'DeleteSelf']
const CLUSTER_DELETING = new Set(['DeleteCluster', 'DeleteWorkers'])

const strategy = (v: JobView): Obj | undefined => obj(v.spec.deletionStrategy)
const legacyPolicy = (v: JobView, which: 'onSuccess' | 'onFailure'): string | undefined => str(get(strategy(v), [which, 'policy']))
const hasLegacy = (v: JobView): boolean => isSet(strategy(v)?.onSuccess) || isSet(strategy(v)?.onFailure)
/** The deletion rules with their index in the manifest (a non-mapping item is the schema's business). */
const rules = (v: JobView): { rule: Obj; index: number }[] =>
  arr(strategy(v)?.deletionRules).flatMap((rule, index) => (isObj(rule) ? [{ rule, index }] : []))
const hasRules = (v: JobView): boolean => arr(strategy(v)?.deletionRules).length > 0
/**
 * Whether validateDeletionConfiguration reaches one of its branches. KubeRay stops earlier when
 * deletionRules come with shutdownAfterJobFinishes, but the rules' own mistakes are still
 * mistakes, so they are reported too; with both legacy fields and rules no branch applies.
 */
const pastSharedChecks = (v: JobView): boolean => v.gate('RayJobDeletionPolicy') && !(hasRules(v) && hasLegacy(v)) && (hasLegacy(v) || hasRules(v))
const inLegacyBranch = (v: JobView): boolean => isSet(strategy(v)) && pastSharedChecks(v) && hasLegacy(v)
const inRulesBranch = (v: JobView): boolean => isSet(strategy(v)) && pastSharedChecks(v) && !hasLegacy(v) && hasRules(v)

/** Per deletion rule: which of the per-rule checks (conditions, TTL, selector, autoscaling) it fails; a rule that fails one is left out of the duplicate and TTL-order checks. */
function ruleProblems(v: JobView, rule: Obj): string[] {
  const condition = obj(rule.condition) ?? {}
  const problems: string[] = []
  const since16 = atLeast(v.version, '1.6.0')
  if (since16 && isSet(condition.jobStatus) && isSet(condition.jobDeploymentStatus)) problems.push('both')
  if (since16 && !isSet(condition.jobStatus) && !isSet(condition.jobDeploymentStatus)) problems.push('neither')
  if ((num(condition.ttlSeconds) ?? 0) < 0) problems.push('ttl')
  const policy = str(rule.policy) ?? ''
  if (v.selectorMode && CLUSTER_DELETING.has(policy)) problems.push('selector')
  if (v.autoscaling && policy === 'DeleteWorkers') problems.push('autoscaling')
  return problems
}

/** KubeRay reports one per-rule check per rule: the first that fails (it moves on to the next rule). */
const firstProblem = (v: JobView, rule: Obj): string | undefined => ruleProblems(v, rule)[0]

const eachRule = (
  v: JobView,
  test: (rule: Obj, index: number) => Record<string, string | number> | undefined | false
): Violation[] =>
  inRulesBranch(v)
    ? rules(v).flatMap(({ rule, index }) => {
        const params = test(rule, index)
        return params ? [{ path: [...DS, 'deletionRules', index], params: { i: index, ...params } }] : []
      })
    : []

/** Rules that passed the per-rule checks, for the duplicate and TTL-order checks. */
const validRules = (v: JobView): { rule: Obj; index: number }[] => rules(v).filter(({ rule }) => ruleProblems(v, rule).length === 0)

function duplicates(v: JobView, field: 'jobStatus' | 'jobDeploymentStatus'): Violation[] {
  if (!inRulesBranch(v)) return []
  const seen = new Set<string>()
  const out: Violation[] = []
  for (const { rule, index } of validRules(v)) {
    const status = str(get(rule, ['condition', field]))
    if (status === undefined) continue
    const key = `${str(rule.policy)}\u0000${status}`
    if (seen.has(key)) out.push({ path: [...DS, 'deletionRules', index], params: { i: index, policy: str(rule.policy) ?? '', status } })
    seen.add(key)
  }
  return out
}

function ttlOrder(v: JobView): Violation[] {
  if (!inRulesBranch(v)) return []
  const out: Violation[] = []
  for (const field of ['jobStatus', 'jobDeploymentStatus'] as const) {
    const byStatus = new Map<string, Map<string, { ttl: number; index: number }>>()
    for (const { rule, index } of validRules(v)) {
      const status = str(get(rule, ['condition', field]))
      const policy = str(rule.policy) ?? ''
      if (status === undefined || !POLICY_ORDER.includes(policy)) continue
      if (!byStatus.has(status)) byStatus.set(status, new Map())
      // KubeRay keeps the first of duplicate rules (the later ones are reported as duplicates).
      if (byStatus.get(status)!.has(policy)) continue
      byStatus.get(status)!.set(policy, { ttl: num(get(rule, ['condition', 'ttlSeconds'])) ?? 0, index })
    }
    for (const [status, policies] of byStatus) {
      let previous: { policy: string; ttl: number } | undefined
      for (const policy of POLICY_ORDER) {
        const current = policies.get(policy)
        if (!current) continue
        if (previous && current.ttl < previous.ttl) {
          out.push({
            path: [...DS, 'deletionRules', current.index, 'condition', 'ttlSeconds'],
            params: {
              kind: field === 'jobStatus' ? 'JobStatus' : 'JobDeploymentStatus',
              status,
              policy,
              ttl: current.ttl,
              previousPolicy: previous.policy,
              previousTtl: previous.ttl
            }
          })
        }
        previous = { policy, ttl: current.ttl }
      }
    }
  }
  return out
}

/** validateDeletionConfiguration (1.5+) and the single spec.deletionPolicy field of 1.3–1.4. */
export const deletionRules: RuleDefinition[] = [
  {
    id: 'ttl-without-shutdown',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'spec',
    title: 'ttlSecondsAfterFinished without shutdownAfterJobFinishes',
    message: 'a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished',
    hint: 'Set spec.shutdownAfterJobFinishes: true, or remove spec.ttlSecondsAfterFinished.',
    check: ({ spec }) =>
      spec.shutdownAfterJobFinishes !== true && (num(spec.ttlSecondsAfterFinished) ?? 0) > 0
        ? { path: ['spec', 'ttlSecondsAfterFinished'], part: 'value' }
        : undefined
  },
  {
    id: 'deletion-strategy-gate-disabled',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'deletionStrategy needs the RayJobDeletionPolicy gate',
    message: 'RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy',
    hint: 'Enable the operator feature gate RayJobDeletionPolicy (on by default since KubeRay 1.6.0), or remove spec.deletionStrategy.',
    check: (v) => (isSet(strategy(v)) && !v.gate('RayJobDeletionPolicy') ? { path: [...DS] } : undefined)
  },
  {
    id: 'deletion-rules-with-shutdown',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'spec',
    title: 'deletionRules with shutdownAfterJobFinishes',
    message: 'spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive',
    hint: 'Remove spec.shutdownAfterJobFinishes (or set it to false): deletionRules decide what is deleted and when.',
    check: (v) =>
      isSet(strategy(v)) && v.gate('RayJobDeletionPolicy') && hasRules(v) && v.spec.shutdownAfterJobFinishes === true
        ? { path: ['spec', 'shutdownAfterJobFinishes'] }
        : undefined
  },
  {
    id: 'deletion-rules-with-legacy',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'spec',
    title: 'deletionRules with onSuccess/onFailure',
    message: 'Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously',
    hint: 'Keep only spec.deletionStrategy.deletionRules and remove onSuccess/onFailure.',
    check: (v) =>
      isSet(strategy(v)) && v.gate('RayJobDeletionPolicy') && hasRules(v) && hasLegacy(v) ? { path: [...DS, 'deletionRules'] } : undefined
  },
  {
    id: 'deletion-strategy-empty',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'spec',
    title: 'empty deletionStrategy',
    message: 'DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
    hint: 'Add at least one entry to spec.deletionStrategy.deletionRules, or remove spec.deletionStrategy.',
    check: (v) => (isSet(strategy(v)) && v.gate('RayJobDeletionPolicy') && !hasLegacy(v) && !hasRules(v) ? { path: [...DS] } : undefined)
  },
  {
    id: 'legacy-deletion-incomplete',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'only one of onSuccess/onFailure',
    message: 'both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields of DeletionStrategy',
    hint: 'Set both onSuccess and onFailure, or better, switch to deletionRules.',
    check: (v) => (inLegacyBranch(v) && isSet(strategy(v)?.onSuccess) !== isSet(strategy(v)?.onFailure) ? { path: [...DS] } : undefined)
  },
  {
    id: 'legacy-on-success-policy-unset',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'onSuccess without policy',
    message: 'the DeletionPolicyType field of DeletionStrategy.OnSuccess cannot be unset when DeletionStrategy is enabled',
    hint: 'Set deletionStrategy.onSuccess.policy to DeleteCluster, DeleteWorkers, DeleteSelf or DeleteNone.',
    check: (v) => (inLegacyBranch(v) && isSet(strategy(v)?.onSuccess) && !legacyPolicy(v, 'onSuccess') ? { path: [...DS, 'onSuccess'] } : undefined)
  },
  {
    id: 'legacy-on-failure-policy-unset',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'onFailure without policy',
    message: 'the DeletionPolicyType field of DeletionStrategy.OnFailure cannot be unset when DeletionStrategy is enabled',
    hint: 'Set deletionStrategy.onFailure.policy to DeleteCluster, DeleteWorkers, DeleteSelf or DeleteNone.',
    check: (v) => (inLegacyBranch(v) && isSet(strategy(v)?.onFailure) && !legacyPolicy(v, 'onFailure') ? { path: [...DS, 'onFailure'] } : undefined)
  },
  {
    id: 'legacy-on-success-with-selector',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'onSuccess deletes a cluster the job does not own',
    message: "the ClusterSelector mode doesn't support DeletionStrategy={policy} on success",
    params: ['policy'],
    hint: 'With clusterSelector use DeleteSelf or DeleteNone: the existing cluster is never deleted by the RayJob.',
    check: (v) => {
      const policy = legacyPolicy(v, 'onSuccess') ?? ''
      return inLegacyBranch(v) && v.selectorMode && CLUSTER_DELETING.has(policy)
        ? { path: [...DS, 'onSuccess', 'policy'], part: 'value', params: { policy } }
        : undefined
    }
  },
  {
    id: 'legacy-on-failure-with-selector',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'onFailure deletes a cluster the job does not own',
    message: "the ClusterSelector mode doesn't support DeletionStrategy={policy} on failure",
    params: ['policy'],
    hint: 'With clusterSelector use DeleteSelf or DeleteNone: the existing cluster is never deleted by the RayJob.',
    check: (v) => {
      const policy = legacyPolicy(v, 'onFailure') ?? ''
      return inLegacyBranch(v) && v.selectorMode && CLUSTER_DELETING.has(policy)
        ? { path: [...DS, 'onFailure', 'policy'], part: 'value', params: { policy } }
        : undefined
    }
  },
  {
    id: 'legacy-delete-workers-with-autoscaling',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'DeleteWorkers with autoscaling',
    message: 'DeletionStrategy=DeleteWorkers currently does not support RayCluster with autoscaling enabled',
    hint: 'Use DeleteCluster, or turn off enableInTreeAutoscaling.',
    check: (v) =>
      inLegacyBranch(v) && v.autoscaling && (legacyPolicy(v, 'onSuccess') === 'DeleteWorkers' || legacyPolicy(v, 'onFailure') === 'DeleteWorkers')
        ? { path: [...DS] }
        : undefined
  },
  {
    id: 'legacy-delete-none-with-shutdown',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'spec',
    title: 'DeleteNone with shutdownAfterJobFinishes',
    message: "shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'",
    hint: 'Set spec.shutdownAfterJobFinishes: false, or choose a policy other than DeleteNone.',
    check: (v) =>
      inLegacyBranch(v) &&
      v.spec.shutdownAfterJobFinishes === true &&
      (legacyPolicy(v, 'onSuccess') === 'DeleteNone' || legacyPolicy(v, 'onFailure') === 'DeleteNone')
        ? { path: ['spec', 'shutdownAfterJobFinishes'] }
        : undefined
  },
  {
    id: 'deletion-rule-both-conditions',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'deletion rule with jobStatus and jobDeploymentStatus',
    message: 'deletionRules[{i}]: cannot set both JobStatus and JobDeploymentStatus at the same time',
    params: ['i'],
    hint: 'Give each deletion rule exactly one of condition.jobStatus or condition.jobDeploymentStatus.',
    check: (v) => eachRule(v, (rule) => firstProblem(v, rule) === 'both' && {})
  },
  {
    id: 'deletion-rule-no-condition',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'deletion rule without a condition',
    message: 'deletionRules[{i}]: exactly one of JobStatus and JobDeploymentStatus must be set',
    params: ['i'],
    hint: 'Set condition.jobStatus (SUCCEEDED or FAILED) or condition.jobDeploymentStatus (Failed).',
    check: (v) => eachRule(v, (rule) => firstProblem(v, rule) === 'neither' && {})
  },
  {
    id: 'deletion-rule-negative-ttl',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'deletion rule with negative ttlSeconds',
    message: 'deletionRules[{i}]: TTLSeconds must be non-negative',
    params: ['i'],
    hint: 'Set condition.ttlSeconds to 0 or more.',
    check: (v) => eachRule(v, (rule) => firstProblem(v, rule) === 'ttl' && {})
  },
  {
    id: 'deletion-rule-with-selector',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'deletion rule deletes a cluster the job does not own',
    message: "deletionRules[{i}]: DeletionPolicyType '{policy}' not supported when ClusterSelector is set",
    params: ['i', 'policy'],
    hint: 'With clusterSelector use DeleteSelf or DeleteNone.',
    check: (v) => eachRule(v, (rule) => firstProblem(v, rule) === 'selector' && { policy: str(rule.policy) ?? '' })
  },
  {
    id: 'deletion-rule-workers-with-autoscaling',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'DeleteWorkers rule with autoscaling',
    message: "deletionRules[{i}]: DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled",
    params: ['i'],
    hint: 'Use DeleteCluster, or turn off enableInTreeAutoscaling.',
    check: (v) => eachRule(v, (rule) => firstProblem(v, rule) === 'autoscaling' && {})
  },
  {
    id: 'deletion-rule-duplicate-job-status',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'duplicate deletion rule',
    message: "deletionRules[{i}]: duplicate rule for DeletionPolicyType '{policy}' and JobStatus '{status}'",
    params: ['i', 'policy', 'status'],
    hint: 'Remove the repeated rule: each (policy, jobStatus) pair may appear once.',
    check: (v) => duplicates(v, 'jobStatus')
  },
  {
    id: 'deletion-rule-duplicate-deployment-status',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'duplicate deletion rule',
    message: "deletionRules[{i}]: duplicate rule for DeletionPolicyType '{policy}' and JobDeploymentStatus '{status}'",
    params: ['i', 'policy', 'status'],
    hint: 'Remove the repeated rule: each (policy, jobDeploymentStatus) pair may appear once.',
    check: (v) => duplicates(v, 'jobDeploymentStatus')
  },
  {
    id: 'deletion-rule-ttl-order',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    joinGroup: 'deletionRules',
    title: 'deletion rule TTLs out of order',
    message: "for {kind} '{status}': {policy} TTL ({ttl}) must be >= {previousPolicy} TTL ({previousTtl})",
    params: ['kind', 'status', 'policy', 'ttl', 'previousPolicy', 'previousTtl'],
    hint: 'Order the TTLs for one status as DeleteWorkers <= DeleteCluster <= DeleteSelf: a later step cannot run before an earlier one.',
    check: ttlOrder
  },
  {
    id: 'deletion-policy-gate-disabled',
    source: 'kuberay',
    since: '1.3.0',
    until: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'deletionPolicy needs the RayJobDeletionPolicy gate',
    message: 'RayJobDeletionPolicy feature gate must be enabled to use the DeletionPolicy feature',
    hint: 'Enable the operator feature gate RayJobDeletionPolicy, or remove spec.deletionPolicy.',
    check: (v) => (isSet(v.spec.deletionPolicy) && !v.gate('RayJobDeletionPolicy') ? { path: ['spec', 'deletionPolicy'] } : undefined)
  },
  {
    id: 'deletion-policy-with-selector',
    source: 'kuberay',
    since: '1.3.0',
    until: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'deletionPolicy deletes a cluster the job does not own',
    message: "the ClusterSelector mode doesn't support DeletionPolicy={policy}",
    params: ['policy'],
    hint: 'With clusterSelector use DeleteSelf or DeleteNone.',
    check: (v) => {
      const policy = str(v.spec.deletionPolicy) ?? ''
      return v.gate('RayJobDeletionPolicy') && v.selectorMode && CLUSTER_DELETING.has(policy)
        ? { path: ['spec', 'deletionPolicy'], part: 'value', params: { policy } }
        : undefined
    }
  },
  {
    id: 'deletion-policy-workers-with-autoscaling',
    source: 'kuberay',
    since: '1.3.0',
    until: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'DeleteWorkers with autoscaling',
    message: 'DeletionPolicy=DeleteWorkers currently does not support RayCluster with autoscaling enabled',
    hint: 'Use DeleteCluster, or turn off enableInTreeAutoscaling.',
    check: (v) =>
      v.gate('RayJobDeletionPolicy') && v.autoscaling && v.spec.deletionPolicy === 'DeleteWorkers'
        ? { path: ['spec', 'deletionPolicy'], part: 'value' }
        : undefined
  },
  {
    id: 'deletion-policy-none-with-shutdown',
    source: 'kuberay',
    since: '1.3.0',
    until: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'DeleteNone with shutdownAfterJobFinishes',
    message: "shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'",
    hint: 'Set spec.shutdownAfterJobFinishes: false, or choose a policy other than DeleteNone.',
    check: (v) =>
      v.gate('RayJobDeletionPolicy') && v.spec.shutdownAfterJobFinishes === true && v.spec.deletionPolicy === 'DeleteNone'
        ? { path: ['spec', 'shutdownAfterJobFinishes'] }
        : undefined
  }
]
