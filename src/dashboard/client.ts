// The Ray Dashboard's job API (shared/reference/ray-job-api.md), reached through the Kubernetes API
// server's service proxy or at a URL the runner can reach directly. undici's request(), never
// fetch(): Ray refuses POST and DELETE from fetch() as browser traffic. Paths keep Ray's trailing
// slash on /api/jobs/.
import { request } from 'undici'
import type { Dispatcher } from 'undici'
import { backoffDelays, sleep, systemClock } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import type { Transport } from '../clients/http.js'
import type { RequestLog } from '../clients/request-log.js'

/** How to reach a Dashboard: its base URL and what the transport needs (the API server's credentials, for the proxy). */
export interface DashboardConnection {
  baseUrl: string
  /** "the API server's service proxy" or "dashboard-url". */
  via: string
  /**
   * Headers and dispatcher for the transport itself (the API server's credentials, for the proxy),
   * asked for anew on each request: credentials may expire. None for a Dashboard reached directly.
   */
  auth?: () => Promise<Transport>
  webSocketOptions?: () => Promise<Record<string, unknown>>
}

/** A job as GET /api/jobs/<id> describes it (the fields the action reads). */
export interface JobDetails {
  submission_id?: string | null
  type?: string
  status?: string
  message?: string | null
  error_type?: string | null
  start_time?: number | null
  end_time?: number | null
  driver_exit_code?: number | null
  entrypoint?: string
  job_id?: string | null
  metadata?: Record<string, string> | null
}

/** How long a submission is tried again while the head is not reachable yet. */
export interface SubmitRetry {
  /** ms epoch on `clock`; no retry after it (default: none, but for Ray's own "No available agent"). */
  until?: number
  clock?: Clock
  signal?: AbortSignal
  /** Told of each failed try that will be tried again. */
  onRetry?: (message: string) => void
}

export interface SubmitRequest {
  entrypoint: string
  submission_id: string
  runtime_env?: Record<string, unknown>
  metadata?: Record<string, string>
  entrypoint_num_cpus?: number
  entrypoint_num_gpus?: number
  entrypoint_resources?: Record<string, number>
}

/** A failed Dashboard call: which call, what came back, and what to do. */
export class DashboardError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
    detail: string
  ) {
    super(`${method} ${path} on the Ray Dashboard failed: ${detail}`)
    this.name = 'DashboardError'
  }
}

const GET_TIMEOUT_MS = 20_000
/** Answers that mean the head is not reachable yet (a connection error is status 0). */
const NOT_REACHABLE_YET = new Set([0, 502, 503, 504])
/** 1 s, 2 s, 3 s, ... up to 5 s between tries of a submission. */
const SUBMIT_RETRY = { first: 1000, grow: (previous: number) => previous + 1000, max: 5000 }
const SUBMIT_MAX_TRIES = 30
/** How long Ray's "No available agent" is tried again even without `retry.until`. */
const AGENT_GRACE_MS = 12_000
/** Generous on purpose: a submit cancelled after Ray stored it leaves a job PENDING forever (ray#62766). */
const SUBMIT_TIMEOUT_MS = 120_000

export class DashboardClient {
  constructor(
    private readonly connection: DashboardConnection,
    private readonly rayToken?: string,
    private readonly log?: RequestLog
  ) {}

  get baseUrl(): string {
    return this.connection.baseUrl
  }

  get via(): string {
    return this.connection.via
  }

  /** The job with this submission ID, or undefined while Ray has no such job (404). */
  async getJob(submissionId: string): Promise<JobDetails | undefined> {
    const response = await this.send('GET', `/api/jobs/${encodeURIComponent(submissionId)}`)
    if (response.status === 404 && /does not exist/.test(response.body)) return undefined
    return this.json<JobDetails>(response)
  }

  /** Every job Ray knows: submissions of any age, and drivers that called ray.init() directly. */
  async listJobs(): Promise<JobDetails[]> {
    const jobs = this.json<unknown>(await this.send('GET', '/api/jobs/'))
    return Array.isArray(jobs) ? (jobs as JobDetails[]) : []
  }

  /**
   * Submits a job; a job with this submission ID already in Ray counts as submitted (a rerun, or a
   * try whose answer was lost). Safe to repeat for that reason, so an answer that says the head is
   * not reachable yet is tried again until `retry.until`: the operator may call the cluster ready a
   * moment before the head Service has its endpoint (the proxy's 503 "no endpoints available").
   */
  async submitJob(job: SubmitRequest, retry: SubmitRetry = {}): Promise<'submitted' | 'already-submitted'> {
    const clock = retry.clock ?? systemClock
    const started = clock.now()
    const until = retry.until ?? started
    const delays = backoffDelays(SUBMIT_RETRY)
    for (let attempt = 1; ; attempt++) {
      let response: Awaited<ReturnType<DashboardClient['send']>>
      try {
        response = await this.send('POST', '/api/jobs/', job, SUBMIT_TIMEOUT_MS)
      } catch (error) {
        if (!(await this.waitToRetry(error as Error, attempt, delays.next().value, until, retry, clock))) throw error
        continue
      }
      if (response.status >= 200 && response.status < 300) return 'submitted'
      if (response.status === 500 && /already exists/.test(response.body)) return 'already-submitted'
      // The head's agent starts a little after the Dashboard; Ray asks to try again.
      const agentNotUp = response.status === 500 && /No available agent/.test(response.body)
      if (agentNotUp || NOT_REACHABLE_YET.has(response.status)) {
        const failure = new DashboardError('POST', '/api/jobs/', response.status, response.body, explainFailure(response.status, response.body, this.connection.via))
        if (await this.waitToRetry(failure, attempt, delays.next().value, agentNotUp ? Math.max(until, started + AGENT_GRACE_MS) : until, retry, clock)) continue
        throw failure
      }
      this.json(response)
    }
  }

  /** Waits before another try of a submission, or says there is no time left for one. */
  private async waitToRetry(error: Error, attempt: number, delay: number, until: number, retry: SubmitRetry, clock: Clock): Promise<boolean> {
    if (retry.signal?.aborted || clock.now() + delay > until || attempt >= SUBMIT_MAX_TRIES) return false
    retry.onRetry?.(`${error.message} (try ${attempt}; trying again in ${delay / 1000} s)`)
    await sleep(clock, delay, retry.signal)
    return !retry.signal?.aborted
  }

  /**
   * Makes sure the cluster has a package (the working_dir's zip): `GET /api/packages/<protocol>/<name>`
   * (which also pins it in Ray for a while), and `PUT` of the bytes only when Ray answers 404. As
   * `ray job submit` does. Answers that say the head is not reachable yet are tried again until
   * `retry.until`, like a submission.
   */
  async ensurePackage(uri: string, zip: Buffer, retry: SubmitRetry = {}): Promise<'uploaded' | 'present'> {
    const [protocol, name] = uri.split('://')
    const path = `/api/packages/${encodeURIComponent(protocol)}/${encodeURIComponent(name)}`
    const exists = await this.retrying('GET', path, undefined, retry, GET_TIMEOUT_MS)
    if (exists.status === 200) return 'present'
    if (exists.status !== 404) this.json(exists)
    const put = await this.retrying('PUT', path, zip, retry, SUBMIT_TIMEOUT_MS)
    if (put.status >= 200 && put.status < 300) return 'uploaded'
    if (put.status === 413) {
      throw new DashboardError('PUT', path, 413, put.body, `HTTP 413: ${lastLine(put.body)}: the Dashboard refuses a package of ${zip.length} bytes`)
    }
    return this.json(put)
  }

  /** One request, tried again while the head is not reachable yet (connection refused, the proxy's 502-504). */
  private async retrying(method: string, path: string, body: Buffer | undefined, retry: SubmitRetry, timeoutMs: number): Promise<Awaited<ReturnType<DashboardClient['send']>>> {
    const clock = retry.clock ?? systemClock
    const until = retry.until ?? clock.now()
    const delays = backoffDelays(SUBMIT_RETRY)
    for (let attempt = 1; ; attempt++) {
      let response: Awaited<ReturnType<DashboardClient['send']>>
      try {
        response = await this.send(method, path, body, timeoutMs)
      } catch (error) {
        if (await this.waitToRetry(error as Error, attempt, delays.next().value, until, retry, clock)) continue
        throw error
      }
      if (!NOT_REACHABLE_YET.has(response.status)) return response
      const failure = new DashboardError(method, path, response.status, response.body, explainFailure(response.status, response.body, this.connection.via))
      if (await this.waitToRetry(failure, attempt, delays.next().value, until, retry, clock)) continue
      throw failure
    }
  }

  /** Asks Ray to stop the job; false when it was already over. */
  async stopJob(submissionId: string): Promise<boolean> {
    const result = this.json<{ stopped?: boolean }>(await this.send('POST', `/api/jobs/${encodeURIComponent(submissionId)}/stop`))
    return result.stopped === true
  }

  /** The whole driver log so far. */
  async getLogs(submissionId: string): Promise<string> {
    return this.json<{ logs?: string }>(await this.send('GET', `/api/jobs/${encodeURIComponent(submissionId)}/logs`)).logs ?? ''
  }

  /** Ray's version, e.g. "2.58.0", or undefined if the Dashboard does not say. */
  async rayVersion(): Promise<string | undefined> {
    return this.json<{ ray_version?: string }>(await this.send('GET', '/api/version')).ray_version
  }

  /** Headers and TLS options for the WebSocket log tail (see logs-tail.ts). */
  async webSocketTarget(path: string): Promise<{ url: string; options: Record<string, unknown> }> {
    const options = (await this.connection.webSocketOptions?.()) ?? {}
    const headers = { ...(await this.transport()).headers, ...((options.headers as Record<string, string>) ?? {}), ...this.rayHeaders() }
    this.log?.record('dashboard', 'WEBSOCKET')
    return { url: `${this.connection.baseUrl}${path}`.replace(/^http/, 'ws'), options: { ...options, headers } }
  }

  private async transport(): Promise<Transport> {
    return (await this.connection.auth?.()) ?? { headers: {} }
  }

  private rayHeaders(): Record<string, string> {
    // X-Ray-Authorization passes through the API server's proxy, which keeps Authorization for itself.
    return this.rayToken ? { 'x-ray-authorization': `Bearer ${this.rayToken}` } : {}
  }

  private async send(method: string, path: string, body?: unknown, timeoutMs = GET_TIMEOUT_MS): Promise<{ method: string; path: string; status: number; body: string }> {
    this.log?.record('dashboard', method)
    const transport = await this.transport()
    try {
      const response = await request(`${this.connection.baseUrl}${path}`, {
        method: method as Dispatcher.HttpMethod,
        dispatcher: transport.dispatcher,
        headers: { ...transport.headers, ...this.rayHeaders(), accept: 'application/json', ...(body ? { 'content-type': Buffer.isBuffer(body) ? 'application/zip' : 'application/json' } : {}) },
        body: Buffer.isBuffer(body) ? body : body ? JSON.stringify(body) : undefined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs
      })
      return { method, path, status: response.statusCode, body: await response.body.text() }
    } catch (error) {
      const e = error as { code?: string; message?: string; cause?: { code?: string } }
      throw new DashboardError(method, path, 0, '', `could not reach ${this.connection.baseUrl} (${this.connection.via}): ${e.code ?? e.cause?.code ?? ''} ${e.message ?? ''}`.trim())
    }
  }

  private json<T>(response: { method: string; path: string; status: number; body: string }): T {
    if (response.status >= 200 && response.status < 300) {
      try {
        return JSON.parse(response.body) as T
      } catch {
        throw new DashboardError(response.method, response.path, response.status, response.body, `the answer is not JSON: ${excerpt(response.body)} (is ${this.connection.baseUrl} a Ray Dashboard?)`)
      }
    }
    throw new DashboardError(response.method, response.path, response.status, response.body, explainFailure(response.status, response.body, this.connection.via))
  }
}

const excerpt = (text: string): string => text.trim().replace(/\s+/g, ' ').slice(0, 300)

/** The last line of a Python traceback is the error; the rest is noise in a CI log. */
const lastLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .at(-1)
    ?.trim() ?? ''

/** HTTP status and body → what happened and what to do. The API server's proxy answers with a Kubernetes Status. */
export function explainFailure(status: number, body: string, via: string): string {
  const kube = kubeStatus(body)
  if (kube) {
    if (status === 403) {
      return `HTTP 403 from the API server: ${kube.message}. The action reaches the Dashboard through the service proxy: grant "get" and "create" on services/proxy in this namespace (see the README's Role), or set dashboard-url.`
    }
    if (status === 503 || /no endpoints available/.test(kube.message)) {
      return `HTTP ${status} from the API server: ${kube.message}. The head Pod is not ready, or the head Service has no "dashboard" port.`
    }
    return `HTTP ${status} from the API server (${via}): ${kube.message}`
  }
  if (status === 401) return `HTTP 401: ${lastLine(body)}. The Ray cluster uses token authentication: set the dashboard-token input, or let the action read the cluster's auth Secret (it needs "get" on secrets).`
  if (status === 403 && /authentication token/i.test(body)) return `HTTP 403: ${lastLine(body)}. The Ray token is wrong: check the dashboard-token input or the cluster's auth Secret.`
  if (status === 405 && /browser/.test(body)) return `HTTP 405: ${lastLine(body)} (a bug in the action: it must not look like a browser; please report it)`
  if (status === 404) return `HTTP 404: ${excerpt(body)}. Is this a Ray Dashboard (Ray 2.0 or later)? Checked at ${via}.`
  return `HTTP ${status}: ${lastLine(body) || excerpt(body) || '(empty body)'}`
}

function kubeStatus(body: string): { message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { kind?: string; message?: string }
    return parsed.kind === 'Status' ? { message: parsed.message ?? '' } : undefined
  } catch {
    return undefined
  }
}
