// A small GitHub behind the OpenAPI-validating server: one repository with one pull request (its
// changed files, review comments, reviews, issue comments) and the check runs on its commits. It
// answers with the documented examples of each operation, filled in with its own state, and it
// refuses what GitHub refuses: a write with a read-only token (a fork's pull request), a write the
// token has no permission for, a review comment on a line that is not in the diff.
import { documentedExample, OpenApiServer, page } from './openapi-server.js'
import type { Answer, Request } from './openapi-server.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export const OWNER = 'octo-org'
export const REPO = 'ml-jobs'
export const PR_NUMBER = 42
export const HEAD_SHA = 'a'.repeat(40)

export interface ChangedFile {
  filename: string
  status?: 'added' | 'removed' | 'modified' | 'renamed'
  patch?: string
  previous_filename?: string
}

export interface ReviewComment {
  id: number
  path: string
  line: number | null
  body: string
  commit_id: string
  in_reply_to_id?: number
  subject_type?: 'line' | 'file'
  pull_request_review_id: number
}

export interface IssueComment {
  id: number
  body: string
}

export interface CheckRun {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  details_url?: string
  output: { title: string; summary: string }
  annotations: Json[]
}

/** A token's rights: `read` only (a fork's pull request), or the write permissions it has. */
export type TokenRights = { readOnly: true } | { write: Array<'checks' | 'pull-requests'> }

const DOCS = 'https://docs.github.com/rest'
const error = (status: number, message: string): Answer => ({ status, body: { message, documentation_url: DOCS, status: String(status) } })

/** Which permission each write needs. */
const WRITES: Record<string, 'checks' | 'pull-requests'> = {
  'checks/create': 'checks',
  'checks/update': 'checks',
  'pulls/create-review': 'pull-requests',
  'pulls/update-review-comment': 'pull-requests',
  'issues/create-comment': 'pull-requests',
  'issues/update-comment': 'pull-requests'
}

export class FakeGitHub {
  files: ChangedFile[] = []
  reviewComments: ReviewComment[] = []
  issueComments: IssueComment[] = []
  reviews: Array<{ id: number; body: string; commit_id: string; event: string }> = []
  checkRuns: CheckRun[] = []
  tokens: Record<string, TokenRights> = { 'write-token': { write: ['checks', 'pull-requests'] } }
  private nextId = 1000
  server!: OpenApiServer

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub()
    fake.server = await OpenApiServer.start((r) => fake.answer(r))
    return fake
  }

  /** Empties the state and the server's records. */
  reset(): void {
    this.files = []
    this.reviewComments = []
    this.issueComments = []
    this.reviews = []
    this.checkRuns = []
    this.server.reset()
  }

  id(): number {
    return this.nextId++
  }

  private answer(r: Request): Answer {
    if (r.params.owner !== OWNER || r.params.repo !== REPO) return error(404, 'Not Found')
    const rights = this.tokens[r.token ?? '']
    if (!rights) return error(401, 'Bad credentials')
    const needs = WRITES[r.operationId]
    if (needs && ('readOnly' in rights || !rights.write.includes(needs))) return error(403, 'Resource not accessible by integration')
    const number = Number(r.params.pull_number ?? r.params.issue_number ?? PR_NUMBER)
    if (number !== PR_NUMBER) return error(404, 'Not Found')
    const body = (r.body ?? {}) as Record<string, Json>
    switch (r.operationId) {
      case 'pulls/list-files':
        return page(this.files.map((f) => this.diffEntry(f)), r)
      case 'pulls/list-review-comments':
        return page(this.reviewComments.map((c) => this.reviewComment(c)), r)
      case 'pulls/create-review':
        return this.createReview(body)
      case 'pulls/update-review-comment': {
        const comment = this.reviewComments.find((c) => c.id === Number(r.params.comment_id))
        if (!comment) return error(404, 'Not Found')
        comment.body = String(body.body)
        return { status: 200, body: this.reviewComment(comment) }
      }
      case 'issues/list-comments':
        return page(this.issueComments.map((c) => this.issueComment(c)), r)
      case 'issues/create-comment': {
        const comment = { id: this.id(), body: String(body.body) }
        this.issueComments.push(comment)
        return { status: 201, body: this.issueComment(comment) }
      }
      case 'issues/update-comment': {
        const comment = this.issueComments.find((c) => c.id === Number(r.params.comment_id))
        if (!comment) return error(404, 'Not Found')
        comment.body = String(body.body)
        return { status: 200, body: this.issueComment(comment) }
      }
      case 'checks/create': {
        const output = (body.output ?? {}) as Record<string, Json>
        const run: CheckRun = {
          id: this.id(),
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: String(body.status ?? 'queued'),
          conclusion: (body.conclusion as string | undefined) ?? null,
          ...(body.details_url ? { details_url: String(body.details_url) } : {}),
          output: { title: String(output.title ?? ''), summary: String(output.summary ?? '') },
          annotations: [...((output.annotations as Json[] | undefined) ?? [])]
        }
        this.checkRuns.push(run)
        return { status: 201, body: this.checkRun(run) }
      }
      case 'checks/update': {
        const run = this.checkRuns.find((c) => c.id === Number(r.params.check_run_id))
        if (!run) return error(404, 'Not Found')
        const output = body.output as Record<string, Json> | undefined
        if (output) run.annotations.push(...((output.annotations as Json[] | undefined) ?? []))
        if (body.status) run.status = String(body.status)
        if (body.conclusion) run.conclusion = String(body.conclusion)
        return { status: 200, body: this.checkRun(run) }
      }
      default:
        return error(501, `the fake does not implement ${r.operationId}`)
    }
  }

  /** GitHub's check on a review: each comment on a line of the diff's new side (RIGHT), else 422. */
  private createReview(body: Record<string, Json>): Answer {
    const comments = (body.comments ?? []) as Array<Record<string, Json>>
    for (const c of comments) {
      const file = this.files.find((f) => f.filename === c.path)
      if (!file || !rightSideLines(file.patch ?? '').has(Number(c.line))) {
        return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'], documentation_url: DOCS } }
      }
    }
    const review = { id: this.id(), body: String(body.body ?? ''), commit_id: String(body.commit_id ?? HEAD_SHA), event: String(body.event ?? '') }
    this.reviews.push(review)
    for (const c of comments) {
      this.reviewComments.push({ id: this.id(), path: String(c.path), line: Number(c.line), body: String(c.body), commit_id: review.commit_id, subject_type: 'line', pull_request_review_id: review.id })
    }
    const answer = documentedExample('pulls/create-review', 200)
    Object.assign(answer, { id: review.id, body: review.body, commit_id: review.commit_id, state: 'COMMENTED', html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#pullrequestreview-${review.id}` })
    return { status: 200, body: answer }
  }

  private diffEntry(f: ChangedFile): Json {
    const entry = documentedExample('pulls/list-files', 200)
    Object.assign(entry, { filename: f.filename, status: f.status ?? 'modified', sha: 'b'.repeat(40) })
    if (f.patch === undefined) delete entry.patch
    else entry.patch = f.patch
    if (f.previous_filename) entry.previous_filename = f.previous_filename
    else delete entry.previous_filename
    return entry
  }

  private reviewComment(c: ReviewComment): Json {
    const comment = documentedExample('pulls/list-review-comments', 200)
    Object.assign(comment, {
      id: c.id,
      path: c.path,
      line: c.line,
      original_line: c.line ?? 1,
      position: c.line,
      body: c.body,
      commit_id: c.commit_id,
      subject_type: c.subject_type ?? 'line',
      pull_request_review_id: c.pull_request_review_id,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r${c.id}`
    })
    if (c.in_reply_to_id) comment.in_reply_to_id = c.in_reply_to_id
    else delete comment.in_reply_to_id
    return comment
  }

  private issueComment(c: IssueComment): Json {
    const comment = documentedExample('issues/list-comments', 200)
    Object.assign(comment, { id: c.id, body: c.body, html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-${c.id}` })
    return comment
  }

  private checkRun(run: CheckRun): Json {
    const answer = documentedExample('checks/get', 200)
    const output = answer.output as Record<string, Json>
    Object.assign(answer, {
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      html_url: `https://github.com/${OWNER}/${REPO}/runs/${run.id}`,
      output: { ...output, title: run.output.title, summary: run.output.summary, annotations_count: run.annotations.length }
    })
    return answer
  }
}

/** The lines of a patch's new side (added and context), read the simple way: hunk by hunk. */
function rightSideLines(patch: string): Set<number> {
  const lines = new Set<number>()
  let next = 0
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (hunk) next = Number(hunk[1])
    else if (next && (line.startsWith('+') || line.startsWith(' '))) lines.add(next++)
  }
  return lines
}
