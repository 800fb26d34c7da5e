// The watch's error paths a real API server does not produce on demand (a 410 Gone for a compacted
// resourceVersion, a stream that drops): the source here is a stand-in for those two cases only;
// __tests__/integration covers following real RayJobs through a real API server.
import { describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clients/clock.js'
import { RayJobFollower, REFUSED_AFTER_MS } from '../../src/gate/follow.js'
import { FakeClock } from '../clients/fake-clock.js'
import type { RayJobSource } from '../../src/gate/follow.js'

const rayJob = (rv: number, status: Record<string, unknown>) => ({ metadata: { name: 'train', resourceVersion: String(rv) }, status })

class ScriptedSource implements RayJobSource {
  watches: string[] = []
  reads = 0
  current = rayJob(10, { jobDeploymentStatus: 'Initializing' })
  onEvent?: (type: string, object: Record<string, unknown>) => void
  onClosed?: (error?: unknown) => void
  async get() {
    this.reads++
    return this.current
  }
  async watch(rv: string, onEvent: (type: string, object: Record<string, unknown>) => void, onClosed: (error?: unknown) => void) {
    this.watches.push(rv)
    this.onEvent = onEvent
    this.onClosed = onClosed
    return { abort: () => onClosed(new Error('aborted')) }
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe('following a RayJob', () => {
  it('reports each change once and wakes waiters', async () => {
    const source = new ScriptedSource()
    const changes: string[] = []
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 60_000, onChange: (_, n) => changes.push(n.deploymentStatus) })
    follower.start(source.current)
    await settle()
    const waiting = follower.until((s) => s.deploymentStatus === 'Running', Date.now() + 5000)
    source.onEvent!('MODIFIED', rayJob(11, { jobDeploymentStatus: 'Running' }))
    source.onEvent!('MODIFIED', rayJob(12, { jobDeploymentStatus: 'Running', message: 'same state' }))
    await expect(waiting).resolves.toBe('matched')
    expect(changes).toEqual(['Running'])
    follower.stop()
  })

  it('after 410 Gone reads the RayJob afresh and watches from its new resourceVersion', async () => {
    const source = new ScriptedSource()
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 60_000 })
    follower.start(source.current)
    await settle()
    expect(source.watches).toEqual(['10'])
    source.current = rayJob(50, { jobDeploymentStatus: 'Running' })
    source.onClosed!(Object.assign(new Error('Gone'), { statusCode: 410 }))
    await new Promise((r) => setTimeout(r, 1200))
    expect(source.reads).toBe(1)
    // From the present (no resourceVersion): the object's own version may be older than the server keeps.
    expect(source.watches).toEqual(['10', ''])
    expect(follower.snapshot.deploymentStatus).toBe('Running')
    follower.stop()
  })

  it('after a 410 ERROR event in the stream (what a restarted API server sends) says so, reads afresh and watches from the present', async () => {
    const source = new ScriptedSource()
    const problems: string[] = []
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 60_000, onProblem: (m) => problems.push(m) })
    follower.start(source.current)
    await settle()
    source.current = rayJob(70, { jobDeploymentStatus: 'Running' })
    source.onEvent!('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (60)' })
    await new Promise((r) => setTimeout(r, 1200))
    // Its own abort of the watch is no second problem.
    expect(problems).toEqual(['the RayJob watch ended with an error event: 410 Expired too old resource version: 10 (60)'])
    expect(source.reads).toBe(1)
    // Not from 70, the RayJob's own version: a restarted API server's cache starts after it, and answers 410 again (a loop).
    expect(source.watches).toEqual(['10', ''])
    expect(follower.snapshot.deploymentStatus).toBe('Running')
    // Once the new watch brings a version, a later reconnect goes on from there.
    source.onEvent!('BOOKMARK', { metadata: { resourceVersion: '75' } })
    source.onClosed!()
    await settle()
    expect(source.watches).toEqual(['10', '', '75'])
    follower.stop()
  })

  it('reconnects from the last resourceVersion when the stream simply ends, and ignores older versions', async () => {
    const source = new ScriptedSource()
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 60_000 })
    follower.start(source.current)
    await settle()
    source.onEvent!('MODIFIED', rayJob(20, { jobDeploymentStatus: 'Running' }))
    source.onEvent!('MODIFIED', rayJob(15, { jobDeploymentStatus: 'Initializing' }))
    expect(follower.snapshot.deploymentStatus).toBe('Running')
    source.onClosed!()
    await settle()
    expect(source.watches).toEqual(['10', '20'])
    follower.stop()
  })

  it('reads the RayJob on its own schedule too, in case a watch stalls silently', async () => {
    const source = new ScriptedSource()
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 50 })
    follower.start(source.current)
    source.current = rayJob(99, { jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' })
    await expect(follower.until((s) => s.deploymentStatus === 'Complete', Date.now() + 2000)).resolves.toBe('matched')
    follower.stop()
  })

  it('gives up at the deadline and on abort', async () => {
    const source = new ScriptedSource()
    const follower = new RayJobFollower(source, systemClock, { pollEveryMs: 60_000 })
    follower.start(source.current)
    await expect(follower.until(() => false, Date.now() + 50)).resolves.toBe('deadline')
    const abort = new AbortController()
    const waiting = follower.until(() => false, Date.now() + 60_000, abort.signal)
    abort.abort()
    await expect(waiting).resolves.toBe('aborted')
    follower.stop()
  })
})

describe('credentials that lose their rights mid-wait', () => {
  /** A source whose every watch and read is refused with 403 once `revoked`. */
  class RevocableSource extends ScriptedSource {
    revoked = false
    override async get() {
      if (this.revoked) throw Object.assign(new Error('GET /apis/ray.io/v1/namespaces/ml/rayjobs/train failed: HTTP 403 Forbidden: rayjobs "train" is forbidden'), { status: 403 })
      return super.get()
    }
    override async watch(rv: string, onEvent: (type: string, object: Record<string, unknown>) => void, onClosed: (error?: unknown) => void) {
      if (this.revoked) throw Object.assign(new Error('Forbidden'), { statusCode: 403 })
      return super.watch(rv, onEvent, onClosed)
    }
  }

  it(`end the waits once every request has been refused for ${REFUSED_AFTER_MS / 1000} s, saying so (not at the step's timeout)`, async () => {
    const clock = new FakeClock()
    const source = new RevocableSource()
    const follower = new RayJobFollower(source, clock, { pollEveryMs: 60_000 })
    follower.start(source.current)
    await clock.advance(10)
    const waiting = follower.until((s) => s.deploymentStatus === 'Complete', clock.now() + 600_000)
    source.revoked = true
    source.onClosed!(Object.assign(new Error('Forbidden'), { statusCode: 403 }))
    await clock.advance(REFUSED_AFTER_MS - 5000)
    expect(follower.refused).toBeUndefined() // a few refusals are not yet a verdict
    await clock.advance(20_000)
    await expect(waiting).resolves.toBe('refused')
    expect(follower.refused).toMatch(/^the API server has refused every request about the RayJob for \d+ s \(HTTP 403/)
    follower.stop()
  })

  it('forget earlier refusals once a request gets through', async () => {
    const clock = new FakeClock()
    const source = new RevocableSource()
    const follower = new RayJobFollower(source, clock, { pollEveryMs: 60_000 })
    follower.start(source.current)
    await clock.advance(10)
    source.revoked = true
    source.onClosed!(Object.assign(new Error('Forbidden'), { statusCode: 403 }))
    await clock.advance(15_000)
    source.revoked = false // the RoleBinding is back: the minute's read gets through
    await clock.advance(50_000)
    expect(source.reads).toBeGreaterThan(0)
    // Refused again: counted afresh, so 15 s of it is not yet enough (from the first refusal it would be 80 s).
    source.revoked = true
    source.onClosed!(Object.assign(new Error('Forbidden'), { statusCode: 403 }))
    await clock.advance(15_000)
    expect(follower.refused).toBeUndefined()
    follower.stop()
  })
})
