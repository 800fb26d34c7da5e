import { describe, expect, it } from '@jest/globals'
import { describeState, GONE, judge, KUBERAY_CATCH_UP_MS, kubeRayMessage, snapshotOf, stuckExplanation } from '../../src/gate/status.js'

const rayJob = (status: Record<string, unknown>) => snapshotOf({ metadata: { resourceVersion: '7' }, status })
const verdict = (status: Record<string, unknown>, ray?: Record<string, unknown>, backoffLimit = 0, rayOverForMs?: number) =>
  judge({ rayJob: rayJob(status), ray, backoffLimit, name: 'ml/train', rayOverForMs })

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

  it("passes on Complete with SUCCEEDED; on Ray's SUCCEEDED alone only if KubeRay does not follow within 30 s", () => {
    expect(verdict({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' })).toEqual({ passed: true, summary: 'RayJob ml/train: the Ray job SUCCEEDED' })
    // KubeRay's Complete (and its reason and message, for the outputs) normally follows within seconds.
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' }, undefined, 0, 5000)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' }, { status: 'SUCCEEDED' }, 0, KUBERAY_CATCH_UP_MS - 1)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' }, { status: 'SUCCEEDED' }, 0, KUBERAY_CATCH_UP_MS)).toEqual({
      passed: true,
      summary: "RayJob ml/train: the Ray job SUCCEEDED (KubeRay still shows Running 30 s after Ray's end)"
    })
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

  it("waits for KubeRay's Failed; on Ray's FAILED alone only if KubeRay does not follow and would not retry", () => {
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED' }, { status: 'FAILED', message: 'Job entrypoint command failed with exit code 1' }, 0, 1000)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED' }, { status: 'FAILED', message: 'Job entrypoint command failed with exit code 1' }, 0, KUBERAY_CATCH_UP_MS)?.summary).toBe(
      "RayJob ml/train: the Ray job FAILED (KubeRay still shows Running 30 s after Ray's end): Job entrypoint command failed with exit code 1"
    )
    // KubeRay counts attempts in status.failed and retries while failed < backoffLimit + 1: the
    // failure Ray shows is attempt failed + 1, so with backoffLimit 2 the first two get a retry.
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED' }, undefined, 2, KUBERAY_CATCH_UP_MS)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED', failed: 1 }, undefined, 2, KUBERAY_CATCH_UP_MS)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'FAILED', failed: 2 }, undefined, 2, KUBERAY_CATCH_UP_MS)?.passed).toBe(false)
  })

  it("keeps KubeRay's message to its first line, without the log excerpt the step shows as the log", () => {
    const message = 'Job entrypoint command failed with exit code 1, last available logs (truncated to 20,000 chars):\nabout to fail\n::error::from the driver\n'
    expect(kubeRayMessage(message)).toBe('Job entrypoint command failed with exit code 1')
    expect(verdict({ jobDeploymentStatus: 'Failed', jobStatus: 'FAILED', reason: 'AppFailed', message })?.summary).toBe('RayJob ml/train failed (AppFailed): Job entrypoint command failed with exit code 1')
  })

  it('is not over while KubeRay retries, even though the last attempt FAILED', () => {
    expect(verdict({ jobDeploymentStatus: 'Retrying', jobStatus: 'FAILED', failed: 1 }, { status: 'FAILED' }, 1, KUBERAY_CATCH_UP_MS)).toBeUndefined()
    expect(verdict({ jobDeploymentStatus: 'Failed', jobStatus: 'FAILED', failed: 2, reason: 'AppFailed', message: 'Job entrypoint command failed with exit code 1' }, undefined, 1)?.summary).toBe(
      'RayJob ml/train failed (AppFailed), after 2 attempts: Job entrypoint command failed with exit code 1'
    )
  })

  it("prefers Ray's fresher status to KubeRay's copy, but not a stale non-terminal one", () => {
    expect(verdict({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' }, { status: 'RUNNING' }, 0, KUBERAY_CATCH_UP_MS)?.passed).toBe(true)
    expect(describeState(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' }), { status: 'SUCCEEDED' })).toBe('Running (Ray: SUCCEEDED)')
    expect(describeState(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' }), { status: 'RUNNING' })).toBe('Running (Ray: SUCCEEDED)')
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
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Initializing' }), undefined, 600)).toMatch(/^was Initializing for 10m: the RayCluster never became ready/)
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'PENDING' }), { status: 'PENDING' }, 95)).toMatch(/^was Running \(Ray: PENDING\) for 1m 35s: the Ray job is PENDING: it waits for resources/)
    expect(stuckExplanation(rayJob({ jobDeploymentStatus: 'Waiting' }), undefined, 30)).toContain('InteractiveMode waits for a job')
    expect(stuckExplanation(rayJob({}), undefined, 30)).toContain('is the KubeRay operator running')
  })
})
