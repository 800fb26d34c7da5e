// The examples a newcomer lints first: the valid ones stay clean, and each broken one gives the
// finding its first comment promises, at the line and column it names.
import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintBytes } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples')
const OPTIONS = { kuberayVersion: '1.7.0' as const, featureGates: defaultFeatureGates('1.7.0') }

const yamlFiles = (dir: string): string[] => readdirSync(join(EXAMPLES, dir)).filter((f) => f.endsWith('.yaml'))
const lintExample = (dir: string, file: string) => lintBytes(`examples/${dir}/${file}`, readFileSync(join(EXAMPLES, dir, file)), OPTIONS)

describe('examples/valid', () => {
  test.each(yamlFiles('valid'))('%s is a RayJob KubeRay accepts: no error, no warning', (file) => {
    const result = lintExample('valid', file)
    expect(result.rayJobs).toBe(1)
    expect(result.findings.filter((f) => f.severity !== 'note')).toEqual([])
  })

  test('there is one per submission mode, and one on an existing cluster', () => {
    const texts = yamlFiles('valid').map((f) => readFileSync(join(EXAMPLES, 'valid', f), 'utf8'))
    for (const mode of ['K8sJobMode', 'HTTPMode', 'SidecarMode', 'InteractiveMode']) {
      expect(texts.some((t) => t.includes(`submissionMode: ${mode}`))).toBe(true)
    }
    expect(texts.some((t) => t.includes('kind: RayCluster') && t.includes('clusterSelector:'))).toBe(true)
    expect(texts.some((t) => t.includes('InteractiveMode') && t.includes('preRunningDeadlineSeconds'))).toBe(true)
  })
})

describe('examples/kinds', () => {
  // A RayCronJob needs the operator's RayCronJob gate (alpha, off by default); the lint is told it is on.
  const gates = { ...defaultFeatureGates('1.7.0'), RayCronJob: true }
  const lintKind = (file: string) => lintBytes(`examples/kinds/${file}`, readFileSync(join(EXAMPLES, 'kinds', file)), { kuberayVersion: '1.7.0', featureGates: gates })

  test.each(yamlFiles('kinds'))('%s is an object KubeRay accepts: no error, no warning', (file) => {
    const result = lintKind(file)
    expect(result.rayJobs).toBe(0)
    expect(result.findings.filter((f) => f.severity !== 'note')).toEqual([])
  })

  test('there is one of each kind other than RayJob', () => {
    const kinds = yamlFiles('kinds').map((file) => lintKind(file).kinds)
    expect(kinds.map((k) => Object.entries(k).filter(([, n]) => n > 0))).toEqual(
      expect.arrayContaining([[['RayCluster', 1]], [['RayService', 1]], [['RayCronJob', 1]]])
    )
  })

  test('with the default gates the RayCronJob warns that the operator would not run it', () => {
    const result = lintBytes('examples/kinds/raycronjob.yaml', readFileSync(join(EXAMPLES, 'kinds', 'raycronjob.yaml')), OPTIONS)
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['raycronjob-gate-disabled', 'warning']])
  })
})

describe('examples/broken', () => {
  /** `# Expect: <rule id> at <line>:<column>` in the file's opening comment. */
  const promise = (file: string) => {
    const text = readFileSync(join(EXAMPLES, 'broken', file), 'utf8')
    expect(text.startsWith('# Wrong: ')).toBe(true)
    const match = /^# Expect: (\S+) at (\d+):(\d+)$/m.exec(text)
    if (!match) throw new Error(`examples/broken/${file} has no "# Expect: <rule id> at <line>:<column>" comment`)
    return { ruleId: match[1], line: Number(match[2]), column: Number(match[3]) }
  }

  test.each(yamlFiles('broken'))('%s gives the finding its comment promises, and only that one', (file) => {
    const expected = promise(file)
    const result = lintExample('broken', file)
    const actual = result.findings.filter((f) => f.severity !== 'note').map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column }))
    expect(actual).toEqual([expected])
  })

  test('the broken examples cover the mistakes the README promises', () => {
    const rules = yamlFiles('broken').map((f) => promise(f).ruleId)
    expect(rules).toEqual(
      expect.arrayContaining([
        'schema-unknown-field',
        'schema-type',
        'interactive-with-backoff-limit',
        'head-no-dashboard-port',
        'submitter-restart-policy',
        'name-too-long',
        'deletion-rules-with-shutdown',
        'runtime-env-yaml-invalid',
        'serve-route-prefix-duplicate',
        'head-resources-twice',
        'worker-group-name-duplicate'
      ])
    )
  })
})
