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

/** A `name<<delimiter` block for GITHUB_OUTPUT / GITHUB_STATE, with a delimiter the value cannot contain. */
export function keyValueBlock(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`Unexpected input: "${name}" contains the delimiter`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

/** The environment variable an input arrives in: INPUT_<NAME>, spaces as underscores. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
