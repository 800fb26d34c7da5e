// The variants of the kinds test (kinds.test.ts): a small valid RayCluster, RayService and
// RayCronJob, each with a few fields changed so that a KubeRay rule of that kind fires (trigger),
// only just does not (near miss), or fires together with another rule so that the order KubeRay
// checks them in decides what it reports (order). Besides the kind's own checks, each kind gets a
// handful of the cluster checks under the path where its cluster spec lives (RayCluster: spec;
// RayService: spec.rayClusterConfig; RayCronJob: spec.jobTemplate.rayClusterSpec), and a RayCronJob
// a handful of RayJob spec checks in spec.jobTemplate.
import { compareVersions } from '../../src/lint/versions.js'
import type { KubeRayVersion } from '../../src/lint/versions.js'
import { annotate, from, name, set, unset } from './jobs.js'
import type { Edit, Job, Obj } from './jobs.js'

export type CheckedKind = 'RayCluster' | 'RayService' | 'RayCronJob'
export const CHECKED_KINDS: readonly CheckedKind[] = ['RayCluster', 'RayService', 'RayCronJob']

export interface KindVariant {
  /** "<kind> <rule or topic> <trigger|near miss|order>: <how>". */
  id: string
  kind: CheckedKind
  object: Job
  /** First KubeRay release whose CRD has every field the variant sets (older ones would prune them). */
  since?: KubeRayVersion
  /** Run only with these operator feature gates (by default: with every gate setting of the kind). */
  gates?: Record<string, boolean>
  /** Why the API server would refuse the object before KubeRay sees it; only the schema check skips it. */
  apiServerRejects?: string
}

type Options = Omit<KindVariant, 'id' | 'kind' | 'object'>

/** The first release that has each kind. */
export const KIND_SINCE: Record<CheckedKind, KubeRayVersion> = { RayCluster: '1.1.0', RayService: '1.1.0', RayCronJob: '1.6.0' }

const IMAGE = 'rayproject/ray:2.46.0'

function clusterSpec(): Obj {
  return {
    rayVersion: '2.46.0',
    headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: IMAGE }] } } },
    workerGroupSpecs: [
      { groupName: 'small-group', replicas: 1, minReplicas: 1, maxReplicas: 5, rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-worker', image: IMAGE }] } } }
    ]
  }
}

export const BASE: Record<CheckedKind, Job> = {
  RayCluster: { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'raycluster-sample' }, spec: clusterSpec() },
  RayService: {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'rayservice-sample' },
    spec: { serveConfigV2: 'applications:\n  - name: app\n    import_path: app:deployment\n    route_prefix: /\n', rayClusterConfig: clusterSpec() }
  },
  RayCronJob: {
    apiVersion: 'ray.io/v1',
    kind: 'RayCronJob',
    metadata: { name: 'raycronjob-sample' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { entrypoint: 'python /home/ray/samples/sample_code.py', shutdownAfterJobFinishes: true, rayClusterSpec: clusterSpec() }
    }
  }
}

/** Where each kind keeps its cluster spec. */
export const CLUSTER_AT: Record<CheckedKind, string> = { RayCluster: 'spec', RayService: 'spec.rayClusterConfig', RayCronJob: 'spec.jobTemplate.rayClusterSpec' }

const NAME_FORMAT = 'metadata.name must be a DNS-1123 subdomain'
const DELAY_MIN = 'rayClusterDeletionDelaySeconds minimum: 0'
const ZONE_MIN = 'timeZone minLength: 1'

class Catalog {
  readonly variants: KindVariant[] = []
  private readonly ids = new Set<string>()
  constructor(readonly kind: CheckedKind) {}

  add(id: string, edits: Edit[], options: Options = {}): void {
    const full = `${this.kind} ${id}`
    if (this.ids.has(full)) throw new Error(`duplicate kind variant id: ${full}`)
    this.ids.add(full)
    const since = options.since && compareVersions(options.since, KIND_SINCE[this.kind]) > 0 ? options.since : KIND_SINCE[this.kind]
    this.variants.push({ id: full, kind: this.kind, object: from(BASE[this.kind], ...edits), ...options, since })
  }
}

/** Appends an env var to a container (a plain value, or from a Secret when value is undefined). */
const envOn =
  (container: string, envName: string, value?: string): Edit =>
  (job) => {
    const c = get(job, container) as Obj
    const list = (c.env as Obj[] | undefined) ?? []
    list.push(value === undefined ? { name: envName, valueFrom: { secretKeyRef: { name: 'redis', key: envName.toLowerCase() } } } : { name: envName, value })
    c.env = list
  }

function get(job: unknown, path: string): unknown {
  let node = job
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[/^\d+$/.test(key) ? Number(key) : key]
  return node
}

/** A handful of ValidateRayClusterSpec checks, under the kind's cluster path. */
function clusterChecks(c: Catalog): void {
  const C = CLUSTER_AT[c.kind]
  const head = `${C}.headGroupSpec`
  const headPod = `${head}.template.spec`
  const headContainer = `${headPod}.containers.0`
  const w0 = `${C}.workerGroupSpecs.0`
  const w0Pod = `${w0}.template.spec`
  const options = set(`${C}.gcsFaultToleranceOptions`, { redisAddress: 'redis:6379' })
  const autoscalerV2 = [set(`${C}.enableInTreeAutoscaling`, true), set(`${C}.autoscalerOptions.version`, 'v2')]

  c.add('head-no-containers trigger', [set(`${headPod}.containers`, [])])
  c.add('worker-no-containers trigger', [set(`${w0Pod}.containers`, [])])
  c.add('head-no-containers order: before worker-no-containers', [set(`${headPod}.containers`, []), set(`${w0Pod}.containers`, [])])
  c.add('worker-min-above-max trigger', [set(`${w0}.minReplicas`, 6)])
  c.add('worker-min-above-max near miss: min = max', [set(`${w0}.minReplicas`, 5)])
  c.add('worker-min-replicas-negative trigger', [set(`${w0}.minReplicas`, -1)])
  c.add('worker-max-replicas-negative trigger', [set(`${w0}.maxReplicas`, -1), set(`${w0}.minReplicas`, 0)])
  c.add('head-resources-twice trigger', [set(`${head}.rayStartParams.num-cpus`, '1'), set(`${head}.resources`, { cpu: '1' })], { since: '1.5.0' })
  c.add('worker-resources-twice trigger', [set(`${w0}.rayStartParams.num-gpus`, '1'), set(`${w0}.resources`, { GPU: '1' })], { since: '1.5.0' })
  c.add('worker-resources-twice near miss: resources only', [set(`${w0}.resources`, { GPU: '1' })], { since: '1.5.0' })
  c.add('head-labels-in-start-params trigger', [set(`${head}.rayStartParams.labels`, 'a=b')], { since: '1.5.0' })
  c.add('head-label-invalid trigger: bad key and value', [set(`${head}.labels`, { 'bad!': 'x', ok: 'bad/value' })], { since: '1.5.0' })
  c.add('worker-label-invalid trigger', [set(`${w0}.labels`, { 'a/b/c': 'x' })], { since: '1.5.0' })
  c.add('head-no-containers order: before worker-min-above-max', [set(`${headPod}.containers`, []), set(`${w0}.minReplicas`, 6)])
  c.add('worker-min-above-max order: before worker-resources-twice', [set(`${w0}.minReplicas`, 6), set(`${w0}.rayStartParams.num-cpus`, '1'), set(`${w0}.resources`, { cpu: '1' })], { since: '1.5.0' })

  c.add('redis-address-without-ft trigger', [envOn(headContainer, 'RAY_REDIS_ADDRESS', 'redis:6379')])
  c.add('redis-address-without-ft near miss: on a worker', [envOn(`${w0Pod}.containers.0`, 'RAY_REDIS_ADDRESS', 'redis:6379')])
  c.add('ft-annotation-and-options: annotation on the object', [annotate('ray.io/ft-enabled', 'true'), options], { since: '1.3.0' })
  c.add('ft-redis-password-param trigger', [options, set(`${head}.rayStartParams.redis-password`, 'secret')], { since: '1.3.0' })
  c.add('ft-redis-password-env trigger', [options, envOn(headContainer, 'REDIS_PASSWORD')], { since: '1.3.0' })
  c.add('ft-redis-address-env trigger', [options, envOn(headContainer, 'RAY_REDIS_ADDRESS', 'redis:6379')], { since: '1.3.0' })
  c.add('ft-storage-namespace-annotation: annotation on the object', [options, annotate('ray.io/external-storage-namespace', 'ns')], { since: '1.3.0' })
  c.add('redis-username-outside-options trigger', [set(`${head}.rayStartParams.redis-username`, 'user')])
  c.add('worker-suspend trigger: suspended worker group', [set(`${w0}.suspend`, true)], { since: '1.3.0' })
  c.add('autoscaler-v2-head-restart-policy trigger', [...autoscalerV2, set(`${headPod}.restartPolicy`, 'Always')], { since: '1.4.0' })
  c.add('autoscaler-v2-worker-restart-policy trigger', [...autoscalerV2, set(`${w0Pod}.restartPolicy`, 'OnFailure')], { since: '1.4.0' })
  c.add('autoscaler-idle-timeout-negative trigger', [...autoscalerV2, set(`${C}.autoscalerOptions.idleTimeoutSeconds`, -1)], { since: '1.4.0' })
  c.add('token-auth-ray-version trigger', [set(`${C}.authOptions.mode`, 'token'), set(`${C}.rayVersion`, '2.46.0')], { since: '1.5.0' })

  const since = '1.7.0'
  c.add('network-policy-gate-disabled gate', [set(`${C}.networkPolicy`, { mode: 'DenyAll' })], { since })
  c.add('tls-gate-disabled gate', [set(`${C}.tlsOptions`, { enabled: true })], { since })
  c.add('rocksdb-gate-disabled gate', [set(`${C}.gcsFaultToleranceOptions`, { backend: 'rocksdb' })], { since })
  c.add('rocksdb-with-redis-fields trigger', [set(`${C}.gcsFaultToleranceOptions`, { backend: 'rocksdb', redisAddress: 'x' })], { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
}

function rayCluster(c: Catalog): void {
  c.add('seed', [])
  for (const length of [1, 52, 53]) c.add(`raycluster-name-too-long near miss: ${length} characters`, [name('c'.repeat(length))])
  for (const length of [54, 63]) c.add(`raycluster-name-too-long trigger: ${length} characters`, [name('c'.repeat(length))])
  c.add('raycluster-name-too-long order: 54 digits is too long before it is a bad label', [name('1'.repeat(54))])
  c.add('raycluster-name-not-dns1035 trigger: starts with a digit', [name('1cluster')])
  c.add('raycluster-name-not-dns1035 trigger: contains a dot', [name('ray.cluster')])
  c.add('raycluster-name-not-dns1035 trigger: upper case', [name('RayCluster')], { apiServerRejects: NAME_FORMAT })
  // The API server names a generateName object <prefix cut to 58> + 5 random characters.
  for (const length of [48, 49]) c.add(`raycluster-name-too-long generateName of ${length} characters`, [unset('metadata.name'), set('metadata.generateName', `${'g'.repeat(length - 1)}-`)])
  c.add('raycluster-name-not-dns1035 trigger: generateName starting with a digit', [unset('metadata.name'), set('metadata.generateName', '1cluster-')])
  c.add('raycluster-name-too-long order: before the cluster spec', [name('c'.repeat(54)), set('spec.headGroupSpec.template.spec.containers', [])])

  const since = '1.6.0'
  for (const type of ['Recreate', 'None']) c.add(`raycluster-upgrade-type-invalid near miss: ${type}`, [set('spec.upgradeStrategy.type', type)], { since })
  for (const type of ['Bogus', 'recreate', '']) {
    c.add(`raycluster-upgrade-type-invalid trigger: ${JSON.stringify(type)}`, [set('spec.upgradeStrategy.type', type)], { since, apiServerRejects: 'upgradeStrategy.type enum: Recreate, None' })
  }
  c.add('raycluster-upgrade-type-invalid near miss: upgradeStrategy {}', [set('spec.upgradeStrategy', {})], { since })
  for (const crd of ['RayJob', 'RayService']) {
    c.add(`raycluster-upgrade-strategy-owned trigger: made by ${crd}`, [setLabel('ray.io/originated-from-crd', crd), set('spec.upgradeStrategy.type', 'Recreate')], { since })
  }
  c.add('raycluster-upgrade-strategy-owned near miss: made by RayCluster', [setLabel('ray.io/originated-from-crd', 'RayCluster'), set('spec.upgradeStrategy.type', 'None')], { since })
  c.add('raycluster-upgrade-strategy-owned near miss: made by RayJob, no upgradeStrategy', [setLabel('ray.io/originated-from-crd', 'RayJob')], { since })
  c.add('raycluster-upgrade-strategy-owned order: the invalid type first', [setLabel('ray.io/originated-from-crd', 'RayJob'), set('spec.upgradeStrategy.type', 'Bogus')], {
    since,
    apiServerRejects: 'upgradeStrategy.type enum: Recreate, None'
  })
  c.add('raycluster-upgrade-type-invalid order: the cluster spec first', [set('spec.upgradeStrategy.type', 'Bogus'), set('spec.headGroupSpec.template.spec.containers', [])], {
    since,
    apiServerRejects: 'upgradeStrategy.type enum: Recreate, None'
  })
  clusterChecks(c)
}

const setLabel = (key: string, value: string): Edit => (job) => {
  job.metadata.labels = { ...((job.metadata.labels as Obj | undefined) ?? {}), [key]: value }
}

function rayService(c: Catalog): void {
  c.add('seed', [])
  for (const length of [1, 46, 47]) c.add(`rayservice-name-too-long near miss: ${length} characters`, [name('s'.repeat(length))])
  for (const length of [48, 53]) c.add(`rayservice-name-too-long trigger: ${length} characters`, [name('s'.repeat(length))])
  c.add('rayservice-name-not-dns1035 trigger: starts with a digit', [name('1service')])
  c.add('rayservice-name-not-dns1035 trigger: contains a dot', [name('ray.service')])
  c.add('rayservice-name-not-dns1035 trigger: upper case', [name('RayService')], { apiServerRejects: NAME_FORMAT })
  for (const length of [42, 43]) c.add(`rayservice-name-too-long generateName of ${length} characters`, [unset('metadata.name'), set('metadata.generateName', `${'g'.repeat(length - 1)}-`)])
  c.add('rayservice-name-too-long order: before the initializing timeout', [name('s'.repeat(48)), annotate('ray.io/initializing-timeout', 'soon')])

  const timeout = (value: string): Edit => annotate('ray.io/initializing-timeout', value)
  for (const value of ['0', '0s', '-1', '-5m', '1.5h', '600', '+5m', '5', '5m', '1h30m', 'soon', '5 m', '1e3', '0x10', '', ' 5']) {
    c.add(`rayservice-initializing-timeout-invalid: ${JSON.stringify(value)}`, [timeout(value)])
  }
  c.add('rayservice-initializing-timeout-invalid order: before K8s token auth', [timeout('soon'), set('spec.rayClusterConfig.authOptions.enableK8sTokenAuth', true)], { since: '1.6.0' })

  c.add('rayservice-k8s-token-auth trigger', [set('spec.rayClusterConfig.authOptions.enableK8sTokenAuth', true)], { since: '1.6.0' })
  c.add('rayservice-k8s-token-auth near miss: false', [set('spec.rayClusterConfig.authOptions.enableK8sTokenAuth', false)], { since: '1.6.0' })
  c.add('rayservice-k8s-token-auth order: before the cluster spec', [set('spec.rayClusterConfig.authOptions.enableK8sTokenAuth', true), set('spec.rayClusterConfig.headGroupSpec.template.spec.containers', [])], { since: '1.6.0' })

  const headService = set('spec.rayClusterConfig.headGroupSpec.headService.metadata.name', 'my-head')
  c.add('rayservice-head-service-name trigger', [headService])
  c.add('rayservice-head-service-name near miss: headService without a name', [set('spec.rayClusterConfig.headGroupSpec.headService.metadata.labels', { a: 'b' })])
  c.add('rayservice-head-service-name order: the cluster spec first', [headService, set('spec.rayClusterConfig.headGroupSpec.template.spec.containers', [])])
  c.add('rayservice-head-service-name order: before the upgrade type', [headService, set('spec.upgradeStrategy.type', 'Bogus')], { since: '1.3.0' })

  for (const type of ['NewCluster', 'None']) c.add(`rayservice-upgrade-type-invalid near miss: ${type}`, [set('spec.upgradeStrategy.type', type)], { since: '1.3.0' })
  for (const type of ['Bogus', 'newcluster', '']) c.add(`rayservice-upgrade-type-invalid trigger: ${JSON.stringify(type)}`, [set('spec.upgradeStrategy.type', type)], { since: '1.3.0' })
  c.add('rayservice-upgrade-type-invalid order: before the deletion delay', [set('spec.upgradeStrategy.type', 'Bogus'), set('spec.rayClusterDeletionDelaySeconds', -1)], { since: '1.5.0', apiServerRejects: DELAY_MIN })

  c.add('rayservice-deletion-delay-negative trigger: -1', [set('spec.rayClusterDeletionDelaySeconds', -1)], { since: '1.5.0', apiServerRejects: DELAY_MIN })
  c.add('rayservice-deletion-delay-negative near miss: 0', [set('spec.rayClusterDeletionDelaySeconds', 0)], { since: '1.5.0' })

  // NewClusterWithIncrementalUpgrade: checked only with the RayServiceIncrementalUpgrade gate on (the test runs both).
  const since = '1.5.0'
  const incremental = set('spec.upgradeStrategy.type', 'NewClusterWithIncrementalUpgrade')
  const autoscale = set('spec.rayClusterConfig.enableInTreeAutoscaling', true)
  const good = { maxSurgePercent: 50, stepSizePercent: 25, intervalSeconds: 30, gatewayClassName: 'istio' }
  const opts = (fields: Obj): Edit => set('spec.upgradeStrategy.clusterUpgradeOptions', fields)
  const without = (field: string): Obj => Object.fromEntries(Object.entries(good).filter(([k]) => k !== field))
  c.add('incremental: valid options', [incremental, autoscale, opts(good)], { since })
  c.add('rayservice-incremental-needs-autoscaler trigger', [incremental, opts(good)], { since })
  c.add('rayservice-incremental-needs-autoscaler order: before the missing options', [incremental], { since })
  c.add('rayservice-incremental-options-missing trigger', [incremental, autoscale], { since })
  for (const field of Object.keys(good)) {
    c.add(`incremental: ${field} missing`, [incremental, autoscale, opts(without(field))], { since, ...(field === 'maxSurgePercent' ? {} : { apiServerRejects: `clusterUpgradeOptions.${field} is required` }) })
  }
  for (const [field, values] of [
    ['maxSurgePercent', [-1, 0, 100, 101]],
    ['stepSizePercent', [-1, 0, 50, 100, 101]],
    ['intervalSeconds', [-1, 0, 1]]
  ] as const) {
    for (const value of values) {
      c.add(`incremental: ${field} ${value}`, [incremental, autoscale, opts({ ...good, [field]: value })], { since })
    }
  }
  c.add('incremental: gatewayClassName ""', [incremental, autoscale, opts({ ...good, gatewayClassName: '' })], { since })
  c.add('rayservice-step-above-max-surge trigger: step 60 above surge 50', [incremental, autoscale, opts({ ...good, stepSizePercent: 60 })], { since })
  c.add('rayservice-step-above-max-surge near miss: step = surge', [incremental, autoscale, opts({ ...good, stepSizePercent: 50 })], { since })
  c.add('incremental order: step above surge, then interval 0', [incremental, autoscale, opts({ ...good, stepSizePercent: 60, intervalSeconds: 0 })], { since })
  c.add('incremental order: surge 101 before step 101', [incremental, autoscale, opts({ ...good, maxSurgePercent: 101, stepSizePercent: 101 })], { since })
  c.add('incremental order: all options out of range', [incremental, autoscale, opts({ maxSurgePercent: -1, stepSizePercent: -1, intervalSeconds: 0 })], { since, apiServerRejects: 'clusterUpgradeOptions.gatewayClassName is required' })
  c.add('incremental order: deletion delay before the options', [incremental, set('spec.rayClusterDeletionDelaySeconds', -1)], { since, apiServerRejects: DELAY_MIN })
  clusterChecks(c)
}

function rayCronJob(c: Catalog): void {
  c.add('seed', [])
  for (const length of [1, 35, 36]) c.add(`raycronjob-name-too-long near miss: ${length} characters`, [name('j'.repeat(length))])
  for (const length of [37, 47]) c.add(`raycronjob-name-too-long trigger: ${length} characters`, [name('j'.repeat(length))])
  c.add('raycronjob-name-too-long: 1cronjob (no DNS-1035 check)', [name('1cronjob')])
  c.add('raycronjob-name-too-long order: before the schedule', [name('j'.repeat(37)), set('spec.schedule', 'a * * * *')])

  const schedule = (value: string): Edit => set('spec.schedule', value)
  const schedules = [
    '0 3 * * *',
    '@every 1h',
    '@weekly',
    '@daily',
    '@yearly',
    '@reboot',
    '@every 0s',
    '@every',
    '*/0 * * * *',
    '0-70 * * * *',
    'a * * * *',
    '1-2-3 * * * *',
    '* * * * 7',
    '* * * * MON-FRI',
    '* * * JAN *',
    '0 0 1,15 * *',
    '? * * * *',
    '* * *',
    '* * * * * *',
    'TZ=UTC * * * * *',
    'CRON_TZ=Europe/Paris 0 3 * * *',
    'TZ=Mars/Base 0 3 * * *',
    ' * * * * * ',
    '*  *  * * *',
    '',
    '5-1 * * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *'
  ]
  for (const value of schedules) c.add(`raycronjob-schedule: ${JSON.stringify(value)}`, [schedule(value)])
  c.add('raycronjob-schedule-invalid: schedule missing', [unset('spec.schedule')], { apiServerRejects: 'spec.schedule is required' })

  const zone = (value: string): Edit => set('spec.timeZone', value)
  for (const value of ['UTC', 'Local', 'America/New_York', 'america/new_york', 'Mars/Base', '../etc', '', 'Etc/GMT+5', 'EST', 'utc', '/etc/passwd']) {
    c.add(`raycronjob-time-zone: ${JSON.stringify(value)}`, [zone(value)], { since: '1.7.0', ...(value === '' ? { apiServerRejects: ZONE_MIN } : {}) })
  }
  c.add('raycronjob-schedule-time-zone order: TZ before the schedule parse', [schedule('TZ=UTC a * * * *')])
  c.add('raycronjob-schedule-invalid order: before the time zone', [schedule('a * * * *'), zone('')], { since: '1.7.0', apiServerRejects: ZONE_MIN })
  c.add('raycronjob-time-zone-empty order: before the template', [zone(''), set('spec.jobTemplate.suspend', true), set('spec.jobTemplate.shutdownAfterJobFinishes', false)], { since: '1.7.0', apiServerRejects: ZONE_MIN })
  c.add('raycronjob-schedule-invalid order: before the template', [schedule('* * *'), set('spec.jobTemplate.suspend', true), set('spec.jobTemplate.shutdownAfterJobFinishes', false)])

  // RayJob spec checks in spec.jobTemplate (KubeRay wraps them: "invalid RayJob template: ...").
  const T = 'spec.jobTemplate'
  c.add('template suspend-requires-shutdown trigger', [set(`${T}.suspend`, true), set(`${T}.shutdownAfterJobFinishes`, false)])
  c.add('template suspend-requires-shutdown near miss: with shutdown', [set(`${T}.suspend`, true)])
  c.add('template ttl-negative trigger', [set(`${T}.ttlSecondsAfterFinished`, -1)])
  c.add('template ttl-without-shutdown trigger', [set(`${T}.ttlSecondsAfterFinished`, 10), set(`${T}.shutdownAfterJobFinishes`, false)])
  c.add('template backoff-limit-negative trigger', [set(`${T}.backoffLimit`, -1)])
  c.add('template backoff-limit near miss: 0', [set(`${T}.backoffLimit`, 0)])
  c.add('template selector-with-suspend trigger', [set(`${T}.clusterSelector`, { 'ray.io/cluster': 'c' }), set(`${T}.suspend`, true)])
  c.add('template selector near miss: clusterSelector with the cluster spec', [set(`${T}.clusterSelector`, { 'ray.io/cluster': 'c' })])
  c.add('template cluster-spec-or-selector trigger: no cluster spec', [unset(`${T}.rayClusterSpec`)])
  c.add('template runtime-env-yaml-invalid trigger: not YAML', [set(`${T}.runtimeEnvYAML`, 'pip: [a')])
  c.add('template runtime-env-yaml-invalid trigger: a list', [set(`${T}.runtimeEnvYAML`, '- a\n- b')])
  c.add('template runtime-env-yaml near miss: a mapping', [set(`${T}.runtimeEnvYAML`, 'pip:\n  - requests\n')])
  c.add('template active-deadline-not-positive trigger', [set(`${T}.activeDeadlineSeconds`, 0)])
  c.add('template interactive-with-backoff-limit trigger', [set(`${T}.submissionMode`, 'InteractiveMode'), set(`${T}.backoffLimit`, 1)])
  const rulesOk = set(`${T}.deletionStrategy`, { deletionRules: [{ policy: 'DeleteCluster', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 10 } }] })
  c.add('template deletion rules without shutdown (gate decides)', [rulesOk, set(`${T}.shutdownAfterJobFinishes`, false)])
  c.add('template deletion-rules-with-shutdown trigger', [rulesOk])
  c.add('template deletion-rule-duplicate-job-status trigger', [
    set(`${T}.shutdownAfterJobFinishes`, false),
    set(`${T}.deletionStrategy`, {
      deletionRules: [
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 20 } },
        { policy: 'DeleteSelf', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 5 } },
        { policy: 'DeleteWorkers', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 9 } }
      ]
    })
  ])
  c.add('template legacy deletion policies with shutdown', [set(`${T}.deletionStrategy`, { onSuccess: { policy: 'DeleteCluster' }, onFailure: { policy: 'DeleteNone' } })])
  c.add('template suspend-requires-shutdown order: before ttl-negative', [set(`${T}.suspend`, true), set(`${T}.shutdownAfterJobFinishes`, false), set(`${T}.ttlSecondsAfterFinished`, -1)])
  c.add('template ttl-negative order: before the cluster spec', [set(`${T}.ttlSecondsAfterFinished`, -1), set(`${T}.rayClusterSpec.headGroupSpec.template.spec.containers`, [])])
  c.add('template cluster spec order: before backoffLimit', [set(`${T}.backoffLimit`, -1), set(`${T}.rayClusterSpec.headGroupSpec.template.spec.containers`, [])])
  clusterChecks(c)
}

export function generateKindVariants(): KindVariant[] {
  const out: KindVariant[] = []
  for (const [kind, build] of [
    ['RayCluster', rayCluster],
    ['RayService', rayService],
    ['RayCronJob', rayCronJob]
  ] as const) {
    const c = new Catalog(kind)
    build(c)
    out.push(...c.variants)
  }
  return out
}
