// The workflow run a submit step belongs to, from the runner's environment: GITHUB_* variables and,
// for a pull request's head commit, the event payload (the JSON file GITHUB_EVENT_PATH names).
// Outside GitHub Actions nothing is known of a run. The GitHub reports read the same payload for the
// pull request's number and whether it comes from a fork.
import { readFileSync } from 'node:fs'
import type { RunContext } from './identity.js'

export function currentRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  if (env.GITHUB_ACTIONS !== 'true') return {}
  return {
    repository: env.GITHUB_REPOSITORY || undefined,
    workflow: env.GITHUB_WORKFLOW || undefined,
    job: env.GITHUB_JOB || undefined,
    runId: positiveInteger(env.GITHUB_RUN_ID),
    runAttempt: positiveInteger(env.GITHUB_RUN_ATTEMPT),
    // On pull_request events GITHUB_SHA is a merge commit nobody pushed: label the head commit.
    sha: readPullRequest(env.GITHUB_EVENT_PATH)?.headSha ?? (env.GITHUB_SHA || undefined),
    ref: env.GITHUB_REF || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com'
  }
}

/** A run ID or attempt as a decimal string, or undefined when it is missing or not a number. */
function positiveInteger(value: string | undefined): string | undefined {
  const n = Number.parseInt(value ?? '', 10)
  return n > 0 ? String(n) : undefined
}

/** The pull request a run is for (pull_request and pull_request_target events), from the event payload. */
export interface PullRequestContext {
  number: number
  headSha: string
  /** "owner/name" of the head repository, when it is not the base repository (a fork's pull request). */
  fork?: string
}

/** What the GitHub reports (src/github/) need of a run besides RunContext. */
export interface GitHubRunContext {
  run: RunContext
  /** GITHUB_EVENT_NAME, e.g. pull_request. */
  event?: string
  pullRequest?: PullRequestContext
  /** GITHUB_ACTION: the step's id ("__owner_repo" or "__run" when the workflow gave it none). */
  step?: string
  /** GITHUB_API_URL (GHES, and the tests, set their own). */
  apiUrl: string
}

export function currentGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubRunContext {
  const actions = env.GITHUB_ACTIONS === 'true'
  const pullRequest = actions ? readPullRequest(env.GITHUB_EVENT_PATH) : undefined
  return {
    run: currentRunContext(env),
    event: (actions && env.GITHUB_EVENT_NAME) || undefined,
    pullRequest: pullRequest && pullRequest.number > 0 ? pullRequest : undefined,
    step: (actions && env.GITHUB_ACTION) || undefined,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com'
  }
}

/** The event payload's pull_request, if the event is a pull request's (and its payload says what it must). */
function readPullRequest(eventPath: string | undefined): PullRequestContext | undefined {
  if (!eventPath) return undefined
  let payload: unknown
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'))
  } catch {
    return undefined // no payload to read (the runner always writes one): GITHUB_SHA it is
  }
  type Repo = { full_name?: unknown } | null | undefined
  const pr = (payload as { pull_request?: { number?: unknown; head?: { sha?: unknown; repo?: Repo }; base?: { repo?: Repo } } } | null)?.pull_request
  const sha = pr?.head?.sha
  if (typeof sha !== 'string' || sha === '') return undefined
  const number = typeof pr?.number === 'number' && pr.number > 0 ? pr.number : 0
  const head = pr?.head?.repo?.full_name
  const base = pr?.base?.repo?.full_name
  // A fork deleted since has no head repository: still not this repository.
  const fork = typeof base === 'string' && head !== base ? (typeof head === 'string' ? head : '(a deleted fork)') : undefined
  return { number, headSha: sha, ...(fork ? { fork } : {}) }
}
