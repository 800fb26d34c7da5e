// A RayService's own checks: KubeRay's ValidateRayServiceMetadata (1.4.0+) and the parts of
// ValidateRayServiceSpec around the cluster spec (1.3.0+; the cluster spec itself is cluster.ts),
// with ValidateClusterUpgradeOptions for incremental upgrades (1.5.0+). Since 1.6.0 KubeRay prefixes
// them with "The RayService metadata/spec is invalid: " (the `service-*` prefixes).
import { parseGoDuration } from '../go/duration.js'
import { atoi } from '../go/strconv.js'
import { MAX_RAYJOB_NAME, arr, get, isObj, isSet, num, obj, str } from '../../manifest/model.js'
import type { Obj, Path } from '../../manifest/model.js'
import { readYamlValue } from '../../yaml/index.js'
import { atLeast } from '../versions.js'
import type { JobView, RuleDefinition, Violation } from './types.js'
import { P } from './types.js'
import { nameRules } from './spec.js'
import { headPortsWithoutDashboard } from './stuck.js'

/** KubeRay's MaxRayServiceNameLength: the RayCluster it makes adds 6 characters (the same limit as a RayJob's). */
const MAX_RAYSERVICE_NAME = MAX_RAYJOB_NAME
const INITIALIZING_TIMEOUT = 'ray.io/initializing-timeout'
const INCREMENTAL = 'NewClusterWithIncrementalUpgrade'
const UPGRADE = ['spec', 'upgradeStrategy']
const OPTIONS = [...UPGRADE, 'clusterUpgradeOptions']

const metadata = (rule: Omit<RuleDefinition, 'source' | 'severity' | 'prefix'>): RuleDefinition => ({ source: 'kuberay', severity: 'error', prefix: 'service-metadata', ...rule })
const spec = (rule: Omit<RuleDefinition, 'source' | 'severity' | 'prefix'>): RuleDefinition => ({ source: 'kuberay', severity: 'error', prefix: 'service-spec', ...rule })

/** What KubeRay's validateInitializingTimeout says of the annotation: nothing, or why it is refused. */
function initializingTimeoutProblem(value: string): string | undefined {
  const duration = parseGoDuration(value)
  if (!('error' in duration)) return duration.nanos <= 0n ? `annotation ${INITIALIZING_TIMEOUT} must be a positive duration, got: ${value}` : undefined
  const seconds = atoi(value)
  if (!('error' in seconds)) return seconds.value <= 0n ? `annotation ${INITIALIZING_TIMEOUT} must be a positive integer (seconds), got: ${value}` : undefined
  return `annotation ${INITIALIZING_TIMEOUT} has invalid format: ${value}. Expected Go duration format (e.g., '5m', '1h') or positive integer seconds`
}

export const rayServiceMetadataRules: RuleDefinition[] = [
  ...nameRules({
    kind: 'RayService',
    idPrefix: 'rayservice-',
    max: MAX_RAYSERVICE_NAME,
    prefix: 'service-metadata',
    why: 'KubeRay appends a 6-character suffix to name each RayCluster (53 max)',
    example: 'serve-llm'
  }),
  metadata({
    id: 'rayservice-initializing-timeout-invalid',
    since: '1.5.0',
    title: 'invalid ray.io/initializing-timeout',
    message: 'RayService annotations is invalid: {detail}',
    params: ['detail'],
    hint: `Write ${INITIALIZING_TIMEOUT} as a positive Go duration ("30m", "1h30m") or a positive number of seconds ("1800").`,
    check: ({ annotations }) => {
      const value = annotations[INITIALIZING_TIMEOUT]
      const detail = value ? initializingTimeoutProblem(value) : undefined
      return detail ? { path: ['metadata', 'annotations', INITIALIZING_TIMEOUT], part: 'value', params: { detail } } : undefined
    }
  })
]

/** ValidateRayServiceSpec's first check (1.6.0+), before the cluster spec. */
export const rayServiceAuthRules: RuleDefinition[] = [
  spec({
    id: 'rayservice-k8s-token-auth',
    since: '1.6.0',
    title: 'Kubernetes token auth on a RayService',
    message: 'K8s token auth mode is currently not supported for RayService',
    hint: 'Remove spec.rayClusterConfig.authOptions.enableK8sTokenAuth (or set it to false).',
    check: (v) => (get(v.cluster, ['authOptions', 'enableK8sTokenAuth']) === true ? { path: [...P.cluster, 'authOptions', 'enableK8sTokenAuth'] } : undefined)
  })
]

const upgradeType = (v: JobView): string | undefined => str(get(v.job, [...UPGRADE, 'type']))

/** KubeRay's IsIncrementalUpgradeEnabled: the gate on and the type asked for. */
const incremental = (v: JobView): boolean => v.gate('RayServiceIncrementalUpgrade') && upgradeType(v) === INCREMENTAL
const options = (v: JobView) => obj(get(v.job, OPTIONS))
/** maxSurgePercent defaults to 100 (the CRD fills it in). */
const maxSurge = (v: JobView): number => num(options(v)?.maxSurgePercent) ?? 100
const percentOutOfRange = (n: number | undefined): boolean => n === undefined || n < 0 || n > 100
const optionPath = (field: string): Path => [...OPTIONS, field]

/** A check of ValidateClusterUpgradeOptions: KubeRay makes them one after another and reports the first that fails. */
function upgradeOption(id: string, since: RuleDefinition['since'], title: string, message: string, hint: string, failing: (v: JobView) => Violation | undefined): RuleDefinition {
  return spec({ id, since, title, message, hint, check: (v) => (incremental(v) ? failing(v) : undefined) })
}

/** ValidateRayServiceSpec after the cluster spec. */
export const rayServiceSpecRules: RuleDefinition[] = [
  spec({
    id: 'rayservice-head-service-name',
    since: '1.3.0',
    title: 'head Service name set in a RayService',
    message: 'spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set',
    hint: 'Remove headService.metadata.name: KubeRay names the head Service of each RayCluster it makes for the RayService.',
    check: (v) => (str(get(v.head, ['headService', 'metadata', 'name'])) ? { path: [...P.head, 'headService', 'metadata', 'name'], part: 'value' } : undefined)
  }),
  spec({
    id: 'rayservice-upgrade-type-invalid',
    since: '1.3.0',
    title: 'unknown RayService upgradeStrategy.type',
    message: (version) =>
      atLeast(version, '1.5.0')
        ? 'Spec.UpgradeStrategy.Type value {type} is invalid, valid options are NewClusterWithIncrementalUpgrade, NewCluster, or None'
        : 'Spec.UpgradeStrategy.Type value {type} is invalid, valid options are NewCluster or None',
    params: ['type'],
    hint: 'Set spec.upgradeStrategy.type to NewCluster (the default), None, or from KubeRay 1.5 NewClusterWithIncrementalUpgrade.',
    check: (v) => {
      const type = upgradeType(v)
      const valid = atLeast(v.version, '1.5.0') ? [INCREMENTAL, 'NewCluster', 'None'] : ['NewCluster', 'None']
      return type !== undefined && !valid.includes(type) ? { path: [...UPGRADE, 'type'], part: 'value', params: { type } } : undefined
    }
  }),
  spec({
    id: 'rayservice-deletion-delay-negative',
    since: '1.5.0',
    title: 'negative rayClusterDeletionDelaySeconds',
    message: 'Spec.RayClusterDeletionDelaySeconds should be a non-negative integer, got {n}',
    params: ['n'],
    hint: 'Set spec.rayClusterDeletionDelaySeconds to 0 or more (seconds KubeRay waits before deleting an old RayCluster).',
    check: (v) => {
      const n = num(get(v.job, ['spec', 'rayClusterDeletionDelaySeconds']))
      return n !== undefined && n < 0 ? { path: ['spec', 'rayClusterDeletionDelaySeconds'], part: 'value', params: { n } } : undefined
    }
  }),
  upgradeOption(
    'rayservice-incremental-needs-autoscaler',
    '1.5.0',
    'incremental upgrade without the autoscaler',
    'Ray Autoscaler is required for NewClusterWithIncrementalUpgrade',
    'Set spec.rayClusterConfig.enableInTreeAutoscaling: true, or use upgradeStrategy.type NewCluster.',
    (v) => (v.autoscaling ? undefined : { path: [...UPGRADE, 'type'], part: 'value' })
  ),
  upgradeOption(
    'rayservice-incremental-options-missing',
    '1.5.0',
    'incremental upgrade without clusterUpgradeOptions',
    'ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade',
    'Add spec.upgradeStrategy.clusterUpgradeOptions with stepSizePercent, intervalSeconds and gatewayClassName.',
    (v) => (options(v) ? undefined : { path: UPGRADE })
  ),
  upgradeOption(
    'rayservice-max-surge-out-of-range',
    '1.5.0',
    'maxSurgePercent outside 0–100',
    'maxSurgePercent must be between 0 and 100',
    'Set clusterUpgradeOptions.maxSurgePercent between 0 and 100 (default 100).',
    (v) => (options(v) && percentOutOfRange(maxSurge(v)) ? { path: optionPath('maxSurgePercent'), part: 'value' } : undefined)
  ),
  upgradeOption(
    'rayservice-step-size-out-of-range',
    '1.5.0',
    'stepSizePercent missing or outside 0–100',
    'stepSizePercent must be between 0 and 100',
    'Set clusterUpgradeOptions.stepSizePercent between 0 and 100: the share of traffic moved to the new cluster at each step.',
    (v) => {
      const o = options(v)
      if (!o || !percentOutOfRange(num(o.stepSizePercent))) return undefined
      return isSet(o.stepSizePercent) ? { path: optionPath('stepSizePercent'), part: 'value' } : { path: OPTIONS }
    }
  ),
  upgradeOption(
    'rayservice-step-above-max-surge',
    '1.7.0',
    'stepSizePercent above maxSurgePercent',
    'stepSizePercent must be less than or equal to maxSurgePercent',
    'Lower clusterUpgradeOptions.stepSizePercent to at most maxSurgePercent (default 100).',
    (v) => {
      const step = num(options(v)?.stepSizePercent)
      return step !== undefined && step > maxSurge(v) ? { path: optionPath('stepSizePercent'), part: 'value' } : undefined
    }
  ),
  upgradeOption(
    'rayservice-interval-not-positive',
    '1.5.0',
    'intervalSeconds missing or not positive',
    'intervalSeconds must be greater than 0',
    'Set clusterUpgradeOptions.intervalSeconds to the seconds between traffic steps (1 or more).',
    (v) => {
      const o = options(v)
      const interval = num(o?.intervalSeconds)
      if (!o || (interval !== undefined && interval > 0)) return undefined
      return isSet(o.intervalSeconds) ? { path: optionPath('intervalSeconds'), part: 'value' } : { path: OPTIONS }
    }
  ),
  upgradeOption(
    'rayservice-gateway-class-missing',
    '1.5.0',
    'incremental upgrade without gatewayClassName',
    'gatewayClassName is required for NewClusterWithIncrementalUpgrade',
    'Set clusterUpgradeOptions.gatewayClassName to the Gateway API class that routes the RayService traffic.',
    (v) => {
      const o = options(v)
      return o && !str(o.gatewayClassName) ? { path: OPTIONS } : undefined
    }
  )
]

const stuck = (rule: Omit<RuleDefinition, 'source'>): RuleDefinition => ({ source: 'stuck', ...rule })
const SERVE_CONFIG = ['spec', 'serveConfigV2']

/** spec.serveConfigV2 read as KubeRay reads it (a YAML mapping), or why it cannot be. */
function serveConfig(v: JobView): { config?: Obj; problem?: string } {
  const text = str(get(v.job, SERVE_CONFIG))
  if (!text?.trim()) return {}
  const read = readYamlValue(text)
  if ('refused' in read) return {}
  if ('error' in read) return { problem: read.error }
  if (read.value === null) return {}
  return isObj(read.value) ? { config: read.value } : { problem: `it is ${Array.isArray(read.value) ? 'a list' : `a ${typeof read.value}`}` }
}

/** The first value of `key` that two of the config's applications share. */
function repeated(config: Obj | undefined, key: string): string | undefined {
  const seen = new Set<string>()
  for (const app of arr(config?.applications)) {
    const value = isObj(app) ? str(app[key]) : undefined
    if (value === undefined) continue
    if (seen.has(value)) return value
    seen.add(value)
  }
  return undefined
}

/** Mistakes KubeRay accepts that leave a RayService never ready. */
export const rayServiceStuckRules: RuleDefinition[] = [
  stuck({
    id: 'rayservice-head-no-dashboard-port',
    since: '1.1.0',
    severity: 'error',
    title: 'RayService head ports without "dashboard"',
    message:
      'the head container declares ports but none is named "dashboard": KubeRay reaches Ray Serve through the dashboard port of the head Service, so it cannot deploy the Serve applications and the RayService never becomes ready',
    hint: 'Add `- {name: dashboard, containerPort: 8265}` to the head container ports (KubeRay adds defaults only when no port is declared).',
    check: headPortsWithoutDashboard
  }),
  stuck({
    id: 'serve-config-not-yaml',
    since: '1.1.0',
    severity: 'error',
    title: 'serveConfigV2 is not a YAML mapping',
    message: 'spec.serveConfigV2 is not a YAML mapping ({problem}): KubeRay cannot read it, so it never deploys the Serve applications and the RayService never becomes ready',
    params: ['problem'],
    hint: 'Write spec.serveConfigV2 as a block scalar (`serveConfigV2: |`) holding a YAML mapping with `applications:`.',
    check: (v) => {
      const { problem } = serveConfig(v)
      return problem ? { path: SERVE_CONFIG, part: 'value', params: { problem } } : undefined
    }
  }),
  stuck({
    id: 'serve-app-name-duplicate',
    since: '1.1.0',
    severity: 'error',
    title: 'two Serve applications with one name',
    message: 'serveConfigV2 names application "{name}" more than once: Ray Serve refuses the whole config, so no application is deployed and the RayService never becomes ready',
    params: ['name'],
    hint: 'Give each entry of serveConfigV2 applications its own name.',
    check: (v) => {
      const name = repeated(serveConfig(v).config, 'name')
      return name === undefined ? undefined : { path: SERVE_CONFIG, part: 'value', params: { name } }
    }
  }),
  stuck({
    id: 'serve-route-prefix-duplicate',
    since: '1.1.0',
    severity: 'error',
    title: 'two Serve applications on one route prefix',
    message: 'serveConfigV2 gives route_prefix "{prefix}" to more than one application: Ray Serve refuses the whole config, so no application is deployed and the RayService never becomes ready',
    params: ['prefix'],
    hint: 'Give each application its own route_prefix (for example /summarize and /translate).',
    check: (v) => {
      const prefix = repeated(serveConfig(v).config, 'route_prefix')
      return prefix === undefined ? undefined : { path: SERVE_CONFIG, part: 'value', params: { prefix } }
    }
  })
]
