// The lint as an action step, through a Runner that records what the step would show: outputs,
// annotations, job summary, SARIF file, and whether the step fails under fail-on.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runLint } from '../../src/lint/run.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'
import type { Annotation } from '../../src/report/annotations.js'
import type { Runner } from '../../src/runner/types.js'
import type { FailOn, LintSettings } from '../../src/settings.js'

/** A Runner that keeps everything the step would show. */
class RecordingRunner implements Runner {
  infos: string[] = []
  warnings: string[] = []
  annotations: Annotation[] = []
  outputs: Record<string, string | number> = {}
  failures: string[] = []
  summaries: string[] = []
  info(message: string): void {
    this.infos.push(message)
  }
  warning(message: string): void {
    this.warnings.push(message)
  }
  debug(): void {}
  annotate(annotation: Annotation): void {
    this.annotations.push(annotation)
  }
  setOutput(name: string, value: string | number): void {
    this.outputs[name] = value
  }
  fail(message: string): void {
    this.failures.push(message)
  }
  mask(): void {}
  startGroup(): void {}
  endGroup(): void {}
  untrusted(lines: string[]): void {
    this.infos.push(...lines)
  }
  async summary(markdown: string): Promise<void> {
    this.summaries.push(markdown)
  }
  saveState(): void {}
  getState(): string {
    return ''
  }
}

const JOB = (name: string, extra: string) => `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: ${name}
spec:
  entrypoint: python x.py
  clusterSelector:
    ray.io/cluster: shared
${extra}`

let workspace: string

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'rayjob-run-'))
  await mkdir(join(workspace, 'errors'))
  await mkdir(join(workspace, 'warnings'))
  await mkdir(join(workspace, 'clean'))
  await writeFile(join(workspace, 'errors', 'job.yaml'), JOB('broken', '  backoffLimit: 2\n  activeDeadlineSeconds: 0\n'))
  await writeFile(join(workspace, 'warnings', 'job.yaml'), JOB('old', '').replace('ray.io/v1', 'ray.io/v1alpha1'))
  await writeFile(join(workspace, 'clean', 'job.yaml'), JOB('fine', ''))
  await writeFile(join(workspace, 'clean', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n')
})

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true })
})

const settings = (manifests: string[], failOn: FailOn = 'error', sarifFile?: string): LintSettings => ({
  workspace,
  manifests,
  manifestsDefaulted: false,
  kuberayVersion: '1.7.0',
  featureGates: defaultFeatureGates('1.7.0'),
  failOn,
  sarifFile
})

async function run(s: LintSettings) {
  const runner = new RecordingRunner()
  const outcome = await runLint(s, runner, '0.1.0')
  return { runner, outcome }
}

describe('outputs, annotations, summary', () => {
  test('errors: the counts as outputs, an annotation per finding, a summary, and a failed step', async () => {
    const { runner, outcome } = await run(settings(['errors/*.yaml']))
    expect(runner.outputs).toEqual({ manifests: 1, findings: 2, errors: 2, warnings: 0, 'sarif-file': '' })
    expect(runner.annotations.map((a) => [a.file, a.startLine, a.startColumn, a.level, a.title])).toEqual([
      ['errors/job.yaml', 9, 17, 'error', 'selector-with-backoff-limit: backoffLimit with clusterSelector (KubeRay reports this)'],
      ['errors/job.yaml', 10, 26, 'error', 'active-deadline-not-positive: activeDeadlineSeconds is not positive']
    ])
    expect(runner.summaries).toHaveLength(1)
    expect(runner.summaries[0]).toContain('### `errors/job.yaml`')
    expect(runner.failures).toEqual(['RayJob lint found 2 error(s) (fail-on: error); see the annotations and the job summary'])
    expect(outcome.failed).toBe(true)
  })

  test('a clean workspace: zero counts, no annotation, the step passes; other documents are not counted', async () => {
    const { runner, outcome } = await run(settings(['clean']))
    expect(runner.outputs).toEqual({ manifests: 1, findings: 0, errors: 0, warnings: 0, 'sarif-file': '' })
    expect(runner.annotations).toEqual([])
    expect(runner.failures).toEqual([])
    expect(outcome.failed).toBe(false)
    expect(runner.infos).toContain('1 RayJob manifest(s) checked: 0 error(s), 0 warning(s), 0 note(s)')
  })
})

describe('fail-on', () => {
  test.each([
    ['error', 'warnings/*.yaml', false],
    ['warning', 'warnings/*.yaml', true],
    ['never', 'errors/*.yaml', false],
    ['warning', 'errors/*.yaml', true]
  ] as const)('fail-on %s with %s: failed %s', async (failOn, glob, failed) => {
    const { runner, outcome } = await run(settings([glob], failOn))
    expect(outcome.failed).toBe(failed)
    expect(runner.failures.length > 0).toBe(failed)
  })

  test('fail-on warning names both counts', async () => {
    const { runner } = await run(settings(['warnings/*.yaml'], 'warning'))
    expect(runner.failures).toEqual(['RayJob lint found 0 error(s) and 1 warning(s) (fail-on: warning); see the annotations and the job summary'])
  })
})

describe('SARIF file', () => {
  test('written where sarif-file says (relative to the workspace), its path an output', async () => {
    const { runner } = await run(settings(['errors/*.yaml', 'warnings/*.yaml'], 'never', 'reports/rayjob.sarif'))
    const path = join(workspace, 'reports', 'rayjob.sarif')
    expect(runner.outputs['sarif-file']).toBe(path)
    const sarif = JSON.parse(await readFile(path, 'utf8'))
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['selector-with-backoff-limit', 'active-deadline-not-positive', 'api-version-deprecated'])
  })

  test('a clean run still writes a log, with no results', async () => {
    await run(settings(['clean'], 'error', 'clean.sarif'))
    const sarif = JSON.parse(await readFile(join(workspace, 'clean.sarif'), 'utf8'))
    expect(sarif.runs[0].results).toEqual([])
  })
})

describe('inputs that cannot be linted', () => {
  test('a glob outside the workspace fails the step with that reason', async () => {
    const { runner, outcome } = await run(settings(['../*.yaml']))
    expect(outcome.failed).toBe(true)
    expect(runner.failures).toEqual([`"../*.yaml" reaches outside the workspace (${workspace}); manifests must be inside it`])
  })

  test('globs that find no RayJob: a warning for the glob and one for the whole run', async () => {
    const { runner, outcome } = await run(settings(['missing/*.yaml']))
    expect(outcome.failed).toBe(false)
    expect(runner.warnings).toEqual(['the glob "missing/*.yaml" matched no file', 'No RayJob manifest found in 0 file(s) matching missing/*.yaml'])
  })
})
