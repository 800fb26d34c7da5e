// The fault watch's policy: each fault said once, the first that will not heal kept, a refused read
// said once with its permission, and the watches moved to a new RayCluster (a retry). The sources
// here script what the API server would send; __tests__/integration/pod-faults.test.ts makes the
// real faults happen on the real stack.
import { describe, expect, it } from '@jest/globals'
import { FaultWatch } from '../../src/gate/fault-watch.js'
import type { Item, ListWatchSource } from '../../src/gate/list-watch.js'
import { FakeClock, flush } from '../clients/fake-clock.js'

class Scripted implements ListWatchSource {
  lists = 0
  items: Item[] = []
  refuse?: number
  onEvent?: (type: string, object: Item) => void
  onClosed?: (error?: unknown) => void
  aborted = false
  async list() {
    this.lists++
    if (this.refuse) throw Object.assign(new Error(`GET /api/v1/namespaces/ml/pods failed: HTTP ${this.refuse} Forbidden: pods is forbidden`), { status: this.refuse })
    return { items: this.items, resourceVersion: '5' }
  }
  async watch(_rv: string, onEvent: (type: string, object: Item) => void, onClosed: (error?: unknown) => void) {
    this.onEvent = onEvent
    this.onClosed = onClosed
    return { abort: () => (this.aborted = true) }
  }
}

const headPod = (reason: string, message: string) => ({
  metadata: { name: 'train-head-x', namespace: 'ml', labels: { 'ray.io/node-type': 'head' } },
  status: { phase: 'Pending', containerStatuses: [{ name: 'ray-head', state: { waiting: { reason, message } } }] }
})

function setup() {
  const pods = new Map<string, Scripted>()
  const clusters = new Map<string, Scripted>()
  const events = new Scripted()
  const said: string[] = []
  const refused: string[] = []
  const clock = new FakeClock()
  const watch = new FaultWatch({
    sources: {
      clusterPods: (name) => pods.get(name) ?? pods.set(name, new Scripted()).get(name)!,
      rayCluster: (name) => clusters.get(name) ?? clusters.set(name, new Scripted()).get(name)!,
      clusterEvents: () => events,
      submitterPods: () => new Scripted()
    },
    clock,
    submitter: false,
    onFault: (fault, line) => said.push(`${fault.severity}: ${line}`),
    onRefused: (what, permission) => refused.push(`${what}: ${permission}`)
  })
  return { pods, clusters, events, said, refused, clock, watch }
}

describe('FaultWatch', () => {
  it('says a fault once, keeps the first that will not heal, and lists the faults now', async () => {
    const { pods, said, watch } = setup()
    watch.follow('train')
    await flush()
    const source = pods.get('train')!
    source.onEvent!('MODIFIED', headPod('ErrImagePull', 'registry.invalid/ray:1: not found'))
    source.onEvent!('MODIFIED', headPod('ErrImagePull', 'registry.invalid/ray:1: not found'))
    expect(said).toEqual([expect.stringMatching(/^fatal: Pod ml\/train-head-x \(head\) container ray-head: ErrImagePull: registry.invalid\/ray:1: not found\. Check the image name/)])
    expect(watch.fatal).toMatchObject({ reason: 'ErrImagePull' })
    source.onEvent!('MODIFIED', headPod('ImagePullBackOff', 'Back-off pulling image "registry.invalid/ray:1": not found'))
    expect(said).toHaveLength(2)
    expect(watch.fatal).toMatchObject({ reason: 'ErrImagePull' })
    expect(watch.faults.map((f) => f.reason)).toEqual(['ImagePullBackOff'])
    source.onEvent!('DELETED', headPod('ImagePullBackOff', ''))
    expect(watch.faults).toEqual([])
  })

  it("takes KubeRay's FailedToCreateHeadPod event for a fault, as on releases whose RayCluster has no conditions", async () => {
    const { events, said, watch } = setup()
    watch.follow('train')
    await flush()
    const message = 'Failed to create head Pod ml/train-head, pods "train-head" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0'
    events.onEvent!('ADDED', { metadata: { name: 'e1' }, type: 'Warning', reason: 'FailedToCreateHeadPod', message, involvedObject: { kind: 'RayCluster', namespace: 'ml', name: 'train' } })
    events.onEvent!('ADDED', { metadata: { name: 'e2' }, type: 'Normal', reason: 'CreatedService', message: 'Created service', involvedObject: { kind: 'RayCluster', namespace: 'ml', name: 'train' } })
    expect(said).toEqual([expect.stringMatching(/^fatal: RayCluster ml\/train: FailedToCreateHeadPod: Failed to create head Pod .*exceeded quota: no-pods/)])
    expect(watch.fatal).toMatchObject({ reason: 'FailedToCreateHeadPod' })
  })

  it('says a refused read once, with the permission, and stops asking', async () => {
    const { pods, refused, clock, watch } = setup()
    pods.set('train', Object.assign(new Scripted(), { refuse: 403 }))
    watch.follow('train')
    await clock.advance(120_000)
    expect(refused).toEqual(['the Pods: list and watch on pods'])
    expect(pods.get('train')!.lists).toBe(1)
  })

  it('lists and watches again after the stream fails, and moves to a new RayCluster', async () => {
    const { pods, clock, watch } = setup()
    watch.follow('train-a')
    await flush()
    pods.get('train-a')!.onClosed!(new Error('connection reset'))
    await clock.advance(1000)
    expect(pods.get('train-a')!.lists).toBe(2)
    watch.follow('train-b')
    await flush()
    expect(pods.get('train-a')!.aborted).toBe(true)
    expect(pods.get('train-b')!.lists).toBe(1)
    watch.stop()
  })
})

describe('ListWatch', () => {
  it('watches on from the last resourceVersion after a quiet close, and lists again after a failure or 410 Gone', async () => {
    const { ListWatch } = await import('../../src/gate/list-watch.js')
    const clock = new FakeClock()
    const watches: string[] = []
    let lists = 0
    let events: ((type: string, object: Item) => void) | undefined
    let closed: ((error?: unknown) => void) | undefined
    const source: ListWatchSource = {
      list: async () => {
        lists++
        return { items: [], resourceVersion: `${lists * 100}` }
      },
      watch: async (rv, onEvent, onClosed) => {
        watches.push(rv)
        events = onEvent
        closed = onClosed
        return { abort: () => {} }
      }
    }
    const watch = new ListWatch(source, clock, () => {}, () => {})
    watch.start()
    await flush()
    events!('BOOKMARK', { metadata: { resourceVersion: '150' } })
    closed!()
    await clock.advance(1000)
    events!('MODIFIED', { metadata: { name: 'p', resourceVersion: '170' } })
    closed!(Object.assign(new Error('socket hang up'), {}))
    await clock.advance(1000)
    events!('ERROR', { metadata: {}, code: 410 })
    closed!()
    await clock.advance(1000)
    expect(watches).toEqual(['100', '150', '200', '300'])
    expect(lists).toBe(3)
    watch.stop()
  })
})
