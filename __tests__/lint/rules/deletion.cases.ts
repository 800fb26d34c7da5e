// Cases for the deletion configuration of ValidateRayJobSpec (§2.1, and §2.2 for KubeRay
// 1.3–1.4), run by deletion.test.ts and counted by coverage.test.ts. "TestValidateRayJobSpecWithFeatureGate/n"
// is KubeRay's table with the RayJobDeletionPolicy gate on (its default since 1.6.0).
import { cluster, ENTRYPOINT, keyAt, rayJob, valueAt, y } from './testing.js'
import type { RuleCase } from './testing.js'

const SPEC = 'The RayJob spec is invalid: '
const FG = 'TestValidateRayJobSpecWithFeatureGate'

const withCluster = (spec: string, clusterFields?: string): string => rayJob(y`
  ${ENTRYPOINT}
  ${spec}
  ${cluster({ cluster: clusterFields })}
`)
const withSelector = (spec: string, selector = 'ray.io/cluster: ray-cluster'): string => rayJob(y`
  ${ENTRYPOINT}
  clusterSelector:
    ${selector}
  ${spec}
`)
const legacy = (onSuccess: string, onFailure: string): string => y`
  deletionStrategy:
    onSuccess:
      policy: ${onSuccess}
    onFailure:
      policy: ${onFailure}
`
/** deletionStrategy.deletionRules from [policy, condition] pairs, the condition in flow style. */
const deletionRules = (...rules: [string, string][]): string =>
  `deletionStrategy:\n  deletionRules:\n${rules.map(([policy, condition]) => `    - policy: ${policy}\n      condition: ${condition}`).join('\n')}`
const AUTOSCALING = 'enableInTreeAutoscaling: true'
const DEPRECATED = { ruleId: 'deletion-strategy-deprecated-fields', severity: 'warning' as const, message: 'deletionStrategy.onSuccess and onFailure are deprecated', at: keyAt('onSuccess') }
const celEither = (at = keyAt('deletionStrategy')) => ({
  ruleId: 'schema-cel',
  message: 'spec.deletionStrategy: Invalid value: "object": deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
  at
})

export const DELETION_CASES: RuleCase[] = [
  {
    name: `${FG}/1 clusterSelector with legacy DeleteCluster`,
    yaml: withSelector(legacy('DeleteCluster', 'DeleteCluster'), 'key: value'),
    findings: [
      { ruleId: 'legacy-on-success-with-selector', message: "the ClusterSelector mode doesn't support DeletionStrategy=DeleteCluster on success", at: valueAt('policy'), reported: true },
      { ruleId: 'legacy-on-failure-with-selector', message: "the ClusterSelector mode doesn't support DeletionStrategy=DeleteCluster on failure", at: valueAt('policy', 'onFailure') },
      { ruleId: 'selector-cluster-name-empty', message: 'cluster name in ClusterSelector should not be empty', at: keyAt('clusterSelector') },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/2 clusterSelector with legacy DeleteWorkers`,
    yaml: withSelector(legacy('DeleteWorkers', 'DeleteWorkers')),
    findings: [
      { ruleId: 'legacy-on-success-with-selector', message: "the ClusterSelector mode doesn't support DeletionStrategy=DeleteWorkers on success", at: valueAt('policy'), reported: true },
      { ruleId: 'legacy-on-failure-with-selector', message: "the ClusterSelector mode doesn't support DeletionStrategy=DeleteWorkers on failure", at: valueAt('policy', 'onFailure') },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/3 legacy DeleteWorkers with autoscaling`,
    yaml: withCluster(legacy('DeleteWorkers', 'DeleteCluster'), AUTOSCALING),
    findings: [
      { ruleId: 'legacy-delete-workers-with-autoscaling', message: 'DeletionStrategy=DeleteWorkers currently does not support RayCluster with autoscaling enabled', at: keyAt('deletionStrategy'), reported: true },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/4 valid RayJob with DeletionStrategy=DeleteCluster`,
    yaml: withCluster(`shutdownAfterJobFinishes: true\n${legacy('DeleteCluster', 'DeleteCluster')}`),
    findings: [DEPRECATED],
    absent: ['legacy-deletion-incomplete', 'legacy-on-success-policy-unset', 'legacy-on-failure-policy-unset', 'legacy-delete-none-with-shutdown']
  },
  {
    name: 'legacy DeleteSelf and DeleteNone with clusterSelector are fine',
    yaml: withSelector(legacy('DeleteSelf', 'DeleteNone')),
    findings: [DEPRECATED],
    absent: ['legacy-on-success-with-selector', 'legacy-on-failure-with-selector']
  },
  {
    name: 'legacy DeleteWorkers without autoscaling is fine',
    yaml: withCluster(legacy('DeleteWorkers', 'DeleteWorkers'), 'enableInTreeAutoscaling: false'),
    findings: [DEPRECATED],
    absent: ['legacy-delete-workers-with-autoscaling']
  },
  {
    name: `${FG}/5 valid RayJob without DeletionStrategy`,
    yaml: withCluster('shutdownAfterJobFinishes: true'),
    findings: []
  },
  {
    name: `${FG}/6 shutdownAfterJobFinishes with DeleteNone`,
    yaml: withCluster(`shutdownAfterJobFinishes: true\n${legacy('DeleteNone', 'DeleteNone')}`),
    findings: [
      { ruleId: 'legacy-delete-none-with-shutdown', message: `${SPEC}shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'`, at: keyAt('shutdownAfterJobFinishes'), reported: true },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/7 OnSuccess unset`,
    yaml: withCluster('deletionStrategy:\n  onFailure:\n    policy: DeleteCluster'),
    findings: [
      {
        ruleId: 'legacy-deletion-incomplete',
        message: 'both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields of DeletionStrategy',
        at: keyAt('deletionStrategy'),
        reported: true
      },
      celEither(),
      { ...DEPRECATED, at: keyAt('onFailure') }
    ]
  },
  {
    name: `${FG}/8 OnSuccess.DeletionPolicyType unset`,
    yaml: withCluster('deletionStrategy:\n  onSuccess: {}\n  onFailure:\n    policy: DeleteCluster'),
    findings: [
      {
        ruleId: 'legacy-on-success-policy-unset',
        message: 'the DeletionPolicyType field of DeletionStrategy.OnSuccess cannot be unset when DeletionStrategy is enabled',
        at: keyAt('onSuccess'),
        reported: true
      },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/9 OnFailure unset`,
    yaml: withCluster('deletionStrategy:\n  onSuccess:\n    policy: DeleteCluster'),
    findings: [
      {
        ruleId: 'legacy-deletion-incomplete',
        message: 'both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields of DeletionStrategy',
        at: keyAt('deletionStrategy'),
        reported: true
      },
      celEither(),
      DEPRECATED
    ]
  },
  {
    name: `${FG}/10 OnFailure.DeletionPolicyType unset`,
    yaml: withCluster('deletionStrategy:\n  onSuccess:\n    policy: DeleteCluster\n  onFailure: {}'),
    findings: [
      {
        ruleId: 'legacy-on-failure-policy-unset',
        message: 'the DeletionPolicyType field of DeletionStrategy.OnFailure cannot be unset when DeletionStrategy is enabled',
        at: keyAt('onFailure'),
        reported: true
      },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/11 headGroupSpec should have at least one container`,
    yaml: rayJob(y`
      ${ENTRYPOINT}
      shutdownAfterJobFinishes: true
      ${legacy('DeleteCluster', 'DeleteCluster')}
      rayClusterSpec:
        headGroupSpec:
          rayStartParams: {}
          template:
            spec:
              containers: []
    `),
    findings: [{ ruleId: 'head-no-containers', message: `${SPEC}headGroupSpec should have at least one container`, at: keyAt('containers'), reported: true }, DEPRECATED]
  },
  {
    name: 'deletionRules are not deprecated',
    yaml: withCluster(deletionRules(['DeleteCluster', '{jobStatus: FAILED, ttlSeconds: 60}'])),
    findings: [],
    absent: ['deletion-strategy-deprecated-fields']
  },
  {
    name: `${FG}/12 valid deletionRules`,
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'])),
    findings: [],
    absent: [
      'deletion-rules-with-shutdown',
      'deletion-rules-with-legacy',
      'deletion-strategy-empty',
      'deletion-rule-negative-ttl',
      'deletion-rule-both-conditions',
      'deletion-rule-no-condition'
    ]
  },
  {
    name: 'a DeleteSelf rule with clusterSelector is fine',
    yaml: withSelector(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED}'])),
    findings: [],
    absent: ['deletion-rule-with-selector']
  },
  {
    name: 'a DeleteCluster rule with autoscaling is fine',
    yaml: withCluster(deletionRules(['DeleteCluster', '{jobStatus: SUCCEEDED}']), AUTOSCALING),
    findings: [],
    absent: ['deletion-rule-workers-with-autoscaling']
  },
  {
    name: `${FG}/13 deletionRules with shutdownAfterJobFinishes`,
    yaml: withCluster(`shutdownAfterJobFinishes: true\n${deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED}'])}`),
    findings: [
      {
        ruleId: 'deletion-rules-with-shutdown',
        message: `${SPEC}spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive`,
        at: keyAt('shutdownAfterJobFinishes'),
        reported: true
      }
    ]
  },
  {
    name: `${FG}/14 deletionRules with legacy onSuccess`,
    yaml: withCluster(y`
      deletionStrategy:
        onSuccess:
          policy: DeleteCluster
        deletionRules:
          - policy: DeleteSelf
            condition: {jobStatus: SUCCEEDED}
    `),
    findings: [
      {
        ruleId: 'deletion-rules-with-legacy',
        message: `${SPEC}Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously`,
        at: keyAt('deletionRules'),
        reported: true
      },
      {
        ruleId: 'schema-cel',
        message: 'spec.deletionStrategy: Invalid value: "object": legacy policies (onSuccess/onFailure) and deletionRules cannot be used together within the same deletionStrategy',
        at: keyAt('deletionStrategy')
      },
      DEPRECATED
    ]
  },
  {
    name: `${FG}/15 nil DeletionStrategy`,
    yaml: withCluster('deletionStrategy: {}'),
    findings: [
      {
        ruleId: 'deletion-strategy-empty',
        message: `${SPEC}DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)`,
        at: keyAt('deletionStrategy'),
        reported: true
      },
      celEither()
    ]
  },
  {
    name: `${FG}/16 empty DeletionStrategy`,
    yaml: withCluster('deletionStrategy:\n  deletionRules: []'),
    findings: [
      {
        ruleId: 'deletion-strategy-empty',
        message: `${SPEC}DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)`,
        at: keyAt('deletionStrategy'),
        reported: true
      },
      {
        ruleId: 'schema-range',
        message: 'spec.deletionStrategy.deletionRules: Invalid value: []: spec.deletionStrategy.deletionRules in body should have at least 1 items',
        at: valueAt('deletionRules')
      }
    ]
  },
  {
    name: `${FG}/17 duplicate rule for DeleteSelf on SUCCEEDED`,
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'], ['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'])),
    findings: [
      {
        ruleId: 'deletion-rule-duplicate-job-status',
        message: "deletionRules[1]: duplicate rule for DeletionPolicyType 'DeleteSelf' and JobStatus 'SUCCEEDED'",
        at: keyAt('policy', 'ttlSeconds: 10'),
        reported: true
      }
    ]
  },
  {
    name: `${FG}/18 negative ttlSeconds`,
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: -10}'])),
    findings: [
      { ruleId: 'deletion-rule-negative-ttl', message: 'deletionRules[0]: TTLSeconds must be non-negative', at: keyAt('policy'), reported: true },
      {
        ruleId: 'schema-range',
        message:
          'spec.deletionStrategy.deletionRules[0].condition.ttlSeconds: Invalid value: -10: spec.deletionStrategy.deletionRules[0].condition.ttlSeconds in body should be greater than or equal to 0',
        at: { text: '-10' }
      }
    ]
  },
  {
    name: `${FG}/19 deletionRules with clusterSelector and DeleteWorkers`,
    yaml: withSelector(deletionRules(['DeleteWorkers', '{jobStatus: SUCCEEDED}'])),
    findings: [
      { ruleId: 'deletion-rule-with-selector', message: "deletionRules[0]: DeletionPolicyType 'DeleteWorkers' not supported when ClusterSelector is set", at: keyAt('policy'), reported: true }
    ]
  },
  {
    name: `${FG}/20 deletionRules with clusterSelector and DeleteCluster`,
    yaml: withSelector(deletionRules(['DeleteCluster', '{jobStatus: FAILED}'])),
    findings: [
      { ruleId: 'deletion-rule-with-selector', message: "deletionRules[0]: DeletionPolicyType 'DeleteCluster' not supported when ClusterSelector is set", at: keyAt('policy'), reported: true }
    ]
  },
  {
    name: `${FG}/21 deletionRules with autoscaling and DeleteWorkers`,
    yaml: withCluster(deletionRules(['DeleteWorkers', '{jobStatus: SUCCEEDED}']), AUTOSCALING),
    findings: [
      { ruleId: 'deletion-rule-workers-with-autoscaling', message: "deletionRules[0]: DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled", at: keyAt('policy'), reported: true }
    ]
  },
  {
    name: `${FG}/22 DeleteCluster TTL below DeleteWorkers TTL`,
    yaml: withCluster(deletionRules(['DeleteWorkers', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'], ['DeleteCluster', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'])),
    findings: [
      {
        ruleId: 'deletion-rule-ttl-order',
        message: "for JobStatus 'SUCCEEDED': DeleteCluster TTL (10) must be >= DeleteWorkers TTL (20)",
        at: { text: 'ttlSeconds: 10' },
        reported: true
      }
    ]
  },
  {
    name: `${FG}/23 DeleteSelf TTL below DeleteCluster TTL`,
    yaml: withCluster(deletionRules(['DeleteCluster', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'], ['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'])),
    findings: [
      {
        ruleId: 'deletion-rule-ttl-order',
        message: "for JobStatus 'SUCCEEDED': DeleteSelf TTL (10) must be >= DeleteCluster TTL (20)",
        at: { text: 'ttlSeconds: 10' },
        reported: true
      }
    ]
  },
  {
    name: `${FG}/24 valid complex deletionRules`,
    yaml: withCluster(
      deletionRules(
        ['DeleteWorkers', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'],
        ['DeleteCluster', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'],
        ['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 30}'],
        ['DeleteSelf', '{jobStatus: FAILED, ttlSeconds: 0}']
      )
    ),
    findings: [],
    absent: ['deletion-rule-ttl-order', 'deletion-rule-duplicate-job-status']
  },
  {
    name: `${FG}/25 JobDeploymentStatus Failed rules`,
    yaml: withCluster(deletionRules(['DeleteCluster', '{jobDeploymentStatus: Failed, ttlSeconds: 10}'], ['DeleteSelf', '{jobDeploymentStatus: Failed, ttlSeconds: 20}'])),
    findings: []
  },
  {
    name: `${FG}/26 both JobStatus and JobDeploymentStatus`,
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: FAILED, jobDeploymentStatus: Failed}'])),
    findings: [
      { ruleId: 'deletion-rule-both-conditions', message: 'deletionRules[0]: cannot set both JobStatus and JobDeploymentStatus at the same time', at: keyAt('policy'), reported: true },
      {
        ruleId: 'schema-cel',
        message:
          'spec.deletionStrategy.deletionRules[0].condition: Invalid value: "object": JobStatus and JobDeploymentStatus cannot be used together within the same deletion condition.',
        at: keyAt('condition')
      }
    ]
  },
  {
    name: `${FG}/27 neither JobStatus nor JobDeploymentStatus`,
    yaml: withCluster(deletionRules(['DeleteSelf', '{ttlSeconds: 10}'])),
    findings: [
      { ruleId: 'deletion-rule-no-condition', message: 'deletionRules[0]: exactly one of JobStatus and JobDeploymentStatus must be set', at: keyAt('policy'), reported: true },
      {
        ruleId: 'schema-cel',
        message: 'spec.deletionStrategy.deletionRules[0].condition: Invalid value: "object": the deletion condition requires either the JobStatus or the JobDeploymentStatus field.',
        at: keyAt('condition')
      }
    ]
  },
  {
    name: `${FG}/28 duplicate rule for DeleteCluster on Failed`,
    yaml: withCluster(deletionRules(['DeleteCluster', '{jobDeploymentStatus: Failed, ttlSeconds: 10}'], ['DeleteCluster', '{jobDeploymentStatus: Failed, ttlSeconds: 20}'])),
    findings: [
      {
        ruleId: 'deletion-rule-duplicate-deployment-status',
        message: "deletionRules[1]: duplicate rule for DeletionPolicyType 'DeleteCluster' and JobDeploymentStatus 'Failed'",
        at: keyAt('policy', 'ttlSeconds: 10'),
        reported: true
      }
    ]
  },
  {
    name: `${FG}/29 mixed JobStatus and JobDeploymentStatus rules`,
    yaml: withCluster(
      deletionRules(
        ['DeleteCluster', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'],
        ['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'],
        ['DeleteCluster', '{jobDeploymentStatus: Failed, ttlSeconds: 10}'],
        ['DeleteSelf', '{jobDeploymentStatus: Failed, ttlSeconds: 20}']
      )
    ),
    findings: [],
    absent: ['deletion-rule-duplicate-job-status', 'deletion-rule-duplicate-deployment-status', 'deletion-rule-both-conditions']
  },
  {
    name: `${FG}/30 JobDeploymentStatus DeleteCluster TTL below DeleteWorkers TTL`,
    yaml: withCluster(deletionRules(['DeleteWorkers', '{jobDeploymentStatus: Failed, ttlSeconds: 20}'], ['DeleteCluster', '{jobDeploymentStatus: Failed, ttlSeconds: 10}'])),
    findings: [
      {
        ruleId: 'deletion-rule-ttl-order',
        message: "for JobDeploymentStatus 'Failed': DeleteCluster TTL (10) must be >= DeleteWorkers TTL (20)",
        at: { text: 'ttlSeconds: 10' },
        reported: true
      }
    ]
  },
  {
    name: 'deletionRules with the RayJobDeletionPolicy gate turned off',
    gates: { RayJobDeletionPolicy: false },
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED}'])),
    findings: [{ ruleId: 'deletion-strategy-gate-disabled', message: 'RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy', at: keyAt('deletionStrategy'), reported: true }]
  },
  {
    name: 'deletionRules in KubeRay 1.5.2, where the gate is off by default',
    version: '1.5.2',
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED}'])),
    findings: [{ ruleId: 'deletion-strategy-gate-disabled', message: 'RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy', at: keyAt('deletionStrategy'), reported: true }]
  },
  {
    name: 'deletionRules in KubeRay 1.5.2 with the gate on',
    version: '1.5.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED}'])),
    findings: [],
    absent: ['deletion-strategy-gate-disabled']
  },
  {
    name: 'KubeRay 1.5.2 requires jobStatus and knows no jobDeploymentStatus',
    version: '1.5.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobDeploymentStatus: Failed}'])),
    findings: [
      { ruleId: 'schema-required', message: 'spec.deletionStrategy.deletionRules[0].condition.jobStatus: Required value', at: keyAt('condition') },
      {
        ruleId: 'schema-unknown-field',
        message: 'unknown field "spec.deletionStrategy.deletionRules[0].condition.jobDeploymentStatus"',
        at: { text: 'jobDeploymentStatus' }
      }
    ],
    absent: ['deletion-rule-no-condition']
  },
  {
    name: 'KubeRay joins the deletion rules errors into one: all of them are what it reports',
    yaml: withCluster(deletionRules(['DeleteSelf', '{jobStatus: SUCCEEDED, ttlSeconds: -1}'], ['DeleteSelf', '{jobStatus: FAILED}'], ['DeleteSelf', '{jobStatus: FAILED}'])),
    allowOtherErrors: true,
    findings: [
      { ruleId: 'deletion-rule-negative-ttl', message: 'deletionRules[0]: TTLSeconds must be non-negative', at: keyAt('policy'), reported: true },
      {
        ruleId: 'deletion-rule-duplicate-job-status',
        message: "deletionRules[2]: duplicate rule for DeletionPolicyType 'DeleteSelf' and JobStatus 'FAILED'",
        at: keyAt('policy', 'jobStatus: FAILED'),
        reported: true
      }
    ]
  },
  {
    name: 'deletionRules with shutdownAfterJobFinishes: the mistakes in the rules are listed too',
    yaml: withCluster(`shutdownAfterJobFinishes: true\n${deletionRules(['DeleteWorkers', '{jobStatus: SUCCEEDED}'])}`, AUTOSCALING),
    findings: [
      {
        ruleId: 'deletion-rules-with-shutdown',
        message: `${SPEC}spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive`,
        at: keyAt('shutdownAfterJobFinishes'),
        reported: true
      },
      { ruleId: 'deletion-rule-workers-with-autoscaling', message: "deletionRules[0]: DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled", at: keyAt('policy') }
    ]
  },
  {
    name: 'a duplicate rule does not change the TTL order KubeRay checks (the first one counts)',
    yaml: withCluster(
      deletionRules(
        ['DeleteWorkers', '{jobStatus: SUCCEEDED, ttlSeconds: 10}'],
        ['DeleteCluster', '{jobStatus: SUCCEEDED, ttlSeconds: 20}'],
        ['DeleteWorkers', '{jobStatus: SUCCEEDED, ttlSeconds: 30}']
      )
    ),
    findings: [
      {
        ruleId: 'deletion-rule-duplicate-job-status',
        message: "deletionRules[2]: duplicate rule for DeletionPolicyType 'DeleteWorkers' and JobStatus 'SUCCEEDED'",
        at: keyAt('policy', 'ttlSeconds: 20'),
        reported: true
      }
    ],
    absent: ['deletion-rule-ttl-order']
  },
  {
    name: 'ttlSecondsAfterFinished without shutdownAfterJobFinishes is accepted by KubeRay 1.3.2',
    version: '1.3.2',
    yaml: withCluster('ttlSecondsAfterFinished: 60'),
    findings: [],
    absent: ['ttl-without-shutdown']
  },
  {
    name: 'KubeRay 1.4.2: deletionPolicy needs the RayJobDeletionPolicy gate (off by default)',
    version: '1.4.2',
    yaml: withCluster('deletionPolicy: DeleteCluster'),
    findings: [
      { ruleId: 'deletion-policy-gate-disabled', message: 'RayJobDeletionPolicy feature gate must be enabled to use the DeletionPolicy feature', at: keyAt('deletionPolicy'), reported: true }
    ]
  },
  {
    name: 'KubeRay 1.4.2 with the gate on: deletionPolicy DeleteCluster is fine',
    version: '1.4.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster('shutdownAfterJobFinishes: true\ndeletionPolicy: DeleteCluster'),
    findings: [],
    absent: ['deletion-policy-gate-disabled', 'deletion-policy-none-with-shutdown']
  },
  {
    name: 'KubeRay 1.3.2: deletionPolicy DeleteCluster on a cluster the job does not own',
    version: '1.3.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withSelector('deletionPolicy: DeleteCluster'),
    findings: [{ ruleId: 'deletion-policy-with-selector', message: "the ClusterSelector mode doesn't support DeletionPolicy=DeleteCluster", at: valueAt('deletionPolicy'), reported: true }]
  },
  {
    name: 'KubeRay 1.4.2: deletionPolicy DeleteSelf with clusterSelector is fine',
    version: '1.4.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withSelector('deletionPolicy: DeleteSelf'),
    findings: [],
    absent: ['deletion-policy-with-selector']
  },
  {
    name: 'KubeRay 1.4.2: deletionPolicy DeleteCluster with autoscaling is fine',
    version: '1.4.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster('deletionPolicy: DeleteCluster', AUTOSCALING),
    findings: [],
    absent: ['deletion-policy-workers-with-autoscaling']
  },
  {
    name: 'KubeRay 1.4.2: deletionPolicy DeleteWorkers with autoscaling',
    version: '1.4.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster('deletionPolicy: DeleteWorkers', AUTOSCALING),
    findings: [
      { ruleId: 'deletion-policy-workers-with-autoscaling', message: 'DeletionPolicy=DeleteWorkers currently does not support RayCluster with autoscaling enabled', at: valueAt('deletionPolicy'), reported: true }
    ]
  },
  {
    name: 'KubeRay 1.4.2: deletionPolicy DeleteNone with shutdownAfterJobFinishes',
    version: '1.4.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster('shutdownAfterJobFinishes: true\ndeletionPolicy: DeleteNone'),
    findings: [
      { ruleId: 'deletion-policy-none-with-shutdown', message: "shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'", at: keyAt('shutdownAfterJobFinishes'), reported: true }
    ]
  },
  {
    name: 'KubeRay 1.3.2: the CRD limits deletionPolicy to four values',
    version: '1.3.2',
    gates: { RayJobDeletionPolicy: true },
    yaml: withCluster('deletionPolicy: DeleteEverything'),
    findings: [
      {
        ruleId: 'schema-cel',
        message: `spec.deletionPolicy: Invalid value: "string": the deletionPolicy field value must be either 'DeleteCluster', 'DeleteWorkers', 'DeleteSelf', or 'DeleteNone'`,
        at: keyAt('deletionPolicy')
      }
    ]
  },
  {
    name: 'deletionPolicy is gone in KubeRay 1.5.0: the field is unknown',
    yaml: withCluster('deletionPolicy: DeleteCluster'),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.deletionPolicy"', at: keyAt('deletionPolicy') }],
    absent: ['deletion-policy-gate-disabled']
  }
]
