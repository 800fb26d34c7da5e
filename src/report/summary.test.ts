// Findings → the job summary: every finding, grouped by file (the runner shows only a few
// annotations), and the ones silenced by a comment.
import { expect, test } from '@jest/globals'
import { countFindings, sortFindings } from '../lint/findings.js'
import { defaultFeatureGates } from '../lint/versions.js'
import { buildLintSummary } from './summary.js'
import { sampleFindings } from './testing.js'

const context = { kuberayVersion: '1.7.0', featureGates: defaultFeatureGates('1.7.0'), files: 2, sarifFile: 'rayjob-lint.sarif' }
const summary = (findings = sortFindings(sampleFindings())) => buildLintSummary(findings, countFindings(findings, 3), context)

test('the counts, the release and the gates that are on', () => {
  expect(summary().split('\n').slice(0, 3)).toEqual([
    '## RayJob lint',
    '',
    '3 RayJob manifest(s) checked: 3 error(s), 1 warning(s), 0 note(s), 1 suppressed in 2 file(s), against KubeRay 1.7.0 (gates on: RayClusterStatusConditions, RayJobDeletionPolicy, RayMultiHostIndexing, RayServiceIncrementalUpgrade).'
  ])
})

test('a section per file, a row per finding with line:column, severity, rule, object, message and fix', () => {
  const text = summary()
  expect(text).toContain('### `jobs/train.yaml`')
  expect(text).toContain('### `legacy/old.yaml`')
  expect(text.indexOf('### `jobs/train.yaml`')).toBeLessThan(text.indexOf('### `legacy/old.yaml`'))
  expect(text).toContain(
    '| 8:3 | ❌ error | `suspend-requires-shutdown` | RayJob team-a/train | The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended **(KubeRay reports this one)** | Set spec.shutdownAfterJobFinishes: true, or remove spec.suspend. |'
  )
  expect(text).toContain('| 1:13 | ⚠️ warning | `api-version-deprecated` | RayJob old |')
  const rows = text.split('\n').filter((l) => /^\| \d+:\d+ \|/.test(l))
  expect(rows).toHaveLength(4)
})

test('the silenced findings are listed apart, folded', () => {
  const text = summary()
  expect(text).toContain('<details><summary>1 finding(s) silenced by <code>rayjob-lint-disable</code> comments</summary>')
  expect(text).toContain('| `jobs/train.yaml` | 20 | `schema-unknown-field` | unknown field "spec.backofLimit" (did you mean "backoffLimit"?) |')
})

test('table cells keep their shape: | and < in a message are escaped, new lines become <br>', () => {
  const [finding] = sampleFindings()
  const text = summary([{ ...finding, message: 'a | b <script>\nsecond line' }])
  expect(text).toContain('| a \\| b &lt;script><br>second line |')
})

test('a clean run says so', () => {
  expect(buildLintSummary([], countFindings([], 2), context)).toContain('No problems found. ✅')
})
