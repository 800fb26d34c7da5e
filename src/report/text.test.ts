// The command line's text and JSON output.
import { expect, test } from '@jest/globals'
import { countFindings, sortFindings } from '../lint/findings.js'
import { formatCounts, formatJson, formatText } from './text.js'
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

test('counts', () => {
  expect(formatCounts(countFindings(sampleFindings(), 3))).toBe('3 RayJob manifest(s) checked: 3 error(s), 1 warning(s), 0 note(s), 1 suppressed')
  expect(formatCounts(countFindings([], 0))).toBe('0 RayJob manifest(s) checked: 0 error(s), 0 warning(s), 0 note(s)')
})

test('JSON: the counts and every finding, silenced ones included and marked', () => {
  const parsed = JSON.parse(formatJson(sampleFindings(), countFindings(sampleFindings(), 3)))
  expect(parsed).toMatchObject({ manifests: 3, findings: 4, errors: 3, warnings: 1, notes: 0, suppressed: 1 })
  expect(parsed.results).toHaveLength(5)
  expect(parsed.results.filter((r: { suppressed?: boolean }) => r.suppressed)).toHaveLength(1)
})
