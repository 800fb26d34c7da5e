// The submit command: lint as the lint command does (annotations, summary, outputs; a failing lint
// stops it), then submit and gate the one RayJob document the lint read, without reading the
// manifests a second time.
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { selectOne, SubmitInputError } from '../submit/prepare.js'
import { runSubmit } from '../submit/run.js'
import type { SubmitDeps } from '../submit/run.js'
import { VERSION } from '../version.js'
import { runLint } from './lint.js'

export async function submitCommand(settings: Settings, runner: Runner, deps: Partial<SubmitDeps> = {}): Promise<void> {
  const lint = await runLint(settings.lint, runner, VERSION, process.env.RUNNER_TEMP, true)
  if (lint.failed) throw new SubmitInputError(`not submitting: the lint failed (fail-on: ${settings.lint.failOn}); fix the findings above first`)
  await runSubmit(settings, runner, selectOne(lint.rayJobs ?? [], lint.files, settings.lint.manifests), deps)
}
