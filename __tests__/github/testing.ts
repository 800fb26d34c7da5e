// Test-only helpers for the GitHub reports: findings, a clock that never sleeps, a runner that
// records what the step shows.
import type { Clock } from '../../src/clients/clock.js'
import type { Finding, Severity } from '../../src/lint/findings.js'

/** A finding of a real rule (its title and reference come from the registry). */
export function finding(file: string, line: number, over: Partial<Finding> = {}): Finding {
  const severity: Severity = over.severity ?? 'error'
  return { ruleId: 'active-deadline-not-positive', severity, message: 'activeDeadlineSeconds must be a positive integer', hint: 'Set it above 0.', file, line, column: 3, object: 'RayJob team-a/train', ...over }
}

/**
 * A clock that never sleeps: each timer fires on the next turn of the event loop, and time moves
 * on by its delay, so that retries really wait (in the clock's time) and `waits` says how long.
 */
export class AutoClock implements Clock {
  t = 1_700_000_000_000
  readonly waits: number[] = []
  now = (): number => this.t
  setTimeout = (fn: () => void, ms: number): unknown => {
    this.waits.push(ms)
    this.t += ms
    return setImmediate(fn)
  }
  clearTimeout = (handle: unknown): void => clearImmediate(handle as NodeJS.Immediate)
}

