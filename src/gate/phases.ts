// The phases of a RayJob's life the timeouts bound: queued (suspended, e.g. by Kueue, until there is
// quota), starting (from creation until Ray runs the job: cluster, Pods, images, the submission),
// and running. queue-timeout and startup-timeout each bound their phase; timeout bounds the whole
// wait. Pure: the clock's readings come in as numbers.
import { formatDuration } from './duration.js'
import type { RayJobSnapshot } from './status.js'

export type Phase = 'queue' | 'startup' | 'run'

const RAY_STARTED = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'])
const DEPLOYMENT_OVER = new Set(['Complete', 'Failed', 'ValidationFailed'])

/** The phase a RayJob is in: `suspended` is spec.suspend; `rayStatus` Ray's own status, when read. */
export function phaseOf(rayJob: RayJobSnapshot, suspended: boolean, rayStatus?: string): Phase {
  if (DEPLOYMENT_OVER.has(rayJob.deploymentStatus)) return 'run'
  if (rayJob.deploymentStatus === 'Suspended' || rayJob.deploymentStatus === 'Suspending') return 'queue'
  if (suspended && (rayJob.deploymentStatus === '' || rayJob.deploymentStatus === 'New')) return 'queue'
  if (RAY_STARTED.has(rayJob.jobStatus) || RAY_STARTED.has(rayStatus ?? '')) return 'run'
  return 'startup'
}

export interface PhaseLimits {
  /** queue-timeout, seconds; undefined: only `timeout` bounds the queue. */
  queueSeconds?: number
  /** startup-timeout, seconds; undefined: only `timeout` bounds the start. */
  startupSeconds?: number
}

export interface PhaseExpired {
  phase: 'queue' | 'startup'
  seconds: number
}

/**
 * How long the job has been in its current phase, against that phase's limit. A phase's clock starts
 * when the job enters it (the startup phase at creation, or when the queue lets the job go) and
 * stops when it leaves.
 */
export class PhaseClock {
  private phase: Phase = 'startup'
  private since: number

  constructor(
    private readonly limits: PhaseLimits,
    startedAt: number
  ) {
    this.since = startedAt
  }

  get current(): Phase {
    return this.phase
  }

  /** The phase now (call on every change of state). */
  observe(phase: Phase, now: number): void {
    if (phase === this.phase) return
    this.phase = phase
    this.since = now
  }

  private limitMs(): number | undefined {
    const seconds = this.phase === 'queue' ? this.limits.queueSeconds : this.phase === 'startup' ? this.limits.startupSeconds : undefined
    return seconds === undefined ? undefined : seconds * 1000
  }

  /** When the current phase's limit runs out (ms epoch), or undefined when it has none. */
  deadline(): number | undefined {
    const limit = this.limitMs()
    return limit === undefined ? undefined : this.since + limit
  }

  /** The phase whose limit has run out, if one has. */
  expired(now: number): PhaseExpired | undefined {
    const deadline = this.deadline()
    if (deadline === undefined || now < deadline || this.phase === 'run') return undefined
    return { phase: this.phase, seconds: Math.round((now - this.since) / 1000) }
  }
}

/** What usually keeps a job in a phase, for the timeout's message. */
const PHASE_CAUSES: Record<PhaseExpired['phase'], string> = {
  queue:
    'the RayJob stayed suspended: a queue (Kueue) has not admitted it, usually for lack of quota in its ClusterQueue; check the Workload (kubectl get workloads) and the LocalQueue the job names',
  startup:
    'Ray never started running the job: usually Pods that cannot be scheduled (requests larger than any node, no autoscaler), images that are slow or impossible to pull, a RayCluster that never gets ready, or a runtime env (pip, conda) that takes long to install'
}

/** "Timed out in the startup phase after 10m (startup-timeout): ..." */
export function describeExpired(expired: PhaseExpired, name: string, state: string): string {
  const input = expired.phase === 'queue' ? 'queue-timeout' : 'startup-timeout'
  const phase = expired.phase === 'queue' ? 'queued' : 'starting'
  return `Timed out after ${formatDuration(expired.seconds)} ${phase} (${input}): RayJob ${name} is ${state}; ${PHASE_CAUSES[expired.phase]}`
}
