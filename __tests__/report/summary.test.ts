// Findings → the job summary: every finding, grouped by file (the runner shows only a few
// annotations), and the ones silenced by a comment.
import { expect, test } from '@jest/globals'
import { countFindings, sortFindings } from '../../src/lint/findings.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'
import { buildLintSummary } from '../../src/report/summary.js'
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

// Issue 9, defect 11: what a file name or a message holds cannot change the summary's shape, and the
// summary stays under GitHub's 1 MiB per step.
const MIB = 1_048_576
const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

test('a file name cannot break out of its heading or its table cell', () => {
  const [finding] = sampleFindings()
  const file = 'jobs/a`b\n# Injected | <img src=x>.yaml'
  const text = summary([{ ...finding, file }, { ...finding, file, suppressed: true }])
  expect(text).toContain('### ``jobs/a`b\\n# Injected | <img src=x>.yaml``\n')
  expect(text).toContain('| ``jobs/a`b\\n# Injected \\| <img src=x>.yaml`` | 9 |')
  expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual(['## RayJob lint', '### ``jobs/a`b\\n# Injected | <img src=x>.yaml``'])
  // A name that starts or ends with a backtick keeps it: the code span is padded.
  expect(summary([{ ...finding, file: '`x`' }])).toContain('### `` `x` ``\n')
})

test('every kind of line break in a cell becomes <br>: \\r\\n, a lone \\r, \\n, U+0085, U+2028, U+2029', () => {
  const [finding] = sampleFindings()
  const text = summary([{ ...finding, message: 'a\r\nb\rc\nd\u0085e\u2028f\u2029g' }])
  expect(text).toContain('| a<br>b<br>c<br>d<br>e<br>f<br>g |')
  expect(text).not.toMatch(/[\r\u0085\u2028\u2029]/)
})

test('long messages: the summary is cut by its size in bytes, with a note, and stays under 1 MiB', () => {
  const [finding] = sampleFindings()
  const many = Array.from({ length: 900 }, (_, i) => ({ ...finding, line: i + 1, message: `${'é'.repeat(1500)} ${i}` }))
  const text = buildLintSummary(many, countFindings(many, 1), context)
  expect(bytes(text)).toBeLessThan(MIB)
  expect(text).toMatch(/\n…and \d+ more, not shown here to keep the job summary within GitHub's 1 MiB limit; all are in `rayjob-lint.sarif`\.\n/)
  const shown = text.split('\n').filter((l) => /^\| \d+:\d+ \|/.test(l)).length
  expect(text).toContain(`…and ${900 - shown} more`)
  expect(shown).toBeGreaterThan(100)
})

test('one huge message is cut in its cell; the rows around it are kept', () => {
  const [finding] = sampleFindings()
  const huge = { ...finding, message: '<'.repeat(2_000_000) }
  const text = summary([huge, { ...finding, line: 99 }])
  expect(bytes(text)).toBeLessThan(MIB)
  expect(text).toContain('| 99:3 |')
  expect(text).toContain('&lt;&lt;… (cut) |')
})

test('many silenced findings with long messages stay under 1 MiB too', () => {
  const [finding] = sampleFindings()
  const silenced = Array.from({ length: 1000 }, (_, i) => ({ ...finding, line: i + 1, suppressed: true, message: 'x'.repeat(3000) }))
  const text = buildLintSummary(silenced, countFindings(silenced, 1), context)
  expect(bytes(text)).toBeLessThan(MIB)
  expect(text).toMatch(/…and \d+ more silenced/)
  expect(text.trimEnd().endsWith('</details>')).toBe(true)
})
