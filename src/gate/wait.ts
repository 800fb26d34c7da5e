// Job 3: wait, within a deadline, until the job is over, streaming its driver log meanwhile.
// News comes from the RayJob watch (KubeRay's view, see follow.ts), Ray's own job status read every
// minute, and the end of Ray's log stream (which closes when the job is over). Kept under six
// requests a minute to both servers together however long the wait.
import type { DashboardClient, JobDetails } from '../dashboard/client.js'
import type { Clock, RayJobFollower } from './follow.js'
import { followLogs, readWholeLog } from './logs.js'
import type { DriverLog } from './logs.js'
import { isRayTerminal, judge, KUBERAY_CATCH_UP_MS } from './status.js'
import type { Verdict } from './status.js'

export interface GateOptions {
  follower: RayJobFollower
  dashboard: DashboardClient
  submissionId: string
  /** "namespace/name", for messages. */
  name: string
  backoffLimit: number
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
}

/**
 * How the wait ended. `new-attempt`: KubeRay is retrying the job on a new RayCluster (backoffLimit),
 * so the Dashboard this wait read is gone; the caller connects to the new one and waits again.
 */
export type GateResult = { kind: 'verdict'; verdict: Verdict; ray?: JobDetails } | { kind: 'timeout' | 'cancelled' | 'new-attempt'; ray?: JobDetails }

const RAY_POLL_EVERY_MS = 60_000

export async function waitForOutcome(o: GateOptions): Promise<GateResult> {
  let ray = o.ray
  let rayTimer: unknown
  let stopped = false

  const readRay = async (): Promise<void> => {
    try {
      const next = await o.dashboard.getJob(o.submissionId)
      if (next && next.status !== ray?.status) o.onRayChange(ray?.status ?? '', next.status ?? '')
      if (next) ray = next
    } catch (error) {
      o.onProblem(`reading Ray's job status failed: ${(error as Error).message}`)
    }
    o.follower.wake()
  }
  const pollRay = (): void => {
    if (stopped) return
    rayTimer = o.clock.setTimeout(() => void readRay().then(pollRay), o.rayPollEveryMs ?? RAY_POLL_EVERY_MS)
  }

  const stopLogs = new AbortController()
  let logStreamEnded = false
  const logsDone = o.log
    ? followLogs(o.dashboard, o.submissionId, o.log, o.clock, stopLogs.signal, o.onProblem).then(async () => {
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
    return judge({ rayJob, ray, backoffLimit: o.backoffLimit, name: o.name, rayOverForMs })
  }
  const attempt = o.follower.snapshot.failedAttempts
  const newAttempt = () => o.follower.snapshot.deploymentStatus === 'Retrying' || o.follower.snapshot.failedAttempts > attempt
  const result = await o.follower.until(() => verdictNow() !== undefined || newAttempt(), o.deadline, o.signal)

  stopped = true
  o.clock.clearTimeout(rayTimer)
  o.clock.clearTimeout(catchUpTimer)
  stopLogs.abort()
  await logsDone
  if (o.log && !logStreamEnded) {
    // The stream was cut short for a prompt ending: one read catches the lines it had not sent yet.
    await readWholeLog(o.dashboard, o.submissionId, o.log, o.onProblem)
  }
  o.log?.finish()
  const verdict = result === 'matched' ? verdictNow() : undefined
  if (verdict) return { kind: 'verdict', verdict, ray }
  if (result === 'matched') return { kind: 'new-attempt', ray }
  if (result === 'deadline') await readRay()
  return { kind: result === 'aborted' ? 'cancelled' : 'timeout', ray }
}
