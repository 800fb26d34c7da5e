import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration } from '../../src/gate/duration.js'

describe('timeout durations', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h30m15s', 5415],
    ['600', 600],
    [' 30M ', 1800]
  ])('reads %p as %p seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ seconds })
  })

  it.each(['', '15x', '0s', '0', 'soon', '15 minutes', '1.5h', '-5m', 'm'])('refuses %p with the forms it accepts', (text) => {
    const result = parseDuration(text)
    expect(result).toHaveProperty('error')
    expect((result as { error: string }).error).toMatch(/90s, 15m, 2h or 1h30m|not a positive duration/)
  })

  it('prints durations for people', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(59.6)).toBe('1m')
    expect(formatDuration(95)).toBe('1m 35s')
    expect(formatDuration(7265)).toBe('2h 1m 5s')
    expect(formatDuration(3600)).toBe('1h')
  })
})
