// report: comment (and, by default, submit on a pull request). One comment on the pull request
// holds the submitted RayJob's result; a rerun finds it by its hidden marker (on any page of the
// pull request's comments) and updates it in place instead of adding another.
import { GitHubCallError, guardFor } from './client.js'
import type { Guard, Octokit } from './client.js'
import { stickyCommentBody, stickyMarker } from './comments.js'
import type { StickyFacts } from './comments.js'
import type { FailureContext } from './errors.js'

export const COMMENT_PERMISSION = 'pull-requests: write'

export interface StickyTarget {
  owner: string
  repo: string
  /** The pull request (an issue, to the comments API). */
  number: number
}

/** Updates the comment that carries `marker`, or adds it; returns its URL and whether it was there before. */
export async function upsertStickyComment(octokit: Octokit, guard: Guard, target: StickyTarget, marker: string, body: string): Promise<{ url: string; updated: boolean }> {
  const { owner, repo, number: issue_number } = target
  const comments = await guard({ doing: "read the pull request's comments", permission: COMMENT_PERMISSION.replace('write', 'read') }, () =>
    octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number, per_page: 100 })
  )
  const existing = comments.find((c) => c.body?.includes(marker))
  if (existing) {
    const updated = await guard({ doing: 'update the RayJob comment', permission: COMMENT_PERMISSION }, () =>
      octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: existing.id, body })
    )
    return { url: updated.data.html_url, updated: true }
  }
  const created = await guard({ doing: 'add the RayJob comment', permission: COMMENT_PERMISSION }, () =>
    octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number, body })
  )
  return { url: created.data.html_url, updated: false }
}

export interface SubmitCommentRequest {
  /** "owner/name" */
  repository?: string
  event?: string
  pullRequest?: { number: number; fork?: string }
  facts: StickyFacts
  /** True when `report: comment` asked for it; false for the default on pull requests, where a refusal is only a note. */
  asked: boolean
  now: () => number
}

export interface SubmitCommentResult {
  url?: string
  /** For the step log. */
  note?: string
  /** Said once, when an asked-for comment could not be written. */
  warning?: string
}

export async function postSubmitComment(octokit: Octokit, r: SubmitCommentRequest): Promise<SubmitCommentResult> {
  const [owner, repo] = (r.repository ?? '').split('/')
  const say = (text: string): SubmitCommentResult => (r.asked ? { warning: text } : { note: text })
  if (!r.pullRequest || !owner || !repo) {
    return say(`report: comment writes the RayJob's result on a pull request, and this run's event is ${r.event ?? 'not one'}: the result is in the job summary only.`)
  }
  const context: FailureContext = { fork: r.pullRequest.fork, event: r.event, instead: 'the result is in the job summary only', report: "the RayJob's comment" }
  try {
    const { url, updated } = await upsertStickyComment(octokit, guardFor(context, r.now), { owner, repo, number: r.pullRequest.number }, stickyMarker(r.facts.key), stickyCommentBody(r.facts))
    return { url, note: `${updated ? 'Updated' : 'Added'} the RayJob's comment on pull request #${r.pullRequest.number}: ${url}` }
  } catch (error) {
    if (!(error instanceof GitHubCallError)) throw error
    // Not asked for: a token without pull-requests: write is how most workflows are, not a problem.
    if (!r.asked && (error.failure.kind === 'permission' || error.failure.kind === 'fork')) {
      return { note: `No RayJob comment on the pull request: the token may not write one (set report: comment, with \`${COMMENT_PERMISSION}\` in permissions:, to have it; report: annotations to not try).` }
    }
    return say(error.message)
  }
}
