// The submit command: lint as the lint command does (annotations, summary, outputs; a failing lint
// stops it), then submit and gate the one RayJob document the lint read, without reading the
// manifests a second time. With override inputs (image, runtime-env, entrypoint, ...) the RayJob
// as it will be created is linted too, and what the overrides bring is named by its input.
import { buildAnnotations } from '../report/annotations.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { countFindings } from '../lint/findings.js'
import type { Finding } from '../lint/findings.js'
import { lintText } from '../lint/lint.js'
import { ruleInfo } from '../lint/rules/registry.js'
import { applyOverrides, BACKSTOP_GRACE_SECONDS, inputForField, overrideInputs } from '../submit/overrides.js'
import { formatDuration } from '../gate/duration.js'
import { selectOne, SubmitInputError } from '../submit/prepare.js'
import type { FoundRayJob } from '../submit/prepare.js'
import { runSubmit } from '../submit/run.js'
import type { SubmitDeps } from '../submit/run.js'
import { VERSION } from '../version.js'
import { loadYaml } from '../yaml/index.js'
import { findingsPublisher, submitCommenter } from './github.js'
import type { GitHubDeps } from './github.js'
import { runLint, shouldFail } from './lint.js'
import type { LintOutcome } from './lint.js'

export async function submitCommand(settings: Settings, runner: Runner, deps: Partial<SubmitDeps> = {}, github: Partial<GitHubDeps> = {}): Promise<void> {
  // report: comment (or a pull request, by default): the result in one comment on the pull request, however the step ends.
  const comment = submitCommenter(settings, runner, github)
  const overrides = settings.submit.overrides
  const lint = await runLint(settings.lint, runner, {
    toolVersion: VERSION,
    keepRayJobs: true,
    publisher: findingsPublisher(settings, runner, github),
    // Submit takes one RayJob (more fail below), so a finding on a field an override replaces is moot.
    supersededBy: (finding) => inputForField(finding.field, overrides)
  })
  if (lint.failed) {
    const why = `not submitting: the lint failed (fail-on: ${settings.lint.failOn}); fix the findings above first`
    await comment?.({ manifest: { file: settings.lint.manifests.join(', ') }, notSubmitted: why })
    throw new SubmitInputError(why)
  }
  const found = selectOne(lint.rayJobs ?? [], lint.files, settings.lint.manifests, lint.others)
  let manifest: FoundRayJob = found
  let report
  try {
    manifest = await withOverrides(settings, runner, found, lint)
    report = await runSubmit(settings, runner, manifest, deps)
  } catch (error) {
    await comment?.({ manifest, notSubmitted: (error as Error).message })
    throw error
  }
  await comment?.({ manifest, report })
}

/**
 * The RayJob with the override inputs (and the backstop) applied, linted as it will be created: a
 * finding the manifest as written does not have is the overrides' doing, and is annotated naming
 * the input that set the field (or every override input, when the finding is about another field).
 * Such findings at or above fail-on stop the submit before anything is created.
 */
export async function withOverrides(settings: Settings, runner: Runner, found: FoundRayJob, lint: Pick<LintOutcome, 'findings'>): Promise<FoundRayJob> {
  const overrides = settings.submit.overrides
  const backstopSeconds = backstopFor(settings)
  const { value, warnings, backstop } = applyOverrides(found.value, overrides, backstopSeconds)
  sayBackstop(runner, settings, found, backstop)
  const inputs = [...overrideInputs(overrides), ...(backstop !== undefined ? ['backstop'] : [])]
  if (inputs.length === 0) return found
  warnings.forEach((w) => runner.warning(w))
  if (inputs.some((i) => i !== 'backstop')) runner.info(`Overrides for this run: ${inputs.filter((i) => i !== 'backstop').join(', ')}`)
  await loadYaml()
  const judged = lintText(found.file, JSON.stringify(value), { kuberayVersion: settings.lint.kuberayVersion, featureGates: settings.lint.featureGates })
  const before = new Set(lint.findings.filter((f) => f.file === found.file).map((f) => `${f.ruleId} ${f.field ?? ''}`))
  const caused: Finding[] = judged.findings
    .filter((f) => !before.has(`${f.ruleId} ${f.field ?? ''}`))
    .map((f) => {
      const input = f.field === 'spec.activeDeadlineSeconds' && backstop !== undefined ? 'backstop' : inputForField(f.field, overrides)
      const by = input ? `the ${input} input` : `the override inputs (${inputs.join(', ')})`
      return { ...f, message: `${by}: ${f.message}`, line: found.line, column: 1, field: input ? undefined : f.field }
    })
  for (const annotation of buildAnnotations(caused, ruleInfo)) runner.annotate(annotation)
  if (shouldFail(countFindings(caused, 1), settings.lint.failOn)) {
    throw new SubmitInputError(
      `not submitting: with the override inputs, the RayJob as it would be created fails the lint (fail-on: ${settings.lint.failOn}): ${caused
        .filter((f) => f.severity === 'error' || (settings.lint.failOn === 'warning' && f.severity === 'warning'))
        .map((f) => `${f.ruleId}: ${f.message}`)
        .join('; ')}`
    )
  }
  return { ...found, value }
}

/** spec.activeDeadlineSeconds for the backstop: submit that waits, with backstop on; else undefined. */
function backstopFor(settings: Settings): number | undefined {
  const { wait, backstop, timeoutSeconds } = settings.submit
  return settings.command === 'submit' && wait && backstop ? timeoutSeconds + BACKSTOP_GRACE_SECONDS : undefined
}

function sayBackstop(runner: Runner, settings: Settings, found: FoundRayJob, backstop: number | undefined): void {
  if (backstop !== undefined) {
    runner.info(
      `Backstop: spec.activeDeadlineSeconds is set to ${backstop} (timeout ${formatDuration(settings.submit.timeoutSeconds)} + ${formatDuration(BACKSTOP_GRACE_SECONDS)}), so KubeRay fails the job itself should this runner die mid-wait (backstop: false turns this off)`
    )
    return
  }
  const own = ((found.value.spec ?? {}) as Record<string, unknown>).activeDeadlineSeconds
  if (backstopFor(settings) !== undefined && own !== undefined) runner.info(`Backstop: the manifest sets spec.activeDeadlineSeconds (${String(own)}), which is kept`)
}
