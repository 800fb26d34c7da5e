import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { currentRunContext } from '../../src/submit/run-context.js'

const dir = mkdtempSync(join(tmpdir(), 'run-context-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function eventFile(name: string, payload: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return file
}

const runner = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/ml-pipelines',
  GITHUB_WORKFLOW: 'Train & deploy',
  GITHUB_JOB: 'train',
  GITHUB_RUN_ID: '12345678901',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SHA: 'f'.repeat(40),
  GITHUB_REF: 'refs/pull/7/merge',
  GITHUB_SERVER_URL: 'https://github.example.com'
}

describe('the run a submit step belongs to', () => {
  it('outside GitHub Actions nothing is known', () => {
    expect(currentRunContext({})).toEqual({})
    const { GITHUB_ACTIONS: _, ...rest } = runner
    expect(currentRunContext(rest)).toEqual({})
    expect(currentRunContext({ ...runner, GITHUB_ACTIONS: 'false' })).toEqual({})
  })

  it('a pull_request event: the head commit, not the merge commit GITHUB_SHA names', () => {
    const GITHUB_EVENT_PATH = eventFile('pull_request.json', { action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: 'a'.repeat(40), ref: 'feature' } } })
    expect(currentRunContext({ ...runner, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH })).toEqual({
      repository: 'acme/ml-pipelines',
      workflow: 'Train & deploy',
      job: 'train',
      runId: '12345678901',
      runAttempt: '2',
      sha: 'a'.repeat(40),
      ref: 'refs/pull/7/merge',
      serverUrl: 'https://github.example.com'
    })
  })

  it('a push event: GITHUB_SHA', () => {
    const GITHUB_EVENT_PATH = eventFile('push.json', { ref: 'refs/heads/main', head_commit: { id: 'b'.repeat(40) } })
    expect(currentRunContext({ ...runner, GITHUB_EVENT_PATH }).sha).toBe('f'.repeat(40))
  })

  it('no event file, an unreadable one or one that is not JSON: GITHUB_SHA', () => {
    expect(currentRunContext(runner).sha).toBe('f'.repeat(40))
    expect(currentRunContext({ ...runner, GITHUB_EVENT_PATH: join(dir, 'missing.json') }).sha).toBe('f'.repeat(40))
    expect(currentRunContext({ ...runner, GITHUB_EVENT_PATH: eventFile('broken.json', '{"pull_request":') }).sha).toBe('f'.repeat(40))
    expect(currentRunContext({ ...runner, GITHUB_EVENT_PATH: eventFile('null.json', 'null') }).sha).toBe('f'.repeat(40))
    expect(currentRunContext({ ...runner, GITHUB_EVENT_PATH: eventFile('odd.json', { pull_request: { head: { sha: 7 } } }) }).sha).toBe('f'.repeat(40))
  })

  it('missing variables are left out; the server defaults to github.com', () => {
    expect(currentRunContext({ GITHUB_ACTIONS: 'true' })).toEqual({ serverUrl: 'https://github.com' })
    expect(currentRunContext({ ...runner, GITHUB_RUN_ID: 'x', GITHUB_RUN_ATTEMPT: '' })).toMatchObject({ runId: undefined, runAttempt: undefined })
  })
})
