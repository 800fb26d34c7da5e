// Submit, phase by phase, from the RayJob the lint read (src/commands/submit.ts lints first): prepare it (pure) → connect and
// check permissions → create or adopt → follow it attempt by attempt (Dashboard, submission ID,
// gate) → finish (outputs, summary, on-timeout / on-cancel, verdict). Outputs are written as soon
// as they are known. command: wait joins at the follow: it finds a RayJob someone else created and
// gates on it the same way (runWait).
import { randomBytes } from 'node:crypto'
import { relative } from 'node:path'
import { backoffDelays, sleep, systemClock } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import { RayJobFollower } from '../gate/follow.js'
import { RequestLog } from '../clients/request-log.js'
import { describeState } from '../gate/status.js'
import { stepLog } from '../gate/step-log.js'
import type { StepLog } from '../gate/step-log.js'
import type { KubeClient, KubeObject } from '../kube/client.js'
import { cancelOnSignals } from '../runner/signals.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { followJob } from './attempt.js'
import type { Ending, JobContext, RayView } from './attempt.js'
import { connectToCluster } from './connect.js'
import { connectClusterDashboard, uploadWorkingDir } from './dashboard.js'
import { hasClusterSelector, runMetadata, runtimeEnvExcludes, runtimeEnvOf, workingDirProblem } from './overrides.js'
import { defaultExcludes, mib, PackageError, packageWorkingDir } from './working-dir.js'
import type { WorkingDirPackage } from './working-dir.js'
import type { Obj } from '../manifest/model.js'
import { checkPermissions, CreateOutcomeUnknown, createOrAdopt, permissionsNeeded } from './create.js'
import type { Created } from './create.js'
import { finishStep } from './finish.js'
import type { SubmitReport } from '../report/submit-summary.js'
import type { RunContext } from './identity.js'
import { JobNarrator } from './narrator.js'
import { Watchdog } from './watchdog.js'
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

/** Submits and gates the RayJob; returns the job summary's facts (the pull request comment says them too). */
export async function runSubmit(settings: Settings, baseRunner: Runner, manifest: FoundRayJob, deps: Partial<SubmitDeps> = {}): Promise<SubmitReport> {
  const runner = stepLog(baseRunner)
  const clock = deps.clock ?? systemClock
  const requests = new RequestLog(() => clock.now())
  const { kube, loaded } = connectToCluster(settings.submit, runner, requests)
  try {
    const run = deps.run ?? currentRunContext()
    const workingDir = settings.submit.workingDirectory ? await packageFor(settings, manifest, runner, clock) : undefined
    const prepared = prepareRayJob(manifest.value, {
      workingDirUri: workingDir?.uri,
      runMetadata: runMetadata(run),
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
    // A job on a cluster that exists already (clusterSelector) starts as soon as the RayJob does: its package goes first.
    if (workingDir && prepared.submissionMode !== 'InteractiveMode') await uploadBeforeCreate(kube, prepared, workingDir, settings, requests, clock, runner)
    const startedAt = clock.now()
    const created = await create(kube, prepared, run, clock, runner)
    const cancel = deps.signal ? { signal: deps.signal, release: () => {} } : cancelOnSignals()
    try {
      return await follow(settings, runner, { kube, prepared, requests, clock, startedAt, signal: cancel.signal, owned: true, workingDir }, created)
    } finally {
      cancel.release()
    }
  } finally {
    await kube.close()
  }
}

/** The working-directory input, packaged as `ray job submit --working-dir` would package it; refused (before anything is created) for a RayJob whose job Ray would start before the action could upload it, or over the size limit. */
async function packageFor(settings: Settings, manifest: FoundRayJob, runner: Runner, clock: Clock): Promise<WorkingDirPackage> {
  const problem = workingDirProblem(manifest.value)
  if (problem) throw new SubmitInputError(problem)
  const dir = settings.submit.workingDirectory!
  let runtimeEnv: Obj
  try {
    runtimeEnv = runtimeEnvOf((manifest.value.spec ?? {}) as Obj, 'spec.runtimeEnvYAML')
  } catch (error) {
    throw new SubmitInputError((error as Error).message)
  }
  if (typeof runtimeEnv.working_dir === 'string') runner.info(`working-directory replaces the runtime env's working_dir (${runtimeEnv.working_dir})`)
  const started = clock.now()
  let pkg: WorkingDirPackage
  try {
    pkg = await packageWorkingDir(dir, { excludes: [...defaultExcludes(process.env), ...runtimeEnvExcludes(runtimeEnv)], includeGitignore: process.env.RAY_RUNTIME_ENV_IGNORE_GITIGNORE !== '1' })
  } catch (error) {
    if (error instanceof PackageError) throw new SubmitInputError(error.message)
    throw error
  }
  const shown = relative(settings.lint.workspace, dir) || '.'
  runner.info(
    `Working directory ${shown}: ${pkg.entries} entries (${pkg.excluded} left out by excludes and ignore files), ${mib(pkg.zip.length)}, packaged in ${((clock.now() - started) / 1000).toFixed(2)} s as ${pkg.uri}`
  )
  return pkg
}

/** How long the upload to an existing cluster is tried again while its Dashboard does not answer. */
const UPLOAD_RETRY_WINDOW_MS = 30_000

/** clusterSelector: the package goes to the selected RayCluster's Dashboard before the RayJob exists. */
async function uploadBeforeCreate(kube: KubeClient, prepared: PreparedRayJob, pkg: WorkingDirPackage, settings: Settings, requests: RequestLog, clock: Clock, runner: Runner): Promise<void> {
  const spec = prepared.object.spec as Obj
  const selector = (hasClusterSelector(spec) ? spec.clusterSelector : {}) as Record<string, unknown>
  const clusterName = selector['ray.io/cluster']
  if (typeof clusterName !== 'string' || !clusterName) {
    throw new SubmitInputError('working-directory with clusterSelector needs the RayCluster named in clusterSelector as ray.io/cluster: <name> (KubeRay picks the cluster by that key). Nothing was created.')
  }
  try {
    const dashboard = await connectClusterDashboard(kube, prepared, clusterName, {
      directUrl: settings.submit.dashboardUrl,
      givenToken: settings.submit.dashboardToken,
      log: requests,
      notice: (m) => runner.info(m),
      mask: (s) => runner.mask(s)
    })
    await uploadWorkingDir(dashboard, pkg, { until: clock.now() + UPLOAD_RETRY_WINDOW_MS, clock, onRetry: (m) => runner.info(m) }, (m) => runner.info(`${m} (RayCluster ${prepared.namespace}/${clusterName}, ${dashboard.via})`), clock)
  } catch (error) {
    if (error instanceof SubmitInputError) throw error
    throw new SubmitInputError(`could not put the working directory on RayCluster ${prepared.namespace}/${clusterName} (clusterSelector): ${(error as Error).message}. Nothing was created.`)
  }
}

/** The RayJob command: wait gates on, and where its name came from (for the messages). */
export interface WaitTarget {
  name: string
  /** Undefined: the namespace input, else the kubeconfig context's, else default. */
  namespace?: string
  from: string
}

/** How long wait gives KubeRay to give a just-created RayJob its submission ID (status.jobId) before saying what it waits for. */
const JOB_ID_NOTICE_MS = 10_000

/**
 * command: wait. Gates on a RayJob this step did not create (an earlier step or job, Argo CD, Flux)
 * exactly as submit gates on its own: the same follower, Dashboard-confirmed submission ID, driver
 * log, timeout, verdict and outputs. It never creates or submits anything.
 */
export async function runWait(settings: Settings, baseRunner: Runner, target: WaitTarget, deps: Partial<Pick<SubmitDeps, 'clock' | 'signal'>> = {}): Promise<SubmitReport> {
  const runner = stepLog(baseRunner)
  const clock = deps.clock ?? systemClock
  const requests = new RequestLog(() => clock.now())
  const waiting: Settings = { ...settings, submit: { ...settings.submit, wait: true } }
  const { kube, loaded } = connectToCluster(waiting.submit, runner, requests)
  try {
    const namespace = target.namespace ?? waiting.submit.namespace ?? loaded.namespace ?? 'default'
    const name = `${namespace}/${target.name}`
    await checkWaitPermissions(kube, namespace, waiting, loaded.source, runner)
    const startedAt = clock.now()
    const cancel = deps.signal ? { signal: deps.signal, release: () => {} } : cancelOnSignals()
    try {
      let rayJob = await kube.getRayJob(namespace, target.name)
      if (!rayJob) {
        throw new SubmitInputError(
          `RayJob ${name} (${target.from}) does not exist, so there is nothing to wait for: check rayjob-name and namespace, or that the step that creates it ran first (kubectl -n ${namespace} get rayjobs lists what is there)`
        )
      }
      rayJob = await withSubmissionId(kube, rayJob, namespace, target.name, startedAt + waiting.submit.timeoutSeconds * 1000, clock, cancel.signal, runner)
      const submissionId = submissionIdOf(rayJob)
      const expected = waiting.wait.submissionId
      if (expected && submissionId && submissionId !== expected) {
        throw new SubmitInputError(
          `RayJob ${name} runs Ray submission ${submissionId}, not ${expected} (submission-id): it was re-created by someone else since that submission. Not waiting on a job that is not the one expected.`
        )
      }
      const spec = (rayJob.spec ?? {}) as Record<string, unknown>
      const prepared: PreparedRayJob = {
        object: rayJob,
        namespace,
        name: target.name,
        submissionId: submissionId || expected || '',
        submissionMode: typeof spec.submissionMode === 'string' ? spec.submissionMode : 'K8sJobMode',
        backoffLimit: typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 0
      }
      // The post step applies on-cancel to this RayJob only (its UID), should the workflow be cancelled.
      runner.saveState(STATE_JOB, JSON.stringify({ namespace, name: target.name, submissionId: prepared.submissionId, uid: rayJob.metadata?.uid } satisfies SavedJob))
      runner.info(`Waiting on RayJob ${name} (${target.from}), which this step did not create: ${prepared.submissionMode}, submission ID ${prepared.submissionId || 'not set yet'}`)
      runner.setOutput('rayjob-name', target.name)
      runner.setOutput('namespace', namespace)
      return await follow(waiting, runner, { kube, prepared, requests, clock, startedAt, signal: cancel.signal, owned: false }, { rayJob, adopted: true })
    } finally {
      cancel.release()
    }
  } finally {
    await kube.close()
  }
}

/** The submission ID of a RayJob: the one its spec asks for, else the one KubeRay generated. */
const submissionIdOf = (rayJob: KubeObject): string => {
  const specId = (rayJob.spec as Record<string, unknown> | undefined)?.jobId
  const statusId = (rayJob.status as Record<string, unknown> | undefined)?.jobId
  return typeof specId === 'string' && specId ? specId : typeof statusId === 'string' ? statusId : ''
}

/**
 * A RayJob created moments ago has no submission ID until KubeRay's first reconcile gives it one
 * (status.jobId): reads it again, with backoff, until it has one, the deadline passes or the step is
 * cancelled. The follow then explains a RayJob that never gets one (an operator that is down).
 */
async function withSubmissionId(kube: KubeClient, rayJob: KubeObject, namespace: string, name: string, deadline: number, clock: Clock, signal: AbortSignal, runner: Runner): Promise<KubeObject> {
  const noticeAt = clock.now() + JOB_ID_NOTICE_MS
  let noticed = false
  const delays = backoffDelays({ first: 500, max: 5_000, grow: 2 })
  let current = rayJob
  while (!submissionIdOf(current) && clock.now() < deadline && !signal.aborted) {
    if (!noticed && clock.now() >= noticeAt) {
      runner.info(`RayJob ${namespace}/${name} has no submission ID yet (KubeRay sets status.jobId when it first reconciles it): waiting for the operator.`)
      noticed = true
    }
    await sleep(clock, Math.min(delays.next().value, Math.max(0, deadline - clock.now())), signal)
    current = (await kube.getRayJob(namespace, name)) ?? current
  }
  return current
}

/** What wait needs: read and watch the RayJob and reach its Dashboard; delete only when on-timeout or on-cancel may act on it. */
async function checkWaitPermissions(kube: KubeClient, namespace: string, settings: Settings, credentials: string, runner: Runner): Promise<void> {
  // No create: wait never creates a RayJob; and no POST through the proxy unless on-timeout or on-cancel may stop the job.
  const stops = settings.submit.onTimeout === 'stop' || settings.submit.onCancel === 'stop'
  const needed = permissionsNeeded(settings.submit).filter((p) => p.verb !== 'create' || (p.subresource === 'proxy' && stops))
  try {
    await checkPermissions(kube, namespace, needed, credentials)
  } catch (error) {
    if (error instanceof SubmitInputError) throw new SubmitInputError(error.message.replace('the Role bound to this identity (the README lists the Role submit needs). Nothing was created.', "the Role bound to this identity (the README lists the Role wait needs)."))
    runner.debug(`could not check permissions up front: ${(error as Error).message}`)
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
  owned: boolean
  workingDir?: WorkingDirPackage
}

/** Follows the created RayJob to its end (or, with wait: false, to its confirmed submission ID), then finishes the step. */
async function follow(settings: Settings, runner: StepLog, f: Following, created: Created): Promise<SubmitReport> {
  const { prepared } = f
  const name = `${prepared.namespace}/${prepared.name}`
  const narrator = new JobNarrator(runner, f.clock, f.startedAt, name, prepared.submissionId)
  const watchdog = new Watchdog({ kube: f.kube, prepared, settings, clock: f.clock, runner, narrator, startedAt: f.startedAt })
  const follower = new RayJobFollower(kubeSource(f.kube, prepared), f.clock, {
    // The watch brings the news; this read only covers a watch that stalls without a word.
    pollEveryMs: 60_000,
    onChange: (previous, next) => {
      narrator.stateChanged(previous, next)
      watchdog.update()
    },
    onProblem: (message) => runner.debug(message)
  })
  const job: JobContext = { ...f, settings, runner, follower, narrator, watchdog, uid: created.rayJob.metadata?.uid, deadline: f.startedAt + settings.submit.timeoutSeconds * 1000 }
  const view: RayView = { dashboardCluster: '', confirmed: false }
  try {
    follower.start(created.rayJob)
    const initial = follower.snapshot
    narrator.begin(initial)
    if (initial.rayClusterName) runner.setOutput('ray-cluster-name', initial.rayClusterName)
    if (created.adopted) runner.info(`[0s] RayJob ${name} is ${describeState(initial)}${initial.failedAttempts ? ` after ${initial.failedAttempts} failed attempt(s)` : ''}`)
    // Not for a step that does not wait: it ends once the job is submitted.
    if (settings.submit.wait) watchdog.start(follower)
    const ending = await followJob(job, view).catch((error: unknown): Ending => ({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) }))
    return await finishStep(job, view, ending)
  } finally {
    watchdog.stop()
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
