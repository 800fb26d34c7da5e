// Submit, phase by phase, from the RayJob the lint read (src/commands/submit.ts lints first): prepare it (pure) → connect and
// check permissions → create or adopt → follow it attempt by attempt (Dashboard, submission ID,
// gate) → finish (outputs, summary, on-timeout / on-cancel, verdict). Outputs are written as soon
// as they are known.
import { randomBytes } from 'node:crypto'
import { systemClock } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import { RayJobFollower } from '../gate/follow.js'
import { RequestLog } from '../clients/request-log.js'
import { describeState } from '../gate/status.js'
import { stepLog } from '../gate/step-log.js'
import type { StepLog } from '../gate/step-log.js'
import type { KubeClient, KubeObject } from '../kube/client.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { followJob } from './attempt.js'
import type { Ending, JobContext, RayView } from './attempt.js'
import { connectToCluster } from './connect.js'
import { checkPermissions, CreateOutcomeUnknown, createOrAdopt, permissionsNeeded } from './create.js'
import type { Created } from './create.js'
import { finishStep } from './finish.js'
import type { RunContext } from './identity.js'
import { JobNarrator } from './narrator.js'
import { prepareRayJob, SubmitInputError, usesTokenAuth } from './prepare.js'
import type { FoundRayJob, PreparedRayJob } from './prepare.js'
import { currentRunContext } from './run-context.js'
import { STATE_DONE, STATE_JOB } from './state.js'
import type { SavedJob } from './state.js'

export interface SubmitDeps {
  clock: Clock
  random: () => Buffer
  /** The workflow run (default: from the runner's environment). */
  run: RunContext
  /** Aborts when the workflow is cancelled (default: the runner's SIGINT / SIGTERM). */
  signal: AbortSignal
}

export async function runSubmit(settings: Settings, baseRunner: Runner, manifest: FoundRayJob, deps: Partial<SubmitDeps> = {}): Promise<void> {
  const runner = stepLog(baseRunner)
  const clock = deps.clock ?? systemClock
  const requests = new RequestLog(() => clock.now())
  const { kube, loaded } = connectToCluster(settings.submit, runner, requests)
  try {
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
    const startedAt = clock.now()
    const created = await create(kube, prepared, run, clock, runner)
    const cancel = deps.signal ? { signal: deps.signal, release: () => {} } : cancelOnSignals()
    try {
      await follow(settings, runner, { kube, prepared, requests, clock, startedAt, signal: cancel.signal }, created)
    } finally {
      cancel.release()
    }
  } finally {
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

/**
 * Creates (or adopts) the RayJob, with the post step told first: a workflow cancelled while the
 * create is under way still has its post step find the RayJob (it acts only on a RayJob carrying
 * this step's token, or the UID saved once the create returns).
 */
async function create(kube: KubeClient, prepared: PreparedRayJob, run: RunContext, clock: Clock, runner: Runner): Promise<Created> {
  const saved: SavedJob = { namespace: prepared.namespace, name: prepared.name, submissionId: prepared.submissionId, stepToken: prepared.stepToken }
  runner.saveState(STATE_JOB, JSON.stringify(saved))
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
  const name = `${prepared.namespace}/${prepared.name}`
  if (created.recovered) runner.info(`The create's answer was lost (${created.recovered}); reading RayJob ${name} back found the one this step sent.`)
  runner.info(created.adopted ? `Found RayJob ${name} that this run attempt created before: following it, not submitting again.` : `Created RayJob ${name}.`)
  runner.setOutput('rayjob-name', prepared.name)
  runner.setOutput('namespace', prepared.namespace)
  return created
}

interface Following {
  kube: KubeClient
  prepared: PreparedRayJob
  requests: RequestLog
  clock: Clock
  startedAt: number
  signal: AbortSignal
}

/** Follows the created RayJob to its end (or, with wait: false, to its confirmed submission ID), then finishes the step. */
async function follow(settings: Settings, runner: StepLog, f: Following, created: Created): Promise<void> {
  const { prepared } = f
  const name = `${prepared.namespace}/${prepared.name}`
  const narrator = new JobNarrator(runner, f.clock, f.startedAt, name, prepared.submissionId)
  const follower = new RayJobFollower(kubeSource(f.kube, prepared), f.clock, {
    // The watch brings the news; this read only covers a watch that stalls without a word.
    pollEveryMs: 60_000,
    onChange: (previous, next) => narrator.stateChanged(previous, next),
    onProblem: (message) => runner.debug(message)
  })
  const job: JobContext = { ...f, settings, runner, follower, narrator, deadline: f.startedAt + settings.submit.timeoutSeconds * 1000 }
  const view: RayView = { dashboardCluster: '', confirmed: false }
  try {
    follower.start(created.rayJob)
    const initial = follower.snapshot
    narrator.begin(initial)
    if (initial.rayClusterName) runner.setOutput('ray-cluster-name', initial.rayClusterName)
    if (created.adopted) runner.info(`[0s] RayJob ${name} is ${describeState(initial)}${initial.failedAttempts ? ` after ${initial.failedAttempts} failed attempt(s)` : ''}`)
    const ending = await followJob(job, view).catch((error: unknown): Ending => ({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) }))
    await finishStep(job, view, ending)
  } finally {
    follower.stop()
  }
}

function kubeSource(kube: KubeClient, prepared: PreparedRayJob) {
  return {
    get: () => kube.getRayJob(prepared.namespace, prepared.name),
    watch: (rv: string, onEvent: (type: string, object: KubeObject) => void, onClosed: (error?: unknown) => void) =>
      kube.watchRayJob(prepared.namespace, prepared.name, rv, (e) => onEvent(e.type, e.object), onClosed)
  }
}

/** The runner's cancellation: SIGINT first, then SIGTERM (GitHub's runner sends both, then kills). */
function cancelOnSignals(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController()
  const abort = (): void => controller.abort()
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort)
      process.off('SIGTERM', abort)
    }
  }
}
