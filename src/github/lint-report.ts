// The lint's findings on GitHub (report: check-run or review): on a pull request, its diff decides
// (with `filter`) which findings judge the step and which become review comments; then the check
// run or the review is written. Any failure of the API falls back to the step's annotations, said
// once: the lint itself never fails for it.
import type { Finding } from '../lint/findings.js'
import { publishCheckRun } from './check-run.js'
import type { CheckRunProgress, Conclusion } from './check-run.js'
import { GitHubCallError, guardFor } from './client.js'
import type { Guard, Octokit } from './client.js'
import { checkRunAnnotation, checkRunOutput, reviewBody } from './comments.js'
import type { RuleLookup } from './comments.js'
import { indexDiff, normalisePath, place } from './diff-filter.js'
import type { DiffIndex, FilterMode } from './diff-filter.js'
import type { FailureContext } from './errors.js'
import { createReview, listOurComments, listPullRequestFiles, markFixed, MAX_REVIEW_COMMENTS, planReview } from './review.js'
import type { PullRequestTarget } from './review.js'

export type LintReportMode = 'check-run' | 'review'

/** Where the report goes, from the workflow run's context (each part undefined when the run does not say). */
export interface LintReportTarget {
  /** "owner/name" (GITHUB_REPOSITORY). */
  repository?: string
  /** The commit the findings were found on: a pull request's head, else GITHUB_SHA. */
  headSha?: string
  event?: string
  pullRequest?: { number: number; fork?: string }
  /** The check run's name: the step's. */
  checkName: string
  runUrl?: string
}

export interface LintReportRequest {
  mode: LintReportMode
  filter: FilterMode
  /** Every finding of the lint, in order. */
  findings: readonly Finding[]
  /** The files the lint read: a review marks fixed only earlier comments on these (another step may lint other files). Default: every file. */
  linted?: readonly string[]
  target: LintReportTarget
  /** Whether these findings fail the step (fail-on). */
  fails: (judged: readonly Finding[]) => boolean
  rules: RuleLookup
  now: () => number
}

export interface LintReport {
  /** The findings to annotate with workflow commands (as without a GitHub report: the runner shows 10 of each level). */
  annotate: Finding[]
  /** The findings that judge the step; undefined: all of them. */
  judged?: Finding[]
  /** Which findings judge, for the step's failure message; undefined: all of them. */
  scope?: string
  outputs: Record<string, string>
  /** The one warning: the report fell back to annotations (or, for a review, could not mark earlier comments fixed). */
  warning?: string
  /** What was written, for the step log. */
  notes: string[]
}

const OUTPUT: Record<LintReportMode, string> = { 'check-run': 'check-run-url', review: 'review-url' }

/** Which findings judge the step under a filter mode, in words. */
export function filterScope(filter: FilterMode): string | undefined {
  switch (filter) {
    case 'added':
      return 'on lines this pull request adds or changes (filter: added)'
    case 'diff-context':
      return "on lines of this pull request's diff (filter: diff-context)"
    case 'file':
      return 'in files this pull request changes (filter: file)'
    case 'nofilter':
      return undefined
  }
}

export async function reportFindings(octokit: Octokit, r: LintReportRequest): Promise<LintReport> {
  const active = r.findings.filter((f) => !f.suppressed)
  const outputs = { [OUTPUT[r.mode]]: '' }
  const fallback = (warning: string, judged?: Finding[], scope?: string): LintReport => ({ annotate: judged ?? active, judged, scope, outputs, warning, notes: [] })
  const [owner, repo] = (r.target.repository ?? '').split('/')
  const name = r.mode === 'review' ? 'review' : 'check run'
  if (!owner || !repo) return fallback(`report: ${r.mode} writes a ${name} on GitHub, but GITHUB_REPOSITORY does not name the repository (is this a GitHub Actions run?); the findings are annotations of the step instead.`)
  if (!r.target.headSha) return fallback(`report: ${r.mode} needs the commit to report on, but neither the event nor GITHUB_SHA names it; the findings are annotations of the step instead.`)
  const pr = r.target.pullRequest
  if (r.mode === 'review' && !pr) {
    return fallback(`report: review needs a pull request, and this run's event is ${r.target.event ?? 'not one'}; the findings are annotations of the step instead. Run the lint on: pull_request (or use report: check-run).`)
  }

  const context: FailureContext = { fork: pr?.fork, event: r.target.event, instead: 'the findings are annotations of the step instead', report: `the ${name}` }
  const guard = guardFor(context, r.now)
  const target: PullRequestTarget | undefined = pr ? { owner, repo, number: pr.number, headSha: r.target.headSha } : undefined
  let diff: DiffIndex | undefined
  let judged: Finding[] | undefined
  const scope = target ? filterScope(r.filter) : undefined
  const progress: CheckRunProgress = { annotated: 0 }
  try {
    if (target) {
      diff = indexDiff(await listPullRequestFiles(octokit, guard, target))
      const index = diff
      judged = active.filter((f) => place(index, r.filter, f.file, f.line).reported)
    }
    if (r.mode === 'check-run') {
      const all = judged ?? active
      const failed = r.fails(all)
      const conclusion: Conclusion = failed ? 'failure' : active.length ? 'neutral' : 'success'
      const counts = { errors: count(active, 'error'), warnings: count(active, 'warning'), notes: count(active, 'note') }
      const output = checkRunOutput({ ...counts, judged: all.length, scope, failed, runUrl: r.target.runUrl })
      const annotations = active.map((f) => checkRunAnnotation(f, r.rules))
      const url = await publishCheckRun(octokit, guard, { owner, repo, headSha: r.target.headSha, name: r.target.checkName, detailsUrl: r.target.runUrl }, annotations, output, conclusion, r.now, progress)
      return { annotate: [], judged, scope, outputs: { [OUTPUT[r.mode]]: url }, notes: [`Check run "${r.target.checkName}" with ${active.length} finding(s) as annotations (${conclusion}): ${url}`] }
    }
    return await review(octokit, { ...context, instead: 'the earlier comment stays as it is' }, guard, r, target!, diff!, active, scope)
  } catch (error) {
    if (!(error instanceof GitHubCallError)) throw error
    const partial = progress.url ? ` (the check run ${progress.url} holds the first ${progress.annotated} of ${active.length})` : ''
    return fallback(`${error.message}${partial}`, judged, scope)
  }
}

async function review(octokit: Octokit, fixContext: FailureContext, guard: Guard, r: LintReportRequest, target: PullRequestTarget, diff: DiffIndex, active: Finding[], scope: string | undefined): Promise<LintReport> {
  const ours = await listOurComments(octokit, guard, target)
  const plan = planReview(active, diff, r.filter, ours, MAX_REVIEW_COMMENTS, r.linted && new Set(r.linted.map(normalisePath)))
  const notes: string[] = []
  let url = ''
  if (plan.post.length) {
    const body = reviewBody(
      {
        posted: plan.post.length,
        overflow: plan.overflow,
        alreadyCommented: plan.alreadyCommented.length,
        offDiff: plan.offDiff.length,
        filteredOut: plan.filteredOut.length,
        fixed: plan.fixed.length,
        filter: r.filter,
        runUrl: r.target.runUrl
      },
      r.rules
    )
    url = await createReview(octokit, guard, target, body, plan.post, r.rules)
    notes.push(`Review with ${plan.post.length} comment(s) on the pull request's changes: ${url}`)
  } else {
    notes.push(plan.alreadyCommented.length ? `No new review: the ${plan.alreadyCommented.length} finding(s) on the pull request's changes are commented already.` : "No review: no finding on the pull request's changes.")
  }
  // The review stands whatever happens here: only the earlier comments stay as they were.
  const fixGuard = guardFor(fixContext, r.now)
  let warning: string | undefined
  for (const comment of plan.fixed) {
    try {
      await markFixed(octokit, fixGuard, target, comment)
    } catch (error) {
      if (!(error instanceof GitHubCallError)) throw error
      warning = error.message
      break
    }
  }
  if (plan.fixed.length && !warning) notes.push(`${plan.fixed.length} earlier comment(s) marked fixed.`)
  if (plan.offDiff.length) notes.push(`${plan.offDiff.length} finding(s) ${scope ? 'the filter reports ' : ''}on lines outside the diff are annotations of the step (a review comment must be on a line of the diff).`)
  return { annotate: plan.offDiff, judged: plan.judged, scope, outputs: { 'review-url': url }, warning, notes }
}

const count = (findings: readonly Finding[], severity: Finding['severity']): number => findings.filter((f) => f.severity === severity).length
