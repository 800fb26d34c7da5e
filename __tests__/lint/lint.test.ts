// What lintText does around the rules: which documents it checks, the CRD defaults it applies
// before KubeRay's rules, the one error KubeRay would report, and the comments that silence rules.
import { describe, expect, test } from '@jest/globals'
import { countFindings } from '../../src/lint/findings.js'
import { lintText } from '../../src/lint/lint.js'
import { ALL_RULES, ruleInfo } from '../../src/lint/rules/registry.js'
import { cluster, ENTRYPOINT, rayJob, y } from './rules/testing.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'
import type { KubeRayVersion } from '../../src/lint/versions.js'

const lint = (text: string, version: KubeRayVersion = '1.7.0') => lintText('jobs.yaml', text, { kuberayVersion: version, featureGates: defaultFeatureGates(version) })
const ruleIds = (text: string) => lint(text).findings.map((f) => f.ruleId)
const broken = (name: string) => rayJob(`${ENTRYPOINT}\nbackofLimit: 1\nclusterSelector:\n  ray.io/cluster: shared`, { name })

describe('which documents are checked', () => {
  test('only the KubeRay kinds of the ray.io group; ConfigMaps, other ray.io kinds and look-alikes are passed over', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: code}\ndata: {backofLimit: "1"}\n',
      'apiVersion: ray.io/v1\nkind: RayNode\nmetadata: {name: c}\nspec: {backofLimit: 1}\n',
      'apiVersion: example.com/v1\nkind: RayJob\nmetadata: {name: other}\nspec: {backofLimit: 1}\n',
      broken('checked')
    ].join('---\n')
    const result = lint(text)
    expect(result.rayJobs).toBe(1)
    expect(result.kinds).toEqual({ RayJob: 1, RayCluster: 0, RayService: 0, RayCronJob: 0 })
    expect(result.findings.map((f) => [f.ruleId, f.line, f.object])).toEqual([['schema-unknown-field', 22, 'RayJob checked']])
  })

  test('RayClusters, RayServices and RayCronJobs are checked and counted by kind, each finding naming its object', () => {
    const text = [
      'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: c}\nspec: {backofLimit: 1}\n',
      'apiVersion: ray.io/v1\nkind: RayService\nmetadata: {name: s, namespace: serve}\nspec: {rayClusterConfig: {headGroupSpec: {template: {spec: {containers: []}}}}}\n',
      'apiVersion: ray.io/v1\nkind: RayCronJob\nmetadata: {name: nightly}\nspec: {schedule: "0 3 * *", jobTemplate: {entrypoint: python x.py, clusterSelector: {ray.io/cluster: c}}}\n'
    ].join('---\n')
    const result = lint(text)
    expect(result.kinds).toEqual({ RayJob: 0, RayCluster: 1, RayService: 1, RayCronJob: 1 })
    expect(result.findings.filter((f) => f.kuberayReports).map((f) => [f.object, f.message])).toEqual([
      ['RayCluster c', 'headGroupSpec should have at least one container'],
      ['RayService serve/s', 'The RayService spec is invalid: headGroupSpec should have at least one container'],
      ['RayCronJob nightly', 'invalid cron schedule: expected exactly 5 fields, found 4: [0 3 * *]']
    ])
    expect(result.findings.find((f) => f.ruleId === 'schema-unknown-field')).toMatchObject({ object: 'RayCluster c', field: 'spec.backofLimit', line: 4 })
  })

  test('a RayCronJob for a release before KubeRay 1.6 is named as a kind that release does not have', () => {
    const text = 'apiVersion: ray.io/v1\nkind: RayCronJob\nmetadata: {name: nightly}\nspec: {schedule: "0 3 * * *", jobTemplate: {entrypoint: x}}\n'
    expect(lint(text, '1.5.2').findings.map((f) => [f.ruleId, f.message])).toEqual([['api-version-not-served', 'KubeRay 1.5.2 has no RayCronJob (RayCronJob is new in KubeRay 1.6.0)']])
  })

  test('a ray.io/v1alpha1 RayCluster is named as deprecated', () => {
    const text = 'apiVersion: ray.io/v1alpha1\nkind: RayCluster\nmetadata: {name: old}\nspec: {headGroupSpec: {rayStartParams: {}, template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0}]}}}}\n'
    const deprecated = lint(text).findings.find((f) => f.ruleId === 'api-version-deprecated')
    expect(deprecated).toMatchObject({ severity: 'warning', object: 'RayCluster old' })
    expect(deprecated?.message).toMatch(/v1alpha1/)
  })

  test('a ray.io/v1alpha1 RayJob is checked too, with a deprecation warning', () => {
    const result = lint(broken('old').replace('ray.io/v1', 'ray.io/v1alpha1'))
    expect(result.rayJobs).toBe(1)
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['api-version-deprecated', 'warning'],
      ['schema-unknown-field', 'error']
    ])
  })

  test('a file of comments only holds no RayJob and no finding', () => {
    expect(lint('# nothing here yet\n')).toEqual({ rayJobs: 0, kinds: { RayJob: 0, RayCluster: 0, RayService: 0, RayCronJob: 0 }, findings: [] })
  })
})

describe('CRD defaults are applied before the rules, as the API server stores the object', () => {
  test('no submissionMode means K8sJobMode', () => {
    expect(lint(rayJob(cluster())).findings.map((f) => f.message)).toEqual(['spec.entrypoint is empty in K8sJobMode: there is nothing for the submitter to run'])
  })

  test('a deletion rule without ttlSeconds has the default 0 in the TTL order check', () => {
    const text = rayJob(y`
      ${ENTRYPOINT}
      deletionStrategy:
        deletionRules:
          - policy: DeleteWorkers
            condition: {jobStatus: SUCCEEDED, ttlSeconds: 10}
          - policy: DeleteCluster
            condition: {jobStatus: SUCCEEDED}
      ${cluster()}
    `)
    expect(lint(text).findings.map((f) => f.message)).toEqual(["for JobStatus 'SUCCEEDED': DeleteCluster TTL (0) must be >= DeleteWorkers TTL (10)"])
  })

  test('worker groups without minReplicas and maxReplicas get 0 and 2147483647, so KubeRay does not complain', () => {
    const text = y`
      apiVersion: ray.io/v1
      kind: RayJob
      metadata:
        name: sample
      spec:
        ${ENTRYPOINT}
        rayClusterSpec:
          headGroupSpec:
            template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0}]}}
          workerGroupSpecs:
            - groupName: small
              template: {spec: {containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]}}
    `
    expect(lint(text).findings).toEqual([])
  })

  test('the defaults of the release linted: 1.1.1 has no backoffLimit to default', () => {
    expect(lint(rayJob(`${ENTRYPOINT}\nsubmissionMode: InteractiveMode\n${cluster()}`), '1.1.1').findings.map((f) => f.ruleId)).toEqual(['submission-mode-unknown'])
  })
})

describe('what KubeRay would report', () => {
  test('in each document, exactly one error is the one KubeRay reports (it stops at its first)', () => {
    const text = [rayJob(`suspend: true\nbackoffLimit: -1\n${cluster()}`, { name: 'a' }), rayJob(`${ENTRYPOINT}\nactiveDeadlineSeconds: 0`, { name: 'b' })].join('---\n')
    const reported = lint(text).findings.filter((f) => f.kuberayReports)
    expect(reported.map((f) => [f.object, f.ruleId])).toEqual([
      ['RayJob a', 'suspend-requires-shutdown'],
      ['RayJob b', 'cluster-spec-or-selector']
    ])
  })

  test('schema problems and stuck mistakes are never what KubeRay reports', () => {
    const findings = lint(rayJob(`backofLimit: 1\n${cluster()}`)).findings
    expect(findings.map((f) => [f.ruleId, f.kuberayReports ?? false])).toEqual([
      ['schema-unknown-field', false],
      ['entrypoint-empty', false]
    ])
  })
})

describe('a finding says what, where, and how to fix it', () => {
  test('rule id, severity, message, hint, file, line, column, field, object', () => {
    const [finding] = lint(rayJob(`${ENTRYPOINT}\nbackoffLimit: -1\n${cluster()}`, { name: 'train', metadata: 'namespace: team-a' })).findings
    expect(finding).toEqual({
      ruleId: 'backoff-limit-negative',
      severity: 'error',
      message: 'The RayJob spec is invalid: backoffLimit must be a positive integer',
      hint: 'Set spec.backoffLimit to 0 (no retries) or more.',
      file: 'jobs.yaml',
      line: 8,
      column: 17,
      field: 'spec.backoffLimit',
      object: 'RayJob team-a/train',
      kuberayReports: true
    })
  })

  test('a schema finding carries the fix for that very field', () => {
    expect(lint(broken('typo')).findings[0].hint).toBe(
      'Rename it to backoffLimit: the API server drops unknown fields without a word (or rejects them with strict field validation).'
    )
  })

  test('every rule has a stable id, a title and a one-line hint', () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(rule.title.length).toBeGreaterThan(0)
      expect(rule.hint).not.toContain('\n')
      expect(ruleInfo(rule.id)).toBe(rule)
    }
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length)
  })
})

describe('# rayjob-lint-disable comments', () => {
  test('silence the named rule for that document only; the finding is kept, marked', () => {
    const text = `# rayjob-lint-disable schema-unknown-field\n${broken('quiet')}---\n${broken('loud')}`
    const findings = lint(text).findings
    expect(findings.map((f) => [f.object, f.suppressed ?? false])).toEqual([
      ['RayJob quiet', true],
      ['RayJob loud', false]
    ])
    expect(countFindings(findings, 2)).toMatchObject({ findings: 1, errors: 1, suppressed: 1 })
  })

  test('several ids, separated by commas, on any line of the document', () => {
    const text = broken('x').replace('backofLimit: 1', 'backofLimit: 1 # rayjob-lint-disable name-too-long, schema-unknown-field')
    expect(lint(text).findings.every((f) => f.suppressed)).toBe(true)
  })

  test('no id silences every rule of the document', () => {
    const text = rayJob(`# rayjob-lint-disable\nsuspend: true\nbackofLimit: 1\n${cluster()}`)
    const findings = lint(text).findings
    expect(findings.length).toBeGreaterThan(1)
    expect(findings.every((f) => f.suppressed)).toBe(true)
  })

  test('another rule id silences nothing else', () => {
    expect(lint(`# rayjob-lint-disable name-too-long\n${broken('x')}`).findings[0].suppressed).toBeUndefined()
  })

  test('a misspelt rule id is a warning that says what was meant, and silences nothing', () => {
    const findings = lint(`# rayjob-lint-disable schema-unknwn-field, nope\n${broken('x')}`).findings
    expect(findings.find((f) => f.ruleId === 'schema-unknown-field')?.suppressed).toBeUndefined()
    expect(findings.find((f) => f.ruleId === 'lint-disable-unknown-rule')).toMatchObject({
      severity: 'warning',
      message: 'rayjob-lint-disable names "schema-unknwn-field" (did you mean "schema-unknown-field"?), "nope", which are not rules of rayjob-action: it silences nothing',
      line: 2,
      column: 1
    })
  })

  test('the words inside a block scalar are not a comment', () => {
    const text = rayJob(`${ENTRYPOINT}\nbackofLimit: 1\nruntimeEnvYAML: |\n  # rayjob-lint-disable\n  pip: [requests]\n${cluster()}`)
    expect(ruleIds(text)).toEqual(['schema-unknown-field'])
    expect(lint(text).findings[0].suppressed).toBeUndefined()
  })
})
