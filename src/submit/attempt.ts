// Submit, phases 3 and 4, attempt by attempt: wait for the RayJob's cluster, reach its Dashboard,
// submit an InteractiveMode job, confirm the submission ID with Ray, then gate on the outcome. With
// backoffLimit KubeRay retries a failed job on a new RayCluster, whose Dashboard the next attempt
// connects to.
import type { Clock } from '../clients/clock.js'
import type { DashboardClient, JobDetails } from '../dashboard/client.js'
import type { RayJobFollower } from '../gate/follow.js'
import { DriverLog } from '../gate/logs.js'
import type { RequestLog } from '../clients/request-log.js'
import { judge } from '../gate/status.js'
import type { DashboardOutage, RayJobSnapshot, Verdict } from '../gate/status.js'
import type { StepLog } from '../gate/step-log.js'
import { waitForOutcome } from '../gate/wait.js'
import type { KubeClient } from '../kube/client.js'
import type { Settings } from '../settings.js'
import { confirmSubmissionId, connectDashboard, rayTokenFor, uploadWorkingDir } from './dashboard.js'
import type { JobNarrator } from './narrator.js'
import { interactiveSubmission } from './prepare.js'
import type { PreparedRayJob } from './prepare.js'
import type { WorkingDirPackage } from './working-dir.js'
import type { PhaseExpired } from '../gate/phases.js'
import type { PodFault } from '../gate/pod-faults.js'
import type { Watchdog } from './watchdog.js'

/** How long an InteractiveMode submission is tried again while the head's Service has no endpoint yet. */
const SUBMIT_RETRY_WINDOW_MS = 120_000

/** What every phase after the create works with; none of it changes once the RayJob exists. */
export interface JobContext {
  settings: Settings
  runner: StepLog
  clock: Clock
  kube: KubeClient
  prepared: PreparedRayJob
  requests: RequestLog
  /** ms epoch on clock */
  deadline: number
  signal: AbortSignal
  follower: RayJobFollower
  narrator: JobNarrator
  /** metadata.uid of the RayJob the step created or found: the same name with another UID is another RayJob. */
  uid?: string
  /** False for command: wait: the RayJob is someone else's, so the step never submits to it (InteractiveMode) and says so when on-timeout or on-cancel acts on it. */
  owned: boolean
  /** The working-directory's package, which an InteractiveMode job needs on its cluster before the action submits it. */
  workingDir?: WorkingDirPackage
  /** Pod faults (fail-fast) and phase timeouts, which end a wait before any verdict. */
  watchdog: Watchdog
}

/** What the step learned from Ray's side. Written here only; the finish phase reads it. */
export interface RayView {
  dashboard?: DashboardClient
  /** The RayCluster whose Dashboard `dashboard` reaches. */
  dashboardCluster: string
  /** Ray's job as last read. */
  ray?: JobDetails
  /** Ray listed the submission: the submission-id output is set. */
  confirmed: boolean
  driverLog?: DriverLog
  /** When the gate began (ms epoch), for the request counts. */
  waitStartedAt?: number
  /** The Dashboard was not answering when the gate ended (for the timeout message). */
  outage?: DashboardOutage
}

export type Ending =
  | { kind: 'verdict'; verdict: Verdict }
  /** `phase`: a phase's own timeout (startup-timeout, queue-timeout) ran out, not the whole wait's. */
  | { kind: 'timeout'; phase?: PhaseExpired }
  /** A Pod fault that will not heal (fail-fast). */
  | { kind: 'fault'; fault: PodFault }
  | { kind: 'cancelled' }
  | { kind: 'submitted' }
  | { kind: 'error'; error: Error }
/** How one attempt ends: as the step does, or with KubeRay retrying on a new RayCluster. */
type AttemptEnding = Ending | { kind: 'new-attempt' }

/** From the created RayJob to the end, attempt by attempt. */
export async function followJob(job: JobContext, view: RayView): Promise<Ending> {
  for (let clusterBefore = ''; ; ) {
    const ending = await followAttempt(job, view, clusterBefore)
    if (ending.kind !== 'new-attempt') return ending
    clusterBefore = view.dashboardCluster
    view.ray = undefined
    job.narrator.say(`KubeRay is retrying the job on a new RayCluster (attempt ${job.follower.snapshot.failedAttempts + 1} of ${job.prepared.backoffLimit + 1})`)
  }
}

export const verdictOf = (job: JobContext, view: RayView): Verdict | undefined =>
  judge({ rayJob: job.follower.snapshot, ray: view.ray, backoffLimit: job.prepared.backoffLimit, name: `${job.prepared.namespace}/${job.prepared.name}`, uid: job.uid })

/** A Pod fault or a phase timeout that ends the wait now, as the step's ending; undefined while none does. */
export function interrupted(job: JobContext): Ending | undefined {
  const interruption = job.watchdog.interruption()
  if (!interruption) return undefined
  return interruption.kind === 'fault' ? { kind: 'fault', fault: interruption.fault } : { kind: 'timeout', phase: interruption.expired }
}

/**
 * Waits for `reached` on the RayJob, unless the job ends first (a verdict), a Pod fault or a phase
 * timeout ends the wait, the deadline passes or the workflow is cancelled: then that is how the
 * step ends.
 */
async function reach(job: JobContext, view: RayView, reached: (s: RayJobSnapshot) => boolean): Promise<Ending | undefined> {
  const result = await job.follower.until((s) => reached(s) || verdictOf(job, view) !== undefined || interrupted(job) !== undefined, job.deadline, job.signal)
  if (result === 'refused') return refused(job)
  if (result === 'aborted') return { kind: 'cancelled' }
  if (result === 'deadline') return { kind: 'timeout' }
  if (reached(job.follower.snapshot)) return undefined
  const verdict = verdictOf(job, view)
  return verdict ? { kind: 'verdict', verdict } : interrupted(job)!
}

/** One attempt: its cluster, Dashboard, submission, confirmation, then the gate. */
async function followAttempt(job: JobContext, view: RayView, clusterBefore: string): Promise<AttemptEnding> {
  const { prepared, settings, runner, narrator } = job
  // A new attempt's cluster: not the last one, and past the reset KubeRay makes before creating it.
  const clusterUp = (s: RayJobSnapshot) => s.dashboardURL !== '' && s.rayClusterName !== clusterBefore && !['', 'New', 'Retrying'].includes(s.deploymentStatus)
  const early = await reach(job, view, clusterBefore ? clusterUp : (s) => s.dashboardURL !== '')
  if (early) return early
  view.dashboardCluster = job.follower.snapshot.rayClusterName
  const token = await rayTokenFor(job.kube, prepared, job.follower.snapshot, settings.submit.dashboardToken, (m) => runner.info(m))
  if (token) runner.mask(token)
  const dashboard = await connectDashboard(job.kube, prepared.namespace, job.follower.snapshot, { directUrl: settings.submit.dashboardUrl, token, log: job.requests })
  view.dashboard = dashboard
  runner.setOutput('dashboard-url', dashboard.baseUrl)
  narrator.say(`Ray Dashboard: ${dashboard.baseUrl} (${dashboard.via})`)

  // A RayJob adopted from an earlier try may be over already: then there is nothing to submit.
  if (job.owned && prepared.submissionMode === 'InteractiveMode' && !verdictOf(job, view)) {
    const notReady = await reach(job, view, (s) => s.deploymentStatus === 'Waiting' || s.deploymentStatus === 'Running')
    if (notReady) return notReady
    const retry = { until: Math.min(job.deadline, job.clock.now() + SUBMIT_RETRY_WINDOW_MS), clock: job.clock, signal: job.signal, onRetry: (message: string) => narrator.say(message) }
    if (job.workingDir) await uploadWorkingDir(dashboard, job.workingDir, retry, (m) => narrator.say(m), job.clock)
    const result = await dashboard.submitJob(interactiveSubmission(prepared), retry)
    narrator.say(`${result === 'submitted' ? 'Submitted' : 'Already submitted (an earlier try of this run attempt):'} Ray job ${prepared.submissionId} through POST /api/jobs/`)
  }

  const listed = await confirmOrExplain(job, view, dashboard)
  if (listed) confirm(job, view, listed)
  if (job.follower.refused) return refused(job)
  if (job.signal.aborted) return { kind: 'cancelled' }
  if (!listed && !verdictOf(job, view)) return interrupted(job) ?? { kind: 'timeout' }
  if (!settings.submit.wait && listed) return { kind: 'submitted' }
  return gate(job, view, dashboard)
}

/**
 * The submission as Ray lists it. Once the job is over its cluster may be gone already (e.g.
 * shutdownAfterJobFinishes): then the outcome stands on KubeRay's word and the ID stays unconfirmed.
 */
async function confirmOrExplain(job: JobContext, view: RayView, dashboard: DashboardClient): Promise<JobDetails | undefined> {
  const { runner, prepared } = job
  try {
    return await confirmSubmissionId(dashboard, prepared.submissionId, {
      follower: job.follower,
      stopWhen: () => verdictOf(job, view) !== undefined || interrupted(job) !== undefined,
      deadline: job.deadline,
      signal: job.signal,
      clock: job.clock,
      onProblem: (m) => runner.debug(m)
    })
  } catch (error) {
    if (!verdictOf(job, view)) throw error
    runner.warning(`The job is over, but its Dashboard could not confirm submission ${prepared.submissionId} (${(error as Error).message}); submission-id is not set.`)
    return undefined
  }
}

/** The credentials lost their rights mid-wait (or expired): waiting longer cannot help, so the step says so now. */
function refused(job: JobContext): Ending {
  const { namespace, name } = job.prepared
  return {
    kind: 'error',
    error: new Error(
      `Stopped following RayJob ${namespace}/${name}: ${job.follower.refused}. The credentials lost a permission while the step waited (a RoleBinding removed?) or expired; grant get and watch on rayjobs again (the README lists the Role).`
    )
  }
}

/** Ray lists the submission: set the submission-id output (once), and say so. */
export function confirm(job: JobContext, view: RayView, listed: JobDetails): void {
  view.ray = listed
  if (view.confirmed) {
    job.narrator.say(`The new RayCluster's Ray lists submission ${job.prepared.submissionId} (status ${listed.status})`)
    return
  }
  view.confirmed = true
  job.runner.setOutput('submission-id', job.prepared.submissionId)
  job.narrator.say(`Ray lists submission ${job.prepared.submissionId} (status ${listed.status}): submission-id is set`)
}

async function gate(job: JobContext, view: RayView, dashboard: DashboardClient): Promise<AttemptEnding> {
  const { runner, prepared, settings } = job
  view.waitStartedAt = job.clock.now()
  const logTitle = `Driver log of Ray job ${prepared.submissionId}`
  if (settings.submit.logs) view.driverLog = new DriverLog((lines) => runner.driverLines(logTitle, lines))
  try {
    const result = await waitForOutcome({
      follower: job.follower,
      dashboard,
      submissionId: prepared.submissionId,
      name: `${prepared.namespace}/${prepared.name}`,
      backoffLimit: prepared.backoffLimit,
      uid: job.uid,
      deadline: job.deadline,
      signal: job.signal,
      log: view.driverLog,
      clock: job.clock,
      ray: view.ray,
      onRayChange: (_previous, next) => {
        job.narrator.rayStatusChanged(next)
        job.watchdog.update(next)
      },
      onProblem: (message) => runner.debug(message),
      interrupted: () => interrupted(job) !== undefined
    })
    view.ray = result.ray ?? view.ray
    if (result.kind === 'refused') return refused(job)
    if (result.kind === 'interrupted') return interrupted(job) ?? { kind: 'timeout' }
    view.outage = result.outage
    return result.kind === 'verdict' ? { kind: 'verdict', verdict: result.verdict } : { kind: result.kind }
  } finally {
    runner.closeGroup()
  }
}
