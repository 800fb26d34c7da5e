// What may end a wait before KubeRay or Ray give a verdict: a Pod fault that will not heal
// (fail-fast) and a phase that outlasted its timeout (queue-timeout, startup-timeout). It follows
// the RayJob's cluster as the follower reports it, says each fault once, and wakes the follower
// when something should end the wait, so every wait of the step (for the cluster, the submission,
// the outcome) notices at once.
import type { Clock } from '../clients/clock.js'
import { FaultWatch } from '../gate/fault-watch.js'
import type { FaultSources } from '../gate/fault-watch.js'
import type { RayJobFollower } from '../gate/follow.js'
import type { Item } from '../gate/list-watch.js'
import { PhaseClock, phaseOf } from '../gate/phases.js'
import type { PhaseExpired } from '../gate/phases.js'
import type { PodFault } from '../gate/pod-faults.js'
import type { StepLog } from '../gate/step-log.js'
import type { KubeClient } from '../kube/client.js'
import type { Settings } from '../settings.js'
import type { JobNarrator } from './narrator.js'
import type { PreparedRayJob } from './prepare.js'

export type Interruption = { kind: 'fault'; fault: PodFault } | { kind: 'phase-timeout'; expired: PhaseExpired }

export interface WatchdogParts {
  kube: KubeClient
  prepared: PreparedRayJob
  settings: Settings
  clock: Clock
  runner: StepLog
  narrator: JobNarrator
  startedAt: number
}

export class Watchdog {
  private readonly faults: FaultWatch
  private readonly phases: PhaseClock
  private follower?: RayJobFollower
  private timer: unknown
  private rayStatus = ''

  constructor(private readonly parts: WatchdogParts) {
    const { settings, clock, runner, narrator } = parts
    this.phases = new PhaseClock({ queueSeconds: settings.submit.queueTimeoutSeconds, startupSeconds: settings.submit.startupTimeoutSeconds }, parts.startedAt)
    this.faults = new FaultWatch({
      sources: kubeFaultSources(parts.kube, parts.prepared),
      clock,
      submitter: parts.prepared.submissionMode === 'K8sJobMode',
      onFault: (fault, line) => {
        const ends = fault.severity === 'fatal' && settings.submit.failFast
        narrator.say(`${fault.severity === 'fatal' ? 'Fault' : 'Fault that may still heal'}: ${line}${fault.severity === 'fatal' && !ends ? ' (fail-fast: false, so the step goes on waiting)' : ''}`)
        if (ends) this.follower?.wake()
      },
      onRefused: (what, permission, message) =>
        runner.info(`Cannot watch ${what} for faults (${message}): grant ${permission} to have the step name a Pod fault as soon as it appears (optional; the README lists these permissions).`),
      onProblem: (message) => runner.debug(message)
    })
  }

  /** Starts following the RayJob `follower` follows. */
  start(follower: RayJobFollower): void {
    this.follower = follower
    this.update()
  }

  /** A change of the RayJob's state (the follower's onChange) or of Ray's status. */
  update(rayStatus?: string): void {
    if (!this.follower) return
    if (rayStatus !== undefined) this.rayStatus = rayStatus
    const snapshot = this.follower.snapshot
    const suspended = ((this.follower.latest?.spec ?? {}) as { suspend?: unknown }).suspend === true
    this.phases.observe(phaseOf(snapshot, suspended, this.rayStatus), this.parts.clock.now())
    this.faults.follow(snapshot.rayClusterName)
    this.parts.clock.clearTimeout(this.timer)
    const deadline = this.phases.deadline()
    if (deadline !== undefined) this.timer = this.parts.clock.setTimeout(() => this.follower?.wake(), Math.max(0, deadline - this.parts.clock.now()))
  }

  /** What should end the wait now, if anything. */
  interruption(): Interruption | undefined {
    if (!this.follower) return undefined
    const fatal = this.faults.fatal
    if (fatal && this.parts.settings.submit.failFast) return { kind: 'fault', fault: fatal }
    const expired = this.phases.expired(this.parts.clock.now())
    return expired ? { kind: 'phase-timeout', expired } : undefined
  }

  /** Every fault the cluster's objects show now (for the diagnostics). */
  get currentFaults(): PodFault[] {
    return this.faults.faults
  }

  stop(): void {
    this.parts.clock.clearTimeout(this.timer)
    this.faults.stop()
  }
}

/** The Kubernetes reads the fault watch makes: list, then watch, each set of objects. */
export function kubeFaultSources(kube: KubeClient, prepared: PreparedRayJob): FaultSources {
  const { namespace, name } = prepared
  const collection = (path: string, query: Record<string, string>) => ({
    list: () => kube.list(path, query) as Promise<{ items: Item[]; resourceVersion: string }>,
    watch: (rv: string, onEvent: (type: string, object: Item) => void, onClosed: (error?: unknown) => void) => kube.watch(path, query, rv, (e) => onEvent(e.type, e.object), onClosed)
  })
  return {
    clusterPods: (cluster) => collection(kube.podsPath(namespace), { labelSelector: `ray.io/cluster=${cluster}` }),
    rayCluster: (cluster) => collection(kube.rayClustersPath(namespace), { fieldSelector: `metadata.name=${cluster}` }),
    clusterEvents: (cluster) => collection(kube.eventsPath(namespace), { fieldSelector: `involvedObject.kind=RayCluster,involvedObject.name=${cluster}` }),
    // KubeRay names the submitter Job after the RayJob; the Job controller labels its Pods with the Job's name.
    submitterPods: () => collection(kube.podsPath(namespace), { labelSelector: `batch.kubernetes.io/job-name=${name}` })
  }
}
