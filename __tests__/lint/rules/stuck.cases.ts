// Cases for the mistakes KubeRay accepts but that leave a RayJob stuck or failed (§7 and the
// "not validated" list of §3), run by stuck.test.ts and counted by coverage.test.ts.
import { cluster, ENTRYPOINT, keyAt, rayJob, valueAt, worker, y } from './testing.js'
import type { ClusterParts, RuleCase } from './testing.js'

const job = (spec: string, parts?: ClusterParts): string => rayJob(y`
  ${spec}
  ${cluster(parts)}
`)
const submitter = (podFields: string, container = ''): string => y`
  submitterPodTemplate:
    spec:
      ${podFields}
      containers:
        - name: submitter
          image: rayproject/ray:2.52.0
          ${container}
`
const SELECTOR = 'clusterSelector:\n  ray.io/cluster: shared-cluster'

export const STUCK_CASES: RuleCase[] = [
  {
    name: 'a misspelt submissionMode is accepted by the CRD and hangs the RayJob',
    yaml: job(`${ENTRYPOINT}\nsubmissionMode: K8sJobmode`),
    findings: [
      {
        ruleId: 'submission-mode-unknown',
        message:
          'submissionMode "K8sJobmode" is not one KubeRay 1.7.0 acts on (K8sJobMode, HTTPMode, InteractiveMode, SidecarMode): the RayJob goes to Running with no submitter and hangs',
        at: valueAt('submissionMode')
      }
    ]
  },
  {
    name: 'SidecarMode is unknown to KubeRay 1.4.2 (it came in 1.5.0)',
    version: '1.4.2',
    yaml: job(`${ENTRYPOINT}\nsubmissionMode: SidecarMode`),
    findings: [
      {
        ruleId: 'submission-mode-unknown',
        message: 'submissionMode "SidecarMode" is not one KubeRay 1.4.2 acts on (K8sJobMode, HTTPMode, InteractiveMode): the RayJob goes to Running with no submitter and hangs',
        at: valueAt('submissionMode')
      }
    ]
  },
  {
    name: 'HTTPMode is a submission mode',
    yaml: job(`${ENTRYPOINT}\nsubmissionMode: HTTPMode`),
    findings: [],
    absent: ['submission-mode-unknown']
  },
  {
    name: 'head ports without one named dashboard',
    yaml: job(ENTRYPOINT, { headContainer: 'ports:\n  - name: gcs-server\n    containerPort: 6379\n  - name: client\n    containerPort: 10001' }),
    findings: [
      {
        ruleId: 'head-no-dashboard-port',
        severity: 'warning',
        message:
          'the head container declares ports but none is named "dashboard": the head Service gets no dashboard port, KubeRay cannot build status.dashboardURL ("dashboard port is not found") and the RayJob stays Initializing',
        at: keyAt('ports')
      }
    ]
  },
  {
    name: 'head ports with one named dashboard, or no ports at all',
    yaml: job(ENTRYPOINT, { headContainer: 'ports:\n  - name: dashboard\n    containerPort: 8265' }),
    findings: [],
    absent: ['head-no-dashboard-port']
  },
  {
    name: 'a submitter Pod with restartPolicy Always',
    yaml: job(`${ENTRYPOINT}\n${submitter('restartPolicy: Always')}`),
    findings: [
      {
        ruleId: 'submitter-restart-policy',
        message:
          'submitterPodTemplate.spec.restartPolicy is "Always": Kubernetes rejects a Job whose Pods do not use Never or OnFailure, so the submitter is never created and the RayJob is stuck',
        at: valueAt('restartPolicy')
      }
    ]
  },
  {
    name: 'a submitter Pod without restartPolicy (Kubernetes defaults it to Always)',
    yaml: job(`${ENTRYPOINT}\n${submitter('')}`),
    findings: [
      {
        ruleId: 'submitter-restart-policy',
        message:
          'submitterPodTemplate.spec.restartPolicy is "unset (Always)": Kubernetes rejects a Job whose Pods do not use Never or OnFailure, so the submitter is never created and the RayJob is stuck',
        at: keyAt('spec', 'submitterPodTemplate')
      }
    ]
  },
  {
    name: 'a submitter Pod with restartPolicy OnFailure',
    yaml: job(`${ENTRYPOINT}\n${submitter('restartPolicy: OnFailure')}`),
    findings: [],
    absent: ['submitter-restart-policy']
  },
  {
    name: 'spec.metadata with a Ray older than 2.6.0',
    yaml: job(`${ENTRYPOINT}\nmetadata:\n  owner: team-a`, { cluster: 'rayVersion: "2.5.0"' }),
    findings: [
      {
        ruleId: 'metadata-needs-ray-2-6',
        message: 'the Ray version must be at least 2.6.0 to use the metadata field (rayVersion is 2.5.0): the submitter cannot be built and the job never starts',
        at: keyAt('metadata', 'spec:')
      }
    ]
  },
  {
    name: 'spec.metadata without a rayVersion',
    yaml: job(`${ENTRYPOINT}\nmetadata:\n  owner: team-a`),
    findings: [
      {
        ruleId: 'metadata-needs-ray-2-6',
        message: 'failed to parse Ray version "": spec.metadata needs a rayVersion of 2.6.0 or later, so the submitter cannot be built',
        at: keyAt('metadata', 'spec:')
      }
    ]
  },
  {
    name: 'spec.metadata with Ray 2.5.0, but a submitter with its own command (KubeRay builds none)',
    yaml: job(`${ENTRYPOINT}\nmetadata:\n  owner: team-a\nsubmitterPodTemplate:\n  spec:\n    restartPolicy: Never\n    containers:\n    - name: submitter\n      image: rayproject/ray:2.5.0\n      command: ["ray", "job", "submit", "--", "python", "train.py"]`, { cluster: 'rayVersion: "2.5.0"' }),
    findings: [],
    absent: ['metadata-needs-ray-2-6']
  },
  {
    name: 'spec.metadata with Ray 2.5.0 and a submitter template without a command',
    yaml: job(`${ENTRYPOINT}\nmetadata:\n  owner: team-a\nsubmitterPodTemplate:\n  spec:\n    restartPolicy: Never\n    containers:\n    - name: submitter\n      image: rayproject/ray:2.5.0`, { cluster: 'rayVersion: "2.5.0"' }),
    findings: [{ ruleId: 'metadata-needs-ray-2-6', message: 'the Ray version must be at least 2.6.0 to use the metadata field (rayVersion is 2.5.0): the submitter cannot be built and the job never starts', at: keyAt('metadata', 'spec:') }]
  },
  {
    name: 'spec.metadata with Ray 2.9.0',
    yaml: job(`${ENTRYPOINT}\nmetadata:\n  owner: team-a`, { cluster: 'rayVersion: "2.9.0"' }),
    findings: [],
    absent: ['metadata-needs-ray-2-6']
  },
  {
    name: 'entrypointResources with a string where a number belongs',
    yaml: job(`${ENTRYPOINT}\nentrypointResources: '{"GPU": "1"}'`),
    findings: [
      {
        ruleId: 'entrypoint-resources-not-json',
        message: 'spec.entrypointResources must be a JSON object of resource name to number ("GPU" is not a number); the submission fails',
        at: valueAt('entrypointResources')
      }
    ]
  },
  {
    name: 'entrypointResources that is a JSON array',
    yaml: job(`${ENTRYPOINT}\nentrypointResources: '["GPU"]'`),
    findings: [
      {
        ruleId: 'entrypoint-resources-not-json',
        message: 'spec.entrypointResources must be a JSON object of resource name to number (a JSON array, not an object); the submission fails',
        at: valueAt('entrypointResources')
      }
    ]
  },
  {
    name: 'entrypointResources as a JSON object of numbers',
    yaml: job(`${ENTRYPOINT}\nentrypointResources: '{"custom_resource": 1}'`),
    findings: [],
    absent: ['entrypoint-resources-not-json']
  },
  {
    name: 'TestValidateRayClusterUpgradeOptions/Upgrade strategy set Recreate for RayCluster created by RayJob',
    yaml: job(ENTRYPOINT, { cluster: 'upgradeStrategy:\n  type: Recreate' }),
    findings: [
      {
        ruleId: 'upgrade-strategy-in-rayjob',
        message: 'upgradeStrategy cannot be set when RayCluster is created by RayJob: the RayCluster controller refuses the cluster and the RayJob stays Initializing',
        at: keyAt('upgradeStrategy')
      }
    ]
  },
  {
    name: 'upgradeStrategy type None in the cluster of a RayJob is refused too (KubeRay refuses any type)',
    yaml: job(ENTRYPOINT, { cluster: 'upgradeStrategy:\n  type: None' }),
    findings: [
      {
        ruleId: 'upgrade-strategy-in-rayjob',
        message: 'upgradeStrategy cannot be set when RayCluster is created by RayJob: the RayCluster controller refuses the cluster and the RayJob stays Initializing',
        at: keyAt('upgradeStrategy')
      }
    ]
  },
  {
    name: 'TestValidateRayClusterUpgradeOptions/No upgrade strategy',
    yaml: job(ENTRYPOINT),
    findings: [],
    absent: ['upgrade-strategy-in-rayjob']
  },
  {
    name: 'upgradeStrategy is unknown to a KubeRay 1.5.2 RayJob (it came in 1.6.0)',
    version: '1.5.2',
    yaml: job(ENTRYPOINT, { cluster: 'upgradeStrategy:\n  type: Recreate' }),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.rayClusterSpec.upgradeStrategy"', at: keyAt('upgradeStrategy') }],
    absent: ['upgrade-strategy-in-rayjob']
  },
  {
    name: 'worker groups with their own names',
    yaml: job(ENTRYPOINT, { workers: [worker('small'), worker('large')] }),
    findings: [],
    absent: ['worker-group-name-duplicate']
  },
  {
    name: 'duplicate worker group names',
    yaml: job(ENTRYPOINT, { workers: [worker('small'), worker('small')] }),
    findings: [
      {
        ruleId: 'worker-group-name-duplicate',
        message: 'worker group names must be unique: "small" is used more than once (the RayCluster webhook refuses it; without webhooks the groups collide)',
        at: valueAt('groupName', 'ray-worker')
      }
    ]
  },
  {
    name: 'K8sJobMode without an entrypoint',
    yaml: job('shutdownAfterJobFinishes: true'),
    findings: [{ ruleId: 'entrypoint-empty', severity: 'warning', message: 'spec.entrypoint is empty in K8sJobMode: there is nothing for the submitter to run', at: keyAt('spec') }]
  },
  {
    name: 'K8sJobMode with a submitter container that brings its own command needs no entrypoint',
    yaml: job(submitter('restartPolicy: Never', 'command: ["python", "/app/submit.py"]')),
    findings: [],
    absent: ['entrypoint-empty']
  },
  {
    name: 'InteractiveMode without preRunningDeadlineSeconds',
    yaml: job('submissionMode: InteractiveMode'),
    findings: [
      {
        ruleId: 'interactive-without-pre-running-deadline',
        severity: 'note',
        message:
          'InteractiveMode waits in Waiting until a job is submitted, and neither activeDeadlineSeconds nor suspend applies there: a job that is never submitted waits forever',
        at: valueAt('submissionMode')
      }
    ],
    absent: ['entrypoint-empty']
  },
  {
    name: 'InteractiveMode in KubeRay 1.5.2, which has no preRunningDeadlineSeconds to suggest',
    version: '1.5.2',
    yaml: job('submissionMode: InteractiveMode'),
    findings: [],
    absent: ['interactive-without-pre-running-deadline']
  },
  {
    name: 'managedBy MultiKueue: this operator ignores the RayJob',
    yaml: job(`${ENTRYPOINT}\nmanagedBy: kueue.x-k8s.io/multikueue`),
    findings: [
      {
        ruleId: 'managed-by-kueue',
        severity: 'note',
        message: 'spec.managedBy is kueue.x-k8s.io/multikueue: the KubeRay operator in this cluster ignores the RayJob',
        at: valueAt('managedBy')
      }
    ]
  },
  {
    name: 'managedBy the KubeRay operator',
    yaml: job(`${ENTRYPOINT}\nmanagedBy: ray.io/kuberay-operator`),
    findings: [],
    absent: ['managed-by-kueue']
  },
  {
    name: 'clusterSelector alone',
    yaml: rayJob(`${ENTRYPOINT}\n${SELECTOR}`),
    findings: [],
    absent: ['cluster-spec-ignored']
  },
  {
    name: 'clusterSelector and rayClusterSpec together',
    yaml: job(`${ENTRYPOINT}\n${SELECTOR}`),
    findings: [
      {
        ruleId: 'cluster-spec-ignored',
        severity: 'warning',
        message: 'spec.clusterSelector is set, so the job runs on the existing cluster and spec.rayClusterSpec is ignored',
        at: keyAt('rayClusterSpec')
      }
    ]
  },
  {
    name: 'a head serviceType Kubernetes does not know',
    yaml: job(ENTRYPOINT, { head: 'serviceType: Internal' }),
    findings: [
      {
        ruleId: 'head-service-type-invalid',
        message: 'headGroupSpec.serviceType "Internal" is not a Kubernetes Service type: the head Service cannot be created and the RayJob stays Initializing',
        at: valueAt('serviceType')
      }
    ]
  },
  {
    name: 'a head serviceType NodePort',
    yaml: job(ENTRYPOINT, { head: 'serviceType: NodePort' }),
    findings: [],
    absent: ['head-service-type-invalid']
  },
  {
    name: 'replicas above maxReplicas',
    yaml: job(ENTRYPOINT, { workers: [worker('small', { group: 'replicas: 5\nminReplicas: 1\nmaxReplicas: 3' })] }),
    findings: [
      {
        ruleId: 'worker-replicas-clamped',
        severity: 'note',
        message: 'worker group small asks for 5 replicas, outside [1, 3]: the operator clamps it to 3',
        at: valueAt('replicas')
      }
    ]
  },
  {
    name: 'replicas left to the CRD default (0) below minReplicas: nothing the user wrote',
    yaml: job(ENTRYPOINT, { workers: [worker('small', { group: 'minReplicas: 1\nmaxReplicas: 3' })] }),
    findings: [],
    absent: ['worker-replicas-clamped']
  },
  {
    name: 'spec.suspend is how a RayJob is suspended',
    yaml: job(`${ENTRYPOINT}\nsuspend: true\nshutdownAfterJobFinishes: true`),
    findings: [],
    absent: ['suspend-not-for-rayjob']
  },
  {
    name: 'rayClusterSpec.suspend in a RayJob',
    yaml: job(ENTRYPOINT, { cluster: 'suspend: true' }),
    findings: [
      {
        ruleId: 'suspend-not-for-rayjob',
        severity: 'warning',
        message: 'rayClusterSpec.suspend is not meant to be set in a RayJob: KubeRay manages it (use spec.suspend to suspend the job)',
        at: keyAt('suspend')
      }
    ]
  }
]
