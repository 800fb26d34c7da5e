// What the GitHub reports read of the run (src/submit/run-context.ts, the one reader of GITHUB_*
// and the event payload): the event, the pull request's number and head, whether it comes from a
// fork, the step, and the API's URL.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runUrl } from '../../src/commands/github.js'
import { currentGitHubContext } from '../../src/submit/run-context.js'

const dir = mkdtempSync(join(tmpdir(), 'github-context-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const event = (name: string, payload: unknown) => {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(payload))
  return file
}
const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/ml', GITHUB_SHA: 'f'.repeat(40), GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTION: 'lint', GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '1' }
const pr = (head: string | null) => ({ pull_request: { number: 7, head: { sha: 'a'.repeat(40), repo: head === null ? null : { full_name: head } }, base: { repo: { full_name: 'acme/ml' } } } })

describe('currentGitHubContext', () => {
  it("a pull request from a branch of the repository: its number and head, no fork", () => {
    const c = currentGitHubContext({ ...env, GITHUB_EVENT_PATH: event('same.json', pr('acme/ml')), GITHUB_API_URL: 'https://ghe.example.com/api/v3' })
    expect(c).toMatchObject({ event: 'pull_request', pullRequest: { number: 7, headSha: 'a'.repeat(40) }, step: 'lint', apiUrl: 'https://ghe.example.com/api/v3' })
    expect(c.pullRequest?.fork).toBeUndefined()
    expect(c.run.sha).toBe('a'.repeat(40))
  })

  it('a pull request from a fork (or from a fork deleted since)', () => {
    expect(currentGitHubContext({ ...env, GITHUB_EVENT_PATH: event('fork.json', pr('someone/ml')) }).pullRequest?.fork).toBe('someone/ml')
    expect(currentGitHubContext({ ...env, GITHUB_EVENT_PATH: event('gone.json', pr(null)) }).pullRequest?.fork).toBe('(a deleted fork)')
  })

  it('a push has no pull request; outside Actions nothing is known; api.github.com by default', () => {
    expect(currentGitHubContext({ ...env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event('push.json', { ref: 'refs/heads/main' }) })).toMatchObject({ event: 'push', pullRequest: undefined, apiUrl: 'https://api.github.com' })
    expect(currentGitHubContext({ ...env, GITHUB_ACTIONS: undefined, GITHUB_EVENT_PATH: event('x.json', pr('acme/ml')) })).toEqual({ run: {}, event: undefined, pullRequest: undefined, step: undefined, apiUrl: 'https://api.github.com' })
  })

  it('links the run, at its attempt after the first', () => {
    expect(runUrl({ repository: 'acme/ml', runId: '99', runAttempt: '1', serverUrl: 'https://github.com' })).toBe('https://github.com/acme/ml/actions/runs/99')
    expect(runUrl({ repository: 'acme/ml', runId: '99', runAttempt: '3', serverUrl: 'https://github.com' })).toBe('https://github.com/acme/ml/actions/runs/99/attempts/3')
    expect(runUrl({})).toBeUndefined()
  })
})
