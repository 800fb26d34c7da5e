// The command line's text and JSON output.
import { expect, test } from '@jest/globals'
import { countFindings, sortFindings } from '../../src/lint/findings.js'
import { escapeControl, formatCounts, formatJson, formatText } from '../../src/report/text.js'
import { sampleFindings } from './testing.js'

test('text: file:line:col severity id message, one line a finding, silenced ones left out', () => {
  expect(formatText(sortFindings(sampleFindings())).split('\n')).toEqual([
    "jobs/train.yaml:8:3 error selector-with-suspend The RayJob spec is invalid: the ClusterSelector mode doesn't support the suspend operation",
    'jobs/train.yaml:8:3 error suspend-requires-shutdown The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended [reported by KubeRay]',
    'jobs/train.yaml:9:3 error schema-unknown-field unknown field "spec.backofLimit" (did you mean "backoffLimit"?)',
    'legacy/old.yaml:1:13 warning api-version-deprecated ray.io/v1alpha1 RayJob is deprecated; use ray.io/v1 RayJob. v1alpha1 receives no new fields and will be unavailable in KubeRay 1.9.'
  ])
})

test('a message over several lines stays on one', () => {
  const [finding] = sampleFindings()
  expect(formatText([{ ...finding, message: 'deletionRules[0]: first\ndeletionRules[1]: second' }])).toBe(
    'jobs/train.yaml:9:3 error schema-unknown-field deletionRules[0]: first deletionRules[1]: second'
  )
})

test('control characters in a file name or a message are shown escaped: one finding, one line (issue 9, defect 8)', () => {
  const [finding] = sampleFindings()
  const file = 'jobs/a\r::error::x\n::warning::y\u2028z\u2029\u0085.yaml'
  const text = formatText([{ ...finding, file, message: 'unknown field "spec.a\rb" in \u001b[31mred\u007f' }, finding])
  expect(text.split(/\r\n|[\r\n\u0085\u2028\u2029]/)).toHaveLength(2)
  expect(text.split('\n')[0]).toBe(
    'jobs/a\\r::error::x\\n::warning::y\\u2028z\\u2029\\u0085.yaml:9:3 error schema-unknown-field unknown field "spec.a\\rb" in \\u001b[31mred\\u007f'
  )
})

test('escapeControl: C0 but tab, DEL, C1 and the Unicode line breaks; everything else as it is', () => {
  expect(escapeControl('a\tb\u0000c\u001fd\u007fe\u009bf\u2028g\u2029h é ✓ \\r')).toBe('a\tb\\u0000c\\u001fd\\u007fe\\u009bf\\u2028g\\u2029h é ✓ \\r')
})

test('counts', () => {
  expect(formatCounts(countFindings(sampleFindings(), 3))).toBe('3 RayJob manifest(s) checked: 3 error(s), 1 warning(s), 0 note(s), 1 suppressed')
  expect(formatCounts(countFindings([], 0))).toBe('0 RayJob manifest(s) checked: 0 error(s), 0 warning(s), 0 note(s)')
  // By kind: only RayJobs keep the RayJob wording; other kinds are named with their counts.
  expect(formatCounts(countFindings([], { RayJob: 2, RayCluster: 0, RayService: 0, RayCronJob: 0 }))).toBe('2 RayJob manifest(s) checked: 0 error(s), 0 warning(s), 0 note(s)')
  expect(formatCounts(countFindings([], { RayJob: 2, RayCluster: 1, RayService: 0, RayCronJob: 3 }))).toBe(
    '6 KubeRay manifest(s) (2 RayJob, 1 RayCluster, 3 RayCronJob) checked: 0 error(s), 0 warning(s), 0 note(s)'
  )
})

test('JSON: the counts by kind, where the lint knows them', () => {
  const parsed = JSON.parse(formatJson([], countFindings([], { RayJob: 1, RayCluster: 0, RayService: 2, RayCronJob: 0 })))
  expect(parsed).toMatchObject({ manifests: 3, kinds: { RayJob: 1, RayCluster: 0, RayService: 2, RayCronJob: 0 } })
})

test('JSON: the counts and every finding, silenced ones included and marked', () => {
  const parsed = JSON.parse(formatJson(sampleFindings(), countFindings(sampleFindings(), 3)))
  expect(parsed).toMatchObject({ manifests: 3, findings: 4, errors: 3, warnings: 1, notes: 0, suppressed: 1 })
  expect(parsed.results).toHaveLength(5)
  expect(parsed.results.filter((r: { suppressed?: boolean }) => r.suppressed)).toHaveLength(1)
})
