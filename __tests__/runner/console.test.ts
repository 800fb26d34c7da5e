// The terminal Runner (stderr): data in its lines (file names, namespaces, a RayJob's status, a
// job's own log) is shown with its control characters escaped, so that it cannot add a line of its
// own or move the cursor; the line breaks the action means stay line breaks (issue 9, defect 8).
import { describe, expect, it } from '@jest/globals'
import { consoleRunner } from '../../src/runner/console.js'

function recorder() {
  const chunks: string[] = []
  const stream = { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream
  return { runner: consoleRunner(stream), text: () => chunks.join('') }
}

describe('consoleRunner', () => {
  it('log lines: a lone \\r, escape sequences and Unicode line breaks are shown escaped; \\n stays a line break', () => {
    const { runner, text } = recorder()
    runner.info('RayJob ns\r::error::x/train is Failed (\u001b[2Jgone\u2028away)\nsecond line')
    runner.warning('a\r\nb')
    runner.fail('c\u0085d')
    // fail sets the exit code, as it must for the command line; the test run's own must not keep it.
    expect(process.exitCode).toBe(1)
    process.exitCode = undefined
    expect(text()).toBe('RayJob ns\\r::error::x/train is Failed (\\u001b[2Jgone\\u2028away)\nsecond line\nwarning: a\nb\nerror: c\\u0085d\n')
  })

  it('annotations: the file and the title are one line whatever they hold', () => {
    const { runner, text } = recorder()
    runner.annotate({ level: 'error', file: 'jobs/a\n::error::b.yaml', title: 't\rx', startLine: 3, startColumn: 4, message: 'RayJob a: m\nFix: h' })
    expect(text()).toBe('jobs/a\\n::error::b.yaml:3:4 error t\\rx: RayJob a: m\nFix: h\n')
  })

  it("a job's own log: each line one line", () => {
    const { runner, text } = recorder()
    runner.untrusted(['progress 10%\rprogress 20%', 'x\ny'])
    expect(text()).toBe('progress 10%\\rprogress 20%\nx\\ny\n')
  })

  it('masks still apply', () => {
    const { runner, text } = recorder()
    runner.mask('s3cr3t')
    runner.info('token s3cr3t\r')
    expect(text()).toBe('token ***\\r\n')
  })
})
