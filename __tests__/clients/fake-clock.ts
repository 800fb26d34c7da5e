// A clock the test moves by hand: timers fire in order as time advances, and the promises they
// start settle before advance() returns.
import type { Clock } from '../../src/clients/clock.js'

export class FakeClock implements Clock {
  private t = 1_000_000
  private timers = new Map<number, { at: number; fn: () => void }>()
  private next = 1
  now = () => this.t
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++
    this.timers.set(id, { at: this.t + ms, fn })
    return id
  }
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number)
  /** Moves time on, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      await flush()
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.t = Math.max(this.t, due[1].at)
      due[1].fn()
    }
    this.t = end
    await flush()
  }
}
export const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

