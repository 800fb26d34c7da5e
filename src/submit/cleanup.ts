// What happens to a job the step stops waiting for (on-timeout, on-cancel): stop the Ray job, delete
// the RayJob, or keep it. Also the post step, which applies on-cancel when a cancelled workflow
// ended the main step before it could.
import { sleep, systemClock } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import type { DashboardClient } from '../dashboard/client.js'
import { isRayTerminal } from '../gate/status.js'
import type { KubeClient } from '../kube/client.js'
import type { Runner } from '../runner/types.js'
import type { StopAction } from '../settings.js'

export interface JobHandle {
  kube: KubeClient
  namespace: string
  name: string
  submissionId: string
  /** Undefined while the cluster had no Dashboard yet. */
  dashboard?: DashboardClient
  clock?: Clock
}

/** Applies a stop action and says what it did; never throws (the step is already failing for its own reason). */
export async function applyStopAction(action: StopAction, job: JobHandle, why: string, runner: Runner): Promise<void> {
  const id = `${job.namespace}/${job.name}`
  try {
    if (action === 'keep') {
      runner.warning(`${why}: RayJob ${id} keeps running (${why === 'cancelled' ? 'on-cancel' : 'on-timeout'}: keep). Stop it with: kubectl -n ${job.namespace} delete rayjob ${job.name}`)
      return
    }
    let stopped: StopResult | undefined
    let unreachable = ''
    if (action === 'stop') {
      try {
        stopped = await withinBudget(stopRayJob(job), why === 'cancelled' ? CANCEL_STOP_BUDGET_MS : STOP_BUDGET_MS, job.clock ?? systemClock)
      } catch (error) {
        // A Dashboard that cannot be reached (a head that is gone, a network in the way) cannot stop
        // the job; deleting the RayJob still can: KubeRay stops the Ray job and removes the cluster.
        stopped = 'unreachable'
        unreachable = (error as Error).message
      }
      if (stopped === 'stopped') {
        runner.info(`Stopped Ray job ${job.submissionId} of RayJob ${id} through the Dashboard; KubeRay marks the RayJob Complete with job status STOPPED.`)
        return
      }
      if (stopped === 'already-over') {
        runner.info(`Ray job ${job.submissionId} of RayJob ${id} had already ended: nothing to stop.`)
        return
      }
    }
    await job.kube.deleteRayJob(job.namespace, job.name)
    runner.info(
      action === 'delete'
        ? `Deleted RayJob ${id} (KubeRay stops its Ray job and removes its cluster).`
        : stopped === 'still-pending'
          ? `Ray accepted the stop of job ${job.submissionId}, but it stayed PENDING (Ray does not stop a job that is still waiting for resources, ray#58353), so RayJob ${id} was deleted instead.`
          : stopped === 'unreachable'
            ? `Could not stop Ray job ${job.submissionId} through the Dashboard (${unreachable}), so RayJob ${id} was deleted instead (KubeRay stops its Ray job and removes its cluster).`
            : `Ray had no job ${job.submissionId} to stop yet, so RayJob ${id} was deleted instead: otherwise KubeRay would still start it later.`
    )
  } catch (error) {
    runner.warning(`Could not ${action} RayJob ${id}: ${(error as Error).message}. Check it by hand: kubectl -n ${job.namespace} get rayjob ${job.name}`)
  }
}

type StopResult = 'stopped' | 'already-over' | 'not-submitted' | 'still-pending' | 'unreachable'

/** How long a job that was PENDING gets to show the stop took before the RayJob is deleted instead. */
const PENDING_STOP_CHECK_MS = 3000
/**
 * How long stopping through the Dashboard may take before the RayJob is deleted instead. A
 * cancelled workflow's runner sends SIGTERM 7.5 s after SIGINT and kills the step 2.5 s later, so
 * on cancel the stop gets little time and the delete keeps the rest.
 */
const STOP_BUDGET_MS = 25_000
const CANCEL_STOP_BUDGET_MS = 4000

function withinBudget<T>(work: Promise<T>, ms: number, clock: Clock): Promise<T> {
  let timer: unknown
  const limit = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([work, limit]).finally(() => clock.clearTimeout(timer))
}

async function stopRayJob(job: JobHandle): Promise<StopResult> {
  if (!job.dashboard) return 'not-submitted'
  const details = await job.dashboard.getJob(job.submissionId)
  if (!details) return 'not-submitted'
  if (isRayTerminal(details.status ?? '')) return 'already-over'
  await job.dashboard.stopJob(job.submissionId)
  if (details.status !== 'PENDING') return 'stopped'
  // Ray answers "stopped" for a PENDING job but leaves it PENDING (ray#58353): check before saying so.
  await sleep(job.clock ?? systemClock, PENDING_STOP_CHECK_MS)
  const after = await job.dashboard.getJob(job.submissionId)
  return after?.status === 'PENDING' ? 'still-pending' : 'stopped'
}
