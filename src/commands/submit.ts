// The submit command: lint as the lint command does (annotations, summary, outputs; a failing lint
// stops it), then submit and gate the one RayJob document the lint read, without reading the
// manifests a second time.
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { selectOne, SubmitInputError } from '../submit/prepare.js'
import { runSubmit } from '../submit/run.js'
import type { SubmitDeps } from '../submit/run.js'
import { VERSION } from '../version.js'
import { findingsPublisher, submitCommenter } from './github.js'
import type { GitHubDeps } from './github.js'
import { runLint } from './lint.js'

export async function submitCommand(settings: Settings, runner: Runner, deps: Partial<SubmitDeps> = {}, github: Partial<GitHubDeps> = {}): Promise<void> {
  // report: comment (or a pull request, by default): the result in one comment on the pull request, however the step ends.
  const comment = submitCommenter(settings, runner, github)
  const lint = await runLint(settings.lint, runner, VERSION, process.env.RUNNER_TEMP, true, findingsPublisher(settings, runner, github))
  if (lint.failed) {
    const why = `not submitting: the lint failed (fail-on: ${settings.lint.failOn}); fix the findings above first`
    await comment?.({ manifest: { file: settings.lint.manifests.join(', ') }, notSubmitted: why })
    throw new SubmitInputError(why)
  }
  const manifest = selectOne(lint.rayJobs ?? [], lint.files, settings.lint.manifests)
  let report
  try {
    report = await runSubmit(settings, runner, manifest, deps)
  } catch (error) {
    await comment?.({ manifest, notSubmitted: (error as Error).message })
    throw error
  }
  await comment?.({ manifest, report })
}
