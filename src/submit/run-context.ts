// The workflow run a submit step belongs to, from the runner's environment: GITHUB_* variables and,
// for a pull request's head commit, the event payload (the JSON file GITHUB_EVENT_PATH names).
// Outside GitHub Actions nothing is known of a run.
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
    sha: pullRequestHead(env.GITHUB_EVENT_PATH) ?? (env.GITHUB_SHA || undefined),
    ref: env.GITHUB_REF || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com'
  }
}

/** A run ID or attempt as a decimal string, or undefined when it is missing or not a number. */
function positiveInteger(value: string | undefined): string | undefined {
  const n = Number.parseInt(value ?? '', 10)
  return n > 0 ? String(n) : undefined
}

/** pull_request.head.sha of the event payload, if the event is a pull request's. */
function pullRequestHead(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined
  let payload: unknown
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'))
  } catch {
    return undefined // no payload to read (the runner always writes one): GITHUB_SHA it is
  }
  const sha = (payload as { pull_request?: { head?: { sha?: unknown } } } | null)?.pull_request?.head?.sha
  return typeof sha === 'string' && sha !== '' ? sha : undefined
}
