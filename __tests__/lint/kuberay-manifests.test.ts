// KubeRay's own RayJob manifests (v1.7.0, copied unchanged into __tests__/fixtures/kuberay-manifests)
// get the verdict KubeRay 1.7.0 gives them: accepted, or the exact error KubeRay reports.
import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintBytes } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'kuberay-manifests')
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'))
const lint = (file: string) => lintBytes(file, readFileSync(join(DIR, file)), { kuberayVersion: '1.7.0', featureGates: defaultFeatureGates('1.7.0') })

/** The benchmark manifests are Go templates (`name: {{.Name}}`), rendered by the perf-test harness. */
const TEMPLATES = FILES.filter((f) => f.startsWith('benchmark_'))

/**
 * The manifests KubeRay 1.7.0 refuses, with the error it reports. The history server's
 * kubernetes-auth sample sets rayClusterSpec.authOptions.enableK8sTokenAuth: since 1.6.0
 * ValidateRayJobSpec refuses K8s token auth for a RayJob (S13), so that sample ends in
 * ValidationFailed; it is meant for RayClusters.
 */
const REFUSED: Record<string, string> = {
  'historyserver_config_rayjob-kubernetes-auth.yaml': 'The RayJob spec is invalid: K8s token auth mode is currently not supported for RayJob'
}

test('all 43 manifests are here', () => {
  expect(FILES).toHaveLength(43)
  expect(TEMPLATES).toHaveLength(8)
})

describe('KubeRay 1.7.0 accepts its samples', () => {
  const accepted = FILES.filter((f) => !TEMPLATES.includes(f) && !(f in REFUSED))
  test.each(accepted)('%s', (file) => {
    const result = lint(file)
    expect(result.rayJobs).toBe(1)
    expect(result.findings.filter((f) => f.severity !== 'note')).toEqual([])
  })
})

describe('KubeRay 1.7.0 refuses these, with this error', () => {
  test.each(Object.entries(REFUSED))('%s', (file, error) => {
    const result = lint(file)
    expect(result.rayJobs).toBe(1)
    const reported = result.findings.filter((f) => f.kuberayReports)
    expect(reported.map((f) => f.message)).toEqual([error])
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual(reported)
  })
})

describe('the benchmark manifests are templates of a RayJob: a warning (the lint cannot judge them), nothing checked', () => {
  test.each(TEMPLATES)('%s', (file) => {
    const result = lint(file)
    expect(result.rayJobs).toBe(0)
    expect(result.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, line: f.line }))).toEqual([{ ruleId: 'file-template', severity: 'warning', line: 1 }])
  })
})

test('InteractiveMode samples without preRunningDeadlineSeconds get only the note that suggests it', () => {
  const interactive = FILES.filter((f) => /submissionMode: ['"]?InteractiveMode/.test(readFileSync(join(DIR, f), 'utf8')))
  expect(interactive).toHaveLength(3)
  for (const file of interactive) {
    expect(lint(file).findings.map((f) => f.ruleId)).toEqual(['interactive-without-pre-running-deadline'])
  }
})
