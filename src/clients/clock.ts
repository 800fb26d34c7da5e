// Time, as every wait and retry of the action reads it: one injectable clock (tests drive it), one
// way to sleep on it, and one shape of retry schedule. Pure apart from systemClock.

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
}

/** Resolves after `ms` on `clock`, or at once when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clock.clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = clock.setTimeout(done, ms)
    signal?.addEventListener('abort', done)
  })
}

/**
 * A retry schedule: `first`, then each delay `grow`n from the one before (a factor, or a function
 * of it), never above `max`. Every retry loop of the action takes its delays from one of these.
 */
export interface Backoff {
  first: number
  max: number
  grow: number | ((previous: number) => number)
}

/** The delays of a schedule, without end: take as many as the loop needs. */
export function* backoffDelays(schedule: Backoff): Generator<number, never> {
  for (let delay = schedule.first; ; ) {
    yield Math.min(delay, schedule.max)
    delay = typeof schedule.grow === 'number' ? Math.round(delay * schedule.grow) : schedule.grow(delay)
  }
}

/** The delay before try `n + 1` (n = 0: the first retry), for loops that count their failures. */
export function backoffDelay(schedule: Backoff, n: number): number {
  let delay = 0
  const delays = backoffDelays(schedule)
  for (let i = 0; i <= n; i++) delay = delays.next().value
  return delay
}
