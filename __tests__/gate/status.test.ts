import { describe, expect, it } from '@jest/globals'
import { currentRayStatus, describeState, GONE, HEAD_LOST_AFTER_MS, HEAD_LOST_AFTER_READS, headLost, judge, KUBERAY_CATCH_UP_MS, kubeRayMessage, snapshotOf, stuckExplanation } from '../../src/gate/status.js'
import type { DashboardOutage, HeadLostInput } from '../../src/gate/status.js'

const rayJob = (status: Record<string, unknown>) => snapshotOf({ metadata: { resourceVersion: '7' }, status })
const verdict = (status: Record<string, unknown>, ray?: Record<string, unknown>, backoffLimit = 0, rayOverForMs?: number) =>
  judge({ rayJob: rayJob(status), ray, backoffLimit, name: 'ml/train', rayOverForMs })

describe('reading a RayJob status', () => {
  it('takes what the gate needs from the object', () => {
    expect(
      snapshotOf({
        metadata: { resourceVersion: '42', uid: '6f1c2a9e-0b1d-4c55-9d1e-2f7a8b3c4d5e' },
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
      uid: '6f1c2a9e-0b1d-4c55-9d1e-2f7a8b3c4d5e',
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

  it('fails when the RayJob was deleted and created again under its name while the step followed it', () => {
    const again = { ...rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' }), uid: 'uid-2' }
    expect(judge({ rayJob: again, backoffLimit: 0, name: 'ml/train', uid: 'uid-1' })).toEqual({
      passed: false,
      summary: 'RayJob ml/train was deleted and created again by someone else while the step followed it (UID uid-1, now uid-2): the new RayJob is not the one this step gates on'
    })
    expect(judge({ rayJob: { ...again, uid: 'uid-1' }, backoffLimit: 0, name: 'ml/train', uid: 'uid-1' })).toBeUndefined()
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

describe("Ray's status from two sources", () => {
  it('takes the Dashboard read unless KubeRay has since seen the job further along', () => {
    const running = rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING' })
    expect(currentRayStatus(running, { status: 'PENDING' })).toBe('RUNNING')
    expect(currentRayStatus(running, { status: 'SUCCEEDED' })).toBe('SUCCEEDED')
    expect(currentRayStatus(rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'PENDING' }), { status: 'RUNNING' })).toBe('RUNNING')
    expect(currentRayStatus(rayJob({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' }), { status: 'RUNNING' })).toBe('SUCCEEDED')
    expect(currentRayStatus(running, undefined)).toBe('RUNNING')
    // A stale PENDING read no longer blames resources for a job KubeRay saw running.
    expect(stuckExplanation(running, { status: 'PENDING' }, 60)).toBe('was Running (Ray: RUNNING) for 1m')
  })
})

describe('a Ray head that is gone', () => {
  const T0 = 1_000_000
  const outage = (failures: number, forMs: number): DashboardOutage => ({
    since: T0,
    lastFailureAt: T0 + forMs,
    failures,
    lastError: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265',
    baseUrl: 'http://127.0.0.1:8265',
    via: 'dashboard-url'
  })
  const running = rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'RUNNING', rayClusterName: 'train-x7k2p' })
  const lost = (o: Partial<HeadLostInput>) =>
    headLost({ rayJob: running, ray: { status: 'RUNNING' }, name: 'ml/train', outage: outage(HEAD_LOST_AFTER_READS, HEAD_LOST_AFTER_MS), now: T0 + HEAD_LOST_AFTER_MS, kubeRayHeardAt: T0 + HEAD_LOST_AFTER_MS, ...o })

  it('is named once the Dashboard has not answered for a minute, four reads in a row, while a fresh KubeRay read says it runs', () => {
    const verdict = lost({})
    expect(verdict).toMatchObject({ passed: false, unfinished: true })
    expect(verdict!.summary).toBe(
      'RayJob ml/train: the Ray head is gone or cannot be reached: the Ray Dashboard (http://127.0.0.1:8265, dashboard-url) has not answered for 1m (4 tries in a row; last: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265), while KubeRay still shows Running (Ray: RUNNING). The job\'s outcome is unknown. Check the head Pod: kubectl -n ml get pods -l ray.io/cluster=train-x7k2p,ray.io/node-type=head'
    )
  })

  it('is not called early, on too few reads, or without word from the API server during the outage', () => {
    expect(lost({ now: T0 + HEAD_LOST_AFTER_MS - 1 })).toBeUndefined()
    expect(lost({ outage: outage(HEAD_LOST_AFTER_READS - 1, HEAD_LOST_AFTER_MS) })).toBeUndefined()
    // The API server was not heard from since the Dashboard went quiet: the runner may just be cut off.
    expect(lost({ kubeRayHeardAt: T0 - 1 })).toBeUndefined()
    expect(lost({ outage: undefined })).toBeUndefined()
  })

  it('leaves the verdict to KubeRay or Ray when either says the job is over, and to the retry when KubeRay retries', () => {
    expect(lost({ rayJob: rayJob({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' }) })).toBeUndefined()
    expect(lost({ rayJob: rayJob({ jobDeploymentStatus: 'Running', jobStatus: 'SUCCEEDED' }) })).toBeUndefined()
    expect(lost({ ray: { status: 'FAILED' } })).toBeUndefined()
    expect(lost({ rayJob: rayJob({ jobDeploymentStatus: 'Retrying' }) })).toBeUndefined()
    expect(lost({ rayJob: GONE })).toBeUndefined()
  })

  it('is what a timeout blames when the Dashboard was not answering', () => {
    expect(stuckExplanation(running, { status: 'PENDING' }, 90, outage(3, 45_000), T0 + 45_000)).toBe(
      'was Running (Ray: RUNNING) for 1m 30s: the Ray Dashboard (http://127.0.0.1:8265, dashboard-url) has not answered for 45s (3 tries in a row; last: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8265): the Ray head may be gone or unreachable from the runner'
    )
  })
})
