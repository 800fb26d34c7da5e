// What a review posts (pure): a comment per reported finding on a diff line, none twice (same rule,
// same place), the earlier comments whose finding is gone, and where the rest go.
import { describe, expect, it } from '@jest/globals'
import { findingCommentBody } from '../../src/github/comments.js'
import { indexDiff, parsePatch } from '../../src/github/diff-filter.js'
import { planReview } from '../../src/github/review.js'
import type { OurComment } from '../../src/github/review.js'
import { ruleInfo } from '../../src/lint/rules/registry.js'
import { finding } from './testing.js'

// a.yaml: lines 1-3 context, 4 added, 5 context; b.yaml is not in the diff.
const diff = indexDiff([parsePatch('a.yaml', '@@ -1,4 +1,5 @@\n one\n two\n three\n+four\n five')])
const ours = (path: string, line: number | null, rule = 'active-deadline-not-positive', fixed?: string): OurComment => ({
  id: line ?? 0,
  path,
  line,
  rule,
  ...(fixed ? { fixed } : {}),
  body: findingCommentBody(finding(path, line ?? 1, { ruleId: rule }), ruleInfo)
})

describe('planReview', () => {
  it('added: comments the added line; a context line is outside the filter; another file too', () => {
    const plan = planReview([finding('a.yaml', 4), finding('a.yaml', 2), finding('b.yaml', 1)], diff, 'added', [])
    expect(plan.post.map((f) => f.line)).toEqual([4])
    expect(plan.judged.map((f) => `${f.file}:${f.line}`)).toEqual(['a.yaml:4'])
    expect(plan.filteredOut.map((f) => `${f.file}:${f.line}`)).toEqual(['a.yaml:2', 'b.yaml:1'])
  })

  it('file: a reported finding off the diff lines cannot be a review comment (it is annotated instead)', () => {
    const plan = planReview([finding('a.yaml', 4), finding('a.yaml', 9), finding('b.yaml', 1)], diff, 'file', [])
    expect(plan.post.map((f) => f.line)).toEqual([4])
    expect(plan.offDiff.map((f) => f.line)).toEqual([9])
    expect(plan.judged.map((f) => f.line)).toEqual([4, 9])
    expect(plan.filteredOut.map((f) => f.file)).toEqual(['b.yaml'])
  })

  it('a rerun posts nothing already there: same place, same rule', () => {
    const plan = planReview([finding('a.yaml', 4), finding('a.yaml', 4, { ruleId: 'schema-unknown-field' })], diff, 'diff-context', [ours('a.yaml', 4)])
    expect(plan.alreadyCommented.map((f) => f.ruleId)).toEqual(['active-deadline-not-positive'])
    expect(plan.post.map((f) => f.ruleId)).toEqual(['schema-unknown-field'])
    expect(plan.fixed).toEqual([])
  })

  it('a comment GitHub marked outdated, or one marked fixed, does not count: the finding is posted anew', () => {
    const plan = planReview([finding('a.yaml', 4), finding('a.yaml', 5)], diff, 'diff-context', [ours('a.yaml', null), ours('a.yaml', 5, undefined, 'abc1234')])
    expect(plan.post.map((f) => f.line)).toEqual([4, 5])
    expect(plan.fixed).toEqual([])
  })

  it("an earlier comment whose finding is gone is fixed (whatever the filter now says of the place); another rule's is not", () => {
    const plan = planReview([finding('a.yaml', 2)], diff, 'added', [ours('a.yaml', 4), ours('a.yaml', 2), ours('a.yaml', 3, 'schema-unknown-field', 'abc1234')])
    expect(plan.fixed.map((c) => c.line)).toEqual([4])
  })

  it('leaves the comments on files this lint did not read (another step lints them)', () => {
    const plan = planReview([], diff, 'added', [ours('a.yaml', 4), ours('b.yaml', 1)], 100, new Set(['b.yaml']))
    expect(plan.fixed.map((c) => c.path)).toEqual(['b.yaml'])
  })

  it('one comment for the same rule twice on a line; suppressed findings never; past the limit, the overflow', () => {
    const plan = planReview([finding('a.yaml', 4, { column: 3 }), finding('a.yaml', 4, { column: 9 }), finding('a.yaml', 1, { suppressed: true }), finding('a.yaml', 5), finding('a.yaml', 3)], diff, 'diff-context', [], 1)
    expect(plan.post.map((f) => f.line)).toEqual([4])
    expect(plan.overflow.map((f) => f.line)).toEqual([5, 3])
    expect(plan.judged).toHaveLength(4)
  })
})
