// What on-timeout/on-cancel do when the Ray Dashboard cannot stop the job (issue 9): the RayJob is
// deleted instead, so nothing keeps running unnoticed. The real-stack cases (a Dashboard behind a
// Toxiproxy that refuses connections) are in __tests__/integration/faults.test.ts.
import { describe, expect, it } from '@jest/globals'
import { DashboardError } from '../../src/dashboard/client.js'
import type { DashboardClient } from '../../src/dashboard/client.js'
import type { KubeClient } from '../../src/kube/client.js'
import type { Runner } from '../../src/runner/types.js'
import { applyStopAction } from '../../src/submit/cleanup.js'

function fakes(getJob: () => Promise<unknown>) {
  const deleted: string[] = []
  const lines: string[] = []
  const stops: string[] = []
  const kube = { deleteRayJob: async (ns: string, name: string) => void deleted.push(`${ns}/${name}`) } as unknown as KubeClient
  const dashboard = { getJob, stopJob: async (id: string) => (stops.push(id), true) } as unknown as DashboardClient
  const runner = { info: (m: string) => lines.push(`info: ${m}`), warning: (m: string) => lines.push(`warning: ${m}`) } as unknown as Runner
  return { job: { kube, namespace: 'ml', name: 'train', submissionId: 'raysubmit_a', dashboard }, deleted, lines, stops, runner }
}
const refused = () => Promise.reject(new DashboardError('GET', '/api/jobs/raysubmit_a', 0, '', 'could not reach http://127.0.0.1:8265 (dashboard-url): ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265'))

describe('stopping a job whose Dashboard cannot be reached', () => {
  it('deletes the RayJob instead, and says why', async () => {
    const f = fakes(refused)
    await applyStopAction('stop', f.job, 'timed out', f.runner)
    expect(f.deleted).toEqual(['ml/train'])
    expect(f.lines).toEqual([
      'info: Could not stop Ray job raysubmit_a through the Dashboard (GET /api/jobs/raysubmit_a on the Ray Dashboard failed: could not reach http://127.0.0.1:8265 (dashboard-url): ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265), so RayJob ml/train was deleted instead (KubeRay stops its Ray job and removes its cluster).'
    ])
  })

  it('on cancel gives a Dashboard that does not answer 4 s, well inside the 10 s the runner leaves before SIGKILL', async () => {
    const f = fakes(() => new Promise(() => {}))
    const started = Date.now()
    await applyStopAction('stop', f.job, 'cancelled', f.runner)
    expect(Date.now() - started).toBeLessThan(6000)
    expect(f.deleted).toEqual(['ml/train'])
    expect(f.lines[0]).toContain('(no answer within 4 s), so RayJob ml/train was deleted instead')
  })

  it('still stops through the Dashboard when it answers', async () => {
    const f = fakes(async () => ({ status: 'RUNNING' }))
    await applyStopAction('stop', f.job, 'timed out', f.runner)
    expect(f.stops).toEqual(['raysubmit_a'])
    expect(f.deleted).toEqual([])
  })
})
