// Cases for the rules of the other KubeRay kinds: RayCluster, RayService and RayCronJob (their own
// checks, the cluster rules under their paths, and their stuck rules). Run by kinds.test.ts and
// counted by coverage.test.ts.
import { cluster, ENTRYPOINT, keyAt, valueAt, worker, y } from './testing.js'
import type { ClusterParts, RuleCase } from './testing.js'

/** cluster() without its `rayClusterSpec:` key: the body a RayCluster's spec or a RayService's rayClusterConfig holds. */
function clusterBody(parts?: ClusterParts): string {
  const lines = cluster(parts).split('\n').slice(1).filter((line) => line.trim() !== '')
  const margin = Math.min(...lines.map((line) => /^ */.exec(line)![0].length))
  return lines.map((line) => line.slice(margin)).join('\n')
}

export function rayCluster(spec: string, metadata = 'name: raycluster-sample'): string {
  return y`
    apiVersion: ray.io/v1
    kind: RayCluster
    metadata:
      ${metadata}
    spec:
      ${spec}
  `
}

export function rayService(spec: string, parts: ClusterParts = {}, metadata = 'name: rayservice-sample'): string {
  return y`
    apiVersion: ray.io/v1
    kind: RayService
    metadata:
      ${metadata}
    spec:
      ${spec}
      rayClusterConfig:
        ${clusterBody(parts)}
  `
}

export function rayCronJob(spec: string, template = ENTRYPOINT, metadata = 'name: raycronjob-sample'): string {
  return y`
    apiVersion: ray.io/v1
    kind: RayCronJob
    metadata:
      ${metadata}
    spec:
      ${spec}
      jobTemplate:
        ${template}
        ${cluster()}
  `
}

const CRON_ON = { RayCronJob: true }
/** How the finding for "applications: [unclosed" begins (the YAML parser's words follow). */
export const expectServeConfigProblem = 'spec.serveConfigV2 is not a YAML mapping (error converting YAML to JSON: '
const SERVE_CONFIG = (apps: string): string => y`
  serveConfigV2: |
    applications:
      ${apps}
`
const app = (name: string, route?: string): string => y`
  - name: ${name}
    import_path: app.main:deployment
    ${route === undefined ? '' : `route_prefix: ${route}`}
`
const INCREMENTAL = (options: string, autoscaling = true): { spec: string; parts: ClusterParts } => ({
  spec: y`
    upgradeStrategy:
      type: NewClusterWithIncrementalUpgrade
      ${options}
  `,
  parts: { cluster: autoscaling ? 'enableInTreeAutoscaling: true' : '' }
})
const incremental = (name: string, options: string, findings: RuleCase['findings'], extra: Partial<RuleCase> = {}, autoscaling = true): RuleCase => {
  const { spec, parts } = INCREMENTAL(options, autoscaling)
  return { name, yaml: rayService(spec, parts), findings, ...extra }
}
const OPTIONS = (fields: string): string => `clusterUpgradeOptions:\n  ${fields.split('\n').join('\n  ')}`
const GOOD_OPTIONS = 'maxSurgePercent: 50\nstepSizePercent: 25\nintervalSeconds: 60\ngatewayClassName: istio'

export const RAYCLUSTER_CASES: RuleCase[] = [
  {
    name: 'RayCluster: a 54-character name',
    yaml: rayCluster(clusterBody(), `name: ${'c'.repeat(54)}`),
    findings: [{ ruleId: 'raycluster-name-too-long', message: 'RayCluster name should be no more than 53 characters', at: valueAt('name'), reported: true }]
  },
  {
    name: 'RayCluster: a 53-character name is accepted (a RayJob may have only 47)',
    yaml: rayCluster(clusterBody(), `name: ${'c'.repeat(53)}`),
    findings: [],
    absent: ['raycluster-name-too-long', 'name-too-long']
  },
  {
    name: 'RayCluster: a name with a dot is not a DNS-1035 label',
    yaml: rayCluster(clusterBody(), 'name: ray.cluster'),
    findings: [
      {
        ruleId: 'raycluster-name-not-dns1035',
        message:
          "RayCluster name should be a valid DNS1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]",
        at: valueAt('name'),
        reported: true
      }
    ]
  },
  {
    name: 'RayCluster: a name with a hyphen is a DNS-1035 label',
    yaml: rayCluster(clusterBody(), 'name: ray-cluster'),
    findings: [],
    absent: ['raycluster-name-not-dns1035']
  },
  {
    name: 'RayCluster: the cluster rules apply at spec, without a prefix',
    yaml: rayCluster(clusterBody({ workers: [worker('small', { group: 'minReplicas: 3\nmaxReplicas: 2' })] })),
    findings: [{ ruleId: 'worker-min-above-max', message: 'worker group small has minReplicas 3 greater than maxReplicas 2', at: valueAt('minReplicas'), reported: true }]
  },
  {
    name: 'RayCluster: KubeRay 1.3.2 already checks a RayCluster spec (not a RayJob one)',
    version: '1.3.2',
    yaml: rayCluster(clusterBody({ headContainers: 'containers: []' })),
    findings: [{ ruleId: 'head-no-containers', message: 'headGroupSpec should have at least one container', at: keyAt('containers'), reported: true }],
    allowOtherErrors: true
  },
  {
    name: 'RayCluster: KubeRay 1.3.2 words the suspended worker group its own way',
    version: '1.3.2',
    yaml: rayCluster(clusterBody({ workers: [worker('small', { group: 'suspend: true' })] })),
    findings: [
      {
        ruleId: 'worker-suspend-gate-disabled',
        message: 'suspending worker groups is currently available when the RayJobDeletionPolicy feature gate is enabled',
        at: keyAt('suspend'),
        reported: true
      }
    ]
  },
  {
    name: 'RayCluster: upgradeStrategy.type Recreate is accepted',
    yaml: rayCluster(`upgradeStrategy:\n  type: Recreate\n${clusterBody()}`),
    findings: [],
    absent: ['raycluster-upgrade-type-invalid', 'raycluster-upgrade-strategy-owned']
  },
  {
    name: 'RayCluster: an unknown upgradeStrategy.type',
    yaml: rayCluster(`upgradeStrategy:\n  type: Rolling\n${clusterBody()}`),
    findings: [
      {
        ruleId: 'raycluster-upgrade-type-invalid',
        message: 'The RayCluster spec is invalid: Spec.UpgradeStrategy.Type value Rolling is invalid, valid options are Recreate or None',
        at: valueAt('type'),
        reported: true
      }
    ],
    allowOtherErrors: true
  },
  {
    name: 'RayCluster: upgradeStrategy on a cluster labelled as made by a RayService',
    yaml: rayCluster(`upgradeStrategy:\n  type: Recreate\n${clusterBody()}`, 'name: made\nlabels:\n  ray.io/originated-from-crd: RayService'),
    findings: [{ ruleId: 'raycluster-upgrade-strategy-owned', message: 'upgradeStrategy cannot be set when RayCluster is created by RayService', at: keyAt('type'), reported: true }]
  },
  {
    name: 'RayCluster: a cluster labelled as made by a RayCluster may have an upgradeStrategy',
    yaml: rayCluster(`upgradeStrategy:\n  type: Recreate\n${clusterBody()}`, 'name: made\nlabels:\n  ray.io/originated-from-crd: RayCluster'),
    findings: [],
    absent: ['raycluster-upgrade-strategy-owned']
  }
]

export const RAYSERVICE_CASES: RuleCase[] = [
  {
    name: 'RayService: a 48-character name',
    yaml: rayService('', {}, `name: ${'s'.repeat(48)}`),
    findings: [{ ruleId: 'rayservice-name-too-long', message: 'The RayService metadata is invalid: RayService name should be no more than 47 characters', at: valueAt('name'), reported: true }]
  },
  {
    name: 'RayService: a 47-character name, without the prefix in KubeRay 1.5.2',
    version: '1.5.2',
    yaml: rayService('', {}, `name: ${'s'.repeat(47)}`),
    findings: [],
    absent: ['rayservice-name-too-long']
  },
  {
    name: 'RayService: an upper-case name is not a DNS-1035 label',
    yaml: rayService('', {}, 'name: Serve'),
    findings: [
      {
        ruleId: 'rayservice-name-not-dns1035',
        message:
          "The RayService metadata is invalid: RayService name should be a valid DNS1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]",
        at: valueAt('name'),
        reported: true
      }
    ]
  },
  {
    name: 'RayService: ray.io/initializing-timeout "-5m"',
    yaml: rayService('', {}, 'name: serve\nannotations:\n  ray.io/initializing-timeout: "-5m"'),
    findings: [
      {
        ruleId: 'rayservice-initializing-timeout-invalid',
        message: 'The RayService metadata is invalid: RayService annotations is invalid: annotation ray.io/initializing-timeout must be a positive duration, got: -5m',
        at: valueAt('ray.io/initializing-timeout'),
        reported: true
      }
    ],
    absent: ['rayservice-name-not-dns1035']
  },
  {
    name: 'RayService: ray.io/initializing-timeout "0" (seconds)',
    yaml: rayService('', {}, 'name: serve\nannotations:\n  ray.io/initializing-timeout: "-30"'),
    findings: [
      {
        ruleId: 'rayservice-initializing-timeout-invalid',
        message: 'The RayService metadata is invalid: RayService annotations is invalid: annotation ray.io/initializing-timeout must be a positive integer (seconds), got: -30',
        at: valueAt('ray.io/initializing-timeout'),
        reported: true
      }
    ]
  },
  {
    name: 'RayService: ray.io/initializing-timeout "ten minutes"',
    yaml: rayService('', {}, 'name: serve\nannotations:\n  ray.io/initializing-timeout: ten minutes'),
    findings: [
      {
        ruleId: 'rayservice-initializing-timeout-invalid',
        message:
          "The RayService metadata is invalid: RayService annotations is invalid: annotation ray.io/initializing-timeout has invalid format: ten minutes. Expected Go duration format (e.g., '5m', '1h') or positive integer seconds",
        at: valueAt('ray.io/initializing-timeout'),
        reported: true
      }
    ]
  },
  {
    name: 'RayService: ray.io/initializing-timeout "1h30m" and "600" are accepted',
    yaml: rayService('', {}, 'name: serve\nannotations:\n  ray.io/initializing-timeout: 1h30m') + '---\n' + rayService('', {}, 'name: serve2\nannotations:\n  ray.io/initializing-timeout: "600"'),
    findings: [],
    absent: ['rayservice-initializing-timeout-invalid']
  },
  {
    name: 'RayService: Kubernetes token auth',
    yaml: rayService('', { cluster: 'authOptions:\n  mode: token\n  enableK8sTokenAuth: true' }),
    findings: [{ ruleId: 'rayservice-k8s-token-auth', message: 'The RayService spec is invalid: K8s token auth mode is currently not supported for RayService', at: keyAt('enableK8sTokenAuth'), reported: true }],
    allowOtherErrors: true
  },
  {
    name: 'RayService: token auth without Kubernetes tokens is accepted',
    yaml: rayService('', { cluster: 'rayVersion: 2.52.0\nauthOptions:\n  mode: token' }),
    findings: [],
    absent: ['rayservice-k8s-token-auth']
  },
  {
    name: 'RayService: the cluster rules apply at spec.rayClusterConfig, with the RayService prefix',
    yaml: rayService('', { workers: [worker('small', { group: 'minReplicas: 3\nmaxReplicas: 2' })] }),
    findings: [
      { ruleId: 'worker-min-above-max', message: 'The RayService spec is invalid: worker group small has minReplicas 3 greater than maxReplicas 2', at: valueAt('minReplicas'), reported: true }
    ]
  },
  {
    name: 'RayService: the head Service name',
    yaml: rayService('', { head: 'headService:\n  metadata:\n    name: my-head' }),
    findings: [
      {
        ruleId: 'rayservice-head-service-name',
        message: 'The RayService spec is invalid: spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set',
        at: valueAt('name', 'headService'),
        reported: true
      }
    ]
  },
  {
    name: 'RayService: head Service labels without a name are accepted',
    yaml: rayService('', { head: 'headService:\n  metadata:\n    labels:\n      team: a' }),
    findings: [],
    absent: ['rayservice-head-service-name']
  },
  {
    name: 'RayService: an unknown upgradeStrategy.type (KubeRay 1.4.2 knows two)',
    version: '1.4.2',
    yaml: rayService('upgradeStrategy:\n  type: BlueGreen'),
    findings: [
      { ruleId: 'rayservice-upgrade-type-invalid', message: 'Spec.UpgradeStrategy.Type value BlueGreen is invalid, valid options are NewCluster or None', at: valueAt('type'), reported: true }
    ],
    allowOtherErrors: true
  },
  {
    name: 'RayService: NewClusterWithIncrementalUpgrade is no upgrade type in KubeRay 1.4.2',
    version: '1.4.2',
    yaml: rayService('upgradeStrategy:\n  type: NewClusterWithIncrementalUpgrade'),
    findings: [
      {
        ruleId: 'rayservice-upgrade-type-invalid',
        message: 'Spec.UpgradeStrategy.Type value NewClusterWithIncrementalUpgrade is invalid, valid options are NewCluster or None',
        at: valueAt('type'),
        reported: true
      }
    ],
    allowOtherErrors: true
  },
  {
    name: 'RayService: upgradeStrategy.type NewCluster is accepted',
    yaml: rayService('upgradeStrategy:\n  type: NewCluster'),
    findings: [],
    absent: ['rayservice-upgrade-type-invalid']
  },
  {
    name: 'RayService: a negative rayClusterDeletionDelaySeconds',
    yaml: rayService('rayClusterDeletionDelaySeconds: -1'),
    findings: [
      {
        ruleId: 'rayservice-deletion-delay-negative',
        message: 'The RayService spec is invalid: Spec.RayClusterDeletionDelaySeconds should be a non-negative integer, got -1',
        at: valueAt('rayClusterDeletionDelaySeconds'),
        reported: true
      }
    ],
    allowOtherErrors: true
  },
  {
    name: 'RayService: rayClusterDeletionDelaySeconds 0 is accepted',
    yaml: rayService('rayClusterDeletionDelaySeconds: 0'),
    findings: [],
    absent: ['rayservice-deletion-delay-negative']
  },
  incremental('RayService: an incremental upgrade without the autoscaler', OPTIONS(GOOD_OPTIONS), [
    { ruleId: 'rayservice-incremental-needs-autoscaler', message: 'The RayService spec is invalid: Ray Autoscaler is required for NewClusterWithIncrementalUpgrade', at: valueAt('type'), reported: true }
  ], {}, false),
  incremental('RayService: a complete incremental upgrade is accepted', OPTIONS(GOOD_OPTIONS), [], {
    absent: [
      'rayservice-incremental-needs-autoscaler',
      'rayservice-incremental-options-missing',
      'rayservice-max-surge-out-of-range',
      'rayservice-step-size-out-of-range',
      'rayservice-step-above-max-surge',
      'rayservice-interval-not-positive',
      'rayservice-gateway-class-missing'
    ]
  }),
  incremental('RayService: an incremental upgrade without the gate is not checked', '', [], { gates: { RayServiceIncrementalUpgrade: false }, absent: ['rayservice-incremental-options-missing'] }),
  incremental('RayService: an incremental upgrade without options', '', [
    { ruleId: 'rayservice-incremental-options-missing', message: 'The RayService spec is invalid: ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade', at: keyAt('upgradeStrategy'), reported: true }
  ]),
  incremental('RayService: maxSurgePercent 101', OPTIONS(GOOD_OPTIONS.replace('maxSurgePercent: 50', 'maxSurgePercent: 101')), [
    { ruleId: 'rayservice-max-surge-out-of-range', message: 'The RayService spec is invalid: maxSurgePercent must be between 0 and 100', at: valueAt('maxSurgePercent'), reported: true }
  ], { allowOtherErrors: true }),
  incremental('RayService: stepSizePercent missing', OPTIONS(GOOD_OPTIONS.replace('stepSizePercent: 25\n', '')), [
    { ruleId: 'rayservice-step-size-out-of-range', message: 'The RayService spec is invalid: stepSizePercent must be between 0 and 100', at: keyAt('clusterUpgradeOptions'), reported: true }
  ], { allowOtherErrors: true }),
  incremental('RayService: stepSizePercent above maxSurgePercent', OPTIONS(GOOD_OPTIONS.replace('stepSizePercent: 25', 'stepSizePercent: 75')), [
    { ruleId: 'rayservice-step-above-max-surge', message: 'The RayService spec is invalid: stepSizePercent must be less than or equal to maxSurgePercent', at: valueAt('stepSizePercent'), reported: true }
  ]),
  incremental('RayService: stepSizePercent equal to maxSurgePercent is accepted', OPTIONS(GOOD_OPTIONS.replace('stepSizePercent: 25', 'stepSizePercent: 50')), [], {
    absent: ['rayservice-step-above-max-surge']
  }),
  incremental('RayService: intervalSeconds 0', OPTIONS(GOOD_OPTIONS.replace('intervalSeconds: 60', 'intervalSeconds: 0')), [
    { ruleId: 'rayservice-interval-not-positive', message: 'The RayService spec is invalid: intervalSeconds must be greater than 0', at: valueAt('intervalSeconds'), reported: true }
  ], { allowOtherErrors: true }),
  incremental('RayService: gatewayClassName missing', OPTIONS(GOOD_OPTIONS.replace('\ngatewayClassName: istio', '')), [
    { ruleId: 'rayservice-gateway-class-missing', message: 'The RayService spec is invalid: gatewayClassName is required for NewClusterWithIncrementalUpgrade', at: keyAt('clusterUpgradeOptions'), reported: true }
  ], { allowOtherErrors: true }),
  {
    name: 'RayService: head ports without "dashboard"',
    yaml: rayService('', { headContainer: 'ports:\n  - name: serve\n    containerPort: 8000' }),
    findings: [
      {
        ruleId: 'rayservice-head-no-dashboard-port',
        message:
          'the head container declares ports but none is named "dashboard": KubeRay reaches Ray Serve through the dashboard port of the head Service, so it cannot deploy the Serve applications and the RayService never becomes ready',
        at: keyAt('ports')
      }
    ]
  },
  {
    name: 'RayService: head ports with "dashboard"',
    yaml: rayService('', { headContainer: 'ports:\n  - name: dashboard\n    containerPort: 8265\n  - name: serve\n    containerPort: 8000' }),
    findings: [],
    absent: ['rayservice-head-no-dashboard-port', 'head-no-dashboard-port']
  },
  {
    name: 'RayService: serveConfigV2 is not YAML',
    yaml: rayService('serveConfigV2: "applications: [unclosed"'),
    // The YAML parser's own words follow the prefix: kinds.test.ts checks this case by its prefix.
    findings: [{ ruleId: 'serve-config-not-yaml', message: expectServeConfigProblem, at: valueAt('serveConfigV2') }],
    allowOtherErrors: true
  },
  {
    name: 'RayService: serveConfigV2 is a list, not a mapping',
    yaml: rayService('serveConfigV2: |\n  - name: app1'),
    findings: [
      {
        ruleId: 'serve-config-not-yaml',
        message: 'spec.serveConfigV2 is not a YAML mapping (it is a list): KubeRay cannot read it, so it never deploys the Serve applications and the RayService never becomes ready',
        at: valueAt('serveConfigV2')
      }
    ]
  },
  {
    name: 'RayService: two applications named app1',
    yaml: rayService(SERVE_CONFIG(`${app('app1', '/a')}\n${app('app1', '/b')}`)),
    findings: [
      {
        ruleId: 'serve-app-name-duplicate',
        message: 'serveConfigV2 names application "app1" more than once: Ray Serve refuses the whole config, so no application is deployed and the RayService never becomes ready',
        at: valueAt('serveConfigV2')
      }
    ],
    absent: ['serve-route-prefix-duplicate', 'serve-config-not-yaml']
  },
  {
    name: 'RayService: two applications on route /',
    yaml: rayService(SERVE_CONFIG(`${app('app1', '/')}\n${app('app2', '/')}`)),
    findings: [
      {
        ruleId: 'serve-route-prefix-duplicate',
        message: 'serveConfigV2 gives route_prefix "/" to more than one application: Ray Serve refuses the whole config, so no application is deployed and the RayService never becomes ready',
        at: valueAt('serveConfigV2')
      }
    ],
    absent: ['serve-app-name-duplicate']
  },
  {
    name: 'RayService: two applications with their own names and routes',
    yaml: rayService(SERVE_CONFIG(`${app('app1', '/a')}\n${app('app2', '/b')}`)),
    findings: [],
    absent: ['serve-route-prefix-duplicate', 'serve-app-name-duplicate', 'serve-config-not-yaml']
  }
]


export const RAYCRONJOB_CASES: RuleCase[] = [
  {
    name: 'RayCronJob: a 37-character name',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "*/5 * * * *"', ENTRYPOINT, `name: ${'n'.repeat(37)}`),
    findings: [{ ruleId: 'raycronjob-name-too-long', message: 'RayCronJob name should be no more than 36 characters', at: valueAt('name'), reported: true }]
  },
  {
    name: 'RayCronJob: a 36-character name is accepted',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "*/5 * * * *"', ENTRYPOINT, `name: ${'n'.repeat(36)}`),
    findings: [],
    absent: ['raycronjob-name-too-long', 'raycronjob-gate-disabled']
  },
  {
    name: 'RayCronJob: CRON_TZ in the schedule',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "CRON_TZ=UTC 0 3 * * *"'),
    findings: [{ ruleId: 'raycronjob-schedule-time-zone', message: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead', at: valueAt('schedule'), reported: true }]
  },
  {
    name: 'RayCronJob: CRON_TZ in the schedule is read by the parser of KubeRay 1.6.2',
    version: '1.6.2',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "CRON_TZ=UTC 0 3 * * *"'),
    findings: [],
    absent: ['raycronjob-schedule-time-zone', 'raycronjob-schedule-invalid']
  },
  {
    name: 'RayCronJob: a schedule of three fields',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 *"'),
    findings: [{ ruleId: 'raycronjob-schedule-invalid', message: 'invalid cron schedule: expected exactly 5 fields, found 3: [0 3 *]', at: valueAt('schedule'), reported: true }]
  },
  {
    name: 'RayCronJob: minute 60',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "60 * * * *"'),
    findings: [{ ruleId: 'raycronjob-schedule-invalid', message: 'invalid cron schedule: end of range (60) above maximum (59): 60', at: valueAt('schedule'), reported: true }]
  },
  {
    name: 'RayCronJob: @every 90m and named months are accepted',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "@every 90m"') + '---\n' + rayCronJob('schedule: "0 3 1 JAN-MAR MON"').replace('raycronjob-sample', 'quarterly'),
    findings: [],
    absent: ['raycronjob-schedule-invalid']
  },
  {
    name: 'RayCronJob: an empty timeZone',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 * * *"\ntimeZone: ""'),
    findings: [
      {
        ruleId: 'raycronjob-time-zone-empty',
        message: 'timeZone must not be empty string, omit the field to use the local time zone of the KubeRay operator',
        at: valueAt('timeZone'),
        reported: true
      }
    ],
    allowOtherErrors: true
  },
  {
    name: 'RayCronJob: an unknown timeZone',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 * * *"\ntimeZone: Mars/Olympus_Mons'),
    findings: [{ ruleId: 'raycronjob-time-zone-invalid', message: 'invalid time zone: unknown time zone Mars/Olympus_Mons', at: valueAt('timeZone'), reported: true }]
  },
  {
    name: 'RayCronJob: a timeZone in the wrong case (Go reads zone files by name)',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 * * *"\ntimeZone: europe/paris'),
    findings: [{ ruleId: 'raycronjob-time-zone-invalid', message: 'invalid time zone: unknown time zone europe/paris', at: valueAt('timeZone'), reported: true }]
  },
  {
    name: 'RayCronJob: timeZone Europe/Paris is accepted',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 * * *"\ntimeZone: Europe/Paris'),
    findings: [],
    absent: ['raycronjob-time-zone-invalid', 'raycronjob-time-zone-empty']
  },
  {
    name: 'RayCronJob: the RayJob template gets the RayJob rules, wrapped, at spec.jobTemplate',
    gates: CRON_ON,
    yaml: rayCronJob('schedule: "0 3 * * *"', `${ENTRYPOINT}\nsuspend: true\nshutdownAfterJobFinishes: false`),
    findings: [
      {
        ruleId: 'suspend-requires-shutdown',
        message: 'invalid RayJob template: The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended',
        at: keyAt('suspend'),
        reported: true
      }
    ]
  },
  {
    name: 'RayCronJob: the feature gate off',
    yaml: rayCronJob('schedule: "0 3 * * *"'),
    findings: [
      {
        ruleId: 'raycronjob-gate-disabled',
        severity: 'warning',
        message: 'the RayCronJob feature gate is off: KubeRay 1.7.0 then runs no RayCronJob controller, so this RayCronJob is stored but never starts a RayJob',
        at: valueAt('kind')
      }
    ]
  }
]
