// The submit step's one comment on the pull request, through the real client against the local
// server that holds every request to GitHub's API description: added once, updated in place on a
// rerun (found on any page of the pull request's comments), and quiet about a token that may not
// write it unless report: comment asked for it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { submitCommenter } from '../../src/commands/github.js'
import type { GitHubDeps } from '../../src/commands/github.js'
import { createGitHubClient } from '../../src/github/client.js'
import { stickyMarker } from '../../src/github/comments.js'
import { postSubmitComment } from '../../src/github/sticky-comment.js'
import type { SubmitCommentRequest } from '../../src/github/sticky-comment.js'
import { formatDuration } from '../../src/gate/duration.js'
import type { SubmitReport } from '../../src/report/submit-summary.js'
import { readSettings } from '../../src/settings.js'
import { FakeGitHub, HEAD_SHA, OWNER, PR_NUMBER, REPO } from './fake-github.js'
import { RecordingRunner } from '../runner/recording.js'
import { AutoClock } from './testing.js'

let gh: FakeGitHub
let clock: AutoClock
beforeAll(async () => {
  gh = await FakeGitHub.start()
})
afterAll(() => gh.server.close())
beforeEach(() => {
  gh.reset()
  gh.tokens['read-only'] = { readOnly: true }
  gh.tokens['checks-only'] = { write: ['checks'] }
  clock = new AutoClock()
})

const report = (over: Partial<SubmitReport> = {}): SubmitReport => ({
  outcome: 'passed',
  namespace: 'ml-ci',
  name: 'train-k3x9a1-1',
  rayClusterName: 'train-raycluster-x',
  submissionId: 'raysubmit_Abc123',
  submissionIdConfirmed: true,
  submissionMode: 'K8sJobMode',
  jobStatus: 'SUCCEEDED',
  deploymentStatus: 'Complete',
  reason: '',
  message: '',
  durationSeconds: 95,
  dashboardVia: '',
  headService: '',
  lastLogLines: [],
  ...over
})

async function post(over: Partial<SubmitCommentRequest> = {}, token = 'write-token') {
  const octokit = await createGitHubClient({ token, baseUrl: gh.server.baseUrl, userAgent: 'rayjob-action/test', clock, debug: () => {} })
  const result = await postSubmitComment(octokit, {
    repository: `${OWNER}/${REPO}`,
    event: 'pull_request',
    pullRequest: { number: PR_NUMBER },
    asked: true,
    now: clock.now,
    facts: { key: 'CI\u0000train\u0000submit\u0000jobs/train.yaml', manifest: 'jobs/train.yaml:1', report: report(), runUrl: 'https://github.com/o/r/actions/runs/5', runLabel: 'CI / train', formatDuration },
    ...over
  })
  expect(gh.server.violations).toEqual([])
  return result
}

describe('the RayJob comment', () => {
  it('is added once, then updated in place on a rerun', async () => {
    const first = await post()
    expect(gh.issueComments).toHaveLength(1)
    expect(first.note).toBe(`Added the RayJob's comment on pull request #${PR_NUMBER}: ${first.url}`)
    expect(gh.issueComments[0].body).toContain('| Submission ID | `raysubmit_Abc123` |')
    const second = await post({ facts: { key: 'CI\u0000train\u0000submit\u0000jobs/train.yaml', manifest: 'jobs/train.yaml:1', report: report({ outcome: 'failed', jobStatus: 'FAILED', reason: 'AppFailed' }), runLabel: 'CI / train, attempt 2', formatDuration } })
    expect(gh.issueComments).toHaveLength(1)
    expect(second.url).toBe(first.url)
    expect(second.note).toContain('Updated')
    expect(gh.issueComments[0].body).toContain('| Reason | AppFailed |')
    expect(gh.server.requests.map((r) => `${r.method} ${r.operationId}`)).toEqual(['GET issues/list-comments', 'POST issues/create-comment', 'GET issues/list-comments', 'PATCH issues/update-comment'])
  })

  it('is found on a later page of the comments (more than 100)', async () => {
    for (let i = 0; i < 150; i++) gh.issueComments.push({ id: gh.id(), body: i === 130 ? `${stickyMarker('CI\u0000train\u0000submit\u0000jobs/train.yaml')}\nold result` : `comment ${i}` })
    await post()
    expect(gh.server.seen('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual(['1', '2'])
    expect(gh.issueComments).toHaveLength(150)
    expect(gh.issueComments[130].body).toContain('✅ succeeded')
  })

  it('another manifest (or job, or step) has a comment of its own', async () => {
    await post()
    await post({ facts: { key: 'CI\u0000train\u0000submit\u0000jobs/eval.yaml', manifest: 'jobs/eval.yaml:1', report: report(), runLabel: 'CI / train', formatDuration } })
    expect(gh.issueComments).toHaveLength(2)
  })

  it('asked for (report: comment): a token without pull-requests: write is a warning naming the permission', async () => {
    const result = await post({}, 'checks-only')
    expect(result.warning).toBe(
      `Could not add the RayJob comment: POST /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments answered 403 "Resource not accessible by integration": the token may not add the RayJob comment; the result is in the job summary only. Add \`pull-requests: write\` to the job's \`permissions:\` (or pass a github-token that has it).`
    )
  })

  it('by default on a pull request: a token that may not write it is only a note', async () => {
    const result = await post({ asked: false }, 'checks-only')
    expect(result.warning).toBeUndefined()
    expect(result.note).toContain('No RayJob comment on the pull request: the token may not write one')
    const fork = await post({ asked: false, pullRequest: { number: PR_NUMBER, fork: 'someone/ml-jobs' } }, 'read-only')
    expect(fork.warning).toBeUndefined()
  })

  it('a rate limit is waited out; a 5xx on adding is not repeated', async () => {
    gh.server.fault({ operationId: 'issues/list-comments', status: 403, headers: { 'retry-after': '5' }, body: { message: 'You have exceeded a secondary rate limit.' } })
    await post()
    expect(clock.waits).toEqual([5000])
    expect(gh.issueComments).toHaveLength(1)
    gh.reset()
    gh.server.fault({ operationId: 'issues/create-comment', status: 503, body: { message: 'Service Unavailable' } })
    const result = await post()
    expect(gh.server.seen('issues/create-comment')).toHaveLength(1)
    expect(result.warning).toContain("answered 503 \"Service Unavailable\": GitHub's API failed on its side; the result is in the job summary only")
  })

  it('not a pull request: no request', async () => {
    const result = await post({ pullRequest: undefined, event: 'push' })
    expect(gh.server.requests).toEqual([])
    expect(result.warning).toContain("this run's event is push: the result is in the job summary only")
  })
})

describe('when submit writes the comment (src/commands/github.ts)', () => {
  const context = (pullRequest?: { number: number }): GitHubDeps['context'] => ({
    run: { repository: `${OWNER}/${REPO}`, workflow: 'CI', job: 'train', runId: '5', runAttempt: '2', sha: HEAD_SHA, serverUrl: 'https://github.com' },
    event: pullRequest ? 'pull_request' : 'push',
    pullRequest: pullRequest && { ...pullRequest, headSha: HEAD_SHA },
    step: 'submit',
    apiUrl: gh.server.baseUrl
  })
  const settings = (report: string, token = 'write-token') => readSettings((name) => ({ command: 'submit', report, 'github-token': token })[name] ?? '', { GITHUB_WORKSPACE: '/w' })

  it('report left empty on a pull request: the comment, with the link to this attempt of the run', async () => {
    const runner = new RecordingRunner()
    const comment = submitCommenter(settings(''), runner, { context: context({ number: PR_NUMBER }), clock })
    expect(comment).toBeDefined()
    await comment!({ manifest: { file: 'jobs/train.yaml', line: 1 }, report: report() })
    expect(gh.issueComments[0].body).toContain('[The log of CI / train, attempt 2](https://github.com/octo-org/ml-jobs/actions/runs/5/attempts/2)')
    expect(runner.infos[0]).toContain("Added the RayJob's comment")
    expect(gh.server.violations).toEqual([])
  })

  it('no comment, and nothing loaded, for report: annotations or a push without report: comment', () => {
    const runner = new RecordingRunner()
    expect(submitCommenter(settings('annotations'), runner, { context: context({ number: PR_NUMBER }) })).toBeUndefined()
    expect(submitCommenter(settings(''), runner, { context: context() })).toBeUndefined()
    expect(submitCommenter(settings('comment'), runner, { context: context() })).toBeDefined()
  })

  it('a step that failed before creating the RayJob says so in the comment', async () => {
    const runner = new RecordingRunner()
    await submitCommenter(settings('comment'), runner, { context: context({ number: PR_NUMBER }), clock })!({ manifest: { file: 'jobs/train.yaml', line: 3 }, notSubmitted: 'missing permission: create rayjobs.ray.io in ml-ci' })
    expect(gh.issueComments[0].body).toContain('### RayJob from `jobs/train.yaml:3`: not submitted')
    expect(gh.issueComments[0].body).toContain('> missing permission: create rayjobs.ray.io in ml-ci')
  })
})
