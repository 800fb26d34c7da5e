// Mistakes KubeRay accepts but that leave a RayJob stuck or failed without a KubeRay error (the
// README's rules table lists them as "stuck"; each hint says what KubeRay does instead).
import { arr, get, isObj, isSet, nonEmpty, obj, str } from '../../manifest/model.js'
import { checkRayVersion } from '../rayversion.js'
import { atLeast } from '../versions.js'
import type { JobView, RuleDefinition, Violation } from './types.js'
import { P } from './types.js'

const stuck = (rule: Omit<RuleDefinition, 'source'>): RuleDefinition => ({ source: 'stuck', ...rule })

/** The submission modes a release's controller acts on. */
function knownModes(v: JobView): string[] {
  const modes = ['K8sJobMode']
  if (atLeast(v.version, '1.1.0')) modes.push('HTTPMode')
  if (v.version === '1.2.2') modes.push('UserMode')
  if (atLeast(v.version, '1.3.0')) modes.push('InteractiveMode')
  if (atLeast(v.version, '1.5.0')) modes.push('SidecarMode')
  return modes
}

/** Head ports declared, none named "dashboard": KubeRay then has no port to reach the Dashboard through (it adds defaults only when none is declared). */
export function headPortsWithoutDashboard(v: JobView): Violation | undefined {
  const ports = arr(v.headContainer?.ports)
  return ports.length > 0 && !ports.some((p) => isObj(p) && p.name === 'dashboard') ? { path: [...P.headContainer, 'ports'] } : undefined
}

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']

export const stuckRules: RuleDefinition[] = [
  stuck({
    id: 'submission-mode-unknown',
    since: '1.1.0',
    severity: 'error',
    title: 'unknown submissionMode',
    message: 'submissionMode "{mode}" is not one KubeRay {version} acts on ({modes}): the RayJob goes to Running with no submitter and hangs',
    params: ['mode', 'version', 'modes'],
    hint: 'Use K8sJobMode (default), HTTPMode, InteractiveMode or SidecarMode, spelled exactly.',
    check: (v) => {
      const modes = knownModes(v)
      return modes.includes(v.submissionMode)
        ? undefined
        : { path: [...P.spec, 'submissionMode'], part: 'value', params: { mode: v.submissionMode, version: v.version, modes: modes.join(', ') } }
    }
  }),
  stuck({
    id: 'head-no-dashboard-port',
    since: '1.1.0',
    severity: 'warning',
    title: 'head ports without "dashboard"',
    message:
      'the head container declares ports but none is named "dashboard": the head Service gets no dashboard port, KubeRay cannot build status.dashboardURL ("dashboard port is not found") and the RayJob stays Initializing',
    hint: 'Add `- {name: dashboard, containerPort: 8265}` to the head container ports (KubeRay adds defaults only when no port is declared).',
    check: headPortsWithoutDashboard
  }),
  stuck({
    id: 'submitter-restart-policy',
    since: '1.1.0',
    severity: 'error',
    title: 'submitter Pod restartPolicy',
    message: 'submitterPodTemplate.spec.restartPolicy is "{policy}": Kubernetes rejects a Job whose Pods do not use Never or OnFailure, so the submitter is never created and the RayJob is stuck',
    params: ['policy'],
    hint: 'Set submitterPodTemplate.spec.restartPolicy: Never.',
    check: (v) => {
      const template = obj(v.spec.submitterPodTemplate)
      if (!template || !['K8sJobMode', ''].includes(v.submissionMode)) return undefined
      const policy = str(get(template, ['spec', 'restartPolicy'])) ?? ''
      return policy === 'Never' || policy === 'OnFailure'
        ? undefined
        : policy
          ? { path: [...P.spec, 'submitterPodTemplate', 'spec', 'restartPolicy'], part: 'value', params: { policy } }
          : { path: [...P.spec, 'submitterPodTemplate', 'spec'], params: { policy: 'unset (Always)' } }
    }
  }),
  stuck({
    id: 'metadata-needs-ray-2-6',
    since: '1.1.0',
    severity: 'error',
    title: 'spec.metadata needs Ray 2.6.0',
    message: '{detail}',
    params: ['detail'],
    hint: 'Set rayClusterSpec.rayVersion to 2.6.0 or later, or remove spec.metadata.',
    check: (v) => {
      if (!nonEmpty(v.spec.metadata) || !v.cluster || !['K8sJobMode', 'SidecarMode'].includes(v.submissionMode)) return undefined
      // A submitter container with its own command keeps it: KubeRay builds no `ray job submit` line, so checks no version.
      if (v.submissionMode === 'K8sJobMode' && nonEmpty(get(v.spec, ['submitterPodTemplate', 'spec', 'containers', 0, 'command']))) return undefined
      const rayVersion = str(v.cluster.rayVersion)
      const result = checkRayVersion(rayVersion, '2.6.0')
      if (result.ok) return undefined
      const detail =
        result.problem === 'too-old'
          ? `the Ray version must be at least 2.6.0 to use the metadata field (rayVersion is ${rayVersion}): the submitter cannot be built and the job never starts`
          : `failed to parse Ray version "${rayVersion ?? ''}": spec.metadata needs a rayVersion of 2.6.0 or later, so the submitter cannot be built`
      return { path: [...P.spec, 'metadata'], params: { detail } }
    }
  }),
  stuck({
    id: 'entrypoint-resources-not-json',
    since: '1.1.0',
    severity: 'error',
    title: 'entrypointResources is not a JSON object',
    message: 'spec.entrypointResources must be a JSON object of resource name to number ({problem}); the submission fails',
    params: ['problem'],
    hint: 'Write it as a JSON string, e.g. entrypointResources: \'{"custom_resource": 1}\'.',
    check: (v) => {
      const text = str(v.spec.entrypointResources)
      if (!text) return undefined
      const problem = entrypointResourcesProblem(text)
      return problem ? { path: [...P.spec, 'entrypointResources'], part: 'value', params: { problem } } : undefined
    }
  }),
  stuck({
    id: 'upgrade-strategy-in-rayjob',
    since: '1.6.0',
    severity: 'error',
    title: 'upgradeStrategy in a RayJob cluster',
    message: 'upgradeStrategy cannot be set when RayCluster is created by RayJob: the RayCluster controller refuses the cluster and the RayJob stays Initializing',
    hint: 'Remove rayClusterSpec.upgradeStrategy.',
    check: (v) => (isSet(get(v.cluster, ['upgradeStrategy', 'type'])) ? { path: [...P.cluster, 'upgradeStrategy'] } : undefined)
  }),
  stuck({
    id: 'worker-group-name-duplicate',
    since: '1.1.0',
    severity: 'error',
    title: 'duplicate worker group name',
    message: 'worker group names must be unique: "{g}" is used more than once (the RayCluster webhook refuses it; without webhooks the groups collide)',
    params: ['g'],
    hint: 'Give every workerGroupSpecs entry its own groupName.',
    check: (v) => {
      const seen = new Set<string>()
      const out: Violation[] = []
      for (const g of v.workerGroups) {
        if (seen.has(g.name)) out.push({ path: [...g.path, 'groupName'], part: 'value', params: { g: g.name } })
        seen.add(g.name)
      }
      return out
    }
  }),
  stuck({
    id: 'entrypoint-empty',
    since: '1.1.0',
    severity: 'warning',
    title: 'no entrypoint',
    message: 'spec.entrypoint is empty in {mode}: there is nothing for the submitter to run',
    params: ['mode'],
    hint: 'Set spec.entrypoint to the command to run, e.g. python /home/ray/samples/sample_code.py.',
    check: (v) =>
      ['K8sJobMode', 'HTTPMode', 'SidecarMode'].includes(v.submissionMode) &&
      !str(v.spec.entrypoint)?.trim() &&
      // A custom submitter container with its own command runs that command instead.
      !(v.submissionMode === 'K8sJobMode' && nonEmpty(get(v.spec, ['submitterPodTemplate', 'spec', 'containers', 0, 'command'])))
        ? { path: isSet(v.spec.entrypoint) ? [...P.spec, 'entrypoint'] : P.spec, params: { mode: v.submissionMode } }
        : undefined
  }),
  stuck({
    id: 'interactive-without-pre-running-deadline',
    since: '1.6.0',
    severity: 'note',
    title: 'InteractiveMode without preRunningDeadlineSeconds',
    message:
      'InteractiveMode waits in Waiting until a job is submitted, and neither activeDeadlineSeconds nor suspend applies there: a job that is never submitted waits forever',
    hint: 'Set spec.preRunningDeadlineSeconds so a never-submitted job fails with PreRunningDeadlineExceeded.',
    check: (v) => (v.submissionMode === 'InteractiveMode' && !isSet(v.spec.preRunningDeadlineSeconds) ? { path: [...P.spec, 'submissionMode'], part: 'value' } : undefined)
  }),
  stuck({
    id: 'name-derived-too-long',
    since: '1.1.0',
    until: '1.4.0',
    severity: 'warning',
    title: 'RayJob name longer than 47 characters',
    message: 'the RayJob name is {n} characters: names of the RayCluster and Services KubeRay derives from it may exceed Kubernetes limits (KubeRay 1.4.0 and later reject it)',
    params: ['n'],
    hint: 'Keep metadata.name to 47 characters or fewer.',
    check: ({ job }) => {
      const name = str(get(job, ['metadata', 'name'])) ?? ''
      return name.length > 47 ? { path: ['metadata', 'name'], part: 'value', params: { n: name.length } } : undefined
    }
  }),
  stuck({
    id: 'deletion-strategy-deprecated-fields',
    since: '1.5.0',
    severity: 'warning',
    title: 'deprecated onSuccess/onFailure',
    message: 'deletionStrategy.onSuccess and onFailure are deprecated',
    hint: 'Use spec.deletionStrategy.deletionRules instead.',
    check: (v) => {
      const strategy = obj(v.spec.deletionStrategy)
      const field = ['onSuccess', 'onFailure'].find((f) => isSet(strategy?.[f]))
      return field ? { path: ['spec', 'deletionStrategy', field] } : undefined
    }
  }),
  stuck({
    id: 'managed-by-kueue',
    since: '1.3.0',
    severity: 'note',
    title: 'managed by MultiKueue',
    message: 'spec.managedBy is kueue.x-k8s.io/multikueue: the KubeRay operator in this cluster ignores the RayJob',
    hint: 'Expected only when MultiKueue dispatches the job to a worker cluster; remove managedBy otherwise.',
    check: (v) => (v.spec.managedBy === 'kueue.x-k8s.io/multikueue' ? { path: [...P.spec, 'managedBy'], part: 'value' } : undefined)
  }),
  stuck({
    id: 'cluster-spec-ignored',
    since: '1.1.0',
    severity: 'warning',
    title: 'rayClusterSpec ignored with clusterSelector',
    message: 'spec.clusterSelector is set, so the job runs on the existing cluster and spec.rayClusterSpec is ignored',
    hint: 'Remove one of the two: rayClusterSpec to create a cluster, clusterSelector to use an existing one.',
    check: (v) => (v.selectorMode && v.cluster ? { path: [...P.cluster] } : undefined)
  }),
  stuck({
    id: 'head-service-type-invalid',
    since: '1.1.0',
    severity: 'error',
    title: 'invalid head serviceType',
    message: 'headGroupSpec.serviceType "{type}" is not a Kubernetes Service type: the head Service cannot be created and the RayJob stays Initializing',
    params: ['type'],
    hint: 'Use ClusterIP, NodePort or LoadBalancer.',
    check: (v) => {
      const type = str(v.head?.serviceType)
      return type && !SERVICE_TYPES.includes(type) ? { path: [...P.head, 'serviceType'], part: 'value', params: { type } } : undefined
    }
  }),
  stuck({
    id: 'worker-replicas-clamped',
    since: '1.1.0',
    severity: 'note',
    title: 'replicas outside [minReplicas, maxReplicas]',
    message: 'worker group {g} asks for {n} replicas, outside [{min}, {max}]: the operator clamps it to {clamped}',
    params: ['g', 'n', 'min', 'max', 'clamped'],
    hint: 'Set replicas between minReplicas and maxReplicas.',
    check: (v) =>
      v.workerGroups.flatMap((g) => {
        const n = g.group.replicas
        const min = g.group.minReplicas
        const max = g.group.maxReplicas
        // The CRD defaults replicas to 0: only a count the user wrote is worth a note.
        const written = isSet(get(v.written, [...g.path, 'replicas']))
        if (!written || typeof n !== 'number' || typeof min !== 'number' || typeof max !== 'number' || min > max) return []
        if (n >= min && n <= max) return []
        return [{ path: [...g.path, 'replicas'], part: 'value' as const, params: { g: g.name, n, min, max, clamped: n < min ? min : max } }]
      })
  }),
  stuck({
    id: 'suspend-not-for-rayjob',
    since: '1.3.0',
    severity: 'warning',
    title: 'cluster or worker group suspend in a RayJob',
    message: '{field} is not meant to be set in a RayJob: KubeRay manages it (use spec.suspend to suspend the job)',
    params: ['field'],
    hint: 'Remove it; suspend the whole RayJob with spec.suspend instead.',
    check: (v) => {
      const out: Violation[] = []
      if (isSet(v.cluster?.suspend)) out.push({ path: [...P.cluster, 'suspend'], params: { field: 'rayClusterSpec.suspend' } })
      return out
    }
  })
]

/** Why a string is not a JSON object of name → number, or undefined when it is. */
export function entrypointResourcesProblem(text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`
  }
  if (!isObj(value)) return `a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an object`
  const bad = Object.entries(value).find(([, n]) => typeof n !== 'number')
  return bad ? `"${bad[0]}" is not a number` : undefined
}
