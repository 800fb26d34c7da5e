// The gate's wait when the Ray head's Dashboard stops answering: a fake clock and scripted sources
// (the real-stack cases, with Toxiproxy in front of the Dashboard, are in
// __tests__/integration/faults.test.ts).
import { describe, expect, it } from '@jest/globals'
import { DashboardError } from '../../src/dashboard/client.js'
import type { DashboardClient, JobDetails } from '../../src/dashboard/client.js'
import { RayJobFollower } from '../../src/gate/follow.js'
import { FakeClock } from '../clients/fake-clock.js'
import type { RayJobSource } from '../../src/gate/follow.js'
import { HEAD_LOST_AFTER_MS } from '../../src/gate/status.js'
import { headUnreachable, waitForOutcome } from '../../src/gate/wait.js'
import type { GateResult } from '../../src/gate/wait.js'

const running = { metadata: { name: 'train', resourceVersion: '10' }, status: { jobDeploymentStatus: 'Running', jobStatus: 'RUNNING', rayClusterName: 'train-x7k2p' } }

/** The API server: answers reads with the RayJob (or fails while `down`); the watch never says anything. */
class ApiServer implements RayJobSource {
  down = false
  object: Record<string, unknown> = running
  reads = 0
  async get() {
    this.reads++
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:16443')
    return this.object
  }
  async watch() {
    return { abort() {} }
  }
}

/** A Dashboard whose getJob answers from `answer` (a function of the call count). */
function dashboard(via: string, answer: () => JobDetails | Error): DashboardClient {
  return {
    via,
    baseUrl: via === 'dashboard-url' ? 'http://127.0.0.1:8265' : 'https://127.0.0.1:16443/api/v1/namespaces/ml/services/train-x7k2p-head-svc:8265/proxy',
    async getJob() {
      const a = answer()
      if (a instanceof Error) throw a
      return a
    }
  } as unknown as DashboardClient
}
const refused = () => new DashboardError('GET', '/api/jobs/raysubmit_a', 0, '', 'could not reach http://127.0.0.1:8265 (dashboard-url): ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265')
const noEndpoint = () => new DashboardError('GET', '/api/jobs/raysubmit_a', 503, '', 'HTTP 503 from the API server: no endpoints available for service "train-x7k2p-head-svc"')

function gate(clock: FakeClock, api: ApiServer, client: DashboardClient, deadlineMs = 600_000) {
  const follower = new RayJobFollower(api, clock, { pollEveryMs: 60_000 })
  follower.start(running)
  const problems: string[] = []
  const done = waitForOutcome({
    follower,
    dashboard: client,
    submissionId: 'raysubmit_a',
    name: 'ml/train',
    backoffLimit: 0,
    deadline: clock.now() + deadlineMs,
    signal: new AbortController().signal,
    clock,
    ray: { status: 'RUNNING' },
    onRayChange: () => {},
    onProblem: (m) => problems.push(m)
  })
  let result: GateResult | undefined
  void done.then((r) => (result = r))
  return { follower, problems, result: () => result }
}

describe('waiting while the Ray head does not answer', () => {
  it('ends with a verdict naming the head about a minute after its Dashboard stopped answering, when KubeRay still says Running', async () => {
    const clock = new FakeClock()
    const api = new ApiServer()
    let calls = 0
    const g = gate(clock, api, dashboard('dashboard-url', () => (++calls === 1 ? { status: 'RUNNING' } : refused())))
    await clock.advance(60_000) // first read: fine
    expect(g.result()).toBeUndefined()
    await clock.advance(60_000) // the head is gone from here: the reads come every 20 s now
    await clock.advance(HEAD_LOST_AFTER_MS - 20_000)
    expect(g.result()).toBeUndefined()
    const readsBefore = api.reads
    await clock.advance(20_000)
    const result = g.result()
    expect(result?.kind).toBe('verdict')
    if (result?.kind !== 'verdict') return
    expect(result.verdict).toMatchObject({ passed: false, unfinished: true })
    expect(result.verdict.summary).toMatch(/the Ray head is gone or cannot be reached: the Ray Dashboard \(http:\/\/127\.0\.0\.1:8265, dashboard-url\) has not answered for 1m \(4 tries in a row; last: ECONNREFUSED/)
    expect(result.outage?.failures).toBe(4)
    // KubeRay's view was read afresh before calling the head lost.
    expect(api.reads).toBeGreaterThan(readsBefore)
    g.follower.stop()
  })

  it('names the head through the service proxy on 503 (no endpoint), but not when the API server itself is out of reach', async () => {
    expect(headUnreachable(noEndpoint(), true)).toBe(true)
    expect(headUnreachable(new DashboardError('GET', '/', 0, '', 'could not reach'), true)).toBe(false)
    expect(headUnreachable(refused(), false)).toBe(true)
    expect(headUnreachable(new DashboardError('GET', '/', 500, 'boom', 'HTTP 500'), false)).toBe(false)
    expect(headUnreachable(new Error('x'), false)).toBe(false)

    const clock = new FakeClock()
    const api = new ApiServer()
    const g = gate(clock, api, dashboard('the service proxy', noEndpoint))
    await clock.advance(60_000 + HEAD_LOST_AFTER_MS + 1000)
    expect(g.result()?.kind).toBe('verdict')
    g.follower.stop()
  })

  it('keeps waiting through an outage of the API server and the Dashboard behind it, and one that ends within the minute', async () => {
    const clock = new FakeClock()
    const api = new ApiServer()
    api.down = true
    // Through the proxy a down API server is no answer at all: no evidence about the head.
    const g = gate(clock, api, dashboard('the service proxy', () => new DashboardError('GET', '/', 0, '', 'could not reach')), 400_000)
    await clock.advance(300_000)
    expect(g.result()).toBeUndefined()

    // dashboard-url refused for 40 s, then back: never called lost.
    const clock2 = new FakeClock()
    const api2 = new ApiServer()
    let up = true
    const g2 = gate(clock2, api2, dashboard('dashboard-url', () => (up ? { status: 'RUNNING' } : refused())), 400_000)
    await clock2.advance(59_000)
    up = false
    await clock2.advance(42_000) // reads at 60 s, 80 s, 100 s fail
    up = true
    await clock2.advance(200_000)
    expect(g2.result()).toBeUndefined()
    g.follower.stop()
    g2.follower.stop()
    await clock.advance(200_000)
    await clock2.advance(200_000)
  })

  it('does not call the head lost while the API server has not answered since the Dashboard went quiet', async () => {
    const clock = new FakeClock()
    const api = new ApiServer()
    const g = gate(clock, api, dashboard('dashboard-url', refused), 300_000)
    api.down = true
    await clock.advance(200_000)
    expect(g.result()).toBeUndefined()
    api.down = false // the runner can reach the API server again: now KubeRay's "Running" is evidence
    await clock.advance(40_000)
    expect(g.result()?.kind).toBe('verdict')
    g.follower.stop()
  })
})
