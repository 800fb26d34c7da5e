// The action speaks the runner's protocol through @actions/core, adding what @actions/core leaves to
// the caller (no line of data may read as a workflow command): each call is made both ways and the
// bytes the runner would read are compared, then the neutralising of hostile text is checked.
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
/** Text info prints as @actions/core does: no line of it looks like a command, no lone \r (see below for those). */
const plain = 'line one\nline two: 100% done, with ::colons:: and\n returns'

describe('the runner protocol, compared with @actions/core', () => {
  it('log lines, debug lines and warnings', async () => {
    await same(() => actionsRunner.info(plain), () => core.info(plain))
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
    // @actions/core's summary is one buffer: two written at once are each written once, in order.
    await Promise.all([actionsRunner.summary('first'), actionsRunner.summary('second')])
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe('first\nsecond\n')
    seen()
    // Without a summary file (a local run) there is nothing to write, and no error.
    delete process.env.GITHUB_STEP_SUMMARY
    await actionsRunner.summary('nowhere')
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
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

/**
 * The workflow commands the runner would run on reading `text`, as its log reader does: a line ends
 * at \r, \n or \r\n (.NET StreamReader.ReadLine), a line that starts with `::` once trimmed is a
 * command, and after `::stop-commands::T` nothing is until the line `::T::`.
 */
function commandsRun(text: string): string[] {
  const run: string[] = []
  let stopped: string | undefined
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim()
    if (stopped !== undefined) {
      if (trimmed === `::${stopped}::`) stopped = undefined
      continue
    }
    const command = /^::([^\s:]+)[^:]*::(.*)$/.exec(trimmed)
    if (!command) continue
    run.push(command[1])
    if (command[1] === 'stop-commands') stopped = command[2]
  }
  return run
}

describe('text the action did not mean as a command is never run as one (issue 9, defect 8)', () => {
  it.each([
    ['a manifest file name with a new line', 'Linting deploy/a\n::error::x.yaml: 1 RayJob'],
    ['a namespace with a carriage return', 'RayJob ns\r::error::x/train from jobs/train.yaml:1, K8sJobMode, submission ID abc'],
    ['a status message with a carriage return', '[12s] RayJob ns/train is Failed (DeadlineExceeded: the job ran out of time\r::add-mask::x)'],
    ['a line indented before the command', 'first\r\n   \t::warning file=a.yaml::fake'],
    ['the message itself', '::error::fake']
  ])('info with %s', (_, message) => {
    actionsRunner.info(message)
    const text = seen()
    expect(commandsRun(text).filter((c) => c !== 'stop-commands')).toEqual([])
    // The text is all there to read, each line of it on a line of its own.
    for (const line of message.split(/\r\n|\r|\n/)) expect(text.split('\n')).toContain(line)
  })

  it('a lone carriage return is a new line, not a return to the start of the line', () => {
    actionsRunner.info('status: Running\rstatus: Failed')
    expect(seen().split('\n')[0]).toBe('status: Running')
    actionsRunner.info('a\rb\r\nc')
    expect(stdout.join('')).toBe('a\nb\nc\n')
  })

  it('the Unicode line breaks count as breaks too, for safety', () => {
    for (const br of ['\u0085', '\u2028', '\u2029']) {
      actionsRunner.info(`x${br}::error::y`)
      expect(stdout.join('')).toMatch(/^::stop-commands::[0-9a-f-]{36}\n/)
      stdout = []
    }
  })

  it('lines that are plain text are printed as they are, without a stop-commands block', () => {
    actionsRunner.info('RayJob team-a/train: a ::b:: c')
    expect(stdout.join('')).toBe('RayJob team-a/train: a ::b:: c\n')
  })

  it('a job log line with a carriage return is split there too', () => {
    actionsRunner.untrusted(['progress 10%\rprogress 20%'])
    const lines = seen().split('\n')
    expect(lines.slice(1, 3)).toEqual(['progress 10%', 'progress 20%'])
  })

  it('annotations, warnings, groups and failures carry hostile text as data: no command is run but their own', () => {
    const hostile = 'x\r::error::a\n::add-mask::b\r\n,:%'
    actionsRunner.annotate({ level: 'warning', title: hostile, file: `deploy/${hostile}.yaml`, startLine: 1, startColumn: 2, message: hostile })
    actionsRunner.warning(hostile)
    actionsRunner.startGroup(hostile)
    actionsRunner.endGroup()
    actionsRunner.fail(hostile)
    expect(commandsRun(seen())).toEqual(['warning', 'warning', 'group', 'endgroup', 'error'])
  })
})
