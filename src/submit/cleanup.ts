// What happens to a job the step stops waiting for (on-timeout, on-cancel): stop the Ray job, delete
// the RayJob, or keep it. Also the post step, which applies on-cancel when a cancelled workflow
// ended the main step before it could.
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
    if (action === 'stop') {
      stopped = await stopRayJob(job)
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
          : `Ray had no job ${job.submissionId} to stop yet, so RayJob ${id} was deleted instead: otherwise KubeRay would still start it later.`
    )
  } catch (error) {
    runner.warning(`Could not ${action} RayJob ${id}: ${(error as Error).message}. Check it by hand: kubectl -n ${job.namespace} get rayjob ${job.name}`)
  }
}

type StopResult = 'stopped' | 'already-over' | 'not-submitted' | 'still-pending'

/** How long a job that was PENDING gets to show the stop took before the RayJob is deleted instead. */
const PENDING_STOP_CHECK_MS = 3000

async function stopRayJob(job: JobHandle): Promise<StopResult> {
  if (!job.dashboard) return 'not-submitted'
  const details = await job.dashboard.getJob(job.submissionId)
  if (!details) return 'not-submitted'
  if (isRayTerminal(details.status ?? '')) return 'already-over'
  await job.dashboard.stopJob(job.submissionId)
  if (details.status !== 'PENDING') return 'stopped'
  // Ray answers "stopped" for a PENDING job but leaves it PENDING (ray#58353): check before saying so.
  await new Promise((resolve) => setTimeout(resolve, PENDING_STOP_CHECK_MS))
  const after = await job.dashboard.getJob(job.submissionId)
  return after?.status === 'PENDING' ? 'still-pending' : 'stopped'
}
