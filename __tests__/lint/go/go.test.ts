// Go's readers the RayCronJob and RayService rules lean on, held to what Go answers (the values
// below are Go 1.26's, and the conformance tests compare the rules with KubeRay's own build).
import { describe, expect, test } from '@jest/globals'
import { cronScheduleError } from '../../../src/lint/go/cron.js'
import { parseGoDuration } from '../../../src/lint/go/duration.js'
import { atoi, goQuote } from '../../../src/lint/go/strconv.js'
import { loadLocationError } from '../../../src/lint/go/timezone.js'

describe('time.ParseDuration', () => {
  test.each([
    ['5m', 300_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['-5m', -300_000_000_000n],
    ['+2s', 2_000_000_000n],
    ['0', 0n],
    ['300ms', 300_000_000n],
    ['1µs', 1000n],
    ['.5s', 500_000_000n]
  ])('%s is %p ns', (text, nanos) => {
    expect(parseGoDuration(text)).toEqual({ nanos })
  })

  test.each([
    ['', 'time: invalid duration ""'],
    ['5', 'time: missing unit in duration "5"'],
    ['5 m', 'time: unknown unit " m" in duration "5 m"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['.s', 'time: invalid duration ".s"'],
    ['99999999999999999999h', 'time: invalid duration "99999999999999999999h"']
  ])('%p is refused: %s', (text, error) => {
    expect(parseGoDuration(text)).toEqual({ error })
  })
})

test('strconv.Atoi and Quote', () => {
  expect(atoi('+42')).toEqual({ value: 42n })
  expect(atoi('4 2')).toEqual({ error: 'strconv.Atoi: parsing "4 2": invalid syntax' })
  expect(atoi('9223372036854775808')).toEqual({ error: 'strconv.Atoi: parsing "9223372036854775808": value out of range' })
  expect(goQuote('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\x01"')
})

describe("robfig/cron's ParseStandard", () => {
  test.each(['* * * * *', '*/15 0-6 1,15 jan-mar MON-FRI', '@daily', '@every 1h30m', '0 3 ? * *', '  0 3 * * *  ', 'TZ=UTC 0 3 * * *', '5,,10 * * * *'])('%p is a schedule', (spec) => {
    expect(cronScheduleError(spec)).toBeUndefined()
  })

  test.each([
    ['', 'empty spec string'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@every 1d', 'failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"'],
    ['TZ=Mars/Base * * * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base']
  ])('%p: %s', (spec, error) => {
    expect(cronScheduleError(spec)).toBe(error)
  })

  test('a month or day name is read in any case; a name is no number elsewhere', () => {
    expect(cronScheduleError('0 0 1 Jan,DEC *')).toBeUndefined()
    expect(cronScheduleError('constructor * * * *')).toBe('failed to parse int from constructor: strconv.Atoi: parsing "constructor": invalid syntax')
  })
})

test('time.LoadLocation', () => {
  expect(loadLocationError('UTC')).toBeUndefined()
  expect(loadLocationError('Local')).toBeUndefined()
  expect(loadLocationError('America/New_York')).toBeUndefined()
  expect(loadLocationError('Mars/Base')).toBe('unknown time zone Mars/Base')
  expect(loadLocationError('america/new_york')).toBe('unknown time zone america/new_york')
  expect(loadLocationError('../etc/passwd')).toBe('time: invalid location name')
})
