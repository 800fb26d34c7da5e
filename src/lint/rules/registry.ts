// Every rule the linter reports, in one explicit list: the order KubeRay runs its own checks
// (ValidateRayJobMetadata, then ValidateRayJobSpec with its deletion block and
// ValidateRayClusterSpec where KubeRay calls them), then the checks KubeRay does not make. The
// registry checks itself when it loads, so a rule with a duplicate id, a version range that ends
// before it starts, a placeholder its violations do not fill or a file problem without a rule
// fails every test rather than reaching a user.
import type { ReadProblem } from '../documents.js'
import type { SchemaProblemKind } from '../schema/check.js'
import { KUBERAY_RELEASES, compareVersions } from '../versions.js'
import { clusterRules } from './cluster.js'
import { deletionRules } from './deletion.js'
import { INPUT_RULES } from './input.js'
import { metadataRules, specRules } from './spec.js'
import { stuckRules } from './stuck.js'
import { rayClusterMetadataRules, rayClusterUpgradeRules } from './raycluster.js'
import { rayCronJobSpecRules, rayCronJobStuckRules } from './raycronjob.js'
import { rayServiceAuthRules, rayServiceMetadataRules, rayServiceSpecRules, rayServiceStuckRules } from './rayservice.js'
import { clusterAt, jobTemplate, wholeObject } from './scope.js'
import type { Scope } from './scope.js'
import type { MessagePrefix, RuleDefinition, RuleEntry, RuleInfo, RuleReference } from './types.js'
import type { KubeRayVersion } from '../versions.js'
import type { RayKind } from '../../manifest/model.js'

/** KubeRay's checks, in the order KubeRay runs them (the first failing one is the one KubeRay reports). */
const KUBERAY_ORDER = [
  // ValidateRayJobMetadata
  'name-too-long',
  'name-not-dns1035',
  // ValidateRayJobSpec, before its deletion block
  'suspend-requires-shutdown',
  'ttl-negative',
  // ValidateRayJobSpec's deletion block (validateDeletionConfiguration since 1.5.0)
  'ttl-without-shutdown',
  'deletion-strategy-gate-disabled',
  'deletion-rules-with-shutdown',
  'deletion-rules-with-legacy',
  'deletion-strategy-empty',
  'legacy-deletion-incomplete',
  'legacy-on-success-policy-unset',
  'legacy-on-failure-policy-unset',
  'legacy-on-success-with-selector',
  'legacy-on-failure-with-selector',
  'legacy-delete-workers-with-autoscaling',
  'legacy-delete-none-with-shutdown',
  'deletion-rule-both-conditions',
  'deletion-rule-no-condition',
  'deletion-rule-negative-ttl',
  'deletion-rule-with-selector',
  'deletion-rule-workers-with-autoscaling',
  'deletion-rule-duplicate-job-status',
  'deletion-rule-duplicate-deployment-status',
  'deletion-rule-ttl-order',
  // ValidateRayJobSpec, between the deletion block and the cluster spec
  'selector-with-suspend',
  'cluster-spec-or-selector',
  'selector-cluster-name-empty',
  'selector-with-sidecar-mode',
  'selector-with-backoff-limit',
  'interactive-with-backoff-limit',
  'sidecar-with-submitter-template',
  'sidecar-with-submitter-config',
  'sidecar-head-restart-policy',
  'k8s-token-auth-unsupported',
  // ValidateRayClusterSpec on spec.rayClusterSpec (1.4.0+)
  'head-no-containers',
  'head-resources-twice',
  'head-labels-in-start-params',
  'head-label-invalid',
  'worker-no-containers',
  'worker-replicas-unset',
  'worker-min-replicas-negative',
  'worker-max-replicas-negative',
  'worker-min-above-max',
  'worker-resources-twice',
  'worker-labels-in-start-params',
  'worker-label-invalid',
  'worker-idle-timeout-negative',
  'worker-idle-timeout-needs-v2',
  'worker-priority-ray-version',
  'worker-priority-needs-v2',
  'ft-annotation-and-options',
  'redis-address-without-ft',
  'ft-redis-password-param',
  'ft-redis-password-env',
  'ft-redis-address-env',
  'ft-storage-namespace-annotation',
  'rocksdb-gate-disabled',
  'rocksdb-with-redis-fields',
  'rocksdb-claim-and-size',
  'rocksdb-storage-env',
  'rocksdb-reserved-volume',
  'redis-backend-with-storage',
  'redis-username-outside-options',
  'worker-suspend-gate-disabled',
  'autoscaler-v2-env-without-autoscaling',
  'worker-suspend-with-autoscaling',
  'autoscaler-version-twice',
  'autoscaler-v2-head-restart-policy',
  'autoscaler-v2-worker-restart-policy',
  'autoscaler-idle-timeout-negative',
  'autoscaler-start-cmd-env',
  'history-server-gate-disabled',
  'history-collector-invalid',
  'token-auth-ray-version',
  'k8s-token-auth-settings',
  'k8s-token-auth-without-token-mode',
  'network-policy-gate-disabled',
  'network-policy-inconsistent',
  'tls-gate-disabled',
  'tls-managed-settings',
  // ValidateRayJobSpec, after the cluster spec
  'runtime-env-yaml-invalid',
  'active-deadline-not-positive',
  'pre-running-deadline-not-positive',
  'backoff-limit-negative',
  // KubeRay 1.3–1.4 checked spec.deletionPolicy last, after backoffLimit
  'deletion-policy-gate-disabled',
  'deletion-policy-with-selector',
  'deletion-policy-workers-with-autoscaling',
  'deletion-policy-none-with-shutdown'
]

/** Mistakes KubeRay accepts that leave a RayJob stuck or failed: reported after KubeRay's own. */
const STUCK_ORDER = [
  'submission-mode-unknown',
  'head-no-dashboard-port',
  'submitter-restart-policy',
  'metadata-needs-ray-2-6',
  'entrypoint-resources-not-json',
  'upgrade-strategy-in-rayjob',
  'worker-group-name-duplicate',
  'entrypoint-empty',
  'interactive-without-pre-running-deadline',
  'name-derived-too-long',
  'deletion-strategy-deprecated-fields',
  'managed-by-kueue',
  'cluster-spec-ignored',
  'head-service-type-invalid',
  'worker-replicas-clamped',
  'suspend-not-for-rayjob'
]

/** Which schema rule reports each kind of CRD schema problem. */
export const SCHEMA_RULE: Record<SchemaProblemKind, string> = {
  'unknown-field': 'schema-unknown-field',
  'wrong-type': 'schema-type',
  enum: 'schema-enum',
  required: 'schema-required',
  cel: 'schema-cel',
  range: 'schema-range',
  'duplicate-item': 'schema-duplicate'
}

/** Every kind of problem that keeps a file from being read: each is reported by the rule of the same id. */
const READ_PROBLEM_KINDS: Record<ReadProblem['kind'], true> = {
  'yaml-syntax': true,
  'yaml-aliases': true,
  'yaml-too-deep': true,
  'file-too-large': true,
  'file-binary': true,
  'file-encoding': true,
  'file-empty': true,
  'file-template': true
}

const VALIDATION_GO = 'ray-operator/controllers/ray/utils/validation.go'

/** The Go function in KubeRay that makes each family's checks. */
const KUBERAY_FUNCTION = new Map<readonly RuleDefinition[], string>([
  [metadataRules, 'ValidateRayJobMetadata'],
  [specRules, 'ValidateRayJobSpec'],
  [deletionRules, 'ValidateRayJobSpec'],
  [clusterRules, 'ValidateRayClusterSpec'],
  [rayClusterMetadataRules, 'ValidateRayClusterMetadata'],
  [rayClusterUpgradeRules, 'ValidateRayClusterUpgradeOptions'],
  [rayServiceMetadataRules, 'ValidateRayServiceMetadata'],
  [rayServiceAuthRules, 'ValidateRayServiceSpec'],
  [rayServiceSpecRules, 'ValidateRayServiceSpec'],
  [rayCronJobSpecRules, 'ValidateRayCronJobSpec']
])

/** The newest release a rule applies to: the one its KubeRay source link points at. */
function newestRelease(rule: RuleEntry): string {
  const applies = KUBERAY_RELEASES.filter((r) => compareVersions(r, rule.since) >= 0 && (!rule.until || compareVersions(r, rule.until) < 0))
  return applies[applies.length - 1] ?? rule.since
}

function kuberayReference(rule: RuleEntry, goFunction: string): RuleReference {
  const release = newestRelease(rule)
  return { text: `KubeRay ${goFunction}`, url: `https://github.com/ray-project/kuberay/blob/v${release}/${VALIDATION_GO}` }
}

const OWN_REFERENCE: Record<Exclude<RuleEntry['source'], 'kuberay'>, RuleReference> = {
  input: { text: 'file reader' },
  schema: { text: 'CRD schema' },
  stuck: { text: 'stuck job' }
}

function ordered<T extends RuleEntry>(order: readonly string[], rules: readonly T[], what: string): T[] {
  const byId = new Map(rules.map((r) => [r.id, r]))
  const unlisted = rules.filter((r) => !order.includes(r.id)).map((r) => r.id)
  const undefinedIds = order.filter((id) => !byId.has(id))
  if (unlisted.length || undefinedIds.length) {
    throw new Error(`rule registry (${what}): ${[unlisted.length ? `defined but not listed: ${unlisted.join(', ')}` : '', undefinedIds.length ? `listed but not defined: ${undefinedIds.join(', ')}` : ''].filter(Boolean).join('; ')}`)
  }
  return order.map((id) => byId.get(id)!)
}

const placeholders = (message: string): string[] => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))]

/** Everything a rule must get right to be registered; returns what is wrong, or nothing. */
export function ruleProblems(rule: RuleEntry | RuleDefinition): string[] {
  const problems: string[] = []
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) problems.push('its id is not lower-case words joined by hyphens')
  if (!KUBERAY_RELEASES.includes(rule.since)) problems.push(`since ${rule.since} is not a KubeRay release the lint knows`)
  if (rule.until && !KUBERAY_RELEASES.includes(rule.until)) problems.push(`until ${rule.until} is not a KubeRay release the lint knows`)
  if (rule.until && compareVersions(rule.since, rule.until) >= 0) problems.push(`since ${rule.since} is not before until ${rule.until}`)
  if (!rule.title || !rule.hint) problems.push('it has no title or no hint')
  if ('message' in rule) {
    const { message } = rule
    const messages = typeof message === 'function' ? KUBERAY_RELEASES.map(message) : [message]
    const used = new Set(messages.flatMap(placeholders))
    const declared = new Set(rule.params ?? [])
    const undeclared = [...used].filter((p) => !declared.has(p))
    const unused = [...declared].filter((p) => !used.has(p))
    if (undeclared.length) problems.push(`its message uses {${undeclared.join('}, {')}} but params does not name them`)
    if (unused.length) problems.push(`params names ${unused.join(', ')}, which its message does not use`)
  }
  return problems
}

function register<T extends RuleEntry>(rules: readonly T[], reference: (rule: T) => RuleReference): (T & RuleInfo)[] {
  return rules.map((rule) => ({ ...rule, reference: reference(rule) }))
}

function familyOf(rule: RuleDefinition): string {
  for (const [family, name] of KUBERAY_FUNCTION) if (family.includes(rule)) return name
  throw new Error(`rule registry: ${rule.id} belongs to no KubeRay function`)
}

export const KUBERAY_RULES: readonly (RuleDefinition & RuleInfo)[] = register(
  ordered(KUBERAY_ORDER, [...metadataRules, ...specRules, ...deletionRules, ...clusterRules], 'KubeRay'),
  (rule) => kuberayReference(rule, familyOf(rule))
)
export const STUCK_RULES: readonly (RuleDefinition & RuleInfo)[] = register(ordered(STUCK_ORDER, stuckRules, 'stuck'), () => OWN_REFERENCE.stuck)
const READ_AND_SCHEMA_RULES: readonly RuleInfo[] = register(INPUT_RULES, (entry) => OWN_REFERENCE[entry.source as 'input' | 'schema'])

const kuberayFamily = (rules: readonly RuleDefinition[]) => register(rules, (rule) => kuberayReference(rule, familyOf(rule)))
const stuckFamily = (rules: readonly RuleDefinition[]) => register(rules, () => OWN_REFERENCE.stuck)
const RAYCLUSTER_METADATA = kuberayFamily(rayClusterMetadataRules)
const RAYCLUSTER_UPGRADE = kuberayFamily(rayClusterUpgradeRules)
const RAYSERVICE_METADATA = kuberayFamily(rayServiceMetadataRules)
const RAYSERVICE_AUTH = kuberayFamily(rayServiceAuthRules)
const RAYSERVICE_SPEC = kuberayFamily(rayServiceSpecRules)
const RAYCRONJOB_SPEC = kuberayFamily(rayCronJobSpecRules)
const RAYSERVICE_STUCK = stuckFamily(rayServiceStuckRules)
const RAYCRONJOB_STUCK = stuckFamily(rayCronJobStuckRules)

/** Every rule the linter can report, for SARIF's rule list and the README. */
export const ALL_RULES: readonly RuleInfo[] = [
  ...READ_AND_SCHEMA_RULES,
  ...KUBERAY_RULES,
  ...STUCK_RULES,
  ...RAYCLUSTER_METADATA,
  ...RAYCLUSTER_UPGRADE,
  ...RAYSERVICE_METADATA,
  ...RAYSERVICE_AUTH,
  ...RAYSERVICE_SPEC,
  ...RAYCRONJOB_SPEC,
  ...RAYSERVICE_STUCK,
  ...RAYCRONJOB_STUCK
]

type Registered = RuleDefinition & RuleInfo

/** Some of a kind's checks, as KubeRay runs them: on which part of the object, from which release, and how it words them. */
export interface ValidationStep {
  rules: readonly Registered[]
  scope: Scope
  /** Replaces the rules' own prefix: the cluster checks take the prefix of the kind that holds the cluster. */
  prefix?: MessagePrefix
  /** KubeRay makes these checks for this kind only from this release. */
  from?: KubeRayVersion
  /** KubeRay's words before each message of this step (its errors.Wrap). */
  wrap?: string
}

/** How KubeRay's operator judges one kind before it acts on it, and the stuck rules that apply to it. */
export interface KindPlan {
  kind: RayKind
  /** First KubeRay release whose operator has the kind. */
  since: KubeRayVersion
  kuberay: readonly ValidationStep[]
  stuck: readonly ValidationStep[]
}

const idsOf = (rules: readonly RuleDefinition[]): Set<string> => new Set(rules.map((r) => r.id))
const CLUSTER_IDS = idsOf(clusterRules)
const METADATA_IDS = idsOf(metadataRules)
const isCluster = (rule: RuleDefinition): boolean => CLUSTER_IDS.has(rule.id)
const firstCluster = KUBERAY_RULES.findIndex(isCluster)
const afterCluster = KUBERAY_RULES.findLastIndex(isCluster) + 1
/** ValidateRayClusterSpec's checks: one run in KUBERAY_ORDER (checkRegistry holds it so). */
const CLUSTER_RULES = KUBERAY_RULES.slice(firstCluster, afterCluster)
/** ValidateRayJobSpec (with ValidateRayJobMetadata first for a RayJob): around ValidateRayClusterSpec, which it calls since 1.4.0. */
function rayJobSteps(scope: Scope, options: { metadata: boolean; wrap?: string }): ValidationStep[] {
  const before = KUBERAY_RULES.slice(0, firstCluster).filter((r) => options.metadata || !METADATA_IDS.has(r.id))
  return [
    { rules: before, scope, wrap: options.wrap },
    { rules: CLUSTER_RULES, scope, from: '1.4.0', wrap: options.wrap },
    { rules: KUBERAY_RULES.slice(afterCluster), scope, wrap: options.wrap }
  ]
}
/** The stuck rules about a cluster spec that do not depend on the RayJob around it. */
const CLUSTER_STUCK = STUCK_RULES.filter((r) => ['worker-group-name-duplicate', 'worker-replicas-clamped'].includes(r.id))

const rayClusterScope = clusterAt(['spec'])
const serviceScope = clusterAt(['spec', 'rayClusterConfig'])

/** What KubeRay's controllers call, kind by kind (raycluster_controller.go, rayservice_controller.go validateRayService, raycronjob_controller.go). */
export const KIND_PLANS: Readonly<Record<RayKind, KindPlan>> = {
  RayJob: {
    kind: 'RayJob',
    since: '1.1.0',
    kuberay: rayJobSteps(wholeObject, { metadata: true }),
    stuck: [{ rules: STUCK_RULES, scope: wholeObject }]
  },
  RayCluster: {
    kind: 'RayCluster',
    since: '1.1.0',
    kuberay: [
      { rules: RAYCLUSTER_METADATA, scope: wholeObject },
      { rules: CLUSTER_RULES, scope: rayClusterScope, prefix: 'none' },
      { rules: RAYCLUSTER_UPGRADE, scope: wholeObject }
    ],
    stuck: [{ rules: CLUSTER_STUCK, scope: rayClusterScope }]
  },
  RayService: {
    kind: 'RayService',
    since: '1.1.0',
    kuberay: [
      { rules: RAYSERVICE_METADATA, scope: serviceScope },
      { rules: RAYSERVICE_AUTH, scope: serviceScope },
      { rules: CLUSTER_RULES, scope: serviceScope, prefix: 'service-spec', from: '1.4.0' },
      { rules: RAYSERVICE_SPEC, scope: serviceScope }
    ],
    stuck: [{ rules: [...RAYSERVICE_STUCK, ...CLUSTER_STUCK], scope: serviceScope }]
  },
  RayCronJob: {
    kind: 'RayCronJob',
    since: '1.6.0',
    kuberay: [{ rules: RAYCRONJOB_SPEC, scope: wholeObject }, ...rayJobSteps(jobTemplate, { metadata: false, wrap: 'invalid RayJob template: ' })],
    stuck: [
      { rules: RAYCRONJOB_STUCK, scope: wholeObject },
      { rules: STUCK_RULES, scope: jobTemplate }
    ]
  }
}

const RULES_BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]))

export function ruleInfo(id: string): RuleInfo | undefined {
  return RULES_BY_ID.get(id)
}

/** A rule the lint itself names; an unknown id is a bug the load-time check below catches. */
export function rule(id: string): RuleInfo {
  const found = RULES_BY_ID.get(id)
  if (!found) throw new Error(`rule registry: no rule ${id}`)
  return found
}

/** Rules the lint names in code rather than through a rule's check. */
const NAMED_IN_CODE = ['api-version-not-served', 'api-version-deprecated', 'lint-disable-unknown-rule', 'schema-required']

function checkRegistry(): void {
  const problems: string[] = []
  const seen = new Set<string>()
  const defined = [
    ...INPUT_RULES,
    ...metadataRules,
    ...specRules,
    ...deletionRules,
    ...clusterRules,
    ...stuckRules,
    ...rayClusterMetadataRules,
    ...rayClusterUpgradeRules,
    ...rayServiceMetadataRules,
    ...rayServiceAuthRules,
    ...rayServiceSpecRules,
    ...rayCronJobSpecRules,
    ...rayServiceStuckRules,
    ...rayCronJobStuckRules
  ]
  const strays = CLUSTER_RULES.filter((r) => !isCluster(r)).map((r) => r.id)
  if (strays.length) problems.push(`${strays.join(', ')}: listed among ValidateRayClusterSpec's checks in KUBERAY_ORDER, but not cluster rules`)
  for (const r of defined) {
    if (seen.has(r.id)) problems.push(`${r.id}: the id is used twice`)
    seen.add(r.id)
    for (const problem of ruleProblems(r)) problems.push(`${r.id}: ${problem}`)
    if (r.source === 'kuberay' && !('check' in r)) problems.push(`${r.id}: a KubeRay rule without a check`)
  }
  for (const id of [...Object.values(SCHEMA_RULE), ...Object.keys(READ_PROBLEM_KINDS), ...NAMED_IN_CODE]) {
    if (!RULES_BY_ID.has(id)) problems.push(`${id}: reported by the lint, but no rule has this id`)
  }
  if (problems.length) throw new Error(`rule registry:\n${problems.join('\n')}`)
}

checkRegistry()
