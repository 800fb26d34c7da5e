// Follows one RayJob: a watch for prompt news, reconnected when the stream drops or the API server
// answers 410 Gone, plus a periodic read in case a watch silently stalls. Callers wait for a
// condition with a deadline. The clock and the source are passed in, so the timing is testable.
import { backoffDelay } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import { GONE, snapshotOf } from './status.js'
import type { RayJobSnapshot } from './status.js'

export interface RayJobSource {
  get(): Promise<Record<string, unknown> | undefined>
  watch(fromResourceVersion: string, onEvent: (type: string, object: Record<string, unknown>) => void, onClosed: (error?: unknown) => void): Promise<{ abort(): void }>
}

export interface FollowOptions {
  /** How often to read the RayJob besides the watch. */
  pollEveryMs: number
  /** Told once per change of state (deployment status, Ray status, reason, cluster, dashboard, existence). */
  onChange?: (previous: RayJobSnapshot, next: RayJobSnapshot) => void
  /** Problems worth a debug line (a failed read; the next one usually works). */
  onProblem?: (message: string) => void
}

/** `refused`: the API server has refused every request about the RayJob for a while (see REFUSED_AFTER_MS). */
export type WaitResult = 'matched' | 'deadline' | 'aborted' | 'refused'

/**
 * How long, and how many times in a row, the API server may answer 401/403 to the watch and the
 * reads before the follower gives up: credentials that lost a permission (a RoleBinding removed) or
 * expired do not come back by waiting, and the step must say so rather than wait out its timeout.
 */
export const REFUSED_AFTER_MS = 20_000
export const REFUSED_AFTER_TRIES = 3

/** After the first failure the watch reconnects at once; then after 1 s, 2 s, 4 s ... up to 30 s. */
const RECONNECT = { first: 1000, grow: 2, max: 30_000 }

export class RayJobFollower {
  private current: RayJobSnapshot = GONE
  private object: Record<string, unknown> | undefined
  private waiters = new Set<() => void>()
  private stopped = false
  private watch?: { abort(): void }
  private pollTimer: unknown
  private reconnectTimer: unknown
  private failedConnects = 0
  private heardAt = 0
  /**
   * After 410 Gone the next watch starts at the present (no resourceVersion), not at the RayJob's
   * own resourceVersion: an object unchanged for a while carries a version older than a restarted
   * API server's watch cache holds, and watching from it is answered 410 again, in a loop.
   */
  private fromPresent = false
  /** The watch was aborted here (after an ERROR event): its close is no failure. */
  private abortedHere = false
  /** 401/403 answers in a row: since when, how many, the last one. */
  private refusals?: { since: number; count: number; last: string }
  private refusedFor?: string
  private refusalCheck: unknown

  constructor(
    private readonly source: RayJobSource,
    private readonly clock: Clock,
    private readonly options: FollowOptions
  ) {}

  get snapshot(): RayJobSnapshot {
    return this.current
  }

  /** When the API server last told anything about the RayJob (a read, a watch event or bookmark), ms epoch. */
  get lastHeardAt(): number {
    return this.heardAt
  }

  /** Why the API server refuses every request about the RayJob, once it has for REFUSED_AFTER_MS; else undefined. */
  get refused(): string | undefined {
    return this.refusedFor
  }

  /** The RayJob object last seen (undefined once deleted). */
  get latest(): Record<string, unknown> | undefined {
    return this.object
  }

  /** Starts from an object already read (e.g. the created RayJob); changes are reported from there on. */
  start(initial: Record<string, unknown>): void {
    this.object = initial
    this.current = snapshotOf(initial)
    this.heardAt = this.clock.now()
    void this.connect()
    this.schedulePoll()
  }

  stop(): void {
    this.stopped = true
    this.watch?.abort()
    this.clock.clearTimeout(this.pollTimer)
    this.clock.clearTimeout(this.reconnectTimer)
    this.clock.clearTimeout(this.refusalCheck)
    this.wake()
  }

  /** Reads the RayJob now (e.g. when another source says something happened). */
  async refresh(): Promise<void> {
    try {
      this.accept(await this.source.get())
    } catch (error) {
      this.options.onProblem?.(`reading the RayJob failed: ${(error as Error).message}`)
      this.noteRefusal(error)
    }
  }

  /** Waits until `condition` holds for the latest snapshot, the deadline (ms epoch) passes, or `signal` aborts. */
  async until(condition: (s: RayJobSnapshot) => boolean, deadline: number, signal?: AbortSignal): Promise<WaitResult> {
    for (;;) {
      if (condition(this.current)) return 'matched'
      if (this.refusedFor) return 'refused'
      if (signal?.aborted || this.stopped) return 'aborted'
      if (this.clock.now() >= deadline) return 'deadline'
      await this.nextChange(deadline, signal)
    }
  }

  /** Resolves on the next accepted change, at the deadline, or on abort, whichever comes first. */
  private nextChange(deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done)
        this.clock.clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = this.clock.setTimeout(done, Math.max(0, deadline - this.clock.now()))
      signal?.addEventListener('abort', done)
      this.waiters.add(done)
    })
  }

  /** Makes waiters re-check their condition (another source of news changed something). */
  wake(): void {
    for (const waiter of [...this.waiters]) waiter()
  }

  private accept(object: Record<string, unknown> | undefined): void {
    this.heardAt = this.clock.now()
    this.refusals = undefined
    const next = snapshotOf(object)
    // A watch can deliver an older version after a read returned a newer one: keep the newest.
    if (object && this.object && olderThan(next.resourceVersion, this.current.resourceVersion)) return
    const previous = this.current
    this.object = object
    this.current = next
    if (stateChanged(previous, next)) this.options.onChange?.(previous, next)
    this.wake()
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    const from = this.fromPresent ? '' : this.current.resourceVersion
    this.fromPresent = false
    try {
      this.watch = await this.source.watch(
        from,
        (type, object) => this.onWatchEvent(type, object),
        (error) => this.onWatchClosed(error)
      )
      if (this.stopped) this.watch.abort()
    } catch (error) {
      this.onWatchClosed(error)
    }
  }

  private onWatchEvent(type: string, object: Record<string, unknown>): void {
    this.failedConnects = 0
    this.heardAt = this.clock.now()
    this.refusals = undefined
    if (type === 'ADDED' || type === 'MODIFIED') this.accept(object)
    else if (type === 'DELETED') this.accept(undefined)
    else if (type === 'BOOKMARK') {
      const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion
      if (rv) this.current = { ...this.current, resourceVersion: rv }
    } else if (type === 'ERROR') {
      // 410 Gone: our resourceVersion is older than the API server keeps (compacted, or a restarted
      // server's fresh watch cache). Read afresh, then watch from the present.
      const status = object as { code?: number; reason?: string; message?: string }
      this.options.onProblem?.(`the RayJob watch ended with an error event: ${[status.code, status.reason, status.message].filter(Boolean).join(' ') || 'no details'}`)
      this.fromPresent = true
      this.abortedHere = true
      this.watch?.abort()
    }
  }

  private onWatchClosed(error?: unknown): void {
    if (this.stopped) return
    const status = (error as { statusCode?: number; code?: number } | undefined)?.statusCode
    const timedOut = (error as { name?: string } | undefined)?.name === 'TimeoutError'
    const abortedHere = this.abortedHere
    this.abortedHere = false
    if (error && !timedOut && !abortedHere) {
      this.failedConnects++
      this.options.onProblem?.(`the RayJob watch closed: ${status ? `HTTP ${status}` : (error as Error).message ?? String(error)}`)
    }
    if (status === 410) this.fromPresent = true
    if (error && !abortedHere) this.noteRefusal(error)
    const delay = abortedHere ? RECONNECT.first : this.failedConnects === 0 ? 0 : backoffDelay(RECONNECT, this.failedConnects - 1)
    this.clock.clearTimeout(this.reconnectTimer)
    this.reconnectTimer = this.clock.setTimeout(() => {
      // After 410, read first: the watch from the present brings only what changes from now on.
      void (this.fromPresent ? this.refresh() : Promise.resolve()).then(() => this.connect())
    }, delay)
  }

  /** Counts a 401/403 (from a read: KubeApiError.status; from the watch: statusCode); enough of them in a row end the waits. */
  private noteRefusal(error: unknown): void {
    const e = error as { status?: number; statusCode?: number; message?: string } | undefined
    const status = e?.status ?? e?.statusCode
    if (status !== 401 && status !== 403) return
    const now = this.clock.now()
    const last = e?.message?.split('\n')[0] ?? `HTTP ${status}`
    this.refusals = this.refusals ? { ...this.refusals, count: this.refusals.count + 1, last } : { since: now, count: 1, last }
    if (this.refusedFor || this.refusals.count < REFUSED_AFTER_TRIES) return
    const waited = now - this.refusals.since
    if (waited >= REFUSED_AFTER_MS) {
      this.refusedFor = `the API server has refused every request about the RayJob for ${Math.round(waited / 1000)} s (HTTP ${status}; last: ${this.refusals.last})`
      this.clock.clearTimeout(this.refusalCheck)
      this.wake()
      return
    }
    // Refused often enough but not for long enough: ask once more when it will have been, rather
    // than leave it to the watch's slowing reconnects or the minute's read.
    this.clock.clearTimeout(this.refusalCheck)
    this.refusalCheck = this.clock.setTimeout(() => void this.refresh(), REFUSED_AFTER_MS - waited)
  }

  private schedulePoll(): void {
    if (this.stopped) return
    this.pollTimer = this.clock.setTimeout(() => {
      void this.refresh().then(() => this.schedulePoll())
    }, this.options.pollEveryMs)
  }
}

function olderThan(a: string, b: string): boolean {
  // resourceVersions are opaque, but the API server's are etcd revisions: compare them when both are numbers.
  return /^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) < BigInt(b)
}

function stateChanged(a: RayJobSnapshot, b: RayJobSnapshot): boolean {
  return (
    a.exists !== b.exists ||
    a.deploymentStatus !== b.deploymentStatus ||
    a.jobStatus !== b.jobStatus ||
    a.reason !== b.reason ||
    a.rayClusterName !== b.rayClusterName ||
    a.dashboardURL !== b.dashboardURL
  )
}
