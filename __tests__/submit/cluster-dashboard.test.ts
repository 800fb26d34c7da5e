// clusterSelector with working-directory: the package goes to the selected RayCluster's Dashboard
// before the RayJob exists, so the action finds that Dashboard itself (connectClusterDashboard).
import { describe, expect, it } from '@jest/globals'
import type { KubeClient, KubeObject } from '../../src/kube/client.js'
import { KubeApiError } from '../../src/kube/client.js'
import { connectClusterDashboard } from '../../src/submit/dashboard.js'
import { SubmitInputError } from '../../src/submit/prepare.js'
import type { PreparedRayJob } from '../../src/submit/prepare.js'

const prepared: PreparedRayJob = { object: { spec: { clusterSelector: { 'ray.io/cluster': 'shared' } } }, namespace: 'ml', name: 'eval', submissionId: 'raysubmit_x', submissionMode: 'K8sJobMode', backoffLimit: 0 }

function fakeKube(cluster: KubeObject | undefined | 'forbidden', secrets: Record<string, KubeObject> = {}) {
  const proxied: string[] = []
  const kube = {
    getRayCluster: async () => {
      if (cluster === 'forbidden') throw new KubeApiError('GET', '/rayclusters/shared', 403, 'Forbidden', 'forbidden', '')
      return cluster
    },
    getSecret: async (_ns: string, name: string) => secrets[name],
    serviceProxy: async (namespace: string, service: string, port: string) => {
      proxied.push(`${namespace}/${service}:${port}`)
      return { baseUrl: `https://api/${namespace}/${service}:${port}/proxy`, auth: async () => ({ headers: {} }), webSocketOptions: async () => ({}) }
    }
  } as unknown as KubeClient
  return { kube, proxied }
}

const request = (extra: Partial<Parameters<typeof connectClusterDashboard>[3]> = {}) => ({ notice: () => {}, mask: () => {}, ...extra })

describe('connectClusterDashboard', () => {
  it("reaches the head Service the RayCluster's status names, on its head container's dashboard port", async () => {
    const { kube, proxied } = fakeKube({
      spec: { headGroupSpec: { template: { spec: { containers: [{ ports: [{ name: 'gcs', containerPort: 6379 }, { name: 'dashboard', containerPort: 8266 }] }] } } } },
      status: { head: { serviceName: 'shared-head-svc-custom' } }
    })
    const dashboard = await connectClusterDashboard(kube, prepared, 'shared', request())
    expect(proxied).toEqual(['ml/shared-head-svc-custom:8266'])
    expect(dashboard.via).toBe("the API server's service proxy to ml/shared-head-svc-custom:8266")
  })

  it("takes KubeRay's <cluster>-head-svc and 8265 when it may not read the RayCluster", async () => {
    const { kube, proxied } = fakeKube('forbidden')
    const notices: string[] = []
    await connectClusterDashboard(kube, prepared, 'shared', request({ notice: (m) => notices.push(m) }))
    expect(proxied).toEqual(['ml/shared-head-svc:8265'])
    expect(notices[0]).toMatch(/Could not read RayCluster ml\/shared/)
  })

  it('says so when the RayCluster does not exist', async () => {
    const { kube } = fakeKube(undefined)
    await expect(connectClusterDashboard(kube, prepared, 'shared', request())).rejects.toThrow(new SubmitInputError('RayCluster ml/shared, which clusterSelector names, does not exist. Nothing was created.'))
  })

  it("uses dashboard-url as given, with the cluster's Ray token, masked", async () => {
    const { kube, proxied } = fakeKube({ spec: { authOptions: { mode: 'token' } } }, { shared: { data: { auth_token: Buffer.from('s3cret').toString('base64') } } })
    const masked: string[] = []
    const dashboard = await connectClusterDashboard(kube, prepared, 'shared', request({ directUrl: 'http://ray:8265', mask: (s) => masked.push(s) }))
    expect(dashboard.baseUrl).toBe('http://ray:8265')
    expect(proxied).toEqual([])
    expect(masked).toEqual(['s3cret'])
  })
})
