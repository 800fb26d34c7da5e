// The lint as an action step, through a Runner that records what the step would show: outputs,
// annotations, job summary, SARIF file, and whether the step fails under fail-on.
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { Finding } from '../../src/lint/findings.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'
import { RecordingRunner } from '../runner/recording.js'
import type { FailOn, LintSettings } from '../../src/settings.js'


/** More findings than one call's arguments can hold. */
const SYNTHETIC_FINDINGS = 200_000
// The linter itself, except that a file named synthetic-<count>-<severity>.yaml gets a made-up result
// of that many findings, so that what the lint command does with a huge result is tested without linting that much YAML.
const lint = await import('../../src/lint/lint.js')
jest.unstable_mockModule('../../src/lint/lint.js', () => ({
  ...lint,
  lintFile: async (file: string, bytes: Uint8Array, options: Parameters<typeof lint.lintFile>[2]) => {
    const synthetic = /synthetic-(\d+)-(error|warning|note)\.yaml$/.exec(file)
    if (!synthetic) return lint.lintFile(file, bytes, options)
    const severity = synthetic[2] as Finding['severity']
    return {
      rayJobs: 1,
      kinds: { RayJob: 1, RayCluster: 0, RayService: 0, RayCronJob: 0 },
      findings: Array.from(
        { length: Number(synthetic[1]) },
        (_, i): Finding => ({ ruleId: 'schema-unknown-field', severity, message: `unknown field "spec.x${i}"`, hint: 'Remove it.', file, line: i + 7, column: 3 })
      )
    }
  }
}))
const { runLint } = await import('../../src/commands/lint.js')

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

async function run(s: LintSettings, runnerTemp?: string) {
  const runner = new RecordingRunner()
  const outcome = await runLint(s, runner, { toolVersion: '0.1.0', runnerTemp })
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

describe('SARIF file: never outside the workspace or RUNNER_TEMP, never through a link (issue 9, defect 6)', () => {
  let outside: string
  const victim = () => join(outside, 'victim.txt')
  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), 'rayjob-outside-'))
  })
  afterAll(async () => {
    await rm(outside, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await writeFile(victim(), 'precious\n')
  })

  /** The step failed for sarif-file alone, wrote no SARIF log, and left the file outside alone. */
  async function refused(runner: RecordingRunner, outcome: { failed: boolean }, message: string | RegExp) {
    expect(await readFile(victim(), 'utf8')).toBe('precious\n')
    expect(runner.outputs['sarif-file']).toBe('')
    expect(outcome.failed).toBe(true)
    expect(runner.failures).toHaveLength(1)
    expect(runner.failures[0]).toMatch(message)
    // Everything else was still reported.
    expect(runner.summaries).toHaveLength(1)
    expect(runner.outputs.manifests).toBe(1)
  }

  test('sarif-file that is a link to a file outside: refused, the file untouched', async () => {
    await mkdir(join(workspace, 'linked'))
    await symlink(victim(), join(workspace, 'linked', 'results.sarif'))
    const { runner, outcome } = await run(settings(['clean/job.yaml'], 'error', 'linked/results.sarif'))
    await refused(runner, outcome, /^sarif-file: "linked\/results\.sarif" is a symbolic link .*never written through a link: remove the link or choose another path$/)
  })

  test('a link on the way (a directory linked outside): refused, nothing written outside', async () => {
    await symlink(outside, join(workspace, 'reports-link'))
    const { runner, outcome } = await run(settings(['clean/job.yaml'], 'error', 'reports-link/victim.txt'))
    await refused(runner, outcome, /^sarif-file: "reports-link\/victim\.txt" goes through the symbolic link "reports-link"/)
    const { runner: again } = await run(settings(['clean/job.yaml'], 'error', 'reports-link/new/rayjob.sarif'))
    expect(again.failures[0]).toMatch(/goes through the symbolic link "reports-link"/)
    expect(await readdir(outside)).toEqual(['victim.txt'])
  })

  test('a ".." segment or an absolute path outside: refused, saying what to give instead', async () => {
    const escape = relative(workspace, victim())
    for (const input of ['../escape.sarif', 'reports/../../escape.sarif', escape]) {
      const { runner, outcome } = await run(settings(['clean/job.yaml'], 'error', input))
      await refused(runner, outcome, `sarif-file: "${input}" has a ".." segment; the SARIF log is written only inside the workspace (${workspace}): give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP`)
    }
    const { runner, outcome } = await run(settings(['clean/job.yaml'], 'error', victim()), join(outside, 'temp'))
    await refused(runner, outcome, `sarif-file: "${victim()}" is outside the workspace (${workspace}) or RUNNER_TEMP (${join(outside, 'temp')}): give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP`)
  })

  test('absolute paths inside the workspace or RUNNER_TEMP are written', async () => {
    const temp = join(outside, 'runner-temp')
    await mkdir(temp)
    const inTemp = join(temp, 'out', 'rayjob.sarif')
    const { runner } = await run(settings(['clean/job.yaml'], 'error', inTemp), temp)
    expect(runner.failures).toEqual([])
    expect(runner.outputs['sarif-file']).toBe(inTemp)
    expect(JSON.parse(await readFile(inTemp, 'utf8')).version).toBe('2.1.0')
    const inWorkspace = join(workspace, 'abs.sarif')
    expect((await run(settings(['clean/job.yaml'], 'error', inWorkspace))).runner.outputs['sarif-file']).toBe(inWorkspace)
    await rm(temp, { recursive: true })
  })

  test('an existing log is replaced, and no temporary file is left beside it', async () => {
    await mkdir(join(workspace, 'again'))
    await writeFile(join(workspace, 'again', 'rayjob.sarif'), 'old')
    await run(settings(['errors/*.yaml'], 'never', 'again/rayjob.sarif'))
    expect(JSON.parse(await readFile(join(workspace, 'again', 'rayjob.sarif'), 'utf8')).runs[0].results).toHaveLength(2)
    expect(await readdir(join(workspace, 'again'))).toEqual(['rayjob.sarif'])
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
    expect(runner.warnings).toEqual(['the glob "missing/*.yaml" matched no file', 'No KubeRay manifest (RayJob, RayCluster, RayService or RayCronJob) found in 0 file(s) matching missing/*.yaml'])
  })
})

describe('many findings', () => {
  beforeAll(async () => {
    await mkdir(join(workspace, 'many'))
    await writeFile(join(workspace, 'many', `synthetic-${SYNTHETIC_FINDINGS}-error.yaml`), '# its lint result is made up\n')
  })

  test('past 125,000 findings in one lint result the step still reports: outputs, summary, verdict (issue 9, defect 5)', async () => {
    const { runner, outcome } = await run(settings(['many/*.yaml']))
    expect(outcome.findings).toHaveLength(SYNTHETIC_FINDINGS)
    expect(runner.outputs).toEqual({ manifests: 1, findings: SYNTHETIC_FINDINGS, errors: SYNTHETIC_FINDINGS, warnings: 0, 'sarif-file': '' })
    expect(runner.summaries).toHaveLength(1)
    expect(runner.failures).toEqual([`RayJob lint found ${SYNTHETIC_FINDINGS} error(s) (fail-on: error); see the annotations and the job summary`])
  }, 60_000)

  test('only the first 10 annotations of each kind are printed (all GitHub shows), then one line for the rest (issue 9, defect 11)', async () => {
    await mkdir(join(workspace, 'capped'))
    for (const name of ['synthetic-25-error.yaml', 'synthetic-3-warning.yaml', 'synthetic-12-note.yaml']) await writeFile(join(workspace, 'capped', name), '# made up\n')
    const { runner } = await run(settings(['capped/*.yaml'], 'error', 'capped.sarif'))
    const levels = runner.annotations.map((a) => a.level)
    expect(levels.filter((l) => l === 'error')).toHaveLength(10)
    expect(levels.filter((l) => l === 'warning')).toHaveLength(3)
    expect(levels.filter((l) => l === 'note')).toHaveLength(10)
    // The first ones, in the reports' order.
    expect(runner.annotations.filter((a) => a.level === 'error').map((a) => a.startLine)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
    expect(runner.infos).toContain(
      '17 more finding(s) are not annotated (GitHub shows 10 annotations of each kind per step): see the job summary and the SARIF log (capped.sarif).'
    )
    // Everything else has them all.
    expect(runner.outputs.findings).toBe(40)
    expect(JSON.parse(await readFile(join(workspace, 'capped.sarif'), 'utf8')).runs[0].results).toHaveLength(40)
  })

  test(`${SYNTHETIC_FINDINGS} findings: 10 annotations, not ${SYNTHETIC_FINDINGS}`, async () => {
    const { runner } = await run(settings(['many/*.yaml']))
    expect(runner.annotations).toHaveLength(10)
    expect(runner.infos).toContain(`${SYNTHETIC_FINDINGS - 10} more finding(s) are not annotated (GitHub shows 10 annotations of each kind per step): see the job summary, or set sarif-file for a SARIF log of every finding.`)
  })
})
