// Cases for ValidateRayClusterSpec as KubeRay applies it to spec.rayClusterSpec (S14, §3), run by
// cluster.test.ts and counted by coverage.test.ts. Names starting with "Test" are KubeRay's
// RayClusterSpec unit tests (validation_test.go at v1.7.0) that apply through a RayJob.
import { cluster, ENTRYPOINT, keyAt, rayJob, valueAt, worker, y } from './testing.js'
import type { ClusterParts, RuleCase } from './testing.js'

const SPEC = 'The RayJob spec is invalid: '

const job = (parts: ClusterParts, options: { spec?: string; metadata?: string } = {}): string =>
  rayJob(
    y`
      ${ENTRYPOINT}
      ${options.spec ?? ''}
      ${cluster(parts)}
    `,
    { metadata: options.metadata }
  )
const env = (name: string, value: string): string => `env:\n  - name: ${name}\n    value: "${value}"`
/** An `env:` list of several literal variables. */
const envs = (...vars: [string, string][]): string => `env:${vars.map(([name, value]) => `\n  - name: ${name}\n    value: "${value}"`).join('')}`
const annotations = (lines: string): string => `annotations:\n${lines.replace(/^/gm, '  ')}`
const gcs = (fields: string): string => `gcsFaultToleranceOptions:\n${fields.replace(/^/gm, '  ')}`
const REDIS = 'redisAddress: redis:6379'
const AUTOSCALING = 'enableInTreeAutoscaling: true'
const V2 = 'enableInTreeAutoscaling: true\nautoscalerOptions:\n  version: v2'
const IDLE_NEEDS_V2 =
  "worker group small: idleTimeoutSeconds is set, but autoscaler v2 is not enabled. Please set .spec.autoscalerOptions.version to 'v2' (or set RAY_enable_autoscaler_v2 environment variable to 'true' in the head pod if using KubeRay < 1.4.0)"
const QUALIFIED_NAME_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const DNS1123_LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const collector = (fields: string): string => `historyServerOptions:\n  collectorOptions:\n${fields.replace(/^/gm, '    ')}`
const COLLECTOR_IMAGE = 'image: rayproject/ray-history-collector:v1.7.0'
const HISTORY_GATE = { RayClusterHistoryServer: true }

export const CLUSTER_CASES: RuleCase[] = [
  // C1, C5
  {
    name: 'TestValidateRayClusterSpecEmptyContainers/headGroupSpec has no containers',
    yaml: job({ headContainers: 'containers: []' }),
    findings: [{ ruleId: 'head-no-containers', message: `${SPEC}headGroupSpec should have at least one container`, at: keyAt('containers'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpecEmptyContainers/workerGroupSpec has no containers',
    yaml: job({ workers: [worker('small', { containers: 'containers: []' })] }),
    findings: [{ ruleId: 'worker-no-containers', message: `${SPEC}workerGroupSpec should have at least one container`, at: keyAt('containers', 'groupName'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpecEmptyContainers/valid',
    yaml: job({ workers: [worker('small')] }),
    findings: [],
    absent: ['head-no-containers', 'worker-no-containers']
  },
  {
    name: 'KubeRay 1.3.2 does not check the cluster spec of a RayJob (it does since 1.4.0)',
    version: '1.3.2',
    yaml: job({ headContainers: 'containers: []' }),
    findings: [],
    absent: ['head-no-containers']
  },
  {
    name: 'KubeRay 1.4.2 checks it, without the spec prefix',
    version: '1.4.2',
    yaml: job({ headContainers: 'containers: []' }),
    findings: [{ ruleId: 'head-no-containers', message: 'headGroupSpec should have at least one container', at: keyAt('containers'), reported: true }]
  },
  // C2, C10
  {
    name: 'TestValidateRayClusterSpec_Resources/head with both rayStartParams and resources',
    yaml: job({ head: 'rayStartParams:\n  num-cpus: "1"\nresources:\n  CPU: "1"' }),
    findings: [
      {
        ruleId: 'head-resources-twice',
        message: `${SPEC}resource fields should not be set in both rayStartParams and Resources for Head group; please use only one`,
        at: keyAt('resources'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Resources/worker with both rayStartParams and resources',
    yaml: job({ workers: [worker('small', { group: 'rayStartParams:\n  num-gpus: "1"\nresources:\n  GPU: "1"' })] }),
    findings: [
      {
        ruleId: 'worker-resources-twice',
        message: `${SPEC}resource fields should not be set in both rayStartParams and Resources for small group; please use only one`,
        at: keyAt('resources'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Resources/only rayStartParams or only resources',
    yaml: job({ head: 'rayStartParams:\n  num-cpus: "1"', workers: [worker('small', { group: 'resources:\n  CPU: "1"' })] }),
    findings: [],
    absent: ['head-resources-twice', 'worker-resources-twice']
  },
  {
    name: 'TestValidateRayClusterSpec_Resources/Valid: Only rayStartParams resources are set for head',
    yaml: job({ head: 'rayStartParams:\n  num-cpus: "2"\n  memory: 4G\n  resources: \'{"TPU": "8"}\'', workers: [worker('worker-group', { group: 'minReplicas: 0\nmaxReplicas: 5' })] }),
    findings: [],
    absent: ['head-resources-twice', 'worker-resources-twice']
  },
  {
    name: 'TestValidateRayClusterSpec_Resources/Valid: Only .Resources field is set for worker',
    yaml: job({ workers: [worker('worker-group', { group: 'minReplicas: 0\nmaxReplicas: 5\nresources:\n  CPU: "2"\n  memory: 4G\n  TPU: "8"' })] }),
    findings: [],
    absent: ['head-resources-twice', 'worker-resources-twice']
  },
  {
    name: 'KubeRay 1.4.2 has no group resources field (it came in 1.5.0 with the rule)',
    version: '1.4.2',
    yaml: job({ head: 'rayStartParams:\n  num-cpus: "1"\nresources:\n  CPU: "1"' }),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.rayClusterSpec.headGroupSpec.resources"', at: keyAt('resources') }],
    absent: ['head-resources-twice']
  },
  // C3, C4, C11
  {
    name: 'TestValidateRayClusterSpec_Labels/labels in rayStartParams of the head',
    yaml: job({ head: 'rayStartParams:\n  labels: "ray.io/accelerator=gpu"' }),
    findings: [
      {
        ruleId: 'head-labels-in-start-params',
        message: `${SPEC}rayStartParams['labels'] is not supported for Head group; please use the top-level Labels field instead`,
        at: keyAt('labels'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Labels/labels in rayStartParams of a worker group',
    yaml: job({ workers: [worker('small', { group: 'rayStartParams:\n  labels: "zone=a"' })] }),
    findings: [
      {
        ruleId: 'worker-labels-in-start-params',
        message: `${SPEC}rayStartParams['labels'] is not supported for small group; please use the top-level Labels field instead`,
        at: keyAt('labels'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Labels/invalid label key',
    yaml: job({ head: 'labels:\n  invalid_key!: "true"' }),
    findings: [
      {
        ruleId: 'head-label-invalid',
        message: `${SPEC}invalid label key for Head group: 'invalid_key!', error: ${QUALIFIED_NAME_ERROR}`,
        at: keyAt('invalid_key!'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Labels/invalid label value',
    yaml: job({ workers: [worker('small', { group: 'labels:\n  zone: invalid/value' })] }),
    findings: [
      {
        ruleId: 'worker-label-invalid',
        message: `${SPEC}invalid label value for key 'zone' in small group: 'invalid/value', error: ${LABEL_VALUE_ERROR}`,
        at: keyAt('zone'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Labels/only Labels',
    yaml: job({ head: 'labels:\n  ray.io/accelerator: gpu', workers: [worker('small', { group: 'labels:\n  zone: us-east-1a' })] }),
    findings: [],
    absent: ['head-label-invalid', 'worker-label-invalid', 'head-labels-in-start-params', 'worker-labels-in-start-params']
  },
  {
    name: 'a label key with an empty prefix has two errors, joined as KubeRay joins them',
    yaml: job({ head: 'labels:\n  /accelerator: gpu' }),
    findings: [
      {
        ruleId: 'head-label-invalid',
        message: `${SPEC}invalid label key for Head group: '/accelerator', error: prefix part must be non-empty`,
        at: keyAt('/accelerator'),
        reported: true
      }
    ]
  },
  // C6–C9
  {
    name: 'TestValidateRayClusterSpec_WorkerGroupReplicaValidation/minReplicas greater than maxReplicas',
    yaml: job({ workers: [worker('small', { group: 'minReplicas: 5\nmaxReplicas: 2' })] }),
    findings: [{ ruleId: 'worker-min-above-max', message: `${SPEC}worker group small has minReplicas 5 greater than maxReplicas 2`, at: valueAt('minReplicas'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpec_WorkerGroupReplicaValidation/negative minReplicas',
    yaml: job({ workers: [worker('small', { group: 'minReplicas: -1\nmaxReplicas: 2' })] }),
    findings: [{ ruleId: 'worker-min-replicas-negative', message: `${SPEC}worker group small has negative minReplicas -1`, at: valueAt('minReplicas'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpec_WorkerGroupReplicaValidation/negative maxReplicas',
    yaml: job({ workers: [worker('small', { group: 'minReplicas: 0\nmaxReplicas: -1' })] }),
    findings: [{ ruleId: 'worker-max-replicas-negative', message: `${SPEC}worker group small has negative maxReplicas -1`, at: valueAt('maxReplicas'), reported: true }]
  },
  {
    name: 'minReplicas and maxReplicas of 0 are fine',
    yaml: job({ workers: [worker('small', { group: 'minReplicas: 0\nmaxReplicas: 0' })] }),
    findings: [],
    absent: ['worker-min-replicas-negative', 'worker-max-replicas-negative', 'worker-min-above-max']
  },
  {
    name: 'TestValidateRayClusterSpec_WorkerGroupReplicaValidation/replicas smaller than minReplicas when autoscaling disabled',
    yaml: job({ workers: [worker('small', { group: 'replicas: 0\nminReplicas: 1\nmaxReplicas: 3' })] }),
    findings: [
      {
        ruleId: 'worker-replicas-clamped',
        severity: 'note',
        message: 'worker group small asks for 0 replicas, outside [1, 3]: the operator clamps it to 1',
        at: valueAt('replicas')
      }
    ],
    absent: ['worker-min-above-max']
  },
  {
    name: 'min and max replicas are accepted by KubeRay 1.5.2 whatever they are (the rules came in 1.6.0)',
    version: '1.5.2',
    yaml: job({ workers: [worker('small', { group: 'minReplicas: 5\nmaxReplicas: 2' })] }),
    findings: [],
    absent: ['worker-min-above-max']
  },
  // C12, C13
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/negative idleTimeoutSeconds',
    yaml: job({ cluster: V2, workers: [worker('small', { group: 'idleTimeoutSeconds: -1' })] }),
    findings: [
      { ruleId: 'worker-idle-timeout-negative', message: `${SPEC}worker group small: idleTimeoutSeconds must be non-negative, got -1`, at: valueAt('idleTimeoutSeconds'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/idleTimeoutSeconds without autoscaler v2',
    yaml: job({ cluster: AUTOSCALING, workers: [worker('small', { group: 'idleTimeoutSeconds: 60' })] }),
    findings: [{ ruleId: 'worker-idle-timeout-needs-v2', message: `${SPEC}${IDLE_NEEDS_V2}`, at: keyAt('idleTimeoutSeconds'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/RAY_enable_autoscaler_v2 set to false',
    yaml: job({ cluster: AUTOSCALING, headContainer: env('RAY_enable_autoscaler_v2', 'false'), workers: [worker('small', { group: 'idleTimeoutSeconds: 60' })] }),
    findings: [{ ruleId: 'worker-idle-timeout-needs-v2', message: `${SPEC}${IDLE_NEEDS_V2}`, at: keyAt('idleTimeoutSeconds'), reported: true }]
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/valid with autoscaler v2 field, and zero',
    yaml: job({ cluster: V2, workers: [worker('small', { group: 'idleTimeoutSeconds: 60' }), worker('large', { group: 'idleTimeoutSeconds: 0' })] }),
    findings: [],
    absent: ['worker-idle-timeout-needs-v2', 'worker-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/valid with RAY_enable_autoscaler_v2 env',
    yaml: job({ cluster: AUTOSCALING, headContainer: env('RAY_enable_autoscaler_v2', 'true'), workers: [worker('small', { group: 'idleTimeoutSeconds: 60' })] }),
    findings: [],
    absent: ['worker-idle-timeout-needs-v2', 'autoscaler-v2-env-without-autoscaling']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: Worker group with idleTimeoutSeconds and v2 env var',
    yaml: job({ cluster: AUTOSCALING, headContainer: env('RAY_enable_autoscaler_v2', '1'), workers: [worker('small', { group: 'idleTimeoutSeconds: 60' })] }),
    findings: [],
    absent: ['worker-idle-timeout-needs-v2', 'autoscaler-v2-env-without-autoscaling']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: Worker group with zero idleTimeoutSeconds',
    yaml: job({ cluster: V2, workers: [worker('small', { group: 'idleTimeoutSeconds: 0' })] }),
    findings: [],
    absent: ['worker-idle-timeout-needs-v2', 'worker-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: Worker group without idleTimeoutSeconds',
    yaml: job({ cluster: AUTOSCALING, workers: [worker('small')] }),
    findings: [],
    absent: ['worker-idle-timeout-needs-v2', 'worker-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions with idleTimeoutSeconds and v2',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  version: v2\n  idleTimeoutSeconds: 120` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions with idleTimeoutSeconds and v1',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  version: v1\n  idleTimeoutSeconds: 120` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions with idleTimeoutSeconds and no version',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  idleTimeoutSeconds: 120` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions with zero idleTimeoutSeconds',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  idleTimeoutSeconds: 0` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions without idleTimeoutSeconds',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  version: v1` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/Valid: AutoscalerOptions is nil',
    yaml: job({ cluster: AUTOSCALING }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative']
  },
  // C14–C17
  {
    name: 'TestValidateRayClusterSpec_Priority/empty rayVersion',
    yaml: job({ cluster: V2, workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [
      {
        ruleId: 'worker-priority-ray-version',
        message: `${SPEC}worker group small: priority is set, but RayVersion was not specified. Ray version 2.56.0 or later is required`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/invalid rayVersion',
    yaml: job({ cluster: `rayVersion: nightly\n${V2}`, workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [
      {
        ruleId: 'worker-priority-ray-version',
        message: `${SPEC}worker group small: priority is set, but RayVersion format is invalid: nightly, could not parse "nightly" as version`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/rayVersion below 2.56.0',
    yaml: job({ cluster: `rayVersion: "2.52.0"\n${V2}`, workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [
      {
        ruleId: 'worker-priority-ray-version',
        message: `${SPEC}worker group small: priority is set, but minimum Ray version is 2.56.0, got 2.52.0`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/without autoscaler v2',
    yaml: job({ cluster: `rayVersion: "2.56.0"\n${AUTOSCALING}`, workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [
      {
        ruleId: 'worker-priority-needs-v2',
        message: `${SPEC}worker group small: priority is set to 5, but autoscaler v2 is not enabled. Priority is only supported with autoscaler v2 enabled`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/env with an invalid value does not enable v2',
    yaml: job({ cluster: `rayVersion: "2.56.0"\n${AUTOSCALING}`, headContainer: env('RAY_enable_autoscaler_v2', 'yes'), workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [
      {
        ruleId: 'worker-priority-needs-v2',
        message: `${SPEC}worker group small: priority is set to 5, but autoscaler v2 is not enabled. Priority is only supported with autoscaler v2 enabled`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/v2 field, v2 env, zero priority',
    yaml: job({
      cluster: `rayVersion: "2.56.0"\n${V2}`,
      workers: [worker('small', { group: 'priority: 5' }), worker('large', { group: 'priority: 0' })]
    }),
    findings: [],
    absent: ['worker-priority-needs-v2', 'worker-priority-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/v2 env (a release candidate of 2.56.0 counts as 2.56.0)',
    yaml: job({ cluster: `rayVersion: "2.56.0-rc1"\n${AUTOSCALING}`, headContainer: env('RAY_enable_autoscaler_v2', '1'), workers: [worker('small', { group: 'priority: 5' })] }),
    findings: [],
    absent: ['worker-priority-needs-v2', 'worker-priority-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/Valid: Worker group with zero priority and v2 disabled',
    yaml: job({ cluster: `rayVersion: "2.56.0"\n${AUTOSCALING}`, workers: [worker('small', { group: 'priority: 0' })] }),
    findings: [],
    absent: ['worker-priority-needs-v2', 'worker-priority-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/Valid: Worker group without priority and v2 disabled',
    yaml: job({ cluster: `rayVersion: "2.56.0"\n${AUTOSCALING}`, workers: [worker('small')] }),
    findings: [],
    absent: ['worker-priority-needs-v2', 'worker-priority-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpec_Priority/Invalid: Worker group priority with invalid env var',
    yaml: job({ cluster: `rayVersion: "2.56.0"\n${AUTOSCALING}`, headContainer: env('RAY_enable_autoscaler_v2', 'false'), workers: [worker('small', { group: 'priority: 2' })] }),
    findings: [
      {
        ruleId: 'worker-priority-needs-v2',
        message: `${SPEC}worker group small: priority is set to 2, but autoscaler v2 is not enabled. Priority is only supported with autoscaler v2 enabled`,
        at: keyAt('priority'),
        reported: true
      }
    ]
  },
  // C18–C23, C30
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is set to false and GcsFaultToleranceOptions is set',
    yaml: job({ cluster: gcs(REDIS) }, { metadata: annotations('ray.io/ft-enabled: "false"') }),
    findings: [
      {
        ruleId: 'ft-annotation-and-options',
        message: `${SPEC}ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions to configure GCS fault tolerance`,
        at: keyAt('ray.io/ft-enabled'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is set to true and GcsFaultToleranceOptions is set',
    yaml: job({ cluster: gcs(REDIS) }, { metadata: annotations('ray.io/ft-enabled: "true"') }),
    findings: [
      {
        ruleId: 'ft-annotation-and-options',
        message: `${SPEC}ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions to configure GCS fault tolerance`,
        at: keyAt('ray.io/ft-enabled'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is not set and GcsFaultToleranceOptions is set',
    yaml: job({ cluster: gcs(REDIS) }),
    findings: [],
    absent: ['ft-annotation-and-options']
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is not set and GcsFaultToleranceOptions is not set',
    yaml: job({}),
    findings: [],
    absent: ['ft-annotation-and-options', 'redis-address-without-ft', 'ft-redis-address-env']
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is set to false and RAY_REDIS_ADDRESS is set',
    yaml: job({ headContainer: env('RAY_REDIS_ADDRESS', 'redis:6379') }, { metadata: annotations('ray.io/ft-enabled: "false"') }),
    findings: [
      {
        ruleId: 'redis-address-without-ft',
        message: `${SPEC}RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions to enable GCS fault tolerance`,
        at: { text: 'name: RAY_REDIS_ADDRESS' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/FT is disabled and RAY_REDIS_ADDRESS is set',
    yaml: job({ headContainer: env('RAY_REDIS_ADDRESS', 'redis:6379') }),
    findings: [
      {
        ruleId: 'redis-address-without-ft',
        message: `${SPEC}RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions to enable GCS fault tolerance`,
        at: { text: 'name: RAY_REDIS_ADDRESS' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/ray.io/ft-enabled is set to true and RAY_REDIS_ADDRESS is set',
    yaml: job({ headContainer: env('RAY_REDIS_ADDRESS', 'redis:6379') }, { metadata: annotations('ray.io/ft-enabled: "true"') }),
    findings: [],
    absent: ['redis-address-without-ft']
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/gcsFaultToleranceOptions is set and RAY_REDIS_ADDRESS is set',
    yaml: job({ cluster: gcs(REDIS), headContainer: env('RAY_REDIS_ADDRESS', 'redis:6379') }),
    findings: [
      {
        ruleId: 'ft-redis-address-env',
        message: `${SPEC}cannot set \`RAY_REDIS_ADDRESS\` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisAddress instead`,
        at: { text: 'name: RAY_REDIS_ADDRESS' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/gcsFaultToleranceOptions is set and ray.io/external-storage-namespace is set',
    yaml: job({ cluster: gcs(REDIS) }, { metadata: annotations('ray.io/external-storage-namespace: team-a') }),
    findings: [
      {
        ruleId: 'ft-storage-namespace-annotation',
        message: `${SPEC}cannot set \`ray.io/external-storage-namespace\` annotation when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.ExternalStorageNamespace instead`,
        at: keyAt('ray.io/external-storage-namespace'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/redis backend without RedisAddress is accepted',
    yaml: job({ cluster: gcs('backend: redis') }),
    findings: [],
    absent: ['redis-backend-with-storage']
  },
  {
    name: 'redisAddress was required by the CRD up to KubeRay 1.6.2',
    version: '1.6.2',
    yaml: job({ cluster: gcs('externalStorageNamespace: team-a') }),
    findings: [{ ruleId: 'schema-required', message: 'spec.rayClusterSpec.gcsFaultToleranceOptions.redisAddress: Required value', at: keyAt('gcsFaultToleranceOptions') }]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/redis backend rejects rocksdb-only storage field',
    yaml: job({ cluster: gcs(`${REDIS}\nstorage:\n  size: 10Gi`) }),
    findings: [
      {
        ruleId: 'redis-backend-with-storage',
        message: `${SPEC}cannot set GcsFaultToleranceOptions.Storage when backend is 'redis' - it only applies to the 'rocksdb' backend`,
        at: keyAt('storage'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend is valid with no redis fields',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headContainer: env('RAY_gcs_server_port', '6379') }),
    findings: [],
    absent: ['rocksdb-with-redis-fields', 'rocksdb-gate-disabled', 'rocksdb-storage-env']
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend with operator-managed storage is valid',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb\nstorage:\n  size: 10Gi\n  storageClassName: standard') }),
    findings: [],
    absent: ['rocksdb-claim-and-size']
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend rejects RedisAddress',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs(`backend: rocksdb\n${REDIS}`) }),
    findings: [
      { ruleId: 'rocksdb-with-redis-fields', message: `${SPEC}cannot set GcsFaultToleranceOptions.RedisAddress when backend is 'rocksdb'`, at: keyAt('redisAddress'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend rejects ExternalStorageNamespace',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb\nexternalStorageNamespace: team-a') }),
    findings: [
      {
        ruleId: 'rocksdb-with-redis-fields',
        message: `${SPEC}cannot set GcsFaultToleranceOptions.ExternalStorageNamespace when backend is 'rocksdb'`,
        at: keyAt('externalStorageNamespace'),
        reported: true
      }
    ]
  },
  {
    name: 'rocksdb backend rejects a redis password, even an empty one',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb\nredisPassword: {}') }),
    findings: [
      { ruleId: 'rocksdb-with-redis-fields', message: `${SPEC}cannot set GcsFaultToleranceOptions.RedisPassword when backend is 'rocksdb'`, at: keyAt('redisPassword'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend rejects claimName combined with size',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb\nstorage:\n  claimName: gcs-pvc\n  size: 10Gi') }),
    findings: [
      {
        ruleId: 'rocksdb-claim-and-size',
        message: `${SPEC}GcsFaultToleranceOptions.Storage.ClaimName is mutually exclusive with size, storageClassName, and accessModes`,
        at: keyAt('claimName'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecGcsFaultToleranceOptions/rocksdb backend rejects user-set RAY_gcs_storage env',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headContainer: env('RAY_gcs_storage', 'rocksdb') }),
    findings: [
      {
        ruleId: 'rocksdb-storage-env',
        message: `${SPEC}cannot set \`RAY_gcs_storage\` or \`RAY_gcs_storage_path\` env var in head Pod when the embedded GCS FT backend is used - these are managed by KubeRay`,
        at: { text: 'name: RAY_gcs_storage' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecEmbeddedGCSFeatureGate/gate off',
    yaml: job({ cluster: gcs('backend: rocksdb') }),
    findings: [
      {
        ruleId: 'rocksdb-gate-disabled',
        message: `${SPEC}the embedded RocksDB GCS fault tolerance backend (GcsFaultToleranceOptions.Backend: 'rocksdb') requires the GCSFaultToleranceEmbeddedStorage feature gate to be enabled`,
        at: valueAt('backend'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecEmbeddedGCSFeatureGate/gate on',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb') }),
    findings: [],
    absent: ['rocksdb-gate-disabled']
  },
  {
    name: 'TestValidateGcsFaultToleranceEmbeddedReservedVolume/reserved volume mount name is rejected',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headContainer: 'volumeMounts:\n  - name: gcs-storage\n    mountPath: /somewhere/else' }),
    findings: [
      {
        ruleId: 'rocksdb-reserved-volume',
        message: `${SPEC}cannot set a volume mount named "gcs-storage" or mounted at /data/gcs in the head container when the embedded GCS FT backend is used - it is managed by KubeRay`,
        at: { text: 'name: gcs-storage', after: 'volumeMounts' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateGcsFaultToleranceEmbeddedReservedVolume/reserved mount path is rejected',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headContainer: 'volumeMounts:\n  - name: data\n    mountPath: /data/gcs', headPod: 'volumes:\n  - name: data\n    emptyDir: {}' }),
    findings: [
      {
        ruleId: 'rocksdb-reserved-volume',
        message: `${SPEC}cannot set a volume mount named "gcs-storage" or mounted at /data/gcs in the head container when the embedded GCS FT backend is used - it is managed by KubeRay`,
        at: { text: 'name: data', after: 'volumeMounts' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateGcsFaultToleranceEmbeddedReservedVolume/reserved volume name is rejected',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headPod: 'volumes:\n  - name: gcs-storage\n    emptyDir: {}' }),
    findings: [
      {
        ruleId: 'rocksdb-reserved-volume',
        message: `${SPEC}cannot set a volume named "gcs-storage" in the head Pod when the embedded GCS FT backend is used - it is managed by KubeRay`,
        at: { text: 'name: gcs-storage' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateGcsFaultToleranceEmbeddedReservedVolume/no reserved volume is valid',
    gates: { GCSFaultToleranceEmbeddedStorage: true },
    yaml: job({ cluster: gcs('backend: rocksdb'), headContainer: 'volumeMounts:\n  - name: data\n    mountPath: /data', headPod: 'volumes:\n  - name: data\n    emptyDir: {}' }),
    findings: [],
    absent: ['rocksdb-reserved-volume']
  },
  {
    name: 'TestValidateRayClusterSpecRedisPassword/redis-password in rayStartParams',
    yaml: job({ cluster: gcs(REDIS), head: 'rayStartParams:\n  redis-password: secret' }),
    findings: [
      {
        ruleId: 'ft-redis-password-param',
        message: `${SPEC}cannot set \`redis-password\` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead`,
        at: keyAt('redis-password'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRedisPassword/REDIS_PASSWORD env',
    yaml: job({ cluster: gcs(REDIS), headContainer: env('REDIS_PASSWORD', 'secret') }),
    findings: [
      {
        ruleId: 'ft-redis-password-env',
        message: `${SPEC}cannot set \`REDIS_PASSWORD\` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead`,
        at: { text: 'name: REDIS_PASSWORD' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRedisPassword/redisPassword in GcsFaultToleranceOptions',
    yaml: job({ cluster: gcs(`${REDIS}\nredisPassword:\n  value: secret`) }),
    findings: [],
    absent: ['ft-redis-password-param', 'ft-redis-password-env', 'ft-redis-address-env', 'ft-storage-namespace-annotation']
  },
  {
    name: 'TestValidateRayClusterSpecRedisUsername/redis-username in rayStartParams',
    yaml: job({ head: 'rayStartParams:\n  redis-username: admin' }),
    findings: [
      {
        ruleId: 'redis-username-outside-options',
        message: `${SPEC}cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead`,
        at: keyAt('redis-username'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRedisUsername/REDIS_USERNAME env',
    yaml: job({ headContainer: env('REDIS_USERNAME', 'admin') }),
    findings: [
      {
        ruleId: 'redis-username-outside-options',
        message: `${SPEC}cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead`,
        at: { text: 'name: REDIS_USERNAME' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRedisUsername/redisUsername in GcsFaultToleranceOptions',
    yaml: job({ cluster: gcs(`${REDIS}\nredisUsername:\n  value: admin`) }),
    findings: [],
    absent: ['redis-username-outside-options']
  },
  // C31–C36
  {
    name: 'TestValidateRayClusterSpecSuspendingWorkerGroup/suspend without autoscaler and the feature gate',
    gates: { RayJobDeletionPolicy: false },
    yaml: job({ workers: [worker('small', { group: 'suspend: true' })] }),
    findings: [
      {
        ruleId: 'worker-suspend-gate-disabled',
        message: `${SPEC}worker group small can be suspended only when the RayJobDeletionPolicy feature gate is enabled`,
        at: keyAt('suspend'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecSuspendingWorkerGroup/suspend without autoscaler',
    yaml: job({ workers: [worker('small', { group: 'suspend: true' })] }),
    findings: [],
    absent: ['worker-suspend-gate-disabled', 'worker-suspend-with-autoscaling']
  },
  {
    name: 'TestValidateRayClusterSpecSuspendingWorkerGroup/suspend with autoscaler',
    yaml: job({ cluster: AUTOSCALING, workers: [worker('small', { group: 'suspend: true' })] }),
    findings: [
      { ruleId: 'worker-suspend-with-autoscaling', message: `${SPEC}worker group small cannot be suspended with Autoscaler enabled`, at: keyAt('suspend'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/RAY_enable_autoscaler_v2 is 1 with autoscaling off',
    yaml: job({ headContainer: env('RAY_enable_autoscaler_v2', '1') }),
    findings: [
      {
        ruleId: 'autoscaler-v2-env-without-autoscaling',
        message: `${SPEC}environment variable RAY_enable_autoscaler_v2 cannot be set to '1' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2`,
        at: { text: 'name: RAY_enable_autoscaler_v2' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/RAY_enable_autoscaler_v2 is true with autoscaling off',
    yaml: job({ cluster: 'enableInTreeAutoscaling: false', headContainer: env('RAY_enable_autoscaler_v2', 'true') }),
    findings: [
      {
        ruleId: 'autoscaler-v2-env-without-autoscaling',
        message: `${SPEC}environment variable RAY_enable_autoscaler_v2 cannot be set to 'true' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2`,
        at: { text: 'name: RAY_enable_autoscaler_v2' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/autoscaler version and RAY_enable_autoscaler_v2 both set',
    yaml: job({ cluster: V2, headContainer: env('RAY_enable_autoscaler_v2', 'true') }),
    findings: [
      {
        ruleId: 'autoscaler-version-twice',
        message: `${SPEC}both .spec.autoscalerOptions.version and head Pod env var RAY_enable_autoscaler_v2 are set, please only use the former`,
        at: { text: 'name: RAY_enable_autoscaler_v2' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/autoscaler v2 with a head restartPolicy other than Never',
    yaml: job({ cluster: V2, headPod: 'restartPolicy: Always' }),
    findings: [
      { ruleId: 'autoscaler-v2-head-restart-policy', message: `${SPEC}restartPolicy for head Pod should be Never or unset when using autoscaler V2`, at: valueAt('restartPolicy'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/autoscaler v2 with a worker restartPolicy other than Never',
    yaml: job({ cluster: V2, workers: [worker('small', { pod: 'restartPolicy: OnFailure' })] }),
    findings: [
      {
        ruleId: 'autoscaler-v2-worker-restart-policy',
        message: `${SPEC}restartPolicy for worker group small should be Never or unset when using autoscaler V2`,
        at: valueAt('restartPolicy'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/autoscaler v1 with a worker restartPolicy other than Never',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  version: v1`, workers: [worker('small', { pod: 'restartPolicy: Always' })] }),
    findings: [],
    absent: ['autoscaler-v2-worker-restart-policy']
  },
  {
    name: 'RAY_enable_autoscaler_v2 alone does not make KubeRay check the restart policies',
    yaml: job({ cluster: AUTOSCALING, headContainer: env('RAY_enable_autoscaler_v2', 'true'), headPod: 'restartPolicy: Always' }),
    findings: [],
    absent: ['autoscaler-v2-head-restart-policy']
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/valid config',
    yaml: job({ cluster: V2, headPod: 'restartPolicy: Never', workers: [worker('small', { pod: 'restartPolicy: Never' })] }),
    findings: [],
    absent: ['autoscaler-v2-head-restart-policy', 'autoscaler-v2-worker-restart-policy', 'autoscaler-version-twice']
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/should not return error if autoscaler v1 is enabled and all worker groups have restartPolicy Never or unset',
    yaml: job({
      cluster: `${AUTOSCALING}\nautoscalerOptions:\n  version: v1`,
      workers: [worker('worker-group-1'), worker('worker-group-2', { pod: 'restartPolicy: Never' })]
    }),
    findings: [],
    absent: ['autoscaler-v2-head-restart-policy', 'autoscaler-v2-worker-restart-policy']
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/should return error if autoscaler is enabled and any worker group is suspended',
    yaml: job({ cluster: AUTOSCALING, workers: [worker('worker-group-1', { group: 'suspend: true' })] }),
    findings: [
      { ruleId: 'worker-suspend-with-autoscaling', message: `${SPEC}worker group worker-group-1 cannot be suspended with Autoscaler enabled`, at: keyAt('suspend'), reported: true }
    ]
  },
  {
    name: 'RAY_enable_autoscaler_v2 set to false with autoscaling off is fine',
    yaml: job({ headContainer: env('RAY_enable_autoscaler_v2', 'false') }),
    findings: [],
    absent: ['autoscaler-v2-env-without-autoscaling']
  },
  // C37, C38
  {
    name: 'autoscalerOptions with idleTimeoutSeconds 0 and env of its own are fine',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  idleTimeoutSeconds: 0\n  ${env('AUTOSCALER_LOG_LEVEL', 'DEBUG').replace(/\n/g, '\n  ')}` }),
    findings: [],
    absent: ['autoscaler-idle-timeout-negative', 'autoscaler-start-cmd-env']
  },
  {
    name: 'TestValidateRayClusterSpec_IdleTimeoutSeconds/negative autoscalerOptions.idleTimeoutSeconds',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  idleTimeoutSeconds: -1` }),
    findings: [
      { ruleId: 'autoscaler-idle-timeout-negative', message: `${SPEC}autoscalerOptions.idleTimeoutSeconds must be non-negative, got -1`, at: valueAt('idleTimeoutSeconds'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/KUBERAY_GEN_AUTOSCALER_START_CMD in autoscalerOptions.env',
    yaml: job({ cluster: `${AUTOSCALING}\nautoscalerOptions:\n  ${env('KUBERAY_GEN_AUTOSCALER_START_CMD', 'ray start').replace(/\n/g, '\n  ')}` }),
    findings: [
      {
        ruleId: 'autoscaler-start-cmd-env',
        message: `${SPEC}autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD: it is managed by KubeRay and injected automatically into the autoscaler container`,
        at: { text: 'name: KUBERAY_GEN_AUTOSCALER_START_CMD' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecAutoscaler/should return error if KUBERAY_GEN_AUTOSCALER_START_CMD is set in autoscalerOptions.env (args also set)',
    yaml: job({
      cluster: `${AUTOSCALING}\nautoscalerOptions:\n  args: [my-custom-autoscaler-cmd]\n  ${env('KUBERAY_GEN_AUTOSCALER_START_CMD', 'ray kuberay-autoscaler --cluster-name foo --cluster-namespace bar').replace(/\n/g, '\n  ')}`
    }),
    findings: [
      {
        ruleId: 'autoscaler-start-cmd-env',
        message: `${SPEC}autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD: it is managed by KubeRay and injected automatically into the autoscaler container`,
        at: { text: 'name: KUBERAY_GEN_AUTOSCALER_START_CMD' },
        reported: true
      }
    ]
  },
  // C39, C40
  {
    name: 'TestValidateRayClusterSpec_HistoryServerRequiresFeatureGate/gate off',
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'S3')}`) }),
    allowOtherErrors: true,
    findings: [{ ruleId: 'history-server-gate-disabled', message: `${SPEC}RayClusterHistoryServer feature gate is not enabled`, at: keyAt('historyServerOptions'), reported: true }],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/collectorOptions not set',
    gates: HISTORY_GATE,
    yaml: job({ cluster: 'historyServerOptions: {}' }),
    findings: [{ ruleId: 'history-collector-invalid', message: `${SPEC}historyServerOptions.collectorOptions must be set`, at: keyAt('historyServerOptions'), reported: true }]
  },
  {
    name: 'TestValidateCollectorOptions/image not set',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${env('STORAGE_BACKEND', 'S3')}\n  - name: S3_REGION\n    value: us-east-1`) }),
    findings: [{ ruleId: 'history-collector-invalid', message: `${SPEC}historyServerOptions.collectorOptions.image must be set`, at: keyAt('collectorOptions'), reported: true }]
  },
  {
    name: 'TestValidateCollectorOptions/env holds a variable KubeRay manages',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'S3')}\n  - name: S3_REGION\n    value: us-east-1\n  - name: POD_IP\n    value: 10.0.0.1`) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}historyServerOptions.collectorOptions.env must not contain POD_IP: it is managed by KubeRay and injected automatically into the collector container`,
        at: { text: 'name: POD_IP' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/STORAGE_BACKEND not set',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(COLLECTOR_IMAGE) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}STORAGE_BACKEND environment variable must be set with a literal string value in historyServerOptions.collectorOptions.env`,
        at: keyAt('collectorOptions'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/GCS without GCS_BUCKET',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'gcs')}`) }),
    findings: [
      { ruleId: 'history-collector-invalid', message: `${SPEC}GCS_BUCKET environment variable must be set when STORAGE_BACKEND is GCS`, at: keyAt('env', 'collectorOptions'), reported: true }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/S3 without S3_REGION',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'S3')}`) }),
    findings: [
      { ruleId: 'history-collector-invalid', message: `${SPEC}S3_REGION environment variable must be set when STORAGE_BACKEND is S3`, at: keyAt('env', 'collectorOptions'), reported: true }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/AZUREBLOB without connection string or account URL',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'AZUREBLOB')}`) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}either AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL environment variable must be set when STORAGE_BACKEND is AZUREBLOB`,
        at: keyAt('env', 'collectorOptions'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/AZUREBLOB with workload_identity and no account URL',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'AZUREBLOB')}\n  - name: AZURE_STORAGE_AUTH_MODE\n    value: workload_identity`) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}AZURE_STORAGE_ACCOUNT_URL environment variable must be set when STORAGE_BACKEND is AZUREBLOB and AZURE_STORAGE_AUTH_MODE is workload_identity`,
        at: keyAt('env', 'collectorOptions'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/ALIYUNOSS without OSS_ENDPOINT',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'ALIYUNOSS')}\n  - name: OSS_BUCKET\n    value: logs`) }),
    findings: [
      { ruleId: 'history-collector-invalid', message: `${SPEC}OSS_ENDPOINT environment variable must be set when STORAGE_BACKEND is ALIYUNOSS`, at: keyAt('env', 'collectorOptions'), reported: true }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/S3 with a region from a Secret',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'S3')}\n  - name: S3_REGION\n    valueFrom:\n      secretKeyRef: {name: s3, key: region}`)
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/unknown storage backend (skips validation)',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'MINIO')}`) }),
    findings: [],
    absent: ['history-collector-invalid', 'history-server-gate-disabled']
  },
  {
    name: 'TestValidateCollectorOptions/valid GCS',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'GCS'], ['GCS_BUCKET', 'my-bucket'])}`) }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/valid GCS with ValueFrom secret',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'GCS')}\n  - name: GCS_BUCKET\n    valueFrom:\n      secretKeyRef: {name: my-gcs-secret, key: bucket}`)
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/valid S3 with all fields',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(
        `${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'S3'], ['S3_BUCKET', 'my-bucket'], ['S3_ENDPOINT', 's3.us-west-2.amazonaws.com'], ['S3_REGION', 'us-west-2'])}`
      )
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/valid AZUREBLOB with connection string mode',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(
        `${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'AZUREBLOB'], ['AZURE_STORAGE_AUTH_MODE', 'connection_string'], ['AZURE_STORAGE_CONNECTION_STRING', 'connection-string'])}`
      )
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/valid AZUREBLOB with workload identity mode',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(
        `${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'AZUREBLOB'], ['AZURE_STORAGE_AUTH_MODE', 'workload_identity'], ['AZURE_STORAGE_ACCOUNT_URL', 'https://myaccount.blob.core.windows.net'])}`
      )
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/missing connection string in connection_string auth mode',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'AZUREBLOB'], ['AZURE_STORAGE_AUTH_MODE', 'connection_string'])}`) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}AZURE_STORAGE_CONNECTION_STRING environment variable must be set when STORAGE_BACKEND is AZUREBLOB and AZURE_STORAGE_AUTH_MODE is connection_string`,
        at: keyAt('env', 'collectorOptions'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/valid ALIYUNOSS',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(
        `${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'ALIYUNOSS'], ['OSS_BUCKET', 'my-bucket'], ['OSS_ENDPOINT', 'oss-cn-hangzhou.aliyuncs.com'], ['OSS_REGION', 'cn-hangzhou'])}`
      )
    }),
    findings: [],
    absent: ['history-collector-invalid']
  },
  {
    name: 'TestValidateCollectorOptions/missing OSS_REGION',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'ALIYUNOSS'], ['OSS_BUCKET', 'my-bucket'], ['OSS_ENDPOINT', 'oss-cn-hangzhou.aliyuncs.com'])}`)
    }),
    findings: [
      { ruleId: 'history-collector-invalid', message: `${SPEC}OSS_REGION environment variable must be set when STORAGE_BACKEND is ALIYUNOSS`, at: keyAt('env', 'collectorOptions'), reported: true }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/manually defined ray-history-collector container in head template',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'GCS'], ['GCS_BUCKET', 'my-bucket'])}`),
      headContainers: 'containers:\n  - name: ray-history-collector\n    image: user-image'
    }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}head pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled`,
        at: { text: 'name: ray-history-collector' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/manually defined ray-history-collector container in worker template',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'GCS'], ['GCS_BUCKET', 'my-bucket'])}`),
      workers: [worker('group-1', { group: 'minReplicas: 1\nmaxReplicas: 1', containers: 'containers:\n  - name: ray-history-collector\n    image: user-image' })]
    }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}worker group group-1 pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled`,
        at: { text: 'name: ray-history-collector' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateCollectorOptions/manually defined EVENTS_PORT in collector env',
    gates: HISTORY_GATE,
    yaml: job({ cluster: collector(`${COLLECTOR_IMAGE}\n${envs(['STORAGE_BACKEND', 'GCS'], ['GCS_BUCKET', 'my-bucket'], ['EVENTS_PORT', '9000'])}`) }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}historyServerOptions.collectorOptions.env must not contain EVENTS_PORT: it is managed by KubeRay and injected automatically into the collector container`,
        at: { text: 'name: EVENTS_PORT' },
        reported: true
      }
    ]
  },
  {
    name: 'a head container named ray-history-collector',
    gates: HISTORY_GATE,
    yaml: job({
      cluster: collector(`${COLLECTOR_IMAGE}\n${env('STORAGE_BACKEND', 'MINIO')}`),
      headContainers: `containers:\n  - name: ray-head\n    image: rayproject/ray:2.52.0\n  - name: ray-history-collector\n    image: collector`
    }),
    findings: [
      {
        ruleId: 'history-collector-invalid',
        message: `${SPEC}head pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled`,
        at: { text: 'name: ray-history-collector' },
        reported: true
      }
    ]
  },
  // C41–C43
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/2.52.0',
    yaml: job({ cluster: 'rayVersion: "2.52.0"\nauthOptions:\n  mode: token' }),
    findings: [],
    absent: ['token-auth-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/3.0.0',
    yaml: job({ cluster: 'rayVersion: "3.0.0"\nauthOptions:\n  mode: token' }),
    findings: [],
    absent: ['token-auth-ray-version']
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/2.50.0',
    yaml: job({ cluster: 'rayVersion: "2.50.0"\nauthOptions:\n  mode: token' }),
    findings: [
      { ruleId: 'token-auth-ray-version', message: `${SPEC}authOptions.mode is 'token' but minimum Ray version is 2.52.0, got 2.50.0`, at: valueAt('mode'), reported: true }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/invalid-version',
    yaml: job({ cluster: 'rayVersion: invalid-version\nauthOptions:\n  mode: token' }),
    findings: [
      {
        ruleId: 'token-auth-ray-version',
        message: `${SPEC}authOptions.mode is 'token' but RayVersion format is invalid: invalid-version, could not parse "invalid-version" as version`,
        at: valueAt('mode'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/empty',
    yaml: job({ cluster: 'authOptions:\n  mode: token' }),
    findings: [
      {
        ruleId: 'token-auth-ray-version',
        message: `${SPEC}authOptions.mode is 'token' but RayVersion was not specified. Ray version 2.52.0 or later is required`,
        at: valueAt('mode'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/2.52.0 with K8s token auth (a RayJob hits S13 first)',
    yaml: job({ cluster: 'rayVersion: "2.52.0"\nauthOptions:\n  mode: token\n  enableK8sTokenAuth: true' }),
    findings: [
      { ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true },
      { ruleId: 'k8s-token-auth-settings', message: `${SPEC}authOptions.enableK8sTokenAuth is enabled but minimum Ray version is 2.55.0, got 2.52.0`, at: keyAt('rayVersion') }
    ]
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/Valid Ray version 2.55.0 with k8s token auth (the Ray version is fine; a RayJob hits S13 first)',
    yaml: job({ cluster: 'rayVersion: "2.55.0"\nauthOptions:\n  mode: token\n  enableK8sTokenAuth: true' }),
    findings: [{ ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true }],
    absent: ['token-auth-ray-version', 'k8s-token-auth-settings']
  },
  {
    name: 'TestValidateRayClusterSpecRayVersionForAuth/Valid Ray version 3.0.0 with k8s token auth (the Ray version is fine; a RayJob hits S13 first)',
    yaml: job({ cluster: 'rayVersion: "3.0.0"\nauthOptions:\n  mode: token\n  enableK8sTokenAuth: true' }),
    findings: [{ ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true }],
    absent: ['token-auth-ray-version', 'k8s-token-auth-settings']
  },
  {
    name: 'TestValidateRayClusterSpec_Auth/K8s token auth with secretName',
    yaml: job({ cluster: 'rayVersion: "2.55.0"\nauthOptions:\n  mode: token\n  enableK8sTokenAuth: true\n  secretName: ray-token' }),
    findings: [
      { ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true },
      { ruleId: 'k8s-token-auth-settings', message: `${SPEC}authOptions.enableK8sTokenAuth is enabled and authOptions.secretName is also set`, at: keyAt('secretName') }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Auth/K8s token auth without token mode',
    yaml: job({ cluster: 'rayVersion: "2.55.0"\nauthOptions:\n  enableK8sTokenAuth: true' }),
    findings: [
      { ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true },
      {
        ruleId: 'k8s-token-auth-without-token-mode',
        message: `${SPEC}authOptions.enableK8sTokenAuth is enabled but authOptions.mode not set to 'token'`,
        at: keyAt('enableK8sTokenAuth')
      }
    ]
  },
  {
    name: 'TestValidateRayClusterSpec_Auth/secretName without K8s token auth',
    yaml: job({ cluster: 'rayVersion: "2.55.0"\nauthOptions:\n  mode: token\n  enableK8sTokenAuth: false\n  secretName: ray-token' }),
    findings: [],
    absent: ['k8s-token-auth-settings', 'k8s-token-auth-unsupported', 'k8s-token-auth-without-token-mode']
  },
  // C44, C45
  {
    name: 'TestValidateRayClusterSpec_NetworkPolicyRequiresFeatureGate/gate off',
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAll' }),
    findings: [
      { ruleId: 'network-policy-gate-disabled', message: `${SPEC}spec.networkPolicy requires the RayClusterNetworkPolicy feature gate to be enabled`, at: keyAt('networkPolicy'), reported: true }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/mode only',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllIngress' }),
    findings: [],
    absent: ['network-policy-inconsistent', 'network-policy-gate-disabled']
  },
  {
    name: 'TestValidateNetworkPolicy/head ingress rules when only egress is denied',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllEgress\n  head:\n    ingressRules:\n      - ports: [{port: 8265}]' }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.head.ingressRules cannot be set when mode is "DenyAllEgress" (ingress is not restricted)`,
        at: keyAt('ingressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/worker egress rules when only ingress is denied',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllIngress\n  worker:\n    egressRules:\n      - ports: [{port: 443}]' }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.worker.egressRules cannot be set when mode is "DenyAllIngress" (egress is not restricted)`,
        at: keyAt('egressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/DenyAllEgress with worker IngressRules set returns error',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllEgress\n  worker:\n    ingressRules:\n      - {}' }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.worker.ingressRules cannot be set when mode is "DenyAllEgress" (ingress is not restricted)`,
        at: keyAt('ingressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/DenyAllIngress with head EgressRules set returns error',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllIngress\n  head:\n    egressRules:\n      - {}' }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.head.egressRules cannot be set when mode is "DenyAllIngress" (egress is not restricted)`,
        at: keyAt('egressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/DenyAllEgress with workerGroups IngressRules set returns error',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllEgress\n  workerGroups:\n    - groupName: small\n      ingressRules:\n        - {}', workers: [worker('small')] }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.workerGroups["small"].ingressRules cannot be set when mode is "DenyAllEgress" (ingress is not restricted)`,
        at: keyAt('ingressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/DenyAllIngress with workerGroups EgressRules set returns error',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAllIngress\n  workerGroups:\n    - groupName: small\n      egressRules:\n        - {}', workers: [worker('small')] }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.workerGroups["small"].egressRules cannot be set when mode is "DenyAllIngress" (egress is not restricted)`,
        at: keyAt('egressRules'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/DenyAll with both head and worker rules is valid',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({
      cluster: 'networkPolicy:\n  mode: DenyAll\n  head:\n    ingressRules:\n      - {}\n    egressRules:\n      - {}\n  worker:\n    ingressRules:\n      - {}\n    egressRules:\n      - {}'
    }),
    findings: [],
    absent: ['network-policy-inconsistent', 'network-policy-gate-disabled']
  },
  {
    name: 'TestValidateNetworkPolicy/nil NetworkPolicy is valid',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({}),
    findings: [],
    absent: ['network-policy-inconsistent', 'network-policy-gate-disabled']
  },
  {
    name: 'TestValidateNetworkPolicy/workerGroups entry that matches no worker group',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  workerGroups:\n    - groupName: gpu', workers: [worker('small')] }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}networkPolicy.workerGroups["gpu"] does not match any group name in workerGroupSpecs`,
        at: valueAt('groupName'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/worker group name that is not a DNS-1123 label',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  mode: DenyAll', workers: [worker('Small_Group')] }),
    findings: [
      {
        ruleId: 'network-policy-inconsistent',
        message: `${SPEC}worker group name "Small_Group" must be a valid DNS1123 label when networkPolicy is enabled (it is embedded in the NetworkPolicy name): [${DNS1123_LABEL_ERROR}]`,
        at: valueAt('groupName'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateNetworkPolicy/matching workerGroups entry',
    gates: { RayClusterNetworkPolicy: true },
    yaml: job({ cluster: 'networkPolicy:\n  workerGroups:\n    - groupName: small\n      ingressRules:\n        - ports: [{port: 10001}]', workers: [worker('small')] }),
    findings: [],
    absent: ['network-policy-inconsistent']
  },
  // C46, C47
  {
    name: 'TestValidateRayClusterSpec_TLSOptionsRequiresFeatureGate/gate off',
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true' }),
    findings: [{ ruleId: 'tls-gate-disabled', message: `${SPEC}spec.tlsOptions requires the RayClusterMTLS feature gate to be enabled`, at: keyAt('tlsOptions'), reported: true }]
  },
  {
    name: 'TestValidateTLSOptions/RAY_USE_TLS in the head container',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true', headContainer: env('RAY_USE_TLS', '1') }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot set RAY_USE_TLS environment variable in head Pod when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: RAY_USE_TLS' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/ray-tls volume mount in a worker group',
    gates: { RayClusterMTLS: true },
    yaml: job({
      cluster: 'tlsOptions:\n  enabled: true',
      workers: [worker('small', { container: 'volumeMounts:\n  - name: ray-tls\n    mountPath: /certs', pod: 'volumes:\n  - name: ray-tls\n    emptyDir: {}' })]
    }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot use volume mount named "ray-tls" in worker group "small" when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: ray-tls', after: 'volumeMounts' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/RAY_TLS_CA_CERT in autoscalerOptions.env',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: `tlsOptions:\n  enabled: true\n${AUTOSCALING}\nautoscalerOptions:\n  env:\n    - name: RAY_TLS_CA_CERT\n      value: /ca.crt` }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot set RAY_TLS_CA_CERT environment variable in autoscalerOptions.env when tlsOptions is set - the operator manages TLS configuration for the autoscaler automatically`,
        at: { text: 'name: RAY_TLS_CA_CERT' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/mount at /etc/ray/tls in autoscalerOptions.volumeMounts',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: `tlsOptions:\n  enabled: true\n${AUTOSCALING}\nautoscalerOptions:\n  volumeMounts:\n    - name: certs\n      mountPath: /etc/ray/tls` }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot use volume mount at path "/etc/ray/tls" in autoscalerOptions.volumeMounts when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: certs' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/TLS disabled leaves the env alone',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: false', headContainer: env('RAY_USE_TLS', '1') }),
    findings: [],
    absent: ['tls-managed-settings', 'tls-gate-disabled']
  },
  {
    name: 'TestValidateTLSOptions/TLS disabled, no options - valid',
    gates: { RayClusterMTLS: true },
    yaml: job({}),
    findings: [],
    absent: ['tls-managed-settings', 'tls-gate-disabled']
  },
  {
    name: 'TestValidateTLSOptions/TLS enabled, no options (auto-generate) - valid',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true' }),
    findings: [],
    absent: ['tls-managed-settings', 'tls-gate-disabled']
  },
  {
    name: 'TestValidateTLSOptions/tlsOptions set but enabled is false - valid (disables TLS)',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: false' }),
    findings: [],
    absent: ['tls-managed-settings', 'tls-gate-disabled']
  },
  {
    name: 'TestValidateTLSOptions/RAY_TLS_SERVER_CERT in head container - error',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true', headContainer: env('RAY_TLS_SERVER_CERT', '/x') }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot set RAY_TLS_SERVER_CERT environment variable in head Pod when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: RAY_TLS_SERVER_CERT' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/RAY_TLS_SERVER_KEY in worker container - error',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true', workers: [worker('wg', { container: env('RAY_TLS_SERVER_KEY', '/x') })] }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot set RAY_TLS_SERVER_KEY environment variable in worker group "wg" when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: RAY_TLS_SERVER_KEY' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/RAY_TLS_CA_CERT in worker container - error',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: 'tlsOptions:\n  enabled: true', workers: [worker('wg', { container: env('RAY_TLS_CA_CERT', '/x') })] }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot set RAY_TLS_CA_CERT environment variable in worker group "wg" when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: RAY_TLS_CA_CERT' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/conflicting TLS volume name in head container - error',
    gates: { RayClusterMTLS: true },
    yaml: job({
      cluster: 'tlsOptions:\n  enabled: true',
      headContainer: 'volumeMounts:\n  - name: ray-tls\n    mountPath: /some/path',
      headPod: 'volumes:\n  - name: ray-tls\n    emptyDir: {}'
    }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot use volume mount named "ray-tls" in head Pod when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: ray-tls', after: 'volumeMounts' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/conflicting TLS mount path in head container - error',
    gates: { RayClusterMTLS: true },
    yaml: job({
      cluster: 'tlsOptions:\n  enabled: true',
      headContainer: 'volumeMounts:\n  - name: custom-tls\n    mountPath: /etc/ray/tls',
      headPod: 'volumes:\n  - name: custom-tls\n    emptyDir: {}'
    }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot use volume mount at path "/etc/ray/tls" in head Pod when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: custom-tls', after: 'volumeMounts' },
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateTLSOptions/non-conflicting volume mount in head container - valid',
    gates: { RayClusterMTLS: true },
    yaml: job({
      cluster: 'tlsOptions:\n  enabled: true',
      headContainer: 'volumeMounts:\n  - name: user-volume\n    mountPath: /user/path',
      headPod: 'volumes:\n  - name: user-volume\n    emptyDir: {}'
    }),
    findings: [],
    absent: ['tls-managed-settings']
  },
  {
    name: 'TestValidateTLSOptions/conflicting TLS volume name in autoscalerOptions - error',
    gates: { RayClusterMTLS: true },
    yaml: job({ cluster: `tlsOptions:\n  enabled: true\n${AUTOSCALING}\nautoscalerOptions:\n  volumeMounts:\n    - name: ray-tls\n      mountPath: /some/path` }),
    findings: [
      {
        ruleId: 'tls-managed-settings',
        message: `${SPEC}cannot use volume mount named "ray-tls" in autoscalerOptions.volumeMounts when tlsOptions is set - the operator manages TLS configuration automatically`,
        at: { text: 'name: ray-tls' },
        reported: true
      }
    ]
  },
  // The order KubeRay reports in
  {
    name: 'KubeRay checks worker groups one after the other: a problem of the first group is what it reports',
    yaml: job({
      cluster: V2,
      workers: [worker('small', { group: 'idleTimeoutSeconds: -5' }), worker('large', { group: 'minReplicas: -1\nmaxReplicas: 2' })]
    }),
    findings: [
      { ruleId: 'worker-idle-timeout-negative', message: `${SPEC}worker group small: idleTimeoutSeconds must be non-negative, got -5`, at: valueAt('idleTimeoutSeconds'), reported: true },
      { ruleId: 'worker-min-replicas-negative', message: `${SPEC}worker group large has negative minReplicas -1`, at: valueAt('minReplicas', 'groupName: large') }
    ]
  },
  {
    name: 'a spec rule before the cluster spec is what KubeRay reports, the cluster problem is listed too',
    yaml: job({ headContainers: 'containers: []' }, { spec: 'submissionMode: InteractiveMode\nbackoffLimit: 3\npreRunningDeadlineSeconds: 60' }),
    findings: [
      { ruleId: 'interactive-with-backoff-limit', message: `${SPEC}BackoffLimit is incompatible with InteractiveMode`, at: valueAt('backoffLimit'), reported: true },
      { ruleId: 'head-no-containers', message: `${SPEC}headGroupSpec should have at least one container`, at: keyAt('containers') }
    ]
  }
]
