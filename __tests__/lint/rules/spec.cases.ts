// Cases for ValidateRayJobMetadata (§1) and ValidateRayJobSpec (§2) of KubeRay, run by spec.test.ts
// and counted by coverage.test.ts. Names starting with "Test" are KubeRay's own unit tests
// (validation_test.go at v1.7.0), written as the manifests a user would apply.
import { cluster, ENTRYPOINT, keyAt, rayJob, valueAt, y } from './testing.js'
import type { RuleCase } from './testing.js'

/** Ten levels of ten aliases, as runtimeEnvYAML. */
const ALIAS_BOMB_ENV = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)].join('\n')

const SPEC = 'The RayJob spec is invalid: '
const METADATA = 'The RayJob metadata is invalid: '
const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"

const job = (spec: string, name?: string): string => rayJob(spec, { name })
const withCluster = (spec: string, parts?: Parameters<typeof cluster>[0]): string => job(y`
  ${ENTRYPOINT}
  ${spec}
  ${cluster(parts)}
`)
const submitterPodTemplate = y`
  submitterPodTemplate:
    spec:
      restartPolicy: Never
      containers:
        - name: submitter
          image: rayproject/ray:2.52.0
`

export const METADATA_CASES: RuleCase[] = [
  {
    name: 'TestValidateRayJobMetadata/name of 48 characters',
    yaml: withCluster('').replace('name: sample', `name: ${'j'.repeat(48)}`),
    findings: [{ ruleId: 'name-too-long', message: `${METADATA}RayJob name should be no more than 47 characters`, at: valueAt('name'), reported: true }]
  },
  {
    name: 'TestValidateRayJobMetadata/name of 47 digits is not a DNS-1035 label',
    yaml: withCluster('').replace('name: sample', `name: "${'1'.repeat(47)}"`),
    findings: [{ ruleId: 'name-not-dns1035', message: `${METADATA}RayJob name should be a valid DNS1035 label: ${DNS1035}`, at: valueAt('name'), reported: true }]
  },
  {
    name: 'TestValidateRayJobMetadata/name of 47 characters is valid',
    yaml: withCluster('').replace('name: sample', `name: ${'j'.repeat(47)}`),
    findings: [],
    absent: ['name-too-long', 'name-not-dns1035']
  },
  {
    name: 'webhook test: a name over 47 characters is refused',
    yaml: withCluster('').replace('name: sample', `name: ${'a'.repeat(48)}`),
    findings: [{ ruleId: 'name-too-long', message: `${METADATA}RayJob name should be no more than 47 characters`, at: valueAt('name'), reported: true }]
  },
  {
    name: 'webhook test: invalid.name is not a DNS-1035 label',
    yaml: withCluster('').replace('name: sample', 'name: invalid.name'),
    findings: [{ ruleId: 'name-not-dns1035', message: `${METADATA}RayJob name should be a valid DNS1035 label: ${DNS1035}`, at: valueAt('name'), reported: true }]
  },
  {
    name: 'a name of 64 characters fails both name rules; KubeRay reports the length',
    yaml: withCluster('').replace('name: sample', `name: ${'a'.repeat(64)}`),
    findings: [
      { ruleId: 'name-too-long', message: `${METADATA}RayJob name should be no more than 47 characters`, at: valueAt('name'), reported: true },
      { ruleId: 'name-not-dns1035', message: `${METADATA}RayJob name should be a valid DNS1035 label: [must be no more than 63 characters]`, at: valueAt('name') }
    ]
  },
  {
    name: 'KubeRay 1.4.2 gives the name rules without the metadata prefix',
    version: '1.4.2',
    yaml: withCluster('').replace('name: sample', 'name: Train'),
    findings: [{ ruleId: 'name-not-dns1035', message: `RayJob name should be a valid DNS1035 label: ${DNS1035}`, at: valueAt('name'), reported: true }]
  },
  {
    name: 'KubeRay 1.3.2: a name of 47 characters is fine',
    version: '1.3.2',
    yaml: withCluster('').replace('name: sample', `name: ${'j'.repeat(47)}`),
    findings: [],
    absent: ['name-derived-too-long']
  },
  {
    name: 'KubeRay 1.3.2 has no name rules: a long name is only a warning about derived names',
    version: '1.3.2',
    yaml: withCluster('').replace('name: sample', `name: ${'j'.repeat(50)}`),
    findings: [
      {
        ruleId: 'name-derived-too-long',
        severity: 'warning',
        message:
          'the RayJob name is 50 characters: names of the RayCluster and Services KubeRay derives from it may exceed Kubernetes limits (KubeRay 1.4.0 and later reject it)',
        at: valueAt('name')
      }
    ],
    absent: ['name-too-long']
  }
]

export const SPEC_CASES: RuleCase[] = [
  {
    name: 'TestValidateRayJobSpec/one of RayClusterSpec or ClusterSelector must be set',
    yaml: job(ENTRYPOINT),
    findings: [{ ruleId: 'cluster-spec-or-selector', message: `${SPEC}one of RayClusterSpec or ClusterSelector must be set`, at: keyAt('spec'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended',
    yaml: withCluster('suspend: true'),
    findings: [
      {
        ruleId: 'suspend-requires-shutdown',
        message: `${SPEC}a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended`,
        at: keyAt('suspend'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayJobSpec/valid RayJob',
    yaml: withCluster('suspend: true\nshutdownAfterJobFinishes: true'),
    findings: [],
    absent: ['suspend-requires-shutdown', 'selector-with-suspend']
  },
  {
    name: "TestValidateRayJobSpec/the ClusterSelector mode doesn't support the suspend operation",
    yaml: job(y`
      ${ENTRYPOINT}
      suspend: true
      shutdownAfterJobFinishes: true
      clusterSelector:
        key: value
    `),
    findings: [
      { ruleId: 'selector-with-suspend', message: `${SPEC}the ClusterSelector mode doesn't support the suspend operation`, at: keyAt('suspend'), reported: true },
      { ruleId: 'selector-cluster-name-empty', message: 'cluster name in ClusterSelector should not be empty', at: keyAt('clusterSelector') }
    ]
  },
  {
    name: 'TestValidateRayJobSpec/failed to unmarshal RuntimeEnvYAML',
    yaml: withCluster('runtimeEnvYAML: invalid_yaml_str'),
    findings: [
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: 'failed to unmarshal RuntimeEnvYAML: invalid_yaml_str: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type types.RuntimeEnvType',
        at: valueAt('runtimeEnvYAML'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayJobSpec/backoffLimit must be a positive integer',
    yaml: withCluster('backoffLimit: -1'),
    findings: [{ ruleId: 'backoff-limit-negative', message: `${SPEC}backoffLimit must be a positive integer`, at: valueAt('backoffLimit'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/BackoffLimit is incompatible with InteractiveMode',
    yaml: withCluster('submissionMode: InteractiveMode\nbackoffLimit: 1'),
    findings: [{ ruleId: 'interactive-with-backoff-limit', message: `${SPEC}BackoffLimit is incompatible with InteractiveMode`, at: valueAt('backoffLimit'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/BackoffLimit is 0 and SubmissionMode is InteractiveMode',
    yaml: withCluster('submissionMode: InteractiveMode\nbackoffLimit: 0\npreRunningDeadlineSeconds: 600'),
    findings: [],
    absent: ['interactive-with-backoff-limit']
  },
  {
    name: 'TestValidateRayJobSpec/BackoffLimit is nil and SubmissionMode is InteractiveMode',
    yaml: withCluster('submissionMode: InteractiveMode\npreRunningDeadlineSeconds: 600'),
    findings: [],
    absent: ['interactive-with-backoff-limit']
  },
  {
    name: 'TestValidateRayJobSpec/ShutdownAfterJobFinishes is false and TTLSecondsAfterFinished is not zero',
    yaml: withCluster('shutdownAfterJobFinishes: false\nttlSecondsAfterFinished: 5'),
    findings: [
      {
        ruleId: 'ttl-without-shutdown',
        message: `${SPEC}a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished`,
        at: valueAt('ttlSecondsAfterFinished'),
        reported: true
      }
    ]
  },
  {
    name: 'TestValidateRayJobSpec/ShutdownAfterJobFinishes is true and TTLSecondsAfterFinished is not zero',
    yaml: withCluster('shutdownAfterJobFinishes: true\nttlSecondsAfterFinished: 5'),
    findings: [],
    absent: ['ttl-without-shutdown']
  },
  {
    name: 'TestValidateRayJobSpec/ShutdownAfterJobFinishes is true and TTLSecondsAfterFinished is negative',
    yaml: withCluster('shutdownAfterJobFinishes: true\nttlSecondsAfterFinished: -5'),
    findings: [{ ruleId: 'ttl-negative', message: `${SPEC}TTLSecondsAfterFinished must be a non-negative integer`, at: valueAt('ttlSecondsAfterFinished'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/SidecarMode',
    yaml: withCluster('submissionMode: SidecarMode'),
    findings: [],
    absent: ['sidecar-with-submitter-template', 'sidecar-with-submitter-config', 'sidecar-head-restart-policy']
  },
  {
    name: "TestValidateRayJobSpec/SidecarMode doesn't support SubmitterPodTemplate",
    yaml: job(y`
      ${ENTRYPOINT}
      submissionMode: SidecarMode
      ${submitterPodTemplate}
    `),
    findings: [
      { ruleId: 'cluster-spec-or-selector', message: `${SPEC}one of RayClusterSpec or ClusterSelector must be set`, at: keyAt('spec'), reported: true },
      { ruleId: 'sidecar-with-submitter-template', message: "Currently, SidecarMode doesn't support SubmitterPodTemplate", at: keyAt('submitterPodTemplate') }
    ]
  },
  {
    name: "TestValidateRayJobSpec/SidecarMode doesn't support SubmitterConfig",
    yaml: job(y`
      ${ENTRYPOINT}
      submissionMode: SidecarMode
      submitterConfig:
        backoffLimit: 3
    `),
    findings: [
      { ruleId: 'cluster-spec-or-selector', message: `${SPEC}one of RayClusterSpec or ClusterSelector must be set`, at: keyAt('spec'), reported: true },
      { ruleId: 'sidecar-with-submitter-config', message: "Currently, SidecarMode doesn't support SubmitterConfig", at: keyAt('submitterConfig') }
    ]
  },
  {
    name: 'TestValidateRayJobSpec/SidecarMode RayCluster head pod should only be Never or unset',
    yaml: withCluster('submissionMode: SidecarMode', { headPod: 'restartPolicy: Always' }),
    findings: [
      { ruleId: 'sidecar-head-restart-policy', message: 'restartPolicy for head Pod should be Never or unset when using SidecarMode', at: valueAt('restartPolicy'), reported: true }
    ]
  },
  {
    name: "TestValidateRayJobSpec/SidecarMode doesn't support ClusterSelector",
    yaml: job(y`
      ${ENTRYPOINT}
      submissionMode: SidecarMode
      clusterSelector:
        ray.io/cluster: ray-cluster
    `),
    findings: [{ ruleId: 'selector-with-sidecar-mode', message: 'ClusterSelector is not supported in SidecarMode', at: valueAt('submissionMode'), reported: true }]
  },
  {
    name: 'HTTPMode with clusterSelector is fine',
    yaml: job(`${ENTRYPOINT}\nsubmissionMode: HTTPMode\nclusterSelector:\n  ray.io/cluster: ray-cluster`),
    findings: [],
    absent: ['selector-with-sidecar-mode']
  },
  {
    name: 'TestValidateRayJobSpec/failed to get cluster name in ClusterSelector map',
    yaml: job(`${ENTRYPOINT}\nclusterSelector: {}`),
    findings: [{ ruleId: 'cluster-spec-or-selector', message: `${SPEC}one of RayClusterSpec or ClusterSelector must be set`, at: keyAt('spec'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/cluster name in ClusterSelector is empty',
    yaml: job(y`
      ${ENTRYPOINT}
      clusterSelector:
        ray.io/cluster: ""
    `),
    findings: [{ ruleId: 'selector-cluster-name-empty', message: 'cluster name in ClusterSelector should not be empty', at: keyAt('clusterSelector'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/cluster name in ClusterSelector is not empty',
    yaml: job(y`
      ${ENTRYPOINT}
      clusterSelector:
        ray.io/cluster: ray-cluster
    `),
    findings: [],
    absent: ['selector-cluster-name-empty', 'cluster-spec-or-selector']
  },
  {
    name: 'TestValidateRayJobSpec/BackoffLimit > 0 is incompatible with ClusterSelector mode',
    yaml: job(y`
      ${ENTRYPOINT}
      backoffLimit: 1
      clusterSelector:
        ray.io/cluster: ray-cluster
    `),
    findings: [{ ruleId: 'selector-with-backoff-limit', message: `${SPEC}BackoffLimit is incompatible with ClusterSelector mode`, at: valueAt('backoffLimit'), reported: true }]
  },
  {
    name: 'TestValidateRayJobSpec/RayJob does not support K8s token auth mode',
    yaml: withCluster('', {
      cluster: y`
        rayVersion: "2.55.0"
        authOptions:
          mode: token
          enableK8sTokenAuth: true
      `
    }),
    findings: [
      { ruleId: 'k8s-token-auth-unsupported', message: `${SPEC}K8s token auth mode is currently not supported for RayJob`, at: keyAt('enableK8sTokenAuth'), reported: true }
    ]
  },
  {
    name: 'suspend with shutdownAfterJobFinishes false: KubeRay 1.4.2 says it without the spec prefix',
    version: '1.4.2',
    yaml: withCluster('suspend: true'),
    findings: [
      { ruleId: 'suspend-requires-shutdown', message: 'a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended', at: keyAt('suspend'), reported: true }
    ]
  },
  {
    name: 'a negative ttlSecondsAfterFinished is accepted by KubeRay 1.3.2 (the rule came in 1.4.0)',
    version: '1.3.2',
    yaml: withCluster('shutdownAfterJobFinishes: true\nttlSecondsAfterFinished: -5'),
    findings: [],
    absent: ['ttl-negative']
  },
  {
    name: 'InteractiveMode with backoffLimit is accepted by KubeRay 1.3.2 (the rule came in 1.4.0)',
    version: '1.3.2',
    yaml: withCluster('submissionMode: InteractiveMode\nbackoffLimit: 2'),
    findings: [],
    absent: ['interactive-with-backoff-limit']
  },
  {
    name: 'InteractiveMode with backoffLimit in KubeRay 1.4.2: no prefix yet',
    version: '1.4.2',
    yaml: withCluster('submissionMode: InteractiveMode\nbackoffLimit: 2'),
    findings: [{ ruleId: 'interactive-with-backoff-limit', message: 'BackoffLimit is incompatible with InteractiveMode', at: valueAt('backoffLimit'), reported: true }]
  },
  {
    name: 'an empty ray.io/cluster is accepted by KubeRay 1.4.2 (the rule came in 1.5.0)',
    version: '1.4.2',
    yaml: job(`${ENTRYPOINT}\nclusterSelector:\n  ray.io/cluster: ""`),
    findings: [],
    absent: ['selector-cluster-name-empty']
  },
  {
    name: 'clusterSelector with backoffLimit is accepted by KubeRay 1.5.2 (the rule came in 1.6.0)',
    version: '1.5.2',
    yaml: job(`${ENTRYPOINT}\nbackoffLimit: 1\nclusterSelector:\n  ray.io/cluster: ray-cluster`),
    findings: [],
    absent: ['selector-with-backoff-limit']
  },
  {
    name: 'clusterSelector with backoffLimit 0 is fine',
    yaml: job(`${ENTRYPOINT}\nbackoffLimit: 0\nclusterSelector:\n  ray.io/cluster: ray-cluster`),
    findings: [],
    absent: ['selector-with-backoff-limit']
  },
  {
    name: 'SidecarMode with a Never head restartPolicy is fine',
    yaml: withCluster('submissionMode: SidecarMode', { headPod: 'restartPolicy: Never' }),
    findings: [],
    absent: ['sidecar-head-restart-policy']
  },
  {
    name: 'K8sJobMode with submitterConfig and submitterPodTemplate is fine',
    yaml: withCluster(`submitterConfig:\n  backoffLimit: 3\n${submitterPodTemplate}`),
    findings: [],
    absent: ['sidecar-with-submitter-template', 'sidecar-with-submitter-config']
  },
  {
    name: 'authOptions without enableK8sTokenAuth is fine',
    yaml: withCluster('', { cluster: 'rayVersion: "2.52.0"\nauthOptions:\n  mode: token' }),
    findings: [],
    absent: ['k8s-token-auth-unsupported']
  },
  {
    name: 'a runtimeEnvYAML that is a mapping is fine',
    yaml: withCluster(y`
      runtimeEnvYAML: |
        pip:
          - requests==2.26.0
        env_vars:
          counter_name: test_counter
    `),
    findings: [],
    absent: ['runtime-env-yaml-invalid']
  },
  {
    name: 'a runtimeEnvYAML with an alias to no anchor is invalid, as go-yaml says ("unknown anchor"), and does not stop the lint (issue 9, found by fuzzing)',
    yaml: withCluster('runtimeEnvYAML: "env_vars: {a: *m}"'),
    findings: [
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: 'failed to unmarshal RuntimeEnvYAML: env_vars: {a: *m}: error converting YAML to JSON: Unresolved alias (the anchor must be set before the alias): m',
        at: valueAt('runtimeEnvYAML'),
        reported: true
      }
    ]
  },
  {
    name: 'a runtimeEnvYAML whose anchor contains itself is invalid, not a stack overflow (issue 9, found by fuzzing)',
    yaml: withCluster('runtimeEnvYAML: "env_vars: &e {<<: *e}"'),
    findings: [
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: "failed to unmarshal RuntimeEnvYAML: env_vars: &e {<<: *e}: error converting YAML to JSON: Alias *e is inside the node its anchor marks: the anchor's value contains itself",
        at: valueAt('runtimeEnvYAML'),
        reported: true
      }
    ]
  },
  {
    name: 'a runtimeEnvYAML that is an alias bomb is not expanded (issue 9)',
    yaml: withCluster(`runtimeEnvYAML: |\n${ALIAS_BOMB_ENV.replace(/^/gm, '  ')}`),
    findings: [
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: `failed to unmarshal RuntimeEnvYAML: ${ALIAS_BOMB_ENV}\n: error converting YAML to JSON: Excessive alias count indicates a resource exhaustion attack`,
        at: valueAt('runtimeEnvYAML'),
        reported: true
      }
    ]
  },
  {
    name: 'a runtimeEnvYAML that is a list is not a mapping',
    yaml: withCluster('runtimeEnvYAML: "[requests]"'),
    findings: [
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: 'failed to unmarshal RuntimeEnvYAML: [requests]: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type types.RuntimeEnvType',
        at: valueAt('runtimeEnvYAML'),
        reported: true
      }
    ]
  },
  {
    name: 'activeDeadlineSeconds must be a positive integer',
    yaml: withCluster('activeDeadlineSeconds: 0'),
    findings: [{ ruleId: 'active-deadline-not-positive', message: `${SPEC}activeDeadlineSeconds must be a positive integer`, at: valueAt('activeDeadlineSeconds'), reported: true }]
  },
  {
    name: 'activeDeadlineSeconds of 1 is fine',
    yaml: withCluster('activeDeadlineSeconds: 1'),
    findings: [],
    absent: ['active-deadline-not-positive']
  },
  {
    name: 'preRunningDeadlineSeconds must be a positive integer (the CRD says so too)',
    yaml: withCluster('preRunningDeadlineSeconds: 0'),
    findings: [
      {
        ruleId: 'schema-range',
        message: 'spec.preRunningDeadlineSeconds: Invalid value: 0: spec.preRunningDeadlineSeconds in body should be greater than or equal to 1',
        at: valueAt('preRunningDeadlineSeconds')
      },
      { ruleId: 'pre-running-deadline-not-positive', message: `${SPEC}preRunningDeadlineSeconds must be a positive integer`, at: valueAt('preRunningDeadlineSeconds'), reported: true }
    ]
  },
  {
    name: 'preRunningDeadlineSeconds of 60 is fine',
    yaml: withCluster('preRunningDeadlineSeconds: 60'),
    findings: [],
    absent: ['pre-running-deadline-not-positive']
  },
  {
    name: 'KubeRay 1.1.1 has no backoffLimit: the field is unknown there',
    version: '1.1.1',
    yaml: withCluster('backoffLimit: -1'),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.backoffLimit"', at: keyAt('backoffLimit') }],
    absent: ['backoff-limit-negative']
  },
  {
    name: 'KubeRay reports only its first failing check: every one is listed, the first marked',
    yaml: withCluster(y`
      suspend: true
      backoffLimit: -1
      activeDeadlineSeconds: -10
      runtimeEnvYAML: "42"
    `),
    findings: [
      {
        ruleId: 'suspend-requires-shutdown',
        message: `${SPEC}a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended`,
        at: keyAt('suspend'),
        reported: true
      },
      {
        ruleId: 'runtime-env-yaml-invalid',
        message: 'failed to unmarshal RuntimeEnvYAML: 42: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type types.RuntimeEnvType',
        at: valueAt('runtimeEnvYAML')
      },
      { ruleId: 'active-deadline-not-positive', message: `${SPEC}activeDeadlineSeconds must be a positive integer`, at: valueAt('activeDeadlineSeconds') },
      { ruleId: 'backoff-limit-negative', message: `${SPEC}backoffLimit must be a positive integer`, at: valueAt('backoffLimit') }
    ]
  }
]
