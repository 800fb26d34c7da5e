// report: review. One pull request review with a comment on each finding's line in the diff. A
// rerun (or a new push) posts only what is not commented yet: the same rule at the same place is
// the same comment. A comment whose finding is gone is rewritten to say it is fixed (the REST API
// cannot resolve a review thread; GitHub itself marks a comment outdated when its line changes).
import type { Finding } from '../lint/findings.js'
import type { Guard, Octokit } from './client.js'
import { findingCommentBody, findingKey, fixedCommentBody, parseFindingMarker } from './comments.js'
import type { RuleLookup } from './comments.js'
import { parsePatch, place } from './diff-filter.js'
import type { DiffIndex, FileDiff, FilterMode } from './diff-filter.js'

export const PULL_REQUESTS_WRITE = 'pull-requests: write'
export const PULL_REQUESTS_READ = 'pull-requests: read'

/** The most comments one review carries (more in one request trips GitHub's abuse detection); the rest are listed in its body. */
export const MAX_REVIEW_COMMENTS = 100

export interface PullRequestTarget {
  owner: string
  repo: string
  number: number
  /** The head commit the findings were found on. */
  headSha: string
}

/** One of this action's earlier review comments. */
export interface OurComment {
  id: number
  path: string
  /** Its line on the pull request as it is now; null when GitHub marked it outdated. */
  line: number | null
  rule: string
  fixed?: string
  body: string
}

export interface ReviewPlan {
  /** Findings that get a new comment in this review. */
  post: Finding[]
  /** Reported findings on diff lines beyond MAX_REVIEW_COMMENTS: listed in the review's body. */
  overflow: Finding[]
  /** Reported findings on diff lines that an earlier run commented. */
  alreadyCommented: Finding[]
  /** Reported findings on lines the diff does not show: no review comment can be put there. */
  offDiff: Finding[]
  /** Findings the filter leaves out. */
  filteredOut: Finding[]
  /** Every finding the filter reports: these judge the step. */
  judged: Finding[]
  /** Earlier comments, still on the diff and on a file the lint read, whose finding is gone. */
  fixed: OurComment[]
}

/** What the review will do, from the findings, the diff, the filter and the comments already there. Pure. */
export function planReview(findings: readonly Finding[], diff: DiffIndex, filter: FilterMode, ours: readonly OurComment[], max = MAX_REVIEW_COMMENTS, linted?: ReadonlySet<string>): ReviewPlan {
  const plan: ReviewPlan = { post: [], overflow: [], alreadyCommented: [], offDiff: [], filteredOut: [], judged: [], fixed: [] }
  const open = new Set(ours.filter((c) => c.line !== null && !c.fixed).map((c) => findingKey(c.path, c.line!, c.rule)))
  const current = new Set<string>()
  const queued = new Set<string>()
  for (const f of findings) {
    if (f.suppressed) continue
    const key = findingKey(f.file, f.line, f.ruleId)
    current.add(key)
    const at = place(diff, filter, f.file, f.line)
    if (!at.reported) {
      plan.filteredOut.push(f)
      continue
    }
    plan.judged.push(f)
    if (!at.onDiffLine) plan.offDiff.push(f)
    else if (open.has(key)) plan.alreadyCommented.push(f)
    else if (queued.has(key)) continue // the same rule twice on one line (two columns): one comment says it
    else {
      queued.add(key)
      ;(plan.post.length < max ? plan.post : plan.overflow).push(f)
    }
  }
  // Only in files this lint read: a step that lints other files must not take their comments for fixed.
  plan.fixed = ours.filter((c) => c.line !== null && !c.fixed && (!linted || linted.has(c.path)) && !current.has(findingKey(c.path, c.line, c.rule)))
  return plan
}

/** The pull request's changed files, each with the lines its diff shows (GitHub lists up to 3,000 files). */
export async function listPullRequestFiles(octokit: Octokit, guard: Guard, pr: PullRequestTarget): Promise<FileDiff[]> {
  const files = await guard({ doing: "read the pull request's changed files", permission: PULL_REQUESTS_READ }, () =>
    octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 })
  )
  return files.map((f) => parsePatch(f.filename, f.patch, f.previous_filename, f.status === 'removed'))
}

/** This action's review comments on the pull request (every page). */
export async function listOurComments(octokit: Octokit, guard: Guard, pr: PullRequestTarget): Promise<OurComment[]> {
  const comments = await guard({ doing: "read the pull request's review comments", permission: PULL_REQUESTS_READ }, () =>
    octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 })
  )
  const ours: OurComment[] = []
  for (const c of comments) {
    const marker = parseFindingMarker(c.body)
    if (!marker || c.in_reply_to_id) continue
    // subject_type "file" comments have no line: they are not a finding's place.
    ours.push({ id: c.id, path: c.path, line: c.subject_type === 'file' ? null : (c.line ?? null), rule: marker.rule, ...(marker.fixed ? { fixed: marker.fixed } : {}), body: c.body })
  }
  return ours
}

/** Posts the review (event COMMENT: it neither approves nor blocks); returns its URL. */
export async function createReview(octokit: Octokit, guard: Guard, pr: PullRequestTarget, body: string, findings: readonly Finding[], rules: RuleLookup): Promise<string> {
  const review = await guard({ doing: 'post the review', permission: PULL_REQUESTS_WRITE }, () =>
    octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      commit_id: pr.headSha,
      event: 'COMMENT',
      body,
      comments: findings.map((f) => ({ path: f.file, line: f.line, side: 'RIGHT', body: findingCommentBody(f, rules) }))
    })
  )
  return review.data.html_url
}

/** Rewrites an earlier comment whose finding is gone to say so. */
export async function markFixed(octokit: Octokit, guard: Guard, pr: PullRequestTarget, comment: OurComment): Promise<void> {
  await guard({ doing: `mark the fixed finding's comment on ${comment.path}:${comment.line} as fixed`, permission: PULL_REQUESTS_WRITE }, () =>
    octokit.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', {
      owner: pr.owner,
      repo: pr.repo,
      comment_id: comment.id,
      body: fixedCommentBody(comment.body, comment.rule, pr.headSha)
    })
  )
}
