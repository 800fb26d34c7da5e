// A syntax error is reported once, where the API server's reader (sigs.k8s.io/yaml, go-yaml v2)
// places it: kubectl prints `error converting YAML to JSON: yaml: line N: <message>`.
import { describe, expect, test } from '@jest/globals'
import { lintText } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'
import { readDocumentsSync, readYamlValue } from '../../src/yaml/index.js'

const OPTIONS = { kuberayVersion: '1.7.0' as const, featureGates: defaultFeatureGates('1.7.0') }

// kubectl create --dry-run=client -f on this text (kubectl 1.x with sigs.k8s.io/yaml v1.6.0, go-yaml
// v2.4.2): "error parsing bad.yaml: error converting YAML to JSON: yaml: line 7: mapping values are
// not allowed in this context". go-yaml reads `x` and the more indented line below it as one plain
// scalar, meets the `:` after shutdownAfterJobFinishes and stops there (scannerc.go,
// yaml_parser_fetch_value: the error's mark is that `:`; decode.go's fail() names its line).
const KEY_UNDER_A_SCALAR = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: sample
spec:
  entrypoint: x
   shutdownAfterJobFinishes: true
`

describe('a syntax error is reported once, where go-yaml places it', () => {
  test('a key indented under a plain scalar: one finding, on the line of that key, at its `:`', () => {
    const { findings } = lintText('bad.yaml', KEY_UNDER_A_SCALAR, OPTIONS)
    expect(findings.map((f) => ({ rule: f.ruleId, line: f.line, column: f.column, message: f.message }))).toEqual([
      { rule: 'yaml-syntax', line: 7, column: 28, message: 'mapping values are not allowed in this context' }
    ])
  })

  test.each(['fast', 'reference'] as const)('the same with either reader, and in a later document (%s)', (reader) => {
    const text = `kind: ConfigMap\nmetadata: {name: a}\n---\n${KEY_UNDER_A_SCALAR}`
    expect(readDocumentsSync('bad.yaml', text, undefined, reader).problems).toEqual([
      { kind: 'yaml-syntax', message: 'mapping values are not allowed in this context', position: { line: 10, column: 28 } }
    ])
  })

  // Each with the line go-yaml names (sigs.k8s.io/yaml.Unmarshal of the text, run with Go): a
  // scanner error's line is 1-based, the line of the `:`.
  test.each([
    ['a: x\n  b: y\n', { line: 2, column: 4 }],
    ['a:\n  - x\n   b: y\n', { line: 3, column: 5 }],
    ['- x\n  b: y\n', { line: 2, column: 4 }],
    ['a: x\n\n   b: y\n', { line: 3, column: 5 }],
    ['a: |\n x\n  y\nb: 1\n c: 2\n', { line: 5, column: 3 }],
    // go-yaml prints no line for line 1 ("yaml: mapping values are not allowed in this context"): the second `:`.
    ['a: b: c\n', { line: 1, column: 5 }]
  ])('%j: once, at the `:`', (text, position) => {
    expect(readDocumentsSync('f.yaml', text).problems).toEqual([{ kind: 'yaml-syntax', message: 'mapping values are not allowed in this context', position }])
  })

  test("any other syntax error: `yaml`'s first error of the document only (go-yaml stops at its first)", () => {
    // `yaml` reports three errors here (an unexpected scalar, `:` and `1`); go-yaml one.
    expect(readDocumentsSync('f.yaml', '- a\nb: 1\n').problems).toEqual([{ kind: 'yaml-syntax', message: 'Unexpected scalar at node end', position: { line: 2, column: 1 } }])
  })

  test('runtimeEnvYAML with the same mistake: the same one message', () => {
    expect(readYamlValue('pip:\n  - requests\nenv_vars: x\n  A: b\n')).toEqual({ error: 'error converting YAML to JSON: mapping values are not allowed in this context' })
  })
})

describe('a syntax error belongs to the document it is in', () => {
  // `yaml` hands the error of a stray `]` opening the second document to the first; go-yaml reads the
  // first document and fails on the second. Found by the fuzzer (seed 161330078: "{}\n---\n]\n").
  test.each(['{}\n---\n]\n', 'a: 1\n---\n]\n'])('%j: both readers keep the first document and name the error on line 3', (text) => {
    for (const reader of ['fast', 'reference'] as const) {
      const values: unknown[] = []
      const { problems } = readDocumentsSync('f.yaml', text, (d) => values.push(d.value), reader)
      expect({ reader, values: values.length, problems: problems.map((p) => [p.kind, p.position.line, p.position.column]) }).toEqual({ reader, values: 1, problems: [['yaml-syntax', 3, 1]] })
    }
  })
})
