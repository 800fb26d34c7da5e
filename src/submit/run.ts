// The submit command: lint the manifest, create the RayJob, confirm its submission ID with Ray,
// then (with `wait`) gate the step on the outcome. Outputs are written as soon as they are known.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { DashboardClient, JobDetails } from '../dashboard/client.js'
import { formatDuration } from '../gate/duration.js'
import { finalJobStatus } from '../gate/final-status.js'
import { RayJobFollower, systemClock } from '../gate/follow.js'
import type { Clock } from '../gate/follow.js'
import { DriverLog } from '../gate/logs.js'
import { perMinute, RequestLog } from '../gate/request-log.js'
import { describeState, isRayTerminal, judge, kubeRayMessage, stuckExplanation } from '../gate/status.js'
import type { RayJobSnapshot, Verdict } from '../gate/status.js'
import { stepLog } from '../gate/step-log.js'
import type { StepLog } from '../gate/step-log.js'
import { waitForOutcome } from '../gate/wait.js'
import type { GateResult } from '../gate/wait.js'
import type { KubeClient } from '../kube/client.js'
import { discoverManifests } from '../lint/discover.js'
import { readManifest } from '../lint/documents.js'
import { withReferenceYaml } from '../lint/reference-yaml.js'
import { runLint } from '../lint/run.js'
import { buildSubmitSummary } from '../report/submit-summary.js'
import type { SubmitReport } from '../report/submit-summary.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { VERSION } from '../version.js'
import { applyStopAction } from './cleanup.js'
import { STATE_DONE, STATE_JOB } from './state.js'
import type { SavedJob } from './state.js'
import { connectToCluster } from './connect.js'
import type { RunContext } from './identity.js'
import { currentRunContext } from './run-context.js'
import type { Created } from './submit.js'
import { checkPermissions, confirmSubmissionId, CreateOutcomeUnknown, connectDashboard, createOrAdopt, listedSubmission, parseDashboardURL, permissionsNeeded, rayTokenFor } from './submit.js'
import { interactiveSubmission, prepareRayJob, rayJobsIn, selectOne, SubmitInputError, usesTokenAuth } from './prepare.js'
import type { FoundRayJob, PreparedRayJob } from './prepare.js'

/** How long an InteractiveMode submission is tried again while the head's Service has no endpoint yet. */
const SUBMIT_RETRY_WINDOW_MS = 120_000

export interface SubmitDeps {
  clock: Clock
  random: () => Buffer
  /** The workflow run (default: from the runner's environment). */
  run: RunContext
}

/** Everything known about the one submission, filled in as the step goes. */
interface Session {
  settings: Settings
  runner: StepLog
  clock: Clock
  requests: RequestLog
  startedAt: number
  deadline: number
  cancel: AbortController
  kube: KubeClient
  prepared: PreparedRayJob
  follower: RayJobFollower
  dashboard?: DashboardClient
  ray?: JobDetails
  confirmed: boolean
  driverLog?: DriverLog
  /** When the last state change happened, to say how long a stuck job was stuck. */
  lastChangeAt: number
  history: string[]
  waitStartedAt?: number
  /** Ray's job status as last printed (from KubeRay's copy or the Dashboard). */
  rayStatusShown: string
  /** The RayCluster whose Dashboard `dashboard` reaches. */
  dashboardCluster: string
}

type Ending = { kind: 'verdict'; verdict: Verdict } | { kind: 'timeout' } | { kind: 'cancelled' } | { kind: 'submitted' } | { kind: 'error'; error: Error }
/** How one attempt ends: as the step does, or with KubeRay retrying on a new RayCluster. */
type AttemptEnding = Ending | { kind: 'new-attempt' }

export async function runSubmit(settings: Settings, baseRunner: Runner, deps: Partial<SubmitDeps> = {}): Promise<void> {
  const runner = stepLog(baseRunner)
  const clock = deps.clock ?? systemClock
  const manifest = await lintAndSelect(settings, runner)
  const requests = new RequestLog(() => clock.now())
  const { kube, loaded } = connectToCluster(settings.submit, runner, requests)
  const run = deps.run ?? currentRunContext()
  const prepared = prepareRayJob(manifest.value, {
    namespace: settings.submit.namespace,
    name: settings.submit.name,
    nameSuffix: settings.submit.nameSuffix,
    contextNamespace: loaded.namespace,
    run,
    random: deps.random ?? (() => randomBytes(32)),
    stepToken: randomBytes(16).toString('hex')
  })
  runner.info(`RayJob ${prepared.namespace}/${prepared.name} from ${manifest.file}:${manifest.line}, ${prepared.submissionMode}, submission ID ${prepared.submissionId}`)

  await preflight(kube, prepared, settings, loaded.source, runner)
  // Saved before the create: a workflow cancelled while the create is under way still has its post
  // step find the RayJob (it acts only on a RayJob carrying this step's token, or the UID saved below).
  const saved: SavedJob = { namespace: prepared.namespace, name: prepared.name, submissionId: prepared.submissionId, stepToken: prepared.stepToken }
  runner.saveState(STATE_JOB, JSON.stringify(saved))
  const startedAt = clock.now()
  let created: Created
  try {
    created = await createOrAdopt(kube, prepared, run, clock)
  } catch (error) {
    // A create whose outcome is unknown may have left a RayJob: the post step looks for it.
    if (!(error instanceof CreateOutcomeUnknown)) runner.saveState(STATE_DONE, 'true')
    throw error
  }
  const uid = created.rayJob.metadata?.uid
  if (uid) runner.saveState(STATE_JOB, JSON.stringify({ ...saved, uid } satisfies SavedJob))
  runner.info(created.adopted ? `Found RayJob ${prepared.namespace}/${prepared.name} that this run attempt created before: following it, not submitting again.` : `Created RayJob ${prepared.namespace}/${prepared.name}.`)
  runner.setOutput('rayjob-name', prepared.name)
  runner.setOutput('namespace', prepared.namespace)

  const session: Session = {
    settings,
    runner,
    clock,
    requests,
    startedAt,
    deadline: startedAt + settings.submit.timeoutSeconds * 1000,
    cancel: new AbortController(),
    kube,
    prepared,
    follower: undefined as unknown as RayJobFollower,
    confirmed: false,
    lastChangeAt: startedAt,
    history: [],
    rayStatusShown: '',
    dashboardCluster: ''
  }
  session.follower = new RayJobFollower(kubeSource(kube, prepared), clock, {
    // The watch brings the news; this read only covers a watch that stalls without a word.
    pollEveryMs: 60_000,
    onChange: (previous, next) => onStateChange(session, previous, next),
    onProblem: (message) => runner.debug(message)
  })
  const onSignal = () => session.cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    session.follower.start(created.rayJob)
    const initial = session.follower.snapshot
    session.history.push(`${describeState(initial)} at 0s`)
    session.rayStatusShown = initial.jobStatus
    if (initial.rayClusterName) runner.setOutput('ray-cluster-name', initial.rayClusterName)
    if (created.adopted) runner.info(`[0s] RayJob ${prepared.namespace}/${prepared.name} is ${describeState(initial)}${initial.failedAttempts ? ` after ${initial.failedAttempts} failed attempt(s)` : ''}`)
    const ending = await follow(session).catch((error: unknown): Ending => ({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) }))
    await finish(session, ending)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    session.follower.stop()
    await kube.close()
  }
}

/** Checks the permissions up front; if the cluster cannot answer (an old or locked-down API server), the calls themselves will say. */
async function preflight(kube: KubeClient, prepared: PreparedRayJob, settings: Settings, credentials: string, runner: Runner): Promise<void> {
  const readsAuthSecret = !settings.submit.dashboardToken && usesTokenAuth(prepared)
  try {
    await checkPermissions(kube, prepared.namespace, permissionsNeeded(settings.submit, readsAuthSecret), credentials)
  } catch (error) {
    if (error instanceof SubmitInputError) throw error
    runner.debug(`could not check permissions up front: ${(error as Error).message}`)
  }
}

/** Lints like the lint command (annotations, summary, outputs); a failing lint stops the submit. */
async function lintAndSelect(settings: Settings, runner: Runner): Promise<FoundRayJob> {
  const lint = await runLint(settings.lint, runner, VERSION)
  if (lint.failed) throw new SubmitInputError(`not submitting: the lint failed (fail-on: ${settings.lint.failOn}); fix the findings above first`)
  const { files } = await discoverManifests(settings.lint.workspace, settings.lint.manifests)
  const found: FoundRayJob[] = []
  for (const file of files) {
    const bytes = await readFile(resolve(settings.lint.workspace, file))
    const { documents } = await withReferenceYaml(() => readManifest(file, bytes))
    found.push(...rayJobsIn(documents))
  }
  return selectOne(found, files, settings.lint.manifests)
}

function kubeSource(kube: KubeClient, prepared: PreparedRayJob) {
  return {
    get: () => kube.getRayJob(prepared.namespace, prepared.name),
    watch: (rv: string, onEvent: (type: string, object: Record<string, unknown>) => void, onClosed: (error?: unknown) => void) =>
      kube.watchRayJob(prepared.namespace, prepared.name, rv, (e) => onEvent(e.type, e.object), onClosed)
  }
}

function elapsed(session: Session): string {
  return formatDuration((session.clock.now() - session.startedAt) / 1000)
}

function onStateChange(session: Session, previous: RayJobSnapshot, next: RayJobSnapshot): void {
  session.lastChangeAt = session.clock.now()
  if (next.rayClusterName && next.rayClusterName !== previous.rayClusterName) session.runner.setOutput('ray-cluster-name', next.rayClusterName)
  // KubeRay copies Ray's status a few seconds after the Dashboard showed it: say each change once.
  const onlyRayStatus = describeState({ ...previous, jobStatus: next.jobStatus }) === describeState(next) && next.reason === previous.reason
  if (onlyRayStatus && next.jobStatus === session.rayStatusShown) return
  if (next.jobStatus) session.rayStatusShown = next.jobStatus
  const line = `[${elapsed(session)}] RayJob ${session.prepared.namespace}/${session.prepared.name}: ${describeState(previous)} → ${describeState(next)}`
  session.runner.info(next.reason && next.reason !== previous.reason ? `${line} (${next.reason}${next.message ? `: ${kubeRayMessage(next.message)}` : ''})` : line)
  session.history.push(`${describeState(next)} at ${elapsed(session)}`)
}

/** A change of Ray's own status, read from the Dashboard; said once, whichever source saw it first. */
function showRayStatus(session: Session, next: string): void {
  if (!next || next === session.rayStatusShown) return
  session.runner.info(`[${elapsed(session)}] Ray job ${session.prepared.submissionId}: ${session.rayStatusShown || 'unknown'} → ${next}`)
  session.rayStatusShown = next
}

const verdictOf = (session: Session): Verdict | undefined =>
  judge({ rayJob: session.follower.snapshot, ray: session.ray, backoffLimit: session.prepared.backoffLimit, name: `${session.prepared.namespace}/${session.prepared.name}` })

/**
 * Waits for `reached` on the RayJob, unless the job ends first (a verdict), the deadline passes or
 * the workflow is cancelled: then that is how the step ends.
 */
async function reach(session: Session, reached: (s: RayJobSnapshot) => boolean): Promise<Ending | undefined> {
  const result = await session.follower.until((s) => reached(s) || verdictOf(session) !== undefined, session.deadline, session.cancel.signal)
  if (result === 'aborted') return { kind: 'cancelled' }
  if (result === 'deadline') return { kind: 'timeout' }
  if (reached(session.follower.snapshot)) return undefined
  return { kind: 'verdict', verdict: verdictOf(session)! }
}

/**
 * From the created RayJob to the end, attempt by attempt: with backoffLimit, KubeRay retries a
 * failed job on a new RayCluster, whose Dashboard the next attempt connects to.
 */
async function follow(session: Session): Promise<Ending> {
  for (let clusterBefore = ''; ; ) {
    const ending = await followAttempt(session, clusterBefore)
    if (ending.kind !== 'new-attempt') return ending
    clusterBefore = session.dashboardCluster
    session.ray = undefined
    session.runner.info(`[${elapsed(session)}] KubeRay is retrying the job on a new RayCluster (attempt ${session.follower.snapshot.failedAttempts + 1} of ${session.prepared.backoffLimit + 1})`)
  }
}

/** One attempt: its cluster, Dashboard, submission, confirmation, then the gate. */
async function followAttempt(session: Session, clusterBefore: string): Promise<AttemptEnding> {
  const { prepared, settings, runner } = session
  // A new attempt's cluster: not the last one, and past the reset KubeRay makes before creating it.
  const clusterUp = (s: RayJobSnapshot) => s.dashboardURL !== '' && s.rayClusterName !== clusterBefore && !['', 'New', 'Retrying'].includes(s.deploymentStatus)
  const early = await reach(session, clusterBefore ? clusterUp : (s) => s.dashboardURL !== '')
  if (early) return early
  session.dashboardCluster = session.follower.snapshot.rayClusterName
  session.dashboard = await connectDashboard(session.kube, prepared.namespace, session.follower.snapshot, {
    directUrl: settings.submit.dashboardUrl,
    token: await rayToken(session),
    log: session.requests
  })
  runner.setOutput('dashboard-url', session.dashboard.baseUrl)
  runner.info(`[${elapsed(session)}] Ray Dashboard: ${session.dashboard.baseUrl} (${session.dashboard.via})`)

  // A RayJob adopted from an earlier try may be over already: then there is nothing to submit.
  if (prepared.submissionMode === 'InteractiveMode' && !verdictOf(session)) {
    const notReady = await reach(session, (s) => s.deploymentStatus === 'Waiting' || s.deploymentStatus === 'Running')
    if (notReady) return notReady
    const result = await session.dashboard.submitJob(interactiveSubmission(prepared), {
      until: Math.min(session.deadline, Date.now() + SUBMIT_RETRY_WINDOW_MS),
      signal: session.cancel.signal,
      onRetry: (message) => runner.info(`[${elapsed(session)}] ${message}`)
    })
    runner.info(`[${elapsed(session)}] ${result === 'submitted' ? 'Submitted' : 'Already submitted (an earlier try of this run attempt):'} Ray job ${prepared.submissionId} through POST /api/jobs/`)
  }

  const job = await confirmOrExplain(session)
  if (job) confirm(session, job)
  if (session.cancel.signal.aborted) return { kind: 'cancelled' }
  const decided = verdictOf(session)
  if (!job && !decided) return { kind: 'timeout' }
  if (!settings.submit.wait && job) return { kind: 'submitted' }
  return gate(session)
}

/**
 * The submission as Ray lists it. Once the job is over its cluster may be gone already (e.g.
 * shutdownAfterJobFinishes): then the outcome stands on KubeRay's word and the ID stays unconfirmed.
 */
async function confirmOrExplain(session: Session): Promise<JobDetails | undefined> {
  const { runner, prepared } = session
  try {
    return await confirmSubmissionId(session.dashboard!, prepared.submissionId, session.follower, () => verdictOf(session) !== undefined, session.deadline, session.cancel.signal, (m) => runner.debug(m))
  } catch (error) {
    if (!verdictOf(session)) throw error
    runner.warning(`The job is over, but its Dashboard could not confirm submission ${prepared.submissionId} (${(error as Error).message}); submission-id is not set.`)
    return undefined
  }
}

function confirm(session: Session, job: JobDetails): void {
  session.ray = job
  if (session.confirmed) {
    session.runner.info(`[${elapsed(session)}] The new RayCluster's Ray lists submission ${session.prepared.submissionId} (status ${job.status})`)
    return
  }
  session.confirmed = true
  session.runner.setOutput('submission-id', session.prepared.submissionId)
  session.runner.info(`[${elapsed(session)}] Ray lists submission ${session.prepared.submissionId} (status ${job.status}): submission-id is set`)
}

async function gate(session: Session): Promise<AttemptEnding> {
  const { runner, prepared, settings } = session
  session.waitStartedAt = session.clock.now()
  const logTitle = `Driver log of Ray job ${prepared.submissionId}`
  if (settings.submit.logs) session.driverLog = new DriverLog((lines) => runner.driverLines(logTitle, lines))
  let result: GateResult
  try {
    result = await waitForOutcome({
      follower: session.follower,
      dashboard: session.dashboard!,
      submissionId: prepared.submissionId,
      name: `${prepared.namespace}/${prepared.name}`,
      backoffLimit: prepared.backoffLimit,
      deadline: session.deadline,
      signal: session.cancel.signal,
      log: session.driverLog,
      clock: session.clock,
      ray: session.ray,
      onRayChange: (_previous, next) => showRayStatus(session, next),
      onProblem: (message) => runner.debug(message)
    })
  } finally {
    runner.closeGroup()
  }
  session.ray = result.ray ?? session.ray
  return result.kind === 'verdict' ? { kind: 'verdict', verdict: result.verdict } : { kind: result.kind }
}

async function rayToken(session: Session): Promise<string | undefined> {
  const token = await rayTokenFor(session.kube, session.prepared, session.follower.snapshot, session.settings.submit.dashboardToken, (m) => session.runner.info(m))
  if (token) session.runner.mask(token)
  return token
}

/** Outputs, summary, the on-timeout/on-cancel action, and the step's verdict. */
async function finish(session: Session, ending: Ending): Promise<void> {
  const { runner, prepared, settings } = session
  const snapshot = session.follower.snapshot
  const job = { kube: session.kube, namespace: prepared.namespace, name: prepared.name, submissionId: prepared.submissionId, dashboard: session.dashboard }
  let failure: string | undefined
  if (ending.kind === 'timeout') {
    const stuckFor = (session.clock.now() - session.lastChangeAt) / 1000
    failure = `Timed out after ${formatDuration(settings.submit.timeoutSeconds)}: RayJob ${prepared.namespace}/${prepared.name} ${stuckExplanation(snapshot, session.ray, stuckFor)}`
    await applyStopAction(settings.submit.onTimeout, job, 'timed out', runner)
  } else if (ending.kind === 'cancelled') {
    failure = `The workflow was cancelled while RayJob ${prepared.namespace}/${prepared.name} was ${describeState(snapshot, session.ray)}`
    await applyStopAction(settings.submit.onCancel, job, 'cancelled', runner)
  } else if (ending.kind === 'verdict' && !ending.verdict.passed) {
    failure = ending.verdict.summary
  } else if (ending.kind === 'error') {
    // The action lost track of the job, which is still the cluster's: say where it is rather than guess its fate.
    failure = `${ending.error.message}\nRayJob ${prepared.namespace}/${prepared.name} was left as it is: see it with kubectl -n ${prepared.namespace} get rayjob ${prepared.name}, delete it with kubectl -n ${prepared.namespace} delete rayjob ${prepared.name}`
  }
  runner.saveState(STATE_DONE, 'true')

  await refreshRayStatus(session)
  const final = session.follower.snapshot
  const jobStatus = finalJobStatus(session.ray?.status, final.jobStatus)
  const message = final.message || session.ray?.message || ''
  const durationSeconds = Math.round((session.clock.now() - session.startedAt) / 1000)
  runner.setOutput('job-status', jobStatus)
  runner.setOutput('deployment-status', final.deploymentStatus)
  runner.setOutput('reason', final.reason)
  runner.setOutput('message', message)
  runner.setOutput('duration-seconds', durationSeconds)
  reportRequestRate(session)

  const outcome: SubmitReport['outcome'] =
    ending.kind === 'verdict' ? (ending.verdict.passed ? 'passed' : 'failed') : ending.kind === 'error' ? 'failed' : ending.kind
  await runner.summary(
    buildSubmitSummary(
      {
        outcome,
        namespace: prepared.namespace,
        name: prepared.name,
        rayClusterName: final.rayClusterName || snapshot.rayClusterName,
        submissionId: prepared.submissionId,
        submissionIdConfirmed: session.confirmed,
        submissionMode: prepared.submissionMode,
        jobStatus,
        deploymentStatus: final.deploymentStatus,
        reason: final.reason,
        message,
        durationSeconds,
        dashboardVia: session.dashboard ? `${session.dashboard.baseUrl} (${session.dashboard.via})` : '',
        headService: final.dashboardURL ? parseDashboardURL(final.dashboardURL, prepared.namespace).service : '',
        lastLogLines: session.driverLog?.lastLines ?? [],
        failure
      },
      formatDuration
    )
  )
  if (failure) {
    const tail = session.driverLog?.lastLines.slice(-15) ?? []
    runner.fail(tail.length ? `${failure}\nLast lines of the driver log:\n${tail.join('\n')}` : failure)
  } else if (ending.kind === 'verdict') {
    runner.info(`${ending.verdict.summary} in ${formatDuration(durationSeconds)} (${session.history.join(' → ') || describeState(final)})`)
  } else {
    runner.info(`RayJob ${prepared.namespace}/${prepared.name} submitted as ${prepared.submissionId}; not waiting for it (wait: false)`)
  }
}

/**
 * Ray's last word on the job for the outputs, unless already read after it ended; and the
 * confirmation of the submission ID, if the job ended before Ray was asked (two requests at most).
 */
async function refreshRayStatus(session: Session): Promise<void> {
  if (!session.dashboard || (session.confirmed && isRayTerminal(session.ray?.status))) return
  try {
    if (!session.confirmed) {
      const job = await listedSubmission(session.dashboard, session.prepared.submissionId, (m) => session.runner.debug(m))
      if (job) confirm(session, job)
      return
    }
    session.ray = (await session.dashboard.getJob(session.prepared.submissionId)) ?? session.ray
  } catch (error) {
    session.runner.debug(`reading Ray's final job status failed: ${(error as Error).message}`)
  }
}

/** The requests the step made, for the log (RUNNER_DEBUG) and scripts/measure-gate.mjs: since the create, and while waiting for the end. */
function reportRequestRate(session: Session): void {
  const windows: [string, number | undefined][] = [
    ['Since the RayJob was created', session.startedAt],
    ['While waiting', session.waitStartedAt]
  ]
  for (const [label, since] of windows) {
    if (since === undefined) continue
    const window = session.clock.now() - since
    const api = session.requests.countSince('api', since)
    const dashboard = session.requests.countSince('dashboard', since)
    // A rate over less than a minute says little: give the counts, and the rate once there is one.
    const rate = (n: number) => (window >= 60_000 ? ` (${perMinute(n, window).toFixed(1)}/min)` : '')
    session.runner.debug(`${label} ${formatDuration(window / 1000)}: ${api} request(s) to the API server${rate(api)}, ${dashboard} to the Dashboard${rate(dashboard)}`)
  }
}
