// Go's time.ParseDuration: which texts it accepts, their sign, and its errors (KubeRay checks the
// ray.io/initializing-timeout annotation and cron's "@every" with it).
import { goQuote } from './strconv.js'

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n
}
const MAX_NANOS = 2n ** 63n - 1n

/** Nanoseconds (as Go rounds them down), or Go's error text. */
export function parseGoDuration(text: string): { nanos: bigint } | { error: string } {
  const invalid = { error: `time: invalid duration ${goQuote(text)}` }
  let s = text
  let negative = false
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return { nanos: 0n }
  if (s === '') return invalid
  let total = 0n
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!
    const [whole, intPart, fraction] = number
    if (intPart === '' && (fraction === undefined || fraction === '')) return invalid
    s = s.slice(whole.length)
    const unitMatch = /^[^\d.]*/.exec(s)!
    const unit = unitMatch[0]
    if (unit === '') return { error: `time: missing unit in duration ${goQuote(text)}` }
    s = s.slice(unit.length)
    const scale = UNIT_NANOS[unit]
    if (scale === undefined) return { error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}` }
    const intValue = BigInt(intPart || '0')
    if (intValue > MAX_NANOS / scale) return invalid
    let nanos = intValue * scale
    if (fraction) {
      // Go keeps the fraction's digits it can hold and rounds the product down.
      const digits = fraction.replace(/0+$/, '') || '0'
      nanos += (BigInt(digits) * scale) / 10n ** BigInt(digits.length)
    }
    total += nanos
    if (total > MAX_NANOS) return invalid
  }
  return { nanos: negative ? -total : total }
}
