// The workflow run a submit step belongs to, from the runner's environment (@actions/github reads
// GITHUB_* and the event payload). Outside GitHub Actions nothing is known of a run.
import { context } from '@actions/github'
import type { RunContext } from './identity.js'

export function currentRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  if (env.GITHUB_ACTIONS !== 'true') return {}
  const pullRequest = context.payload.pull_request as { head?: { sha?: string } } | undefined
  return {
    repository: env.GITHUB_REPOSITORY,
    workflow: context.workflow,
    job: context.job,
    runId: context.runId ? String(context.runId) : undefined,
    runAttempt: context.runAttempt ? String(context.runAttempt) : undefined,
    // On pull_request events GITHUB_SHA is a merge commit nobody pushed: label the head commit.
    sha: pullRequest?.head?.sha ?? context.sha,
    ref: context.ref,
    serverUrl: context.serverUrl
  }
}
