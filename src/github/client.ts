// The GitHub API client: @actions/github's Octokit (loaded here, on first use, so that a lint that
// reports no further than annotations never loads it), pointed at GITHUB_API_URL, with the retries
// this action allows itself on the project's clock, and every failure turned into one message that
// says what to do (errors.ts).
import type { getOctokit } from '@actions/github'
import { backoffDelays, sleep, systemClock } from '../clients/clock.js'
import type { Backoff, Clock } from '../clients/clock.js'
import { describeFailure, retryDelay } from './errors.js'
import type { CallPurpose, FailedCall, Failure, FailureContext } from './errors.js'

export type Octokit = ReturnType<typeof getOctokit>
export type { Clock }

export interface ClientOptions {
  token: string
  /** GitHub's REST API, e.g. https://api.github.com (GITHUB_API_URL: GHES and the tests set it). */
  baseUrl: string
  userAgent: string
  /** What retries wait on (default: the system's). */
  clock?: Clock
  /** Where retries and Octokit's own notes go (the step's debug log). */
  debug: (message: string) => void
}

/** 5xx and network errors on calls that are safe to repeat: 1 s, 2 s, 4 s. */
export const SERVER_ERROR_BACKOFF: Backoff = { first: 1000, max: 8000, grow: 2 }

/** A client for `baseUrl`: every request is retried as errors.ts allows (rate limits, 5xx on safe calls), waiting on `clock`. */
export async function createGitHubClient(options: ClientOptions): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github')
  const clock = options.clock ?? systemClock
  const log = { debug: options.debug, info: options.debug, warn: options.debug, error: options.debug }
  const octokit = getOctokit(options.token, { baseUrl: options.baseUrl.replace(/\/+$/, ''), userAgent: options.userAgent, log })
  octokit.hook.wrap('request', async (request, params) => {
    const delays = backoffDelays(SERVER_ERROR_BACKOFF)
    for (let tries = 1; ; tries++) {
      try {
        return await request(params)
      } catch (error) {
        const call = failedCall(error)
        const wait = call ? retryDelay(call, tries, clock.now(), delays.next().value) : undefined
        if (!call || wait === undefined) throw error
        options.debug(`${call.method} ${call.path} answered ${call.status ?? call.message}; trying again in ${Math.ceil(wait / 1000)} s`)
        await sleep(clock, wait)
      }
    }
  })
  return octokit
}

/** A GitHub call that failed for good: `failure.message` is what the step says about it. */
export class GitHubCallError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message)
    this.name = 'GitHubCallError'
  }
}

/** Runs one call; its failure becomes the GitHubCallError that says what to do (`call`, bound to a report's context). */
export type Guard = <T>(purpose: CallPurpose, fn: () => Promise<T>) => Promise<T>

/** `call` bound to a report's context. */
export function guardFor(context: FailureContext, now: () => number): Guard {
  return (purpose, fn) => call(purpose, context, now, fn)
}

/**
 * Runs one call (or a pagination) and turns its failure into a GitHubCallError naming the call,
 * its purpose and what to do. Anything that is not an HTTP failure (a bug) is thrown as it is.
 */
export async function call<T>(purpose: CallPurpose, context: FailureContext, now: () => number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    const failed = failedCall(error)
    if (!failed) throw error
    throw new GitHubCallError(describeFailure(failed, purpose, context, now()))
  }
}

/** Octokit's RequestError as a FailedCall; undefined for anything else. */
export function failedCall(error: unknown): FailedCall | undefined {
  if (!(error instanceof Error) || error.name !== 'HttpError') return undefined
  const e = error as Error & {
    status?: number
    request?: { method?: string; url?: string }
    response?: { status: number; headers: Record<string, string | number | undefined>; data?: unknown }
  }
  const url = e.request?.url ?? ''
  let path = url
  try {
    path = new URL(url).pathname
  } catch {
    // a relative URL: as it is
  }
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined
  let message = typeof data?.message === 'string' ? data.message : e.response ? e.message : networkReason(e)
  if (Array.isArray(data?.errors) && data.errors.length) message += `: ${data.errors.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ')}`
  // No response: the request never got an answer (Octokit reports these as status 500).
  return { method: (e.request?.method ?? 'GET').toUpperCase(), path, status: e.response ? e.response.status : undefined, headers: e.response?.headers ?? {}, message }
}

/** What a request that got no answer ran into: fetch says only "fetch failed"; its causes say ECONNREFUSED, ENOTFOUND, a TLS error. */
function networkReason(error: Error): string {
  const reasons: string[] = []
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { message, code } = e as { message?: unknown; code?: unknown }
    if (typeof message === 'string' && message && message !== 'fetch failed') reasons.push(message)
    else if (typeof code === 'string') reasons.push(code)
  }
  const unique = [...new Set(reasons)]
  return unique.length ? unique.join(': ') : error.message
}
