// Keeps a live copy of a set of Kubernetes objects (the Pods of a RayCluster, one RayCluster): a
// list, then a watch from the list's resourceVersion, watched again from the last resourceVersion
// seen when the stream ends in good order (the server's timeout, a quiet spell), listed again after
// a failure or 410 Gone (with backoff while it fails). One long request instead of a poll, so following Pods costs
// almost nothing against the few requests a minute the action allows itself. A refusal (401/403)
// stops it for good: these reads only add detail, and the step never fails for them.
import { backoffDelay } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'

export type Item = Record<string, unknown> & { metadata?: { name?: string; resourceVersion?: string } }

export interface ListWatchSource {
  list(): Promise<{ items: Item[]; resourceVersion: string }>
  watch(resourceVersion: string, onEvent: (type: string, object: Item) => void, onClosed: (error?: unknown) => void): Promise<{ abort(): void }>
}

const RETRY = { first: 1000, grow: 2, max: 30_000 }

export class ListWatch {
  private readonly items = new Map<string, Item>()
  private stopped = false
  private watch?: { abort(): void }
  private timer: unknown
  private failures = 0
  /** Where the next watch starts (the list's, then each event's and bookmark's); '' to list again first. */
  private resourceVersion = ''

  constructor(
    private readonly source: ListWatchSource,
    private readonly clock: Clock,
    /** Told after every change, with every object now known. */
    private readonly onChange: (items: Item[]) => void,
    /** Told once when the API server refuses (status and message); the ListWatch then stops. */
    private readonly onRefused: (status: number, message: string) => void,
    private readonly onProblem: (message: string) => void = () => {}
  ) {}

  start(): void {
    void this.relist()
  }

  stop(): void {
    this.stopped = true
    this.watch?.abort()
    this.clock.clearTimeout(this.timer)
  }

  get current(): Item[] {
    return [...this.items.values()]
  }

  /** Lists (unless a watch ended in good order: then it goes on from where that one was) and watches. */
  private async relist(): Promise<void> {
    if (this.stopped) return
    try {
      if (!this.resourceVersion) {
        const { items, resourceVersion } = await this.source.list()
        if (this.stopped) return
        this.items.clear()
        for (const item of items) this.items.set(item.metadata?.name ?? '', item)
        this.resourceVersion = resourceVersion
        this.onChange(this.current)
      }
      this.watch = await this.source.watch(this.resourceVersion, (type, object) => this.onEvent(type, object), (error) => this.onClosed(error))
      if (this.stopped) this.watch.abort()
    } catch (error) {
      this.onClosed(error)
    }
  }

  private onEvent(type: string, object: Item): void {
    this.failures = 0
    const name = object.metadata?.name ?? ''
    if (type === 'ERROR') {
      this.resourceVersion = '' // 410 Gone: the stream ends, and the next watch starts from a fresh list
      return
    }
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion
    if (type === 'ADDED' || type === 'MODIFIED') this.items.set(name, object)
    else if (type === 'DELETED') this.items.delete(name)
    else return // BOOKMARK: only its resourceVersion
    this.onChange(this.current)
  }

  private onClosed(error?: unknown): void {
    if (this.stopped) return
    const e = error as { status?: number; statusCode?: number; message?: string; name?: string } | undefined
    const status = e?.status ?? e?.statusCode
    if (status === 401 || status === 403) {
      this.stopped = true
      this.onRefused(status, (e?.message ?? '').split('\n')[0])
      return
    }
    const failed = error !== undefined && e?.name !== 'TimeoutError'
    if (failed) {
      this.failures++
      this.resourceVersion = ''
      this.onProblem(`${e?.message ?? String(error)}`.split('\n')[0])
    }
    // A watch the server ended in good order (its timeout) is listed and watched again a second later.
    const delay = failed ? backoffDelay(RETRY, this.failures - 1) : RETRY.first
    this.timer = this.clock.setTimeout(() => void this.relist(), delay)
  }
}
