// Counts the requests the action makes to each server, so the step can say how hard it polled
// while it waited (a gate should not hammer the API server or the Dashboard). Pure.

export type RequestTarget = 'api' | 'dashboard'

export class RequestLog {
  private readonly entries: { target: RequestTarget; at: number }[] = []

  constructor(private readonly now: () => number = Date.now) {}

  record(target: RequestTarget, _what: string): void {
    this.entries.push({ target, at: this.now() })
  }

  /** Requests to `target` made at or after `since` (ms epoch). */
  countSince(target: RequestTarget, since: number): number {
    return this.entries.filter((e) => e.target === target && e.at >= since).length
  }
}

/** Requests per minute over a window, for the log. */
export function perMinute(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 60_000) / windowMs : 0
}
