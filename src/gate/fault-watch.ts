// Watches what KubeRay made for a RayJob (its RayCluster, the cluster's Pods, the submitter's Pods)
// for faults, while the job starts and runs: a fault that will not heal is kept for the gate to end
// the wait on (fail-fast), and every fault is said once in the log as it appears. A read the
// credentials may not make is said once, with the permission that would allow it. I/O comes in
// through the sources; this is the policy.
import type { Clock } from '../clients/clock.js'
import { ListWatch } from './list-watch.js'
import type { Item, ListWatchSource } from './list-watch.js'
import { clusterFaults, describeFault, eventFault, faultKey, podFaults } from './pod-faults.js'
import type { PodFault } from './pod-faults.js'

export interface FaultSources {
  /** The Pods of one RayCluster (label ray.io/cluster). */
  clusterPods(clusterName: string): ListWatchSource
  /** The one RayCluster. */
  rayCluster(clusterName: string): ListWatchSource
  /** The RayCluster's events (KubeRay's FailedToCreateHeadPod where its status has no conditions). */
  clusterEvents(clusterName: string): ListWatchSource
  /** The submitter's Pods (K8sJobMode: the Job named after the RayJob). */
  submitterPods(): ListWatchSource
}

export interface FaultWatchOptions {
  sources: FaultSources
  clock: Clock
  /** Watch the submitter's Pods too (K8sJobMode). */
  submitter: boolean
  /** A new fault, said once; `fatal` ones also end the wait when fail-fast is on. */
  onFault: (fault: PodFault, line: string) => void
  /** A read refused: which permission would let the action see more. Said once per kind of read. */
  onRefused: (what: string, permission: string, message: string) => void
  onProblem?: (message: string) => void
}

export class FaultWatch {
  private cluster = ''
  private watches: ListWatch[] = []
  private readonly said = new Set<string>()
  private readonly refusedSaid = new Set<string>()
  private readonly byWatch = new Map<ListWatch, PodFault[]>()
  private fatalFault?: PodFault

  constructor(private readonly options: FaultWatchOptions) {}

  /** The first fault seen that will not heal, if any. */
  get fatal(): PodFault | undefined {
    return this.fatalFault
  }

  /** Every fault the objects show now, fatal first. */
  get faults(): PodFault[] {
    return [...this.byWatch.values()].flat().sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fatal' ? -1 : 1))
  }

  /** Follows the RayJob's current cluster (call on every change of status.rayClusterName; '' before it has one). */
  follow(clusterName: string): void {
    if (clusterName === this.cluster && this.watches.length) return
    this.stopWatches()
    this.cluster = clusterName
    const { sources } = this.options
    if (clusterName) {
      this.add(sources.clusterPods(clusterName), podFaults, 'the Pods', 'list and watch on pods')
      this.add(sources.rayCluster(clusterName), clusterFaults, 'the RayCluster', 'list and watch on rayclusters (ray.io)')
      this.add(sources.clusterEvents(clusterName), (event) => [eventFault(event)].filter((f): f is PodFault => f !== undefined), "the RayCluster's events", 'list and watch on events')
    }
    if (this.options.submitter) this.add(sources.submitterPods(), podFaults, 'the Pods', 'list and watch on pods')
  }

  stop(): void {
    this.stopWatches()
  }

  private stopWatches(): void {
    for (const watch of this.watches) watch.stop()
    this.watches = []
    this.byWatch.clear()
  }

  private add(source: ListWatchSource, read: (item: Item) => PodFault[], what: string, permission: string): void {
    const watch: ListWatch = new ListWatch(
      source,
      this.options.clock,
      (items) => this.seen(watch, items.flatMap(read)),
      (status, message) => {
        if (this.refusedSaid.has(permission)) return
        this.refusedSaid.add(permission)
        // "GET /api/v1/... failed: HTTP 403 Forbidden: pods is forbidden: ..." without the request, which the permission names.
        this.options.onRefused(what, permission, message.replace(/^\S+ \S+ failed: /, '') || `HTTP ${status}`)
      },
      (message) => this.options.onProblem?.(`watching ${what}: ${message}`)
    )
    this.watches.push(watch)
    watch.start()
  }

  private seen(watch: ListWatch, faults: PodFault[]): void {
    if (!this.watches.includes(watch)) return
    this.byWatch.set(watch, faults)
    for (const fault of faults) {
      const key = faultKey(fault)
      if (this.said.has(key)) continue
      this.said.add(key)
      if (fault.severity === 'fatal') this.fatalFault ??= fault
      this.options.onFault(fault, describeFault(fault))
    }
  }
}
