// The Dashboard client against the real Ray head: the behaviours the gate relies on.
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { DashboardClient, DashboardError } from '../../src/dashboard/client.js'
import { tailLogs } from '../../src/dashboard/logs-tail.js'
import { RequestLog } from '../../src/gate/request-log.js'
import { stackInfo } from './stack.js'

jest.setTimeout(120_000)

const log = new RequestLog()
const client = () => new DashboardClient({ baseUrl: stackInfo().dashboardUrl, via: 'dashboard-url', headers: {} }, undefined, log)
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

  it('counts its requests', () => {
    expect(log.countSince('dashboard', 0)).toBeGreaterThanOrEqual(7)
  })
})
