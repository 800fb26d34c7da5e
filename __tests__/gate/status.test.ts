import { describe, expect, it } from '@jest/globals'
import { describeState, GONE, judge, snapshotOf, stuckExplanation } from '../../src/gate/status.js'

const rayJob = (status: Record<string, unknown>) => snapshotOf({ metadata: { resourceVersion: '7' }, status })
const verdict = (status: Record<string, unknown>, ray?: Record<string, unknown>, backoffLimit = 0) =>
  judge({ rayJob: rayJob(status), ray, backoffLimit, name: 'ml/train' })

describe('reading a RayJob status', () => {
  it('takes what the gate needs from the object', () => {
    expect(
      snapshotOf({
        metadata: { resourceVersion: '42' },
        status: { jobDeploymentStatus: 'Running', jobStatus: 'RUNNING', rayClusterName: 'train-x7k2p', dashboardURL: 'train-x7k2p-head-svc.ml.svc.cluster.local:8265', jobId: 'raysubmit_a', failed: 1 }
      })
    ).toEqual({
      deploymentStatus: 'Running',
      jobStatus: 'RUNNING',
      reason: '',
      message: '',
      rayClusterName: 'train-x7k2p',
      dashboardURL: 'train-x7k2p-head-svc.ml.svc.cluster.local:8265',
      jobId: 'raysubmit_a',
      failedAttempts: 1,
      resourceVersion: '42',
      exists: true
    })
    expect(GONE.exists).toBe(false)
  })
})

describe('the verdict', () => {
  it('is undefined while the job runs', () => {
    expect(verdict({ jobDeploymentStatus: 'Initializing' })).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' })).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Waiting' })).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Retrying' })).toBeUndefined()
  })

  it('passes on Complete with SUCCEEDED, and as soon as Ray says SUCCEEDED', () => {
    expect(verdict({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' })).toEqual({ passed: true, summary: 'RayJob ml/train: the Ray job SUCCEEDED' })
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' })?.passed).toBe(true)
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' }, { status: 'SUCCEEDED' })?.passed).toBe(true)
  })

  it('fails on Complete with STOPPED: only SUCCEEDED passes', () => {
    expect(verdict({ jobDeploymentStatus: 'Complete', jobStatus: 'STOPPED' }, { status: 'STOPPED', message: 'Job was intentionally stopped.' })).toEqual({
      passed: false,
      summary: 'RayJob ml/train: the Ray job was stopped: Job was intentionally stopped.'
    })
  })

  it("fails on Failed with KubeRay's reason and message", () => {
    expect(verdict({ jobDeploymentStatus: 'Failed', jobStatus: 'FAILED', reason: 'AppFailed', message: 'Job entrypoint command failed with exit code 1' })).toEqual({
      passed: false,
      summary: 'RayJob ml/train failed (AppFailed): Job entrypoint command failed with exit code 1'
    })
    expect(verdict({ jobDeploymentStatus: 'Failed', reason: 'DeadlineExceeded', message: 'The RayJob has passed the activeDeadlineSeconds.' })?.summary).toMatch(/DeadlineExceeded/)
  })

  it('treats ValidationFailed as the end (KubeRay never leaves it) and says what to do', () => {
    const v = verdict({ jobDeploymentStatus: 'ValidationFailed', reason: 'ValidationFailed', message: 'The RayJob spec is invalid: BackoffLimit is incompatible with InteractiveMode' })
    expect(v?.passed).toBe(false)
    expect(v?.summary).toContain('KubeRay rejected RayJob ml/train (ValidationFailed): The RayJob spec is invalid: BackoffLimit is incompatible with InteractiveMode')
    expect(v?.summary).toContain('delete the RayJob and create it again')
  })

  it('fails at once on a failed Ray job with no retry left, but waits while KubeRay may retry', () => {
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED' }, { status: 'FAILED', message: 'Job entrypoint command failed with exit code 1, last available logs...' })?.summary).toBe(
      'RayJob ml/train: the Ray job FAILED: Job entrypoint command failed with exit code 1, last available logs...'
    )
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED' }, undefined, 2)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED', failed: 2 }, undefined, 2)?.passed).toBe(false)
  })

  it("prefers Ray's fresher status to KubeRay's copy, but not a stale non-terminal one", () => {
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' }, { status: 'RUNNING' })?.passed).toBe(true)
  })

  it('fails when the RayJob disappears before its job finished', () => {
    expect(judge({ rayJob: GONE, backoffLimit: 0, name: 'ml/train' })?.summary).toBe('RayJob ml/train was deleted before its Ray job finished (last seen: deleted)')
    expect(judge({ rayJob: GONE, ray: { status: 'SUCCEEDED' }, backoffLimit: 0, name: 'ml/train' })?.passed).toBe(true)
  })
})

describe('describing states', () => {
  it('names the deployment status and Ray status', () => {
    expect(describeState(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'PENDING' }))).toBe('Running (Ray: PENDING)')
    expect(describeState(rayJob({}))).toBe('New')
    expect(describeState(GONE)).toBe('deleted')
  })

  it('explains where a timed-out job was stuck and what usually keeps it there', () => {
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Initializing' }), undefined, 600)).toMatch(/^it was Initializing for 10m: the RayCluster never became ready/)
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'PENDING' }), { status: 'PENDING' }, 95)).toMatch(/^it was Running \(Ray: PENDING\) for 1m 35s: the Ray job is PENDING: it waits for resources/)
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Waiting' }), undefined, 30)).toContain('InteractiveMode waits for a job')
    expect(stuckExplanation(rayJob({}), undefined, 30)).toContain('is the KubeRay operator running')
  })
})
