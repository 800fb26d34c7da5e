// The conformance variants: real KubeRay manifests with a few fields changed so that each KubeRay
// rule fires (trigger), only just does not (near miss), or fires together with another rule so that
// the order KubeRay checks them in decides what it reports (order). The test feeds every variant to
// KubeRay's own validator and to the linter and requires the same verdict and message, for every
// release the variant's fields exist in: a "trigger" of a rule a release does not have yet is a
// near miss there.
//
// Reference: shared/reference/kuberay-rayjob.md §1–§4 (rule ids M*, S*, D*, L*, R*, C* below).
import { compareVersions } from '../../src/lint/versions.js'
import type { KubeRayVersion } from '../../src/lint/versions.js'
import {
  addWorkerGroup,
  annotate,
  autoscalerVersion,
  autoscaling,
  CLUSTER,
  env,
  from,
  HEAD,
  HEAD_CONTAINER,
  HEAD_POD,
  mode,
  name,
  seed,
  selector,
  set,
  spec,
  unset,
  worker,
  workerPod
} from './jobs.js'
import type { Edit, Job } from './jobs.js'

export interface Variant {
  /** What it tests: "<rule> <trigger|near miss|order|...>: <how>". */
  id: string
  job: Job
  /** First KubeRay release whose CRD has every field the variant sets (older ones would prune them). */
  since?: KubeRayVersion
  /** First KubeRay release whose CRD no longer has them. */
  until?: KubeRayVersion
  /** Run only with these operator feature gates (by default: with every gate setting the test uses). */
  gates?: Record<string, boolean>
  /**
   * Why the API server would refuse the object before KubeRay sees it (a CEL rule, a minimum, the
   * name format). KubeRay's validator still judges it (clusters without CEL, RayCronJob templates),
   * so it stays in; only the "no schema findings" check is skipped for it.
   */
  apiServerRejects?: string
}

type Options = Omit<Variant, 'id' | 'job'>

/** RayJob spec fields younger than the oldest release checked: a variant that sets one starts there. */
const SPEC_FIELD_SINCE: Record<string, KubeRayVersion> = {
  backoffLimit: '1.2.0',
  submitterConfig: '1.2.0',
  deletionPolicy: '1.3.0',
  deletionStrategy: '1.5.0',
  preRunningDeadlineSeconds: '1.6.0'
}

/** The first release whose CRD takes the job's spec fields (the explicit `since` may ask for a later one). */
function firstRelease(job: Job, since: KubeRayVersion | undefined): KubeRayVersion | undefined {
  const needed: KubeRayVersion[] = Object.keys(job.spec).flatMap((field) => (SPEC_FIELD_SINCE[field] ? [SPEC_FIELD_SINCE[field]] : []))
  // The v1 CRD required spec.entrypoint until 1.2.2.
  if (job.spec.entrypoint === undefined) needed.push('1.2.2')
  if (since) needed.push(since)
  return needed.sort((a, b) => compareVersions(b, a))[0]
}

class Catalog {
  readonly variants: Variant[] = []
  private readonly ids = new Set<string>()

  add(id: string, job: Job, options: Options = {}): void {
    if (this.ids.has(id)) throw new Error(`duplicate variant id: ${id}`)
    this.ids.add(id)
    this.variants.push({ id, job, ...options, since: firstRelease(job, options.since) })
  }
}

const CEL_DELETION_STRATEGY = 'deletionStrategy CEL: BOTH onSuccess and onFailure, OR deletionRules'
const CEL_LEGACY_AND_RULES = 'deletionStrategy CEL: legacy policies and deletionRules cannot be used together'
const CEL_CONDITION = 'deletion condition CEL: exactly one of jobStatus / jobDeploymentStatus'
const MIN_ITEMS = 'deletionRules minItems: 1'
const NAME_FORMAT = 'metadata.name must be a DNS-1123 subdomain'

/** Seeds: real manifests of KubeRay v1.7.0 (see fixtures/NOTICE). */
const SAMPLE = seed('ray-operator_config_samples_ray-job.sample')
const EXISTING_CLUSTER = seed('ray-operator_config_samples_ray-job.use-existing-raycluster')
const INTERACTIVE = seed('ray-operator_config_samples_ray-job.interactive-mode')
const SIDECAR = seed('ray-operator_config_samples_ray-job.sidecar-mode')
const DELETION_RULES = seed('ray-operator_config_samples_ray-job.deletion-rules')
const SHUTDOWN = seed('ray-operator_config_samples_ray-job.shutdown')
const LIGHT_SUBMITTER = seed('ray-operator_config_samples_ray-job.light-weight-submitter')

const SUBMITTER_TEMPLATE = { spec: { restartPolicy: 'Never', containers: [{ name: 'submitter', image: 'rayproject/ray:2.52.0' }] } }
const GCS_FT = { redisAddress: 'redis:6379' }
const shutdown = (on = true): Edit => set('spec.shutdownAfterJobFinishes', on)
const rules = (...list: unknown[]): Edit => set('spec.deletionStrategy', { deletionRules: list })
const rule = (policy: string, condition: Record<string, unknown>): Record<string, unknown> => ({ policy, condition })
const onStatus = (policy: string, jobStatus: string, ttlSeconds?: number): Record<string, unknown> =>
  rule(policy, ttlSeconds === undefined ? { jobStatus } : { jobStatus, ttlSeconds })
const onDeployment = (policy: string, ttlSeconds?: number): Record<string, unknown> =>
  rule(policy, ttlSeconds === undefined ? { jobDeploymentStatus: 'Failed' } : { jobDeploymentStatus: 'Failed', ttlSeconds })
const legacy = (onSuccess?: string | null, onFailure?: string | null): Edit =>
  set('spec.deletionStrategy', {
    ...(onSuccess !== undefined ? { onSuccess: onSuccess === null ? {} : { policy: onSuccess } } : {}),
    ...(onFailure !== undefined ? { onFailure: onFailure === null ? {} : { policy: onFailure } } : {})
  })
/** A RayJob that runs on an existing cluster AND carries a cluster spec (KubeRay validates both). */
const selectorWithClusterSpec = (...edits: Edit[]): Job => from(SAMPLE, selector(), ...edits)

export function generateVariants(): Variant[] {
  const c = new Catalog()
  seeds(c)
  metadata(c)
  suspendAndTtl(c)
  deletionStrategy(c)
  legacyDeletionPolicy(c)
  selectorAndModes(c)
  runtimeEnvAndDeadlines(c)
  integerBoundaries(c)
  clusterSpec(c)
  workerLoop(c)
  faultTolerance(c)
  autoscaler(c)
  auth(c)
  kuberay17(c)
  firstErrorWins(c)
  return c.variants
}

/** The seeds themselves (valid). */
function seeds(c: Catalog): void {
  c.add('seed: ray-job.sample', SAMPLE)
  c.add('seed: ray-job.use-existing-raycluster', EXISTING_CLUSTER)
  c.add('seed: ray-job.interactive-mode', INTERACTIVE)
  c.add('seed: ray-job.sidecar-mode', SIDECAR)
  c.add('seed: ray-job.deletion-rules', DELETION_RULES, { since: '1.5.0' })
  c.add('seed: ray-job.shutdown', SHUTDOWN)
  c.add('seed: ray-job.light-weight-submitter', LIGHT_SUBMITTER)
}

function metadata(c: Catalog): void {
  for (const length of [1, 2, 46, 47]) c.add(`M1 near miss: name of ${length} characters`, from(SAMPLE, name('j'.repeat(length))))
  for (const length of [48, 49, 53, 63, 64, 100]) c.add(`M1 trigger: name of ${length} characters`, from(SAMPLE, name('j'.repeat(length))))
  c.add('M1 near miss: 47 characters with dashes', from(SAMPLE, name(`a-${'b'.repeat(43)}-c`)))
  c.add('M1 order: 48 digits is too long before it is a bad label', from(SAMPLE, name('1'.repeat(48))))
  c.add('M2 trigger: 47 digits (KubeRay unit test)', from(SAMPLE, name('1'.repeat(47))))
  c.add('M2 trigger: starts with a digit', from(SAMPLE, name('1rayjob')))
  c.add('M2 trigger: contains a dot', from(SAMPLE, name('rayjob.sample')))
  c.add('M2 trigger: ends with a dash', from(SAMPLE, name('rayjob-')), { apiServerRejects: NAME_FORMAT })
  c.add('M2 trigger: upper case', from(SAMPLE, name('RayJob')), { apiServerRejects: NAME_FORMAT })
  c.add('M2 trigger: underscore', from(SAMPLE, name('ray_job')), { apiServerRejects: NAME_FORMAT })
  for (const ok of ['a', 'a1', 'a-1', 'ray-job-2']) c.add(`M2 near miss: ${ok}`, from(SAMPLE, name(ok)))
  // The API server names a generateName object <prefix cut to 58> + 5 random [a-z0-9]: KubeRay checks that name.
  for (const length of [41, 42]) c.add(`M1 near miss: generateName of ${length} characters`, from(SAMPLE, unset('metadata.name'), set('metadata.generateName', `${'g'.repeat(length - 1)}-`)))
  for (const length of [43, 58, 70]) c.add(`M1 trigger: generateName of ${length} characters`, from(SAMPLE, unset('metadata.name'), set('metadata.generateName', `${'g'.repeat(length - 1)}-`)))
  c.add('M2 trigger: generateName starting with a digit', from(SAMPLE, unset('metadata.name'), set('metadata.generateName', '1job-')))
  c.add('M2 trigger: generateName with a dot', from(SAMPLE, unset('metadata.name'), set('metadata.generateName', 'ray.job-')))
  c.add('M2 near miss: generateName without a trailing dash', from(SAMPLE, unset('metadata.name'), set('metadata.generateName', 'rayjob')))
  c.add('M1 near miss: name wins over a long generateName', from(SAMPLE, set('metadata.generateName', `${'g'.repeat(60)}-`)))
  c.add('M1 order: metadata before spec (long name, suspend without shutdown)', from(SAMPLE, name('j'.repeat(48)), spec({ suspend: true })))
  c.add('M2 order: metadata before spec (bad name, no cluster)', from(SAMPLE, name('1job'), unset(CLUSTER)))
}

function suspendAndTtl(c: Catalog): void {
  c.add('S1 trigger: suspend, shutdownAfterJobFinishes unset', from(SAMPLE, spec({ suspend: true })))
  c.add('S1 trigger: suspend, shutdownAfterJobFinishes false', from(SAMPLE, spec({ suspend: true, shutdownAfterJobFinishes: false })))
  c.add('S1 trigger: suspend, shutdownAfterJobFinishes null', from(SAMPLE, spec({ suspend: true, shutdownAfterJobFinishes: null })))
  c.add('S1 near miss: suspend with shutdownAfterJobFinishes', from(SAMPLE, spec({ suspend: true, shutdownAfterJobFinishes: true })))
  c.add('S1 near miss: suspend false without shutdown', from(SAMPLE, spec({ suspend: false, shutdownAfterJobFinishes: false })))
  c.add('S1 near miss: suspend null', from(SAMPLE, spec({ suspend: null })))
  c.add('S1 order: before D1 (suspend, no shutdown, ttl 10)', from(SAMPLE, spec({ suspend: true, ttlSecondsAfterFinished: 10 })))
  c.add('S1 order: before S2 (suspend, no shutdown, ttl -1)', from(SAMPLE, spec({ suspend: true, ttlSecondsAfterFinished: -1 })))
  c.add('S1 near miss: kueue toy sample (suspended, shutdown)', seed('ray-operator_config_samples_ray-job.kueue-toy-sample'))

  c.add('S2 trigger: ttl -1 with shutdown', from(SHUTDOWN, spec({ ttlSecondsAfterFinished: -1 })))
  c.add('S2 trigger: ttl -1 without shutdown', from(SAMPLE, spec({ ttlSecondsAfterFinished: -1 })))
  c.add('S2 near miss: ttl 0 without shutdown', from(SAMPLE, spec({ ttlSecondsAfterFinished: 0 })))
  c.add('S2 near miss: ttl null', from(SAMPLE, spec({ ttlSecondsAfterFinished: null })))

  c.add('D1 trigger: ttl 10, shutdownAfterJobFinishes unset', from(SAMPLE, spec({ ttlSecondsAfterFinished: 10 })))
  c.add('D1 trigger: ttl 1, shutdownAfterJobFinishes false', from(SAMPLE, spec({ ttlSecondsAfterFinished: 1, shutdownAfterJobFinishes: false })))
  c.add('D1 near miss: ttl 10 with shutdown (shutdown sample)', SHUTDOWN)
  c.add('D1 near miss: ttl 0, shutdown false', from(SAMPLE, spec({ ttlSecondsAfterFinished: 0, shutdownAfterJobFinishes: false })))
  c.add('D1 order: before the deletionStrategy gate (ttl, no shutdown, rules)', from(DELETION_RULES, spec({ ttlSecondsAfterFinished: 5 })), { since: '1.5.0' })
}

function deletionStrategy(c: Catalog): void {
  const since = '1.5.0'
  // D2: every deletionStrategy needs the RayJobDeletionPolicy gate; the test runs each with the gate on and off.
  c.add('D2 gate: deletionRules sample', DELETION_RULES, { since })
  c.add('D2 gate: legacy DeleteCluster/DeleteCluster with shutdown', from(SAMPLE, shutdown(), legacy('DeleteCluster', 'DeleteCluster')), { since })
  c.add('D2 gate: legacy DeleteSelf/DeleteNone without shutdown', from(SAMPLE, legacy('DeleteSelf', 'DeleteNone')), { since })
  c.add('D2 near miss: deletionStrategy null is pruned', from(SAMPLE, spec({ deletionStrategy: null })), { since })

  c.add('D3 trigger: deletionRules with shutdown', from(DELETION_RULES, shutdown()), { since })
  c.add('D3 near miss: deletionRules with shutdown false', from(DELETION_RULES, shutdown(false)), { since })
  c.add('D3 order: before D4 (rules, legacy, shutdown)', from(DELETION_RULES, shutdown(), set('spec.deletionStrategy.onSuccess', { policy: 'DeleteCluster' })), {
    since,
    apiServerRejects: CEL_LEGACY_AND_RULES
  })
  c.add('D4 trigger: deletionRules with onSuccess', from(DELETION_RULES, set('spec.deletionStrategy.onSuccess', { policy: 'DeleteCluster' })), {
    since,
    apiServerRejects: CEL_LEGACY_AND_RULES
  })
  c.add(
    'D4 trigger: deletionRules with onSuccess and onFailure',
    from(DELETION_RULES, set('spec.deletionStrategy.onSuccess', { policy: 'DeleteSelf' }), set('spec.deletionStrategy.onFailure', { policy: 'DeleteSelf' })),
    { since, apiServerRejects: CEL_LEGACY_AND_RULES }
  )
  c.add('D5 trigger: deletionStrategy {}', from(SAMPLE, spec({ deletionStrategy: {} })), { since, apiServerRejects: CEL_DELETION_STRATEGY })
  c.add('D5 trigger: deletionRules []', from(SAMPLE, spec({ deletionStrategy: { deletionRules: [] } })), { since, apiServerRejects: MIN_ITEMS })
  c.add('D5 trigger: deletionRules null', from(SAMPLE, spec({ deletionStrategy: { deletionRules: null } })), { since, apiServerRejects: CEL_DELETION_STRATEGY })

  c.add('L1 trigger: onSuccess only', from(SAMPLE, legacy('DeleteCluster')), { since, apiServerRejects: CEL_DELETION_STRATEGY })
  c.add('L1 trigger: onFailure only', from(SAMPLE, legacy(undefined, 'DeleteSelf')), { since, apiServerRejects: CEL_DELETION_STRATEGY })
  c.add('L1 trigger: onSuccess null is pruned', from(SAMPLE, legacy('DeleteSelf', 'DeleteSelf'), set('spec.deletionStrategy.onSuccess', null)), { since, apiServerRejects: CEL_DELETION_STRATEGY })
  c.add('L2 trigger: onSuccess.policy null', from(SAMPLE, legacy('DeleteSelf', 'DeleteSelf'), set('spec.deletionStrategy.onSuccess.policy', null)), { since })
  c.add('L2 trigger: onSuccess without policy', from(SAMPLE, legacy(null, 'DeleteCluster')), { since })
  c.add('L2 order: before L3 (both without policy)', from(SAMPLE, legacy(null, null)), { since })
  c.add('L3 trigger: onFailure without policy', from(SAMPLE, legacy('DeleteSelf', null)), { since })
  for (const policy of ['DeleteCluster', 'DeleteWorkers']) {
    c.add(`L4 trigger: clusterSelector, onSuccess ${policy}`, from(EXISTING_CLUSTER, legacy(policy, 'DeleteSelf')), { since })
    c.add(`L5 trigger: clusterSelector, onFailure ${policy}`, from(EXISTING_CLUSTER, legacy('DeleteSelf', policy)), { since })
  }
  c.add('L4 order: before L5 (clusterSelector, DeleteWorkers/DeleteCluster)', from(EXISTING_CLUSTER, legacy('DeleteWorkers', 'DeleteCluster')), { since })
  c.add('L4 near miss: clusterSelector, DeleteSelf/DeleteNone', from(EXISTING_CLUSTER, legacy('DeleteSelf', 'DeleteNone')), { since })
  c.add('L4 near miss: clusterSelector, DeleteNone/DeleteNone', from(EXISTING_CLUSTER, legacy('DeleteNone', 'DeleteNone')), { since })
  c.add('L6 trigger: autoscaling, onSuccess DeleteWorkers', from(SAMPLE, autoscaling(), legacy('DeleteWorkers', 'DeleteCluster')), { since })
  c.add('L6 trigger: autoscaling, onFailure DeleteWorkers', from(SAMPLE, autoscaling(), legacy('DeleteCluster', 'DeleteWorkers')), { since })
  c.add('L6 near miss: DeleteWorkers without autoscaling', from(SAMPLE, autoscaling(false), legacy('DeleteWorkers', 'DeleteWorkers')), { since })
  c.add('L6 near miss: autoscaling with DeleteCluster', from(SAMPLE, autoscaling(), legacy('DeleteCluster', 'DeleteSelf')), { since })
  c.add('L4 order: before L6 (selector + autoscaling cluster spec, DeleteWorkers)', selectorWithClusterSpec(autoscaling(), legacy('DeleteWorkers', 'DeleteSelf')), { since })
  c.add('L7 trigger: shutdown, onSuccess DeleteNone', from(SAMPLE, shutdown(), legacy('DeleteNone', 'DeleteCluster')), { since })
  c.add('L7 trigger: shutdown, onFailure DeleteNone', from(SAMPLE, shutdown(), legacy('DeleteSelf', 'DeleteNone')), { since })
  c.add('L7 near miss: DeleteNone without shutdown', from(SAMPLE, legacy('DeleteNone', 'DeleteNone')), { since })
  c.add('L6 order: before L7 (autoscaling, shutdown, DeleteWorkers/DeleteNone)', from(SAMPLE, autoscaling(), shutdown(), legacy('DeleteWorkers', 'DeleteNone')), { since })
  c.add('L2 order: before L4 (selector, onSuccess without policy)', from(EXISTING_CLUSTER, legacy(null, 'DeleteCluster')), { since })

  // deletionRules (R1–R8): errors of every rule are joined.
  const since16 = '1.6.0'
  c.add('R1 trigger: jobStatus and jobDeploymentStatus', from(SAMPLE, rules(rule('DeleteSelf', { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' }))), {
    since: since16,
    apiServerRejects: CEL_CONDITION
  })
  c.add('R2 trigger: empty condition', from(SAMPLE, rules(rule('DeleteSelf', { ttlSeconds: 5 }))), { since: since16, apiServerRejects: CEL_CONDITION })
  c.add('R3 trigger: ttlSeconds -1', from(SAMPLE, rules(onStatus('DeleteSelf', 'SUCCEEDED', -1))), { since, apiServerRejects: 'ttlSeconds minimum: 0' })
  c.add('R3 near miss: ttlSeconds 0', from(SAMPLE, rules(onStatus('DeleteSelf', 'SUCCEEDED', 0))), { since })
  for (const policy of ['DeleteCluster', 'DeleteWorkers']) {
    c.add(`R4 trigger: clusterSelector, ${policy}`, from(EXISTING_CLUSTER, rules(onStatus(policy, 'SUCCEEDED', 10))), { since })
  }
  for (const policy of ['DeleteSelf', 'DeleteNone']) c.add(`R4 near miss: clusterSelector, ${policy}`, from(EXISTING_CLUSTER, rules(onStatus(policy, 'FAILED', 10))), { since })
  c.add(
    'R4 joined: two cluster-deleting rules under clusterSelector, no duplicate reported for skipped rules',
    from(EXISTING_CLUSTER, rules(onStatus('DeleteCluster', 'SUCCEEDED'), onStatus('DeleteCluster', 'SUCCEEDED'), onStatus('DeleteSelf', 'SUCCEEDED'))),
    { since }
  )
  c.add('R5 trigger: autoscaling, DeleteWorkers', from(SAMPLE, autoscaling(), rules(onStatus('DeleteWorkers', 'FAILED', 10))), { since })
  c.add('R5 near miss: autoscaling, DeleteCluster', from(SAMPLE, autoscaling(), rules(onStatus('DeleteCluster', 'FAILED', 10))), { since })
  c.add('R5 near miss: DeleteWorkers, autoscaling false', from(SAMPLE, autoscaling(false), rules(onStatus('DeleteWorkers', 'FAILED', 10))), { since })
  c.add('R4 order: before R5 (selector + autoscaling cluster spec, DeleteWorkers)', selectorWithClusterSpec(autoscaling(), rules(onStatus('DeleteWorkers', 'FAILED'))), { since })
  c.add('R6 trigger: duplicate DeleteSelf on SUCCEEDED', from(SAMPLE, rules(onStatus('DeleteSelf', 'SUCCEEDED', 10), onStatus('DeleteSelf', 'SUCCEEDED', 20))), { since })
  c.add('R6 near miss: same policy, other status', from(SAMPLE, rules(onStatus('DeleteSelf', 'SUCCEEDED', 10), onStatus('DeleteSelf', 'FAILED', 10))), { since })
  c.add('R6 near miss: same status, other policy', from(SAMPLE, rules(onStatus('DeleteCluster', 'SUCCEEDED', 10), onStatus('DeleteSelf', 'SUCCEEDED', 10))), { since })
  c.add('R6 trigger: three of a kind', from(SAMPLE, rules(onStatus('DeleteNone', 'FAILED'), onStatus('DeleteNone', 'FAILED'), onStatus('DeleteNone', 'FAILED'))), { since })
  c.add('R7 trigger: duplicate DeleteCluster on Failed deployment', from(SAMPLE, rules(onDeployment('DeleteCluster', 10), onDeployment('DeleteCluster', 20))), { since: since16 })
  c.add('R7 near miss: same policy on jobStatus FAILED and deployment Failed', from(SAMPLE, rules(onStatus('DeleteCluster', 'FAILED', 10), onDeployment('DeleteCluster', 10))), {
    since: since16
  })
  c.add('R8 trigger: DeleteCluster 10 < DeleteWorkers 20', from(SAMPLE, rules(onStatus('DeleteWorkers', 'SUCCEEDED', 20), onStatus('DeleteCluster', 'SUCCEEDED', 10))), { since })
  c.add('R8 trigger: DeleteSelf 10 < DeleteCluster 20', from(SAMPLE, rules(onStatus('DeleteCluster', 'SUCCEEDED', 20), onStatus('DeleteSelf', 'SUCCEEDED', 10))), { since })
  c.add('R8 trigger: DeleteSelf 20 < DeleteWorkers 30 (no DeleteCluster)', from(SAMPLE, rules(onStatus('DeleteWorkers', 'FAILED', 30), onStatus('DeleteSelf', 'FAILED', 20))), { since })
  c.add('R8 near miss: equal TTLs', from(SAMPLE, rules(onStatus('DeleteWorkers', 'FAILED', 30), onStatus('DeleteCluster', 'FAILED', 30), onStatus('DeleteSelf', 'FAILED', 30))), { since })
  c.add('R8 near miss: DeleteNone is ignored', from(SAMPLE, rules(onStatus('DeleteNone', 'FAILED', 100), onStatus('DeleteSelf', 'FAILED', 0))), { since })
  c.add('R8 near miss: TTL defaults to 0 everywhere', from(SAMPLE, rules(onStatus('DeleteWorkers', 'FAILED'), onStatus('DeleteCluster', 'FAILED'), onStatus('DeleteSelf', 'FAILED'))), { since })
  c.add('R8 near miss: KubeRay unit test "valid complex deletionRules"', from(SAMPLE, rules(
    onStatus('DeleteWorkers', 'SUCCEEDED', 10), onStatus('DeleteCluster', 'SUCCEEDED', 20), onStatus('DeleteSelf', 'SUCCEEDED', 30), onStatus('DeleteSelf', 'FAILED', 0)
  )), { since })
  c.add('R8 joined: two steps out of order for one status', from(SAMPLE, rules(onStatus('DeleteWorkers', 'SUCCEEDED', 30), onStatus('DeleteCluster', 'SUCCEEDED', 20), onStatus('DeleteSelf', 'SUCCEEDED', 10))), { since })
  c.add('R8 joined: both statuses out of order', from(SAMPLE, rules(
    onStatus('DeleteWorkers', 'SUCCEEDED', 30), onStatus('DeleteCluster', 'SUCCEEDED', 20), onStatus('DeleteWorkers', 'FAILED', 30), onStatus('DeleteSelf', 'FAILED', 5)
  )), { since })
  c.add('R8 trigger: deployment Failed, DeleteCluster 10 < DeleteWorkers 20', from(SAMPLE, rules(onDeployment('DeleteWorkers', 20), onDeployment('DeleteCluster', 10))), { since: since16 })
  c.add('R8 near miss: jobStatus and deployment TTLs are ordered separately', from(SAMPLE, rules(onStatus('DeleteWorkers', 'FAILED', 50), onDeployment('DeleteCluster', 10))), { since: since16 })
  c.add('R8 near miss: a duplicate is left out of the TTL order', from(SAMPLE, rules(onStatus('DeleteCluster', 'FAILED', 10), onStatus('DeleteCluster', 'FAILED', 1), onStatus('DeleteSelf', 'FAILED', 5))), { since })
  c.add('R joined: negative TTL, duplicate and TTL order in one list', from(SAMPLE, rules(
    onStatus('DeleteSelf', 'FAILED', -1), onStatus('DeleteCluster', 'SUCCEEDED', 10), onStatus('DeleteCluster', 'SUCCEEDED', 10), onStatus('DeleteSelf', 'SUCCEEDED', 5)
  )), { since, apiServerRejects: 'ttlSeconds minimum: 0' })
  c.add('R joined: autoscaling DeleteWorkers rule is skipped for TTL order', from(SAMPLE, autoscaling(), rules(onStatus('DeleteWorkers', 'FAILED', 100), onStatus('DeleteCluster', 'FAILED', 1))), { since })
  c.add('R joined: both-conditions rule skipped, a later duplicate still reported', from(SAMPLE, rules(
    rule('DeleteSelf', { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' }), onStatus('DeleteSelf', 'SUCCEEDED'), onStatus('DeleteSelf', 'SUCCEEDED')
  )), { since: since16, apiServerRejects: CEL_CONDITION })
  c.add('R order: deletionRules errors before the cluster spec (rules error + no head container)', from(SAMPLE, set(`${HEAD_POD}.containers`, []), rules(onStatus('DeleteSelf', 'SUCCEEDED'), onStatus('DeleteSelf', 'SUCCEEDED'))), { since })
  c.add('R order: D3 before the per-rule checks (shutdown + duplicate rules)', from(SAMPLE, shutdown(), rules(onStatus('DeleteSelf', 'SUCCEEDED'), onStatus('DeleteSelf', 'SUCCEEDED'))), { since })
}

/** spec.deletionPolicy of KubeRay 1.3–1.4 (checked at the very end of ValidateRayJobSpec). */
function legacyDeletionPolicy(c: Catalog): void {
  const window = { since: '1.3.0', until: '1.5.0' } as const
  for (const policy of ['DeleteCluster', 'DeleteWorkers', 'DeleteSelf', 'DeleteNone']) {
    c.add(`deletionPolicy gate: ${policy}`, from(SAMPLE, spec({ deletionPolicy: policy })), window)
    c.add(`deletionPolicy selector: ${policy}`, from(EXISTING_CLUSTER, spec({ deletionPolicy: policy })), window)
  }
  c.add('deletionPolicy trigger: DeleteWorkers with autoscaling', from(SAMPLE, autoscaling(), spec({ deletionPolicy: 'DeleteWorkers' })), window)
  c.add('deletionPolicy trigger: DeleteNone with shutdown', from(SHUTDOWN, spec({ deletionPolicy: 'DeleteNone' })), window)
  c.add('deletionPolicy near miss: DeleteCluster with shutdown', from(SHUTDOWN, spec({ deletionPolicy: 'DeleteCluster' })), window)
  c.add('deletionPolicy order: after backoffLimit -1', from(SAMPLE, spec({ deletionPolicy: 'DeleteCluster', backoffLimit: -1 })), window)
  c.add('deletionPolicy order: after activeDeadlineSeconds 0', from(EXISTING_CLUSTER, spec({ deletionPolicy: 'DeleteWorkers', activeDeadlineSeconds: 0 })), window)
  c.add('deletionPolicy order: after runtimeEnvYAML', from(SHUTDOWN, spec({ deletionPolicy: 'DeleteNone', runtimeEnvYAML: 'invalid_yaml_str' })), window)
  c.add('deletionPolicy order: after the cluster spec', from(SAMPLE, set(`${HEAD_POD}.containers`, []), spec({ deletionPolicy: 'DeleteCluster' })), window)
  c.add('deletionPolicy order: after D1', from(SAMPLE, spec({ deletionPolicy: 'DeleteCluster', ttlSecondsAfterFinished: 30 })), window)
}

function selectorAndModes(c: Catalog): void {
  c.add('S4 trigger: clusterSelector with suspend and shutdown', from(EXISTING_CLUSTER, spec({ suspend: true, shutdownAfterJobFinishes: true })))
  c.add('S4 near miss: clusterSelector with suspend false', from(EXISTING_CLUSTER, spec({ suspend: false })))
  c.add('S4 order: S1 first (clusterSelector, suspend, no shutdown)', from(EXISTING_CLUSTER, spec({ suspend: true })))
  c.add('S4 order: before S6 (suspend, shutdown, empty cluster name)', from(EXISTING_CLUSTER, selector(''), spec({ suspend: true, shutdownAfterJobFinishes: true })))

  c.add('S5 trigger: no rayClusterSpec, no clusterSelector', from(SAMPLE, unset(CLUSTER)))
  c.add('S5 trigger: rayClusterSpec null', from(SAMPLE, spec({ rayClusterSpec: null })))
  c.add('S5 trigger: clusterSelector {} is not selector mode', from(EXISTING_CLUSTER, spec({ clusterSelector: {} })))
  c.add('S5 trigger: clusterSelector null', from(EXISTING_CLUSTER, spec({ clusterSelector: null })))
  c.add('S5 trigger: SidecarMode without a cluster', from(EXISTING_CLUSTER, unset('spec.clusterSelector'), mode('SidecarMode')))
  c.add('S5 near miss: both rayClusterSpec and clusterSelector', selectorWithClusterSpec())

  c.add('S6 trigger: ray.io/cluster empty', from(EXISTING_CLUSTER, selector('')))
  c.add('S6 trigger: only another key', from(EXISTING_CLUSTER, selector(undefined, { 'ray.io/node-type': 'head' })))
  c.add('S6 trigger: key spelled differently', from(EXISTING_CLUSTER, selector(undefined, { 'ray.io/Cluster': 'ray-cluster-kuberay' })))
  c.add('S6 near miss: ray.io/cluster plus another key', from(EXISTING_CLUSTER, selector('ray-cluster-kuberay', { team: 'a' })))
  c.add('S6 near miss: one-character cluster name', from(EXISTING_CLUSTER, selector('x')))
  c.add('S5 trigger: clusterSelector whose only value is null (pruned to {})', from(EXISTING_CLUSTER, spec({ clusterSelector: { 'ray.io/cluster': null } })))
  c.add('S6 trigger: ray.io/cluster null next to another key', from(EXISTING_CLUSTER, spec({ clusterSelector: { 'ray.io/cluster': null, team: 'a' } })))

  for (const m of ['SidecarMode', 'sidecarmode', 'Sidecar', 'HTTPMode', 'K8sJobMode', 'InteractiveMode']) {
    c.add(`S7 ${m === 'SidecarMode' ? 'trigger' : 'near miss'}: clusterSelector with submissionMode ${m}`, from(EXISTING_CLUSTER, mode(m)))
  }
  c.add('S6 order: before S7 (empty cluster name, SidecarMode)', from(EXISTING_CLUSTER, selector(''), mode('SidecarMode')))

  for (const limit of [-1, 0, 1, 3]) c.add(`S8 boundary: clusterSelector with backoffLimit ${limit}`, from(EXISTING_CLUSTER, spec({ backoffLimit: limit })))
  c.add('S8 near miss: clusterSelector with backoffLimit null', from(EXISTING_CLUSTER, spec({ backoffLimit: null })))
  c.add('S7 order: before S8 (SidecarMode, backoffLimit 1)', from(EXISTING_CLUSTER, mode('SidecarMode'), spec({ backoffLimit: 1 })))
  c.add('S8 order: before S9 (InteractiveMode on an existing cluster, backoffLimit 2)', from(EXISTING_CLUSTER, mode('InteractiveMode'), spec({ backoffLimit: 2 })))

  for (const limit of [-1, 0, 1, 2]) c.add(`S9 boundary: InteractiveMode with backoffLimit ${limit}`, from(INTERACTIVE, spec({ backoffLimit: limit })))
  c.add('S9 near miss: InteractiveMode, backoffLimit absent', INTERACTIVE)
  for (const m of ['interactivemode', 'Interactive', 'InteractiveMode ', 'UserMode']) {
    c.add(`S9 near miss: submissionMode ${JSON.stringify(m)} with backoffLimit 1`, from(INTERACTIVE, mode(m), spec({ backoffLimit: 1 })))
  }
  c.add('S9 near miss: K8sJobMode with backoffLimit 1', from(SAMPLE, spec({ backoffLimit: 1 })))

  c.add('S10 trigger: SidecarMode with submitterPodTemplate', from(SIDECAR, spec({ submitterPodTemplate: SUBMITTER_TEMPLATE })))
  c.add('S10 near miss: K8sJobMode with submitterPodTemplate', from(LIGHT_SUBMITTER, mode('K8sJobMode')))
  c.add('S10 near miss: sidecarMode (lower s) with submitterPodTemplate', from(SIDECAR, mode('sidecarMode'), spec({ submitterPodTemplate: SUBMITTER_TEMPLATE })))
  c.add('S10 order: before S11 (both)', from(SIDECAR, spec({ submitterPodTemplate: SUBMITTER_TEMPLATE, submitterConfig: { backoffLimit: 1 } })))
  c.add('S11 trigger: SidecarMode with submitterConfig', from(SIDECAR, spec({ submitterConfig: { backoffLimit: 1 } })))
  c.add('S11 trigger: SidecarMode with submitterConfig {}', from(SIDECAR, spec({ submitterConfig: {} })))
  c.add('S11 near miss: SidecarMode with submitterConfig null', from(SIDECAR, spec({ submitterConfig: null })))
  c.add('S11 trigger: SidecarMode with submitterConfig.backoffLimit null', from(SIDECAR, spec({ submitterConfig: { backoffLimit: null } })))
  c.add('S10 trigger: SidecarMode with submitterPodTemplate {}', from(SIDECAR, spec({ submitterPodTemplate: {} })))
  c.add('S10 near miss: SidecarMode with submitterPodTemplate null', from(SIDECAR, spec({ submitterPodTemplate: null })))
  c.add('S12 near miss: sidecarmode (lower case), head restartPolicy Always', from(SIDECAR, mode('sidecarmode'), set(`${HEAD_POD}.restartPolicy`, 'Always')))
  c.add('S12 near miss: SidecarMode, head restartPolicy null', from(SIDECAR, set(`${HEAD_POD}.restartPolicy`, null)))
  c.add('S11 near miss: HTTPMode with submitterConfig', from(SAMPLE, mode('HTTPMode'), spec({ submitterConfig: { backoffLimit: 3 } })))
  for (const policy of ['Always', 'OnFailure', 'Never', '']) {
    c.add(`S12 ${policy === 'Always' || policy === 'OnFailure' ? 'trigger' : 'near miss'}: SidecarMode, head restartPolicy ${JSON.stringify(policy)}`, from(SIDECAR, set(`${HEAD_POD}.restartPolicy`, policy)))
  }
  c.add('S12 near miss: K8sJobMode, head restartPolicy Always', from(SAMPLE, set(`${HEAD_POD}.restartPolicy`, 'Always')))
  c.add('S11 order: before S12', from(SIDECAR, spec({ submitterConfig: {} }), set(`${HEAD_POD}.restartPolicy`, 'Always')))
}

function runtimeEnvAndDeadlines(c: Catalog): void {
  const runtimeEnvs: [string, string][] = [
    ['empty', ''],
    ['mapping', 'pip:\n  - requests==2.26.0\nenv_vars:\n  counter_name: "test_counter"\n'],
    ['bare word (KubeRay unit test)', 'invalid_yaml_str'],
    ['top-level list', '- requests'],
    ['number', '123'],
    ['boolean', 'true'],
    ['quoted string', "'quoted'"],
    ['null', 'null'],
    ['tilde', '~'],
    ['comment only', '# nothing'],
    ['document marker only', '---'],
    ['flow mapping', '{pip: [requests]}'],
    ['empty flow mapping', '{}'],
    ['empty flow list', '[]'],
    ['duplicate keys', 'a: 1\na: 2'],
    ['two documents', 'a: 1\n---\nb: 2'],
    ['unclosed flow mapping', '{'],
    ['unclosed flow list', 'a: ['],
    ['nested mapping on one line', 'a: b: c'],
    ['tab indentation', '\ta: 1'],
    ['tab in a block list', 'a:\n\t- 1'],
    ['infinity', 'a: .inf'],
    ['null key', 'null: x'],
    ['integer key', '1: x'],
    ['anchor and alias', 'a: &x 1\nb: *x'],
    ['date value', 'a: 2019-01-01'],
    ['complex key', '? a\n: 1'],
    ['flow list as a key', '? [a]\n: 1'],
    ['yes (a YAML 1.1 boolean)', 'yes'],
    ['negative infinity', 'a: [-.inf]'],
    ['not a number', 'a: {b: .nan}'],
    ['second document broken', 'a: 1\n---\n{'],
    ['second document a list', 'a: 1\n---\n- b']
  ]
  for (const [what, yaml] of runtimeEnvs) c.add(`S15: runtimeEnvYAML ${what}`, from(SAMPLE, spec({ runtimeEnvYAML: yaml })))
  c.add('S15 near miss: runtimeEnvYAML null', from(SAMPLE, spec({ runtimeEnvYAML: null })))
  c.add('S15 order: after the cluster spec (no worker container, bad runtimeEnvYAML)', from(SAMPLE, set(`${workerPod(0)}.containers`, []), spec({ runtimeEnvYAML: '- a' })))
  c.add('S15 order: before S16 (bad runtimeEnvYAML, activeDeadlineSeconds 0)', from(SAMPLE, spec({ runtimeEnvYAML: '[]', activeDeadlineSeconds: 0 })))
  c.add('S5 order: before S15 (no cluster, bad runtimeEnvYAML)', from(SAMPLE, unset(CLUSTER), spec({ runtimeEnvYAML: 'x' })))

  for (const seconds of [-1, 0, 1, 600]) c.add(`S16 boundary: activeDeadlineSeconds ${seconds}`, from(SAMPLE, spec({ activeDeadlineSeconds: seconds })))
  c.add('S16 near miss: activeDeadlineSeconds null', from(SAMPLE, spec({ activeDeadlineSeconds: null })))
  for (const seconds of [-5, 0]) {
    c.add(`S17 trigger: preRunningDeadlineSeconds ${seconds}`, from(INTERACTIVE, spec({ preRunningDeadlineSeconds: seconds })), { since: '1.6.0', apiServerRejects: 'preRunningDeadlineSeconds minimum: 1' })
  }
  c.add('S17 near miss: preRunningDeadlineSeconds 1', from(INTERACTIVE, spec({ preRunningDeadlineSeconds: 1 })), { since: '1.6.0' })
  c.add('S16 order: before S17', from(SAMPLE, spec({ activeDeadlineSeconds: -1, preRunningDeadlineSeconds: 0 })), { since: '1.6.0', apiServerRejects: 'preRunningDeadlineSeconds minimum: 1' })
  c.add('S17 order: before S18', from(SAMPLE, spec({ preRunningDeadlineSeconds: -1, backoffLimit: -1 })), { since: '1.6.0', apiServerRejects: 'preRunningDeadlineSeconds minimum: 1' })
  for (const limit of [-2, -1, 0, 1, 5]) c.add(`S18 boundary: backoffLimit ${limit}`, from(SAMPLE, spec({ backoffLimit: limit })))
  c.add('S18 near miss: backoffLimit null (defaulted)', from(SAMPLE, spec({ backoffLimit: null })))
  c.add('S18 order: S16 first', from(SAMPLE, spec({ backoffLimit: -1, activeDeadlineSeconds: 0 })))
  c.add('S18 order: InteractiveMode with backoffLimit -1 is S18, not S9', from(INTERACTIVE, spec({ backoffLimit: -1 })))
}

/** Every integer field KubeRay bounds, swept around its boundary, in the modes that matter for it. */
function integerBoundaries(c: Catalog): void {
  const values = [-2, -1, 0, 1, 2]
  for (const m of ['K8sJobMode', 'HTTPMode', 'InteractiveMode']) {
    for (const shutdownAfter of [true, false]) {
      for (const ttl of values) {
        c.add(`sweep: ${m}, shutdown ${shutdownAfter}, ttlSecondsAfterFinished ${ttl}`, from(SAMPLE, mode(m), spec({ shutdownAfterJobFinishes: shutdownAfter, ttlSecondsAfterFinished: ttl })))
      }
    }
    for (const limit of values) c.add(`sweep: ${m}, backoffLimit ${limit}`, from(SAMPLE, mode(m), spec({ backoffLimit: limit })))
    for (const seconds of values) c.add(`sweep: ${m}, activeDeadlineSeconds ${seconds}`, from(SAMPLE, mode(m), spec({ activeDeadlineSeconds: seconds })))
  }
}

function clusterSpec(c: Catalog): void {
  c.add('C1 trigger: head without containers', from(SAMPLE, set(`${HEAD_POD}.containers`, [])))
  c.add('C1 order: before C5 (head and worker without containers)', from(SAMPLE, set(`${HEAD_POD}.containers`, []), set(`${workerPod(0)}.containers`, [])))
  c.add('C1 near miss: head with a sidecar container', from(SAMPLE, set(`${HEAD_POD}.containers.1`, { name: 'sidecar', image: 'busybox' })))
  c.add('C1 order: S9 first (InteractiveMode backoffLimit, no head container)', from(INTERACTIVE, spec({ backoffLimit: 1 }), set(`${HEAD_POD}.containers`, [])))

  const since = '1.5.0'
  for (const param of ['num-cpus', 'num-gpus', 'memory', 'resources']) {
    c.add(`C2 trigger: head rayStartParams ${param} and resources`, from(SAMPLE, set(`${HEAD}.rayStartParams.${param}`, param === 'resources' ? '"{\\"TPU\\": 4}"' : '1'), set(`${HEAD}.resources`, { cpu: '1' })), { since })
  }
  c.add('C2 near miss: head num-cpus "" and resources', from(SAMPLE, set(`${HEAD}.rayStartParams.num-cpus`, ''), set(`${HEAD}.resources`, { cpu: '1' })), { since })
  c.add('C2 near miss: head num-cpus and resources {}', from(SAMPLE, set(`${HEAD}.rayStartParams.num-cpus`, '1'), set(`${HEAD}.resources`, {})), { since })
  c.add('C2 near miss: head num-cpus and resources whose only value is null', from(SAMPLE, set(`${HEAD}.rayStartParams.num-cpus`, '1'), set(`${HEAD}.resources`, { cpu: null })), { since })
  c.add('C3 near miss: head rayStartParams labels null', from(SAMPLE, set(`${HEAD}.rayStartParams.labels`, null)), { since })
  c.add('C2 near miss: head resources only', from(SAMPLE, set(`${HEAD}.resources`, { cpu: '1', memory: '2Gi' })), { since })
  c.add('C2 near miss: head other rayStartParams and resources', from(SAMPLE, set(`${HEAD}.rayStartParams.dashboard-host`, '0.0.0.0'), set(`${HEAD}.resources`, { cpu: '1' })), { since })
  c.add('C3 trigger: head rayStartParams labels', from(SAMPLE, set(`${HEAD}.rayStartParams.labels`, 'a=b')), { since })
  c.add('C3 trigger: head rayStartParams labels ""', from(SAMPLE, set(`${HEAD}.rayStartParams.labels`, '')), { since })
  c.add('C2 order: before C3', from(SAMPLE, set(`${HEAD}.rayStartParams`, { 'num-cpus': '1', labels: 'a=b' }), set(`${HEAD}.resources`, { cpu: '1' })), { since })
  const labels: [string, Record<string, string>, boolean][] = [
    ['key with "!"', { 'invalid_key!': 'x' }, true],
    ['key with two slashes', { 'a/b/c': 'x' }, true],
    ['key with an empty prefix', { '/a': 'x' }, true],
    ['key of 64 characters', { ['k'.repeat(64)]: 'x' }, true],
    ['key of 64 characters with "!"', { [`${'k'.repeat(63)}!`]: 'x' }, true],
    ['value with a slash', { a: 'invalid/value' }, true],
    ['value starting with "-"', { a: '-x' }, true],
    ['value of 64 characters', { a: 'v'.repeat(64) }, true],
    ['bad key and bad value', { 'bad key': 'bad value' }, true],
    ['two bad labels', { 'bad!': 'x', fine: 'ok', zone: 'bad/value' }, true],
    ['valid key and value', { 'ray.io/zone': 'us-east-1a' }, false],
    ['empty value', { tier: '' }, false],
    ['value of 63 characters', { a: 'v'.repeat(63) }, false],
    ['prefixed key', { 'example.com/gpu-type': 'a100' }, false]
  ]
  for (const [what, value, bad] of labels) {
    c.add(`C4 ${bad ? 'trigger' : 'near miss'}: head label ${what}`, from(SAMPLE, set(`${HEAD}.labels`, value)), { since })
    c.add(`C4 ${bad ? 'trigger' : 'near miss'}: head label ${what}, with worker label problems too`, from(SAMPLE, set(`${HEAD}.labels`, value), set(`${worker(0)}.labels`, { 'w!': 'x' })), { since })
    c.add(`C11 ${bad ? 'trigger' : 'near miss'}: worker label ${what}`, from(SAMPLE, set(`${worker(0)}.labels`, value)), { since })
  }
  c.add('C3 order: before C4', from(SAMPLE, set(`${HEAD}.rayStartParams.labels`, 'a=b'), set(`${HEAD}.labels`, { 'bad!': 'x' })), { since })
  c.add('C4 near miss: label value null is pruned', from(SAMPLE, set(`${HEAD}.labels`, { a: null })), { since })
  c.add('C4 order: head labels before the worker loop', from(SAMPLE, set(`${HEAD}.labels`, { a: 'bad/value' }), set(`${workerPod(0)}.containers`, [])), { since })

  c.add('C5 trigger: worker without containers', from(SAMPLE, set(`${workerPod(0)}.containers`, [])))
  c.add('C5 trigger: second worker group without containers', from(SAMPLE, addWorkerGroup('gpu-group', { template: { spec: { containers: [] } } })))
  c.add('C5 near miss: no worker groups at all', from(SAMPLE, set(`${CLUSTER}.workerGroupSpecs`, [])))
  c.add('C5 near miss: workerGroupSpecs absent', from(SAMPLE, unset(`${CLUSTER}.workerGroupSpecs`)))
}

function workerLoop(c: Catalog): void {
  const replicaCases: [number | null, number | null][] = [
    [null, null],
    [-1, 5],
    [0, -1],
    [-1, -2],
    [5, 2],
    [2, 2],
    [0, 0],
    [3, 2147483647],
    [1, null],
    [null, 0]
  ]
  for (const [min, max] of replicaCases) {
    for (const scaling of [false, true]) {
      c.add(
        `C6–C9 replicas: minReplicas ${min}, maxReplicas ${max}, autoscaling ${scaling}`,
        from(SAMPLE, autoscaling(scaling), set(`${worker(0)}.minReplicas`, min), set(`${worker(0)}.maxReplicas`, max))
      )
    }
  }
  c.add('C9 near miss: replicas above maxReplicas is clamped, not refused', from(SAMPLE, set(`${worker(0)}.replicas`, 9)))
  c.add('C9 near miss: replicas below minReplicas', from(SAMPLE, set(`${worker(0)}.replicas`, 0), set(`${worker(0)}.minReplicas`, 2)))

  const since = '1.5.0'
  c.add('C10 trigger: worker num-gpus and resources', from(SAMPLE, set(`${worker(0)}.rayStartParams.num-gpus`, '1'), set(`${worker(0)}.resources`, { GPU: '1' })), { since })
  c.add('C10 near miss: worker resources only', from(SAMPLE, set(`${worker(0)}.resources`, { GPU: '1' })), { since })
  c.add('C11 trigger: worker rayStartParams labels', from(SAMPLE, set(`${worker(0)}.rayStartParams.labels`, 'zone=a')), { since })
  c.add('C10 order: before C11 (worker resources twice and labels)', from(SAMPLE, set(`${worker(0)}.rayStartParams`, { memory: '1G', labels: 'x=y' }), set(`${worker(0)}.resources`, { memory: '1G' })), { since })
  c.add('C9 order: before C10', from(SAMPLE, set(`${worker(0)}.minReplicas`, 9), set(`${worker(0)}.rayStartParams.num-cpus`, '1'), set(`${worker(0)}.resources`, { cpu: '1' })), { since })

  for (const seconds of [-1, 0, 60]) {
    c.add(`C12/C13: worker idleTimeoutSeconds ${seconds} without autoscaler v2`, from(SAMPLE, set(`${worker(0)}.idleTimeoutSeconds`, seconds)), { since: '1.3.0' })
    c.add(`C12/C13: worker idleTimeoutSeconds ${seconds} with autoscalerOptions.version v2`, from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${worker(0)}.idleTimeoutSeconds`, seconds)), { since: '1.4.0' })
  }
  c.add('C13 trigger: idleTimeoutSeconds with autoscalerOptions.version v1', from(SAMPLE, autoscaling(), autoscalerVersion('v1'), set(`${worker(0)}.idleTimeoutSeconds`, 60)), { since: '1.4.0' })
  c.add('C13 near miss: version v2 without enableInTreeAutoscaling', from(SAMPLE, autoscalerVersion('v2'), set(`${worker(0)}.idleTimeoutSeconds`, 60)), { since: '1.4.0' })
  for (const value of ['true', '1', 'True', 'false']) {
    c.add(`C13: idleTimeoutSeconds, autoscaling, head env RAY_enable_autoscaler_v2=${value}`, from(SAMPLE, autoscaling(), env('RAY_enable_autoscaler_v2', value), set(`${worker(0)}.idleTimeoutSeconds`, 60)), { since: '1.3.0' })
  }
  c.add('C13 order: env enables v2 for idleTimeoutSeconds, then C32 refuses it without autoscaling', from(SAMPLE, env('RAY_enable_autoscaler_v2', 'true'), set(`${worker(0)}.idleTimeoutSeconds`, 60)), { since: '1.3.0' })

  // The loop runs every check for group 0, then for group 1: the first group's problem wins.
  c.add('loop order: group 0 idleTimeout before group 1 containers', from(SAMPLE, set(`${worker(0)}.idleTimeoutSeconds`, 30), addWorkerGroup('second', { template: { spec: { containers: [] } } })), { since: '1.3.0' })
  c.add('loop order: group 0 containers before group 1 replicas', from(SAMPLE, set(`${workerPod(0)}.containers`, []), addWorkerGroup('second', { minReplicas: 4, maxReplicas: 1 })))
  c.add('loop order: group 0 replicas before group 1 containers', from(SAMPLE, set(`${worker(0)}.minReplicas`, -3), addWorkerGroup('second', { template: { spec: { containers: [] } } })))
  c.add('loop order: group 0 resources before group 1 negative minReplicas', from(SAMPLE, set(`${worker(0)}.rayStartParams.num-cpus`, '2'), set(`${worker(0)}.resources`, { cpu: '2' }), addWorkerGroup('second', { minReplicas: -1 })), { since: '1.5.0' })
  c.add('loop order: group 0 label before group 1 resources', from(SAMPLE, set(`${worker(0)}.labels`, { 'x!': 'y' }), addWorkerGroup('second', { rayStartParams: { 'num-cpus': '1' }, resources: { cpu: '1' } })), { since: '1.5.0' })
  c.add('loop order: group 1 problem is reported with its name', from(SAMPLE, addWorkerGroup('second', { minReplicas: 3, maxReplicas: 1 })))
  c.add('loop order: group 2 after two good groups', from(SAMPLE, addWorkerGroup('second'), addWorkerGroup('third', { idleTimeoutSeconds: -7 })), { since: '1.3.0' })
  c.add('loop order: head resources before group 0 containers', from(SAMPLE, set(`${HEAD}.rayStartParams.memory`, '1G'), set(`${HEAD}.resources`, { memory: '1G' }), set(`${workerPod(0)}.containers`, [])), { since: '1.5.0' })
  c.add('loop order: group problem before FT annotation (C18)', from(SAMPLE, set(`${worker(0)}.minReplicas`, 10), set(`${worker(0)}.maxReplicas`, 1), annotate('ray.io/ft-enabled', 'true'), set(`${CLUSTER}.gcsFaultToleranceOptions`, GCS_FT)), { since: '1.3.0' })
  c.add('loop order: duplicate worker group names are not KubeRay validation', from(SAMPLE, addWorkerGroup('small-group')))
}

function faultTolerance(c: Catalog): void {
  const since = '1.3.0'
  const options = set(`${CLUSTER}.gcsFaultToleranceOptions`, GCS_FT)
  for (const value of ['true', 'false', 'TRUE', 'yes']) c.add(`C18 trigger: ray.io/ft-enabled=${value} with gcsFaultToleranceOptions`, from(SAMPLE, annotate('ray.io/ft-enabled', value), options), { since })
  c.add('C18 near miss: ray.io/ft-enabled="" with gcsFaultToleranceOptions', from(SAMPLE, annotate('ray.io/ft-enabled', ''), options), { since })
  c.add('C18 near miss: gcsFaultToleranceOptions alone', from(SAMPLE, options), { since })
  c.add('C18 near miss: ray.io/ft-enabled alone', from(SAMPLE, annotate('ray.io/ft-enabled', 'true')))
  for (const value of ['true', 'TRUE', 'True', 'false', '']) {
    c.add(`C19: RAY_REDIS_ADDRESS with ray.io/ft-enabled=${JSON.stringify(value)}`, from(SAMPLE, annotate('ray.io/ft-enabled', value), env('RAY_REDIS_ADDRESS', 'redis:6379')))
  }
  c.add('C19 trigger: RAY_REDIS_ADDRESS without fault tolerance', from(SAMPLE, env('RAY_REDIS_ADDRESS', 'redis:6379')))
  c.add('C19 trigger: RAY_REDIS_ADDRESS from a secret', from(SAMPLE, env('RAY_REDIS_ADDRESS')))
  c.add('C19 near miss: RAY_REDIS_ADDRESS on a worker', from(SAMPLE, env('RAY_REDIS_ADDRESS', 'redis:6379', `${workerPod(0)}.containers.0`)))
  c.add('C19 near miss: RAY_REDIS_ADDRESS on the second head container', from(SAMPLE, set(`${HEAD_POD}.containers.1`, { name: 'side', image: 'busybox', env: [{ name: 'RAY_REDIS_ADDRESS', value: 'x' }] })))
  c.add('C20 trigger: redis-password in rayStartParams', from(SAMPLE, options, set(`${HEAD}.rayStartParams.redis-password`, 'secret')), { since })
  c.add('C20 near miss: redis-password ""', from(SAMPLE, options, set(`${HEAD}.rayStartParams.redis-password`, '')), { since })
  c.add('C20 near miss: redis-password without fault tolerance', from(SAMPLE, set(`${HEAD}.rayStartParams.redis-password`, 'secret')))
  c.add('C21 trigger: REDIS_PASSWORD env', from(SAMPLE, options, env('REDIS_PASSWORD', 'secret')), { since })
  c.add('C21 trigger: REDIS_PASSWORD env from a secret', from(SAMPLE, options, env('REDIS_PASSWORD')), { since })
  c.add('C21 near miss: REDIS_PASSWORD without fault tolerance', from(SAMPLE, env('REDIS_PASSWORD', 'secret')))
  c.add('C22 trigger: RAY_REDIS_ADDRESS env with options', from(SAMPLE, options, env('RAY_REDIS_ADDRESS', 'redis:6379')), { since })
  c.add('C23 trigger: ray.io/external-storage-namespace with options', from(SAMPLE, options, annotate('ray.io/external-storage-namespace', 'ns')), { since })
  c.add('C23 near miss: ray.io/external-storage-namespace ""', from(SAMPLE, options, annotate('ray.io/external-storage-namespace', '')), { since })
  c.add('C23 near miss: ray.io/external-storage-namespace without options', from(SAMPLE, annotate('ray.io/external-storage-namespace', 'ns')))
  c.add('C20 order: before C21', from(SAMPLE, options, set(`${HEAD}.rayStartParams.redis-password`, 'p'), env('REDIS_PASSWORD', 'p')), { since })
  c.add('C21 order: before C22', from(SAMPLE, options, env('RAY_REDIS_ADDRESS', 'r:1'), env('REDIS_PASSWORD', 'p')), { since })
  c.add('C22 order: before C23', from(SAMPLE, options, env('RAY_REDIS_ADDRESS', 'r:1'), annotate('ray.io/external-storage-namespace', 'ns')), { since })
  c.add('C18 order: before C20', from(SAMPLE, options, annotate('ray.io/ft-enabled', 'true'), set(`${HEAD}.rayStartParams.redis-password`, 'p')), { since })
  c.add('C30 trigger: redis-username in rayStartParams', from(SAMPLE, set(`${HEAD}.rayStartParams.redis-username`, 'user')))
  c.add('C30 trigger: REDIS_USERNAME env', from(SAMPLE, env('REDIS_USERNAME', 'user')))
  c.add('C30 near miss: redis-username ""', from(SAMPLE, set(`${HEAD}.rayStartParams.redis-username`, '')))
  c.add('C30 near miss: redisUsername in gcsFaultToleranceOptions', from(SAMPLE, set(`${CLUSTER}.gcsFaultToleranceOptions`, { ...GCS_FT, redisUsername: { value: 'user' } })), { since })
  c.add('C23 order: before C30', from(SAMPLE, options, annotate('ray.io/external-storage-namespace', 'ns'), env('REDIS_USERNAME', 'u')), { since })
  c.add('C30 order: C19 first', from(SAMPLE, env('REDIS_USERNAME', 'u'), env('RAY_REDIS_ADDRESS', 'r:1')))
}

function autoscaler(c: Catalog): void {
  const suspendGroup = set(`${worker(0)}.suspend`, true)
  c.add('C31/C33: worker group suspend, autoscaling off', from(SAMPLE, suspendGroup), { since: '1.3.0' })
  c.add('C31/C33: worker group suspend, autoscaling on', from(SAMPLE, autoscaling(), suspendGroup), { since: '1.3.0' })
  c.add('C31 near miss: worker group suspend false', from(SAMPLE, set(`${worker(0)}.suspend`, false)), { since: '1.3.0' })
  c.add('C31 order: the first of two suspended groups', from(SAMPLE, addWorkerGroup('second', { suspend: true }), addWorkerGroup('third', { suspend: true })), { since: '1.3.0' })
  c.add('C31: second group suspended', from(SAMPLE, addWorkerGroup('second', { suspend: true })), { since: '1.3.0' })
  c.add('C30 order: before C31', from(SAMPLE, suspendGroup, env('REDIS_USERNAME', 'u')), { since: '1.3.0' })

  for (const value of ['true', '1', 'True', 'TRUE', 'false', '0', '']) {
    c.add(`C32: autoscaling off, head env RAY_enable_autoscaler_v2=${JSON.stringify(value)}`, from(SAMPLE, env('RAY_enable_autoscaler_v2', value)))
  }
  const duplicateEnv = { apiServerRejects: 'container env is a list keyed by name: no two entries with one name' }
  c.add('C32 near miss: the first of two RAY_enable_autoscaler_v2 entries counts (false, true)', from(SAMPLE, env('RAY_enable_autoscaler_v2', 'false'), env('RAY_enable_autoscaler_v2', 'true')), duplicateEnv)
  c.add('C32 trigger: the first of two RAY_enable_autoscaler_v2 entries counts (1, false)', from(SAMPLE, env('RAY_enable_autoscaler_v2', '1'), env('RAY_enable_autoscaler_v2', 'false')), duplicateEnv)
  c.add('C32 near miss: autoscaling on, env RAY_enable_autoscaler_v2=true', from(SAMPLE, autoscaling(), env('RAY_enable_autoscaler_v2', 'true')))
  c.add('C32 near miss: env on a worker', from(SAMPLE, env('RAY_enable_autoscaler_v2', 'true', `${workerPod(0)}.containers.0`)))
  c.add('C31 order: before C32', from(SAMPLE, suspendGroup, env('RAY_enable_autoscaler_v2', '1')), { since: '1.3.0' })

  for (const version of ['v1', 'v2'] as const) {
    for (const value of ['true', 'false']) {
      c.add(`C34 trigger: autoscaling, version ${version} and env RAY_enable_autoscaler_v2=${value}`, from(SAMPLE, autoscaling(), autoscalerVersion(version), env('RAY_enable_autoscaler_v2', value)), { since: '1.4.0' })
    }
    c.add(`C34 near miss: autoscaling off, version ${version} and env=false`, from(SAMPLE, autoscalerVersion(version), env('RAY_enable_autoscaler_v2', 'false')), { since: '1.4.0' })
  }
  c.add('C33 order: before C34', from(SAMPLE, autoscaling(), suspendGroup, autoscalerVersion('v2'), env('RAY_enable_autoscaler_v2', 'true')), { since: '1.4.0' })

  for (const policy of ['Always', 'OnFailure', 'Never', '']) {
    c.add(`C35: autoscaler v2, head restartPolicy ${JSON.stringify(policy)}`, from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${HEAD_POD}.restartPolicy`, policy)), { since: '1.4.0' })
    c.add(`C36: autoscaler v2, worker restartPolicy ${JSON.stringify(policy)}`, from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${workerPod(0)}.restartPolicy`, policy)), { since: '1.4.0' })
  }
  c.add('C35 near miss: autoscaler v1, head restartPolicy Always', from(SAMPLE, autoscaling(), autoscalerVersion('v1'), set(`${HEAD_POD}.restartPolicy`, 'Always')), { since: '1.4.0' })
  c.add('C35 near miss: v2 without enableInTreeAutoscaling, head restartPolicy Always', from(SAMPLE, autoscalerVersion('v2'), set(`${HEAD_POD}.restartPolicy`, 'Always')), { since: '1.4.0' })
  c.add('C35 near miss: v2 only through the head env, head restartPolicy Always', from(SAMPLE, autoscaling(), env('RAY_enable_autoscaler_v2', 'true'), set(`${HEAD_POD}.restartPolicy`, 'Always')))
  c.add('C36 near miss: v2 only through the head env, worker restartPolicy OnFailure', from(SAMPLE, autoscaling(), env('RAY_enable_autoscaler_v2', '1'), set(`${workerPod(0)}.restartPolicy`, 'OnFailure')))
  c.add('C36 near miss: autoscaler v1, worker restartPolicy Always', from(SAMPLE, autoscaling(), autoscalerVersion('v1'), set(`${workerPod(0)}.restartPolicy`, 'Always')), { since: '1.4.0' })
  c.add('C35 order: before C36', from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${HEAD_POD}.restartPolicy`, 'Always'), set(`${workerPod(0)}.restartPolicy`, 'Always')), { since: '1.4.0' })
  c.add('C36 order: the first of two bad worker groups', from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${workerPod(0)}.restartPolicy`, 'OnFailure'), addWorkerGroup('second', { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'w', image: 'rayproject/ray:2.52.0' }] } } })), { since: '1.4.0' })
  c.add('C36: second worker group restartPolicy', from(SAMPLE, autoscaling(), autoscalerVersion('v2'), addWorkerGroup('second', { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'w', image: 'rayproject/ray:2.52.0' }] } } })), { since: '1.4.0' })

  for (const seconds of [-1, 0, 60]) {
    c.add(`C37: autoscalerOptions.idleTimeoutSeconds ${seconds}`, from(SAMPLE, set(`${CLUSTER}.autoscalerOptions.idleTimeoutSeconds`, seconds)))
    c.add(`C37: autoscaling, autoscalerOptions.idleTimeoutSeconds ${seconds}`, from(SAMPLE, autoscaling(), set(`${CLUSTER}.autoscalerOptions.idleTimeoutSeconds`, seconds)))
  }
  c.add('C36 order: before C37', from(SAMPLE, autoscaling(), autoscalerVersion('v2'), set(`${workerPod(0)}.restartPolicy`, 'Always'), set(`${CLUSTER}.autoscalerOptions.idleTimeoutSeconds`, -1)), { since: '1.4.0' })
}

function auth(c: Catalog): void {
  const token = set(`${CLUSTER}.authOptions.mode`, 'token')
  const rayVersions = ['2.52.0', '2.51.9', '2.46.0', '3.0.0', '2.52', '2.53', 'v2.52.0', '2.52.0-rc1', '2.52.0+build', '2.52.0.1', '02.52.0', 'nightly', 'latest', ' 2.52.0', '2', '']
  for (const rayVersion of rayVersions) {
    c.add(`C41: token auth, rayVersion ${JSON.stringify(rayVersion)}`, from(SAMPLE, token, set(`${CLUSTER}.rayVersion`, rayVersion)), { since: '1.5.0' })
  }
  c.add('C41: token auth, rayVersion absent', from(SAMPLE, token, unset(`${CLUSTER}.rayVersion`)), { since: '1.5.0' })
  c.add('C41 near miss: mode disabled, no rayVersion', from(SAMPLE, set(`${CLUSTER}.authOptions.mode`, 'disabled'), unset(`${CLUSTER}.rayVersion`)), { since: '1.5.0' })
  c.add('C41 near miss: authOptions {} with an old rayVersion', from(SAMPLE, set(`${CLUSTER}.authOptions`, {}), set(`${CLUSTER}.rayVersion`, '2.9.0')), { since: '1.5.0' })
  c.add('C37 order: before C41', from(SAMPLE, token, set(`${CLUSTER}.rayVersion`, '2.0.0'), set(`${CLUSTER}.autoscalerOptions.idleTimeoutSeconds`, -1)), { since: '1.6.0' })

  const k8sAuth = set(`${CLUSTER}.authOptions.enableK8sTokenAuth`, true)
  c.add('S13 trigger: token mode with enableK8sTokenAuth', from(SAMPLE, token, k8sAuth, set(`${CLUSTER}.rayVersion`, '2.55.0')), { since: '1.6.0' })
  c.add('S13 trigger: enableK8sTokenAuth without token mode (C43 pre-empted)', from(SAMPLE, k8sAuth), { since: '1.6.0' })
  c.add('S13 trigger: old rayVersion and secretName (C42 pre-empted)', from(SAMPLE, token, k8sAuth, set(`${CLUSTER}.authOptions.secretName`, 's'), set(`${CLUSTER}.rayVersion`, '2.53.0')), { since: '1.6.0' })
  c.add('S13 near miss: enableK8sTokenAuth false', from(SAMPLE, token, set(`${CLUSTER}.authOptions.enableK8sTokenAuth`, false)), { since: '1.6.0' })
  c.add('S13 near miss: token mode with secretName', from(SAMPLE, token, set(`${CLUSTER}.authOptions.secretName`, 'my-token')), { since: '1.6.0' })
  c.add('S13 order: before the cluster spec (no head container)', from(SAMPLE, k8sAuth, set(`${HEAD_POD}.containers`, [])), { since: '1.6.0' })
  c.add('S12 order: before S13', from(SIDECAR, k8sAuth, set(`${HEAD_POD}.restartPolicy`, 'Always')), { since: '1.6.0' })
}

/** Rules that only KubeRay 1.7.0 has (checked when its validator can be built). */
function kuberay17(c: Catalog): void {
  const since = '1.7.0'
  const priority = (n: number): Edit => set(`${worker(0)}.priority`, n)
  c.add('C14 trigger: priority without rayVersion', from(SAMPLE, priority(5), unset(`${CLUSTER}.rayVersion`), autoscaling(), autoscalerVersion('v2')), { since })
  c.add('C15 trigger: priority with an unparsable rayVersion', from(SAMPLE, priority(5), set(`${CLUSTER}.rayVersion`, 'nightly'), autoscaling(), autoscalerVersion('v2')), { since })
  c.add('C16 trigger: priority with rayVersion 2.55.0', from(SAMPLE, priority(5), autoscaling(), autoscalerVersion('v2'), set(`${CLUSTER}.rayVersion`, '2.55.0')), { since })
  c.add('C17 trigger: priority without autoscaler v2', from(SAMPLE, priority(-3), set(`${CLUSTER}.rayVersion`, '2.56.0')), { since })
  c.add('C17 near miss: priority with autoscaler v2 and Ray 2.56.0', from(SAMPLE, priority(1), autoscaling(), autoscalerVersion('v2'), set(`${CLUSTER}.rayVersion`, '2.56.0')), { since })
  c.add('C14 near miss: priority 0', from(SAMPLE, priority(0), unset(`${CLUSTER}.rayVersion`)), { since })

  const gcs = (options: Record<string, unknown>): Edit => set(`${CLUSTER}.gcsFaultToleranceOptions`, options)
  c.add('C24 gate: rocksdb backend', from(SAMPLE, gcs({ backend: 'rocksdb' })), { since })
  for (const field of ['redisAddress', 'redisUsername', 'redisPassword', 'externalStorageNamespace']) {
    c.add(`C25 trigger: rocksdb with ${field}`, from(SAMPLE, gcs({ backend: 'rocksdb', [field]: field === 'redisPassword' || field === 'redisUsername' ? { value: 'p' } : 'x' })), { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
  }
  c.add('C26 trigger: rocksdb claimName with size', from(SAMPLE, gcs({ backend: 'rocksdb', storage: { claimName: 'pvc', size: '1Gi' } })), { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
  c.add('C26 near miss: rocksdb claimName only', from(SAMPLE, gcs({ backend: 'rocksdb', storage: { claimName: 'pvc' } })), { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
  c.add('C27 trigger: rocksdb with RAY_gcs_storage env', from(SAMPLE, gcs({ backend: 'rocksdb' }), env('RAY_gcs_storage', 'x')), { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
  c.add('C28 trigger: rocksdb with a /data/gcs mount', from(SAMPLE, gcs({ backend: 'rocksdb' }), set(`${HEAD_CONTAINER}.volumeMounts.1`, { name: 'mine', mountPath: '/data/gcs' })), { since, gates: { GCSFaultToleranceEmbeddedStorage: true } })
  c.add('C29 trigger: redis backend with storage', from(SAMPLE, gcs({ redisAddress: 'r:1', storage: { size: '1Gi' } })), { since })

  c.add('C38 trigger: KUBERAY_GEN_AUTOSCALER_START_CMD', from(SAMPLE, autoscaling(), set(`${CLUSTER}.autoscalerOptions.env`, [{ name: 'KUBERAY_GEN_AUTOSCALER_START_CMD', value: 'x' }])), { since })
  c.add('C39 gate: historyServerOptions', from(SAMPLE, set(`${CLUSTER}.historyServerOptions`, { collectorOptions: { image: 'c:1', env: [{ name: 'STORAGE_BACKEND', value: 'S3' }, { name: 'S3_REGION', value: 'x' }] } })), { since })
  c.add('C40 trigger: collector without image', from(SAMPLE, set(`${CLUSTER}.historyServerOptions`, { collectorOptions: { env: [{ name: 'STORAGE_BACKEND', value: 'S3' }] } })), { since, gates: { RayClusterHistoryServer: true } })
  c.add('C44 gate: networkPolicy', from(SAMPLE, set(`${CLUSTER}.networkPolicy`, { mode: 'DenyAll' })), { since })
  c.add('C45 trigger: ingress rules under DenyAllEgress', from(SAMPLE, set(`${CLUSTER}.networkPolicy`, { mode: 'DenyAllEgress', head: { ingressRules: [{}] } })), { since, gates: { RayClusterNetworkPolicy: true } })
  c.add('C45 trigger: unknown worker group in networkPolicy', from(SAMPLE, set(`${CLUSTER}.networkPolicy`, { workerGroups: [{ groupName: 'nope' }] })), { since, gates: { RayClusterNetworkPolicy: true } })
  c.add('C46 gate: tlsOptions', from(SAMPLE, set(`${CLUSTER}.tlsOptions`, { enabled: true })), { since })
  c.add('C47 trigger: RAY_USE_TLS on the head', from(SAMPLE, set(`${CLUSTER}.tlsOptions`, { enabled: true }), env('RAY_USE_TLS', '1')), { since, gates: { RayClusterMTLS: true } })
}

/** Several problems at once: KubeRay reports only the first it checks. */
function firstErrorWins(c: Catalog): void {
  c.add('order: S2 before S18', from(SAMPLE, spec({ ttlSecondsAfterFinished: -1, backoffLimit: -1 })))
  c.add('order: D1 before S4', from(EXISTING_CLUSTER, spec({ ttlSecondsAfterFinished: 3, suspend: true, shutdownAfterJobFinishes: false })))
  c.add('order: S5 before S9', from(INTERACTIVE, unset(CLUSTER), spec({ backoffLimit: 1 })))
  c.add('order: S9 before S10 (InteractiveMode is not SidecarMode)', from(INTERACTIVE, spec({ backoffLimit: 1, submitterPodTemplate: SUBMITTER_TEMPLATE })))
  c.add('order: S12 before C1 (SidecarMode head restartPolicy, no head container)', from(SIDECAR, set(`${HEAD_POD}.restartPolicy`, 'Always'), set(`${HEAD_POD}.containers`, [])))
  c.add('order: C1 before S15', from(SAMPLE, set(`${HEAD_POD}.containers`, []), spec({ runtimeEnvYAML: '123' })))
  c.add('order: C19 before C31', from(SAMPLE, env('RAY_REDIS_ADDRESS', 'r:1'), set(`${worker(0)}.suspend`, true)), { since: '1.3.0' })
  c.add('order: C32 before C37', from(SAMPLE, env('RAY_enable_autoscaler_v2', 'true'), set(`${CLUSTER}.autoscalerOptions.idleTimeoutSeconds`, -1)))
  c.add('order: cluster spec before S16', from(SAMPLE, env('REDIS_USERNAME', 'u'), spec({ activeDeadlineSeconds: -1 })))
  c.add('order: S4 before cluster spec (selector + cluster spec with bad worker)', selectorWithClusterSpec(spec({ suspend: true, shutdownAfterJobFinishes: true }), set(`${workerPod(0)}.containers`, [])))
  c.add('order: selector mode still validates its rayClusterSpec', selectorWithClusterSpec(set(`${workerPod(0)}.containers`, [])))
  c.add('order: S8 before the cluster spec', selectorWithClusterSpec(spec({ backoffLimit: 2 }), set(`${HEAD_POD}.containers`, [])))
  c.add('order: everything wrong at once', from(SIDECAR, name('x'.repeat(50)), spec({ suspend: true, ttlSecondsAfterFinished: -4, backoffLimit: -1, activeDeadlineSeconds: 0, runtimeEnvYAML: '[' })))
}
