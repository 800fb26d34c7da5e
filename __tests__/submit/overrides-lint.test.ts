// The lint judges the RayJob as it will be created: what the override inputs bring is linted too,
// and named by its input (src/commands/submit.ts withOverrides).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { runLint } from '../../src/commands/lint.js'
import { withOverrides } from '../../src/commands/submit.js'
import { lintText } from '../../src/lint/lint.js'
import type { Obj } from '../../src/manifest/model.js'
import { readSettings } from '../../src/settings.js'
import { inputForField } from '../../src/submit/overrides.js'
import { SubmitInputError } from '../../src/submit/prepare.js'
import { RecordingRunner } from '../runner/recording.js'

const MANIFEST = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train
spec:
  entrypoint: python train.py
  submissionMode: HTTPMode
  rayClusterSpec:
    rayVersion: "2.58.0"
    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers: [{name: ray-head, image: rayproject/ray:2.58.0}]
`

const settingsWith = (inputs: Record<string, string>) => readSettings((name) => ({ command: 'submit', ...inputs })[name] ?? '', { GITHUB_WORKSPACE: '/ws' })
const found = { file: 'jobs/train.yaml', line: 1, value: parse(MANIFEST) as Obj }
const lintOfManifest = () => lintText('jobs/train.yaml', MANIFEST, { kuberayVersion: '1.7.0', featureGates: settingsWith({}).lint.featureGates })

describe('withOverrides', () => {
  it('returns the RayJob as written when no override input is given and the backstop is off', async () => {
    const runner = new RecordingRunner()
    expect(await withOverrides(settingsWith({ backstop: 'false' }), runner, found, lintOfManifest())).toBe(found)
    expect(await withOverrides(settingsWith({ wait: 'false' }), runner, found, lintOfManifest())).toBe(found)
    expect(runner.annotations).toEqual([])
    expect(runner.infos).toEqual([])
  })

  it('sets the backstop (activeDeadlineSeconds = timeout + 1 minute) when the manifest has none, and says so', async () => {
    const runner = new RecordingRunner()
    const result = await withOverrides(settingsWith({ timeout: '20m' }), runner, found, lintOfManifest())
    expect(result.value.spec).toMatchObject({ activeDeadlineSeconds: 1260 })
    expect(found.value.spec).not.toHaveProperty('activeDeadlineSeconds')
    expect(runner.infos).toEqual([expect.stringMatching(/^Backstop: spec\.activeDeadlineSeconds is set to 1260 \(timeout 20m \+ 1m\), so KubeRay fails the job itself/)])
    expect(runner.annotations).toEqual([])
  })

  it("keeps the manifest's own activeDeadlineSeconds, and says so", async () => {
    const own = { ...found, value: parse(MANIFEST.replace('  submissionMode: HTTPMode\n', '  submissionMode: HTTPMode\n  activeDeadlineSeconds: 60\n')) as Obj }
    const runner = new RecordingRunner()
    expect(await withOverrides(settingsWith({}), runner, own, lintOfManifest())).toBe(own)
    expect(runner.infos).toEqual(['Backstop: the manifest sets spec.activeDeadlineSeconds (60), which is kept'])
  })

  it('returns the RayJob with the overrides applied, as it will be created', async () => {
    const runner = new RecordingRunner()
    const result = await withOverrides(settingsWith({ entrypoint: 'python other.py', 'runtime-env': 'pip: [requests]' }), runner, found, lintOfManifest())
    expect(result.value.spec).toMatchObject({ entrypoint: 'python other.py', runtimeEnvYAML: 'pip: [requests]' })
    expect(runner.infos).toContain('Overrides for this run: runtime-env, entrypoint')
    expect(result.value.spec).toHaveProperty('activeDeadlineSeconds', 30 * 60 + 60)
    expect(runner.annotations).toEqual([])
  })

  it('fails on a bad runtime-env with a finding that names the input, not a manifest line', async () => {
    const runner = new RecordingRunner()
    const failure = withOverrides(settingsWith({ 'runtime-env': 'env_vars: [unclosed' }), runner, found, lintOfManifest())
    await expect(failure).rejects.toThrow(SubmitInputError)
    await expect(failure).rejects.toThrow(/^not submitting: with the override inputs, the RayJob as it would be created fails the lint \(fail-on: error\): runtime-env-yaml-invalid: the runtime-env input: /)
    expect(runner.annotations).toHaveLength(1)
    expect(runner.annotations[0]).toMatchObject({ level: 'error', file: 'jobs/train.yaml', startLine: 1 })
    expect(runner.annotations[0].message).toMatch(/^RayJob train: the runtime-env input: /)
  })

  it('refuses a runtime-env that is YAML but not a mapping, naming the input', async () => {
    const runner = new RecordingRunner()
    await expect(withOverrides(settingsWith({ 'runtime-env': '- pip' }), runner, found, lintOfManifest())).rejects.toThrow(/the runtime-env input: /)
  })

  it('lets a finding the manifest has already pass without a second annotation', async () => {
    const broken = MANIFEST.replace('  submissionMode: HTTPMode\n', '  submissionMode: HTTPMode\n  runtimeEnvYAML: "- x"\n')
    const runner = new RecordingRunner()
    const lint = lintText('jobs/train.yaml', broken, { kuberayVersion: '1.7.0', featureGates: settingsWith({}).lint.featureGates })
    expect(lint.findings.map((f) => f.ruleId)).toContain('runtime-env-yaml-invalid')
    const settings = { ...settingsWith({ entrypoint: 'python x.py' }), lint: { ...settingsWith({}).lint, failOn: 'never' as const } }
    await withOverrides(settings, runner, { ...found, value: parse(broken) as Obj }, lint)
    expect(runner.annotations).toEqual([])
  })

  it('warns when the image tag disagrees with rayVersion', async () => {
    const runner = new RecordingRunner()
    await withOverrides(settingsWith({ image: 'rayproject/ray:2.9.0' }), runner, found, lintOfManifest())
    expect(runner.warnings).toEqual(['image: the tag of rayproject/ray:2.9.0 says Ray 2.9.0, but spec.rayClusterSpec.rayVersion is 2.58.0: KubeRay configures the cluster for 2.58.0; make them agree'])
  })
})

describe('a manifest finding on a field an override replaces', () => {
  const broken = MANIFEST.replace('  submissionMode: HTTPMode\n', '  submissionMode: HTTPMode\n  runtimeEnvYAML: "- x"\n')
  const workspace = mkdtempSync(join(tmpdir(), 'overrides-lint-'))
  mkdirSync(join(workspace, 'jobs'))
  writeFileSync(join(workspace, 'jobs/train.yaml'), broken)
  const settingsFor = (inputs: Record<string, string>) => {
    const settings = settingsWith({ manifests: 'jobs/train.yaml', ...inputs })
    return { ...settings, lint: { ...settings.lint, workspace } }
  }
  const lintAsSubmitDoes = (settings: ReturnType<typeof settingsFor>, runner: RecordingRunner) =>
    runLint(settings.lint, runner, { toolVersion: '0.0.0', keepRayJobs: true, supersededBy: (f) => inputForField(f.field, settings.submit.overrides) })

  it('fails the lint as written when no input replaces the field', async () => {
    const runner = new RecordingRunner()
    const outcome = await lintAsSubmitDoes(settingsFor({}), runner)
    expect(outcome.failed).toBe(true)
    expect(runner.annotations.map((a) => a.title)).toEqual([expect.stringMatching(/^runtime-env-yaml-invalid/)])
  })

  it('is said in the log, not judged, when runtime-env replaces it; the RayJob as created passes', async () => {
    const settings = settingsFor({ 'runtime-env': 'pip: [requests]' })
    const runner = new RecordingRunner()
    const outcome = await lintAsSubmitDoes(settings, runner)
    expect(outcome.failed).toBe(false)
    expect(outcome.counts.errors).toBe(0)
    expect(runner.annotations).toEqual([])
    expect(runner.infos).toContainEqual(expect.stringMatching(/^jobs\/train\.yaml:\d+:\d+: runtime-env-yaml-invalid on spec\.runtimeEnvYAML is not judged: the runtime-env input replaces that field for this run/))
    const result = await withOverrides(settings, runner, { ...found, value: parse(broken) as Obj }, outcome)
    expect(result.value.spec).toMatchObject({ runtimeEnvYAML: 'pip: [requests]' })
  })

  it('still fails when the input that replaces it is as bad, naming the input', async () => {
    const settings = settingsFor({ 'runtime-env': '- y' })
    const runner = new RecordingRunner()
    const outcome = await lintAsSubmitDoes(settings, runner)
    expect(outcome.failed).toBe(false)
    await expect(withOverrides(settings, runner, { ...found, value: parse(broken) as Obj }, outcome)).rejects.toThrow(/runtime-env-yaml-invalid: the runtime-env input: /)
  })
})
