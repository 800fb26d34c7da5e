// What a failed GitHub call means: when to try again, and the one message that names the call,
// what it was for, and what to do.
import { describe, expect, it } from '@jest/globals'
import { describeFailure, isRateLimited, MAX_RATE_LIMIT_WAIT_MS, MAX_TRIES, rateLimitWait, retryDelay } from '../../src/github/errors.js'
import type { FailedCall, FailureContext } from '../../src/github/errors.js'

const NOW = 1_700_000_000_000
const call = (over: Partial<FailedCall> = {}): FailedCall => ({ method: 'POST', path: '/repos/o/r/check-runs', status: 403, headers: {}, message: 'Resource not accessible by integration', ...over })
const purpose = { doing: 'create the check run', permission: 'checks: write' }
const context: FailureContext = { instead: 'the findings are annotations of the step instead', report: 'the check run', event: 'pull_request' }

describe('retryDelay', () => {
  it('waits out a rate limit as GitHub says: retry-after, else until x-ratelimit-reset; any method (a refused call did nothing)', () => {
    expect(retryDelay(call({ headers: { 'retry-after': '7' } }), 1, NOW, 1000)).toBe(7000)
    expect(retryDelay(call({ status: 429, headers: { 'retry-after': '0' } }), 1, NOW, 1000)).toBe(0)
    expect(retryDelay(call({ method: 'GET', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20) } }), 1, NOW, 1000)).toBe(21_000)
  })

  it('gives up on a rate limit longer than it waits, or one that does not say how long', () => {
    expect(retryDelay(call({ headers: { 'retry-after': String(MAX_RATE_LIMIT_WAIT_MS / 1000 + 1) } }), 1, NOW, 1000)).toBeUndefined()
    expect(retryDelay(call({ status: 429 }), 1, NOW, 1000)).toBeUndefined()
  })

  it('tries a 5xx or a network error again only where repeating is safe: not a POST that may have been carried out', () => {
    expect(retryDelay(call({ method: 'GET', status: 502 }), 1, NOW, 1000)).toBe(1000)
    expect(retryDelay(call({ method: 'PATCH', status: 500 }), 2, NOW, 2000)).toBe(2000)
    expect(retryDelay(call({ method: 'GET', status: undefined, message: 'ECONNRESET' }), 1, NOW, 1000)).toBe(1000)
    expect(retryDelay(call({ method: 'POST', status: 502 }), 1, NOW, 1000)).toBeUndefined()
  })

  it('never retries a 4xx that is not a rate limit, and stops after MAX_TRIES', () => {
    for (const status of [401, 403, 404, 422]) expect(retryDelay(call({ method: 'GET', status }), 1, NOW, 1000)).toBeUndefined()
    expect(retryDelay(call({ method: 'GET', status: 503 }), MAX_TRIES, NOW, 1000)).toBeUndefined()
  })

  it('tells a rate limit from a missing permission (both 403)', () => {
    expect(isRateLimited(call())).toBe(false)
    expect(isRateLimited(call({ message: 'API rate limit exceeded for installation ID 1.' }))).toBe(true)
    expect(isRateLimited(call({ headers: { 'x-ratelimit-remaining': '0' } }))).toBe(true)
    expect(rateLimitWait({ 'retry-after': 'soon' }, NOW)).toBeUndefined()
  })
})

describe('describeFailure', () => {
  const message = (over: Partial<FailedCall>, ctx: Partial<FailureContext> = {}) => describeFailure(call(over), purpose, { ...context, ...ctx }, NOW)

  it('a missing permission: names the call, what it was for, and the exact permissions: line', () => {
    const f = message({})
    expect(f.kind).toBe('permission')
    expect(f.message).toBe(
      'Could not create the check run: POST /repos/o/r/check-runs answered 403 "Resource not accessible by integration": the token may not create the check run; the findings are annotations of the step instead. Add `checks: write` to the job\'s `permissions:` (or pass a github-token that has it).'
    )
  })

  it("a fork's pull request: nothing to fix", () => {
    const f = message({}, { fork: 'someone/ml-jobs' })
    expect(f.kind).toBe('fork')
    expect(f.message).toContain('this pull request comes from the fork someone/ml-jobs, and GitHub gives workflows of fork pull requests a read-only token')
    expect(f.message).toContain('pull requests from branches of this repository get the check run')
    // pull_request_target runs with a token that can write: a 403 there is a permission.
    expect(message({}, { fork: 'someone/ml-jobs', event: 'pull_request_target' }).kind).toBe('permission')
  })

  it('a rate limit: how long GitHub asked to wait', () => {
    const f = message({ headers: { 'retry-after': '3600' }, message: 'You have exceeded a secondary rate limit' })
    expect(f.kind).toBe('rate-limit')
    expect(f.message).toContain('it asks to wait 3600 s, more than the 60 s this step waits')
  })

  it('401, 404 (a read: its read permission), 422 and 5xx say what to do', () => {
    expect(message({ status: 401, message: 'Bad credentials' }).message).toContain('Pass a valid token as github-token')
    const notFound = describeFailure(call({ method: 'GET', path: '/repos/o/r/pulls/1/files', status: 404, message: 'Not Found' }), { doing: "read the pull request's changed files", permission: 'pull-requests: read' }, context, NOW)
    expect(notFound.message).toContain('GET /repos/o/r/pulls/1/files answered 404 "Not Found"')
    expect(notFound.message).toContain('Add `pull-requests: read`')
    expect(message({ status: 422, message: 'Unprocessable Entity: Line could not be resolved' }).message).toContain('If the pull request changed while the job ran, rerun the job')
    const server = message({ status: 502, message: 'Bad Gateway' })
    expect(server.kind).toBe('server')
    expect(server.message).toContain('https://www.githubstatus.com')
    expect(message({ status: undefined, message: 'connect ECONNREFUSED 127.0.0.1:1' }).message).toContain('POST /repos/o/r/check-runs failed (connect ECONNREFUSED 127.0.0.1:1)')
  })
})
