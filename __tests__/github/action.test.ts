// The lint step as the runner starts it (src/main.ts: inputs, environment, event payload), on a
// pull request of a fixture repository made here with git, against the local server that holds
// every request to GitHub's API description. The pull request's files are what `git diff` says
// they are, as GitHub would list them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../src/main.js'
import { FakeGitHub, HEAD_SHA, OWNER, PR_NUMBER, REPO } from './fake-github.js'
import type { ChangedFile } from './fake-github.js'
import { RecordingRunner } from '../runner/recording.js'

const JOB = (name: string, extra = '') => `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: ${name}
spec:
  entrypoint: python train.py
${extra}  clusterSelector:
    ray.io/cluster: shared
`

let gh: FakeGitHub
let repo: string
const saved = { ...process.env }
const TOKEN = 'write-token'

/** The pull request's files as GitHub lists them: each file's hunks as its `patch`. */
function pullRequestFiles(diff: string): ChangedFile[] {
  return diff
    .split(/^diff --git /m)
    .slice(1)
    .map((block) => {
      const lines = block.split('\n')
      const filename = lines.find((l) => l.startsWith('+++ b/'))!.slice('+++ b/'.length)
      return { filename, status: lines.some((l) => l.startsWith('new file mode')) ? 'added' : 'modified', patch: lines.slice(lines.findIndex((l) => l.startsWith('@@'))).join('\n').trimEnd() }
    })
}

beforeAll(async () => {
  gh = await FakeGitHub.start()
  repo = mkdtempSync(join(tmpdir(), 'rayjob-pr-'))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo } })
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'test')
  mkdirSync(join(repo, 'jobs'))
  // An error that is already on main, and a job that the pull request will break.
  writeFileSync(join(repo, 'jobs/old.yaml'), JOB('old', '  activeDeadlineSeconds: 0\n'))
  writeFileSync(join(repo, 'jobs/train.yaml'), JOB('train'))
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  // The pull request adds backoffLimit to a clusterSelector job (line 7): an error on an added line.
  writeFileSync(join(repo, 'jobs/train.yaml'), JOB('train', '  backoffLimit: 2\n'))
  git('commit', '-q', '-am', 'head')
  gh.files = pullRequestFiles(git('diff', 'HEAD~1', 'HEAD'))
  writeFileSync(join(repo, 'event.json'), JSON.stringify({ pull_request: { number: PR_NUMBER, head: { sha: HEAD_SHA, repo: { full_name: `${OWNER}/${REPO}` } }, base: { repo: { full_name: `${OWNER}/${REPO}` } } } }))
})

afterAll(async () => {
  await gh.server.close()
  rmSync(repo, { recursive: true, force: true })
})

beforeEach(() => {
  gh.reviewComments = []
  gh.reviews = []
  gh.checkRuns = []
  gh.server.reset()
  Object.assign(process.env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(repo, 'event.json'),
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_API_URL: gh.server.baseUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'lint',
    GITHUB_ACTION: 'rayjob-lint'
  })
  delete process.env.RUNNER_TEMP
})

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

async function lint(inputs: Record<string, string>) {
  const runner = new RecordingRunner()
  await run(runner, (name) => ({ manifests: 'jobs/*.yaml', 'github-token': TOKEN, ...inputs })[name] ?? '')
  expect(gh.server.violations).toEqual([])
  return runner
}

describe('the lint step on a pull request', () => {
  it('report: annotations (the default) sends no request to GitHub at all', async () => {
    const runner = await lint({})
    expect(gh.server.requests).toEqual([])
    expect(runner.annotations.map((a) => `${a.file}:${a.startLine}`)).toEqual(['jobs/old.yaml:7', 'jobs/train.yaml:7'])
    expect(runner.failures).toEqual(['RayJob lint found 2 error(s) (fail-on: error); see the annotations and the job summary'])
    expect(runner.outputs['review-url']).toBeUndefined()
  })

  it('report: review comments the error the pull request adds, and judges the pull request on it alone', async () => {
    const runner = await lint({ report: 'review' })
    // The token is masked before anything is printed.
    expect(runner.log[0]).toBe('mask')
    expect(runner.masked).toContain(TOKEN)
    expect(gh.server.requests.every((r) => r.token === TOKEN)).toBe(true)
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['jobs/train.yaml:7'])
    expect(gh.reviewComments[0].body).toContain('`selector-with-backoff-limit`')
    expect(gh.reviews[0].body).toContain('1 outside the filter (job summary and SARIF only)')
    // Commented, so not annotated; the one on main is in the summary only.
    expect(runner.annotations).toEqual([])
    expect(runner.summaries[0]).toContain('jobs/old.yaml')
    expect(runner.outputs['review-url']).toBe(`https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#pullrequestreview-${gh.reviews[0].id}`)
    expect(runner.outputs.errors).toBe(2)
    expect(runner.failures).toEqual(['RayJob lint found 1 error(s) on lines this pull request adds or changes (filter: added) (fail-on: error); see the annotations and the job summary'])
    expect(runner.warnings).toEqual([])
  })

  it('a rerun of report: review adds nothing', async () => {
    await lint({ report: 'review' })
    const again = await lint({ report: 'review' })
    expect(gh.reviews).toHaveLength(1)
    expect(again.outputs['review-url']).toBe('')
  })

  it('report: check-run carries both findings; filter: nofilter judges both', async () => {
    const runner = await lint({ report: 'check-run', filter: 'nofilter' })
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ name: 'rayjob-lint', head_sha: HEAD_SHA, conclusion: 'failure', details_url: 'https://github.com/octo-org/ml-jobs/actions/runs/1234' })
    expect(gh.checkRuns[0].annotations).toHaveLength(2)
    expect(runner.annotations).toEqual([])
    expect(runner.outputs['check-run-url']).toBe(`https://github.com/${OWNER}/${REPO}/runs/${gh.checkRuns[0].id}`)
    expect(runner.failures).toEqual(['RayJob lint found 2 error(s) (fail-on: error); see the annotations and the job summary'])
  })

  it("a fork's read-only token: the review falls back to annotations, said once, and the lint's verdict is the same", async () => {
    gh.tokens['fork-token'] = { readOnly: true }
    writeFileSync(join(repo, 'fork-event.json'), JSON.stringify({ pull_request: { number: PR_NUMBER, head: { sha: HEAD_SHA, repo: { full_name: 'someone/ml-jobs' } }, base: { repo: { full_name: `${OWNER}/${REPO}` } } } }))
    process.env.GITHUB_EVENT_PATH = join(repo, 'fork-event.json')
    const runner = await lint({ report: 'review', 'github-token': 'fork-token' })
    expect(runner.warnings).toHaveLength(1)
    expect(runner.warnings[0]).toContain('this pull request comes from the fork someone/ml-jobs')
    expect(runner.annotations.map((a) => `${a.file}:${a.startLine}`)).toEqual(['jobs/train.yaml:7'])
    expect(runner.failures).toEqual(['RayJob lint found 1 error(s) on lines this pull request adds or changes (filter: added) (fail-on: error); see the annotations and the job summary'])
  })

  it('report: comment is for submit: the lint refuses it before anything', async () => {
    const runner = await lint({ report: 'comment' })
    expect(gh.server.requests).toEqual([])
    expect(runner.failures[0]).toContain("report: comment writes a RayJob's result on the pull request, for command: submit or wait")
  })
})
