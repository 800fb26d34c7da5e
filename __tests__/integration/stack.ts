// What integration tests need from the real test stack (test/stack/, see test/stack/README.md):
// the stack's connection info, a fresh namespace per test file, a least-privilege ServiceAccount
// token, requests to the real Ray Dashboard (directly or through the API server's service proxy),
// RayJob polling, and stack log lines for failure messages.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule
} from '@kubernetes/client-node'
import { Agent, request } from 'undici'

/** Where up.sh keeps its state (RAYJOB_STACK_DIR, as in test/stack/lib.sh). */
export const STACK_DIR = process.env.RAYJOB_STACK_DIR ?? '/tmp/rayjob-action-stack'

/** The contents of $RAYJOB_STACK_DIR/stack.json, written by test/stack/up.sh. */
export interface StackInfo {
  stateDir: string
  apiServer: string
  caFile: string
  adminToken: string
  /** kubeconfig for the stack's admin user (system:masters); also for trying the action by hand. */
  kubeconfig: string
  context: string
  /** The one real Ray head every KubeRay head Pod maps to, in its own network namespace. */
  rayHeadIp: string
  /** The Ray Dashboard reached directly over the stack's veth, e.g. http://10.77.0.2:8265. */
  dashboardUrl: string
  /** A second Ray head with RAY_AUTH_MODE=token, when up.sh ran with --with-token-head. */
  tokenHead: { ip: string; dashboardUrl: string; token: string } | null
  k8sVersion: string
  etcdVersion: string
  kuberayVersion: string
  rayVersion: string
  rayVenv: string
  rayNumCpus: number
  logsDir: string
  pids: Record<string, number>
}

let cachedInfo: StackInfo | undefined

/** Reads stack.json; fails with what to run when the stack is not up. */
export function stackInfo(): StackInfo {
  if (cachedInfo) return cachedInfo
  const file = join(STACK_DIR, 'stack.json')
  if (!existsSync(file)) {
    throw new Error(
      `${file} does not exist: the test stack is not running. Start it with \`npm run stack:up\` ` +
        '(or let the integration suite start it) and see test/stack/README.md.'
    )
  }
  cachedInfo = JSON.parse(readFileSync(file, 'utf8')) as StackInfo
  return cachedInfo
}

/** A KubeConfig for the stack's API server with the given bearer token (default: the admin token). */
export function kubeConfigFor(token?: string, user = 'rayjob-stack-admin'): KubeConfig {
  const info = stackInfo()
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'rayjob-stack', server: info.apiServer, caFile: info.caFile, skipTLSVerify: false }],
    users: [{ name: user, token: token ?? info.adminToken }],
    contexts: [{ name: 'rayjob-stack', cluster: 'rayjob-stack', user }],
    currentContext: 'rayjob-stack'
  })
  return kc
}

/**
 * Writes a kubeconfig file (CA embedded) for a token, e.g. to run the action as a subprocess;
 * `server` may be a proxy in front of the API server (the fault tests' Toxiproxy).
 */
export function writeKubeconfig(path: string, token: string, user: string, server = stackInfo().apiServer): string {
  const info = stackInfo()
  const ca = readFileSync(info.caFile).toString('base64')
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: rayjob-stack',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${ca}`,
      'users:',
      `- name: ${user}`,
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: rayjob-stack',
      '  context:',
      '    cluster: rayjob-stack',
      `    user: ${user}`,
      'current-context: rayjob-stack',
      ''
    ].join('\n'),
    { mode: 0o600 }
  )
  return path
}

const RAY_GROUP = 'ray.io'
const RAY_VERSION_V1 = 'v1'

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404
}

/** A namespace of its own for one test file; dispose() deletes it and waits until it is gone. */
export interface TestNamespace {
  name: string
  kc: KubeConfig
  /** Temp dir for files of this namespace (e.g. kubeconfigs); removed by dispose(). */
  tmpDir: string
  dispose(): Promise<void>
}

function randomSuffix(): string {
  return randomBytes(4).toString('hex').slice(0, 5)
}

/**
 * Creates a fresh namespace named `<prefix>-<5 random hex>`. Deleting it at the end removes every
 * object in it (kube-controller-manager's namespace controller runs in the stack; the KubeRay
 * operator removes its RayJob finalizers), so tests need not clean up object by object.
 */
export async function createTestNamespace(prefix: string): Promise<TestNamespace> {
  const kc = kubeConfigFor()
  const core = kc.makeApiClient(CoreV1Api)
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 50)}-${randomSuffix()}`
  await core.createNamespace({
    body: { metadata: { name, labels: { 'rayjob-action.test/suite': 'integration' } } }
  })
  const tmpDir = mkdtempSync(join(tmpdir(), `rayjob-test-${name}-`))
  return {
    name,
    kc,
    tmpDir,
    async dispose(): Promise<void> {
      rmSync(tmpDir, { recursive: true, force: true })
      if (process.env.RAYJOB_STACK_KEEP_NAMESPACES === '1') return
      await deleteNamespaceAndWait(kc, name, 120_000)
    }
  }
}

async function deleteNamespaceAndWait(kc: KubeConfig, name: string, timeoutMs: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api)
  try {
    await core.deleteNamespace({ name })
  } catch (err) {
    if (isNotFound(err)) return
    throw err
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let ns
    try {
      ns = await core.readNamespace({ name })
    } catch (err) {
      if (isNotFound(err)) return
      throw err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `namespace ${name} was still ${ns.status?.phase ?? 'present'} ${timeoutMs / 1000} s after deletion; ` +
          `conditions: ${JSON.stringify(ns.status?.conditions ?? [])}. Is kube-controller-manager (namespace ` +
          `controller) running? See ${join(stackInfo().logsDir, 'kube-controller-manager.log')}`
      )
    }
    await sleep(500)
  }
}

/** A ServiceAccount with a token whose only rights are the given Role rules in one namespace. */
export interface ScopedIdentity {
  /** The Kubernetes user name the API server sees: system:serviceaccount:<ns>:<name>. */
  user: string
  token: string
  kc: KubeConfig
  /** kubeconfig file with this token (inside the namespace's tmpDir). */
  kubeconfigPath: string
}

/**
 * Creates ServiceAccount `name`, a Role `name` with `rules` and a RoleBinding in `ns`, and requests a
 * 1-hour token for the ServiceAccount (TokenRequest API). Pass `rules: []` for an identity with no
 * rights at all (every request is denied with 403).
 */
export async function serviceAccountWithRole(
  ns: TestNamespace,
  name: string,
  rules: V1PolicyRule[]
): Promise<ScopedIdentity> {
  const core = ns.kc.makeApiClient(CoreV1Api)
  const rbac = ns.kc.makeApiClient(RbacAuthorizationV1Api)
  await core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name } } })
  await rbac.createNamespacedRole({ namespace: ns.name, body: { metadata: { name }, rules } })
  await rbac.createNamespacedRoleBinding({
    namespace: ns.name,
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns.name }]
    }
  })
  const tr = await core.createNamespacedServiceAccountToken({
    name,
    namespace: ns.name,
    body: { spec: { audiences: [], expirationSeconds: 3600 } }
  })
  const token = tr.status?.token
  if (!token) throw new Error(`TokenRequest for serviceaccount ${ns.name}/${name} returned no token`)
  const user = `system:serviceaccount:${ns.name}:${name}`
  const kubeconfigPath = join(ns.tmpDir, `kubeconfig-${name}`)
  writeKubeconfig(kubeconfigPath, token, user)
  return { user, token, kc: kubeConfigFor(token, user), kubeconfigPath }
}

// ------------------------------------------------------------------------------------------------
// Ray Dashboard

let apiAgent: Agent | undefined
function apiServerAgent(): Agent {
  apiAgent ??= new Agent({ connect: { ca: readFileSync(stackInfo().caFile) } })
  return apiAgent
}

/** Closes the HTTPS agent used for service-proxy requests (call in afterAll if you used it). */
export async function closeDashboardClients(): Promise<void> {
  const a = apiAgent
  apiAgent = undefined
  await a?.close()
}

/** The API server's service-proxy base URL for a head Service's port named `dashboard`. */
export function serviceProxyBase(namespace: string, service: string): string {
  return `${stackInfo().apiServer}/api/v1/namespaces/${namespace}/services/${service}:dashboard/proxy`
}

export interface DashboardResponse {
  status: number
  text: string
  /** The body parsed as JSON; throws naming the request when it is not JSON. */
  json<T = unknown>(): T
}

/**
 * One request to the real Ray Dashboard. `via` picks the route: `{ namespace, service }` goes through
 * the API server's service proxy (admin token), `'direct'` to the Ray head's address. Uses undici's
 * request(), not fetch(): Ray rejects POST/DELETE from fetch() as browser traffic (Sec-Fetch-Mode).
 * Ray's job routes need the trailing slash: `/api/jobs/`.
 */
export async function dashboardRequest(
  via: { namespace: string; service: string } | 'direct',
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown
): Promise<DashboardResponse> {
  const info = stackInfo()
  const url = via === 'direct' ? `${info.dashboardUrl}${path}` : `${serviceProxyBase(via.namespace, via.service)}${path}`
  const headers: Record<string, string> = { accept: 'application/json' }
  if (via !== 'direct') headers.authorization = `Bearer ${info.adminToken}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await request(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: via === 'direct' ? undefined : apiServerAgent(),
    headersTimeout: 30_000,
    bodyTimeout: 30_000
  })
  const text = await res.body.text()
  return {
    status: res.statusCode,
    text,
    json<T>(): T {
      try {
        return JSON.parse(text) as T
      } catch {
        throw new Error(`${method} ${url}: HTTP ${res.statusCode}, body is not JSON: ${text.slice(0, 500)}`)
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// KubeRay objects

// The RayJob/RayCluster fields the tests read (ray.io/v1; RayJob status: KubeRay's RayJobStatus).
export interface RayJobObject {
  metadata: { name: string; namespace: string; uid?: string }
  spec: Record<string, unknown>
  status?: {
    /** RayCluster: `ready` once its head Pod is Running and Ready. */
    state?: string
    jobId?: string
    rayClusterName?: string
    dashboardURL?: string
    jobStatus?: string
    jobDeploymentStatus?: string
    reason?: string
    message?: string
    /** RayJob: failed attempts (backoffLimit). */
    failed?: number
    rayClusterStatus?: { state?: string; head?: { serviceName?: string; podIP?: string } }
  }
}

export const TERMINAL_DEPLOYMENT_STATUSES = ['Complete', 'Failed', 'ValidationFailed']

export async function getRayObject(
  kc: KubeConfig,
  plural: 'rayjobs' | 'rayclusters',
  namespace: string,
  name: string
): Promise<RayJobObject> {
  const api = kc.makeApiClient(CustomObjectsApi)
  return (await api.getNamespacedCustomObject({
    group: RAY_GROUP,
    version: RAY_VERSION_V1,
    namespace,
    plural,
    name
  })) as RayJobObject
}

/** The object, or undefined when it does not exist (any other error is thrown). */
export async function findRayObject(kc: KubeConfig, plural: 'rayjobs' | 'rayclusters', namespace: string, name: string): Promise<RayJobObject | undefined> {
  try {
    return await getRayObject(kc, plural, namespace, name)
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

/** Polls `check` every half second until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    await sleep(500)
  }
}

export async function createRayObject(
  kc: KubeConfig,
  plural: 'rayjobs' | 'rayclusters',
  namespace: string,
  body: object
): Promise<RayJobObject> {
  const api = kc.makeApiClient(CustomObjectsApi)
  return (await api.createNamespacedCustomObject({
    group: RAY_GROUP,
    version: RAY_VERSION_V1,
    namespace,
    plural,
    body
  })) as RayJobObject
}

/**
 * Polls an object of `plural` every `intervalMs` until `done(obj)` is true; on timeout throws with
 * `what`, the last status seen and `diagnose()`'s text (e.g. stack log lines).
 */
export async function waitForRayObject(
  kc: KubeConfig,
  plural: 'rayjobs' | 'rayclusters',
  namespace: string,
  name: string,
  what: string,
  done: (obj: RayJobObject) => boolean,
  timeoutMs: number,
  intervalMs = 1000
): Promise<RayJobObject> {
  const deadline = Date.now() + timeoutMs
  let last: RayJobObject | undefined
  for (;;) {
    try {
      last = await getRayObject(kc, plural, namespace, name)
      if (done(last)) return last
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${plural} ${namespace}/${name} to ${what}; ` +
          `last status: ${JSON.stringify(last?.status ?? null)}\n${diagnose(namespace, name)}`
      )
    }
    await sleep(intervalMs)
  }
}

/** Waits until RayCluster `name` reports status.state `ready` (its head Pod Running and Ready). */
export function waitForRayClusterReady(kc: KubeConfig, namespace: string, name: string, timeoutMs: number): Promise<RayJobObject> {
  return waitForRayObject(kc, 'rayclusters', namespace, name, 'become ready', (c) => c.status?.state === 'ready', timeoutMs)
}

/** The name of a RayJob's head Service, from status.dashboardURL (`<svc>.<ns>.svc.<domain>:<port>`). */
export function headServiceOf(job: RayJobObject): string {
  const url = job.status?.dashboardURL
  if (!url) throw new Error(`RayJob ${job.metadata.namespace}/${job.metadata.name} has no status.dashboardURL yet`)
  return url.split('.')[0]
}

// ------------------------------------------------------------------------------------------------
// Diagnostics

/** The last `max` lines of a stack component's log (etcd, kube-apiserver, ray-operator, standin, …) containing every needle. */
export function stackLogLines(component: string, needles: string[], max = 40): string[] {
  const file = join(stackInfo().logsDir, `${component}.log`)
  if (!existsSync(file)) return [`(no ${file})`]
  const lines = readFileSync(file, 'utf8').split('\n')
  return lines.filter((l) => needles.every((n) => l.includes(n))).slice(-max)
}

/** Operator and stand-in log lines about one object, for failure messages. */
export function diagnose(namespace: string, name: string): string {
  const part = (c: string): string =>
    `--- ${c}.log lines mentioning ${namespace} and ${name}:\n${stackLogLines(c, [namespace, name]).join('\n')}`
  return [part('ray-operator'), part('standin')].join('\n')
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/**
 * A RayJob manifest with a head-only cluster (every head Pod of the stack maps to the one real Ray
 * head). `extraSpec` and `extraMetadata` are YAML lines indented for their place.
 */
export function rayJobManifest(name: string, entrypoint: string, extraSpec = '', extraMetadata = ''): string {
  return `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: ${name}
${extraMetadata}spec:
  entrypoint: ${JSON.stringify(entrypoint)}
${extraSpec}  rayClusterSpec:
    rayVersion: "2.58.0"
    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray:2.58.0
`
}

/** An HTTPMode RayJob whose driver prints "<marker> start", sleeps `seconds`, then "<marker> done" (the marker finds its Ray jobs). */
export function sleeperManifest(name: string, marker: string, seconds: number): string {
  const entrypoint = `python -c "import time; print('${marker} start', flush=True); time.sleep(${seconds}); print('${marker} done')"`
  return rayJobManifest(name, entrypoint, '  submissionMode: HTTPMode\n')
}
