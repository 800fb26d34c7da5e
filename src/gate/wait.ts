// Job 3: wait, within a deadline, until the job is over, streaming its driver log meanwhile.
// News comes from the RayJob watch (KubeRay's view, see follow.ts), Ray's own job status read every
// minute, and the end of Ray's log stream (which closes when the job is over). Kept under six
// requests a minute to both servers together however long the wait.
import { DashboardError } from '../dashboard/client.js'
import type { DashboardClient, JobDetails } from '../dashboard/client.js'
import type { Clock } from '../clients/clock.js'
import type { RayJobFollower } from './follow.js'
import { followLogs, readWholeLog } from './logs.js'
import type { DriverLog } from './logs.js'
import { HEAD_LOST_AFTER_MS, HEAD_LOST_AFTER_READS, headLost, isRayTerminal, judge, KUBERAY_CATCH_UP_MS } from './status.js'
import type { DashboardOutage, Verdict } from './status.js'

export interface GateOptions {
  follower: RayJobFollower
  dashboard: DashboardClient
  submissionId: string
  /** "namespace/name", for messages. */
  name: string
  backoffLimit: number
  /** The RayJob's UID when the step first saw it (see JudgeInput.uid). */
  uid?: string
  /** ms epoch */
  deadline: number
  signal: AbortSignal
  /** Where the driver log goes; undefined with `logs: false`. */
  log?: DriverLog
  clock: Clock
  /** Ray's view as last read (e.g. when the ID was confirmed). */
  ray?: JobDetails
  onRayChange: (previous: string, next: string) => void
  onProblem: (message: string) => void
  rayPollEveryMs?: number
  /** How often Ray is read while its Dashboard does not answer (default 20 s). */
  unreachablePollEveryMs?: number
  /** Something besides the verdict that ends the wait (a Pod fault, a phase timeout); it wakes the follower when it changes. */
  interrupted?: () => boolean
}

/**
 * How the wait ended. `new-attempt`: KubeRay is retrying the job on a new RayCluster (backoffLimit),
 * so the Dashboard this wait read is gone; the caller connects to the new one and waits again.
 */
/**
 * `outage`: the Dashboard was not answering when the wait ended (for the timeout message).
 */
export type GateResult =
  | { kind: 'verdict'; verdict: Verdict; ray?: JobDetails; outage?: DashboardOutage }
  | { kind: 'timeout' | 'cancelled' | 'new-attempt'; ray?: JobDetails; outage?: DashboardOutage }
  | { kind: 'refused'; reason: string; ray?: JobDetails }
  | { kind: 'interrupted'; ray?: JobDetails }

const RAY_POLL_EVERY_MS = 60_000
const UNREACHABLE_POLL_EVERY_MS = 20_000
/** A broken log stream brings a read of Ray's status, unless one was made this recently. */
const LOG_PROBLEM_READ_GAP_MS = 5000

/**
 * A failed read that says the Ray head cannot be reached: no connection to a Dashboard reached
 * directly, or the API server's proxy answering 502/503/504 (no endpoint, connection refused
 * behind it). Through the proxy, no answer at all means the API server is out of reach, which
 * says nothing about the head.
 */
export function headUnreachable(error: unknown, viaProxy: boolean): boolean {
  if (!(error instanceof DashboardError)) return false
  if (error.status === 502 || error.status === 503 || error.status === 504) return true
  return error.status === 0 && !viaProxy
}

/** "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265" out of the Dashboard client's message. */
function shortError(error: unknown): string {
  return ((error as Error).message ?? String(error))
    .replace(/^\S+ \S+ on the Ray Dashboard failed: /, '')
    .replace(/^could not reach \S+ \([^)]*\): /, '')
    .split('\n')[0]
    .slice(0, 200)
}

export async function waitForOutcome(o: GateOptions): Promise<GateResult> {
  let ray = o.ray
  let rayTimer: unknown
  let stopped = false
  const viaProxy = o.dashboard.via !== 'dashboard-url'
  /** While the Dashboard does not answer: since when, how often, and the last error. */
  let outage: DashboardOutage | undefined
  let reading = false
  let lastReadAt = o.clock.now()

  const readRay = async (): Promise<void> => {
    lastReadAt = o.clock.now()
    try {
      const next = await o.dashboard.getJob(o.submissionId)
      outage = undefined
      if (next && next.status !== ray?.status) o.onRayChange(ray?.status ?? '', next.status ?? '')
      if (next) ray = next
    } catch (error) {
      o.onProblem(`reading Ray's job status failed: ${(error as Error).message}`)
      if (headUnreachable(error, viaProxy)) {
        const now = o.clock.now()
        outage = outage
          ? { ...outage, failures: outage.failures + 1, lastFailureAt: now, lastError: shortError(error) }
          : { since: now, lastFailureAt: now, failures: 1, lastError: shortError(error), baseUrl: o.dashboard.baseUrl, via: o.dashboard.via }
        // Long enough to call the head lost, if KubeRay (read now, not from memory) still says the job runs.
        if (outage.failures >= HEAD_LOST_AFTER_READS && now - outage.since >= HEAD_LOST_AFTER_MS) await o.follower.refresh()
      } else {
        outage = undefined // it answered, if not with the job
      }
    }
    o.follower.wake()
  }
  const pollRay = (delay?: number): void => {
    if (stopped) return
    o.clock.clearTimeout(rayTimer)
    const every = outage ? (o.unreachablePollEveryMs ?? UNREACHABLE_POLL_EVERY_MS) : (o.rayPollEveryMs ?? RAY_POLL_EVERY_MS)
    rayTimer = o.clock.setTimeout(() => {
      reading = true
      void readRay().then(() => {
        reading = false
        pollRay()
      })
    }, delay ?? every)
  }
  /**
   * The log stream broke: ask Ray now rather than at the next poll whether the head still answers
   * (at most every LOG_PROBLEM_READ_GAP_MS; once it does not answer, the outage polling takes over).
   */
  const onLogProblem = (message: string): void => {
    o.onProblem(message)
    if (!stopped && !reading && !outage && o.clock.now() - lastReadAt >= LOG_PROBLEM_READ_GAP_MS) pollRay(0)
  }

  const stopLogs = new AbortController()
  let logStreamEnded = false
  const logsDone = o.log
    ? followLogs(o.dashboard, o.submissionId, o.log, o.clock, stopLogs.signal, onLogProblem).then(async () => {
        if (stopLogs.signal.aborted) return
        // Ray closes the stream once the job is over: ask for the final status right away.
        logStreamEnded = true
        await readRay()
      })
    : Promise.resolve()
  pollRay()

  // When Ray first said the job is over while KubeRay had not: KubeRay gets KUBERAY_CATCH_UP_MS to follow.
  let rayOverSince: number | undefined
  let catchUpTimer: unknown
  const verdictNow = () => {
    const rayJob = o.follower.snapshot
    if (rayOverSince === undefined && (isRayTerminal(ray?.status) || isRayTerminal(rayJob.jobStatus))) {
      rayOverSince = o.clock.now()
      catchUpTimer = o.clock.setTimeout(() => o.follower.wake(), KUBERAY_CATCH_UP_MS)
    }
    const rayOverForMs = rayOverSince === undefined ? undefined : o.clock.now() - rayOverSince
    return (
      judge({ rayJob, ray, backoffLimit: o.backoffLimit, name: o.name, rayOverForMs, uid: o.uid }) ??
      headLost({ rayJob, ray, name: o.name, outage, now: o.clock.now(), kubeRayHeardAt: o.follower.lastHeardAt })
    )
  }
  const attempt = o.follower.snapshot.failedAttempts
  const newAttempt = () => o.follower.snapshot.deploymentStatus === 'Retrying' || o.follower.snapshot.failedAttempts > attempt
  const result = await o.follower.until(() => verdictNow() !== undefined || newAttempt() || o.interrupted?.() === true, o.deadline, o.signal)

  stopped = true
  o.clock.clearTimeout(rayTimer)
  o.clock.clearTimeout(catchUpTimer)
  stopLogs.abort()
  await logsDone
  if (o.log && !logStreamEnded && result !== 'aborted') {
    // The stream was cut short for a prompt ending: one read catches the lines it had not sent yet
    // (not on cancel: the runner kills the step 10 s after its SIGINT, and stopping the job comes first).
    await readWholeLog(o.dashboard, o.submissionId, o.log, o.onProblem)
  }
  o.log?.finish()
  const verdict = result === 'matched' ? verdictNow() : undefined
  if (verdict) return { kind: 'verdict', verdict, ray, outage }
  if (result === 'matched' && newAttempt()) return { kind: 'new-attempt', ray }
  if (result === 'matched') return { kind: 'interrupted', ray }
  if (result === 'refused') return { kind: 'refused', reason: o.follower.refused ?? 'the API server refuses the requests', ray }
  if (result === 'deadline') await readRay()
  return { kind: result === 'aborted' ? 'cancelled' : 'timeout', ray, outage }
}
