// startup-timeout and queue-timeout: which phase a RayJob is in, and when each runs out.
import { describe, expect, it } from '@jest/globals'
import { describeExpired, PhaseClock, phaseOf } from '../../src/gate/phases.js'
import { snapshotOf } from '../../src/gate/status.js'

const at = (jobDeploymentStatus: string, jobStatus = '') => snapshotOf({ metadata: {}, status: { jobDeploymentStatus, jobStatus } })

describe('phaseOf', () => {
  it.each([
    ['', '', false, 'startup'],
    ['Initializing', '', false, 'startup'],
    ['Running', 'PENDING', false, 'startup'],
    ['Waiting', '', false, 'startup'],
    ['Running', 'RUNNING', false, 'run'],
    ['Complete', 'SUCCEEDED', false, 'run'],
    ['Failed', '', false, 'run'],
    ['Suspended', '', true, 'queue'],
    ['Suspending', '', false, 'queue'],
    ['', '', true, 'queue'],
    ['New', '', true, 'queue']
  ])('deployment %j, Ray %j, suspend %j: %s', (deployment, ray, suspended, phase) => {
    expect(phaseOf(at(deployment, ray), suspended)).toBe(phase)
  })

  it("takes Ray's own status when KubeRay has not copied it yet", () => {
    expect(phaseOf(at('Running', 'PENDING'), false, 'RUNNING')).toBe('run')
  })
})

describe('PhaseClock', () => {
  it('startup runs from creation; its limit ends the wait only while starting', () => {
    const clock = new PhaseClock({ startupSeconds: 600 }, 0)
    expect(clock.deadline()).toBe(600_000)
    expect(clock.expired(599_999)).toBeUndefined()
    expect(clock.expired(600_000)).toEqual({ phase: 'startup', seconds: 600 })
    clock.observe('run', 300_000)
    expect(clock.deadline()).toBeUndefined()
    expect(clock.expired(10_000_000)).toBeUndefined()
  })

  it('the queue has its own clock, and startup starts again when the queue lets the job go', () => {
    const clock = new PhaseClock({ queueSeconds: 3600, startupSeconds: 600 }, 0)
    clock.observe('queue', 1000)
    expect(clock.expired(1000 + 3_599_000)).toBeUndefined()
    clock.observe('startup', 3_000_000)
    expect(clock.deadline()).toBe(3_600_000)
    clock.observe('queue', 3_100_000)
    expect(clock.expired(3_100_000 + 3_600_000)).toEqual({ phase: 'queue', seconds: 3600 })
  })

  it('without limits nothing runs out', () => {
    const clock = new PhaseClock({}, 0)
    expect(clock.expired(1e12)).toBeUndefined()
  })

  it('names the phase, its input and the usual causes', () => {
    expect(describeExpired({ phase: 'startup', seconds: 600 }, 'ml/train', 'Initializing')).toMatch(
      /^Timed out after 10m starting \(startup-timeout\): RayJob ml\/train is Initializing; Ray never started running the job: usually Pods that cannot be scheduled/
    )
    expect(describeExpired({ phase: 'queue', seconds: 3600 }, 'ml/train', 'Suspended')).toMatch(/^Timed out after 1h queued \(queue-timeout\): .*Kueue/)
  })
})
