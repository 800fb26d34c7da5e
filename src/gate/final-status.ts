// Which of the two views of Ray's job status the step reports when it ends. Pure.
import { isRayTerminal } from './status.js'

/**
 * Ray's own final word when the Dashboard gave one; otherwise KubeRay's copy in status.jobStatus.
 * With shutdownAfterJobFinishes the cluster is often gone by the time the step asks Ray (404, 503),
 * and what the Dashboard said last (PENDING, at confirmation) is older than KubeRay's copy, which
 * KubeRay wrote when it saw the job end.
 */
export function finalJobStatus(rayStatus: string | undefined, kubeRayStatus: string): string {
  if (isRayTerminal(rayStatus)) return rayStatus!
  if (isRayTerminal(kubeRayStatus)) return kubeRayStatus
  // Neither is final (the step gave up): the one further along is the newer.
  return (PROGRESS[kubeRayStatus] ?? 0) > (PROGRESS[rayStatus ?? ''] ?? 0) ? kubeRayStatus : rayStatus || kubeRayStatus
}

const PROGRESS: Record<string, number> = { PENDING: 1, RUNNING: 2 }
