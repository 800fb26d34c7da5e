// report: check-run through the real client (@actions/github's Octokit) against the local server
// that holds every request to GitHub's API description: batches of 50 with no finding dropped, the
// filter on a pull request, and each failure falling back to annotations, said once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/client.js'
import { reportFindings } from '../../src/github/lint-report.js'
import type { LintReportRequest } from '../../src/github/lint-report.js'
import type { Finding } from '../../src/lint/findings.js'
import { ruleInfo } from '../../src/lint/rules/registry.js'
import { FakeGitHub, HEAD_SHA, OWNER, PR_NUMBER, REPO } from './fake-github.js'
import { AutoClock, finding } from './testing.js'

let gh: FakeGitHub
let clock: AutoClock
beforeAll(async () => {
  gh = await FakeGitHub.start()
})
afterAll(() => gh.server.close())
beforeEach(() => {
  gh.reset()
  gh.tokens['no-checks'] = { write: ['pull-requests'] }
  gh.tokens['read-only'] = { readOnly: true }
  clock = new AutoClock()
})

const many = (n: number): Finding[] => Array.from({ length: n }, (_, i) => finding('jobs/train.yaml', i + 1, { severity: i % 3 === 0 ? 'error' : 'warning' }))

async function report(findings: Finding[], over: Partial<LintReportRequest> = {}, token = 'write-token') {
  const octokit = await createGitHubClient({ token, baseUrl: gh.server.baseUrl, userAgent: 'rayjob-action/test', clock, debug: () => {} })
  const result = await reportFindings(octokit, {
    mode: 'check-run',
    filter: 'added',
    findings,
    target: { repository: `${OWNER}/${REPO}`, headSha: HEAD_SHA, event: 'push', checkName: 'lint', runUrl: 'https://github.com/o/r/actions/runs/1' },
    fails: (judged) => judged.some((f) => f.severity === 'error'),
    rules: ruleInfo,
    now: clock.now,
    ...over
  })
  expect(gh.server.violations).toEqual([])
  return result
}

describe('report: check-run', () => {
  it('carries every finding as an annotation, 50 a request: 120 findings in three requests, none dropped', async () => {
    const result = await report(many(120))
    expect(gh.server.requests.map((r) => `${r.method} ${r.operationId}`)).toEqual(['POST checks/create', 'PATCH checks/update', 'PATCH checks/update'])
    const [run] = gh.checkRuns
    expect(run.annotations).toHaveLength(120)
    expect(run.annotations.map((a) => (a as { start_line: number }).start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    expect(run).toMatchObject({ name: 'lint', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure', details_url: 'https://github.com/o/r/actions/runs/1' })
    // Only the last request completes it.
    expect(gh.server.requests.map((r) => (r.body as { status?: string }).status)).toEqual(['in_progress', undefined, 'completed'])
    expect(result.outputs).toEqual({ 'check-run-url': `https://github.com/${OWNER}/${REPO}/runs/${run.id}` })
    expect(result.annotate).toEqual([])
    expect(result.warning).toBeUndefined()
  })

  it('one request for up to 50 findings; success with none, neutral with findings that do not fail', async () => {
    await report([])
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success', annotations: [] })
    await report([finding('a.yaml', 1, { severity: 'warning' })])
    expect(gh.checkRuns[1].conclusion).toBe('neutral')
    expect(gh.server.requests).toHaveLength(2)
  })

  it("leaves suppressed findings out, as the step's annotations do", async () => {
    await report([finding('a.yaml', 1), finding('a.yaml', 2, { suppressed: true })])
    expect(gh.checkRuns[0].annotations).toHaveLength(1)
  })

  it("on a pull request, the diff decides what judges the step: the check run still carries every finding", async () => {
    gh.files = [{ filename: 'jobs/train.yaml', patch: '@@ -1,2 +1,3 @@\n one\n+two\n three' }]
    const findings = [finding('jobs/train.yaml', 2, { severity: 'warning' }), finding('jobs/train.yaml', 3), finding('jobs/other.yaml', 1)]
    const result = await report(findings, { target: { repository: `${OWNER}/${REPO}`, headSha: HEAD_SHA, event: 'pull_request', pullRequest: { number: PR_NUMBER }, checkName: 'lint' } })
    expect(gh.server.requests.map((r) => r.operationId)).toEqual(['pulls/list-files', 'checks/create'])
    expect(result.judged?.map((f) => f.line)).toEqual([2])
    expect(gh.checkRuns[0].annotations).toHaveLength(3)
    // The errors are on lines the pull request does not touch: they do not fail it.
    expect(gh.checkRuns[0].conclusion).toBe('neutral')
    expect(result.scope).toBe('on lines this pull request adds or changes (filter: added)')
  })
})

describe('report: check-run when GitHub says no', () => {
  const findings = [finding('a.yaml', 1), finding('a.yaml', 2)]

  it("a token without checks: write: the findings are annotations, and the message names the call and the permissions: line", async () => {
    const result = await report(findings, {}, 'no-checks')
    expect(result.annotate).toEqual(findings)
    expect(result.outputs).toEqual({ 'check-run-url': '' })
    expect(result.warning).toBe(
      `Could not create the check run: POST /repos/${OWNER}/${REPO}/check-runs answered 403 "Resource not accessible by integration": the token may not create the check run; the findings are annotations of the step instead. Add \`checks: write\` to the job's \`permissions:\` (or pass a github-token that has it).`
    )
  })

  it("a fork's pull request, whose token is read-only: reading the diff works, the check run does not, and the message says why", async () => {
    gh.files = [{ filename: 'a.yaml', patch: '@@ -0,0 +1,2 @@\n+x\n+y' }]
    const result = await report(findings, { target: { repository: `${OWNER}/${REPO}`, headSha: HEAD_SHA, event: 'pull_request', pullRequest: { number: PR_NUMBER, fork: 'someone/ml-jobs' }, checkName: 'lint' } }, 'read-only')
    expect(result.warning).toContain('this pull request comes from the fork someone/ml-jobs, and GitHub gives workflows of fork pull requests a read-only token')
    // The diff was read: the pull request is still judged on what it changes.
    expect(result.judged).toEqual(findings)
  })

  it('404: the repository is not there for the token', async () => {
    const result = await report(findings, { target: { repository: `${OWNER}/elsewhere`, headSha: HEAD_SHA, checkName: 'lint' } })
    expect(result.warning).toContain(`POST /repos/${OWNER}/elsewhere/check-runs answered 404 "Not Found"`)
    expect(result.warning).toContain('Add `checks: write`')
  })

  it('422: GitHub refused what was sent', async () => {
    gh.server.fault({ operationId: 'checks/create', status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'CheckRun', code: 'invalid', field: 'head_sha' }], documentation_url: 'https://docs.github.com/rest' } })
    const result = await report(findings)
    expect(result.warning).toContain('answered 422 "Validation Failed: {"resource":"CheckRun","code":"invalid","field":"head_sha"}"')
    expect(result.warning).toContain('rerun the job')
  })

  it('a rate limit with retry-after is waited out as GitHub asks, then the check run is written', async () => {
    gh.server.fault({ operationId: 'checks/create', status: 403, headers: { 'retry-after': '7' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest' } })
    const result = await report(findings)
    expect(clock.waits).toEqual([7000])
    expect(gh.server.seen('checks/create')).toHaveLength(2)
    expect(result.warning).toBeUndefined()
    expect(gh.checkRuns).toHaveLength(1)
  })

  it('a primary rate limit (no requests left) is waited out until its reset', async () => {
    gh.server.fault({ operationId: 'checks/create', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(clock.now() / 1000) + 30) }, body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest' } })
    await report(findings)
    expect(clock.waits).toEqual([31_000])
    expect(gh.checkRuns).toHaveLength(1)
  })

  it('a rate limit longer than the step waits: annotations, and the message says how long GitHub asked', async () => {
    gh.server.fault({ operationId: 'checks/create', status: 429, headers: { 'retry-after': '3600' }, body: { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com/rest' } })
    const result = await report(findings)
    expect(clock.waits).toEqual([])
    expect(result.warning).toContain("GitHub's API rate limit for this token is reached (it asks to wait 3600 s, more than the 60 s this step waits)")
  })

  it('a 5xx on an update (safe to repeat) is tried again after 1 s and 2 s', async () => {
    gh.server.fault({ operationId: 'checks/update', status: 502, times: 2, body: { message: 'Server Error' } })
    const result = await report(many(60))
    expect(clock.waits).toEqual([1000, 2000])
    expect(result.warning).toBeUndefined()
    expect(gh.checkRuns[0].annotations).toHaveLength(60)
  })

  it('a 5xx on the create is not repeated (it may have been carried out): annotations, said once', async () => {
    gh.server.fault({ operationId: 'checks/create', status: 502, body: { message: 'Server Error' } })
    const result = await report(findings)
    expect(gh.server.seen('checks/create')).toHaveLength(1)
    expect(result.warning).toContain(`POST /repos/${OWNER}/${REPO}/check-runs answered 502 "Server Error": GitHub's API failed on its side`)
  })

  it('a failure part way says what the check run holds', async () => {
    gh.server.fault({ operationId: 'checks/update', status: 503, times: 10, body: { message: 'Service Unavailable' } })
    const result = await report(many(120))
    expect(clock.waits).toEqual([1000, 2000, 4000])
    expect(result.warning).toContain('Could not add findings 51 to 100 of 120 to the check run')
    expect(result.warning).toMatch(/\(the check run https:\/\/github\.com\/octo-org\/ml-jobs\/runs\/\d+ holds the first 50 of 120\)$/)
    expect(result.annotate).toHaveLength(120)
  })

  it('GitHub out of reach: the message says so', async () => {
    // A port nothing listens on any more.
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const { port } = closed.address() as AddressInfo
    await new Promise((done) => closed.close(done))
    const octokit = await createGitHubClient({ token: 't', baseUrl: `http://127.0.0.1:${port}`, userAgent: 'x', clock, debug: () => {} })
    const result = await reportFindings(octokit, { mode: 'check-run', filter: 'added', findings, target: { repository: 'o/r', headSha: HEAD_SHA, checkName: 'lint' }, fails: () => true, rules: ruleInfo, now: clock.now })
    expect(result.warning).toMatch(/^Could not create the check run: POST \/repos\/o\/r\/check-runs failed \(.*ECONNREFUSED.*\)\. GitHub's API could not be reached from the runner/)
  })

  it('no repository or commit to report on: annotations, without a request', async () => {
    expect((await report(findings, { target: { checkName: 'lint' } })).warning).toContain('GITHUB_REPOSITORY does not name the repository')
    expect((await report(findings, { target: { repository: 'o/r', checkName: 'lint' } })).warning).toContain('needs the commit to report on')
    expect(gh.server.requests).toEqual([])
  })
})
