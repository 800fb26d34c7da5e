// Job 2: put the RayJob in the cluster (or find the one an earlier try of this same run attempt put
// there), reach its Dashboard, submit InteractiveMode jobs, and confirm the submission ID with Ray.
import { DashboardClient, DashboardError } from '../dashboard/client.js'
import type { JobDetails } from '../dashboard/client.js'
import { systemClock } from '../gate/follow.js'
import { sleep } from '../gate/logs.js'
import type { Clock, RayJobFollower } from '../gate/follow.js'
import type { RequestLog } from '../gate/request-log.js'
import type { RayJobSnapshot } from '../gate/status.js'
import { describePermission, KubeApiError } from '../kube/client.js'
import type { KubeClient, KubeObject, Permission } from '../kube/client.js'
import type { Obj } from '../lint/model.js'
import type { SubmitSettings } from '../settings.js'
import type { RunContext } from './identity.js'
import { createdByThisStep, manifestAuthOptions, relationTo, SubmitInputError } from './prepare.js'
import type { PreparedRayJob } from './prepare.js'

/**
 * What submit will do in the namespace, as RBAC permissions (the README's Role grants exactly these
 * by default). `readsAuthSecret`: the manifest's cluster uses Ray token authentication and no
 * dashboard-token is given, so the token is read from KubeRay's auth Secret.
 */
export function permissionsNeeded(settings: Pick<SubmitSettings, 'dashboardUrl' | 'onTimeout' | 'onCancel'>, readsAuthSecret = false): Permission[] {
  const rayJobs = (verb: string): Permission => ({ verb, group: 'ray.io', resource: 'rayjobs' })
  const needed = [rayJobs('get'), rayJobs('create'), rayJobs('watch')]
  if (readsAuthSecret) needed.push({ verb: 'get', group: '', resource: 'secrets' })
  // stop falls back to deleting a RayJob whose job Ray does not have yet.
  if (settings.onTimeout !== 'keep' || settings.onCancel !== 'keep') needed.push(rayJobs('delete'))
  if (!settings.dashboardUrl) {
    const proxy = (verb: string): Permission => ({ verb, group: '', resource: 'services', subresource: 'proxy' })
    needed.push(proxy('get'), proxy('create'))
  }
  return needed
}

/** Stops before anything is created when the credentials lack a permission submit needs. */
export async function checkPermissions(kube: KubeClient, namespace: string, needed: Permission[], credentials: string): Promise<void> {
  const missing = await kube.missingPermissions(namespace, needed)
  if (missing.length === 0) return
  throw new SubmitInputError(
    `the credentials from ${credentials} may not ${missing.map(describePermission).join(', ')} in namespace ${namespace}: add ${missing.length > 1 ? 'these' : 'it'} to the Role bound to this identity (the README lists the Role submit needs). Nothing was created.`
  )
}

export interface Created {
  rayJob: KubeObject
  /** True when the RayJob was already there from an earlier try of this run attempt. */
  adopted: boolean
}

/**
 * The create's outcome is unknown: the request went out, but no answer came back and reading the
 * RayJob back failed too. The RayJob may exist; the post step must look (it can tell ours by the
 * step token).
 */
export class CreateOutcomeUnknown extends Error {}

/** How long a create whose answer was lost is looked for (the API server may be restarting). */
const READ_BACK_FOR_MS = 60_000

/**
 * Creates the RayJob after a server-side dry run with strict field validation (so the cluster's own
 * CRD and admission judge it first), or adopts the one this run attempt created before.
 */
export async function createOrAdopt(kube: KubeClient, prepared: PreparedRayJob, run: RunContext, clock: Clock = systemClock): Promise<Created> {
  const existing = await kube.getRayJob(prepared.namespace, prepared.name)
  if (existing) return adoptOrRefuse(existing, prepared, run)
  await kube.createRayJob(prepared.namespace, prepared.object as KubeObject, true)
  try {
    return { rayJob: await kube.createRayJob(prepared.namespace, prepared.object as KubeObject, false), adopted: false }
  } catch (error) {
    // Lost a race with another try of this same attempt: follow that one, or say whose it is.
    if (error instanceof KubeApiError && error.status === 409) {
      const raced = await kube.getRayJob(prepared.namespace, prepared.name)
      if (raced && createdByThisStep(raced, prepared.stepToken)) return { rayJob: raced, adopted: false }
      if (raced) return adoptOrRefuse(raced, prepared, run)
    }
    if (answerLost(error)) return readBack(kube, prepared, error as Error, clock)
    throw error
  }
}

/** No answer, or one that does not say whether the object was stored (a gateway or server error). */
const answerLost = (error: unknown): boolean => error instanceof KubeApiError && (error.status === 0 || error.status >= 500)

/**
 * After a create whose answer was lost: the RayJob if the server stored it. Otherwise the outcome
 * stays unknown (a request cut on its way back may still be applied), and the post step looks again.
 */
async function readBack(kube: KubeClient, prepared: PreparedRayJob, createError: Error, clock: Clock): Promise<Created> {
  const until = clock.now() + READ_BACK_FOR_MS
  let lastRead: string
  for (let delay = 1000; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      const found = await kube.getRayJob(prepared.namespace, prepared.name)
      if (found && createdByThisStep(found, prepared.stepToken)) return { rayJob: found, adopted: false }
      if (found) {
        throw new SubmitInputError(`RayJob ${prepared.namespace}/${prepared.name} appeared while this step's create got no answer, but it is not the one this step sent (another run took the name). Nothing of this step's is running.`)
      }
      lastRead = 'it is not there'
    } catch (error) {
      if (error instanceof SubmitInputError) throw error
      lastRead = (error as Error).message.split('\n')[0]
    }
    if (clock.now() + delay > until) break
    await sleep(clock, delay)
  }
  throw new CreateOutcomeUnknown(
    `${createError.message}\nThe create may still have reached the API server; reading RayJob ${prepared.namespace}/${prepared.name} back for ${READ_BACK_FOR_MS / 1000}s did not find it (${lastRead}). The post step looks for it again and applies on-cancel if this step created it; check with kubectl -n ${prepared.namespace} get rayjob ${prepared.name}.`
  )
}

/** An existing RayJob under our name: this step's own earlier try to follow, or an error that says whose it is and what to do. */
function adoptOrRefuse(existing: KubeObject, prepared: PreparedRayJob, run: RunContext): Created {
  const relation = relationTo(existing, prepared, run)
  if (relation === 'ours') return { rayJob: existing, adopted: true }
  const name = `${prepared.namespace}/${prepared.name}`
  if (relation === 'sibling') {
    const annotations = existing.metadata?.annotations ?? {}
    const job = annotations['rayjob-action/job']
    throw new SubmitInputError(
      `RayJob ${name} already exists, created by this same workflow run attempt${job && job !== run.job ? ` in job "${job}"` : ''} from a different RayJob: two jobs or matrix legs of one run submit under the same name, and this step will not follow a job it did not submit. Give each its own name, for example name: ${prepared.name.replace(/-[a-z0-9]+-\d+$/, '')}-\${{ matrix.model }} (with name-suffix: run). Nothing was created.`
    )
  }
  const labels = existing.metadata?.labels ?? {}
  const runId = labels['rayjob-action/run-id']
  const owner = runId
    ? `run ${runId} attempt ${labels['rayjob-action/run-attempt'] ?? '?'} of ${labels['rayjob-action/repository'] ?? 'a repository'}`
    : labels['app.kubernetes.io/managed-by'] === 'rayjob-action'
      ? 'an earlier rayjob-action run outside a workflow'
      : 'something other than this action'
  throw new SubmitInputError(
    `RayJob ${name} already exists, created by ${owner}. Set name-suffix: run so every run gets its own name, or delete the old RayJob (kubectl -n ${prepared.namespace} delete rayjob ${prepared.name}).`
  )
}

export interface DashboardRequest {
  /** The dashboard-url input: a Dashboard the runner reaches directly. */
  directUrl?: string
  token?: string
  log?: RequestLog
}

/** The Dashboard of the RayJob's cluster: through the API server's proxy to the head Service's dashboard port, or the direct URL. */
export async function connectDashboard(kube: KubeClient, namespace: string, snapshot: RayJobSnapshot, request: DashboardRequest): Promise<DashboardClient> {
  if (request.directUrl) {
    return new DashboardClient({ baseUrl: request.directUrl, via: 'dashboard-url' }, request.token, request.log)
  }
  const { service, serviceNamespace, port } = parseDashboardURL(snapshot.dashboardURL, namespace)
  const route = await kube.serviceProxy(serviceNamespace, service, port)
  return new DashboardClient({ ...route, via: `the API server's service proxy to ${serviceNamespace}/${service}:${port}` }, request.token, request.log)
}

/** KubeRay's status.dashboardURL is "<head-svc>.<namespace>.svc.<domain>:<port>", without a scheme. */
export function parseDashboardURL(dashboardURL: string, fallbackNamespace: string): { service: string; serviceNamespace: string; port: string } {
  const [host, port] = dashboardURL.replace(/^https?:\/\//, '').split('/')[0].split(':')
  const [service, serviceNamespace] = host.split('.')
  return { service, serviceNamespace: serviceNamespace || fallbackNamespace, port: port || '8265' }
}

/**
 * The Ray token of a cluster with token authentication: the dashboard-token input, else the auth
 * Secret KubeRay reads (authOptions.secretName, or the RayCluster's name), key auth_token.
 * Undefined for a cluster without token authentication.
 */
export async function rayTokenFor(kube: KubeClient, prepared: PreparedRayJob, snapshot: RayJobSnapshot, given: string | undefined, notice: (message: string) => void): Promise<string | undefined> {
  if (given) return given
  let authOptions = manifestAuthOptions(prepared)
  if (!(prepared.object.spec as Obj).rayClusterSpec && snapshot.rayClusterName) {
    let cluster: KubeObject | undefined
    try {
      cluster = await kube.getRayCluster(prepared.namespace, snapshot.rayClusterName)
    } catch (error) {
      // Most clusters have no token authentication: not being allowed to look is no reason to stop.
      if (!(error instanceof KubeApiError && error.status === 403)) throw error
      notice(
        `Could not read RayCluster ${prepared.namespace}/${snapshot.rayClusterName} to see whether it uses Ray token authentication (no "get" on rayclusters); going on without a token. If the Dashboard answers 401, set dashboard-token.`
      )
      return undefined
    }
    authOptions = ((cluster?.spec as Obj | undefined)?.authOptions as Obj | undefined) ?? undefined
  }
  if (authOptions?.mode !== 'token') return undefined
  const secretName = (typeof authOptions.secretName === 'string' && authOptions.secretName) || snapshot.rayClusterName
  const secret = await kube.getSecret(prepared.namespace, secretName)
  const encoded = ((secret?.data as Record<string, string> | undefined) ?? {}).auth_token
  if (!encoded) {
    throw new SubmitInputError(
      `the Ray cluster uses token authentication, but Secret ${prepared.namespace}/${secretName} has no auth_token${secret ? '' : ' (the Secret does not exist)'}: set the dashboard-token input`
    )
  }
  return Buffer.from(encoded, 'base64').toString('utf8')
}

const FIRST_POLL_MS = 500
const MAX_POLL_MS = 5000
/**
 * A job Ray has not listed after this long (a submitter Pod pulling its image, a cluster that is
 * slow to start) is asked about every SLOW_POLL_MS from then on, so that waiting for it keeps
 * within a few requests a minute however long the timeout. KubeRay's own sighting of the job
 * (its status.jobStatus) still brings an immediate look.
 */
const FAST_POLL_FOR_MS = 20_000
const SLOW_POLL_MS = 20_000
/** Errors worth another try while the head comes up: no answer yet, or the proxy has no endpoint yet. */
const transient = (error: unknown): boolean => error instanceof DashboardError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504)

/**
 * The job, if Ray has it as a submission of ours: GET /api/jobs/<id> returns it as a SUBMISSION
 * with that ID, and GET /api/jobs/ (which also holds drivers and other jobs) lists it.
 */
export async function listedSubmission(dashboard: DashboardClient, submissionId: string, onProblem: (message: string) => void): Promise<JobDetails | undefined> {
  const job = await dashboard.getJob(submissionId)
  if (!job || job.type !== 'SUBMISSION' || job.submission_id !== submissionId) return undefined
  const listed = await dashboard.listJobs()
  if (listed.some((j) => j.type === 'SUBMISSION' && j.submission_id === submissionId)) return job
  onProblem(`GET /api/jobs/${submissionId} returned the job but GET /api/jobs/ does not list it yet`)
  return undefined
}

/**
 * Waits until Ray lists the job as a SUBMISSION with our ID (GET /api/jobs/<id>, cross-checked
 * against GET /api/jobs/, which also holds drivers and other jobs). Reads every half second at
 * first, slowing to every 5 s and after FAST_POLL_FOR_MS to every 20 s, and at once when KubeRay
 * says it has seen the job, so the ID is out within a second of Ray knowing it without a long fast
 * poll. Returns undefined if `stopWhen` (the RayJob ended, a deadline) comes first.
 */
export async function confirmSubmissionId(
  dashboard: DashboardClient,
  submissionId: string,
  follower: RayJobFollower,
  stopWhen: (s: RayJobSnapshot) => boolean,
  deadline: number,
  signal: AbortSignal,
  onProblem: (message: string) => void
): Promise<JobDetails | undefined> {
  const started = Date.now()
  let interval = FIRST_POLL_MS
  for (;;) {
    try {
      const job = await listedSubmission(dashboard, submissionId, onProblem)
      if (job) return job
    } catch (error) {
      if (!transient(error)) throw error
      onProblem((error as Error).message)
    }
    const until = Math.min(deadline, Date.now() + interval)
    const kubeRaySaw = follower.snapshot.jobStatus
    const result = await follower.until((s) => stopWhen(s) || s.jobStatus !== kubeRaySaw, until, signal)
    if (result === 'aborted' || Date.now() >= deadline || (result === 'matched' && stopWhen(follower.snapshot))) return undefined
    interval = Date.now() - started > FAST_POLL_FOR_MS ? SLOW_POLL_MS : Math.min(MAX_POLL_MS, Math.round(interval * 1.15))
  }
}
