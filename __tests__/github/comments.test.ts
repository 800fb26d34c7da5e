// What the reports say (pure): the review comment per finding and its marker, the fixed rewrite,
// the review's body, the check run's annotations and output, and the sticky comment.
import { describe, expect, it } from '@jest/globals'
import {
  batches,
  checkRunAnnotation,
  checkRunOutput,
  findingCommentBody,
  findingKey,
  fixedCommentBody,
  markdownText,
  parseFindingMarker,
  reviewBody,
  stickyCommentBody,
  stickyMarker
} from '../../src/github/comments.js'
import type { StickyFacts } from '../../src/github/comments.js'
import { formatDuration } from '../../src/gate/duration.js'
import { ruleInfo } from '../../src/lint/rules/registry.js'
import type { SubmitReport } from '../../src/report/submit-summary.js'
import { finding } from './testing.js'

describe('review comments', () => {
  it("say the finding, link its rule, and carry a marker with the rule that a rerun reads back", () => {
    const body = findingCommentBody(finding('jobs/a.yaml', 9, { kuberayReports: true }), ruleInfo)
    expect(body).toContain('❌ **Error** [`active-deadline-not-positive`](https://github.com/ray-project/kuberay/')
    expect(body).toContain('(KubeRay reports this)')
    expect(body).toContain('RayJob team-a/train: activeDeadlineSeconds must be a positive integer')
    expect(body).toContain('**Fix:** Set it above 0.')
    expect(parseFindingMarker(body)).toEqual({ rule: 'active-deadline-not-positive' })
    expect(parseFindingMarker('a human comment')).toBeUndefined()
    expect(parseFindingMarker(null)).toBeUndefined()
  })

  it('a fixed one keeps what it said, folded, and its marker says since which commit', () => {
    const body = fixedCommentBody(findingCommentBody(finding('a.yaml', 1), ruleInfo), 'active-deadline-not-positive', 'abcdef0123456789')
    expect(body.startsWith('✅ Fixed in abcdef0: the lint no longer reports `active-deadline-not-positive` here.')).toBe(true)
    expect(body).toContain('<details><summary>What it reported</summary>')
    expect(parseFindingMarker(body)).toEqual({ rule: 'active-deadline-not-positive', fixed: 'abcdef0' })
    expect(body.match(/rayjob-action:finding/g)).toHaveLength(1)
  })

  it('text from a manifest can neither ping nor inject HTML nor break the layout', () => {
    expect(markdownText('@octocat see #12 <img src=x> | `x` *y*')).toBe('@\u200boctocat see #\u200b12 &lt;img src=x&gt; \\| \\`x\\` \\*y\\*')
    const body = findingCommentBody(finding('a.yaml', 1, { message: 'name "@admins" --> <!-- rayjob-action:finding rule=other -->' }), ruleInfo)
    expect(parseFindingMarker(body)).toEqual({ rule: 'active-deadline-not-positive' })
  })

  it('the key is the place and the rule', () => {
    expect(findingKey('a.yaml', 3, 'r')).not.toBe(findingKey('a.yaml', 3, 's'))
    expect(findingKey('a.yaml', 3, 'r')).not.toBe(findingKey('a.yaml', 4, 'r'))
  })

  it("the review's body counts what went where, lists what did not fit, and links the run", () => {
    const body = reviewBody({ posted: 2, overflow: [finding('b.yaml', 7)], alreadyCommented: 3, offDiff: 1, filteredOut: 4, fixed: 1, filter: 'added', runUrl: 'https://github.com/o/r/actions/runs/1' }, ruleInfo)
    expect(body).toContain("**RayJob lint**: 3 new finding(s) on this pull request's changes (filter: `added`).")
    expect(body).toContain('3 already commented; 1 earlier comment(s) marked fixed; 1 on lines outside the diff (annotations of the step); 4 outside the filter (job summary and SARIF only).')
    expect(body).toContain('- `b.yaml:7` ❌')
    expect(body).toContain('[The workflow run](https://github.com/o/r/actions/runs/1)')
  })
})

describe('check runs', () => {
  it('an annotation per finding, at its line and column, with the Checks API level', () => {
    expect(checkRunAnnotation(finding('jobs/a.yaml', 9, { severity: 'warning' }), ruleInfo)).toMatchObject({
      path: 'jobs/a.yaml',
      start_line: 9,
      end_line: 9,
      start_column: 3,
      end_column: 3,
      annotation_level: 'warning',
      message: 'RayJob team-a/train: activeDeadlineSeconds must be a positive integer\nFix: Set it above 0.',
      title: 'active-deadline-not-positive: activeDeadlineSeconds is not positive'
    })
    expect(checkRunAnnotation(finding('a', 1, { severity: 'note' }), ruleInfo).annotation_level).toBe('notice')
    expect(checkRunAnnotation(finding('a', 1, { message: 'x'.repeat(70_000) }), ruleInfo).message.length).toBe(65_535)
  })

  it('batches of 50, at least one', () => {
    expect(batches([], 50)).toEqual([[]])
    expect(batches(Array.from({ length: 120 }, (_, i) => i), 50).map((b) => b.length)).toEqual([50, 50, 20])
  })

  it('the output says what judges the step', () => {
    const out = checkRunOutput({ errors: 2, warnings: 1, notes: 0, judged: 1, scope: 'on lines this pull request adds or changes (filter: added)', failed: true })
    expect(out.title).toBe('2 error(s), 1 warning(s), 0 note(s)')
    expect(out.summary).toContain('1 of them on lines this pull request adds or changes (filter: added) judge the step.')
    expect(checkRunOutput({ errors: 0, warnings: 0, notes: 0, judged: 0, failed: false }).title).toBe('No findings')
  })
})

describe('the sticky comment', () => {
  const report: SubmitReport = {
    outcome: 'failed',
    namespace: 'ml-ci',
    name: 'train-k3x9a1-2',
    rayClusterName: 'train-raycluster-abcde',
    submissionId: 'raysubmit_AbCd',
    submissionIdConfirmed: true,
    submissionMode: 'K8sJobMode',
    jobStatus: 'FAILED',
    deploymentStatus: 'Failed',
    reason: 'AppFailed',
    message: 'Job entrypoint command failed with exit code 1',
    durationSeconds: 185,
    dashboardVia: '',
    headService: '',
    lastLogLines: [],
    failure: 'Ray job raysubmit_AbCd FAILED | <b>bold</b>'
  }
  const facts: StickyFacts = { key: 'CI\u0000train\u0000submit\u0000jobs/train.yaml', manifest: 'jobs/train.yaml:1', report, runUrl: 'https://github.com/o/r/actions/runs/9/attempts/2', runLabel: 'CI / train, attempt 2', formatDuration }

  it("holds the RayJob's name, namespace, submission ID, status, reason, duration and the run's log", () => {
    const body = stickyCommentBody(facts)
    expect(body.split('\n')[0]).toBe(stickyMarker(facts.key))
    expect(body).toContain('### RayJob `ml-ci/train-k3x9a1-2` ❌ failed')
    expect(body).toContain('| Name | `train-k3x9a1-2` |')
    expect(body).toContain('| Namespace | `ml-ci` |')
    expect(body).toContain('| Submission ID | `raysubmit_AbCd` |')
    expect(body).toContain('| Status | FAILED · KubeRay: Failed |')
    expect(body).toContain('| Reason | AppFailed |')
    expect(body).toContain('| Duration | 3m 5s |')
    expect(body).toContain('[The log of CI / train, attempt 2](https://github.com/o/r/actions/runs/9/attempts/2)')
    expect(body).toContain('> Ray job raysubmit\\_AbCd FAILED \\| &lt;b&gt;bold&lt;/b&gt;')
  })

  it('says why there is no RayJob when the step failed before creating it', () => {
    const body = stickyCommentBody({ ...facts, report: undefined, notSubmitted: 'the token may not create rayjobs in ml-ci' })
    expect(body).toContain('### RayJob from `jobs/train.yaml:1`: not submitted')
    expect(body).toContain('> the token may not create rayjobs in ml-ci')
  })

  it('keeps a message of several lines in its quote, and names with underscores as they are', () => {
    const body = stickyCommentBody({ ...facts, report: { ...report, name: 'train_x', failure: 'Timed out\nRayJob ml-ci/train_x was left as it is' } })
    expect(body).toContain('> Timed out<br>RayJob ml-ci/train\\_x was left as it is')
    expect(body).toContain('| Name | `train_x` |')
  })

  it('one marker per key, which no name can break', () => {
    expect(stickyMarker('a')).toBe(stickyMarker('a'))
    expect(stickyMarker('a')).not.toBe(stickyMarker('b'))
    expect(stickyMarker('--> <!--')).toMatch(/^<!-- rayjob-action:submit key=[0-9a-f]{20} -->$/)
  })
})
