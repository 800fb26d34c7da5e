// What the Pods of a RayJob's cluster (and its submitter) say about why the job does not start:
// faults that will not heal by waiting (an image that does not exist, a Secret that is not there, a
// head that crash-loops, a quota that forbids the Pods) and faults that may (a Pod the scheduler
// cannot place yet, which an autoscaler may fix). Read from the objects as the API server returns
// them, with Kubernetes' own reasons and messages. Pure.
import { isObj } from '../manifest/model.js'

export interface PodFault {
  /** `fatal`: waiting cannot help, the step ends now (with fail-fast). `waiting`: said in the log; it may still heal. */
  severity: 'fatal' | 'waiting'
  /** "Pod ns/name" or "RayCluster ns/name". */
  object: string
  /** "head", "worker group gpu", "submitter". */
  role?: string
  container?: string
  /** Kubernetes' reason: ErrImagePull, Unschedulable, FailedCreateHeadPod, ... */
  reason: string
  /** Kubernetes' own message. */
  message: string
  /** What usually fixes it. */
  advice: string
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '')

/** A pull error that says the image is not there or not ours to pull (not a network hiccup or a rate limit). */
const PULL_WILL_NOT_HEAL = /not found|manifest unknown|name unknown|repository does not exist|unauthorized|authorization failed|authentication required|access denied|pull access denied|denied|\b40[13]\b|forbidden/i

const PULL_ADVICE = 'check the image name and tag, and that the image pull secret (imagePullSecrets) grants access to the registry'

/** The role of a Pod in a RayJob: head, a worker group, or the submitter (K8sJobMode). */
function roleOf(labels: Record<string, string>): string | undefined {
  if (labels['ray.io/node-type'] === 'head') return 'head'
  if (labels['ray.io/node-type'] === 'worker') return `worker group ${labels['ray.io/group'] ?? ''}`.trim()
  if (labels['batch.kubernetes.io/job-name'] || labels['job-name']) return 'submitter'
  return undefined
}

/** The faults one Pod shows: its containers' waiting states, and a scheduler that cannot place it. */
export function podFaults(pod: unknown): PodFault[] {
  if (!isObj(pod)) return []
  const metadata = isObj(pod.metadata) ? pod.metadata : {}
  const status = isObj(pod.status) ? pod.status : {}
  const labels = (isObj(metadata.labels) ? metadata.labels : {}) as Record<string, string>
  const object = `Pod ${text(metadata.namespace)}/${text(metadata.name)}`
  const role = roleOf(labels)
  if (text(status.phase) === 'Succeeded' || text(status.phase) === 'Failed' || metadata.deletionTimestamp) return []
  const faults: PodFault[] = []
  const statuses = [...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []), ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : [])]
  for (const container of statuses) {
    if (!isObj(container) || !isObj(container.state) || !isObj(container.state.waiting)) continue
    const fault = waitingFault(text(container.state.waiting.reason), text(container.state.waiting.message), role)
    if (fault) faults.push({ ...fault, object, role, container: text(container.name) })
  }
  for (const condition of Array.isArray(status.conditions) ? status.conditions : []) {
    if (isObj(condition) && condition.type === 'PodScheduled' && condition.status === 'False' && condition.reason === 'Unschedulable') {
      faults.push({
        severity: 'waiting',
        object,
        role,
        reason: 'Unschedulable',
        message: text(condition.message),
        advice: "the Pod's requests (cpu, memory, GPUs) exceed what any node has free, or its node selector, affinity or tolerations match no node; an autoscaler may still add one"
      })
    }
  }
  return faults
}

/** A container waiting for a reason that will not pass (or, for a pull, may), or undefined for the normal ones (ContainerCreating, PodInitializing). */
function waitingFault(reason: string, message: string, role: string | undefined): Omit<PodFault, 'object'> | undefined {
  switch (reason) {
    case 'ErrImagePull':
    case 'ImagePullBackOff':
      return { severity: PULL_WILL_NOT_HEAL.test(message) ? 'fatal' : 'waiting', reason, message, advice: PULL_ADVICE }
    case 'InvalidImageName':
      return { severity: 'fatal', reason, message, advice: 'the image reference is not valid (repository names are lower case; a tag follows a colon): fix the image' }
    case 'CreateContainerConfigError':
      return { severity: 'fatal', reason, message, advice: 'create the Secret or ConfigMap the container refers to (env, envFrom, volumes), or fix its name or key' }
    case 'CreateContainerError':
    case 'RunContainerError':
      return { severity: 'fatal', reason, message, advice: "the container runtime could not start the container: check its command, volumes and securityContext" }
    case 'CrashLoopBackOff':
      // A head that keeps crashing takes the job with it; KubeRay replaces crashing workers and retries submitters itself.
      return {
        severity: role === 'head' ? 'fatal' : 'waiting',
        reason,
        message,
        advice: "the container keeps exiting: read its previous log (kubectl logs --previous); common causes are a Ray version that does not match rayVersion, too little memory (OOMKilled) and a bad command"
      }
  }
  return undefined
}

/** The faults a RayCluster's status shows: KubeRay could not create its Pods (a quota, an admission webhook, a policy). */
export function clusterFaults(rayCluster: unknown): PodFault[] {
  if (!isObj(rayCluster)) return []
  const metadata = isObj(rayCluster.metadata) ? rayCluster.metadata : {}
  const status = isObj(rayCluster.status) ? rayCluster.status : {}
  const object = `RayCluster ${text(metadata.namespace)}/${text(metadata.name)}`
  const faults: PodFault[] = []
  for (const condition of Array.isArray(status.conditions) ? status.conditions : []) {
    if (!isObj(condition) || condition.type !== 'ReplicaFailure' || condition.status !== 'True') continue
    faults.push(createFault(object, text(condition.reason), text(condition.message)))
  }
  return faults
}

/** A Warning event KubeRay (or the Job controller) writes when a create is refused, e.g. FailedToCreateHeadPod. */
export function eventFault(event: unknown): PodFault | undefined {
  if (!isObj(event) || event.type !== 'Warning') return undefined
  const reason = text(event.reason)
  if (!/^(FailedToCreate(Head|Worker)Pod|FailedCreate(Head|Worker)?Pod|FailedCreate|FailedToCreateRayJobSubmitter)$/.test(reason)) return undefined
  const involved = isObj(event.involvedObject) ? event.involvedObject : {}
  return createFault(`${text(involved.kind)} ${text(involved.namespace)}/${text(involved.name)}`, reason, text(event.message))
}

function createFault(object: string, reason: string, rawMessage: string): PodFault {
  // KubeRay's condition message repeats the reason on its first line.
  const message = rawMessage.startsWith(`${reason}\n`) ? rawMessage.slice(reason.length + 1) : rawMessage
  // A namespace being deleted refuses new Pods too, but then the RayJob goes with it: that is the news, not the refusal.
  const refused = /forbidden|exceeded quota|admission webhook|denied the request|is invalid/i.test(message) && !/being terminated/.test(message)
  return {
    severity: refused ? 'fatal' : 'waiting',
    object,
    reason,
    message,
    advice: /quota/i.test(message)
      ? "the namespace's ResourceQuota does not leave room for the Pods: raise the quota, lower the Pods' requests, or free room in the namespace"
      : 'the API server refused to create the Pods (an admission webhook or policy): the message says which one and why'
  }
}

/** One line: what is wrong, where, Kubernetes' words, and what to do. */
export function describeFault(fault: PodFault): string {
  const where = [fault.object, fault.role ? `(${fault.role})` : '', fault.container ? `container ${fault.container}` : ''].filter(Boolean).join(' ')
  const message = fault.message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')
  return `${where}: ${fault.reason}${message ? `: ${message}` : ''}. ${capitalize(fault.advice)}.`
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** A key that stays the same while the fault does, so each is said once. */
export const faultKey = (fault: PodFault): string => `${fault.object}|${fault.container ?? ''}|${fault.reason}|${fault.severity}`
