// The lint judges the RayJob as it will be created: what the override inputs bring is linted too,
// and named by its input (src/commands/submit.ts withOverrides).
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { withOverrides } from '../../src/commands/submit.js'
import { lintText } from '../../src/lint/lint.js'
import type { Obj } from '../../src/manifest/model.js'
import { readSettings } from '../../src/settings.js'
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
  it('returns the RayJob as written when no override input is given', async () => {
    const runner = new RecordingRunner()
    expect(await withOverrides(settingsWith({}), runner, found, lintOfManifest())).toBe(found)
    expect(runner.annotations).toEqual([])
  })

  it('returns the RayJob with the overrides applied, as it will be created', async () => {
    const runner = new RecordingRunner()
    const result = await withOverrides(settingsWith({ entrypoint: 'python other.py', 'runtime-env': 'pip: [requests]' }), runner, found, lintOfManifest())
    expect(result.value.spec).toMatchObject({ entrypoint: 'python other.py', runtimeEnvYAML: 'pip: [requests]' })
    expect(runner.infos).toContain('Overrides for this run: runtime-env, entrypoint')
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
