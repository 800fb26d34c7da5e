// What the step log says while a job runs: each state change once, with the time since the RayJob
// was created, whichever of KubeRay and Ray showed it first; and the history for the closing line.
import type { Clock } from '../clients/clock.js'
import { formatDuration } from '../gate/duration.js'
import { describeState, kubeRayMessage } from '../gate/status.js'
import type { RayJobSnapshot } from '../gate/status.js'
import type { StepLog } from '../gate/step-log.js'

export class JobNarrator {
  private readonly history: string[] = []
  /** Ray's job status as last printed (from KubeRay's copy or the Dashboard). */
  private rayStatusShown = ''
  private lastChange: number

  constructor(
    private readonly runner: StepLog,
    private readonly clock: Clock,
    /** When the RayJob was created (ms epoch on clock): the log's zero. */
    readonly startedAt: number,
    /** "namespace/name" */
    private readonly rayJobName: string,
    private readonly submissionId: string
  ) {
    this.lastChange = startedAt
  }

  /** "[1m05s]": time since the RayJob was created. */
  elapsed(): string {
    return formatDuration((this.clock.now() - this.startedAt) / 1000)
  }

  /** Seconds since the last state change, to say how long a stuck job was stuck. */
  stuckForSeconds(): number {
    return (this.clock.now() - this.lastChange) / 1000
  }

  /** The state changes so far, "Running (Ray: RUNNING) at 12s → ...". */
  get story(): string {
    return this.history.join(' → ')
  }

  /** The state the step found the RayJob in (at creation, or when it adopted an earlier one). */
  begin(initial: RayJobSnapshot): void {
    this.history.push(`${describeState(initial)} at 0s`)
    this.rayStatusShown = initial.jobStatus
  }

  /** A new version of the RayJob's status. */
  stateChanged(previous: RayJobSnapshot, next: RayJobSnapshot): void {
    this.lastChange = this.clock.now()
    if (next.rayClusterName && next.rayClusterName !== previous.rayClusterName) this.runner.setOutput('ray-cluster-name', next.rayClusterName)
    // KubeRay copies Ray's status a few seconds after the Dashboard showed it: say each change once.
    const onlyRayStatus = describeState({ ...previous, jobStatus: next.jobStatus }) === describeState(next) && next.reason === previous.reason
    if (onlyRayStatus && next.jobStatus === this.rayStatusShown) return
    if (next.jobStatus) this.rayStatusShown = next.jobStatus
    const line = `[${this.elapsed()}] RayJob ${this.rayJobName}: ${describeState(previous)} → ${describeState(next)}`
    this.runner.info(next.reason && next.reason !== previous.reason ? `${line} (${next.reason}${next.message ? `: ${kubeRayMessage(next.message)}` : ''})` : line)
    this.history.push(`${describeState(next)} at ${this.elapsed()}`)
  }

  /** A change of Ray's own status, read from the Dashboard. */
  rayStatusChanged(next: string): void {
    if (!next || next === this.rayStatusShown) return
    this.runner.info(`[${this.elapsed()}] Ray job ${this.submissionId}: ${this.rayStatusShown || 'unknown'} → ${next}`)
    this.rayStatusShown = next
  }

  /** Anything else that happened, with its time. */
  say(message: string): void {
    this.runner.info(`[${this.elapsed()}] ${message}`)
  }
}
