// ValidateRayClusterSpec, written against a RayJob's spec.rayClusterSpec (the P paths). KubeRay runs
// it on a RayCluster's spec (since v1.3.0), a RayJob's and a RayService's cluster spec (since
// v1.4.0) and a RayCronJob's RayJob template; the plans in registry.ts say where, from when, and
// with which prefix. `since` here is the release whose ValidateRayClusterSpec first has the check.
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from '../k8s/validation.js'
import { arr, get, isObj, isSet, nonEmpty, num, obj, str } from '../../manifest/model.js'
import type { Obj, Path } from '../../manifest/model.js'
import { checkGenericRayVersion } from '../rayversion.js'
import type { EnvVar, JobView, RuleDefinition, Violation, WorkerGroup } from './types.js'
import { envOf, P } from './types.js'
import { atLeast } from '../versions.js'
import type { KubeRayVersion } from '../versions.js'

const RESOURCE_PARAMS = ['num-cpus', 'num-gpus', 'memory', 'resources']
const AUTOSCALER_V2_ENV = 'RAY_enable_autoscaler_v2'

const envValue = (env: EnvVar[], name: string): EnvVar | undefined => env.find((e) => e.name === name)
const envIndex = (env: EnvVar[], name: string): number => env.findIndex((e) => e.name === name)
const headEnvPath = (v: JobView, name: string): Path => [...P.headContainer, 'env', Math.max(0, envIndex(v.headEnv, name))]
const isTrueish = (value: string | undefined): boolean => value === '1' || value === 'true'

/** KubeRay's IsAutoscalingV2Enabled: only an explicit autoscalerOptions.version: v2 counts. */
const explicitAutoscalerV2 = (v: JobView): boolean => str(get(v.cluster, ['autoscalerOptions', 'version'])) === 'v2'

/** What the worker-group checks (idleTimeoutSeconds, priority) accept as autoscaler v2: the explicit field, or the head env var set to 1/true. */
function autoscalerV2(v: JobView): boolean {
  return explicitAutoscalerV2(v) || isTrueish(envValue(v.headEnv, AUTOSCALER_V2_ENV)?.value)
}

const gcsOptions = (v: JobView): Obj | undefined => obj(v.cluster?.gcsFaultToleranceOptions)
const rocksdb = (v: JobView): boolean => str(gcsOptions(v)?.backend) === 'rocksdb'
const GCS = [...P.cluster, 'gcsFaultToleranceOptions']

/** Resources given both as rayStartParams and as the group's `resources` map. */
function resourceConflict(group: Obj | undefined): boolean {
  const params = obj(group?.rayStartParams) ?? {}
  return RESOURCE_PARAMS.some((k) => nonEmpty(params[k])) && nonEmpty(group?.resources)
}

/**
 * Every invalid label key and value of a group, in one violation, because KubeRay returns
 * them as one error: one "invalid label ..." per problem, joined with "; " (in Go's map order, which
 * is random; here, the manifest's).
 */
function labelProblems(group: Obj | undefined, groupPath: Path, groupLabel: string, version: KubeRayVersion): Violation | undefined {
  const labels = obj(group?.labels) ?? {}
  const problems: string[] = []
  let firstBad: string | undefined
  for (const [key, value] of Object.entries(labels)) {
    const keyErrors = isQualifiedName(key).map((e) => labelWording(e, version))
    const valueErrors = isValidLabelValue(String(value ?? '')).map((e) => labelWording(e, version))
    problems.push(...keyErrors.map((e) => `invalid label key for ${groupLabel} group: '${key}', error: ${e}`))
    problems.push(...valueErrors.map((e) => `invalid label value for key '${key}' in ${groupLabel} group: '${String(value)}', error: ${e}`))
    if ((keyErrors.length || valueErrors.length) && firstBad === undefined) firstBad = key
  }
  return firstBad === undefined ? undefined : { path: [...groupPath, 'labels', firstBad], params: { g: groupLabel, detail: problems.join('; ') } }
}

/**
 * KubeRay 1.6.0 and later build with k8s.io/apimachinery 0.35+, whose label checks word their
 * errors as its validate/content package does: "a valid label key ..." and "... bytes".
 */
function labelWording(message: string, version: KubeRayVersion): string {
  if (!atLeast(version, '1.6.0')) return message
  return message.replace(/^a qualified name /, 'a valid label key ').replace(/must be no more than (\d+) characters$/, 'must be no more than $1 bytes')
}

/** A worker-group check: runs per group, in KubeRay's per-group loop. */
const perGroup = (test: (g: WorkerGroup, v: JobView) => Violation | Violation[] | undefined | false) => (v: JobView) =>
  v.workerGroups.flatMap((g) => {
    const r = test(g, v)
    if (!r) return []
    return (Array.isArray(r) ? r : [r]).map((x) => ({ ...x, loopIndex: g.index, params: { g: g.name, ...x.params } }))
  })

function rayVersionMessage(v: JobView, minimum: string, what: string): string | undefined {
  const rayVersion = str(v.cluster?.rayVersion)
  const result = checkGenericRayVersion(rayVersion, minimum)
  if (result.ok) return undefined
  if (result.problem === 'missing') return `${what} but RayVersion was not specified. Ray version ${minimum} or later is required`
  if (result.problem === 'invalid') return `${what} but RayVersion format is invalid: ${rayVersion}, ${result.detail}`
  return `${what} but minimum Ray version is ${minimum}, got ${rayVersion}`
}

const TLS_ENV = ['RAY_USE_TLS', 'RAY_TLS_SERVER_CERT', 'RAY_TLS_SERVER_KEY', 'RAY_TLS_CA_CERT']
const COLLECTOR_MANAGED_ENV = ['POD_IP', 'FQ_RAY_IP', 'RAY_CLUSTER_NAME', 'RAY_CLUSTER_NAMESPACE', 'RAY_ROLE', 'OWNER_KIND', 'OWNER_NAME', 'EVENTS_PORT']
const COLLECTOR_CONTAINER = 'ray-history-collector'

/** Containers of a pod template spec, each with its path. */
const containersOf = (podSpecPath: Path, podSpec: Obj | undefined): { c: Obj; path: Path }[] =>
  arr(podSpec?.containers).flatMap((c, i) => (isObj(c) ? [{ c, path: [...podSpecPath, 'containers', i] }] : []))

const cluster = (rule: Omit<RuleDefinition, 'source' | 'prefix' | 'severity'> & { since: KubeRayVersion }): RuleDefinition => ({
  source: 'kuberay',
  prefix: 'spec',
  severity: 'error',
  ...rule
})

export const clusterRules: RuleDefinition[] = [
  cluster({
    id: 'head-no-containers',
    since: '1.3.0',
    title: 'head Pod template without containers',
    message: 'headGroupSpec should have at least one container',
    hint: 'Add the Ray head container under headGroupSpec.template.spec.containers (it must be the first container).',
    check: (v) => (v.cluster && arr(v.headPodSpec?.containers).length === 0 ? { path: [...P.headPodSpec, 'containers'] } : undefined)
  }),
  cluster({
    id: 'head-resources-twice',
    since: '1.5.0',
    title: 'head resources set twice',
    message: 'resource fields should not be set in both rayStartParams and Resources for Head group; please use only one',
    hint: 'Keep either headGroupSpec.resources or the num-cpus/num-gpus/memory/resources entries of rayStartParams.',
    check: (v) => (resourceConflict(v.head) ? { path: [...P.head, 'resources'] } : undefined)
  }),
  cluster({
    id: 'head-labels-in-start-params',
    since: '1.5.0',
    title: "rayStartParams['labels'] on the head",
    message: "rayStartParams['labels'] is not supported for Head group; please use the top-level Labels field instead",
    hint: 'Move the labels to headGroupSpec.labels.',
    check: (v) => (isSet(obj(v.head?.rayStartParams)?.labels) ? { path: [...P.head, 'rayStartParams', 'labels'] } : undefined)
  }),
  cluster({
    id: 'head-label-invalid',
    since: '1.5.0',
    title: 'invalid head group label',
    message: '{detail}',
    params: ['detail'],
    hint: 'Label keys are [prefix/]name (name ≤63 of A-Z a-z 0-9 - _ .); values ≤63 of the same characters, starting and ending alphanumeric.',
    check: (v) => labelProblems(v.head, P.head, 'Head', v.version)
  }),
  cluster({
    id: 'worker-no-containers',
    since: '1.3.0',
    workerLoop: true,
    title: 'worker Pod template without containers',
    message: 'workerGroupSpec should have at least one container',
    hint: 'Add the Ray worker container under template.spec.containers of the worker group.',
    check: perGroup((g) => arr(get(g.group, ['template', 'spec', 'containers'])).length === 0 && { path: [...g.path, 'template', 'spec', 'containers'] })
  }),
  cluster({
    id: 'worker-replicas-unset',
    since: '1.6.0',
    workerLoop: true,
    title: 'worker group without min/maxReplicas',
    message: 'worker group {g} must set both minReplicas and maxReplicas when autoscaling is disabled',
    params: ['g'],
    hint: 'Set minReplicas and maxReplicas on the worker group.',
    check: perGroup((g, v) => !v.autoscaling && (!isSet(g.group.minReplicas) || !isSet(g.group.maxReplicas)) && { path: g.path })
  }),
  cluster({
    id: 'worker-min-replicas-negative',
    since: '1.6.0',
    workerLoop: true,
    title: 'negative minReplicas',
    message: 'worker group {g} has negative minReplicas {n}',
    params: ['g', 'n'],
    hint: 'Set minReplicas to 0 or more.',
    check: perGroup((g) => (num(g.group.minReplicas) ?? 0) < 0 && { path: [...g.path, 'minReplicas'], part: 'value', params: { n: num(g.group.minReplicas)! } })
  }),
  cluster({
    id: 'worker-max-replicas-negative',
    since: '1.6.0',
    workerLoop: true,
    title: 'negative maxReplicas',
    message: 'worker group {g} has negative maxReplicas {n}',
    params: ['g', 'n'],
    hint: 'Set maxReplicas to 0 or more.',
    check: perGroup((g) => (num(g.group.maxReplicas) ?? 0) < 0 && { path: [...g.path, 'maxReplicas'], part: 'value', params: { n: num(g.group.maxReplicas)! } })
  }),
  cluster({
    id: 'worker-min-above-max',
    since: '1.6.0',
    workerLoop: true,
    title: 'minReplicas greater than maxReplicas',
    message: 'worker group {g} has minReplicas {a} greater than maxReplicas {b}',
    params: ['g', 'a', 'b'],
    hint: 'Make minReplicas less than or equal to maxReplicas.',
    check: perGroup((g) => {
      const a = num(g.group.minReplicas)
      const b = num(g.group.maxReplicas)
      return a !== undefined && b !== undefined && a >= 0 && b >= 0 && a > b && { path: [...g.path, 'minReplicas'], part: 'value', params: { a, b } }
    })
  }),
  cluster({
    id: 'worker-resources-twice',
    since: '1.5.0',
    workerLoop: true,
    title: 'worker resources set twice',
    message: 'resource fields should not be set in both rayStartParams and Resources for {g} group; please use only one',
    params: ['g'],
    hint: 'Keep either the group resources map or the num-cpus/num-gpus/memory/resources entries of rayStartParams.',
    check: perGroup((g) => resourceConflict(g.group) && { path: [...g.path, 'resources'] })
  }),
  cluster({
    id: 'worker-labels-in-start-params',
    since: '1.5.0',
    workerLoop: true,
    title: "rayStartParams['labels'] on a worker group",
    message: "rayStartParams['labels'] is not supported for {g} group; please use the top-level Labels field instead",
    params: ['g'],
    hint: 'Move the labels to the worker group labels field.',
    check: perGroup((g) => isSet(obj(g.group.rayStartParams)?.labels) && { path: [...g.path, 'rayStartParams', 'labels'] })
  }),
  cluster({
    id: 'worker-label-invalid',
    since: '1.5.0',
    workerLoop: true,
    title: 'invalid worker group label',
    message: '{detail}',
    params: ['detail'],
    hint: 'Label keys are [prefix/]name (name ≤63 of A-Z a-z 0-9 - _ .); values ≤63 of the same characters, starting and ending alphanumeric.',
    check: perGroup((g, v) => labelProblems(g.group, g.path, g.name, v.version))
  }),
  cluster({
    id: 'worker-idle-timeout-negative',
    since: '1.6.0',
    workerLoop: true,
    title: 'negative idleTimeoutSeconds',
    message: 'worker group {g}: idleTimeoutSeconds must be non-negative, got {n}',
    params: ['g', 'n'],
    hint: 'Set idleTimeoutSeconds to 0 or more.',
    check: perGroup(
      (g) => (num(g.group.idleTimeoutSeconds) ?? 0) < 0 && { path: [...g.path, 'idleTimeoutSeconds'], part: 'value', params: { n: num(g.group.idleTimeoutSeconds)! } }
    )
  }),
  cluster({
    id: 'worker-idle-timeout-needs-v2',
    since: '1.6.0',
    workerLoop: true,
    title: 'idleTimeoutSeconds without autoscaler v2',
    message:
      "worker group {g}: idleTimeoutSeconds is set, but autoscaler v2 is not enabled. Please set .spec.autoscalerOptions.version to 'v2' (or set RAY_enable_autoscaler_v2 environment variable to 'true' in the head pod if using KubeRay < 1.4.0)",
    params: ['g'],
    hint: "Set rayClusterSpec.autoscalerOptions.version: v2, or remove the group's idleTimeoutSeconds.",
    check: perGroup(
      (g, v) => isSet(g.group.idleTimeoutSeconds) && (num(g.group.idleTimeoutSeconds) ?? 0) >= 0 && !autoscalerV2(v) && { path: [...g.path, 'idleTimeoutSeconds'] }
    )
  }),
  cluster({
    id: 'worker-priority-ray-version',
    since: '1.7.0',
    workerLoop: true,
    title: 'worker priority needs Ray 2.56.0',
    message: 'worker group {g}: {detail}',
    params: ['g', 'detail'],
    hint: 'Set rayClusterSpec.rayVersion to 2.56.0 or later, or remove the priority.',
    check: perGroup((g, v) => {
      if ((num(g.group.priority) ?? 0) === 0) return undefined
      const detail = rayVersionMessage(v, '2.56.0', 'priority is set,')
      return detail !== undefined && { path: [...g.path, 'priority'], params: { detail } }
    })
  }),
  cluster({
    id: 'worker-priority-needs-v2',
    since: '1.7.0',
    workerLoop: true,
    title: 'worker priority without autoscaler v2',
    message: 'worker group {g}: priority is set to {n}, but autoscaler v2 is not enabled. Priority is only supported with autoscaler v2 enabled',
    params: ['g', 'n'],
    hint: 'Set rayClusterSpec.autoscalerOptions.version: v2, or remove the priority.',
    check: perGroup((g, v) => {
      const n = num(g.group.priority) ?? 0
      return n !== 0 && rayVersionMessage(v, '2.56.0', '') === undefined && !autoscalerV2(v) && { path: [...g.path, 'priority'], params: { n } }
    })
  }),
  cluster({
    id: 'ft-annotation-and-options',
    since: '1.3.0',
    title: 'ray.io/ft-enabled with gcsFaultToleranceOptions',
    message: 'ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions to configure GCS fault tolerance',
    hint: 'Remove the ray.io/ft-enabled annotation (any value counts, even "false").',
    check: (v) => (nonEmpty(v.annotations['ray.io/ft-enabled']) && isSet(gcsOptions(v)) ? { path: ['metadata', 'annotations', 'ray.io/ft-enabled'] } : undefined)
  }),
  cluster({
    id: 'redis-address-without-ft',
    since: '1.3.0',
    title: 'RAY_REDIS_ADDRESS without GCS fault tolerance',
    message:
      'RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions to enable GCS fault tolerance',
    hint: 'Configure rayClusterSpec.gcsFaultToleranceOptions.redisAddress instead of the env var.',
    check: (v) =>
      (v.annotations['ray.io/ft-enabled'] ?? '').toLowerCase() !== 'true' && !isSet(gcsOptions(v)) && envValue(v.headEnv, 'RAY_REDIS_ADDRESS')
        ? { path: headEnvPath(v, 'RAY_REDIS_ADDRESS') }
        : undefined
  }),
  cluster({
    id: 'ft-redis-password-param',
    since: '1.3.0',
    title: 'redis-password in rayStartParams with GCS fault tolerance',
    message: 'cannot set `redis-password` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
    hint: 'Move the password to gcsFaultToleranceOptions.redisPassword.',
    check: (v) => (isSet(gcsOptions(v)) && nonEmpty(obj(v.head?.rayStartParams)?.['redis-password']) ? { path: [...P.head, 'rayStartParams', 'redis-password'] } : undefined)
  }),
  cluster({
    id: 'ft-redis-password-env',
    since: '1.3.0',
    title: 'REDIS_PASSWORD env with GCS fault tolerance',
    message: 'cannot set `REDIS_PASSWORD` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
    hint: 'Move the password to gcsFaultToleranceOptions.redisPassword.',
    check: (v) => (isSet(gcsOptions(v)) && envValue(v.headEnv, 'REDIS_PASSWORD') ? { path: headEnvPath(v, 'REDIS_PASSWORD') } : undefined)
  }),
  cluster({
    id: 'ft-redis-address-env',
    since: '1.3.0',
    title: 'RAY_REDIS_ADDRESS env with GCS fault tolerance',
    message: 'cannot set `RAY_REDIS_ADDRESS` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisAddress instead',
    hint: 'Move the address to gcsFaultToleranceOptions.redisAddress.',
    check: (v) => (isSet(gcsOptions(v)) && envValue(v.headEnv, 'RAY_REDIS_ADDRESS') ? { path: headEnvPath(v, 'RAY_REDIS_ADDRESS') } : undefined)
  }),
  cluster({
    id: 'ft-storage-namespace-annotation',
    since: '1.3.0',
    title: 'ray.io/external-storage-namespace with GCS fault tolerance',
    message:
      'cannot set `ray.io/external-storage-namespace` annotation when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.ExternalStorageNamespace instead',
    hint: 'Move the namespace to gcsFaultToleranceOptions.externalStorageNamespace.',
    check: (v) =>
      isSet(gcsOptions(v)) && nonEmpty(v.annotations['ray.io/external-storage-namespace'])
        ? { path: ['metadata', 'annotations', 'ray.io/external-storage-namespace'] }
        : undefined
  }),
  cluster({
    id: 'rocksdb-gate-disabled',
    since: '1.7.0',
    title: 'rocksdb GCS backend needs its feature gate',
    message:
      "the embedded RocksDB GCS fault tolerance backend (GcsFaultToleranceOptions.Backend: 'rocksdb') requires the GCSFaultToleranceEmbeddedStorage feature gate to be enabled",
    hint: 'Enable the operator feature gate GCSFaultToleranceEmbeddedStorage, or use the redis backend.',
    check: (v) => (rocksdb(v) && !v.gate('GCSFaultToleranceEmbeddedStorage') ? { path: [...GCS, 'backend'], part: 'value' } : undefined)
  }),
  cluster({
    id: 'rocksdb-with-redis-fields',
    since: '1.7.0',
    title: 'redis settings with the rocksdb backend',
    message: "cannot set GcsFaultToleranceOptions.{field} when backend is 'rocksdb'",
    params: ['field'],
    hint: 'Remove the redis settings: the rocksdb backend stores GCS state on a volume.',
    check: (v) => {
      if (!rocksdb(v)) return undefined
      const fields: [string, string][] = [
        ['redisAddress', 'RedisAddress'],
        ['redisUsername', 'RedisUsername'],
        ['redisPassword', 'RedisPassword'],
        ['externalStorageNamespace', 'ExternalStorageNamespace']
      ]
      // Go: the address and namespace are strings (set when not ""), the credentials pointers (set when present).
      const set = (f: string): boolean => (f === 'redisUsername' || f === 'redisPassword' ? isSet(gcsOptions(v)?.[f]) : nonEmpty(gcsOptions(v)?.[f]))
      return fields.filter(([f]) => set(f)).map(([f, field]) => ({ path: [...GCS, f], params: { field } }))
    }
  }),
  cluster({
    id: 'rocksdb-claim-and-size',
    since: '1.7.0',
    title: 'rocksdb storage claimName with size/class/access modes',
    message: 'GcsFaultToleranceOptions.Storage.ClaimName is mutually exclusive with size, storageClassName, and accessModes',
    hint: 'Use an existing claim (claimName) or let KubeRay create one (size, storageClassName, accessModes), not both.',
    check: (v) => {
      const storage = obj(gcsOptions(v)?.storage)
      return rocksdb(v) && nonEmpty(storage?.claimName) && (isSet(storage?.size) || isSet(storage?.storageClassName) || nonEmpty(storage?.accessModes))
        ? { path: [...GCS, 'storage', 'claimName'] }
        : undefined
    }
  }),
  cluster({
    id: 'rocksdb-storage-env',
    since: '1.7.0',
    title: 'RAY_gcs_storage env with the rocksdb backend',
    message: 'cannot set `RAY_gcs_storage` or `RAY_gcs_storage_path` env var in head Pod when the embedded GCS FT backend is used - these are managed by KubeRay',
    hint: 'Remove RAY_gcs_storage and RAY_gcs_storage_path from the head container env.',
    check: (v) => {
      const name = ['RAY_gcs_storage', 'RAY_gcs_storage_path'].find((n) => envValue(v.headEnv, n))
      return rocksdb(v) && name ? { path: headEnvPath(v, name) } : undefined
    }
  }),
  cluster({
    id: 'rocksdb-reserved-volume',
    since: '1.7.0',
    title: 'gcs-storage volume with the rocksdb backend',
    message: '{detail}',
    params: ['detail'],
    hint: 'Rename the volume and mount: KubeRay manages "gcs-storage" at /data/gcs for the rocksdb backend.',
    check: (v) => {
      if (!rocksdb(v)) return undefined
      const out: Violation[] = []
      arr(v.headContainer?.volumeMounts).forEach((m, i) => {
        if (isObj(m) && (m.name === 'gcs-storage' || m.mountPath === '/data/gcs')) {
          out.push({
            path: [...P.headContainer, 'volumeMounts', i],
            params: { detail: 'cannot set a volume mount named "gcs-storage" or mounted at /data/gcs in the head container when the embedded GCS FT backend is used - it is managed by KubeRay' }
          })
        }
      })
      arr(v.headPodSpec?.volumes).forEach((vol, i) => {
        if (isObj(vol) && vol.name === 'gcs-storage') {
          out.push({
            path: [...P.headPodSpec, 'volumes', i],
            params: { detail: 'cannot set a volume named "gcs-storage" in the head Pod when the embedded GCS FT backend is used - it is managed by KubeRay' }
          })
        }
      })
      return out
    }
  }),
  cluster({
    id: 'redis-backend-with-storage',
    since: '1.7.0',
    title: 'storage with the redis backend',
    message: "cannot set GcsFaultToleranceOptions.Storage when backend is 'redis' - it only applies to the 'rocksdb' backend",
    hint: "Remove gcsFaultToleranceOptions.storage, or set backend: rocksdb.",
    check: (v) => (isSet(gcsOptions(v)) && !rocksdb(v) && isSet(gcsOptions(v)?.storage) ? { path: [...GCS, 'storage'] } : undefined)
  }),
  cluster({
    id: 'redis-username-outside-options',
    since: '1.3.0',
    title: 'redis username outside gcsFaultToleranceOptions',
    message: 'cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead',
    hint: 'Move the username to gcsFaultToleranceOptions.redisUsername.',
    check: (v) =>
      nonEmpty(obj(v.head?.rayStartParams)?.['redis-username'])
        ? { path: [...P.head, 'rayStartParams', 'redis-username'] }
        : envValue(v.headEnv, 'REDIS_USERNAME')
          ? { path: headEnvPath(v, 'REDIS_USERNAME') }
          : undefined
  }),
  cluster({
    id: 'worker-suspend-gate-disabled',
    since: '1.3.0',
    title: 'suspended worker group needs RayJobDeletionPolicy',
    // KubeRay 1.3 (which checks only a RayCluster's spec) words it without the group.
    message: (version) =>
      atLeast(version, '1.4.0')
        ? 'worker group {g} can be suspended only when the RayJobDeletionPolicy feature gate is enabled'
        : 'suspending worker groups is currently available when the RayJobDeletionPolicy feature gate is enabled',
    params: ['g'],
    hint: 'Remove the worker group suspend field (it is not meant for RayJob users), or enable the RayJobDeletionPolicy gate.',
    check: (v) => {
      if (v.gate('RayJobDeletionPolicy')) return undefined
      return v.workerGroups.filter((w) => w.group.suspend === true).map((g) => ({ path: [...g.path, 'suspend'], params: { g: g.name } }))
    }
  }),
  cluster({
    id: 'autoscaler-v2-env-without-autoscaling',
    since: '1.5.0',
    title: 'RAY_enable_autoscaler_v2 without autoscaling',
    message:
      "environment variable RAY_enable_autoscaler_v2 cannot be set to '{value}' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2",
    params: ['value'],
    hint: 'Set rayClusterSpec.enableInTreeAutoscaling: true, or remove the env var.',
    check: (v) => {
      const value = envValue(v.headEnv, AUTOSCALER_V2_ENV)?.value
      return !v.autoscaling && isTrueish(value) ? { path: headEnvPath(v, AUTOSCALER_V2_ENV), params: { value: value! } } : undefined
    }
  }),
  cluster({
    id: 'worker-suspend-with-autoscaling',
    since: '1.3.0',
    title: 'suspended worker group with autoscaling',
    message: 'worker group {g} cannot be suspended with Autoscaler enabled',
    params: ['g'],
    hint: 'Remove the worker group suspend field, or turn off enableInTreeAutoscaling.',
    check: (v) => {
      if (!v.autoscaling) return undefined
      return v.workerGroups.filter((w) => w.group.suspend === true).map((g) => ({ path: [...g.path, 'suspend'], params: { g: g.name } }))
    }
  }),
  cluster({
    id: 'autoscaler-version-twice',
    since: '1.4.0',
    title: 'autoscaler version set twice',
    message: 'both .spec.autoscalerOptions.version and head Pod env var RAY_enable_autoscaler_v2 are set, please only use the former',
    hint: 'Remove RAY_enable_autoscaler_v2 from the head container; keep autoscalerOptions.version.',
    check: (v) =>
      v.autoscaling && nonEmpty(get(v.cluster, ['autoscalerOptions', 'version'])) && envValue(v.headEnv, AUTOSCALER_V2_ENV)
        ? { path: headEnvPath(v, AUTOSCALER_V2_ENV) }
        : undefined
  }),
  cluster({
    id: 'autoscaler-v2-head-restart-policy',
    since: '1.4.0',
    title: 'head restartPolicy with autoscaler v2',
    message: 'restartPolicy for head Pod should be Never or unset when using autoscaler V2',
    hint: 'Remove headGroupSpec.template.spec.restartPolicy or set it to Never.',
    check: (v) => {
      const policy = str(v.headPodSpec?.restartPolicy) ?? ''
      return v.autoscaling && explicitAutoscalerV2(v) && policy !== '' && policy !== 'Never' ? { path: [...P.headPodSpec, 'restartPolicy'], part: 'value' } : undefined
    }
  }),
  cluster({
    id: 'autoscaler-v2-worker-restart-policy',
    since: '1.4.0',
    title: 'worker restartPolicy with autoscaler v2',
    message: 'restartPolicy for worker group {g} should be Never or unset when using autoscaler V2',
    params: ['g'],
    hint: 'Remove the worker template restartPolicy or set it to Never.',
    check: (v) => {
      if (!v.autoscaling || !explicitAutoscalerV2(v)) return undefined
      return v.workerGroups.flatMap((g) => {
        const policy = str(get(g.group, ['template', 'spec', 'restartPolicy'])) ?? ''
        return policy !== '' && policy !== 'Never' ? [{ path: [...g.path, 'template', 'spec', 'restartPolicy'], part: 'value' as const, params: { g: g.name } }] : []
      })
    }
  }),
  cluster({
    id: 'autoscaler-idle-timeout-negative',
    since: '1.6.0',
    title: 'negative autoscalerOptions.idleTimeoutSeconds',
    message: 'autoscalerOptions.idleTimeoutSeconds must be non-negative, got {n}',
    params: ['n'],
    hint: 'Set autoscalerOptions.idleTimeoutSeconds to 0 or more.',
    check: (v) => {
      const n = num(get(v.cluster, ['autoscalerOptions', 'idleTimeoutSeconds']))
      return n !== undefined && n < 0 ? { path: [...P.cluster, 'autoscalerOptions', 'idleTimeoutSeconds'], part: 'value', params: { n } } : undefined
    }
  }),
  cluster({
    id: 'autoscaler-start-cmd-env',
    since: '1.7.0',
    title: 'KUBERAY_GEN_AUTOSCALER_START_CMD in autoscalerOptions.env',
    message: 'autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD: it is managed by KubeRay and injected automatically into the autoscaler container',
    hint: 'Remove KUBERAY_GEN_AUTOSCALER_START_CMD from autoscalerOptions.env.',
    check: (v) => {
      const env = envOf(obj(v.cluster?.autoscalerOptions))
      const i = envIndex(env, 'KUBERAY_GEN_AUTOSCALER_START_CMD')
      return i >= 0 ? { path: [...P.cluster, 'autoscalerOptions', 'env', i] } : undefined
    }
  }),
  cluster({
    id: 'history-server-gate-disabled',
    since: '1.7.0',
    title: 'historyServerOptions needs its feature gate',
    message: 'RayClusterHistoryServer feature gate is not enabled',
    hint: 'Enable the operator feature gate RayClusterHistoryServer, or remove historyServerOptions.',
    check: (v) => (isSet(v.cluster?.historyServerOptions) && !v.gate('RayClusterHistoryServer') ? { path: [...P.cluster, 'historyServerOptions'] } : undefined)
  }),
  cluster({
    id: 'history-collector-invalid',
    since: '1.7.0',
    title: 'invalid history server collector options',
    message: '{detail}',
    params: ['detail'],
    hint: 'Set collectorOptions.image and a literal STORAGE_BACKEND env with its backend settings; leave KubeRay-managed env vars and the ray-history-collector container name alone.',
    when: (v) => v.gate('RayClusterHistoryServer'),
    check: (v) => collectorProblems(v)
  }),
  cluster({
    id: 'token-auth-ray-version',
    since: '1.5.1',
    title: 'Ray token auth needs Ray 2.52.0',
    message: '{detail}',
    params: ['detail'],
    hint: 'Set rayClusterSpec.rayVersion to 2.52.0 or later, or remove authOptions.mode: token.',
    check: (v) => {
      if (str(get(v.cluster, ['authOptions', 'mode'])) !== 'token') return undefined
      const detail = rayVersionMessage(v, '2.52.0', "authOptions.mode is 'token'")
      return detail ? { path: [...P.cluster, 'authOptions', 'mode'], part: 'value', params: { detail } } : undefined
    }
  }),
  cluster({
    id: 'k8s-token-auth-settings',
    since: '1.6.0',
    title: 'K8s token auth settings',
    message: '{detail}',
    params: ['detail'],
    hint: 'RayJobs do not support K8s token auth; remove authOptions.enableK8sTokenAuth.',
    check: (v) => {
      const auth = obj(v.cluster?.authOptions)
      if (auth?.enableK8sTokenAuth !== true || str(auth.mode) !== 'token') return undefined
      const out: Violation[] = []
      const version = rayVersionMessage(v, '2.55.0', '')
      if (version === undefined) {
        // fine
      } else if (checkGenericRayVersion(str(v.cluster?.rayVersion), '2.52.0').ok) {
        out.push({ path: [...P.cluster, 'rayVersion'], params: { detail: `authOptions.enableK8sTokenAuth is enabled but minimum Ray version is 2.55.0, got ${str(v.cluster?.rayVersion)}` } })
      }
      if (nonEmpty(auth.secretName)) {
        out.push({ path: [...P.cluster, 'authOptions', 'secretName'], params: { detail: 'authOptions.enableK8sTokenAuth is enabled and authOptions.secretName is also set' } })
      }
      return out
    }
  }),
  cluster({
    id: 'k8s-token-auth-without-token-mode',
    since: '1.6.0',
    title: 'enableK8sTokenAuth without token mode',
    message: "authOptions.enableK8sTokenAuth is enabled but authOptions.mode not set to 'token'",
    hint: 'RayJobs do not support K8s token auth; remove authOptions.enableK8sTokenAuth.',
    check: (v) =>
      get(v.cluster, ['authOptions', 'enableK8sTokenAuth']) === true && str(get(v.cluster, ['authOptions', 'mode'])) !== 'token'
        ? { path: [...P.cluster, 'authOptions', 'enableK8sTokenAuth'] }
        : undefined
  }),
  cluster({
    id: 'network-policy-gate-disabled',
    since: '1.7.0',
    title: 'networkPolicy needs its feature gate',
    message: 'spec.networkPolicy requires the RayClusterNetworkPolicy feature gate to be enabled',
    hint: 'Enable the operator feature gate RayClusterNetworkPolicy, or remove networkPolicy.',
    check: (v) => (isSet(v.cluster?.networkPolicy) && !v.gate('RayClusterNetworkPolicy') ? { path: [...P.cluster, 'networkPolicy'] } : undefined)
  }),
  cluster({
    id: 'network-policy-inconsistent',
    since: '1.7.0',
    title: 'inconsistent networkPolicy',
    message: '{detail}',
    params: ['detail'],
    hint: 'Ingress rules only apply when ingress is restricted (DenyAll or DenyAllIngress), egress rules when egress is (DenyAll or DenyAllEgress).',
    check: (v) => networkPolicyProblems(v)
  }),
  cluster({
    id: 'tls-gate-disabled',
    since: '1.7.0',
    title: 'tlsOptions needs its feature gate',
    message: 'spec.tlsOptions requires the RayClusterMTLS feature gate to be enabled',
    hint: 'Enable the operator feature gate RayClusterMTLS, or remove tlsOptions.',
    check: (v) => (isSet(v.cluster?.tlsOptions) && !v.gate('RayClusterMTLS') ? { path: [...P.cluster, 'tlsOptions'] } : undefined)
  }),
  cluster({
    id: 'tls-managed-settings',
    since: '1.7.0',
    title: 'TLS settings managed by KubeRay',
    message: '{detail}',
    params: ['detail'],
    hint: 'Remove the RAY_TLS_*/RAY_USE_TLS env vars and the ray-tls volume mount: KubeRay manages TLS when tlsOptions is enabled.',
    when: (v) => v.gate('RayClusterMTLS') && get(v.cluster, ['tlsOptions', 'enabled']) === true,
    check: (v) => tlsProblems(v)
  })
]

function collectorProblems(v: JobView): Violation[] {
  const options = obj(v.cluster?.historyServerOptions)
  if (!options) return []
  const base: Path = [...P.cluster, 'historyServerOptions']
  const collector = obj(options.collectorOptions)
  if (!collector) return [{ path: base, params: { detail: 'historyServerOptions.collectorOptions must be set' } }]
  const cpath: Path = [...base, 'collectorOptions']
  const out: Violation[] = []
  if (!nonEmpty(collector.image)) out.push({ path: cpath, params: { detail: 'historyServerOptions.collectorOptions.image must be set' } })
  const env = arr(collector.env).filter(isObj)
  env.forEach((e, i) => {
    if (COLLECTOR_MANAGED_ENV.includes(str(e.name) ?? '')) {
      out.push({
        path: [...cpath, 'env', i],
        params: { detail: `historyServerOptions.collectorOptions.env must not contain ${str(e.name)}: it is managed by KubeRay and injected automatically into the collector container` }
      })
    }
  })
  // Like KubeRay, the last entry of a name wins.
  const byName = new Map(env.map((e) => [str(e.name) ?? '', e]))
  const literal = (name: string): string => str(byName.get(name)?.value) ?? ''
  const hasValue = (name: string): boolean => literal(name) !== '' || isSet(byName.get(name)?.valueFrom)
  const backend = literal('STORAGE_BACKEND')
  if (!backend) {
    out.push({ path: cpath, params: { detail: 'STORAGE_BACKEND environment variable must be set with a literal string value in historyServerOptions.collectorOptions.env' } })
  } else {
    const missing = backendSettingProblem(backend.toUpperCase(), literal('AZURE_STORAGE_AUTH_MODE').trim().toLowerCase(), hasValue)
    if (missing) out.push({ path: [...cpath, 'env'], params: { detail: missing } })
  }
  for (const { c, path } of containersOf(P.headPodSpec, v.headPodSpec)) {
    if (c.name === COLLECTOR_CONTAINER) {
      out.push({ path, params: { detail: "head pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled" } })
    }
  }
  for (const g of v.workerGroups) {
    for (const { c, path } of containersOf([...g.path, 'template', 'spec'], obj(get(g.group, ['template', 'spec'])))) {
      if (c.name === COLLECTOR_CONTAINER) {
        out.push({
          path,
          params: { detail: `worker group ${g.name} pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled` }
        })
      }
    }
  }
  return out
}

/** KubeRay's check of the settings a history-server storage backend needs (the first one missing). */
function backendSettingProblem(backend: string, azureAuthMode: string, hasValue: (name: string) => boolean): string | undefined {
  const need = (name: string, when: string): string | undefined => (hasValue(name) ? undefined : `${name} environment variable must be set when STORAGE_BACKEND is ${when}`)
  switch (backend) {
    case 'GCS':
      return need('GCS_BUCKET', 'GCS')
    case 'S3':
      return need('S3_REGION', 'S3')
    case 'ALIYUNOSS':
      return need('OSS_BUCKET', 'ALIYUNOSS') ?? need('OSS_ENDPOINT', 'ALIYUNOSS') ?? need('OSS_REGION', 'ALIYUNOSS')
    case 'AZUREBLOB':
      if (azureAuthMode === 'connection_string') return need('AZURE_STORAGE_CONNECTION_STRING', 'AZUREBLOB and AZURE_STORAGE_AUTH_MODE is connection_string')
      if (azureAuthMode === 'workload_identity' || azureAuthMode === 'default') {
        return need('AZURE_STORAGE_ACCOUNT_URL', `AZUREBLOB and AZURE_STORAGE_AUTH_MODE is ${azureAuthMode}`)
      }
      return hasValue('AZURE_STORAGE_CONNECTION_STRING') || hasValue('AZURE_STORAGE_ACCOUNT_URL')
        ? undefined
        : 'either AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL environment variable must be set when STORAGE_BACKEND is AZUREBLOB'
    default:
      // KubeRay does not check backends it does not know.
      return undefined
  }
}

function networkPolicyProblems(v: JobView): Violation[] {
  const policy = obj(v.cluster?.networkPolicy)
  if (!policy) return []
  const base: Path = [...P.cluster, 'networkPolicy']
  const mode = str(policy.mode) ?? 'DenyAll'
  const out: Violation[] = []
  const checkPeer = (peer: Obj | undefined, path: Path, label: string): void => {
    if (!peer) return
    if (mode === 'DenyAllEgress' && nonEmpty(peer.ingressRules)) {
      out.push({ path: [...path, 'ingressRules'], params: { detail: `networkPolicy.${label}.ingressRules cannot be set when mode is "DenyAllEgress" (ingress is not restricted)` } })
    }
    if (mode === 'DenyAllIngress' && nonEmpty(peer.egressRules)) {
      out.push({ path: [...path, 'egressRules'], params: { detail: `networkPolicy.${label}.egressRules cannot be set when mode is "DenyAllIngress" (egress is not restricted)` } })
    }
  }
  checkPeer(obj(policy.head), [...base, 'head'], 'head')
  checkPeer(obj(policy.worker), [...base, 'worker'], 'worker')
  const groupNames = new Set(v.workerGroups.map((g) => g.name))
  arr(policy.workerGroups).forEach((entry, i) => {
    if (!isObj(entry)) return
    const name = str(entry.groupName) ?? ''
    checkPeer(entry, [...base, 'workerGroups', i], `workerGroups["${name}"]`)
    if (!groupNames.has(name)) {
      out.push({ path: [...base, 'workerGroups', i, 'groupName'], part: 'value', params: { detail: `networkPolicy.workerGroups["${name}"] does not match any group name in workerGroupSpecs` } })
    }
  })
  for (const g of v.workerGroups) {
    const errors = isDNS1123Label(g.name)
    if (errors.length) {
      out.push({
        path: [...g.path, 'groupName'],
        part: 'value',
        params: { detail: `worker group name "${g.name}" must be a valid DNS1123 label when networkPolicy is enabled (it is embedded in the NetworkPolicy name): [${errors.join(' ')}]` }
      })
    }
  }
  return out
}

/** Where KubeRay's TLS messages say a forbidden env var or mount was found, and whose TLS it manages. */
interface TlsPlace {
  env: string
  mounts: string
  managed: string
}

function tlsProblems(v: JobView): Violation[] {
  const out: Violation[] = []
  const checkContainer = (c: Obj | undefined, path: Path, place: TlsPlace): void => {
    arr(c?.env).forEach((e, i) => {
      if (isObj(e) && TLS_ENV.includes(str(e.name) ?? '')) {
        out.push({ path: [...path, 'env', i], params: { detail: `cannot set ${str(e.name)} environment variable in ${place.env} when tlsOptions is set - the operator manages ${place.managed}` } })
      }
    })
    arr(c?.volumeMounts).forEach((m, i) => {
      if (!isObj(m)) return
      const managed = '- the operator manages TLS configuration automatically'
      if (m.name === 'ray-tls') {
        out.push({ path: [...path, 'volumeMounts', i], params: { detail: `cannot use volume mount named "ray-tls" in ${place.mounts} when tlsOptions is set ${managed}` } })
      } else if (m.mountPath === '/etc/ray/tls') {
        out.push({ path: [...path, 'volumeMounts', i], params: { detail: `cannot use volume mount at path "/etc/ray/tls" in ${place.mounts} when tlsOptions is set ${managed}` } })
      }
    })
  }
  const pod = (where: string): TlsPlace => ({ env: where, mounts: where, managed: 'TLS configuration automatically' })
  checkContainer(v.headContainer, P.headContainer, pod('head Pod'))
  for (const g of v.workerGroups) {
    checkContainer(obj(arr(get(g.group, ['template', 'spec', 'containers']))[0]), [...g.path, 'template', 'spec', 'containers', 0], pod(`worker group "${g.name}"`))
  }
  checkContainer(obj(v.cluster?.autoscalerOptions), [...P.cluster, 'autoscalerOptions'], {
    env: 'autoscalerOptions.env',
    mounts: 'autoscalerOptions.volumeMounts',
    managed: 'TLS configuration for the autoscaler automatically'
  })
  return out
}
