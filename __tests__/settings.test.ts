import { describe, expect, it } from '@jest/globals'
import { credentialInputs, readSettings, SettingsError } from '../src/settings.js'

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? ''
const env = { GITHUB_WORKSPACE: '/work/repo' }

describe('settings', () => {
  it('defaults to linting every YAML file against KubeRay 1.7.0', () => {
    const s = readSettings(inputs({}), env)
    expect(s.command).toBe('lint')
    expect(s.lint).toMatchObject({ workspace: '/work/repo', manifests: ['**/*.yaml', '**/*.yml'], manifestsDefaulted: true, kuberayVersion: '1.7.0', failOn: 'error' })
    expect(s.lint.featureGates.RayJobDeletionPolicy).toBe(true)
    expect(s.submit).toMatchObject({ wait: true, timeoutSeconds: 1800, logs: true, onTimeout: 'stop', onCancel: 'stop', nameSuffix: 'none' })
  })

  it('reads every submit input', () => {
    const s = readSettings(
      inputs({
        command: 'submit',
        manifests: 'jobs/train.yaml',
        'kuberay-version': '1.6',
        'feature-gates': 'RayJobDeletionPolicy=false',
        timeout: '15m',
        wait: 'false',
        logs: 'FALSE',
        'on-timeout': 'delete',
        'on-cancel': 'keep',
        'name-suffix': 'run',
        namespace: 'ml',
        name: 'train',
        'dashboard-url': 'http://ray.example:8265/',
        context: 'prod'
      }),
      env
    )
    expect(s.command).toBe('submit')
    expect(s.lint.kuberayVersion).toBe('1.6.2')
    expect(s.lint.featureGates.RayJobDeletionPolicy).toBe(false)
    expect(s.submit).toMatchObject({ timeoutSeconds: 900, wait: false, logs: false, onTimeout: 'delete', onCancel: 'keep', nameSuffix: 'run', namespace: 'ml', name: 'train', dashboardUrl: 'http://ray.example:8265', context: 'prod' })
  })

  it('names every bad input at once, with what is allowed', () => {
    let error: unknown
    try {
      readSettings(inputs({ command: 'deploy', 'kuberay-version': '0.6.0', 'fail-on': 'errors', timeout: 'soon', wait: 'yes', 'on-timeout': 'kill', 'dashboard-url': 'ray:8265', namespace: 'ML_team', 'feature-gates': 'NoSuchGate=true' }), env)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SettingsError)
    const message = (error as Error).message
    expect(message).toContain('command: "deploy" is not one of lint, submit, wait')
    expect(message).toContain('kuberay-version: "0.6.0" is not a KubeRay release from 1.1.0 to 1.7.0')
    expect(message).toContain('fail-on: "errors" is not one of error, warning, never')
    expect(message).toContain('timeout: "soon" is not a duration')
    expect(message).toContain('wait: "yes" is not true or false')
    expect(message).toContain('on-timeout: "kill" is not one of stop, delete, keep')
    expect(message).toContain('dashboard-url: "ray:8265" is not an http:// or https:// URL')
    expect(message).toContain('namespace: "ML_team" is not a valid Kubernetes namespace name')
    expect(message).toContain('feature-gates: KubeRay 1.7.0 has no feature gate "NoSuchGate"')
  })
})

describe('command: wait', () => {
  it('keeps the job it did not create by default, on timeout and on cancel; submit still stops its own', () => {
    const wait = readSettings(inputs({ command: 'wait', 'rayjob-name': 'train-nightly', namespace: 'ml', 'submission-id': 'raysubmit_abc' }), env)
    expect(wait.command).toBe('wait')
    expect(wait.submit).toMatchObject({ onTimeout: 'keep', onCancel: 'keep', namespace: 'ml' })
    expect(wait.wait).toEqual({ rayjobName: 'train-nightly', submissionId: 'raysubmit_abc' })
    expect(readSettings(inputs({ command: 'wait', 'rayjob-name': 'train', 'on-cancel': 'stop' }), env).submit).toMatchObject({ onTimeout: 'keep', onCancel: 'stop' })
    expect(readSettings(inputs({ command: 'submit', manifests: 'job.yaml' }), env).submit).toMatchObject({ onTimeout: 'stop', onCancel: 'stop' })
  })

  it('finds the RayJob from the manifests as submit names it, when rayjob-name is not given', () => {
    const s = readSettings(inputs({ command: 'wait', manifests: 'jobs/train.yaml', 'name-suffix': 'run' }), env)
    expect(s.wait.rayjobName).toBeUndefined()
    expect(s.lint.manifests).toEqual(['jobs/train.yaml'])
    expect(s.submit.nameSuffix).toBe('run')
  })

  it("writes its result as submit does (report: comment), but has no findings for a check run or a review", () => {
    expect(readSettings(inputs({ command: 'wait', 'rayjob-name': 'train', report: 'comment', 'github-token': 't' }), env).report.mode).toBe('comment')
    expect(() => readSettings(inputs({ command: 'wait', 'rayjob-name': 'train', report: 'review', 'github-token': 't' }), env)).toThrow('report: review carries the lint\'s findings, and wait lints nothing')
  })

  it('refuses to guess which RayJob to wait on, and a name Kubernetes would refuse', () => {
    expect(() => readSettings(inputs({ command: 'wait' }), env)).toThrow('wait needs the RayJob to wait on: give rayjob-name (and namespace), or the manifests')
    expect(() => readSettings(inputs({ command: 'wait', 'rayjob-name': 'Train_Job' }), env)).toThrow('rayjob-name: "Train_Job" is not a valid Kubernetes object name')
  })
})

describe('report', () => {
  it('defaults to annotations, saying it was left empty (submit then comments on a pull request), with filter added', () => {
    expect(readSettings(inputs({}), env).report).toEqual({ mode: 'annotations', defaulted: true, filter: 'added', githubToken: undefined })
    expect(readSettings(inputs({ report: 'annotations', 'github-token': 'ghs_x' }), env).report).toEqual({ mode: 'annotations', defaulted: false, filter: 'added', githubToken: 'ghs_x' })
  })

  it('reads check-run, review and comment (for submit), each filter mode, and the token', () => {
    expect(readSettings(inputs({ report: 'review', filter: 'diff-context', 'github-token': ' ghs_x ' }), env).report).toEqual({ mode: 'review', defaulted: false, filter: 'diff-context', githubToken: 'ghs_x' })
    expect(readSettings(inputs({ report: 'check-run', filter: 'nofilter', 'github-token': 't' }), env).report.mode).toBe('check-run')
    expect(readSettings(inputs({ command: 'submit', report: 'comment', 'github-token': 't' }), env).report.mode).toBe('comment')
  })

  it('refuses an unknown mode or filter, comment for the lint, and a GitHub report without a token', () => {
    expect(() => readSettings(inputs({ report: 'sarif', 'github-token': 't' }), env)).toThrow('report: "sarif" is not one of annotations, check-run, review, comment')
    expect(() => readSettings(inputs({ report: 'review', filter: 'diff_context', 'github-token': 't' }), env)).toThrow('filter: "diff_context" is not one of added, diff-context, file, nofilter')
    expect(() => readSettings(inputs({ report: 'comment', 'github-token': 't' }), env)).toThrow("report: comment writes a RayJob's result on the pull request, for command: submit or wait")
    expect(() => readSettings(inputs({ report: 'check-run' }), env)).toThrow('github-token: report: check-run writes to GitHub\'s API and needs a token')
  })
})

describe('credential inputs', () => {
  it('are read on their own, trimmed, so they can be masked before the other inputs are checked', () => {
    expect(credentialInputs(inputs({ 'dashboard-token': '  s3cr3t\n', kubeconfig: 'apiVersion: v1\n', timeout: 'forever' }))).toEqual({ dashboardToken: 's3cr3t', kubeconfig: 'apiVersion: v1' })
    expect(credentialInputs(inputs({}))).toEqual({ dashboardToken: undefined, kubeconfig: undefined })
    expect(credentialInputs(inputs({ 'github-token': ' ghs_secret\n', report: 'nonsense' })).githubToken).toBe('ghs_secret')
  })
})

describe('settings: working-directory and the override inputs (issue 11)', () => {
  const submit = (values: Record<string, string>) => readSettings(inputs({ command: 'submit', ...values }), env)

  it('reads every override input, and none when none is given', () => {
    expect(submit({}).submit.overrides).toEqual({})
    expect(submit({}).submit.workingDirectory).toBeUndefined()
    const s = submit({
      'working-directory': 'src/app/',
      image: 'ghcr.io/o/r:2.58.0-abc',
      'runtime-env': 'pip: [requests]',
      entrypoint: 'python main.py',
      'entrypoint-num-cpus': '0.5',
      'entrypoint-num-gpus': '1',
      'entrypoint-resources': '{"accelerator": 1}',
      'job-metadata': '{"team": "ml"}'
    })
    expect(s.submit.workingDirectory).toBe('/work/repo/src/app')
    expect(s.submit.overrides).toEqual({
      image: 'ghcr.io/o/r:2.58.0-abc',
      runtimeEnv: 'pip: [requests]',
      entrypoint: 'python main.py',
      entrypointNumCpus: 0.5,
      entrypointNumGpus: 1,
      entrypointResources: { accelerator: 1 },
      jobMetadata: { team: 'ml' }
    })
  })

  it('takes the workspace itself as the working directory', () => {
    expect(submit({ 'working-directory': '.' }).submit.workingDirectory).toBe('/work/repo')
  })

  it('refuses every bad value at once, naming each input', () => {
    let error: SettingsError | undefined
    try {
      submit({
        'working-directory': '../elsewhere',
        image: 'two words',
        'entrypoint-num-cpus': '-1',
        'entrypoint-num-gpus': 'one',
        'entrypoint-resources': '{"accelerator": "1"}',
        'job-metadata': '[1, 2]'
      })
    } catch (e) {
      error = e as SettingsError
    }
    expect(error).toBeInstanceOf(SettingsError)
    expect(error!.problems).toEqual([
      'working-directory: "../elsewhere" is outside the workspace (/work/repo); give a folder inside it',
      'image: "two words" is not an image reference (it contains white space)',
      'entrypoint-num-cpus: "-1" is not a number of 0 or more (e.g. 1 or 0.5)',
      'entrypoint-num-gpus: "one" is not a number of 0 or more (e.g. 1 or 0.5)',
      'entrypoint-resources: "accelerator": "1" is not allowed; give a JSON object of resource names to numbers of 0 or more',
      'job-metadata: "[1, 2]" is not a JSON object; give a JSON object of keys to string values'
    ])
  })

  it('says when entrypoint-resources or job-metadata is not JSON', () => {
    expect(() => submit({ 'job-metadata': 'team: ml' })).toThrow(/job-metadata: not JSON \(.*\); give a JSON object of keys to string values/)
  })
})
