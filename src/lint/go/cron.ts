// robfig/cron v3's ParseStandard, the parser KubeRay's RayCronJob uses: five fields (minute, hour,
// day of month, month, day of week) or a descriptor (@daily, @every 1h30m, ...). Only its verdict
// and its error text are needed here, so no schedule is built.
import { parseGoDuration } from './duration.js'
import { atoi } from './strconv.js'
import { loadLocationError } from './timezone.js'

interface Bounds {
  min: number
  max: number
  names?: Record<string, number>
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS }
]
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])
/** Go's unicode.IsSpace, which strings.Fields splits on. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

/** Undefined when robfig/cron accepts the schedule, else its error text. */
export function cronScheduleError(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string'
  let rest = spec
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ')
    // Go slices up to the first space; without one it panics, which the operator reports as a failed reconcile.
    if (space < 0) return `a time zone prefix without a schedule after it: ${spec}`
    const zone = rest.slice(rest.indexOf('=') + 1, space)
    const zoneError = loadLocationError(zone)
    if (zoneError) return `provided bad location ${zone}: ${zoneError}`
    rest = rest.slice(space).trim()
  }
  if (rest.startsWith('@')) return descriptorError(rest)
  const fields = rest.split(GO_SPACE).filter((f) => f !== '')
  if (fields.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`
  for (let i = 0; i < FIELDS.length; i++) {
    for (const expr of fields[i].split(',').filter((e) => e !== '')) {
      const error = rangeError(expr, FIELDS[i])
      if (error) return error
    }
  }
  return undefined
}

function descriptorError(descriptor: string): string | undefined {
  if (DESCRIPTORS.has(descriptor)) return undefined
  const every = '@every '
  if (descriptor.startsWith(every)) {
    const parsed = parseGoDuration(descriptor.slice(every.length))
    return 'error' in parsed ? `failed to parse duration ${descriptor}: ${parsed.error}` : undefined
  }
  return `unrecognized descriptor: ${descriptor}`
}

function rangeError(expr: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expr.split('/')
  const lowAndHigh = rangeAndStep[0].split('-')
  let start: bigint
  let end: bigint
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = BigInt(bounds.min)
    end = BigInt(bounds.max)
  } else {
    const low = intOrName(lowAndHigh[0], bounds)
    if ('error' in low) return low.error
    start = low.value
    if (lowAndHigh.length === 1) end = start
    else if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1], bounds)
      if ('error' in high) return high.error
      end = high.value
    } else return `too many hyphens: ${expr}`
  }
  let step = 1n
  if (rangeAndStep.length === 2) {
    const parsed = nonNegative(rangeAndStep[1])
    if ('error' in parsed) return parsed.error
    step = parsed.value
    if (lowAndHigh.length === 1) end = BigInt(bounds.max)
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`
  if (start < BigInt(bounds.min)) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`
  if (end > BigInt(bounds.max)) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`
  if (step === 0n) return `step of range should be a positive number: ${expr}`
  return undefined
}

function intOrName(expr: string, bounds: Bounds): { value: bigint } | { error: string } {
  const name = expr.toLowerCase()
  return bounds.names && Object.hasOwn(bounds.names, name) ? { value: BigInt(bounds.names[name]) } : nonNegative(expr)
}

function nonNegative(expr: string): { value: bigint } | { error: string } {
  const parsed = atoi(expr)
  if ('error' in parsed) return { error: `failed to parse int from ${expr}: ${parsed.error}` }
  if (parsed.value < 0n) return { error: `negative number (${parsed.value}) not allowed: ${expr}` }
  return parsed
}
