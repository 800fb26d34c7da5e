// Which Pod and RayCluster states end the wait (fail-fast) and which are only said: Kubernetes'
// own reasons and messages, as the kubelet, the scheduler and KubeRay write them.
import { describe, expect, it } from '@jest/globals'
import { clusterFaults, describeFault, eventFault, podFaults } from '../../src/gate/pod-faults.js'

const pod = (labels: Record<string, string>, status: Record<string, unknown>) => ({ metadata: { name: 'train-head-x', namespace: 'ml', labels }, status })
const HEAD = { 'ray.io/node-type': 'head', 'ray.io/cluster': 'train' }
const WORKER = { 'ray.io/node-type': 'worker', 'ray.io/group': 'gpu', 'ray.io/cluster': 'train' }
const waiting = (reason: string, message: string, name = 'ray-head') => ({ phase: 'Pending', containerStatuses: [{ name, state: { waiting: { reason, message } } }] })

describe('podFaults', () => {
  it.each([
    ['ErrImagePull', 'failed to pull and unpack image "registry.invalid/ray:2.58.0": failed to resolve reference "registry.invalid/ray:2.58.0": registry.invalid/ray:2.58.0: not found'],
    ['ImagePullBackOff', 'Back-off pulling image "registry.invalid/ray:2.58.0": ErrImagePull: not found'],
    ['ErrImagePull', 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'],
    ['ErrImagePull', 'failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized'],
    ['InvalidImageName', 'Failed to apply default image tag "Ray:Latest": couldn\'t parse image name "Ray:Latest": invalid reference format: repository name must be lowercase'],
    ['CreateContainerConfigError', 'secret "wandb" not found'],
    ['CrashLoopBackOff', 'back-off 10s restarting failed container=ray-head pod=train-head-x_ml(uid)']
  ])('%s (%s) on the head will not heal', (reason, message) => {
    const [fault] = podFaults(pod(HEAD, waiting(reason, message)))
    expect(fault).toMatchObject({ severity: 'fatal', object: 'Pod ml/train-head-x', role: 'head', container: 'ray-head', reason, message })
  })

  it.each([
    ['ErrImagePull', 'failed to pull image "rayproject/ray:2.58.0": dial tcp 1.2.3.4:443: i/o timeout'],
    ['ImagePullBackOff', 'Back-off pulling image "rayproject/ray:2.58.0"'],
    ['ErrImagePull', 'toomanyrequests: You have reached your pull rate limit']
  ])('a pull that may still work (%s: %s) is only said', (reason, message) => {
    expect(podFaults(pod(HEAD, waiting(reason, message)))).toEqual([expect.objectContaining({ severity: 'waiting', reason })])
  })

  it('a crash-looping worker is said, not fatal (KubeRay replaces workers); a head is', () => {
    expect(podFaults(pod(WORKER, waiting('CrashLoopBackOff', 'back-off 20s', 'ray-worker')))).toEqual([expect.objectContaining({ severity: 'waiting', role: 'worker group gpu' })])
  })

  it('a Pod the scheduler cannot place is said with the scheduler message, and may heal', () => {
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'
    const faults = podFaults(pod(WORKER, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] }))
    expect(faults).toEqual([expect.objectContaining({ severity: 'waiting', reason: 'Unschedulable', message, role: 'worker group gpu' })])
  })

  it('normal states, finished and deleted Pods show nothing', () => {
    expect(podFaults(pod(HEAD, waiting('ContainerCreating', '')))).toEqual([])
    expect(podFaults(pod(HEAD, { phase: 'Running', containerStatuses: [{ name: 'ray-head', state: { running: {} } }] }))).toEqual([])
    expect(podFaults(pod(HEAD, { ...waiting('ErrImagePull', 'not found'), phase: 'Failed' }))).toEqual([])
    expect(podFaults({ ...pod(HEAD, waiting('ErrImagePull', 'not found')), metadata: { deletionTimestamp: 'x' } })).toEqual([])
    expect(podFaults('not a pod')).toEqual([])
  })

  it('names the submitter by its Job label', () => {
    const [fault] = podFaults(pod({ 'batch.kubernetes.io/job-name': 'train' }, waiting('InvalidImageName', 'bad', 'ray-job-submitter')))
    expect(fault).toMatchObject({ role: 'submitter', container: 'ray-job-submitter' })
  })
})

describe('clusterFaults and eventFault', () => {
  const quota = 'pods "train-head-x" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0'
  it("a ReplicaFailure KubeRay writes for a create the API server refused is fatal, with KubeRay's message", () => {
    const cluster = { metadata: { name: 'train', namespace: 'ml' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreateHeadPod', message: quota }] } }
    const [fault] = clusterFaults(cluster)
    expect(fault).toMatchObject({ severity: 'fatal', object: 'RayCluster ml/train', reason: 'FailedCreateHeadPod', message: quota })
    expect(describeFault(fault)).toBe(`RayCluster ml/train: FailedCreateHeadPod: ${quota}. The namespace's ResourceQuota does not leave room for the Pods: raise the quota, lower the Pods' requests, or free room in the namespace.`)
  })

  it("takes the message without KubeRay's repeated reason, on one line", () => {
    const cluster = { metadata: { name: 'train', namespace: 'ml' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreateHeadPod', message: `FailedCreateHeadPod\n${quota}` }] } }
    expect(clusterFaults(cluster)[0].message).toBe(quota)
  })

  it('a namespace being deleted is not the fault: the RayJob goes with it', () => {
    const message = 'pods "h" is forbidden: unable to create new content in namespace ml because it is being terminated'
    expect(clusterFaults({ status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreateHeadPod', message }] } })).toEqual([expect.objectContaining({ severity: 'waiting' })])
  })

  it('a ReplicaFailure that is over, or a create that failed for another reason, does not end the wait', () => {
    expect(clusterFaults({ status: { conditions: [{ type: 'ReplicaFailure', status: 'False', reason: 'FailedCreateHeadPod', message: quota }] } })).toEqual([])
    expect(clusterFaults({ status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreateHeadPod', message: 'etcdserver: request timed out' }] } })).toEqual([
      expect.objectContaining({ severity: 'waiting' })
    ])
  })

  it('reads KubeRay\'s FailedToCreateHeadPod event the same way', () => {
    const event = { type: 'Warning', reason: 'FailedToCreateHeadPod', message: quota, involvedObject: { kind: 'RayCluster', namespace: 'ml', name: 'train' } }
    expect(eventFault(event)).toMatchObject({ severity: 'fatal', object: 'RayCluster ml/train' })
    expect(eventFault({ ...event, type: 'Normal' })).toBeUndefined()
    expect(eventFault({ ...event, reason: 'CreatedHeadPod' })).toBeUndefined()
  })
})
