import { describe, expect, it } from '@jest/globals'
import { backoffDelays } from '../../src/clients/clock.js'

const take = (n: number, schedule: Parameters<typeof backoffDelays>[0]): number[] => {
  const delays: number[] = []
  for (const delay of backoffDelays(schedule)) {
    if (delays.push(delay) >= n) break
  }
  return delays
}

describe('retry schedules', () => {
  it('grow by a factor up to their cap', () => {
    expect(take(6, { first: 1000, grow: 2, max: 10_000 })).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000])
  })

  it('grow by a rule (here: one second more each time)', () => {
    expect(take(7, { first: 1000, grow: (d) => d + 1000, max: 5000 })).toEqual([1000, 2000, 3000, 4000, 5000, 5000, 5000])
  })
})
