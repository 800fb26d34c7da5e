// action.yml and the sub-actions' action.yml files are the input table (src/action/inputs.ts)
// written out: each must be exactly what the table gives. UPDATE_ACTION_YML=1 rewrites them.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUTS, OUTPUTS } from '../src/action/inputs.js'
import type { CommandName, InputSpec } from '../src/action/inputs.js'

const HEADER = {
  name: 'RayJob action',
  description: 'Lint KubeRay manifests (RayJob, RayCluster, RayService, RayCronJob) the way KubeRay judges them, submit a RayJob, read its Ray submission ID, and gate on the outcome.'
}

interface ActionFile {
  path: string
  name: string
  description: string
  /** undefined: the top-level action, every input (with `command`). */
  command?: CommandName
  main: string
  post: boolean
}

const FILES: ActionFile[] = [
  { path: 'action.yml', ...HEADER, main: 'dist/index.js', post: true },
  {
    path: 'lint/action.yml',
    name: 'RayJob lint',
    description: 'Check KubeRay manifests (RayJob, RayCluster, RayService, RayCronJob) the way KubeRay judges them: its own rules for your release, the CRD schema, and the mistakes that leave a job or service stuck.',
    command: 'lint',
    main: 'main.mjs',
    post: false
  },
  {
    path: 'wait/action.yml',
    name: 'RayJob wait',
    description: 'Gate the step on a KubeRay RayJob that another step, job or tool (Argo CD, Flux) created: its Ray submission ID, driver log and outcome, with a bounded wait.',
    command: 'wait',
    main: 'main.mjs',
    post: true
  },
  {
    path: 'submit/action.yml',
    name: 'RayJob submit',
    description: 'Lint, create a KubeRay RayJob, read its Ray submission ID, and gate the step on the outcome with a bounded wait.',
    command: 'submit',
    main: 'main.mjs',
    post: true
  }
]

const quote = (text: string): string => (/^[\w .,()/-]*$/.test(text) && !/^(true|false|\d)/.test(text) ? text : JSON.stringify(text))

function description(input: InputSpec, command: CommandName | undefined): string {
  // In the top-level action every input is listed: say which commands read one the lint does not.
  const notForLint = command === undefined && !input.commands.includes('lint')
  // "Wait for ..." reads "submit: wait for ..."; a name such as "RayJob" or "Ray" keeps its capital.
  const text = /^[A-Z][a-z]* /.test(input.description) && !/^Ray(Job)? /.test(input.description) ? input.description[0].toLowerCase() + input.description.slice(1) : input.description
  return notForLint ? `${input.commands.join(', ')}: ${text}` : input.description
}

/** The default a file shows: its command's own, or none in the top-level action when commands differ. */
function defaultOf(input: InputSpec, command: CommandName | undefined): string {
  if (command) return input.defaultFor?.[command] ?? input.default
  return input.defaultFor ? '' : input.default
}

function render(file: ActionFile): string {
  const lines = [`name: ${file.name}`, `description: ${quote(file.description)}`, 'author: rayjob-action', 'branding:', '  icon: check-circle', '  color: blue', '', 'inputs:']
  for (const input of INPUTS) {
    if (file.command && (input.name === 'command' || !input.commands.includes(file.command))) continue
    lines.push(`  ${input.name}:`, `    description: ${quote(description(input, file.command))}`, `    default: ${quote(defaultOf(input, file.command)) || '""'}`)
  }
  lines.push('', 'outputs:')
  for (const output of OUTPUTS) {
    if (file.command && !output.commands.includes(file.command)) continue
    lines.push(`  ${output.name}:`, `    description: ${quote(output.description)}`)
  }
  lines.push('', 'runs:', '  using: node24', `  main: ${file.main}`)
  if (file.post) lines.push(`  post: ${file.main}`, '  post-if: always()')
  return `${lines.join('\n')}\n`
}

describe('action.yml files', () => {
  it.each(FILES.map((f) => [f.path, f] as const))('%s is the input table written out', (path, file) => {
    const url = new URL(`../${path}`, import.meta.url)
    const expected = render(file)
    // What the runner reads: every input with its description and default, as text.
    const parsed = parse(expected) as { inputs: Record<string, { default: unknown; description: unknown }> }
    for (const input of Object.values(parsed.inputs)) expect([typeof input.default, typeof input.description]).toEqual(['string', 'string'])
    if (process.env.UPDATE_ACTION_YML === '1') writeFileSync(url, expected)
    expect(readFileSync(url, 'utf8')).toBe(expected)
  })

  it('every choice input has its default among its allowed values', () => {
    for (const input of INPUTS) {
      for (const value of [input.default, ...Object.values(input.defaultFor ?? {})]) {
        if (input.allowed) expect({ name: input.name, ok: input.allowed.includes(value) }).toEqual({ name: input.name, ok: true })
      }
    }
  })

  it('the sub-actions run the same bundle, with their command set', () => {
    for (const command of ['lint', 'submit', 'wait']) {
      const shim = readFileSync(new URL(`../${command}/main.mjs`, import.meta.url), 'utf8')
      expect(shim).toContain(`process.env.INPUT_COMMAND = '${command}'`)
      expect(shim).toContain("await import('../dist/index.js')")
    }
  })
})
