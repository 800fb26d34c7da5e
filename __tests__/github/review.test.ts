// report: review through the real client against the local server that holds every request to
// GitHub's API description: one review with a comment on each reported finding's line, no
// duplicate on a rerun (across pages of existing comments), fixed findings' comments marked, and
// each failure falling back to annotations, said once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '../../src/github/client.js'
import { findingCommentBody } from '../../src/github/comments.js'
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

// jobs/train.yaml: 1-3 context, 4-5 added, 6-8 context (lines 9 on are not in the diff).
const TRAIN_PATCH = '@@ -1,6 +1,8 @@\n one\n two\n three\n+four\n+five\n six\n seven\n eight'
beforeEach(() => {
  gh.reset()
  gh.files = [{ filename: 'jobs/train.yaml', patch: TRAIN_PATCH }]
  gh.tokens['no-pr-write'] = { write: ['checks'] }
  gh.tokens['read-only'] = { readOnly: true }
  clock = new AutoClock()
})

const target = { repository: `${OWNER}/${REPO}`, headSha: HEAD_SHA, event: 'pull_request', pullRequest: { number: PR_NUMBER }, checkName: 'lint', runUrl: 'https://github.com/o/r/actions/runs/7' }

async function review(findings: Finding[], over: Partial<LintReportRequest> = {}, token = 'write-token') {
  const octokit = await createGitHubClient({ token, baseUrl: gh.server.baseUrl, userAgent: 'rayjob-action/test', clock, debug: () => {} })
  const result = await reportFindings(octokit, { mode: 'review', filter: 'added', findings, target, fails: (j) => j.some((f) => f.severity === 'error'), rules: ruleInfo, now: clock.now, ...over })
  expect(gh.server.violations).toEqual([])
  return result
}
const at = (f: Finding) => `${f.file}:${f.line}`

describe('report: review', () => {
  const findings = [finding('jobs/train.yaml', 4), finding('jobs/train.yaml', 7, { severity: 'warning' }), finding('jobs/train.yaml', 12), finding('jobs/other.yaml', 1)]

  it('filter added: one review, a comment on the added line; the rest only in the summary', async () => {
    const result = await review(findings)
    expect(gh.server.requests.map((r) => `${r.method} ${r.operationId}`)).toEqual(['GET pulls/list-files', 'GET pulls/list-review-comments', 'POST pulls/create-review'])
    expect(gh.reviews).toHaveLength(1)
    expect(gh.reviews[0]).toMatchObject({ commit_id: HEAD_SHA, event: 'COMMENT' })
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['jobs/train.yaml:4'])
    expect(gh.reviewComments[0].body).toBe(findingCommentBody(findings[0], ruleInfo))
    expect(gh.reviews[0].body).toContain('3 outside the filter (job summary and SARIF only)')
    expect(result.outputs['review-url']).toBe(`https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#pullrequestreview-${gh.reviews[0].id}`)
    expect(result.judged?.map(at)).toEqual(['jobs/train.yaml:4'])
    expect(result.annotate).toEqual([])
    expect(result.warning).toBeUndefined()
  })

  it('filter diff-context comments context lines too; file annotates what is off the diff; nofilter judges everything', async () => {
    await review(findings, { filter: 'diff-context' })
    expect(gh.reviewComments.map((c) => c.line)).toEqual([4, 7])
    gh.reset()
    gh.files = [{ filename: 'jobs/train.yaml', patch: TRAIN_PATCH }]
    const file = await review(findings, { filter: 'file' })
    expect(file.annotate.map(at)).toEqual(['jobs/train.yaml:12'])
    expect(file.judged?.map(at)).toEqual(['jobs/train.yaml:4', 'jobs/train.yaml:7', 'jobs/train.yaml:12'])
    gh.reset()
    gh.files = [{ filename: 'jobs/train.yaml', patch: TRAIN_PATCH }]
    const all = await review(findings, { filter: 'nofilter' })
    expect(all.judged).toHaveLength(4)
    expect(all.annotate.map(at)).toEqual(['jobs/train.yaml:12', 'jobs/other.yaml:1'])
  })

  it('a rerun posts no duplicate: nothing new, no review', async () => {
    await review(findings)
    gh.server.reset()
    const again = await review(findings)
    expect(gh.server.requests.map((r) => r.operationId)).toEqual(['pulls/list-files', 'pulls/list-review-comments'])
    expect(gh.reviews).toHaveLength(1)
    expect(again.outputs['review-url']).toBe('')
    expect(again.notes).toContain("No new review: the 1 finding(s) on the pull request's changes are commented already.")
  })

  it("a new push: the new finding gets a review of its own; a fixed one's comment says it is fixed", async () => {
    await review([finding('jobs/train.yaml', 4), finding('jobs/train.yaml', 5)])
    gh.server.reset()
    const pushed = [finding('jobs/train.yaml', 5), finding('jobs/train.yaml', 4, { ruleId: 'schema-unknown-field', message: 'unknown field "spec.x"' })]
    const next = await review(pushed)
    expect(gh.server.requests.map((r) => `${r.method} ${r.operationId}`)).toEqual(['GET pulls/list-files', 'GET pulls/list-review-comments', 'POST pulls/create-review', 'PATCH pulls/update-review-comment'])
    expect(gh.reviews).toHaveLength(2)
    const [first, second, third] = gh.reviewComments
    expect(first.body.startsWith('✅ Fixed in aaaaaaa: the lint no longer reports `active-deadline-not-positive` here.')).toBe(true)
    expect(second.body).toBe(findingCommentBody(finding('jobs/train.yaml', 5), ruleInfo))
    expect(third.body).toContain('schema-unknown-field')
    expect(next.notes).toContain('1 earlier comment(s) marked fixed.')
    // Marked once: a rerun leaves it, and posts nothing.
    gh.server.reset()
    await review(pushed)
    expect(gh.server.requests.map((r) => r.operationId)).toEqual(['pulls/list-files', 'pulls/list-review-comments'])
  })

  it('reads every page of existing comments (more than 100) before deciding what is new', async () => {
    for (let i = 0; i < 130; i++) gh.reviewComments.push({ id: gh.id(), path: 'jobs/train.yaml', line: 4, body: `a reviewer's comment ${i}`, commit_id: HEAD_SHA, pull_request_review_id: 1 })
    gh.reviewComments.push({ id: gh.id(), path: 'jobs/train.yaml', line: 4, body: findingCommentBody(finding('jobs/train.yaml', 4), ruleInfo), commit_id: HEAD_SHA, pull_request_review_id: 2 })
    const result = await review([finding('jobs/train.yaml', 4), finding('jobs/train.yaml', 5)])
    expect(gh.server.seen('pulls/list-review-comments').map((r) => r.query.page ?? '1')).toEqual(['1', '2'])
    expect(gh.reviewComments.slice(131).map((c) => c.line)).toEqual([5])
    expect(result.notes[0]).toContain('Review with 1 comment(s)')
  })

  it('reads every page of changed files (more than 100)', async () => {
    gh.files = [...Array.from({ length: 150 }, (_, i) => ({ filename: `docs/f${i}.md`, patch: '@@ -1 +1 @@\n-a\n+b' })), { filename: 'jobs/train.yaml', patch: TRAIN_PATCH }]
    await review([finding('jobs/train.yaml', 4)])
    expect(gh.server.seen('pulls/list-files')).toHaveLength(2)
    expect(gh.reviewComments.map((c) => c.line)).toEqual([4])
  })

  it('past 100 comments, the rest are listed in the review body (nothing dropped)', async () => {
    gh.files = [{ filename: 'big.yaml', patch: `@@ -0,0 +1,150 @@\n${Array.from({ length: 150 }, (_, i) => `+l${i}`).join('\n')}` }]
    await review(Array.from({ length: 150 }, (_, i) => finding('big.yaml', i + 1)))
    expect(gh.reviewComments).toHaveLength(100)
    expect(gh.reviews[0].body).toContain('<details><summary>50 more, not commented (a review takes at most 100)</summary>')
    expect(gh.reviews[0].body).toContain('`big.yaml:150`')
  })
})

describe('report: review when GitHub says no', () => {
  const findings = [finding('jobs/train.yaml', 4), finding('jobs/other.yaml', 1)]

  it("a fork's pull request, read-only token: the diff still judges, the findings it selects are annotations, said once", async () => {
    const result = await review(findings, { target: { ...target, pullRequest: { number: PR_NUMBER, fork: 'someone/ml-jobs' } } }, 'read-only')
    expect(gh.server.seen('pulls/create-review')).toHaveLength(1)
    expect(result.warning).toContain(`Could not post the review: POST /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews answered 403 "Resource not accessible by integration": this pull request comes from the fork someone/ml-jobs`)
    expect(result.warning).toContain('pull requests from branches of this repository get the review')
    expect(result.annotate.map(at)).toEqual(['jobs/train.yaml:4'])
    expect(result.judged?.map(at)).toEqual(['jobs/train.yaml:4'])
  })

  it('403 without pull-requests: write names that permissions: line', async () => {
    const result = await review(findings, {}, 'no-pr-write')
    expect(result.warning).toContain("Add `pull-requests: write` to the job's `permissions:`")
  })

  it('404: a pull request the token cannot see', async () => {
    const result = await review(findings, { target: { ...target, pullRequest: { number: 7 } } })
    expect(result.warning).toBe(
      `Could not read the pull request's changed files: GET /repos/${OWNER}/${REPO}/pulls/7/files answered 404 "Not Found": the repository or pull request is not there for this token (GitHub answers 404 to a token that may not see it); the findings are annotations of the step instead. Add \`pull-requests: read\` to the job's \`permissions:\` (a personal access token needs the repo scope).`
    )
    expect(result.annotate).toEqual(findings)
    expect(result.judged).toBeUndefined()
  })

  it('422 on the review (a line GitHub cannot place): annotations, and the message says to rerun', async () => {
    gh.server.fault({ operationId: 'pulls/create-review', status: 422, body: { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'], documentation_url: 'https://docs.github.com/rest' } })
    const result = await review(findings)
    expect(result.warning).toContain('answered 422 "Unprocessable Entity: Pull request review thread line must be part of the diff"')
    expect(result.warning).toContain('If the pull request changed while the job ran, rerun the job')
  })

  it('a rate limit on reading the comments is waited out (retry-after), then the review is posted', async () => {
    gh.server.fault({ operationId: 'pulls/list-review-comments', status: 429, headers: { 'retry-after': '12' }, body: { message: 'You have exceeded a secondary rate limit.' } })
    const result = await review(findings)
    expect(clock.waits).toEqual([12_000])
    expect(result.warning).toBeUndefined()
    expect(gh.reviews).toHaveLength(1)
  })

  it('5xx on reading is tried again; 5xx on posting is not, and the step says so once', async () => {
    gh.server.fault({ operationId: 'pulls/list-files', status: 500, body: { message: 'Internal Server Error' } })
    gh.server.fault({ operationId: 'pulls/create-review', status: 502, times: 3, body: { message: 'Bad Gateway' } })
    const result = await review(findings)
    expect(gh.server.seen('pulls/list-files')).toHaveLength(2)
    expect(gh.server.seen('pulls/create-review')).toHaveLength(1)
    expect(clock.waits).toEqual([1000])
    expect(result.warning).toContain("answered 502 \"Bad Gateway\": GitHub's API failed on its side; the findings are annotations of the step instead. Rerun the job later")
  })

  it('marking a fixed comment fails: the review stands, and the step says so once', async () => {
    await review([finding('jobs/train.yaml', 4)])
    gh.server.fault({ operationId: 'pulls/update-review-comment', status: 403, body: { message: 'Resource not accessible by integration' } })
    const result = await review([finding('jobs/train.yaml', 5)])
    expect(gh.reviews).toHaveLength(2)
    expect(result.warning).toContain("Could not mark the fixed finding's comment on jobs/train.yaml:4 as fixed")
    expect(result.warning).toContain('the earlier comment stays as it is')
    expect(result.annotate).toEqual([])
  })

  it('not a pull request: no request at all, and the findings are annotations', async () => {
    const result = await review(findings, { target: { ...target, event: 'push', pullRequest: undefined } })
    expect(gh.server.requests).toEqual([])
    expect(result.warning).toBe("report: review needs a pull request, and this run's event is push; the findings are annotations of the step instead. Run the lint on: pull_request (or use report: check-run).")
  })
})
