// The runner's protocol, as @actions/core speaks it: `::command key=value::message` lines on stdout
// and `name<<delimiter` blocks in the GITHUB_OUTPUT / GITHUB_STATE files. Written out here because
// importing @actions/core 3 also loads its OIDC HTTP client (undici) and @actions/exec, which cost
// the lint's cold start about 75 ms on every run for functions the action never calls.
// __tests__/runner/actions.test.ts checks the output against @actions/core's, byte for byte. Pure.
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** `::name key=value,...::message`, with @actions/core's escaping. */
export function workflowCommand(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

/**
 * Where a line of the step's stdout ends for the runner (.NET StreamReader.ReadLine: \r\n, \r or \n),
 * and, to be safe, the Unicode line breaks (U+0085, U+2028, U+2029) too.
 */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/

/** The lines the runner would read in `text`. */
export const logLines = (text: string): string[] => text.split(LINE_BREAK)

/**
 * Whether the runner would take `line` for a workflow command: it starts with `::` once trimmed
 * (.NET's Trim; \s here covers more white space than it, which only errs on the safe side).
 */
// eslint-disable-next-line no-control-regex -- U+001C to U+001F: white space to some readers, so skipped too
export const looksLikeCommand = (line: string): boolean => /^[\s\u0085\u001c-\u001f]*::/.test(line)

/** A `name<<delimiter` block for GITHUB_OUTPUT / GITHUB_STATE, with a delimiter the value cannot contain. */
export function keyValueBlock(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`Unexpected input: "${name}" contains the delimiter`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

/** The environment variable an input arrives in: INPUT_<NAME>, spaces as underscores. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
