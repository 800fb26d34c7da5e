// The wait command: gate on a RayJob this step did not create. It is named by rayjob-name, or found
// the way submit finds and names it (the one RayJob `manifests` selects, with name and name-suffix),
// so that a submit step with wait: false and a later wait step given the same inputs wait on the
// same RayJob. The manifests are only read, not judged: a lint finding does not stop a wait.
import { randomBytes } from 'node:crypto'
import { isObj } from '../manifest/model.js'
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'
import { prepareRayJob, selectOne } from '../submit/prepare.js'
import { currentRunContext } from '../submit/run-context.js'
import { runWait } from '../submit/run.js'
import type { WaitTarget } from '../submit/run.js'
import { submitCommenter } from './github.js'
import type { GitHubDeps } from './github.js'
import { lintWorkspace } from './lint.js'

export async function waitCommand(settings: Settings, runner: Runner, github: Partial<GitHubDeps> = {}): Promise<void> {
  const target = await waitTarget(settings)
  const report = await runWait(settings, runner, target)
  // The same pull request comment as submit's, once the gate has an outcome (report: comment, or a pull request by default).
  await submitCommenter(settings, runner, github)?.({ manifest: { file: target.from === 'rayjob-name' ? `RayJob ${report.namespace}/${report.name}` : target.from }, report })
}

async function waitTarget(settings: Settings): Promise<WaitTarget> {
  const { rayjobName } = settings.wait
  if (rayjobName) return { name: rayjobName, namespace: settings.submit.namespace, from: 'rayjob-name' }
  const read = await lintWorkspace(settings.lint, true)
  if (read.inputErrors.length) throw new Error(read.inputErrors.join('\n'))
  const manifest = selectOne(read.rayJobs ?? [], read.files, settings.lint.manifests, read.others)
  // The name exactly as submit derives it (name, name-suffix and the run's id and attempt).
  const { name } = prepareRayJob(manifest.value, {
    namespace: settings.submit.namespace,
    name: settings.submit.name,
    nameSuffix: settings.submit.nameSuffix,
    run: currentRunContext(),
    random: () => randomBytes(32),
    stepToken: ''
  })
  const metadata = isObj(manifest.value.metadata) ? manifest.value.metadata : {}
  const namespace = settings.submit.namespace ?? (typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : undefined)
  return { name, namespace, from: `${manifest.file}:${manifest.line}` }
}
