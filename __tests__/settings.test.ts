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
    expect(message).toContain('command: "deploy" is not one of lint, submit')
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

describe('credential inputs', () => {
  it('are read on their own, trimmed, so they can be masked before the other inputs are checked', () => {
    expect(credentialInputs(inputs({ 'dashboard-token': '  s3cr3t\n', kubeconfig: 'apiVersion: v1\n', timeout: 'forever' }))).toEqual({ dashboardToken: 's3cr3t', kubeconfig: 'apiVersion: v1' })
    expect(credentialInputs(inputs({}))).toEqual({ dashboardToken: undefined, kubeconfig: undefined })
  })
})
