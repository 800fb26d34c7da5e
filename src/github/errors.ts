// What a failed GitHub API call means and what the step does about it: whether to try again (rate
// limits that say when, and 5xx on calls that are safe to repeat), and, when it gives up, one plain
// message that names the call, what it was for, and what the user can do. Pure.

/** One call as the reporters make it, and why. */
export interface CallPurpose {
  /** What the call was for, as the end of "could not ...": "create the check run". */
  doing: string
  /** The `permissions:` line the call needs, e.g. "checks: write". */
  permission: string
}

/** What is known of the pull request, to tell a fork's read-only token from a missing permission. */
export interface FailureContext {
  /** "owner/name" of the head repository, when the pull request comes from a fork. */
  fork?: string
  /** The workflow's event, e.g. "pull_request". */
  event?: string
  /** What the step does instead, e.g. "the findings are annotations of the step instead". */
  instead: string
  /** What the report is, e.g. "the review": "pull requests from branches of this repository get the review". */
  report: string
}

/** A failed call, as read from Octokit's RequestError (or a network error, which has no status). */
export interface FailedCall {
  method: string
  /** The URL's path, e.g. /repos/o/r/check-runs. */
  path: string
  status?: number
  headers: Record<string, string | number | undefined>
  /** GitHub's `message`, and the `errors` of a 422. */
  message: string
}

export type FailureKind = 'fork' | 'permission' | 'auth' | 'not-found' | 'validation' | 'rate-limit' | 'server' | 'network' | 'other'

export interface Failure {
  kind: FailureKind
  message: string
}

/** The longest a rate limit is waited out: beyond this the step goes on without the report. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000
/** Tries of one call in all (rate limits and 5xx together). */
export const MAX_TRIES = 4

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])

/** Whether GitHub refused the call for its rate limit (primary: no requests left; secondary: retry-after). */
export function isRateLimited(call: Pick<FailedCall, 'status' | 'headers' | 'message'>): boolean {
  if (call.status !== 403 && call.status !== 429) return false
  return call.status === 429 || header(call.headers, 'retry-after') !== undefined || header(call.headers, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(call.message)
}

/**
 * How long to wait before trying `call` again (its `tries` so far), or undefined to give up.
 * A rate limit is waited out as GitHub says (retry-after, else x-ratelimit-reset) when that is
 * within MAX_RATE_LIMIT_WAIT_MS: a refused call did nothing, so any method may be repeated. A 5xx
 * or a network error is tried again after `backoff` only for calls that are safe to repeat: a
 * POST that failed with a 502 may have been carried out.
 */
export function retryDelay(call: FailedCall, tries: number, now: number, backoff: number): number | undefined {
  if (tries >= MAX_TRIES) return undefined
  if (isRateLimited(call)) {
    const wait = rateLimitWait(call.headers, now)
    return wait !== undefined && wait <= MAX_RATE_LIMIT_WAIT_MS ? wait : undefined
  }
  const serverSide = call.status === undefined || call.status >= 500
  return serverSide && IDEMPOTENT.has(call.method.toUpperCase()) ? backoff : undefined
}

/** The wait GitHub asks for, in ms: retry-after (seconds), else until x-ratelimit-reset (epoch seconds); undefined when neither says. */
export function rateLimitWait(headers: FailedCall['headers'], now: number): number | undefined {
  const retryAfter = header(headers, 'retry-after')
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000
  const reset = header(headers, 'x-ratelimit-reset')
  if (header(headers, 'x-ratelimit-remaining') === '0' && reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now) + 1000
  return undefined
}

/** The one message the step prints when it gives a GitHub report up. */
export function describeFailure(call: FailedCall, purpose: CallPurpose, context: FailureContext, now: number): Failure {
  const what = `${call.method.toUpperCase()} ${call.path}`
  const answered = call.status === undefined ? `failed (${call.message})` : `answered ${call.status}${call.message ? ` "${oneLine(call.message)}"` : ''}`
  const head = `Could not ${purpose.doing}: ${what} ${answered}`
  const instead = context.instead
  if (call.status === undefined) {
    return { kind: 'network', message: `${head}. GitHub's API could not be reached from the runner; ${instead}. Check GITHUB_API_URL and the runner's network or proxy settings.` }
  }
  if (isRateLimited(call)) {
    const wait = rateLimitWait(call.headers, now)
    const until = wait === undefined ? 'it did not say for how long' : `it asks to wait ${Math.ceil(wait / 1000)} s, more than the ${MAX_RATE_LIMIT_WAIT_MS / 1000} s this step waits`
    return { kind: 'rate-limit', message: `${head}: GitHub's API rate limit for this token is reached (${until}); ${instead}. Rerun the job later, or spread the workflows that share the token.` }
  }
  if (call.status === 401) {
    return { kind: 'auth', message: `${head}: GitHub did not accept the token; ${instead}. Pass a valid token as github-token (the default, \${{ github.token }}, is always valid while the job runs).` }
  }
  if (call.status === 403 && context.fork && context.event === 'pull_request') {
    return {
      kind: 'fork',
      message: `${head}: this pull request comes from the fork ${context.fork}, and GitHub gives workflows of fork pull requests a read-only token; ${instead}. Nothing to fix: pull requests from branches of this repository get ${context.report}.`
    }
  }
  if (call.status === 403) {
    return { kind: 'permission', message: `${head}: the token may not ${purpose.doing}; ${instead}. Add \`${purpose.permission}\` to the job's \`permissions:\` (or pass a github-token that has it).` }
  }
  if (call.status === 404) {
    return {
      kind: 'not-found',
      message: `${head}: the repository or pull request is not there for this token (GitHub answers 404 to a token that may not see it); ${instead}. Add \`${call.method.toUpperCase() === 'GET' ? readPermission(purpose.permission) : purpose.permission}\` to the job's \`permissions:\` (a personal access token needs the repo scope).`
    }
  }
  if (call.status === 422) {
    return { kind: 'validation', message: `${head}: GitHub refused what the step sent; ${instead}. If the pull request changed while the job ran, rerun the job; otherwise this is a bug of rayjob-action: please report it with this line.` }
  }
  if (call.status >= 500) {
    return { kind: 'server', message: `${head}: GitHub's API failed on its side; ${instead}. Rerun the job later (see https://www.githubstatus.com).` }
  }
  return { kind: 'other', message: `${head}; ${instead}.` }
}

/** The read permission of a write one ("pull-requests: write" → "pull-requests: read"), which is what a 404 on a read lacks. */
function readPermission(permission: string): string {
  return permission.replace(/: write$/, ': read')
}

function header(headers: FailedCall['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return value === undefined ? undefined : String(value)
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
