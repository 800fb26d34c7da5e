// The Dashboard client against the real Ray head: the behaviours the gate relies on.
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { CoreV1Api } from '@kubernetes/client-node'
import { DashboardClient, DashboardError } from '../../src/dashboard/client.js'
import { tailLogs } from '../../src/dashboard/logs-tail.js'
import { RequestLog } from '../../src/clients/request-log.js'
import { KubeClient } from '../../src/kube/client.js'
import { createTestNamespace, kubeConfigFor, sleep, stackInfo } from './stack.js'

jest.setTimeout(120_000)

const log = new RequestLog()
const client = () => new DashboardClient({ baseUrl: stackInfo().dashboardUrl, via: 'dashboard-url' }, undefined, log)
const id = `client-test-${Date.now().toString(36)}`
afterAll(async () => {
  await client().stopJob(id).catch(() => {})
})

describe('the Ray Dashboard client', () => {
  it('submits once; a second submission with the same ID counts as already submitted', async () => {
    const job = { entrypoint: `python -c "print('line 1'); print('line 2')"`, submission_id: id }
    await expect(client().submitJob(job)).resolves.toBe('submitted')
    await expect(client().submitJob(job)).resolves.toBe('already-submitted')
  })

  it('reads the job by ID and finds it among the SUBMISSION entries of the list', async () => {
    expect(await client().getJob(id)).toMatchObject({ submission_id: id, type: 'SUBMISSION' })
    expect((await client().listJobs()).filter((j) => j.submission_id === id && j.type === 'SUBMISSION')).toHaveLength(1)
    expect(await client().getJob('no-such-job')).toBeUndefined()
  })

  it('follows the driver log over the WebSocket tail until Ray closes it at the end of the job', async () => {
    let text = ''
    const end = await tailLogs(client(), id, (t) => (text += t), new AbortController().signal)
    expect(end).toEqual({ complete: true })
    expect(text).toMatch(/line 1\nline 2/)
    expect((await client().getJob(id))?.status).toBe('SUCCEEDED')
  })

  it('explains a refused request: an unknown job cannot be stopped', async () => {
    const error = await client().stopJob('no-such-job').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DashboardError)
    expect((error as Error).message).toMatch(/^POST \/api\/jobs\/no-such-job\/stop on the Ray Dashboard failed: HTTP 404: .*does not exist/)
  })

  it('tries a submission again while the head Service has no endpoint yet, and submits once it has', async () => {
    // What the operator can show for a moment: the cluster is ready, but the API server's proxy
    // answers 503 "no endpoints available" until the endpoints controller lists the head Pod.
    const ns = await createTestNamespace('late-endpoints')
    try {
      const core = ns.kc.makeApiClient(CoreV1Api)
      const service = 'late-head-svc'
      const selector = { 'rayjob-action.test/late': 'head' }
      await core.createNamespacedService({
        namespace: ns.name,
        body: { metadata: { name: service }, spec: { selector, ports: [{ name: 'dashboard', port: 8265, targetPort: 8265 }] } }
      })
      const route = await new KubeClient(kubeConfigFor(), stackInfo().apiServer).serviceProxy(ns.name, service, '8265')
      const proxied = new DashboardClient({ ...route, via: 'the service proxy' })
      // Without time to retry, the answer is an error that says what it means.
      const refused = await proxied.submitJob({ entrypoint: 'echo late', submission_id: `${id}-never` }).catch((e: unknown) => e)
      expect((refused as Error).message).toMatch(/^POST \/api\/jobs\/ on the Ray Dashboard failed: HTTP 503 .*no endpoints available.*The head Pod is not ready/)

      const lateId = `${id}-late`
      const retries: string[] = []
      const submitted = proxied.submitJob({ entrypoint: 'echo late', submission_id: lateId }, { until: Date.now() + 60_000, onRetry: (m) => retries.push(m) })
      await sleep(2500)
      // The head Pod appears; the stack's kubelet stand-in starts it with the Ray head's address and lists it in the Service's endpoints.
      await core.createNamespacedPod({
        namespace: ns.name,
        body: { metadata: { name: 'late-head', labels: { ...selector, 'ray.io/node-type': 'head' } }, spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.58.0', ports: [{ name: 'dashboard', containerPort: 8265 }] }] } }
      })
      await expect(submitted).resolves.toBe('submitted')
      expect(retries.length).toBeGreaterThan(0)
      expect(retries[0]).toMatch(/HTTP 503 from the API server: no endpoints available for service "late-head-svc.*\(try 1; trying again in 1 s\)$/)
      expect((await client().getJob(lateId))?.submission_id).toBe(lateId)
      expect(await client().getJob(`${id}-never`)).toBeUndefined()
    } finally {
      await ns.dispose()
    }
  })

  it('counts its requests', () => {
    expect(log.countSince('dashboard', 0)).toBeGreaterThanOrEqual(7)
  })
})

