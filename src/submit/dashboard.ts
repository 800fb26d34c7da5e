// Submit, phase 3: reach the RayJob's Ray Dashboard (the API server's service proxy or a direct URL,
// with the cluster's Ray token when it uses token authentication) and confirm the submission ID with
// Ray itself.
import { backoffDelays } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import { DashboardClient, DashboardError } from '../dashboard/client.js'
import type { JobDetails, SubmitRetry } from '../dashboard/client.js'
import type { RayJobFollower } from '../gate/follow.js'
import type { RequestLog } from '../clients/request-log.js'
import type { RayJobSnapshot } from '../gate/status.js'
import { KubeApiError } from '../kube/client.js'
import type { KubeClient, KubeObject } from '../kube/client.js'
import type { Obj } from '../manifest/model.js'
import { manifestAuthOptions, SubmitInputError } from './prepare.js'
import type { PreparedRayJob } from './prepare.js'
import { mib } from './working-dir.js'
import type { WorkingDirPackage } from './working-dir.js'

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

/**
 * The Dashboard of an existing RayCluster (a clusterSelector RayJob's, before the RayJob exists):
 * dashboard-url, else the service proxy to its head Service (status.head.serviceName, else KubeRay's
 * <cluster>-head-svc) on the head container's `dashboard` port (8265 by default).
 */
export async function connectClusterDashboard(kube: KubeClient, prepared: PreparedRayJob, clusterName: string, request: Omit<DashboardRequest, 'token'> & { givenToken?: string; notice: (m: string) => void; mask: (secret: string) => void }): Promise<DashboardClient> {
  const token = await rayTokenFor(kube, prepared, { rayClusterName: clusterName }, request.givenToken, request.notice)
  if (token) request.mask(token)
  if (request.directUrl) return new DashboardClient({ baseUrl: request.directUrl, via: 'dashboard-url' }, token, request.log)
  let cluster: KubeObject | undefined
  try {
    cluster = await kube.getRayCluster(prepared.namespace, clusterName)
    if (!cluster) throw new SubmitInputError(`RayCluster ${prepared.namespace}/${clusterName}, which clusterSelector names, does not exist. Nothing was created.`)
  } catch (error) {
    // Not allowed to read RayClusters: KubeRay's head Service name and Ray's default port.
    if (!(error instanceof KubeApiError && error.status === 403)) throw error
  }
  const status = (cluster?.status ?? {}) as Obj
  const head = (status.head ?? {}) as Obj
  const service = typeof head.serviceName === 'string' && head.serviceName ? head.serviceName : `${clusterName}-head-svc`
  const containers = (((((cluster?.spec as Obj | undefined)?.headGroupSpec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined)?.containers ?? []) as Obj[]
  const ports = (Array.isArray(containers) && containers[0] && Array.isArray(containers[0].ports) ? containers[0].ports : []) as Obj[]
  const dashboardPort = ports.find((p) => p.name === 'dashboard')?.containerPort
  const port = typeof dashboardPort === 'number' ? String(dashboardPort) : '8265'
  const route = await kube.serviceProxy(prepared.namespace, service, port)
  return new DashboardClient({ ...route, via: `the API server's service proxy to ${prepared.namespace}/${service}:${port}` }, token, request.log)
}

/** Puts the working directory's package on the cluster unless it is there already, and says which, with the size and time. */
export async function uploadWorkingDir(dashboard: DashboardClient, pkg: WorkingDirPackage, retry: SubmitRetry, say: (message: string) => void, clock: Clock): Promise<'uploaded' | 'present'> {
  const started = clock.now()
  const result = await dashboard.ensurePackage(pkg.uri, pkg.zip, retry)
  const seconds = ((clock.now() - started) / 1000).toFixed(2)
  say(
    result === 'uploaded'
      ? `Uploaded the working directory as ${pkg.uri} (${pkg.entries} entries, ${mib(pkg.zip.length)}) through PUT /api/packages/ in ${seconds} s`
      : `The working directory's package ${pkg.uri} is on the cluster already (same content): nothing uploaded`
  )
  return result
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
export async function rayTokenFor(kube: KubeClient, prepared: PreparedRayJob, snapshot: Pick<RayJobSnapshot, 'rayClusterName'>, given: string | undefined, notice: (message: string) => void): Promise<string | undefined> {
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

/**
 * How often Ray is asked before it lists the job: every half second at first, growing to every 5 s.
 * A job Ray has not listed after FAST_POLL_FOR_MS (a submitter Pod pulling its image, a cluster that
 * is slow to start) is asked about every SLOW_POLL_MS from then on, so that waiting for it keeps
 * within a few requests a minute however long the timeout. KubeRay's own sighting of the job (its
 * status.jobStatus) still brings an immediate look.
 */
const FAST_POLL = { first: 500, grow: 1.15, max: 5000 }
const FAST_POLL_FOR_MS = 20_000
const SLOW_POLL_MS = 20_000
/**
 * Errors worth another try while the head comes up or the API server restarts: no answer yet, the
 * proxy has no endpoint (502-504) or no Service in its cache yet (404 "services ... not found"), or
 * the Dashboard itself failing for a moment (500).
 */
const transient = (error: unknown): boolean =>
  error instanceof DashboardError && ([0, 500, 502, 503, 504].includes(error.status) || (error.status === 404 && /services? .*not found/i.test(error.body)))

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
export interface ConfirmOptions {
  follower: RayJobFollower
  /** Stop asking (the RayJob ended, say): undefined is returned. */
  stopWhen: (s: RayJobSnapshot) => boolean
  /** ms epoch on `clock`. */
  deadline: number
  signal: AbortSignal
  clock: Clock
  onProblem: (message: string) => void
}

export async function confirmSubmissionId(dashboard: DashboardClient, submissionId: string, o: ConfirmOptions): Promise<JobDetails | undefined> {
  const started = o.clock.now()
  const fast = backoffDelays(FAST_POLL)
  for (;;) {
    try {
      const job = await listedSubmission(dashboard, submissionId, o.onProblem)
      if (job) return job
    } catch (error) {
      if (!transient(error)) throw error
      o.onProblem((error as Error).message)
    }
    const interval = o.clock.now() - started > FAST_POLL_FOR_MS ? SLOW_POLL_MS : fast.next().value
    const kubeRaySaw = o.follower.snapshot.jobStatus
    const result = await o.follower.until((s) => o.stopWhen(s) || s.jobStatus !== kubeRaySaw, Math.min(o.deadline, o.clock.now() + interval), o.signal)
    if (result === 'aborted' || result === 'refused' || o.clock.now() >= o.deadline || (result === 'matched' && o.stopWhen(o.follower.snapshot))) return undefined
  }
}
