// The Kubernetes API as the submit and gate steps use it: RayJob create/read/delete/watch, a Secret
// read, and an authenticated route to a Service's proxy. Requests go through undici with the
// kubeconfig's credentials and TLS settings (client-node's own dispatcher), each with a timeout,
// and every failure names the call and says what to do.
import { RequestContext, Watch } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'
import { request } from 'undici'
import type { Dispatcher } from 'undici'
import type { Transport } from '../clients/http.js'
import type { RequestLog } from '../clients/request-log.js'

export const RAYJOB_GROUP_VERSION = 'ray.io/v1'
const FIELD_MANAGER = 'rayjob-action'
const REQUEST_TIMEOUT_MS = 30_000

export type KubeObject = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
}

/** A failed API call: which call, what the API server said, and what to do about it. */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly reason: string,
    readonly serverMessage: string,
    hint: string
  ) {
    // Status 0: no answer at all (the message says why), so no HTTP status to name.
    super(`${method} ${path} failed: ${status ? `HTTP ${status}${reason ? ` ${reason}` : ''}: ` : ''}${serverMessage}${hint ? `\n${hint}` : ''}`)
    this.name = 'KubeApiError'
  }
}

/** An authenticated way to a Service through the API server's proxy, for the Dashboard client. */
export interface ProxyRoute {
  baseUrl: string
  /** Credentials and connection pool for the next request. */
  auth: () => Promise<Transport>
  /** TLS and auth options in the form the `ws` WebSocket client takes. */
  webSocketOptions: () => Promise<Record<string, unknown>>
}

/** An RBAC permission: verb on group/resource[/subresource]. */
export interface Permission {
  verb: string
  group: string
  resource: string
  subresource?: string
}

export const describePermission = (p: Permission): string => `${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.group ? ` (${p.group})` : ''}`

export interface WatchEvent {
  type: string
  object: KubeObject
}

/**
 * How long a watch may be silent before it is dropped and reconnected (from the same
 * resourceVersion, by the follower). The API server sends a bookmark about once a minute on a quiet
 * watch, so this keeps one watch for its whole five minutes instead of the new connection every
 * 30 s that client-node's default makes, and a connection that died without a word is still
 * noticed. A reconnect is one request, counted against the few a minute the action allows itself.
 */
export const WATCH_SILENCE_MS = 90_000

/** Sets client-node's watch inactivity limit: a field of the Watch object that its types mark private. */
export function silentFor(watch: Watch, ms: number): Watch {
  ;(watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = ms
  return watch
}

export class KubeClient {
  /** One connection pool for the whole run: client-node makes a new one for every request. */
  private dispatcher?: Dispatcher
  private readonly credentialsSeen = new Set<string>()

  constructor(
    private readonly config: KubeConfig,
    readonly server: string,
    private readonly log?: RequestLog,
    /**
     * Told of every credential a request carries, before the request is sent: a bearer token from
     * an exec plugin, OIDC or a token file exists only once client-node has fetched it, and an
     * error body may echo it back.
     */
    private readonly onCredential?: (secret: string) => void
  ) {}

  rayJobPath(namespace: string, name?: string): string {
    return `/apis/${RAYJOB_GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/rayjobs${name ? `/${encodeURIComponent(name)}` : ''}`
  }

  async getRayJob(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.getOptional(this.rayJobPath(namespace, name))
  }

  /** Creates the RayJob, or with dryRun has the API server judge it (schema, CEL, admission) without storing it. */
  async createRayJob(namespace: string, body: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' }
    if (dryRun) query.dryRun = 'All'
    return this.call<KubeObject>('POST', this.rayJobPath(namespace), { query, body })
  }

  async deleteRayJob(namespace: string, name: string): Promise<void> {
    await this.call('DELETE', this.rayJobPath(namespace, name), { body: { propagationPolicy: 'Background' } }).catch((error: unknown) => {
      if (error instanceof KubeApiError && error.status === 404) return
      throw error
    })
  }

  async getRayCluster(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.getOptional(`/apis/${RAYJOB_GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/rayclusters/${encodeURIComponent(name)}`)
  }

  async getSecret(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.getOptional(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`)
  }

  /**
   * Watches one RayJob from a resourceVersion. Resolves once connected (or refused); events arrive on
   * `onEvent`, and `onClosed` is called once when the stream ends for any reason (the caller reconnects).
   */
  async watchRayJob(namespace: string, name: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, onClosed: (error?: unknown) => void): Promise<AbortController> {
    this.log?.record('api', 'WATCH')
    // client-node's Watch fetches the credentials itself: look at them first, so they are masked.
    await this.authenticate(this.server, 'GET')
    const query = { fieldSelector: `metadata.name=${name}`, allowWatchBookmarks: true, resourceVersion, timeoutSeconds: 300 }
    return silentFor(new Watch(this.config), WATCH_SILENCE_MS).watch(this.rayJobPath(namespace), query, (type, object) => onEvent({ type, object }), (error) => onClosed(error ?? undefined))
  }

  /** A list of objects at `path` (a collection), with its resourceVersion for a watch from there. */
  async list(path: string, query: Record<string, string> = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const list = await this.call<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>('GET', path, { query })
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' }
  }

  /** Watches the collection at `path` from a resourceVersion (see watchRayJob). */
  async watch(path: string, query: Record<string, string>, resourceVersion: string, onEvent: (e: WatchEvent) => void, onClosed: (error?: unknown) => void): Promise<AbortController> {
    this.log?.record('api', 'WATCH')
    await this.authenticate(this.server, 'GET')
    const options = { ...query, allowWatchBookmarks: true, resourceVersion, timeoutSeconds: 300 }
    return silentFor(new Watch(this.config), WATCH_SILENCE_MS).watch(path, options, (type, object) => onEvent({ type, object }), (error) => onClosed(error ?? undefined))
  }

  podsPath(namespace: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`
  }

  rayClustersPath(namespace: string): string {
    return `/apis/${RAYJOB_GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/rayclusters`
  }

  eventsPath(namespace: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`
  }

  /** The events about one object (kind and name). */
  async events(namespace: string, kind: string, name: string): Promise<KubeObject[]> {
    const { items } = await this.list(this.eventsPath(namespace), { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` })
    return items
  }

  /** The last lines of a container's log (pods/log). */
  async podLog(namespace: string, pod: string, container: string, tailLines: number, previous = false): Promise<string> {
    const url = new URL(`${this.server.replace(/\/+$/, '')}${this.podsPath(namespace)}/${encodeURIComponent(pod)}/log`)
    url.searchParams.set('container', container)
    url.searchParams.set('tailLines', String(tailLines))
    url.searchParams.set('limitBytes', String(64 * 1024))
    if (previous) url.searchParams.set('previous', 'true')
    const { headers, dispatcher } = await this.authenticate(url.toString(), 'GET')
    this.log?.record('api', 'GET')
    const path = `${url.pathname}?container=${container}`
    let response: Dispatcher.ResponseData
    try {
      response = await request(url, { method: 'GET', dispatcher, headers, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS })
    } catch (error) {
      const problem = describeNetworkError(error)
      throw new KubeApiError('GET', path, 0, '', `could not reach the API server at ${this.server}: ${problem}`, networkHint(problem))
    }
    const body = await response.body.text()
    if (response.statusCode >= 200 && response.statusCode < 300) return body
    throw errorFromStatus('GET', path, response.statusCode, body)
  }

  /**
   * Which of these permissions the credentials lack in `namespace` (SelfSubjectAccessReview, which
   * every authenticated identity may ask), so a submit can stop before it creates anything.
   */
  async missingPermissions(namespace: string, wanted: Permission[]): Promise<Permission[]> {
    const answers = await Promise.all(
      wanted.map(async (permission) => {
        const review = await this.call<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace, group: permission.group, resource: permission.resource, subresource: permission.subresource, verb: permission.verb } }
          }
        })
        return review.status?.allowed === true ? undefined : permission
      })
    )
    return answers.filter((p): p is Permission => p !== undefined)
  }

  /**
   * The base URL of `<service>:<port>` through the API server's service proxy, and the credentials
   * for it, asked for again on every request: a token from an exec plugin or OIDC (EKS: 15
   * minutes) may expire while the step waits.
   */
  async serviceProxy(namespace: string, service: string, port: string): Promise<ProxyRoute> {
    const baseUrl = `${this.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${encodeURIComponent(port)}/proxy`
    return {
      baseUrl,
      auth: () => this.authenticate(baseUrl, 'GET'),
      webSocketOptions: async () => {
        const options: Record<string, unknown> = {}
        await this.config.applyToHTTPSOptions(options)
        this.noteCredentials((options.headers ?? {}) as Record<string, unknown>)
        return options
      }
    }
  }

  /** The kubeconfig's credentials as headers (refreshed by client-node when they expire), and the run's connection pool. */
  async authenticate(url: string, method: string): Promise<Transport> {
    const context = new RequestContext(url, method as never)
    await this.config.applySecurityAuthentication(context)
    // client-node's new pool has no connection yet: nothing to close when it is not taken.
    this.dispatcher ??= context.getDispatcher() as Dispatcher | undefined
    const headers = context.getHeaders()
    this.noteCredentials(headers)
    return { headers, dispatcher: this.dispatcher }
  }

  /** Passes each new Authorization value (and the token or user:password inside it) to onCredential. */
  private noteCredentials(headers: Record<string, unknown>): void {
    if (!this.onCredential) return
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() !== 'authorization' || typeof value !== 'string' || this.credentialsSeen.has(value)) continue
      this.credentialsSeen.add(value)
      const secret = value.replace(/^\s*(Bearer|Basic)\s+/i, '')
      this.onCredential(value)
      if (secret && secret !== value) this.onCredential(secret)
      if (/^Basic\s/i.test(value)) {
        const decoded = Buffer.from(secret, 'base64').toString('utf8')
        const password = decoded.slice(decoded.indexOf(':') + 1)
        if (password) this.onCredential(password)
      }
    }
  }

  /** Closes the kept-alive connections so the process can end as soon as the work is done. */
  async close(): Promise<void> {
    await this.dispatcher?.close().catch(() => {})
  }

  private async getOptional(path: string): Promise<KubeObject | undefined> {
    try {
      return await this.call<KubeObject>('GET', path)
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404 && error.reason === 'NotFound' && !/could not find the requested resource/.test(error.serverMessage)) {
        return undefined
      }
      throw error
    }
  }

  async call<T>(method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<T> {
    const url = new URL(this.server.replace(/\/+$/, '') + path)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
    const { headers, dispatcher } = await this.authenticate(url.toString(), method)
    this.log?.record('api', method)
    let response: Dispatcher.ResponseData
    try {
      response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        dispatcher,
        headers: { ...headers, accept: 'application/json', ...(options.body ? { 'content-type': 'application/json' } : {}) },
        body: options.body ? JSON.stringify(options.body) : undefined,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS
      })
    } catch (error) {
      const problem = describeNetworkError(error)
      throw new KubeApiError(method, path, 0, '', `could not reach the API server at ${this.server}: ${problem}`, networkHint(problem))
    }
    const text = await response.body.text()
    if (response.statusCode >= 200 && response.statusCode < 300) return (text ? JSON.parse(text) : {}) as T
    throw errorFromStatus(method, path, response.statusCode, text)
  }
}

/** What to do about a request that got no answer: a certificate the runner does not trust, or no way to the server. */
export function networkHint(problem: string): string {
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/.test(problem)) {
    return "The API server's TLS certificate is not trusted, and the action verifies it: put the cluster's CA in the kubeconfig (certificate-authority-data) and check that the server address matches the certificate. insecure-skip-tls-verify: true turns the check off; use it only for throwaway clusters."
  }
  return "Check the kubeconfig's server address and that the runner can reach it."
}

function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  return [e.code ?? e.cause?.code, e.message ?? e.cause?.message].filter(Boolean).join(' ')
}

/** Turns the API server's Status body into an error a user can act on. */
export function errorFromStatus(method: string, path: string, status: number, body: string): KubeApiError {
  let reason = ''
  let message = body.trim().slice(0, 500) || '(empty body)'
  let kind = ''
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string; details?: { kind?: string } }
    reason = parsed.reason ?? ''
    message = parsed.message ?? message
    kind = parsed.details?.kind ?? ''
  } catch {
    // not a Status object: keep the text
  }
  return new KubeApiError(method, path, status, reason, message, hintFor(status, reason, message, path, kind))
}

function hintFor(status: number, reason: string, message: string, path: string, kind: string): string {
  if (status === 401) return 'The API server did not accept the credentials: the token or certificate in the kubeconfig is wrong or expired.'
  if (status === 403) {
    return `The credentials lack a permission (the message above names the verb and resource): grant it in the Role bound to this identity; the README lists the Role the action needs.`
  }
  if (status === 404 && /could not find the requested resource/.test(message) && path.includes('/apis/ray.io/')) {
    return 'KubeRay is not installed in this cluster: the API server does not serve ray.io/v1 RayJobs. Install the KubeRay operator and its CRDs (helm install kuberay-operator kuberay/kuberay-operator).'
  }
  if (status === 404 && kind === 'namespaces') return 'The namespace does not exist: create it, or set the namespace input to an existing one.'
  if (status === 409 && reason === 'AlreadyExists') return 'A RayJob with this name already exists: set name-suffix: run so every run gets its own name, or delete the old RayJob.'
  if (status === 400 && /strict decoding error|unknown field/.test(message)) {
    return "The cluster's RayJob CRD does not have this field, so the API server refuses it (strict field validation) instead of silently dropping it: the cluster runs an older KubeRay than the kuberay-version the lint used. Set kuberay-version to the cluster's KubeRay release, or remove the field. Nothing was created."
  }
  if (status === 422) return 'The cluster\'s own RayJob CRD rejected the manifest (it may be a different KubeRay version than the one linted): fix the fields named above.'
  if (status === 429 || status >= 500) return 'The API server is overloaded or failing; try again later.'
  return ''
}
