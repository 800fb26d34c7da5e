// The GitHub reports as the commands use them (report: check-run, review, comment): built from the
// settings and the workflow run's context, and loaded (src/github/, and @actions/github with it)
// only when one is used, so a lint that reports with annotations never loads them. The command
// line never reaches this file (__tests__/runner/cli-imports.test.ts).
import { formatDuration } from '../gate/duration.js'
import type { Finding } from '../lint/findings.js'
import { ruleInfo } from '../lint/rules/registry.js'
import type { SubmitReport } from '../report/submit-summary.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import type { RunContext } from '../submit/identity.js'
import { currentGitHubContext } from '../submit/run-context.js'
import type { GitHubRunContext } from '../submit/run-context.js'
import type { Clock } from '../github/client.js'
import { VERSION } from '../version.js'
import type { FindingsPublisher, PublishedFindings } from './lint.js'

export interface GitHubDeps {
  /** The run (default: from the runner's environment). */
  context: GitHubRunContext
  /** For retries' waits (default: the system's). */
  clock: Clock
}

/** The publisher for report: check-run or review; undefined for any other report (nothing is loaded then). */
export function findingsPublisher(settings: Settings, runner: Runner, deps: Partial<GitHubDeps> = {}): FindingsPublisher | undefined {
  const { mode, filter, githubToken } = settings.report
  if ((mode !== 'check-run' && mode !== 'review') || !githubToken) return undefined
  return {
    publish: async (findings: readonly Finding[], fails: (judged: readonly Finding[]) => boolean, files: readonly string[]): Promise<PublishedFindings> => {
      const context = deps.context ?? currentGitHubContext()
      const { reportFindings } = await import('../github/lint-report.js')
      const octokit = await client(githubToken, context, runner, deps.clock)
      const report = await reportFindings(octokit, {
        mode,
        filter,
        findings,
        linted: files,
        target: {
          repository: context.run.repository,
          headSha: context.run.sha,
          event: context.event,
          pullRequest: context.pullRequest,
          checkName: context.step && !context.step.startsWith('__') ? context.step : 'RayJob lint',
          runUrl: runUrl(context.run)
        },
        fails,
        rules: ruleInfo,
        now: now(deps.clock)
      })
      report.notes.forEach((note) => runner.info(note))
      if (report.warning) runner.warning(report.warning)
      return report
    }
  }
}

/** What the submit step's comment says: the job summary's facts, or why there are none. */
export interface SubmitOutcome {
  /** The manifest the RayJob came from (file and line); the globs, when the lint stopped the step; the RayJob, for a wait given rayjob-name. */
  manifest: { file: string; line?: number }
  report?: SubmitReport
  notSubmitted?: string
}

/**
 * The sticky comment of a submit step, for report: comment, or by default (report left empty) on a
 * pull request, where a token that may not write it is only a note. undefined when there is none.
 */
export function submitCommenter(settings: Settings, runner: Runner, deps: Partial<GitHubDeps> = {}): ((outcome: SubmitOutcome) => Promise<void>) | undefined {
  const { mode, defaulted, githubToken } = settings.report
  const context = deps.context ?? currentGitHubContext()
  const asked = mode === 'comment'
  if (!githubToken || !(asked || (defaulted && context.pullRequest))) return undefined
  return async (outcome) => {
    try {
      const { postSubmitComment } = await import('../github/sticky-comment.js')
      const octokit = await client(githubToken, context, runner, deps.clock)
      const { run } = context
      const result = await postSubmitComment(octokit, {
        repository: run.repository,
        event: context.event,
        pullRequest: context.pullRequest,
        asked,
        now: now(deps.clock),
        facts: {
          key: [run.workflow, run.job, context.step, outcome.manifest.file].join('\u0000'),
          manifest: outcome.manifest.line ? `${outcome.manifest.file}:${outcome.manifest.line}` : outcome.manifest.file,
          report: outcome.report,
          notSubmitted: outcome.notSubmitted,
          runUrl: runUrl(run),
          runLabel: [run.workflow, run.job].filter(Boolean).join(' / ') + (run.runAttempt && run.runAttempt !== '1' ? `, attempt ${run.runAttempt}` : ''),
          formatDuration
        }
      })
      if (result.note) runner.info(result.note)
      if (result.warning) runner.warning(result.warning)
    } catch (error) {
      // The comment is an extra: whatever went wrong, the step's verdict stands.
      runner.warning(`Could not write the RayJob's comment on the pull request: ${(error as Error).message}; the result is in the job summary only.`)
    }
  }
}

async function client(token: string, context: GitHubRunContext, runner: Runner, clock: Clock | undefined) {
  const { createGitHubClient } = await import('../github/client.js')
  return createGitHubClient({ token, baseUrl: context.apiUrl, userAgent: `rayjob-action/${VERSION}`, clock, debug: (m) => runner.debug(m) })
}

const now = (clock: Clock | undefined) => (clock ? () => clock.now() : Date.now)

/** The workflow run's page (its log), at this attempt. */
export function runUrl(run: RunContext): string | undefined {
  if (!run.repository || !run.runId) return undefined
  const base = `${run.serverUrl ?? 'https://github.com'}/${run.repository}/actions/runs/${run.runId}`
  return run.runAttempt && run.runAttempt !== '1' ? `${base}/attempts/${run.runAttempt}` : base
}
