// The action speaks the runner's protocol without @actions/core (see src/runner/workflow-commands.ts
// for why): here each call is made both ways and the bytes the runner would read are compared.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionsRunner, readActionInput } from '../../src/runner/actions.js'

let dir: string
let stdout: string[]
const realWrite = process.stdout.write.bind(process.stdout)
const saved = { ...process.env }

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-protocol-'))
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '')
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STATE = join(dir, 'state')
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
  stdout = []
  process.stdout.write = ((chunk: string) => stdout.push(String(chunk)) > 0) as typeof process.stdout.write
})
afterEach(() => {
  process.stdout.write = realWrite
  process.env = { ...saved }
  process.exitCode = undefined
})

/** What the runner would see: stdout and the three files, with the random delimiters made equal. */
function seen(): string {
  const files = ['output', 'state', 'summary'].map((f) => `${f}:\n${readFileSync(join(dir, f), 'utf8')}`)
  const text = [stdout.join(''), ...files].join('\n')
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '')
  stdout = []
  return text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X')
}

async function same(ours: () => unknown | Promise<unknown>, theirs: () => unknown | Promise<unknown>): Promise<void> {
  await ours()
  const a = seen()
  await theirs()
  const b = seen()
  expect(a).toBe(b)
  expect(a.length).toBeGreaterThan(0)
}

const tricky = 'line one\nline two: 100% done, with ::colons:: and \r returns'

describe('the runner protocol, compared with @actions/core', () => {
  it('log lines, debug lines and warnings', async () => {
    await same(() => actionsRunner.info(tricky), () => core.info(tricky))
    await same(() => actionsRunner.debug(tricky), () => core.debug(tricky))
    await same(() => actionsRunner.warning(tricky), () => core.warning(tricky))
  })

  it('annotations with file, line, column and title', async () => {
    const a = { title: 'schema-unknown-field: unknown field, with: punctuation', file: 'deploy/jobs,a.yaml', startLine: 7, startColumn: 3, message: tricky }
    await same(() => actionsRunner.annotate({ ...a, level: 'error' }), () => core.error(a.message, a))
    await same(() => actionsRunner.annotate({ ...a, level: 'warning' }), () => core.warning(a.message, a))
    await same(() => actionsRunner.annotate({ ...a, level: 'note' }), () => core.notice(a.message, a))
  })

  it('outputs and state, multi-line values included', async () => {
    await same(() => actionsRunner.setOutput('message', tricky), () => core.setOutput('message', tricky))
    await same(() => actionsRunner.setOutput('errors', 3), () => core.setOutput('errors', '3'))
    await same(() => actionsRunner.saveState('rayjob', '{"a":1}'), () => core.saveState('rayjob', '{"a":1}'))
  })

  it('outputs without GITHUB_OUTPUT (an old runner) use the stdout command', async () => {
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STATE
    await same(() => actionsRunner.setOutput('errors', '2'), () => core.setOutput('errors', '2'))
    await same(() => actionsRunner.saveState('rayjob', 'x'), () => core.saveState('rayjob', 'x'))
  })

  it('masks, groups, the job summary and failing the step', async () => {
    await same(() => actionsRunner.mask('s3cr3t'), () => core.setSecret('s3cr3t'))
    await same(
      () => {
        actionsRunner.startGroup('Driver log')
        actionsRunner.info('x')
        actionsRunner.endGroup()
      },
      () => core.group('Driver log', async () => core.info('x'))
    )
    await same(() => actionsRunner.summary('## Title\n| a |'), () => core.summary.addRaw('## Title\n| a |', true).write())
    await same(() => actionsRunner.fail(tricky), () => core.setFailed(tricky))
    expect(process.exitCode).toBe(1)
  })

  it("prints a job's own log so that the runner takes none of it as a command", () => {
    const hostile = ['::add-mask::not-a-secret', '::error::fake failure', '::stop-commands::guess', 'plain line']
    actionsRunner.untrusted(hostile)
    const lines = seen().split('\n')
    const token = /^::stop-commands::([0-9a-f-]{36})$/.exec(lines[0])?.[1]
    expect(token).toBeDefined()
    expect(lines.slice(1, 5)).toEqual(hostile)
    expect(lines[5]).toBe(`::${token}::`)
    // Each block has a token of its own: one seen in the log cannot end the next block.
    actionsRunner.untrusted(['x'])
    expect(seen()).not.toContain(token)
    actionsRunner.untrusted([])
    expect(stdout).toEqual([])
  })

  it('reads inputs and state as @actions/core does', () => {
    process.env['INPUT_KUBERAY-VERSION'] = '  1.6.2 \n'
    process.env.INPUT_FAIL_ON_X = 'never'
    process.env.STATE_rayjob = '{"name":"a"}'
    expect(readActionInput('kuberay-version')).toBe(core.getInput('kuberay-version'))
    expect(readActionInput('fail on x')).toBe(core.getInput('fail on x'))
    expect(readActionInput('missing')).toBe(core.getInput('missing'))
    expect(actionsRunner.getState('rayjob')).toBe(core.getState('rayjob'))
  })
})
