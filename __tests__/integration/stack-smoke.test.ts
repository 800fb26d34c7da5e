// Smoke test of the test stack itself (test/stack/): RayJobs in every submission mode, and with
// clusterSelector, run through the real KubeRay operator on the real kube-apiserver and reach the
// real Ray head; a succeeding entrypoint ends Complete/SUCCEEDED and a failing one ends Failed.
// It also checks the properties other integration tests rely on: TLS with the stack's CA, the
// stamped version, RBAC for token users, the service proxy to the dashboard, namespace deletion.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ApiException, BatchV1Api, CoreV1Api, CustomObjectsApi, VersionApi } from '@kubernetes/client-node'

import {
  closeDashboardClients,
  createRayObject,
  createTestNamespace,
  dashboardRequest,
  diagnose,
  headServiceOf,
  kubeConfigFor,
  serviceAccountWithRole,
  sleep,
  stackInfo,
  TERMINAL_DEPLOYMENT_STATUSES,
  waitForRayClusterReady,
  waitForRayObject,
  type RayJobObject,
  type TestNamespace
} from './stack.js'

// Each wait (a RayCluster to become ready, a RayJob to reach a terminal state) gets this long; the
// RayJobs of the file run concurrently, so in practice all of them finish within about a minute.
const RAYJOB_TIMEOUT_MS = 300_000
// A test awaits at most two such waits in a row (clusterSelector: the cluster, then the RayJob).
const TEST_TIMEOUT_MS = 2 * RAYJOB_TIMEOUT_MS + 30_000
const OK_ENTRYPOINT = `python -c "print('ok')"`
const FAIL_ENTRYPOINT = 'python -c "import sys; sys.exit(1)"'
const SHARED_CLUSTER = 'shared'

type Variant = 'K8sJobMode' | 'HTTPMode' | 'InteractiveMode' | 'SidecarMode' | 'clusterSelector'
const VARIANTS: Variant[] = ['K8sJobMode', 'HTTPMode', 'InteractiveMode', 'SidecarMode', 'clusterSelector']

function rayClusterSpec(): object {
  const { rayVersion } = stackInfo()
  return {
    rayVersion,
    headGroupSpec: {
      rayStartParams: {},
      // The image is never pulled: the stand-in maps every head Pod to the stack's real Ray head.
      template: { spec: { containers: [{ name: 'ray-head', image: `rayproject/ray:${rayVersion}` }] } }
    }
  }
}

function rayJobManifest(name: string, namespace: string, variant: Variant, entrypoint: string): object {
  const spec: Record<string, unknown> = { entrypoint }
  if (variant === 'clusterSelector') {
    spec.clusterSelector = { 'ray.io/cluster': SHARED_CLUSTER }
  } else {
    spec.submissionMode = variant
    spec.rayClusterSpec = rayClusterSpec()
  }
  // InteractiveMode: the user (here: the test) submits with this ID through the Dashboard API. Every
  // head Pod maps to the stack's one Ray head, which remembers submission IDs for its lifetime: the
  // namespace (random per run) keeps the ID unique.
  if (variant === 'InteractiveMode') spec.jobId = interactiveSubmissionId(name, namespace)
  return { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name }, spec }
}

function interactiveSubmissionId(name: string, namespace: string): string {
  return `${namespace}-${name}`
}

interface Outcome {
  job?: RayJobObject
  error?: unknown
}

describe('test stack smoke test', () => {
  let ns: TestNamespace
  const outcomes = new Map<string, Promise<Outcome>>()

  const jobName = (variant: Variant, ok: boolean): string => `${variant.toLowerCase()}-${ok ? 'ok' : 'fail'}`

  // InteractiveMode: once the cluster is ready the operator sets status.dashboardURL and waits
  // (Waiting) for spec.jobId; as spec.jobId is set from the start, it moves on to Running at once and
  // polls the dashboard for that submission ID, which the test now submits.
  async function runInteractive(name: string): Promise<RayJobObject> {
    const waiting = await waitForRayObject(
      ns.kc,
      'rayjobs',
      ns.name,
      name,
      'have a dashboardURL and wait for its submission (InteractiveMode)',
      (j) =>
        (Boolean(j.status?.dashboardURL) && ['Waiting', 'Running'].includes(j.status?.jobDeploymentStatus ?? '')) ||
        TERMINAL_DEPLOYMENT_STATUSES.includes(j.status?.jobDeploymentStatus ?? ''),
      RAYJOB_TIMEOUT_MS
    )
    if (TERMINAL_DEPLOYMENT_STATUSES.includes(waiting.status?.jobDeploymentStatus ?? '')) return waiting
    const submissionId = waiting.spec.jobId as string
    const res = await dashboardRequest(
      { namespace: ns.name, service: headServiceOf(waiting) },
      'POST',
      '/api/jobs/',
      { entrypoint: waiting.spec.entrypoint, submission_id: submissionId }
    )
    if (res.status !== 200) {
      throw new Error(`POST /api/jobs/ through the service proxy for ${ns.name}/${name}: HTTP ${res.status}: ${res.text}`)
    }
    const accepted = res.json<{ submission_id: string }>().submission_id
    if (accepted !== submissionId) throw new Error(`POST /api/jobs/ accepted submission_id ${accepted}, sent ${submissionId}`)
    return waitTerminal(name)
  }

  function waitTerminal(name: string): Promise<RayJobObject> {
    return waitForRayObject(
      ns.kc,
      'rayjobs',
      ns.name,
      name,
      'reach a terminal jobDeploymentStatus',
      (j) => TERMINAL_DEPLOYMENT_STATUSES.includes(j.status?.jobDeploymentStatus ?? ''),
      RAYJOB_TIMEOUT_MS
    )
  }

  beforeAll(async () => {
    ns = await createTestNamespace('stack-smoke')
    // clusterSelector needs an existing, ready RayCluster.
    await createRayObject(ns.kc, 'rayclusters', ns.name, {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: SHARED_CLUSTER },
      spec: rayClusterSpec()
    })
    // Start every RayJob now so they run concurrently; each test awaits its own outcome.
    for (const variant of VARIANTS) {
      for (const ok of [true, false]) {
        const name = jobName(variant, ok)
        const run = async (): Promise<RayJobObject> => {
          if (variant === 'clusterSelector') {
            await waitForRayClusterReady(ns.kc, ns.name, SHARED_CLUSTER, RAYJOB_TIMEOUT_MS)
          }
          await createRayObject(ns.kc, 'rayjobs', ns.name, rayJobManifest(name, ns.name, variant, ok ? OK_ENTRYPOINT : FAIL_ENTRYPOINT))
          return variant === 'InteractiveMode' ? runInteractive(name) : waitTerminal(name)
        }
        outcomes.set(name, run().then((job) => ({ job }), (error: unknown) => ({ error })))
      }
    }
  }, 60_000)

  afterAll(async () => {
    // Let every RayJob finish before the namespace goes, so a failure above is not hidden by cleanup.
    await Promise.all(outcomes.values())
    await closeDashboardClients()
    await ns?.dispose()
  }, TEST_TIMEOUT_MS + 180_000)

  async function outcome(name: string): Promise<RayJobObject> {
    const o = await outcomes.get(name)
    if (!o) throw new Error(`no RayJob ${name} was started`)
    if (o.error) throw o.error
    return o.job as RayJobObject
  }

  function explain(job: RayJobObject): string {
    return `RayJob ${ns.name}/${job.metadata.name} status: ${JSON.stringify(job.status, null, 1)}\n${diagnose(ns.name, job.metadata.name)}`
  }

  /** The Ray job as the real Ray head reports it, read through the API server's service proxy. */
  async function rayJobOnHead(job: RayJobObject): Promise<{ status: string; message: string; logs: string }> {
    const via = { namespace: ns.name, service: headServiceOf(job) }
    const info = await dashboardRequest(via, 'GET', `/api/jobs/${job.status?.jobId}`)
    if (info.status !== 200) throw new Error(`GET /api/jobs/${job.status?.jobId}: HTTP ${info.status}: ${info.text}\n${explain(job)}`)
    const logs = await dashboardRequest(via, 'GET', `/api/jobs/${job.status?.jobId}/logs`)
    const { status, message } = info.json<{ status: string; message: string }>()
    return { status, message, logs: logs.json<{ logs: string }>().logs }
  }

  it('serves the stamped Kubernetes version over TLS verified with the stack CA', async () => {
    const v = await kubeConfigFor().makeApiClient(VersionApi).getCode()
    expect(v.gitVersion).toBe(`v${stackInfo().k8sVersion}`)
  })

  it('enforces RBAC for token users: no rights gives 403, a Role on rayjobs allows listing them', async () => {
    const nobody = await serviceAccountWithRole(ns, 'nobody', [])
    const reader = await serviceAccountWithRole(ns, 'rayjob-reader', [
      { apiGroups: ['ray.io'], resources: ['rayjobs'], verbs: ['get', 'list', 'watch'] }
    ])
    const list = (kc: typeof nobody.kc) =>
      kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: ns.name, plural: 'rayjobs' })
    const denied = await list(nobody.kc).then(() => undefined, (e: unknown) => e)
    expect(denied).toBeInstanceOf(ApiException)
    expect((denied as ApiException<unknown>).code).toBe(403)
    await expect(list(reader.kc)).resolves.toHaveProperty('items')
    // ...and nothing beyond the Role: the reader cannot read Secrets.
    const secrets = await reader.kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: ns.name }).then(() => undefined, (e: unknown) => e)
    expect((secrets as ApiException<unknown>).code).toBe(403)
  })

  it('reaches the real Ray head through the API server service proxy of an existing RayCluster', async () => {
    await waitForRayClusterReady(ns.kc, ns.name, SHARED_CLUSTER, RAYJOB_TIMEOUT_MS)
    const res = await dashboardRequest({ namespace: ns.name, service: `${SHARED_CLUSTER}-head-svc` }, 'GET', '/api/version')
    expect(res.status).toBe(200)
    expect(res.json<{ ray_version: string }>().ray_version).toBe(stackInfo().rayVersion)
  }, RAYJOB_TIMEOUT_MS + 10_000)

  it("runs a Pod's command with its env, as a kubelet would, and reports the exit code", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api)
    // Exits 3 only if the plain env var, the fieldRef env var and $(VAR) expansion all arrived.
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'env-and-exit' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'main',
              image: 'busybox',
              command: ['/bin/sh', '-c', 'test "$GREETING" = hello && test "$POD" = env-and-exit && test "$(GREETING)" = hello && exit 3; exit 4'],
              env: [
                { name: 'GREETING', value: 'hello' },
                { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }
              ]
            }
          ]
        }
      }
    })
    const deadline = Date.now() + 60_000
    let pod = await core.readNamespacedPod({ namespace: ns.name, name: 'env-and-exit' })
    while (!['Succeeded', 'Failed'].includes(pod.status?.phase ?? '') && Date.now() < deadline) {
      await sleep(500)
      pod = await core.readNamespacedPod({ namespace: ns.name, name: 'env-and-exit' })
    }
    const why = `pod status: ${JSON.stringify(pod.status)}\n${diagnose(ns.name, 'env-and-exit')}`
    expect({ phase: pod.status?.phase, exitCode: pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, why }).toEqual({
      phase: 'Failed',
      exitCode: 3,
      why
    })
  }, 70_000)

  describe.each(VARIANTS)('%s', (variant) => {
    it(`runs python -c "print('ok')" to Complete/SUCCEEDED on the real Ray head`, async () => {
      const job = await outcome(jobName(variant, true))
      const why = explain(job)
      expect({ deployment: job.status?.jobDeploymentStatus, job: job.status?.jobStatus, why }).toEqual({
        deployment: 'Complete',
        job: 'SUCCEEDED',
        why
      })
      const onHead = await rayJobOnHead(job)
      expect(onHead.status).toBe('SUCCEEDED')
      expect(onHead.logs).toContain('ok')
      if (variant === 'InteractiveMode') expect(job.status?.jobId).toBe(interactiveSubmissionId(job.metadata.name, ns.name))
      if (variant === 'clusterSelector') expect(job.status?.rayClusterName).toBe(SHARED_CLUSTER)
      if (variant === 'K8sJobMode' || variant === 'clusterSelector') {
        // The stand-in ran the submitter Pod's command; kube-controller-manager's Job controller saw it exit 0.
        const k8sJob = await ns.kc.makeApiClient(BatchV1Api).readNamespacedJob({ namespace: ns.name, name: job.metadata.name })
        expect(k8sJob.status?.succeeded).toBe(1)
        expect(k8sJob.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True')
      }
      if (variant === 'SidecarMode') {
        const submitter = await sidecarStatus(job)
        expect(submitter?.state?.terminated?.exitCode).toBe(0)
      }
    }, TEST_TIMEOUT_MS)

    it('runs a failing entrypoint (exit 1) to Failed', async () => {
      const job = await outcome(jobName(variant, false))
      const why = explain(job)
      expect({ deployment: job.status?.jobDeploymentStatus, why }).toEqual({ deployment: 'Failed', why })
      const onHead = await rayJobOnHead(job)
      expect(onHead.status).toBe('FAILED')
      expect(onHead.message).toContain('exit code 1')
      if (variant === 'SidecarMode') {
        // `ray job submit` in the sidecar exits 1 when the Ray job fails; the operator may see that
        // exit before it reads FAILED from the dashboard (then reason SubmissionFailed).
        expect(['AppFailed', 'SubmissionFailed']).toContain(job.status?.reason)
        expect((await sidecarStatus(job))?.state?.terminated?.exitCode).toBe(1)
      } else {
        expect(job.status?.jobStatus).toBe('FAILED')
        expect(job.status?.reason).toBe('AppFailed')
      }
    }, TEST_TIMEOUT_MS)
  })

  async function sidecarStatus(job: RayJobObject) {
    const pods = await ns.kc.makeApiClient(CoreV1Api).listNamespacedPod({
      namespace: ns.name,
      labelSelector: `ray.io/cluster=${job.status?.rayClusterName},ray.io/node-type=head`
    })
    expect(pods.items).toHaveLength(1)
    return pods.items[0].status?.containerStatuses?.find((c) => c.name === 'ray-job-submitter')
  }
})
