// What a RayJob's status (KubeRay's view) and the Ray job's status (Ray's view, from the Dashboard)
// mean for the gate: terminal or not, passed or not, and how to say it. Pure.
// shared/reference/kuberay-rayjob.md §8.2 and §9; ray-job-api.md §2.
import type { JobDetails } from '../dashboard/client.js'
import { formatDuration } from './duration.js'
import type { Obj } from '../manifest/model.js'

/** The parts of a RayJob's status the gate reads. */
export interface RayJobSnapshot {
  /** KubeRay's lifecycle: "", Initializing, Waiting, Running, Complete, Failed, ValidationFailed, Retrying, Suspending, Suspended. */
  deploymentStatus: string
  /** Ray's job status as KubeRay last read it: "", PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED. */
  jobStatus: string
  reason: string
  message: string
  rayClusterName: string
  /** host:port of the head Service's dashboard port, no scheme. */
  dashboardURL: string
  jobId: string
  failedAttempts: number
  resourceVersion: string
  /** metadata.uid: another UID under the same name is another RayJob. */
  uid?: string
  /** False once the RayJob is gone (deleted, or removed by a DeleteSelf rule). */
  exists: boolean
}

/** The parts of the Dashboard's job details the gate reads (the Dashboard client's JobDetails). */
export type RayJobDetails = Pick<JobDetails, 'submission_id' | 'type' | 'status' | 'message' | 'error_type' | 'start_time' | 'end_time' | 'driver_exit_code'>

const RAY_TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED'])
const DEPLOYMENT_TERMINAL = new Set(['Complete', 'Failed', 'ValidationFailed'])

export const isRayTerminal = (status: string | undefined): boolean => RAY_TERMINAL.has(status ?? '')

const text = (v: unknown): string => (typeof v === 'string' ? v : '')

/** Reads a RayJob object (as the API server returns it) into a snapshot. */
export function snapshotOf(rayJob: unknown): RayJobSnapshot {
  const object = (rayJob ?? {}) as Obj
  const status = (object.status ?? {}) as Obj
  const metadata = (object.metadata ?? {}) as Obj
  return {
    deploymentStatus: text(status.jobDeploymentStatus),
    jobStatus: text(status.jobStatus),
    reason: text(status.reason),
    message: text(status.message),
    rayClusterName: text(status.rayClusterName),
    dashboardURL: text(status.dashboardURL),
    jobId: text(status.jobId),
    failedAttempts: typeof status.failed === 'number' ? status.failed : 0,
    resourceVersion: text(metadata.resourceVersion),
    uid: text(metadata.uid),
    exists: rayJob !== undefined
  }
}

export const GONE: RayJobSnapshot = snapshotOf(undefined)

export interface Verdict {
  passed: boolean
  /** One line for the log and the step's error. */
  summary: string
  /**
   * The step gives up on a job that may still be running (its Ray head cannot be reached): like a
   * timeout, the on-timeout action applies to it.
   */
  unfinished?: boolean
}

export interface JudgeInput {
  rayJob: RayJobSnapshot
  /** The Dashboard's view of our submission on the current attempt's cluster, when read. */
  ray?: RayJobDetails
  /** spec.backoffLimit: with retries left a failed Ray job is not the end (KubeRay retries on a new cluster). */
  backoffLimit: number
  name: string
  /** For how long Ray has said the job is over while KubeRay has not (ms); undefined while Ray has not. */
  rayOverForMs?: number
  /** The RayJob's UID when the step first saw it: a RayJob of the same name with another UID was deleted and created again by someone else. */
  uid?: string
}

/**
 * How long Ray's word that the job is over waits for KubeRay's. KubeRay reads Ray every 3 s, and in
 * K8sJobMode and SidecarMode also waits for the submitter to exit, so it normally follows within
 * seconds; only an operator that stopped working takes longer, and then Ray's word decides.
 */
export const KUBERAY_CATCH_UP_MS = 30_000

/**
 * The verdict once the job is over, or undefined while it is not. KubeRay's terminal states
 * (Complete, Failed, and ValidationFailed, which KubeRay itself never leaves) end the wait, so that
 * the outputs carry KubeRay's final status, reason and message. Ray's own end decides only if
 * KubeRay has not followed it within KUBERAY_CATCH_UP_MS, counting the retries KubeRay would make.
 */
export function judge({ rayJob, ray, backoffLimit, name, rayOverForMs, uid }: JudgeInput): Verdict | undefined {
  if (uid && rayJob.exists && rayJob.uid && rayJob.uid !== uid) {
    return { passed: false, summary: `RayJob ${name} was deleted and created again by someone else while the step followed it (UID ${uid}, now ${rayJob.uid}): the new RayJob is not the one this step gates on` }
  }
  const rayStatus = rayStatusOf(rayJob, ray)
  const rayMessage = ray?.message || rayJob.message
  switch (rayJob.deploymentStatus) {
    case 'ValidationFailed':
      return {
        passed: false,
        summary: `KubeRay rejected RayJob ${name} (ValidationFailed): ${rayJob.message || 'no message'}. Fix the manifest, then delete the RayJob and create it again: KubeRay never re-validates it.`
      }
    case 'Complete':
      return rayStatus === 'SUCCEEDED' ? passed(name) : failedRay(name, rayStatus || 'unknown', rayMessage)
    case 'Failed':
      // KubeRay's message for AppFailed carries Ray's log excerpt after the first line: the step prints the log itself.
      return { passed: false, summary: `RayJob ${name} failed${rayJob.reason ? ` (${rayJob.reason})` : ''}${attempts(rayJob, backoffLimit)}: ${kubeRayMessage(rayJob.message || rayMessage || 'no message')}` }
    case 'Retrying':
      return undefined
  }
  if (!rayJob.exists) {
    if (rayStatus === 'SUCCEEDED') return passed(name)
    return { passed: false, summary: `RayJob ${name} was deleted before its Ray job finished (last seen: ${describeState(rayJob, ray)})` }
  }
  if (!isRayTerminal(rayStatus) || rayOverForMs === undefined || rayOverForMs < KUBERAY_CATCH_UP_MS) return undefined
  const lagging = ` (KubeRay still shows ${rayJob.deploymentStatus || 'New'} ${Math.round(rayOverForMs / 1000)} s after Ray's end)`
  if (rayStatus === 'SUCCEEDED') return { passed: true, summary: `${passed(name).summary}${lagging}` }
  // Ray's failure of attempt failedAttempts+1, not yet counted by KubeRay: it retries while attempts ≤ backoffLimit.
  if (rayJob.failedAttempts < backoffLimit) return undefined
  const verdict = failedRay(name, rayStatus, rayMessage)
  return { passed: false, summary: verdict.summary.replace(/^(RayJob \S+: the Ray job [^:]+)/, `$1${lagging}`) }
}

/** ", after 3 attempts" when KubeRay retried the job. */
function attempts(rayJob: RayJobSnapshot, backoffLimit: number): string {
  return backoffLimit > 0 && rayJob.failedAttempts > 1 ? `, after ${rayJob.failedAttempts} attempts` : ''
}

const RAY_PROGRESS: Record<string, number> = { PENDING: 1, RUNNING: 2 }

/**
 * Ray's status: the Dashboard's when read, as it is usually newer than KubeRay's copy (refreshed
 * every few seconds); but a Dashboard read that is older than KubeRay's copy (PENDING when KubeRay
 * has since seen RUNNING, e.g. while the Dashboard cannot be reached) does not take it back.
 */
export function currentRayStatus(rayJob: RayJobSnapshot, ray: RayJobDetails | undefined): string {
  if (!ray?.status) return rayJob.jobStatus
  if (isRayTerminal(ray.status)) return ray.status
  if (isRayTerminal(rayJob.jobStatus)) return rayJob.jobStatus
  return (RAY_PROGRESS[rayJob.jobStatus] ?? 0) > (RAY_PROGRESS[ray.status] ?? 0) ? rayJob.jobStatus : ray.status
}
const rayStatusOf = currentRayStatus

const passed = (name: string): Verdict => ({ passed: true, summary: `RayJob ${name}: the Ray job SUCCEEDED` })

function failedRay(name: string, status: string, message: string | undefined): Verdict {
  const why = status === 'STOPPED' ? 'was stopped' : status === 'FAILED' ? 'FAILED' : `ended as ${status}`
  return { passed: false, summary: `RayJob ${name}: the Ray job ${why}${message ? `: ${kubeRayMessage(message)}` : ''}` }
}

const firstLine = (text: string): string => text.split('\n')[0].trim()

/**
 * KubeRay's message in one line: its AppFailed message goes on with an excerpt of the driver log
 * ("..., last available logs (truncated to 20,000 chars):" and the lines), which the step shows
 * as the log itself, kept apart from the action's own lines.
 */
export function kubeRayMessage(message: string): string {
  return firstLine(message).replace(/,? last available logs[^:]*:$/, '')
}

/** "Running (Ray: RUNNING)", for state-change lines. */
export function describeState(rayJob: RayJobSnapshot, ray?: RayJobDetails): string {
  if (!rayJob.exists) return 'deleted'
  const deployment = rayJob.deploymentStatus || 'New'
  const rayStatus = rayStatusOf(rayJob, ray)
  return rayStatus ? `${deployment} (Ray: ${rayStatus})` : deployment
}

export const isDeploymentTerminal = (s: RayJobSnapshot): boolean => DEPLOYMENT_TERMINAL.has(s.deploymentStatus)

/**
 * Where a job that never finished was stuck, and what usually keeps it there. `outage`: the
 * Dashboard stopped answering while the step waited, which then is the likelier story than resources.
 */
export function stuckExplanation(rayJob: RayJobSnapshot, ray: RayJobDetails | undefined, stuckForSeconds: number, outage?: DashboardOutage, now?: number): string {
  const state = describeState(rayJob, ray)
  const since = `for ${formatDuration(stuckForSeconds)}`
  const hint = outage
    ? `${describeOutage(outage, now ?? outage.lastFailureAt)}: the Ray head may be gone or unreachable from the runner`
    : (STUCK_HINTS[rayJob.deploymentStatus] ?? (rayStatusOf(rayJob, ray) === 'PENDING' ? STUCK_HINTS.PENDING : ''))
  return `was ${state} ${since}${hint ? `: ${hint}` : ''}`
}

/** The Dashboard of the job's cluster has not answered since `since` (connection refused or reset, the proxy's 502/503/504). */
export interface DashboardOutage {
  /** ms epoch of the first failed read of this outage. */
  since: number
  lastFailureAt: number
  /** Failed reads in a row. */
  failures: number
  lastError: string
  /** The Dashboard's base URL and how it was reached. */
  baseUrl: string
  via: string
}

/**
 * How long the Ray head's Dashboard may stay unreachable, over how many reads in a row, while KubeRay
 * still says the job runs, before the gate calls the head lost. Long enough for a network blip or a
 * proxy restart; short enough not to wait out a long timeout on a head that is gone.
 */
export const HEAD_LOST_AFTER_MS = 60_000
export const HEAD_LOST_AFTER_READS = 4

function describeOutage(outage: DashboardOutage, now: number): string {
  return `the Ray Dashboard (${outage.baseUrl}, ${outage.via}) has not answered for ${formatDuration(Math.round((now - outage.since) / 1000))} (${outage.failures} tries in a row; last: ${outage.lastError})`
}

export interface HeadLostInput {
  rayJob: RayJobSnapshot
  ray?: RayJobDetails
  name: string
  outage?: DashboardOutage
  now: number
  /** When the API server last answered about the RayJob (ms epoch): KubeRay's view is only evidence if it is fresh. */
  kubeRayHeardAt: number
}

/**
 * The verdict when the Ray head is gone: its Dashboard has not answered for HEAD_LOST_AFTER_MS
 * (HEAD_LOST_AFTER_READS reads in a row) while the API server, heard from during that time, still
 * has KubeRay say the job is not over. Undefined otherwise. Ray never said the job ended, so the
 * outcome is unknown: the step fails, naming the head, and gives the job up like a timeout.
 */
export function headLost({ rayJob, ray, name, outage, now, kubeRayHeardAt }: HeadLostInput): Verdict | undefined {
  if (!outage || !rayJob.exists || isDeploymentTerminal(rayJob) || rayJob.deploymentStatus === 'Retrying') return undefined
  if (isRayTerminal(rayStatusOf(rayJob, ray))) return undefined
  if (outage.failures < HEAD_LOST_AFTER_READS || now - outage.since < HEAD_LOST_AFTER_MS || kubeRayHeardAt < outage.since) return undefined
  const [namespace] = name.split('/')
  const cluster = rayJob.rayClusterName ? `ray.io/cluster=${rayJob.rayClusterName},` : ''
  return {
    passed: false,
    unfinished: true,
    summary:
      `RayJob ${name}: the Ray head is gone or cannot be reached: ${describeOutage(outage, now)}, while KubeRay still shows ${describeState(rayJob, ray)}. ` +
      `The job's outcome is unknown. Check the head Pod: kubectl -n ${namespace} get pods -l ${cluster}ray.io/node-type=head`
  }
}

const STUCK_HINTS: Record<string, string> = {
  '': 'KubeRay never picked the RayJob up: is the KubeRay operator running and watching this namespace?',
  Initializing:
    'the RayCluster never became ready. Check its Pods (kubectl get pods -l ray.io/cluster=<cluster>) and the RayJob\'s events (kubectl describe rayjob): image pulls, unschedulable Pods, a head without a "dashboard" port',
  Waiting: 'InteractiveMode waits for a job to be submitted with the RayJob\'s spec.jobId',
  Suspended: 'the RayJob is suspended (spec.suspend, e.g. queued by Kueue)',
  Suspending: 'the RayJob is being suspended',
  Retrying: 'KubeRay is retrying the job on a new RayCluster (spec.backoffLimit)',
  PENDING:
    'the Ray job is PENDING: it waits for resources (entrypointNumCpus/Gpus/Resources larger than the cluster) or for its runtime environment to be set up'
}
